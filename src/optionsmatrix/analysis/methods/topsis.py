"""TOPSIS (Hwang & Yoon 1981): closeness to the ideal option.

v_ij = w_j r_ij; the ideal takes each criterion's best weighted value, the
anti-ideal its worst; d⁺ and d⁻ are Euclidean distances to them and the
score is the relative closeness C = d⁻ / (d⁺ + d⁻), in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..normalize import minmax, vector
from ..problem import Problem
from ._common import MethodOutput

NORMALIZATIONS = ("vector", "minmax")
UNSEPARATED_CLOSENESS = 0.5


def default_normalization(problem: Problem) -> str:
    return "vector"


def _distances(weighted: np.ndarray, point: np.ndarray) -> np.ndarray:
    gap = weighted - point
    return np.sqrt(np.einsum("ij,ij->i", gap, gap))


def closeness(
    weighted: np.ndarray, ideal: np.ndarray, anti_ideal: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (closeness, d⁺, d⁻, unseparated mask).

    An option at distance 0 from both points (every option is identical on
    every weighted criterion) has no defined closeness; it gets 0.5, halfway,
    rather than 0/0.
    """
    to_ideal = _distances(weighted, ideal)
    to_anti = _distances(weighted, anti_ideal)
    total = to_ideal + to_anti
    unseparated = total == 0
    if unseparated.any():
        result = np.full_like(total, UNSEPARATED_CLOSENESS)
        np.divide(to_anti, total, out=result, where=~unseparated)
    else:
        result = to_anti / total
    return result, to_ideal, to_anti, unseparated


def run(problem: Problem, normalization: str, params: Mapping[str, Any], explain: bool) -> MethodOutput:
    scores, weights, is_benefit = problem.scores, problem.weights, problem.is_benefit
    warnings: tuple[str, ...] = ()
    if normalization == "vector":
        norms = np.sqrt(np.einsum("ij,ij->j", scores, scores))
        if (norms == 0).any():
            vector(scores, problem.criteria)  # raises the error that names the criterion
        # One pass: x · (w / ‖x‖) is the weighted normalised matrix.
        weighted = scores * (weights / norms)
        column_max, column_min = weighted.max(axis=0), weighted.min(axis=0)
        ideal = np.where(is_benefit, column_max, column_min)
        anti_ideal = np.where(is_benefit, column_min, column_max)
        normalized = scores / norms if explain else None
    else:
        result = minmax(scores, is_benefit, problem.criteria)
        normalized, warnings = result.values, result.warnings
        weighted = normalized * weights
        # min–max already turned every cost criterion around: the best is the column max.
        ideal, anti_ideal = weighted.max(axis=0), weighted.min(axis=0)
    score, to_ideal, to_anti, unseparated = closeness(weighted, ideal, anti_ideal)
    # With one option the single-option warning says all there is to say.
    if unseparated.any() and scores.shape[0] > 1:
        if unseparated.all():
            warnings += (
                "every option has the same weighted values on every criterion, so TOPSIS cannot separate them; "
                f"each gets closeness {UNSEPARATED_CLOSENESS}",
            )
        else:
            names = ", ".join(f"'{problem.options[i]}'" for i in np.flatnonzero(unseparated))
            warnings += (
                f"options {names} sit at distance 0 from both the ideal and the anti-ideal; they get closeness "
                f"{UNSEPARATED_CLOSENESS}",
            )
    details = {"distance_to_ideal": to_ideal, "distance_to_anti_ideal": to_anti}
    steps: dict[str, np.ndarray] = {}
    if explain:
        assert normalized is not None
        steps = {
            "normalized": normalized,
            "weighted": weighted,
            "ideal": ideal,
            "anti_ideal": anti_ideal,
            "distance_to_ideal": to_ideal,
            "distance_to_anti_ideal": to_anti,
        }
    return MethodOutput(score, details, steps, warnings)

