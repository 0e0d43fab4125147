"""What the sensitivity analyses return: frozen dataclasses with a JSON-ready `to_dict`.

Lists are per option or per criterion in input order; weights are normalised
(they sum to 1); a missing value (an option never first, a correlation with
no pairs to compare) is None in `to_dict`, NaN in the arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np


def _frozen(*arrays: np.ndarray) -> None:
    for array in arrays:
        if array.flags.writeable:
            array.setflags(write=False)


def _or_none(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _names(names: tuple[str, ...] | None) -> list[str] | None:
    return None if names is None else list(names)


@dataclass(frozen=True)
class CriterionInterval:
    """Criterion `name`'s weight can move within [lower, upper] and the top stays the same.

    `top_below` / `top_above`: the option(s) first just below `lower` / above
    `upper`; None where nothing changes all the way to 0 / 1.
    """

    name: str
    weight: float
    lower: float
    upper: float
    top_below: tuple[str, ...] | None
    top_above: tuple[str, ...] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "weight": self.weight,
            "lower": self.lower,
            "upper": self.upper,
            "top_below": _names(self.top_below),
            "top_above": _names(self.top_above),
        }


@dataclass(frozen=True)
class WeightSensitivity:
    """One-way weight intervals; `tolerance` 0 means the breakpoints are exact."""

    method: str
    normalization: str | None
    top: tuple[str, ...]
    criteria: tuple[CriterionInterval, ...]
    tolerance: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "top": list(self.top),
            "criteria": [c.to_dict() for c in self.criteria],
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True, eq=False)
class SmaaResult:
    """SMAA-2 descriptive measures.

    `acceptability[i, r]`: the share of samples in which option i holds rank
    r + 1 (tied options share their ranks equally). `central_weights[i]`: the
    mean weight vector over the samples where i ranks first (NaN if never).
    `confidence[i]`: the share of score samples in which i ranks first under
    its central weights (NaN if never first).
    """

    method: str
    normalization: str | None
    options: tuple[str, ...]
    criteria: tuple[str, ...]
    samples: int
    seed: int | None
    acceptability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray

    def __post_init__(self) -> None:
        _frozen(self.acceptability, self.central_weights, self.confidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "seed": self.seed,
            "acceptability": self.acceptability.tolist(),
            "central_weights": [None if np.isnan(row).any() else row.tolist() for row in self.central_weights],
            "confidence": [_or_none(c) for c in self.confidence],
        }


@dataclass(frozen=True, eq=False)
class Dominance:
    """`dominates[a, b]`: a is at least as good as b on every criterion and better on one.

    `benefit[i]` and `cost[i]` (for a chart): option i's weighted normalised
    score summed over the benefit criteria, and its weighted normalised
    amount summed over the cost criteria (0 at the criterion's lowest cost,
    its weight at the highest), so better options sit high on benefit and low on cost.
    """

    options: tuple[str, ...]
    dominates: np.ndarray
    benefit: np.ndarray
    cost: np.ndarray

    def __post_init__(self) -> None:
        _frozen(self.dominates, self.benefit, self.cost)

    @property
    def dominated_by(self) -> tuple[tuple[str, ...], ...]:
        return tuple(
            tuple(self.options[a] for a in np.flatnonzero(self.dominates[:, b])) for b in range(len(self.options))
        )

    @property
    def efficient(self) -> tuple[str, ...]:
        return tuple(self.options[i] for i in np.flatnonzero(~self.dominates.any(axis=0)))

    def to_dict(self) -> dict[str, Any]:
        return {"dominated_by": [list(d) for d in self.dominated_by], "efficient": list(self.efficient)}


@dataclass(frozen=True, eq=False)
class MethodComparison:
    """Each method's competition ranks (methods × options) and Kendall's τ-b between each pair.

    `skipped` names methods that could not rank this problem, with the reason
    (WPM needs every score > 0, for example).
    """

    methods: tuple[str, ...]
    ranks: np.ndarray
    kendall_tau: np.ndarray
    skipped: Mapping[str, str]

    def __post_init__(self) -> None:
        _frozen(self.ranks, self.kendall_tau)
        if not isinstance(self.skipped, MappingProxyType):
            object.__setattr__(self, "skipped", MappingProxyType(dict(self.skipped)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "methods": list(self.methods),
            "ranks": {name: self.ranks[a].tolist() for a, name in enumerate(self.methods)},
            "kendall_tau": {
                name: {other: _or_none(self.kendall_tau[a, b]) for b, other in enumerate(self.methods)}
                for a, name in enumerate(self.methods)
            },
            "skipped": dict(self.skipped),
        }
