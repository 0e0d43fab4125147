"""Competition ranking with a tolerance for ties."""

from __future__ import annotations

import numpy as np

from optionsmatrix.analysis import competition_ranks


def ranks_of(scores, higher_is_better=True):
    result = competition_ranks(np.array(scores, dtype=float), higher_is_better)
    return result.ranks.tolist(), result.order.tolist()


def test_tied_scores_share_the_best_rank_of_their_group():
    assert ranks_of([0.9, 0.5, 0.5, 0.1]) == ([1, 2, 2, 4], [0, 1, 2, 3])


def test_lower_is_better_ranks_the_smallest_first():
    assert ranks_of([0.3, 0.0, 1.0], higher_is_better=False) == ([2, 1, 3], [1, 0, 2])


def test_ties_are_listed_in_input_order_even_when_a_near_tie_sorted_them_otherwise():
    ranks, order = ranks_of([0.5, 0.5 + 1e-12, 0.1])
    assert ranks == [1, 1, 3]
    assert order == [0, 1, 2]


def test_scores_within_one_billionth_relative_are_tied_above_magnitude_one():
    assert ranks_of([1e6, 1e6 + 1e-4])[0] == [1, 1]  # 1e-10 relative
    assert ranks_of([1e6, 1e6 + 1e-2])[0] == [2, 1]  # 1e-8 relative


def test_scores_within_one_billionth_absolute_are_tied_below_magnitude_one():
    assert ranks_of([0.0, 5e-10])[0] == [1, 1]
    assert ranks_of([0.0, 2e-9])[0] == [2, 1]
    assert ranks_of([-0.2, -0.2 - 5e-10], higher_is_better=False)[0] == [1, 1]


def test_every_option_tied_ranks_all_first():
    assert ranks_of([0.5, 0.5, 0.5]) == ([1, 1, 1], [0, 1, 2])


def test_a_single_option_ranks_first():
    assert ranks_of([42.0]) == ([1], [0])
