"""One-way weight sensitivity: how far each criterion's weight can move before the top changes.

Criterion j's weight moves along t in [0, 1] while the others keep their
proportions and fill the rest, 1 − t (when j held all the weight, the others
share the rest equally). For each criterion this finds the interval around
its current weight within which the top-ranked option(s) stay the same, and
which option(s) rank first just beyond each end.

Exact where the score is a monotone function of a weighted sum Σ w_j u_ij
with u independent of the weights (WSM; WPM in logs; PROMETHEE II's
unicriterion net flows): every score is then a straight line in t and a
breakpoint is the crossing of two lines. Other methods (TOPSIS, VIKOR): a
grid of GRID_STEPS points on each side, then bisection of the first bracket
where the top differs, every criterion and side in one batched ranking per
step, until the bracket is narrower than TOLERANCE. A top that changes and
changes back between two grid points is missed (see docs/methods.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AnalysisError
from ..methods import method_spec, rank, rank_batch
from ..problem import Problem
from ..ranks import are_tied
from .results import CriterionInterval, WeightSensitivity

TOLERANCE = 1e-6
GRID_STEPS = 100
CHUNK_ELEMENTS = 2_000_000  # weighted tables of m × n numbers ranked at once, so memory stays bounded

# Methods whose score is g(Σ_j w_j u_ij) for a fixed u and increasing g, and g's inverse:
# scoring the unit weight vectors e_j recovers u through it.
LINEAR_IN_WEIGHTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "wsm": lambda scores: scores,
    "promethee2": lambda scores: scores,
    "wpm": lambda scores: np.log(scores),
}


def proportional_shares(weights: np.ndarray) -> np.ndarray:
    """Row j: how the weight criterion j gives up (or takes) is split among the others; (n, n), rows sum to 1."""
    n = weights.size
    shares = np.tile(weights, (n, 1))
    np.fill_diagonal(shares, 0.0)
    rest = shares.sum(axis=1, keepdims=True)
    if n > 1:
        equal = (1.0 - np.eye(n)) / (n - 1)
        shares = np.where(rest > 0, shares / np.where(rest > 0, rest, 1.0), equal)
    return shares


def path_weights(weights: np.ndarray, criterion: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Weight vectors with criterion[i] at t[i], the others in proportion: (len(t), n)."""
    n = weights.size
    shares = proportional_shares(weights)[criterion]
    return (1.0 - t)[:, None] * shares + t[:, None] * np.eye(n)[criterion]


def weight_sensitivity(
    problem: Problem,
    method: str,
    normalization: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> WeightSensitivity:
    """The interval of each criterion's weight within which the top option(s) stay first."""
    method_spec(method)
    current = rank(problem, method, normalization, params)
    top = current.ranks == 1
    w = problem.weights
    n = w.size
    names = problem.options
    if n == 1:  # a single criterion's weight is 1 whatever it is set to
        exact, lower, upper = True, np.zeros(1), np.ones(1)
        below: list[np.ndarray | None] = [None]
        above: list[np.ndarray | None] = [None]
    elif method in LINEAR_IN_WEIGHTS:
        exact = True
        lower, upper, below, above = _exact(problem, method, current.normalization, params, top)
    else:
        exact = False
        lower, upper, below, above = _bracketed(problem, method, current.normalization, params, top)

    def named(mask: np.ndarray | None) -> tuple[str, ...] | None:
        return None if mask is None else tuple(names[i] for i in np.flatnonzero(mask))

    criteria = tuple(
        CriterionInterval(
            name=problem.criteria[j],
            weight=float(w[j]),
            lower=float(lower[j]),
            upper=float(upper[j]),
            top_below=named(below[j]),
            top_above=named(above[j]),
        )
        for j in range(n)
    )
    return WeightSensitivity(
        method=method,
        normalization=current.normalization,
        top=named(top) or (),
        criteria=criteria,
        tolerance=0.0 if exact else TOLERANCE,
    )


# Exact: crossing lines ---------------------------------------------------------------


def _exact(
    problem: Problem, method: str, normalization: str | None, params: Mapping[str, Any] | None, top: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray | None], list[np.ndarray | None]]:
    """Every criterion and both sides at once: rows 0 … n − 1 move up, rows n … 2n − 1 move down."""
    w = problem.weights
    n = w.size
    unit = rank_batch(problem, method, np.eye(n), normalization, params).scores  # (n, m): e_j's scores
    u = LINEAR_IN_WEIGHTS[method](unit)  # (n, m): u[j, i] = u_ij
    intercept = proportional_shares(w) @ u  # (n, m): each score at t = 0 on criterion j's path
    slope = u - intercept
    at_t0 = intercept + slope * w[:, None]
    start = np.concatenate([at_t0, at_t0])
    rate = np.concatenate([slope, -slope])  # going down, a line rises at −slope
    room = np.concatenate([1.0 - w, w])
    distance, new_top = _first_crossings(start, rate, top, room)
    lower, upper = np.zeros(n), np.ones(n)
    below: list[np.ndarray | None] = [None] * n
    above: list[np.ndarray | None] = [None] * n
    for row in np.flatnonzero(np.isfinite(distance)):
        j = int(row % n)
        if row < n:
            upper[j], above[j] = w[j] + distance[row], new_top[row]
        else:
            lower[j], below[j] = w[j] - distance[row], new_top[row]
    return lower, upper, below, above


def _first_crossings(
    start: np.ndarray, rate: np.ndarray, top: np.ndarray, room: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lines start + rate·d (one row of lines per path), d in [0, room]: the first d at which the top set
    changes (inf if it does not) and the new top just beyond it (rows × options)."""
    top_rate = np.where(top, rate, -np.inf).max(axis=1, keepdims=True)
    leaders = top & are_tied(rate, top_rate)
    parting = (leaders != top).any(axis=1)  # tied at the start, and they part at once
    level = np.where(top, start, -np.inf).max(axis=1, keepdims=True)
    rising = ~top & (rate > top_rate) & ~are_tied(rate, top_rate)
    gap = np.where(rising, rate - top_rate, 1.0)
    distance = np.where(rising, (level - start) / gap, 2.0)  # 2 is beyond any room (and not inf − inf = nan)
    first = distance.min(axis=1, keepdims=True)
    crossing = rising & are_tied(distance, first)
    steepest = np.where(crossing, rate, -np.inf).max(axis=1, keepdims=True)
    overtaking = crossing & are_tied(rate, steepest)
    first = np.where(parting, 0.0, first[:, 0])
    new_top = np.where(parting[:, None], leaders, overtaking)
    first = np.where((first < room) & (room > 0), first, np.inf)
    return first, new_top


# Bracketed: grid, then bisection ----------------------------------------------------


def _tops(problem: Problem, method: str, normalization: str | None, params: Any, weights: np.ndarray) -> np.ndarray:
    """Who is first under each weight vector (k × m), in chunks of at most CHUNK_ELEMENTS numbers per table."""
    m, n = problem.scores.shape
    step = max(1, CHUNK_ELEMENTS // (m * n))
    return np.concatenate(
        [
            rank_batch(problem, method, weights[start : start + step], normalization, params).ranks == 1
            for start in range(0, weights.shape[0], step)
        ]
    )


def _bracketed(
    problem: Problem, method: str, normalization: str | None, params: Mapping[str, Any] | None, top: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray | None], list[np.ndarray | None]]:
    w = problem.weights
    n = w.size
    # Rows: criterion j, side s (0 up, 1 down); room is how far t can go on that side.
    criterion = np.repeat(np.arange(n), 2)
    sign = np.tile([1.0, -1.0], n)
    t0 = w[criterion]
    room = np.where(sign > 0, 1.0 - t0, t0)

    def tops_at(rows: np.ndarray, distance: np.ndarray) -> np.ndarray:
        t = np.clip(t0[rows] + sign[rows] * distance, 0.0, 1.0)
        return _tops(problem, method, normalization, params, path_weights(w, criterion[rows], t))

    steps = np.arange(1, GRID_STEPS + 1) / GRID_STEPS
    rows = np.repeat(np.arange(2 * n), GRID_STEPS)
    grid = np.tile(steps, 2 * n) * room[rows]
    changed = (tops_at(rows, grid) != top).any(axis=1).reshape(2 * n, GRID_STEPS)
    found = changed.any(axis=1) & (room > 0)
    first = changed.argmax(axis=1)
    inside = np.where(first > 0, steps[np.maximum(first - 1, 0)], 0.0) * room
    outside = steps[first] * room
    active = np.flatnonzero(found)
    while active.size and (outside[active] - inside[active]).max() > TOLERANCE:
        middle = (inside[active] + outside[active]) / 2
        moved = (tops_at(active, middle) != top).any(axis=1)
        outside[active] = np.where(moved, middle, outside[active])
        inside[active] = np.where(moved, inside[active], middle)
        active = active[outside[active] - inside[active] > TOLERANCE]
    beyond = tops_at(np.arange(2 * n), outside)
    lower, upper = np.zeros(n), np.ones(n)
    below: list[np.ndarray | None] = [None] * n
    above: list[np.ndarray | None] = [None] * n
    for row in np.flatnonzero(found):
        j = int(criterion[row])
        point = t0[row] + sign[row] * (inside[row] + outside[row]) / 2
        if sign[row] > 0:
            upper[j], above[j] = point, beyond[row]
        else:
            lower[j], below[j] = point, beyond[row]
    return lower, upper, below, above


@dataclass(frozen=True, eq=False)
class WeightSweep:
    """Each option's score as criterion `criterion`'s weight runs from 0 to 1 (the others in proportion)."""

    criterion: str
    t: np.ndarray  # (k,) the swept weight
    scores: np.ndarray  # (k, m)
    higher_is_better: bool


def weight_sweep(
    problem: Problem,
    method: str,
    criterion: int,
    normalization: str | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    points: int = 51,
) -> WeightSweep:
    """One batched ranking of `points` weight vectors along criterion `criterion`'s path (for the sweep chart)."""
    n = problem.weights.size
    if not 0 <= criterion < n:
        raise AnalysisError(f"there is no criterion {criterion}; the problem has {n}", "criterion", code="no_criterion")
    t = np.linspace(0.0, 1.0, points)
    w = problem.weights / problem.weights.sum()
    batch = rank_batch(problem, method, path_weights(w, np.full(points, criterion), t), normalization, params)
    return WeightSweep(problem.criteria[criterion], t, batch.scores, batch.higher_is_better)
