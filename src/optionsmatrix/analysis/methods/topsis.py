"""TOPSIS (Hwang & Yoon 1981): closeness to the ideal option.

v_ij = w_j r_ij; the ideal takes each criterion's best weighted value, the
anti-ideal its worst; d⁺ and d⁻ are Euclidean distances to them and the
score is the relative closeness C = d⁻ / (d⁺ + d⁻), in [0, 1].
"""

from __future__ import annotations

import numpy as np

from ..normalize import column_lengths, minmax, vector
from ..problem import Problem
from .spec import MethodInput, MethodOutput, MethodSpec, weighted_sum

NORMALIZATIONS = ("vector", "minmax")
UNSEPARATED_CLOSENESS = 0.5


def default_normalization(_problem: Problem) -> str:
    return "vector"


def closeness(to_ideal: np.ndarray, to_anti: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (closeness d⁻ / (d⁺ + d⁻), unseparated mask), both (k, m).

    An option at distance 0 from both points (every option is identical on
    every weighted criterion) has no defined closeness; it gets 0.5, halfway,
    rather than 0/0.
    """
    total = to_ideal + to_anti
    unseparated = total == 0
    if unseparated.any():
        result = np.full_like(total, UNSEPARATED_CLOSENESS)
        np.divide(to_anti, total, out=result, where=~unseparated)
    else:
        result = to_anti / total
    return result, unseparated


def run(given: MethodInput) -> MethodOutput:
    problem = given.problem
    scores, is_benefit = given.scores, problem.is_benefit
    warnings: tuple[str, ...] = ()
    if given.normalization == "vector":
        norms = column_lengths(scores)  # (1 or k, 1, n)
        if (norms == 0).any():
            vector(scores, problem.criteria)  # raises the error that names the criterion
        normalized = scores / norms
        # Cost criteria are not turned around: the ideal takes their minimum.
        best_is_max = is_benefit
    else:
        result = minmax(scores, is_benefit, problem.criteria)
        warnings = result.warnings
        normalized = result.values
        best_is_max = np.ones_like(is_benefit)  # min–max already turned every cost criterion around
    column_max, column_min = normalized.max(axis=1), normalized.min(axis=1)  # (1 or k, n)
    best = np.where(best_is_max, column_max, column_min)
    worst = np.where(best_is_max, column_min, column_max)
    # Weights are non-negative, so the weighted ideal is w_j times the best normalised value and
    # d⁺² = Σ_j w_j² (r_ij − r*_j)²: with one shared score table, one matrix product per batch
    # instead of a k × m × n weighted table.
    squared_weights = given.weights**2
    to_ideal = np.sqrt(weighted_sum((normalized - best[:, None, :]) ** 2, squared_weights))
    to_anti = np.sqrt(weighted_sum((normalized - worst[:, None, :]) ** 2, squared_weights))
    score, unseparated = closeness(to_ideal, to_anti)
    if not given.single:
        return MethodOutput(score)
    warnings += _unseparated_warnings(problem, unseparated[0])
    details = {"distance_to_ideal": to_ideal[0], "distance_to_anti_ideal": to_anti[0]}
    steps: dict[str, np.ndarray] = {}
    if given.explain:
        weights = given.weights[0]
        steps = {
            "normalized": normalized[0],
            "weighted": normalized[0] * weights,
            "ideal": best[0] * weights,
            "anti_ideal": worst[0] * weights,
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
