"""SMAA-2: known answers, the bookkeeping (rows and columns sum to 1), seeds and chunking, sampling regions."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from optionsmatrix.analysis import METHOD_NAMES, AnalysisError, Problem, rank_batch
from optionsmatrix.analysis.sensitivity import WeightSampler, rank_shares, smaa
from optionsmatrix.analysis.sensitivity.sampling import BLOCK

# Three standard errors of a share near ½ over 10,000 samples is 0.015.
SAMPLING_ERROR = 0.02


def _problem(scores, directions=None, weights=None) -> Problem:  # noqa: ANN001
    scores = np.asarray(scores, dtype=float)
    m, n = scores.shape
    return Problem.build(
        [f"o{i}" for i in range(m)],
        [f"c{j}" for j in range(n)],
        scores,
        directions or ["benefit"] * n,
        weights if weights is not None else [1.0] * n,
        scales=[(0, 10)] * n,
    )


RANDOM = _problem(np.random.default_rng(7).uniform(1, 9, size=(6, 4)), ["benefit", "cost", "benefit", "cost"])


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_an_option_that_dominates_every_other_is_first_in_every_sample(method):
    problem = _problem([[9, 9, 9], [5, 2, 8], [3, 7, 1], [6, 6, 2]])

    result = smaa(problem, method, samples=2000, seed=1)

    assert_array_equal(result.acceptability[0], [1, 0, 0, 0])
    assert result.confidence[0] == 1.0
    assert np.isnan(result.central_weights[1:]).all()
    assert np.isnan(result.confidence[1:]).all()
    assert_allclose(result.central_weights[0], [1 / 3] * 3, atol=SAMPLING_ERROR)


def test_two_identical_options_share_first_and_second_place_evenly():
    # o0 and o1 are the same; each beats o2 only on some weights. In every sample they tie,
    # so each takes half of each rank the pair spans.
    problem = _problem([[8, 2], [8, 2], [2, 8]])

    result = smaa(problem, "wsm", samples=10_000, seed=5)

    assert_allclose(result.acceptability[0], result.acceptability[1], atol=1e-12)
    # The pair is first (ranks 1–2) when w₀ > ½, second (ranks 2–3) otherwise: about ¼, ½, ¼.
    assert_allclose(result.acceptability[0], [0.25, 0.5, 0.25], atol=SAMPLING_ERROR)
    assert_allclose(result.acceptability[2], [0.5, 0.0, 0.5], atol=SAMPLING_ERROR)
    # Tied at the top at their own central weights: each gets the tie share.
    assert_allclose(result.confidence[:2], [0.5, 0.5])


def test_a_split_decision_gives_each_option_the_share_of_weight_space_where_it_wins():
    # WSM on two criteria: o0 wins when w₀ > ½. Central weights: the mean of w over each half, (¾, ¼) and (¼, ¾).
    result = smaa(_problem([[10, 0], [0, 10]]), "wsm", samples=20_000, seed=2)

    assert_allclose(result.acceptability, [[0.5, 0.5], [0.5, 0.5]], atol=SAMPLING_ERROR)
    assert_allclose(result.central_weights, [[0.75, 0.25], [0.25, 0.75]], atol=SAMPLING_ERROR)
    assert_array_equal(result.confidence, [1.0, 1.0])


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_rows_and_columns_of_the_acceptabilities_sum_to_one(method):
    result = smaa(RANDOM, method, samples=3000, seed=11)

    assert_allclose(result.acceptability.sum(axis=1), 1.0, rtol=1e-12)
    assert_allclose(result.acceptability.sum(axis=0), 1.0, rtol=1e-12)
    assert ((result.acceptability >= 0) & (result.acceptability <= 1)).all()
    first = ~np.isnan(result.central_weights).any(axis=1)
    assert_array_equal(first, result.acceptability[:, 0] > 0)
    assert_allclose(result.central_weights[first].sum(axis=1), 1.0, rtol=1e-12)


def test_tied_shares_follow_the_rule_two_tied_for_second_each_get_half_of_two_and_three():
    per_rank, first = rank_shares(np.array([[1, 2, 2, 4], [1, 1, 3, 3], [1, 1, 1, 1]]))

    # Sample 1: o1 and o2 take ½ of ranks 2 and 3 each. Sample 2: two pairs, each member ½ of its two ranks.
    # Sample 3: all four tied, ¼ of every rank each.
    assert_allclose(
        per_rank,
        [
            [1 + 0.5 + 0.25, 0.5 + 0.25, 0.25, 0.25],
            [0.5 + 0.25, 0.5 + 0.5 + 0.25, 0.5 + 0.25, 0.25],
            [0.25, 0.5 + 0.25, 0.5 + 0.5 + 0.25, 0.5 + 0.25],
            [0.25, 0.25, 0.5 + 0.25, 1 + 0.5 + 0.25],
        ],
    )
    assert_allclose(first, [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.25] * 4])


def test_the_same_seed_gives_the_same_answer_and_another_seed_another():
    one = smaa(RANDOM, "topsis", samples=2000, seed=42)
    again = smaa(RANDOM, "topsis", samples=2000, seed=42)
    other = smaa(RANDOM, "topsis", samples=2000, seed=43)

    assert_array_equal(one.acceptability, again.acceptability)
    assert_array_equal(one.central_weights, again.central_weights)
    assert one.seed == 42
    assert not np.array_equal(one.acceptability, other.acceptability)


@pytest.mark.parametrize("method", ["topsis", "promethee2"])
@pytest.mark.parametrize("chunk_size", [1, BLOCK, 3 * BLOCK, 10_000])
def test_the_answer_does_not_depend_on_the_chunk_size(method, chunk_size):
    whole = smaa(RANDOM, method, samples=4321, seed=9, chunk_size=100_000)
    chunked = smaa(RANDOM, method, samples=4321, seed=9, chunk_size=chunk_size)

    assert_allclose(chunked.acceptability, whole.acceptability, rtol=1e-12, atol=1e-15)
    assert_allclose(chunked.central_weights, whole.central_weights, rtol=1e-12)
    assert_array_equal(chunked.confidence, whole.confidence)


def test_a_seed_is_chosen_and_reported_when_none_is_given():
    result = smaa(RANDOM, "wsm", samples=500)

    assert isinstance(result.seed, int)
    assert_array_equal(smaa(RANDOM, "wsm", samples=500, seed=result.seed).acceptability, result.acceptability)


def test_score_samples_give_each_sample_its_own_table_and_a_real_confidence_factor():
    rng = np.random.default_rng(3)
    tables = np.clip(RANDOM.scores + rng.normal(0, 1.5, size=(3000, 6, 4)), 0, 10)

    result = smaa(RANDOM, "wsm", seed=4, score_samples=tables, chunk_size=BLOCK)
    whole = smaa(RANDOM, "wsm", seed=4, score_samples=tables)

    assert result.samples == 3000
    assert_allclose(result.acceptability, whole.acceptability, rtol=1e-12, atol=1e-15)
    assert_allclose(result.acceptability.sum(axis=0), 1.0)
    first = ~np.isnan(result.confidence)
    assert ((result.confidence[first] > 0) & (result.confidence[first] < 1)).any()
    # By hand for one option: rank every table at its central weights.
    i = int(np.flatnonzero(first)[0])
    weights = np.tile(result.central_weights[i], (3000, 1))
    ranks = rank_batch(RANDOM, "wsm", weights, scores=tables).ranks
    assert_allclose(result.confidence[i], rank_shares(ranks)[1][:, i].mean())


def test_given_weight_samples_are_used_as_they_are():
    weights = np.array([[1.0, 0, 0, 0], [0, 0, 2, 0]])  # scaled to sum 1

    result = smaa(RANDOM, "wsm", weight_samples=weights)

    expected = rank_batch(RANDOM, "wsm", weights / weights.sum(axis=1, keepdims=True)).ranks
    assert result.samples == 2
    assert_allclose(result.acceptability, rank_shares(expected)[0] / 2)
    assert result.seed is None


# Sampling regions -------------------------------------------------------------------


def test_unconstrained_weights_are_uniform_on_the_simplex():
    weights = WeightSampler(3, seed=1).take(0, 30_000)

    assert_allclose(weights.sum(axis=1), 1.0)
    # Uniform on the 2-simplex: each coordinate is Beta(1, 2), mean 1/3, P(w > ½) = ¼.
    assert_allclose(weights.mean(axis=0), 1 / 3, atol=0.01)
    assert_allclose((weights > 0.5).mean(axis=0), 0.25, atol=0.01)


def test_an_importance_order_with_ties_orders_the_weights_and_nothing_else():
    order = np.array([2, 1, 2, 4])
    weights = WeightSampler(4, seed=2, order=order).take(0, 20_000)

    assert (weights[:, 1][:, None] >= weights[:, [0, 2]]).all()
    assert (weights[:, [0, 2]] >= weights[:, [3]]).all()
    # Tied criteria are not ordered among themselves: each is the larger about half the time.
    assert_allclose((weights[:, 0] > weights[:, 2]).mean(), 0.5, atol=0.02)


@pytest.mark.parametrize(
    "bounds",
    [
        [[0.1, 0.5], [0.0, 0.6], [0.2, 0.4]],  # loose: rejection
        [[0.30, 0.32], [0.30, 0.33], [0.36, 0.40]],  # tight: hit-and-run
    ],
)
def test_bounded_weights_stay_inside_their_bounds(bounds):
    sampler = WeightSampler(3, seed=3, bounds=np.array(bounds))
    weights = sampler.take(0, 3000)

    assert_allclose(weights.sum(axis=1), 1.0)
    assert (weights >= np.array(bounds)[:, 0] - 1e-12).all()
    assert (weights <= np.array(bounds)[:, 1] + 1e-12).all()
    assert weights.std(axis=0).min() > 0  # it does move about


def test_tight_bounds_switch_to_hit_and_run_loose_ones_reject():
    assert WeightSampler(3, 1, bounds=np.array([[0.1, 0.5], [0.0, 0.6], [0.2, 0.4]])).method == "exact"
    assert WeightSampler(3, 1, bounds=np.array([[0.30, 0.32], [0.30, 0.33], [0.36, 0.40]])).method == "hit_and_run"


def test_hit_and_run_spreads_over_the_bounded_region_roughly_uniformly():
    # w₀ ∈ [0.3, 0.32], w₁ ∈ [0.3, 0.33]; w₂ = 1 − w₀ − w₁ ∈ [0.36, 0.4] then holds everywhere: a box.
    weights = WeightSampler(3, seed=4, bounds=np.array([[0.30, 0.32], [0.30, 0.33], [0.36, 0.40]])).take(0, 5000)

    assert_allclose(weights[:, 0].mean(), 0.31, atol=0.002)
    assert_allclose(weights[:, 1].mean(), 0.315, atol=0.002)
    assert_allclose(np.median(weights[:, 0]), 0.31, atol=0.002)


def test_bounds_and_order_together():
    bounds = np.array([[0.0, 1.0], [0.2, 1.0], [0.0, 0.3]])
    weights = WeightSampler(3, seed=5, bounds=bounds, order=np.array([1, 2, 3])).take(0, 2000)

    assert (weights[:, 0] >= weights[:, 1]).all() and (weights[:, 1] >= weights[:, 2]).all()
    assert (weights[:, 1] >= 0.2 - 1e-12).all() and (weights[:, 2] <= 0.3 + 1e-12).all()


@pytest.mark.parametrize(
    ("bounds", "order", "code"),
    [
        ([[0.5, 1], [0.6, 1]], None, "bounds_lower_above_one"),
        ([[0, 0.3], [0, 0.4]], None, "bounds_upper_below_one"),
        ([[0.4, 0.3], [0, 1]], None, "bounds_invalid"),
        ([[0, 1]], None, "bounds_wrong_shape"),
        ([[0, 0.3], [0.5, 1]], [1, 2], "bounds_conflict_with_order"),
        (None, [1, 1, 1], "order_wrong_length"),
        (None, [2, 2], "ranks_not_competition"),
    ],
)
def test_impossible_bounds_and_orders_are_refused_naming_the_field(bounds, order, code):
    problem = _problem([[1, 2], [2, 1]])

    with pytest.raises(AnalysisError) as caught:
        smaa(problem, "wsm", samples=10, seed=1, weight_bounds=bounds, criteria_order=order)

    assert caught.value.code == code
    assert caught.value.field.startswith("weight_bounds" if bounds is not None else "criteria_order")


def test_hit_and_run_keeps_an_importance_order_with_ties():
    bounds = np.array([[0.2, 0.3], [0.2, 0.3], [0.2, 0.3], [0.15, 0.25], [0.0, 0.2]])
    sampler = WeightSampler(5, seed=6, bounds=bounds, order=np.array([1, 1, 3, 4, 4]))
    weights = sampler.take(0, 2 * BLOCK)

    assert sampler.method == "hit_and_run"
    assert (weights[:, [0, 1]].min(axis=1) >= weights[:, 2] - 1e-12).all()
    assert (weights[:, 2] >= weights[:, [3, 4]].max(axis=1) - 1e-12).all()
    assert (weights >= bounds[:, 0] - 1e-12).all() and (weights <= bounds[:, 1] + 1e-12).all()
    assert_allclose((weights[:, 0] > weights[:, 1]).mean(), 0.5, atol=0.06)  # tied: either way


def test_rejection_that_runs_out_of_rounds_finishes_the_block_by_hit_and_run(monkeypatch):
    monkeypatch.setattr("optionsmatrix.analysis.sensitivity.sampling.MAX_REJECTION_ROUNDS", 0)
    bounds = np.array([[0.1, 0.5], [0.0, 0.6], [0.2, 0.4]])
    sampler = WeightSampler(3, seed=8, bounds=bounds)

    weights = sampler.take(0, BLOCK)

    assert sampler.method == "exact" and weights.shape == (BLOCK, 3)
    assert (weights >= bounds[:, 0] - 1e-12).all() and (weights <= bounds[:, 1] + 1e-12).all()
