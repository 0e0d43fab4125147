"""TOPSIS (Hwang & Yoon 1981): closeness to the ideal option.

v_ij = w_j r_ij; the ideal takes each criterion's best weighted value, the
anti-ideal its worst; d⁺ and d⁻ are Euclidean distances to them and the
score is the relative closeness C = d⁻ / (d⁺ + d⁻), in [0, 1].
"""

from __future__ import annotations

import numpy as np

from ..normalize import column_lengths, minmax, vector
from ..problem import Problem
from .spec import MethodInput, MethodOutput, MethodSpec

NORMALIZATIONS = ("vector", "minmax")
UNSEPARATED_CLOSENESS = 0.5


def default_normalization(_problem: Problem) -> str:
    return "vector"


def _distances(weighted: np.ndarray, point: np.ndarray) -> np.ndarray:
    """(k, m) distances from each option's weighted row to one point per weight vector (k, n)."""
    gap = weighted - point[:, None, :]
    return np.sqrt(np.einsum("kmn,kmn->km", gap, gap))


def closeness(
    weighted: np.ndarray, ideal: np.ndarray, anti_ideal: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (closeness, d⁺, d⁻, unseparated mask), each (k, m).

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


def run(given: MethodInput) -> MethodOutput:
    problem = given.problem
    scores, is_benefit = given.scores, problem.is_benefit
    warnings: tuple[str, ...] = ()
    if given.normalization == "vector":
        norms = column_lengths(scores)  # (1 or k, 1, n)
        if (norms == 0).any():
            vector(scores, problem.criteria)  # raises the error that names the criterion
        # One pass: x · (w / ‖x‖) is the weighted normalised matrix.
        weighted = scores * (given.weights[:, None, :] / norms)  # (k, m, n)
        normalized = (scores / norms)[0] if given.explain else None
        # Cost criteria are not turned around: the ideal takes their minimum.
        best_is_max = is_benefit
    else:
        result = minmax(scores, is_benefit, problem.criteria)
        warnings = result.warnings
        weighted = result.values * given.weights[:, None, :]
        normalized = result.values[0]
        best_is_max = np.ones_like(is_benefit)  # min–max already turned every cost criterion around
    column_max, column_min = weighted.max(axis=1), weighted.min(axis=1)
    ideal = np.where(best_is_max, column_max, column_min)
    anti_ideal = np.where(best_is_max, column_min, column_max)
    score, to_ideal, to_anti, unseparated = closeness(weighted, ideal, anti_ideal)
    if not given.single:
        return MethodOutput(score)
    warnings += _unseparated_warnings(problem, unseparated[0])
    details = {"distance_to_ideal": to_ideal[0], "distance_to_anti_ideal": to_anti[0]}
    steps: dict[str, np.ndarray] = {}
    if given.explain:
        steps = {
            "normalized": normalized,
            "weighted": weighted[0],
            "ideal": ideal[0],
            "anti_ideal": anti_ideal[0],
            "distance_to_ideal": to_ideal[0],
            "distance_to_anti_ideal": to_anti[0],
        }
    return MethodOutput(score, details, steps, warnings)


def _unseparated_warnings(problem: Problem, unseparated: np.ndarray) -> tuple[str, ...]:
    # With one option the single-option warning says all there is to say.
    if not unseparated.any() or problem.scores.shape[0] == 1:
        return ()
    if unseparated.all():
        return (
            "every option has the same weighted values on every criterion, so TOPSIS cannot separate them; "
            f"each gets closeness {UNSEPARATED_CLOSENESS}",
        )
    names = ", ".join(f"'{problem.options[i]}'" for i in np.flatnonzero(unseparated))
    return (
        f"options {names} sit at distance 0 from both the ideal and the anti-ideal; they get closeness "
        f"{UNSEPARATED_CLOSENESS}",
    )


SPEC = MethodSpec(
    name="topsis",
    label="TOPSIS (closeness to the ideal option)",
    score_label="closeness",
    higher_is_better=True,
    run=run,
    order=30,
    normalizations=NORMALIZATIONS,
    default_normalization=default_normalization,
    step_titles={
        "normalized": ("Normalised scores r", "Before weighting."),
        "weighted": (
            "Weighted normalised scores v = w × r",
            "The ideal takes each criterion's best v, the anti-ideal its worst.",
        ),
        "per_criterion": ("Ideal and anti-ideal points", "Best and worst weighted value on each criterion."),
        "per_option": ("Distances to the ideal and anti-ideal", "Closeness = d⁻ / (d⁺ + d⁻)."),
    },
)
