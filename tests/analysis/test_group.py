"""Group aggregation, spread and concordance, against hand-worked examples and a plain-numpy oracle."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.analysis.group import (
    aggregate,
    aggregate_weights,
    average_ranks,
    complete_ballots,
    kendall_w,
    rank_distribution,
    spread,
)


def _ballots_with_holes(seed: int, p: int = 7, m: int = 4, n: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(p, m, n)).astype(float)
    values[rng.random((p, m, n)) < 0.3] = np.nan
    values[:, 0, 0] = np.nan  # a cell nobody scored
    values[1:, 1, 1] = np.nan  # a cell one ballot scored
    return values


def _oracle(values: np.ndarray, statistic) -> np.ndarray:  # noqa: ANN001
    """The same statistic cell by cell, in plain Python over plain lists: slow, obviously right."""
    p, m, n = values.shape
    out = np.full((m, n), np.nan)
    for i in range(m):
        for j in range(n):
            cell = [float(v) for v in values[:, i, j] if not np.isnan(v)]
            if cell:
                out[i, j] = statistic(cell)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_mean_median_and_geometric_match_a_cell_by_cell_oracle(seed):
    values = _ballots_with_holes(seed)

    assert_allclose(aggregate(values, "mean"), _oracle(values, lambda c: sum(c) / len(c)), equal_nan=True)
    assert_allclose(aggregate(values, "median"), _oracle(values, lambda c: float(np.median(c))), equal_nan=True)
    geometric = _oracle(values, lambda c: float(np.prod(c)) ** (1 / len(c)))
    assert_allclose(aggregate(values, "geometric"), geometric, equal_nan=True)


@pytest.mark.parametrize("seed", range(6))
def test_spread_is_the_sample_sd_and_the_linear_iqr_of_each_cell(seed):
    values = _ballots_with_holes(seed)

    result = spread(values)

    def sd(c):  # noqa: ANN001, ANN202
        mean = sum(c) / len(c)
        return (sum((x - mean) ** 2 for x in c) / (len(c) - 1)) ** 0.5 if len(c) >= 2 else np.nan

    def iqr(c):  # noqa: ANN001, ANN202
        return float(np.percentile(c, 75) - np.percentile(c, 25)) if len(c) >= 2 else np.nan

    assert_allclose(result.sd, _oracle(values, sd), equal_nan=True)
    assert_allclose(result.iqr, _oracle(values, iqr), equal_nan=True)
    assert_array_equal(result.counts, (~np.isnan(values)).sum(axis=0))
    assert np.isnan(result.sd[1, 1]) and np.isnan(result.sd[0, 0])


def test_the_geometric_mean_needs_scores_above_zero():
    with pytest.raises(AnalysisError) as caught:
        aggregate(np.array([[[0.0, 2.0]], [[1.0, 2.0]]]), "geometric")

    assert caught.value.code == "geometric_needs_positive" and caught.value.field == "aggregation"


def test_group_weights_scale_each_ballot_to_one_then_the_aggregate_to_one():
    weights = np.array([[1.0, 1.0, 2.0], [3.0, 0.0, 1.0], [np.nan, 1.0, 1.0], [0.0, 0.0, 0.0]])

    mean = aggregate_weights(weights, "mean")

    # Ballots 3 (incomplete) and 4 (all zero) are left out.
    assert_allclose(mean, (np.array([0.25, 0.25, 0.5]) + np.array([0.75, 0.0, 0.25])) / 2)
    assert_allclose(aggregate_weights(weights, "median"), mean)  # two ballots: the median is the mean
    assert aggregate_weights(np.array([[np.nan, 1.0]]), "mean") is None


def test_complete_ballots_score_every_cell_and_weight_every_criterion():
    scores = np.ones((3, 2, 2))
    scores[1, 0, 1] = np.nan
    weights = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])

    assert_array_equal(complete_ballots(scores), [True, False, True])
    assert_array_equal(complete_ballots(scores, weights), [True, False, False])


def test_rank_distribution_counts_each_option_at_each_rank():
    ranks = np.array([[1, 2, 2], [2, 1, 3], [1, 2, 3]])

    assert_array_equal(rank_distribution(ranks), [[2, 1, 0], [1, 2, 0], [0, 1, 2]])


def test_tied_options_get_their_average_rank():
    averaged, sizes = average_ranks(np.array([[1, 2, 2, 4]]))

    assert_allclose(averaged, [[1, 2.5, 2.5, 4]])
    assert_array_equal(sizes, [[1, 2, 2, 1]])


def test_kendall_w_without_ties_matches_the_proofwiki_example():
    """ProofWiki, "Kendall's Coefficient of Concordance/Examples/Arbitrary Example 1":
    4 judges rank 3 competitors; W = 1/16."""
    judges = np.array([[1, 3, 2], [1, 2, 3], [2, 3, 1], [3, 1, 2]])

    assert kendall_w(judges) == pytest.approx(1 / 16)


def test_kendall_w_of_ten_projects_by_four_judges():
    """4 judges rank 10 projects without ties (a textbook exercise: rank sums 10, 8, 12, 16, 21, 22, 25,
    31, 37, 38 and Σ D² = 1048), so W = 12·1048 / (4²·(10³ − 10)) ≈ 0.7939."""
    by_project = np.array(
        [[1, 2, 3, 4], [3, 1, 2, 2], [4, 4, 1, 3], [5, 5, 5, 1], [2, 6, 7, 6],
         [8, 3, 4, 7], [6, 8, 6, 5], [7, 7, 8, 9], [10, 10, 9, 8], [9, 9, 10, 10]]
    )  # fmt: skip

    assert kendall_w(by_project.T) == pytest.approx(12 * 1048 / (16 * 990))


def test_kendall_w_with_ties_matches_a_hand_worked_example():
    """Two raters, five objects with ties (stats.stackexchange.com/posts/261206): x = [12, 2, 1, 12, 2]
    and y = [1, 4, 7, 1, 0] ranked ascending give average ranks [4.5, 2.5, 1, 4.5, 2.5] and
    [2.5, 4, 5, 2.5, 1]; Σ(t³ − t) = 12 + 6 and W = (12·188.5 − 3·2²·5·6²) / (2²·5·24 − 2·18) = 0.22973."""
    competition = np.array([[4, 2, 1, 4, 2], [2, 4, 5, 2, 1]])

    assert kendall_w(competition) == pytest.approx(0.229729729, rel=1e-6)


def test_kendall_w_is_one_for_identical_rankings_and_undefined_below_two():
    assert kendall_w(np.array([[1, 2, 3], [1, 2, 3], [1, 2, 3]])) == pytest.approx(1.0)
    assert kendall_w(np.array([[1, 2, 3]])) is None
    assert kendall_w(np.array([[1, 1], [1, 1]])) is None


def test_no_ballots_yet_aggregate_to_empty_cells_without_warnings():
    nothing = np.empty((0, 3, 2))

    assert np.isnan(aggregate(nothing, "median")).all() and aggregate(nothing).shape == (3, 2)
    result = spread(nothing)
    assert (result.counts == 0).all() and np.isnan(result.sd).all() and np.isnan(result.iqr).all()
