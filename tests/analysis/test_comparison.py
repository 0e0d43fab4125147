"""Rankings side by side (analysis/comparison.py): ranks among the compared options, τ-b, the largest moves."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.analysis.comparison import compare_rankings


def test_ties_share_a_rank_and_tau_b_counts_them_as_in_the_hand_computation():
    """Scores (1, .75, .5, .25) and (.75, 1, .25, .25): ranks (1,2,3,4) and (2,1,3,3).

    Pairs: one discordant (A/B), four concordant, C/D tied in the second: τ-b = 3 / √(6·5).
    """
    found = compare_rankings(np.array([[1.0, 0.75, 0.5, 0.25], [0.75, 1.0, 0.25, 0.25]]), [True, True])

    assert_array_equal(found.ranks, [[1, 2, 3, 4], [2, 1, 3, 3]])
    assert_allclose(found.tau_b[0, 1], 3 / math.sqrt(30))
    assert_array_equal(found.spread, [1, 1, 0, 1])
    assert_array_equal(found.order, [0, 1, 3, 2])  # spread, then mean rank (A, B: 1.5; D: 3.5), then input order


def test_a_lower_is_better_column_ranks_its_smallest_score_first():
    found = compare_rankings(np.array([[3.0, 2.0, 1.0], [0.1, 0.5, 0.9]]), [True, False])

    assert_array_equal(found.ranks, [[1, 2, 3], [1, 2, 3]])
    assert_allclose(found.tau_b[0, 1], 1.0)
    assert_array_equal(found.spread, [0, 0, 0])


def test_an_absent_column_is_left_out_of_ranks_tau_and_spread():
    scores = np.array([[3.0, 2.0, 1.0], [np.nan, np.nan, np.nan], [1.0, 2.0, 3.0]])

    found = compare_rankings(scores, [True, True, True], [True, False, True])

    assert_array_equal(found.ranks[1], [0, 0, 0])
    assert math.isnan(found.tau_b[0, 1]) and math.isnan(found.tau_b[1, 2])
    assert_allclose(found.tau_b[0, 2], -1.0)
    assert_array_equal(found.spread, [2, 0, 2])


def test_one_present_column_moves_nothing():
    found = compare_rankings(np.array([[2.0, 1.0], [np.nan, np.nan]]), [True, True], [True, False])

    assert_array_equal(found.spread, [0, 0])
    assert_array_equal(found.order, [0, 1])


def test_a_ranking_that_ties_everything_has_no_tau():
    found = compare_rankings(np.array([[1.0, 1.0, 1.0], [3.0, 2.0, 1.0]]), [True, True])

    assert math.isnan(found.tau_b[0, 1])


def test_permuting_the_options_permutes_the_ranks_and_keeps_tau():
    rng = np.random.default_rng(7)
    scores = rng.random((4, 6))
    perm = rng.permutation(6)

    plain, permuted = compare_rankings(scores, [True] * 4), compare_rankings(scores[:, perm], [True] * 4)

    assert_array_equal(permuted.ranks, plain.ranks[:, perm])
    assert_allclose(permuted.tau_b, plain.tau_b)


@pytest.mark.parametrize(
    ("scores", "better", "present"),
    [([1.0, 2.0], [True], None), ([[1.0, 2.0]], [True, False], None), ([[1.0, np.inf]], [True], None)],
)
def test_malformed_input_is_an_analysis_error(scores, better, present):
    with pytest.raises(AnalysisError):
        compare_rankings(np.array(scores), better, present)
