"""Dominance on hand-made cases (directions included), and methods side by side with Kendall's τ-b."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from optionsmatrix.analysis import METHOD_NAMES, Problem, rank
from optionsmatrix.analysis.sensitivity import compare_methods, dominance, kendall_tau_b


def _problem(scores, directions, weights=None, scales=None) -> Problem:  # noqa: ANN001
    scores = np.asarray(scores, dtype=float)
    m, n = scores.shape
    return Problem.build(
        [f"o{i}" for i in range(m)], [f"c{j}" for j in range(n)], scores, directions, weights or [1.0] * n, scales
    )


def test_a_dominated_option_names_every_option_that_dominates_it():
    # o0 beats o2 everywhere; o1 equals o2 on c0 and beats it on c1; o3 equals o0 (neither dominates).
    problem = _problem([[5, 5], [3, 6], [3, 4], [5, 5]], ["benefit", "benefit"])

    result = dominance(problem)

    assert result.dominated_by == ((), (), ("o0", "o1", "o3"), ())
    assert result.efficient == ("o0", "o1", "o3")
    assert result.to_dict() == {"dominated_by": [[], [], ["o0", "o1", "o3"], []], "efficient": ["o0", "o1", "o3"]}


def test_on_a_cost_criterion_less_is_better():
    # Cost on c1: o1 costs less with the same benefit, so o1 dominates o0 — the reverse of all-benefit.
    scores = [[5, 4], [5, 2]]

    assert dominance(_problem(scores, ["benefit", "cost"])).dominated_by == (("o1",), ())
    assert dominance(_problem(scores, ["benefit", "benefit"])).dominated_by == ((), ("o0",))


def test_options_that_trade_off_are_all_efficient():
    result = dominance(_problem([[1, 9], [5, 5], [9, 1]], ["benefit", "benefit"]))

    assert result.efficient == ("o0", "o1", "o2")
    assert not result.dominates.any()


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_no_method_ranks_a_dominated_option_above_its_dominator(method):
    rng = np.random.default_rng(5)
    scores = rng.integers(1, 6, size=(8, 3)).astype(float)
    problem = _problem(scores, ["benefit", "cost", "benefit"], list(rng.uniform(0.1, 1, 3)), [(1, 5)] * 3)
    result = dominance(problem)
    ranks = rank(problem, method).ranks

    for a, b in zip(*np.nonzero(result.dominates), strict=True):
        assert ranks[a] <= ranks[b]


def test_benefit_and_cost_for_the_chart_are_weighted_normalised_sums():
    # Scales 0–10; weights 0.5 benefit, 0.25 + 0.25 cost.
    problem = _problem([[8, 2, 10], [4, 6, 0]], ["benefit", "cost", "cost"], [2, 1, 1], [(0, 10)] * 3)

    result = dominance(problem)

    assert_allclose(result.benefit, [0.5 * 0.8, 0.5 * 0.4])
    assert_allclose(result.cost, [0.25 * 0.2 + 0.25 * 1.0, 0.25 * 0.6 + 0.0])


# Kendall's τ-b ------------------------------------------------------------------------


def test_tau_b_with_ties_worked_by_hand():
    """x = (1, 2, 2, 4), y = (1, 3, 2, 3): of the 6 pairs, x ties (2,3) and y ties (2,4).

    Pairs (i, j): (1,2) c, (1,3) c, (1,4) c, (2,3) x-tied, (2,4) y-tied, (3,4) c: n_c = 4, n_d = 0;
    n₁ = n₂ = 1, so τ_b = 4 / √(5 · 5) = 0.8.
    """
    tau = kendall_tau_b(np.array([[1, 2, 2, 4], [1, 3, 2, 3]]))

    assert_allclose(tau, [[1.0, 0.8], [0.8, 1.0]])


def test_tau_b_matches_scipy_on_random_rankings_with_ties():
    kendalltau = pytest.importorskip("scipy.stats").kendalltau  # scipy comes with pymcdm
    rng = np.random.default_rng(0)
    for _ in range(50):
        x, y = rng.integers(1, 5, size=(2, 9))
        expected = kendalltau(x, y, variant="b").statistic
        assert_allclose(kendall_tau_b(np.array([x, y]))[0, 1], expected, rtol=1e-12)


def test_tau_b_is_undefined_when_a_ranking_ties_everything():
    tau = kendall_tau_b(np.array([[1, 1, 1], [1, 2, 3]]))

    assert np.isnan(tau[0, 1]) and np.isnan(tau[0, 0])
    assert tau[1, 1] == 1.0
    assert kendall_tau_b(np.array([[1, 2, 3], [3, 2, 1]]))[0, 1] == -1.0


def test_every_method_side_by_side_with_its_own_ranks():
    problem = _problem(
        [[3, 4, 5], [2, 5, 1], [4, 3, 4]], ["cost", "benefit", "benefit"], [2, 1, 1], [(1, 5), (1, 5), (0, 10)]
    )

    result = compare_methods(problem)

    assert result.methods == METHOD_NAMES
    for a, method in enumerate(METHOD_NAMES):
        assert_array_equal(result.ranks[a], rank(problem, method).ranks)
    assert_allclose(np.diag(result.kendall_tau), 1.0)
    assert_allclose(result.kendall_tau, result.kendall_tau.T)
    # WSM [2, 1, 3] against TOPSIS [1, 2, 3]: one discordant pair of three, τ = 1/3.
    wsm, topsis = METHOD_NAMES.index("wsm"), METHOD_NAMES.index("topsis")
    assert_allclose(result.kendall_tau[wsm, topsis], 1 / 3)


def test_a_method_that_cannot_rank_the_problem_is_skipped_with_its_reason():
    problem = _problem([[0, 4], [2, 5]], ["benefit", "benefit"], scales=[(0, 5), (0, 5)])

    result = compare_methods(problem)

    assert "wpm" not in result.methods
    assert "must be > 0" in result.skipped["wpm"]
    assert result.ranks.shape == (len(METHOD_NAMES) - 1, 2)
