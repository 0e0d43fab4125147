"""Column normalisations of a score matrix (options × criteria).

Each kernel works on whole columns at once and handles a cost criterion by
its own formula, never by negating the values first: negation would break
the ratio-based normalisations (sum, max) and change what "0" means.

`normalize` is the shell the methods call; the kernels can be used on their
own with a boolean `is_benefit` vector. All return `Normalized(values,
warnings)`; errors name the offending criterion (and option, where there is
one).

Scores are m × n, or k × m × n for k score tables at once (one per
participant, or per sample): every reduction runs over the options axis
(-2), so the same kernels serve both. Warnings describe the first table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import AnalysisError, number

NORMALIZATIONS = ("scale", "minmax", "sum", "max", "vector", "none")


@dataclass(frozen=True, eq=False)
class Normalized:
    values: np.ndarray
    warnings: tuple[str, ...] = ()


def _labels(names: Sequence[str] | None, prefix: str, count: int) -> Sequence[str]:
    return names if names is not None else [f"{prefix}{k + 1}" for k in range(count)]


def scale(
    scores: np.ndarray,
    is_benefit: np.ndarray,
    bounds: np.ndarray | None,
    criteria: Sequence[str] | None = None,
    options: Sequence[str] | None = None,
    has_scale: Sequence[bool] | None = None,
) -> Normalized:
    """Position on the criterion's declared scale: benefit (x − min)/(max − min),
    cost (max − x)/(max − min). Depends on no other option, so adding or
    removing an option never moves anyone else's value."""
    m, n = scores.shape[-2:]
    criteria = _labels(criteria, "C", n)
    if bounds is None:
        missing = [j for j in range(n) if has_scale is None or not has_scale[j]]
        j = missing[0] if missing else 0
        raise AnalysisError(
            f"normalization 'scale' needs a scale (min and max) on every criterion; criterion '{criteria[j]}' has "
            "none — give it a scale or choose another normalization",
            "normalization",
            code="normalization_needs_scales",
        )
    low, high = bounds[:, 0], bounds[:, 1]
    outside = (scores < low) | (scores > high)
    if outside.any():
        i, j = (int(k) for k in np.argwhere(outside)[0][-2:])
        options = _labels(options, "A", m)
        raise AnalysisError(
            f"criterion '{criteria[j]}' has score {number(scores[outside][0])} outside its scale "
            f"{number(low[j])}–{number(high[j])} for option '{options[i]}'",
            f"scores[{i}][{j}]",
            code="score_outside_scale",
        )
    width = high - low
    return Normalized(np.where(is_benefit, scores - low, high - scores) / width)


def minmax(scores: np.ndarray, is_benefit: np.ndarray, criteria: Sequence[str] | None = None) -> Normalized:
    """Position within the observed range: benefit (x − min)/(max − min), cost
    (max − x)/(max − min). A criterion on which every option is equal gives
    every option 1 (it separates nobody) and a warning."""
    low, high = scores.min(axis=-2, keepdims=True), scores.max(axis=-2, keepdims=True)
    width = high - low
    flat = width == 0
    values = np.where(is_benefit, scores - low, high - scores) / np.where(flat, 1.0, width)
    warnings: tuple[str, ...] = ()
    if flat.any():
        values = np.where(flat, 1.0, values)
        first = flat.reshape(-1, flat.shape[-1])[0]
        # With one option every column is flat; the single-option warning says it better.
        if scores.shape[-2] > 1:
            criteria = _labels(criteria, "C", scores.shape[-1])
            warnings = tuple(
                f"criterion '{criteria[j]}' has the same value for every option, so min–max normalisation cannot "
                "separate them; every option gets 1 on it"
                for j in np.flatnonzero(first)
            )
    return Normalized(values, warnings)


def _require_positive(scores: np.ndarray, name: str, criteria: Sequence[str] | None) -> None:
    not_positive = scores <= 0
    if not_positive.any():
        j = int(np.argwhere(not_positive)[0][-1])
        criteria = _labels(criteria, "C", scores.shape[-1])
        smallest = scores[..., j].min()
        raise AnalysisError(
            f"{name} needs strictly positive scores; criterion '{criteria[j]}' has {number(smallest)}",
            "normalization",
            code="normalization_needs_positive_scores",
        )


def sum_(scores: np.ndarray, is_benefit: np.ndarray, criteria: Sequence[str] | None = None) -> Normalized:
    """Share of the column total: benefit x/Σx, cost (1/x)/Σ(1/x). Needs x > 0."""
    _require_positive(scores, "normalization 'sum'", criteria)
    # (min/x)/Σ(min/x) equals (1/x)/Σ(1/x) but min/x lies in (0, 1], so tiny
    # scores cannot overflow the reciprocal.
    inverted = scores.min(axis=-2, keepdims=True) / scores
    chosen = np.where(is_benefit, scores, inverted)
    return Normalized(chosen / chosen.sum(axis=-2, keepdims=True))


def max_(scores: np.ndarray, is_benefit: np.ndarray, criteria: Sequence[str] | None = None) -> Normalized:
    """Ratio to the best: benefit x/max, cost min/x. Needs x > 0."""
    _require_positive(scores, "normalization 'max'", criteria)
    best, least = scores.max(axis=-2, keepdims=True), scores.min(axis=-2, keepdims=True)
    return Normalized(np.where(is_benefit, scores / best, least / scores))


def column_lengths(scores: np.ndarray) -> np.ndarray:
    """√Σx² over the options of each criterion, kept as a (…, 1, n) row for broadcasting."""
    return np.sqrt(np.einsum("...ij,...ij->...j", scores, scores))[..., None, :]


def vector(scores: np.ndarray, criteria: Sequence[str] | None = None) -> Normalized:
    """x/√Σx² per column. Direction is not applied: TOPSIS handles it through
    its ideal and anti-ideal points."""
    norms = column_lengths(scores)
    zero = norms == 0
    if zero.any():
        criteria = _labels(criteria, "C", scores.shape[-1])
        j = int(np.argwhere(zero)[0][-1])
        raise AnalysisError(
            f"normalization 'vector' divides by each column's length, and criterion '{criteria[j]}' is 0 for every "
            "option; choose another normalization or remove the criterion",
            "normalization",
            code="normalization_zero_column",
        )
    return Normalized(scores / norms)


def normalize(
    scores: np.ndarray,
    is_benefit: np.ndarray,
    method: str,
    *,
    bounds: np.ndarray | None = None,
    criteria: Sequence[str] | None = None,
    options: Sequence[str] | None = None,
    has_scale: Sequence[bool] | None = None,
) -> Normalized:
    """Normalise by name; 'none' returns the raw values (as a read-only view)."""
    if method == "scale":
        return scale(scores, is_benefit, bounds, criteria, options, has_scale)
    if method == "minmax":
        return minmax(scores, is_benefit, criteria)
    if method == "sum":
        return sum_(scores, is_benefit, criteria)
    if method == "max":
        return max_(scores, is_benefit, criteria)
    if method == "vector":
        return vector(scores, criteria)
    if method == "none":
        return Normalized(scores)
    raise AnalysisError(
        f"unknown normalization {method!r}; choose one of {', '.join(NORMALIZATIONS)}",
        "normalization",
        code="unknown_normalization",
    )
