"""Weighted product model (WPM): score_i = Π_j r_ij^w_j.

Computed as exp(Σ_j w_j log r_ij): the same number, without the underflow a
long product of small factors would suffer. Because the weights sum to 1 the
score is a weighted geometric mean, so it stays within the range of the r_ij.
"""

from __future__ import annotations

import numpy as np

from ..errors import AnalysisError, number
from ..normalize import sum_
from ..problem import Problem
from .spec import MethodInput, MethodOutput, MethodSpec, weighted_sum

NORMALIZATIONS = ("none", "sum")


def default_normalization(_problem: Problem) -> str:
    return "none"


def run(given: MethodInput) -> MethodOutput:
    problem = given.problem
    scores = given.scores
    not_positive = scores <= 0
    if not_positive.any():
        i, j = (int(k) for k in np.argwhere(not_positive)[0][-2:])
        raise AnalysisError(
            f"method 'wpm' multiplies scores, so every score must be > 0; criterion '{problem.criteria[j]}' has "
            f"{number(scores[not_positive][0])} for option '{problem.options[i]}'",
            f"scores[{i}][{j}]",
            code="score_not_positive",
        )
    if given.normalization == "none":
        # r = x for a benefit, 1/x for a cost: log r = ±log x.
        log_ratios = np.log(scores) * np.where(problem.is_benefit, 1.0, -1.0)
    else:
        log_ratios = np.log(sum_(scores, problem.is_benefit, problem.criteria).values)
    result = np.exp(weighted_sum(log_ratios, given.weights))  # (k, m)
    if not (given.single and given.explain):
        return MethodOutput(result)
    # weighted[i, j] = r_ij^w_j: the factors whose product is the score.
    steps = {"normalized": np.exp(log_ratios[0]), "weighted": np.exp(log_ratios[0] * given.weights[0])}
    return MethodOutput(result, steps=steps)


SPEC = MethodSpec(
    name="wpm",
    label="Weighted product (WPM)",
    score_label="score",
    higher_is_better=True,
    run=run,
    order=20,
    normalizations=NORMALIZATIONS,
    default_normalization=default_normalization,
    step_titles={
        "normalized": (
            "Ratios r",
            "The score for a benefit, its reciprocal for a cost (shares of the column total with 'sum').",
        ),
        "weighted": ("Factors r^w", "Each row multiplies out to the option's score."),
    },
)
