"""Problem.build checks its input once, and every error names its field."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optionsmatrix.analysis import AnalysisError, Direction, PreferenceFunction, Problem


def build(**overrides):
    arguments = {
        "options": ["A", "B"],
        "criteria": ["Cost", "Quality", "Speed"],
        "scores": [[3, 4, 5], [2, 5, 1]],
        "directions": ["cost", "benefit", "benefit"],
        "weights": [2, 1, 1],
        "scales": None,
        "preferences": None,
    }
    arguments.update(overrides)
    return Problem.build(**arguments)


def error_of(**overrides) -> AnalysisError:
    with pytest.raises(AnalysisError) as caught:
        build(**overrides)
    return caught.value


def test_a_valid_problem_has_read_only_float_arrays_and_weights_summing_to_one():
    problem = build()
    assert problem.scores.dtype == np.float64 and not problem.scores.flags.writeable
    assert not problem.weights.flags.writeable and not problem.is_benefit.flags.writeable
    assert_allclose(problem.weights, [0.5, 0.25, 0.25])
    assert problem.directions == (Direction.COST, Direction.BENEFIT, Direction.BENEFIT)
    assert problem.is_benefit.tolist() == [False, True, True]
    assert problem.shape == (2, 3)
    assert problem.scale_bounds is None


def test_build_copies_the_callers_scores():
    scores = np.array([[3.0, 4, 5], [2, 5, 1]])
    problem = build(scores=scores)
    scores[0, 0] = 99
    assert problem.scores[0, 0] == 3


def test_a_single_zero_weight_is_allowed():
    assert_allclose(build(weights=[0, 1, 1]).weights, [0, 0.5, 0.5])


def test_huge_weights_are_normalised_without_overflow():
    assert_allclose(build(weights=[1e308, 1e308, 1e308]).weights, [1 / 3] * 3)


def test_scale_bounds_are_kept_when_every_criterion_has_a_scale():
    problem = build(scales=[(1, 5), (0, 10), (0, 5)])
    assert problem.scale_bounds.tolist() == [[1, 5], [0, 10], [0, 5]]
    assert build(scales=[(1, 5), None, (0, 5)]).scale_bounds is None


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"options": []}, "options", "at least one option"),
        ({"criteria": [], "scores": [[], []], "directions": [], "weights": []}, "criteria", "at least one criterion"),
        ({"options": ["A", "A"]}, "options[1]", "'A' appears as option 1 and 2"),
        ({"options": ["A", "  "]}, "options[1]", "non-empty name"),
        ({"options": "AB"}, "options", "list of option names"),
        ({"criteria": ["Cost", "Cost", "Speed"]}, "criteria[1].name", "unique"),
        ({"scores": [[1, 2, 3]]}, "scores", "shape 1×3; expected 2×3"),
        ({"scores": [[1, 2], [3, 4]]}, "scores", "shape 2×2; expected 2×3"),
        ({"scores": [[1, 2, 3], [4, 5]]}, "scores", "table of numbers"),
        ({"scores": [[1, "x", 3], [4, 5, 6]]}, "scores", "table of numbers"),
        ({"scores": [[1, 2, 3], [4, float("nan"), 6]]}, "scores[1][1]", "option 'B' on criterion 'Quality' is nan"),
        ({"scores": [[1, 2, float("inf")], [4, 5, 6]]}, "scores[0][2]", "finite"),
        ({"scores": [[1, 2, 1e200], [4, 5, 6]]}, "scores[0][2]", "between 1e-100 and 1e100"),
        ({"scores": [[1, 2, 1e-200], [4, 5, 6]]}, "scores[0][2]", "between 1e-100 and 1e100"),
        ({"directions": ["cost", "benefit"]}, "directions", "'directions' has 2 values; the problem has 3 criteria"),
        ({"directions": ["cost", "max", "benefit"]}, "criteria[1].direction", "expected 'benefit' or 'cost'"),
        ({"weights": [1, 1]}, "weights", "'weights' has 2 values; the problem has 3 criteria"),
        ({"weights": [1, -1, 1]}, "weights[1]", "criterion 'Quality' is -1"),
        ({"weights": [1, float("nan"), 1]}, "weights[1]", "finite"),
        ({"weights": [0, 0, 0]}, "weights", "weights must not all be zero"),
        ({"scales": [(1, 5)]}, "scales", "'scales' has 1 value; the problem has 3 criteria"),
        ({"scales": [(1, 5), (5, 5), None]}, "criteria[1].scale_max", "scale_min must be less than scale_max"),
        ({"scales": [(1, 5), ("a", 5), None]}, "criteria[1].scale_min", "pair (min, max)"),
        ({"scales": [(1, 5), (0, float("inf")), None]}, "criteria[1].scale_max", "finite"),
        (
            {"scales": [(1, 2), None, None]},
            "scores[0][0]",
            "criterion 'Cost' has score 3 outside its scale 1–2 for option 'A'",
        ),
        ({"preferences": [None, None]}, "preferences", "'preferences' has 2 values"),
        ({"preferences": [None, {"function": "v_shape"}, None]}, "criteria[1].preference.p", "criterion 'Quality'"),
        ({"preferences": [None, {"function": "v_shape", "p": 0}, None]}, "criteria[1].preference.p", "got p = 0"),
        ({"preferences": [{"function": "u_shape", "q": -1}, None, None]}, "criteria[0].preference.q", "q >= 0"),
        ({"preferences": [{"function": "level", "q": 3, "p": 2}, None, None]}, "criteria[0].preference.p", "q < p"),
        ({"preferences": [{"function": "linear", "p": 2}, None, None]}, "criteria[0].preference.q", "got none"),
        ({"preferences": [{"function": "gaussian", "s": 0}, None, None]}, "criteria[0].preference.s", "s > 0"),
        ({"preferences": [{"function": "step"}, None, None]}, "criteria[0].preference.function", "unknown"),
        ({"preferences": [{"function": "usual", "r": 1}, None, None]}, "criteria[0].preference.r", "unknown"),
        ({"preferences": ["usual", None, None]}, "criteria[0].preference", "must be an object"),
    ],
)
def test_invalid_input_names_its_field(overrides, field, fragment):
    error = error_of(**overrides)
    assert error.field == field
    assert fragment in error.message
    assert str(error) == error.message


def test_preference_function_constructed_directly_names_its_criterion():
    with pytest.raises(AnalysisError) as caught:
        PreferenceFunction("level", q=1, criterion="Cost")
    assert caught.value.message.startswith("criterion 'Cost': preference function 'level' needs")
    assert caught.value.field == "preference.p"


def test_preference_functions_accept_valid_thresholds():
    assert PreferenceFunction("u_shape", q=0).q == 0.0
    assert PreferenceFunction("linear", q=0, p=2).p == 2.0
    assert PreferenceFunction("gaussian", s=3).s == 3.0
    assert PreferenceFunction() == PreferenceFunction("usual")


def test_error_location_follows_fastapi_convention():
    error = error_of(scales=[(1, 5), (5, 5), None])
    assert error.loc == ("criteria", 1, "scale_max")
    assert (error.field, error.code) == ("criteria[1].scale_max", "scale_reversed")
    assert isinstance(error, ValueError)
