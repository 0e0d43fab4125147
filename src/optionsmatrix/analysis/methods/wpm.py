"""Weighted product model (WPM): score_i = Π_j r_ij^w_j.

Computed as exp(Σ_j w_j log r_ij): the same number, without the underflow a
long product of small factors would suffer. Because the weights sum to 1 the
score is a weighted geometric mean, so it stays within the range of the r_ij.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import AnalysisError, number
from ..normalize import sum_
from ..problem import Problem
from ._common import MethodOutput

NORMALIZATIONS = ("none", "sum")


def default_normalization(problem: Problem) -> str:
    return "none"


def weighted_product(log_ratios: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Scores from log r_ij: exp(Σ_j w_j log r_ij)."""
    return np.exp(log_ratios @ weights)


def run(problem: Problem, normalization: str, params: Mapping[str, Any], explain: bool) -> MethodOutput:
    scores = problem.scores
    not_positive = scores <= 0
    if not_positive.any():
        i, j = (int(k) for k in np.argwhere(not_positive)[0])
        raise AnalysisError(
            f"method 'wpm' multiplies scores, so every score must be > 0; criterion '{problem.criteria[j]}' has "
            f"{number(scores[i, j])} for option '{problem.options[i]}'",
            f"scores[{i}][{j}]",
        )
    if normalization == "none":
        # r = x for a benefit, 1/x for a cost: log r = ±log x. Folding the sign
        # into the weights keeps this to one log and one matrix-vector product.
        sign = np.where(problem.is_benefit, 1.0, -1.0)
        logs = np.log(scores)
        result = weighted_product(logs, problem.weights * sign)
        if not explain:
            return MethodOutput(result)
        ratios = np.where(problem.is_benefit, scores, 1.0 / scores)
        log_ratios = logs * sign
    else:
        ratios = sum_(scores, problem.is_benefit, problem.criteria).values
        log_ratios = np.log(ratios)
        result = weighted_product(log_ratios, problem.weights)
        if not explain:
            return MethodOutput(result)
    # weighted[i, j] = r_ij^w_j: the factors whose product is the score.
    steps = {"normalized": ratios, "weighted": np.exp(log_ratios * problem.weights)}
    return MethodOutput(result, steps=steps)
