"""Every method against pymcdm on seeded random matrices.

pymcdm writes a decision problem as (matrix, weights, types) with types 1 for
benefit and -1 for cost; each test states where its conventions differ from
ours and how the comparison bridges the difference.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from pymcdm import methods as pm
from pymcdm import normalizations as pn
from pymcdm.weights.subjective import AHP

from optionsmatrix.analysis import Problem, ahp, rank

SEEDS = range(8)


def random_problem(seed: int, m: int = 7, n: int = 4, preferences=None) -> tuple[Problem, np.ndarray]:
    rng = np.random.default_rng(seed)
    scores = rng.uniform(1.0, 100.0, size=(m, n)).round(2)
    weights = rng.uniform(0.05, 1.0, size=n)
    types = np.where(rng.random(n) < 0.5, 1, -1)
    types[0] = 1  # at least one of each kind
    types[-1] = -1
    problem = Problem.build(
        [f"A{i}" for i in range(m)],
        [f"C{j}" for j in range(n)],
        scores,
        ["benefit" if t == 1 else "cost" for t in types],
        weights,
        preferences=preferences,
    )
    return problem, types


def _pymcdm(method, problem: Problem, types: np.ndarray) -> np.ndarray:
    return method(np.array(problem.scores), np.array(problem.weights), types)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("normalization", "pymcdm_normalization"),
    [("minmax", pn.minmax_normalization), ("sum", pn.sum_normalization), ("max", pn.linear_normalization)],
)
def test_wsm_matches_pymcdm(seed, normalization, pymcdm_normalization):
    """pymcdm's names differ: our 'max' (x/max, cost min/x) is its
    linear_normalization; its max_normalization treats a cost as 1 − x/max."""
    problem, types = random_problem(seed)
    expected = _pymcdm(pm.WSM(pymcdm_normalization), problem, types)
    assert_allclose(rank(problem, "wsm", normalization).scores, expected, rtol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_wpm_matches_pymcdm(seed):
    """pymcdm's WPM defaults to sum normalisation, our 'sum'; our default
    'none' (r = x, or 1/x for a cost) is pymcdm with that normalisation passed in."""
    problem, types = random_problem(seed)
    assert_allclose(rank(problem, "wpm", "sum").scores, _pymcdm(pm.WPM(), problem, types), rtol=1e-12)
    raw = pm.WPM(lambda x, cost=False: 1 / x if cost else x)
    assert_allclose(rank(problem, "wpm", "none").scores, _pymcdm(raw, problem, types), rtol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_topsis_matches_pymcdm(seed):
    """pymcdm's TOPSIS defaults to min–max normalisation (our 'minmax'). With
    vector normalisation pymcdm turns a cost column into 1 − r and then takes
    every column's max as ideal; that mirrors each weighted value around w/2
    but keeps every distance to the ideal and anti-ideal, so closeness equals
    the textbook form we use (ideal = min for a cost)."""
    problem, types = random_problem(seed)
    assert_allclose(rank(problem, "topsis", "minmax").scores, _pymcdm(pm.TOPSIS(), problem, types), rtol=1e-12)
    vector = pm.TOPSIS(pn.vector_normalization)
    assert_allclose(rank(problem, "topsis", "vector").scores, _pymcdm(vector, problem, types), rtol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("v", [0.0, 0.3, 0.5, 1.0])
def test_vikor_matches_pymcdm(seed, v):
    """Same orientation (lower Q is better) and formula; pymcdm turns a cost
    column into max − x first, which leaves (f* − f)/(f* − f⁻) unchanged.
    pymcdm refuses constant columns, which random real scores never have."""
    problem, types = random_problem(seed)
    expected = _pymcdm(pm.VIKOR(v=v), problem, types)
    assert_allclose(rank(problem, "vikor", params={"v": v}).scores, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("function", "pymcdm_name", "thresholds"),
    [
        ("usual", "usual", {}),
        ("u_shape", "ushape", {"q": 15.0}),
        ("v_shape", "vshape", {"p": 40.0}),
        ("level", "level", {"q": 10.0, "p": 30.0}),
        ("linear", "vshape_2", {"q": 10.0, "p": 50.0}),
    ],
)
def test_promethee2_matches_pymcdm(seed, function, pymcdm_name, thresholds):
    """pymcdm's PROMETHEE II net flows use the same (m − 1) averaging; its
    'vshape_2' is our 'linear' (Brans type V). pymcdm has no Gaussian
    function: see test_promethee2_gaussian_matches_a_direct_pairwise_loop."""
    n = 4
    preferences = [{"function": function, **thresholds}] * n
    problem, types = random_problem(seed, n=n, preferences=preferences)
    q = [thresholds["q"]] * n if "q" in thresholds else None
    p = [thresholds["p"]] * n if "p" in thresholds else None
    expected = _pymcdm(pm.PROMETHEE_II(pymcdm_name, p=p, q=q), problem, types)
    assert_allclose(rank(problem, "promethee2").scores, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_promethee2_gaussian_matches_a_direct_pairwise_loop(seed):
    """No library at hand implements the Gaussian criterion, so the reference
    is the definition spelt out pair by pair: P = 1 − exp(−d²/(2s²)) for d > 0."""
    s = [12.0, 30.0, 5.0, 50.0]
    problem, _ = random_problem(seed, preferences=[{"function": "gaussian", "s": v} for v in s])
    x, w, m = problem.scores, problem.weights, problem.scores.shape[0]
    sign = np.where(problem.is_benefit, 1.0, -1.0)
    pi = np.zeros((m, m))
    for a in range(m):
        for b in range(m):
            for j in range(x.shape[1]):
                d = (x[a, j] - x[b, j]) * sign[j]
                pi[a, b] += w[j] * (1 - np.exp(-(d**2) / (2 * s[j] ** 2)) if d > 0 else 0.0)
    net = (pi.sum(axis=1) - pi.sum(axis=0)) / (m - 1)
    assert_allclose(rank(problem, "promethee2").scores, net, rtol=1e-12, atol=1e-15)


SAATY_VALUES = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [3, 5, 8])
def test_ahp_eigenvector_matches_pymcdm(seed, n):
    """pymcdm takes the principal eigenvector too, so the weights agree. Its
    consistency ratio divides by the Tummala & Ling (1998) random index, not
    Saaty's table, so CI is compared through its RI."""
    rng = np.random.default_rng(seed)
    matrix = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = rng.choice(SAATY_VALUES)
            matrix[j, i] = 1 / matrix[i, j]
    ours = ahp(matrix)
    theirs = AHP(matrix=matrix)
    assert_allclose(ours.weights, theirs(), rtol=1e-9)
    assert ours.consistency is not None
    assert_allclose(ours.consistency.ci / AHP.RI_M[n - 1], theirs.get_cr(), rtol=1e-9)
