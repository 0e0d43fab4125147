"""Properties every ranking must have, on generated problems (hypothesis).

The strategies build valid problems by construction: unique option and
criterion names, finite scores of 0 or magnitudes from 1e-100 to 1e100
(deliberately including those edges, repeated values, constant columns,
zeros, negatives, a single option and a single criterion), scores inside any
declared scale, and at least one positive weight.

A valid problem may still lie outside one method's documented domain (wpm
multiplies, so it needs every score > 0; 'sum' and 'max' divide by scores;
'scale' needs a scale on every criterion; 'none' adds raw scores, so only
benefits; 'vector' divides by each column's length). `refusal` states those
rules; wherever they do not apply the method must rank, and wherever they do
it must refuse with an AnalysisError naming exactly that field. Every other
refusal fails the test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from optionsmatrix.analysis import AnalysisError, Problem, allowed_normalizations, rank
from optionsmatrix.analysis.methods import METHOD_NAMES

FAST = settings(max_examples=60, deadline=None)

EDGE_VALUES = [0.0, 1.0, 2.0, -3.0, 0.5, 1e-100, -1e-100, 1e100, -1e100, 1e-9, 7.0]
score_values = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.integers(-20, 20).map(float),
    st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False).filter(lambda x: x == 0 or abs(x) >= 1e-100),
)
# Inside every method's domain as far as scores go (wpm, 'sum' and 'max' need x > 0).
positive_values = st.one_of(
    st.sampled_from([1e-100, 1e-9, 0.5, 1.0, 2.0, 7.0, 1e100]),
    st.integers(1, 20).map(float),
    st.floats(1e-6, 1e6, allow_nan=False, allow_subnormal=False),
)
weight_values = st.one_of(
    st.sampled_from([0.0, 1.0, 3.0, 1e-6, 1e6]),
    st.floats(0, 1e6, allow_nan=False, allow_subnormal=False),
)
positive_weights = st.one_of(st.sampled_from([1.0, 3.0, 1e-6, 1e6]), st.floats(1e-6, 1e6))

# Every (method, normalization) pair the core offers: 11 runs per problem.
RUNS = [
    (method, normalization) for method in METHOD_NAMES for normalization in allowed_normalizations(method) or (None,)
]
# These four have a rule for every degenerate case and never refuse a valid problem.
ALWAYS_RANK = {("wsm", "minmax"), ("topsis", "minmax"), ("vikor", None), ("promethee2", None)}


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
    weights[draw(st.integers(0, n - 1))] = draw(positive_weights)  # at least one positive weight
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


def refusal(problem: Problem, method: str, normalization: str | None) -> str | None:
    """The error field with which `method` must refuse `problem` by its documented domain, or None: it must rank."""
    scores = problem.scores
    if method == "wsm":
        if normalization == "scale" and problem.scale_bounds is None:
            return "normalization"
        if normalization in ("sum", "max") and (scores <= 0).any():
            return "normalization"
        if normalization == "none" and not problem.is_benefit.all():
            return "normalization"
    if method == "wpm" and (scores <= 0).any():
        i, j = np.argwhere(scores <= 0)[0]
        return f"scores[{i}][{j}]"
    if method == "topsis" and normalization == "vector" and (scores == 0).all(axis=0).any():
        return "normalization"
    return None


def every_run(problem: Problem):
    """(method, normalization, ranking) for all 11 runs; the ranking is None only for a refusal that
    `refusal` predicts, and then the refusal has been checked to name that field."""
    for method, normalization in RUNS:
        reason = refusal(problem, method, normalization)
        if reason is None:
            yield method, normalization, rank(problem, method, normalization, explain=True)
            continue
        with pytest.raises(AnalysisError) as refused:
            rank(problem, method, normalization, explain=True)
        assert refused.value.field == reason, (method, normalization, refused.value)
        yield method, normalization, None


def _ranked(runs) -> dict[tuple[str, str | None], Any]:
    results = {(method, normalization): ranking for method, normalization, ranking in runs}
    assert {run for run, ranking in results.items() if ranking is not None} >= ALWAYS_RANK
    return results


def _all_finite(value: Any) -> bool:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return bool(np.isfinite(value).all())
    return True


def test_the_refusal_rules_cover_each_documented_domain():
    """The oracle itself: one problem per rule, so a rule that never fires cannot hide."""
    problem = Problem.build(["A", "B"], ["C1", "C2"], [[0.0, 2.0], [0.0, -1.0]], ["benefit", "cost"], [1, 1])
    reasons = {run: refusal(problem, *run) for run in RUNS}
    assert reasons == {
        ("wsm", "scale"): "normalization",
        ("wsm", "minmax"): None,
        ("wsm", "sum"): "normalization",
        ("wsm", "max"): "normalization",
        ("wsm", "none"): "normalization",
        ("wpm", "none"): "scores[0][0]",
        ("wpm", "sum"): "scores[0][0]",
        ("topsis", "vector"): "normalization",
        ("topsis", "minmax"): None,
        ("vikor", None): None,
        ("promethee2", None): None,
    }
    assert sum(ranking is not None for _, _, ranking in every_run(problem)) == len(ALWAYS_RANK)


@FAST
@given(problems())
def test_every_run_ranks_or_refuses_only_for_its_documented_reason_and_never_yields_nan(problem):
    m = problem.scores.shape[0]
    results = _ranked(every_run(problem))
    for context, ranking in results.items():
        if ranking is None:
            continue
        assert _all_finite(ranking.scores), context
        assert all(_all_finite(v) for v in ranking.details.values()), context
        assert all(_all_finite(v) for v in ranking.steps.values()), context
        assert sorted(ranking.order) == sorted(problem.options), context
        assert ranking.ranks.min() == 1 and ranking.ranks.max() <= m, context


@FAST
@given(problems(values=positive_values, with_scales=True))
def test_with_positive_scores_and_scales_every_run_ranks_except_adding_raw_costs(problem):
    """Inside every method's domain nothing is refused; the one rule left is that 'none' will not add costs."""
    results = _ranked(every_run(problem))
    refused = {run for run, ranking in results.items() if ranking is None}
    assert refused == ({("wsm", "none")} if not problem.is_benefit.all() else set())


@FAST
@given(problems(with_scales=True))
def test_bounded_methods_keep_their_scores_in_range_on_any_problem(problem):
    """WSM with scales, TOPSIS min–max, VIKOR and PROMETHEE II accept any valid problem
    (their degenerate cases have rules, not errors) and keep their documented ranges."""
    m = problem.scores.shape[0]
    results = {
        "wsm scale": rank(problem, "wsm", "scale"),
        "wsm minmax": rank(problem, "wsm", "minmax"),
        "topsis minmax": rank(problem, "topsis", "minmax"),
        "vikor": rank(problem, "vikor"),
        "promethee2": rank(problem, "promethee2"),
    }
    for name, ranking in results.items():
        assert ranking.ranks.shape == (m,) and sorted(ranking.order) == sorted(problem.options), name
        assert ranking.ranks.min() == 1 and ranking.ranks.max() <= m, name
        assert np.isfinite(ranking.scores).all(), name
    tolerance = 1e-12
    for name in ("wsm scale", "wsm minmax", "topsis minmax", "vikor"):
        scores = results[name].scores
        assert (scores >= -tolerance).all() and (scores <= 1 + tolerance).all(), (name, scores)
    flows = results["promethee2"].scores
    assert (np.abs(flows) <= 1 + tolerance).all(), flows
    assert_allclose(flows.sum(), 0.0, atol=1e-9)  # every preference counted out of one option enters another


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
@given(problems(values=positive_values), st.sampled_from([1e-3, 0.5, 7.0, 1e4]))
def test_scaling_all_weights_leaves_ranks_unchanged(problem, factor):
    scaled = _rebuild(problem, weights=np.asarray(problem.weights) * factor)
    before, after = _ranked(every_run(problem)), _ranked(every_run(scaled))
    assert before.keys() == after.keys()
    for run, ranking in before.items():
        assert (ranking is None) == (after[run] is None), run
        if ranking is not None:
            assert ranking.ranks.tolist() == after[run].ranks.tolist(), run


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_permuting_options_permutes_ranks(problem, random):
    permutation = list(range(len(problem.options)))
    random.shuffle(permutation)
    shuffled = _rebuild(
        problem, rows=problem.scores[permutation], options=[problem.options[i] for i in permutation]
    )
    before, after = _ranked(every_run(problem)), _ranked(every_run(shuffled))
    for run, ranking in before.items():
        assert (ranking is None) == (after[run] is None), run
        if ranking is not None:
            assert after[run].ranks.tolist() == ranking.ranks[permutation].tolist(), run


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
    checked = 0
    for method, normalization in [("wsm", "scale"), ("wsm", "minmax"), ("topsis", "minmax"), ("topsis", "vector")]:
        reason = refusal(extended, method, normalization)
        if reason is not None:  # only 'vector' on a column of zeros
            with pytest.raises(AnalysisError) as refused:
                rank(extended, method, normalization)
            assert refused.value.field == reason
            continue
        ranking = rank(extended, method, normalization)
        assert ranking.ranks[-1] <= ranking.ranks[0], (method, normalization, ranking.scores)
        checked += 1
    assert checked >= 3
