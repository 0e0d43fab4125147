"""One-way weight intervals: re-ranking just inside and just outside every reported breakpoint."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optionsmatrix.analysis import METHOD_NAMES, Problem, rank
from optionsmatrix.analysis.sensitivity import TOLERANCE, path_weights, weight_sensitivity, weight_sentences
from optionsmatrix.analysis.sensitivity.weights import LINEAR_IN_WEIGHTS

# Just inside / outside an exact breakpoint: far enough that the ranking's 1e-9 tie rule cannot blur it.
# A bracketed breakpoint is checked one tolerance either side of it.
STEP = 1e-7


def _problem(scores, weights, directions=None, scales=True) -> Problem:  # noqa: ANN001
    scores = np.asarray(scores, dtype=float)
    m, n = scores.shape
    return Problem.build(
        options=[f"o{i}" for i in range(m)],
        criteria=[f"c{j}" for j in range(n)],
        scores=scores,
        directions=directions or ["cost" if j == 1 else "benefit" for j in range(n)],
        weights=weights,
        scales=[(0, 10)] * n if scales else None,
    )


def _top_at(problem: Problem, method: str, j: int, t: float) -> tuple[str, ...]:
    weights = path_weights(problem.weights, np.array([j]), np.array([t]))[0]
    moved = Problem.build(
        problem.options, problem.criteria, problem.scores, problem.directions, weights, problem.scales
    )
    ranking = rank(moved, method)
    return tuple(problem.options[i] for i in np.flatnonzero(ranking.ranks == 1))


def _check_every_breakpoint(problem: Problem, method: str) -> int:
    result = weight_sensitivity(problem, method)
    exact = method in LINEAR_IN_WEIGHTS
    assert result.tolerance == (0.0 if exact else TOLERANCE)
    step = STEP if exact else result.tolerance
    checked = 0
    for j, interval in enumerate(result.criteria):
        assert interval.lower <= interval.weight <= interval.upper
        for end, beyond, sign in ((interval.lower, interval.top_below, -1), (interval.upper, interval.top_above, 1)):
            inside = end - sign * step
            if beyond is None:
                assert end == (0.0 if sign < 0 else 1.0)
                assert _top_at(problem, method, j, end) == result.top
                continue
            if abs(inside - interval.weight) < step or (inside - interval.weight) * sign > 0:
                assert _top_at(problem, method, j, inside) == result.top
            assert _top_at(problem, method, j, end + sign * step) == beyond
            assert beyond != result.top
            checked += 1
    return checked


@pytest.mark.parametrize("method", METHOD_NAMES)
@pytest.mark.parametrize("seed", range(6))
def test_the_top_stays_inside_every_interval_and_changes_just_beyond_it(method, seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(3, 8)), int(rng.integers(2, 6))
    problem = _problem(rng.uniform(0.5, 10, size=(m, n)), rng.uniform(0.05, 1, size=n))

    _check_every_breakpoint(problem, method)


def test_the_random_problems_do_reach_breakpoints():
    """The test above would pass vacuously if no interval ever ended before 0 or 1."""
    checked = 0
    for seed in range(6):
        rng = np.random.default_rng(seed)
        m, n = int(rng.integers(3, 8)), int(rng.integers(2, 6))
        problem = _problem(rng.uniform(0.5, 10, size=(m, n)), rng.uniform(0.05, 1, size=n))
        checked += _check_every_breakpoint(problem, "wsm") + _check_every_breakpoint(problem, "topsis")
    assert checked >= 10


def test_wsm_breakpoint_is_where_two_lines_cross_worked_by_hand():
    """Two benefit criteria on 0–10, weights 0.8/0.2. A = (10, 0), B = (0, 10), C = (6, 6).

    On the path w₀ = t: A scores t, B scores 1 − t, C 0.6. A leads at t = 0.8;
    C catches it at t = 0.6, and nobody catches A above (upper 1). Criterion 1's
    weight is 1 − t: A leads while w₁ < 0.4.
    """
    problem = _problem([[10, 0], [0, 10], [6, 6]], [0.8, 0.2], directions=["benefit", "benefit"])

    result = weight_sensitivity(problem, "wsm")

    assert result.top == ("o0",)
    first, second = result.criteria
    assert_allclose(first.lower, 0.6, rtol=1e-15)
    assert (first.upper, first.top_below, first.top_above) == (1.0, ("o2",), None)
    assert second.lower == 0.0 and second.top_below is None
    assert_allclose(second.upper, 0.4, rtol=1e-15)
    assert second.top_above == ("o2",)
    assert result.tolerance == 0.0


def test_a_tie_crossing_three_options_at_once_hands_first_place_to_the_steepest():
    # On criterion 0's path A = t, B = 0.5, C = 1 − t, D = 0.6 − 0.2t: all four meet at t = 0.5.
    # Going down, C's line rises fastest, so C (not B or D) is first just below.
    problem = _problem([[10, 0], [5, 5], [0, 10], [4, 6]], [0.7, 0.3], directions=["benefit", "benefit"])

    result = weight_sensitivity(problem, "wsm")

    assert result.top == ("o0",)
    assert result.criteria[0].top_below == ("o2",)
    assert_allclose(result.criteria[0].lower, 0.5)


def test_an_exact_tie_at_the_top_breaks_at_once():
    problem = _problem([[10, 0], [0, 10]], [0.5, 0.5], directions=["benefit", "benefit"])

    result = weight_sensitivity(problem, "wsm")

    assert result.top == ("o0", "o1")
    assert (result.criteria[0].lower, result.criteria[0].upper) == (0.5, 0.5)
    assert result.criteria[0].top_above == ("o0",)
    assert result.criteria[0].top_below == ("o1",)


def test_a_single_criterion_never_changes_the_top():
    result = weight_sensitivity(_problem([[1.0], [2.0]], [1.0], directions=["benefit"]), "topsis")

    criterion = result.criteria[0]
    assert (criterion.lower, criterion.upper, criterion.top_below, criterion.top_above) == (0.0, 1.0, None, None)


def test_a_criterion_holding_all_the_weight_hands_it_to_the_others_equally():
    problem = _problem([[10, 0, 0], [0, 10, 0], [0, 0, 4]], [1.0, 0.0, 0.0], directions=["benefit"] * 3)

    result = weight_sensitivity(problem, "wsm")

    # Below t the others share 1 − t equally: A = t, B = C' = (1 − t)/2 · (10, 4)/10 → B at t = 1/3.
    assert_allclose(result.criteria[0].lower, 1 / 3)
    assert result.criteria[0].top_below == ("o1",)


def test_plain_sentences_name_the_criterion_the_points_and_who_overtakes_whom():
    problem = Problem.build(
        ["CBP support", "Joint action"],
        ["Risk", "Reach"],
        [[2.0, 8.0], [6.0, 3.0]],
        ["cost", "benefit"],
        [0.5, 0.5],
        scales=[(0, 10), (0, 10)],
    )
    # CBP: 0.5·0.8 + 0.5·0.8 = 0.8; Joint: 0.5·0.4 + 0.5·0.3. Risk at t: CBP 0.8, Joint 0.4t + 0.3(1 − t).
    result = weight_sensitivity(problem, "wsm")

    sentences = weight_sentences(result)

    assert sentences == [
        "No weight on Risk, from 0 to 100 points, changes which option ranks first.",
        "No weight on Reach, from 0 to 100 points, changes which option ranks first.",
    ]
    closer = Problem.build(
        ["CBP support", "Joint action"],
        ["Risk", "Reach"],
        [[7.0, 9.0], [2.0, 3.0]],
        ["cost", "benefit"],
        [0.5, 0.5],
        scales=[(0, 10), (0, 10)],
    )
    # CBP = 0.3t + 0.9(1 − t), Joint = 0.8t + 0.3(1 − t): equal at t = 0.6/1.1 ≈ 0.545, 5 points above 0.5.
    assert weight_sentences(weight_sensitivity(closer, "wsm"))[0] == (
        "Risk would have to weigh 5 points more before Joint action overtakes CBP support."
    )


def test_a_tie_at_the_top_says_any_change_decides_it_not_less_than_1_point():
    problem = Problem.build(
        ["CBP support", "Joint action"],
        ["Risk", "Reach"],
        [[2.0, 6.0], [6.0, 2.0]],
        ["benefit", "benefit"],
        [0.5, 0.5],
        scales=[(0, 10), (0, 10)],
    )  # equal at any equal weights: first place is shared

    sentences = weight_sentences(weight_sensitivity(problem, "wsm"))

    assert "Reach would only have to weigh slightly more before CBP support alone ranks first." in sentences
    assert not any("less than 1 point" in s for s in sentences)
