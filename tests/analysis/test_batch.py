"""Ranking many weight vectors at once gives exactly what ranking each one alone gives."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from optionsmatrix.analysis import METHOD_NAMES, Problem, competition_ranks, competition_ranks_batch, rank, rank_batch


def _problem(scores: np.ndarray, weights=None) -> Problem:  # noqa: ANN001
    m, n = scores.shape
    return Problem.build(
        options=[f"o{i}" for i in range(m)],
        criteria=[f"c{j}" for j in range(n)],
        scores=scores,
        directions=["benefit" if j % 3 else "cost" for j in range(n)],
        weights=weights if weights is not None else [1.0] * n,
        scales=[(1, 5)] * n,
    )


@pytest.mark.parametrize("method", METHOD_NAMES)
@pytest.mark.parametrize("seed", range(5))
def test_a_batch_equals_ranking_each_weight_vector_alone(method, seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 9)), int(rng.integers(1, 7))
    scores = rng.integers(1, 6, size=(m, n)).astype(float)  # whole steps of a 1–5 scale: ties happen
    problem = _problem(scores)
    weights = rng.dirichlet(np.ones(n), size=25)

    batch = rank_batch(problem, method, weights)

    for row, w in enumerate(weights):
        alone = rank(_problem(scores, weights=w), method)
        assert_allclose(batch.scores[row], alone.scores, rtol=1e-12, atol=1e-12)
        assert_array_equal(batch.ranks[row], alone.ranks)
    assert batch.scores.shape == batch.ranks.shape == (25, m)


def test_batched_competition_ranks_match_the_single_rule_including_chained_ties():
    scores = np.array([[3.0, 1.0, 3.0, 2.0], [1.0, 1.0 + 5e-10, 1.0 + 1e-9, 0.0], [0.0, 0.0, 0.0, 0.0]])

    batch = competition_ranks_batch(scores)

    for row in range(scores.shape[0]):
        assert_array_equal(batch[row], competition_ranks(scores[row]).ranks)
    assert_array_equal(batch[0], [1, 4, 1, 3])
    assert_array_equal(batch[2], [1, 1, 1, 1])


def test_lower_is_better_batches_rank_the_smallest_first():
    assert_array_equal(competition_ranks_batch(np.array([[0.2, 0.1, 0.3]]), higher_is_better=False), [[2, 1, 3]])


def test_a_batch_ignores_the_problem_weights():
    problem = _problem(np.array([[1.0, 2, 3], [5, 4, 2], [3, 3, 5], [2, 1, 1]]), weights=[5, 0, 0])
    weights = np.array([[0.0, 0.0, 1.0]])

    scores = rank_batch(problem, "wsm", weights).scores[0]

    assert_allclose(scores, (problem.scores[:, 2] - 1) / 4 if problem.is_benefit[2] else (5 - problem.scores[:, 2]) / 4)


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_a_batch_of_score_tables_equals_ranking_each_table_alone(method):
    """The (k, m, n) path that SMAA with sampled scores and per-ballot rankings use."""
    rng = np.random.default_rng(17)
    m, n, k = 5, 4, 12
    tables = rng.integers(1, 6, size=(k, m, n)).astype(float)
    weights = rng.dirichlet(np.ones(n), size=k)
    problem = _problem(tables[0])

    batch = rank_batch(problem, method, weights, scores=tables)

    for row in range(k):
        alone = rank(_problem(tables[row], weights=weights[row]), method)
        assert_allclose(batch.scores[row], alone.scores, rtol=1e-12, atol=1e-12)
        assert_array_equal(batch.ranks[row], alone.ranks)
