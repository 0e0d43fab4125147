"""Dominance: which options another option beats or equals on every criterion.

Option a dominates b when, after direction (higher is better on a benefit
criterion, lower on a cost), a is no worse than b on any criterion and
better on at least one. The efficient (Pareto) set is the options nobody
dominates. Raw scores are compared exactly: dominance needs no weights and
no normalisation, so no ranking method can put a dominated option above
every one of its dominators.
"""

from __future__ import annotations

import numpy as np

from ..normalize import minmax, scale
from ..problem import Problem
from .results import Dominance


def dominance(problem: Problem) -> Dominance:
    oriented = problem.scores * np.where(problem.is_benefit, 1.0, -1.0)  # higher is better everywhere
    at_least = (oriented[:, None, :] >= oriented[None, :, :]).all(axis=2)
    better_once = (oriented[:, None, :] > oriented[None, :, :]).any(axis=2)
    benefit, cost = benefit_and_cost(problem)
    return Dominance(problem.options, at_least & better_once, benefit, cost)


def benefit_and_cost(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Weighted normalised benefit and cost per option (see Dominance).

    Normalised as WSM does by default: on the declared scales when every
    criterion has one, else on the observed range.
    """
    if problem.scale_bounds is not None:
        goodness = scale(problem.scores, problem.is_benefit, problem.scale_bounds).values
    else:
        goodness = minmax(problem.scores, problem.is_benefit).values
    weighted = goodness * problem.weights
    benefit = weighted[:, problem.is_benefit].sum(axis=1)
    # For a cost criterion `goodness` is turned around; 1 − goodness is the amount of cost.
    cost = ((1.0 - goodness) * problem.weights)[:, ~problem.is_benefit].sum(axis=1)
    return benefit, cost
