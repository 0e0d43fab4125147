"""The weight sweep behind the chart: each option's score along one criterion's weight path."""

from __future__ import annotations

import numpy as np
import pytest

from optionsmatrix.analysis import AnalysisError, Problem, rank
from optionsmatrix.analysis.sensitivity import weight_sensitivity, weight_sweep


def _problem():
    return Problem.build(
        options=["A", "B", "C"],
        criteria=["Cost", "Reach", "Speed"],
        scores=np.array([[2.0, 5.0, 1.0], [4.0, 2.0, 4.0], [3.0, 3.0, 3.0]]),
        directions=["cost", "benefit", "benefit"],
        weights=np.array([2.0, 1.0, 1.0]),
        scales=[(1, 5)] * 3,
    )


@pytest.mark.parametrize("method", ["wsm", "topsis", "vikor", "promethee2"])
def test_each_point_of_the_sweep_is_the_ranking_at_those_weights(method):
    problem = _problem()
    sweep = weight_sweep(problem, method, 1, points=11)

    for t, row in zip(sweep.t, sweep.scores, strict=True):
        others = np.array([2.0, 0.0, 1.0]) / 3 * (1 - t)
        weights = others + np.array([0.0, t, 0.0])
        single = rank(Problem.build(options=problem.options, criteria=problem.criteria, scores=problem.scores,
                                    directions=["cost", "benefit", "benefit"], weights=weights,
                                    scales=[(1, 5)] * 3), method)  # fmt: skip
        np.testing.assert_allclose(row, single.scores, atol=1e-9)


def test_the_top_changes_at_the_reported_breakpoint_along_the_sweep():
    problem = _problem()
    interval = weight_sensitivity(problem, "wsm").criteria[1]
    sweep = weight_sweep(problem, "wsm", 1, points=1001)

    top = sweep.scores.argmax(axis=1)
    changes = sweep.t[1:][top[1:] != top[:-1]]
    assert any(abs(c - interval.upper) <= 1e-3 for c in changes) or interval.upper == 1


def test_an_unknown_criterion_is_refused():
    with pytest.raises(AnalysisError):
        weight_sweep(_problem(), "wsm", 3)
