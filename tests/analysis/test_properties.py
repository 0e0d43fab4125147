"""Properties every ranking must have, on generated problems (hypothesis).

Generated scores stay inside the documented input domain (0, or magnitudes
from 1e-100 to 1e100) and deliberately include its edges, repeated values,
constant columns, zeros, negatives, a single option and a single criterion.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optionsmatrix.analysis import AnalysisError, Problem, allowed_normalizations, rank
from optionsmatrix.analysis.methods import METHOD_NAMES

FAST = settings(max_examples=60, deadline=None)

EDGE_VALUES = [0.0, 1.0, 2.0, -3.0, 0.5, 1e-100, -1e-100, 1e100, -1e100, 1e-9, 7.0]
score_values = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.integers(-20, 20).map(float),
    st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False).filter(lambda x: x == 0 or abs(x) >= 1e-100),
)
weight_values = st.one_of(
    st.sampled_from([0.0, 1.0, 3.0, 1e-6, 1e6]),
    st.floats(0, 1e6, allow_nan=False, allow_subnormal=False),
)


@st.composite
def problems(draw: st.DrawFn, values: st.SearchStrategy[float] = score_values, with_scales: bool | None = None) -> Any:
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(values, min_size=n, max_size=n), min_size=m, max_size=m))
    if draw(st.booleans()) and m > 1:  # make one column constant
        j = draw(st.integers(0, n - 1))
        for row in rows:
            row[j] = rows[0][j]
    weights = draw(st.lists(weight_values, min_size=n, max_size=n))
    assume(any(w > 0 for w in weights))
    directions = draw(st.lists(st.sampled_from(["benefit", "cost"]), min_size=n, max_size=n))
    scores = np.array(rows)
    scales = None
    if with_scales if with_scales is not None else draw(st.booleans()):
        low, high = scores.min(axis=0), scores.max(axis=0)
        scales = [
            (max(-1e100, lo - 1 - abs(lo)), min(1e100, hi + 1 + abs(hi))) for lo, hi in zip(low, high, strict=True)
        ]
    preferences = draw(st.lists(preference_specs, min_size=n, max_size=n))
    return Problem.build(
        [f"A{i}" for i in range(m)], [f"C{j}" for j in range(n)], rows, directions, weights, scales, preferences
    )


preference_specs = st.one_of(
    st.none(),
    st.builds(lambda q: {"function": "u_shape", "q": q}, st.sampled_from([0.0, 1.0, 1e-100, 50.0])),
    st.builds(lambda p: {"function": "v_shape", "p": p}, st.sampled_from([1e-100, 1.0, 1e100])),
    st.builds(lambda qp: {"function": "level", "q": qp[0], "p": qp[1]},
              st.sampled_from([(0.0, 1e-100), (0.0, 1.0), (2.0, 12.0), (1e-100, 1e100)])),
    st.builds(lambda qp: {"function": "linear", "q": qp[0], "p": qp[1]},
              st.sampled_from([(0.0, 1e-100), (1.0, 6.0), (1e-100, 2e-100), (0.0, 1e100)])),
    st.builds(lambda s: {"function": "gaussian", "s": s}, st.sampled_from([1e-100, 0.5, 3.0, 1e100])),
)


def every_run(problem: Problem):
    """(method, normalization, ranking or None when the input is outside the method's domain)."""
    for method in METHOD_NAMES:
        for normalization in allowed_normalizations(method) or (None,):
            try:
                yield method, normalization, rank(problem, method, normalization, explain=True)
            except AnalysisError:
                yield method, normalization, None


def _all_finite(value: Any) -> bool:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return bool(np.isfinite(value).all())
    return True


@FAST
@given(problems())
def test_no_result_ever_contains_nan_or_infinity(problem):
    m = problem.scores.shape[0]
    for method, normalization, ranking in every_run(problem):
        if ranking is None:
            continue
        context = (method, normalization)
        assert _all_finite(ranking.scores), context
        assert all(_all_finite(v) for v in ranking.details.values()), context
        assert all(_all_finite(v) for v in ranking.steps.values()), context
        assert sorted(ranking.order) == sorted(problem.options), context
        assert ranking.ranks.min() == 1 and ranking.ranks.max() <= m, context


@FAST
@given(problems(with_scales=True))
def test_methods_that_need_no_special_values_always_run(problem):
    """WSM with scales, TOPSIS min–max, VIKOR and PROMETHEE II accept any
    finite problem: their degenerate cases have rules, not errors."""
    rank(problem, "wsm", "scale")
    rank(problem, "wsm", "minmax")
    rank(problem, "topsis", "minmax")
    rank(problem, "vikor")
    rank(problem, "promethee2")


def _rebuild(problem: Problem, *, rows=None, options=None, weights=None) -> Problem:
    return Problem.build(
        options if options is not None else problem.options,
        problem.criteria,
        rows if rows is not None else problem.scores,
        problem.directions,
        weights if weights is not None else problem.weights,
        problem.scales,
        problem.preferences,
    )


@FAST
@given(problems(), st.sampled_from([1e-3, 0.5, 7.0, 1e4]))
def test_scaling_all_weights_leaves_ranks_unchanged(problem, factor):
    scaled = _rebuild(problem, weights=np.asarray(problem.weights) * factor)
    for (method, normalization, before), (_, _, after) in zip(every_run(problem), every_run(scaled), strict=True):
        assert (before is None) == (after is None), (method, normalization)
        if before is not None:
            assert before.ranks.tolist() == after.ranks.tolist(), (method, normalization)


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_permuting_options_permutes_ranks(problem, random):
    permutation = list(range(len(problem.options)))
    random.shuffle(permutation)
    shuffled = _rebuild(
        problem, rows=problem.scores[permutation], options=[problem.options[i] for i in permutation]
    )
    for (method, normalization, before), (_, _, after) in zip(every_run(problem), every_run(shuffled), strict=True):
        assert (before is None) == (after is None), (method, normalization)
        if before is not None:
            assert after.ranks.tolist() == before.ranks[permutation].tolist(), (method, normalization)


@FAST
@given(
    problems(values=st.integers(-50, 50).map(float), with_scales=False),
    st.data(),
)
def test_a_dominated_option_never_outranks_its_dominator(problem, data):
    """Add an option that is at least as good as option 0 everywhere and
    strictly better somewhere: under wsm and topsis it must rank at least as high."""
    n = problem.scores.shape[1]
    better = data.draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    step = np.where(problem.is_benefit, 1.0, -1.0) * np.array(better)
    dominator = problem.scores[0] + step
    rows = np.vstack([problem.scores, dominator])
    lows, highs = rows.min(axis=0) - 1, rows.max(axis=0) + 1
    extended = Problem.build(
        [*problem.options, "dominator"], problem.criteria, rows, problem.directions, problem.weights,
        list(zip(lows, highs, strict=True)),
    )
    for method, normalization in [("wsm", "scale"), ("wsm", "minmax"), ("topsis", "minmax"), ("topsis", "vector")]:
        try:
            ranking = rank(extended, method, normalization)
        except AnalysisError:
            continue  # an all-zero column cannot be vector-normalised
        assert ranking.ranks[-1] <= ranking.ranks[0], (method, normalization, ranking.scores)
