"""From method scores to ranks, and the `Ranking` result every method returns.

Tie rule: two scores are tied when they differ by at most 1e-9 relative to
the larger magnitude, or 1e-9 absolute when both magnitudes are below 1.
Scores are compared with their neighbour in sorted order, so ties chain.
Tied options share the best rank of their group (competition ranking:
1, 2, 2, 4) and `order` lists them in input order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

TIE_TOLERANCE = 1e-9
SINGLE_OPTION_WARNING = "there is only one option, so it ranks first by default; add options to compare"


def are_tied(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | bool:
    """The tie rule on two scores (or arrays of them)."""
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return np.abs(np.subtract(a, b)) <= TIE_TOLERANCE * scale


def tied(a: float, b: float) -> bool:
    """The tie rule on two Python floats: `are_tied`'s arithmetic without numpy's cost per call."""
    return abs(a - b) <= TIE_TOLERANCE * max(1.0, abs(a), abs(b))


@dataclass(frozen=True, eq=False)
class RankOrder:
    ranks: np.ndarray  # int, 1 = best, per option in input order
    order: np.ndarray  # option indices, best first; ties in input order


def competition_ranks(scores: np.ndarray, higher_is_better: bool = True) -> RankOrder:
    """Rank scores with the tie rule above; vectorised (one sort, one diff)."""
    m = scores.shape[0]
    keys = -scores if higher_is_better else scores
    by_score = np.argsort(keys, kind="stable")
    ordered = scores[by_score]
    # are_tied on sorted neighbours, each magnitude taken once.
    magnitude = np.abs(ordered)
    scale = np.maximum(1.0, np.maximum(magnitude[1:], magnitude[:-1]))
    tied_to_previous = np.abs(ordered[1:] - ordered[:-1]) <= TIE_TOLERANCE * scale
    ranks = np.empty(m, dtype=np.int64)
    if not tied_to_previous.any():  # the usual case: sorted order is the ranking
        ranks[by_score] = np.arange(1, m + 1)
        return RankOrder(ranks, by_score)
    # Each sorted position takes the first position of its group: competition rank - 1.
    first = np.maximum.accumulate(np.where(np.concatenate(([False], tied_to_previous)), 0, np.arange(m)))
    ranks[by_score] = first + 1
    # Within a group, list options in input order (a near-tie may have sorted them otherwise):
    # sort by (group, option index), packed into one integer.
    order = np.sort(first * m + by_score) % m
    return RankOrder(ranks, order)


def competition_ranks_batch(scores: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Competition ranks (k × m) of each row of `scores` (k × m), with the same tie rule, in one pass."""
    k, m = scores.shape
    keys = -scores if higher_is_better else scores
    by_score = np.argsort(keys, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, by_score, axis=1)
    new_group = np.ones((k, m), dtype=bool)
    new_group[:, 1:] = ~are_tied(ordered[:, 1:], ordered[:, :-1])
    # Each sorted position takes the rank of the first position of its group.
    first_of_group = np.maximum.accumulate(np.where(new_group, np.arange(m), 0), axis=1)
    ranks = np.empty((k, m), dtype=np.int64)
    np.put_along_axis(ranks, by_score, first_of_group + 1, axis=1)
    return ranks


def _frozen(array: np.ndarray) -> np.ndarray:
    if array.flags.writeable:
        array.setflags(write=False)
    return array


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True, eq=False)
class Ranking:
    """The outcome of one method on one problem.

    `scores` are the method's own scores (higher better unless
    `higher_is_better` is False, as for VIKOR's Q). `details` holds the
    method's headline intermediates, `steps` the full worked tables when
    asked to explain (see docs/methods.md for what each table means).
    """

    method: str
    normalization: str | None
    higher_is_better: bool
    options: tuple[str, ...]
    criteria: tuple[str, ...]
    scores: np.ndarray
    ranks: np.ndarray
    order: tuple[str, ...]
    details: Mapping[str, np.ndarray | tuple[str, ...]]
    steps: Mapping[str, np.ndarray]
    warnings: tuple[str, ...]

    def __post_init__(self) -> None:
        for value in (self.scores, self.ranks, *self.details.values(), *self.steps.values()):
            if isinstance(value, np.ndarray):
                _frozen(value)
        if not isinstance(self.details, MappingProxyType):
            object.__setattr__(self, "details", MappingProxyType(dict(self.details)))
        if not isinstance(self.steps, MappingProxyType):
            object.__setattr__(self, "steps", MappingProxyType(dict(self.steps)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: only lists, floats, ints, strings, bools and None."""
        return {
            "method": self.method,
            "normalization": self.normalization,
            "higher_is_better": self.higher_is_better,
            "options": list(self.options),
            "criteria": list(self.criteria),
            "scores": self.scores.tolist(),
            "ranks": self.ranks.tolist(),
            "order": list(self.order),
            "details": {name: _plain(value) for name, value in self.details.items()},
            "steps": {name: _plain(value) for name, value in self.steps.items()},
            "warnings": list(self.warnings),
        }
