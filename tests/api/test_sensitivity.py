"""POST /api/v1/sensitivity: each analysis over HTTP on the library problem of test_analyze.py, and bad input as 422.

    option      Cost (cost, 1–5)   Access (benefit, 1–5)   Floor space (benefit, 0–10)
    Riverside          3                    4                        5
    Old town           2                    5                        1
    Campus             4                    3                        4

Weights 2, 1, 1 → 0.5, 0.25, 0.25. WSM on the scales: normalised rows
Riverside (0.5, 0.75, 0.5), Old town (0.75, 1, 0.1), Campus (0.25, 0.5, 0.4).
"""

import pytest
from numpy.testing import assert_allclose

from optionsmatrix.api.analysis_examples import SENSITIVITY_EXAMPLES
from optionsmatrix.limits import MAX_SMAA_SAMPLES, MAX_SMAA_WORK

URL = "/api/v1/sensitivity"


def _body(analysis, method="wsm", **changes):
    body = {
        "options": ["Riverside", "Old town", "Campus"],
        "criteria": [
            {"name": "Cost", "direction": "cost", "weight": 2, "scale_min": 1, "scale_max": 5},
            {"name": "Access", "direction": "benefit", "weight": 1, "scale_min": 1, "scale_max": 5},
            {"name": "Floor space", "direction": "benefit", "weight": 1, "scale_min": 0, "scale_max": 10},
        ],
        "scores": [[3, 4, 5], [2, 5, 1], [4, 3, 4]],
        "method": method,
        "analysis": analysis,
    }
    body.update(changes)
    return body


def _error(response):
    assert response.status_code == 422, response.text
    (detail,) = response.json()["detail"]
    return detail


def test_weight_intervals_of_the_library_problem_worked_by_hand(anonymous):
    """Cost at t, the others sharing 1 − t equally: Riverside 0.5t + 0.625(1 − t), Old town 0.75t + 0.55(1 − t).

    They cross where 0.625 − 0.125t = 0.55 + 0.2t, t = 0.075/0.325 = 3/13. Floor space at t (Cost and Access
    2:1 of the rest): Old town 0.8333(1 − t) + 0.1t, Riverside 0.5833(1 − t) + 0.5t, crossing at t = 0.25/0.65 = 5/13.
    """
    response = anonymous.post(URL, json=_body("weights"))

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["analysis"] == "weights"
    assert (result["method"], result["normalization"], result["tolerance"]) == ("wsm", "scale", 0.0)
    assert result["top"] == ["Old town"]
    cost, access, floor = result["criteria"]
    assert (cost["name"], cost["weight"], cost["upper"], cost["top_below"], cost["top_above"]) == (
        "Cost",
        0.5,
        1.0,
        ["Riverside"],
        None,
    )
    assert_allclose(cost["lower"], 3 / 13, rtol=1e-12)
    assert access == {
        "name": "Access",
        "weight": 0.25,
        "lower": 0.0,
        "upper": 1.0,
        "top_below": None,
        "top_above": None,
    }
    assert_allclose(floor["upper"], 5 / 13, rtol=1e-12)
    assert (floor["lower"], floor["top_below"], floor["top_above"]) == (0.0, None, ["Riverside"])


def test_weight_intervals_for_topsis_state_their_tolerance(anonymous):
    result = anonymous.post(URL, json=_body("weights", "topsis")).json()

    assert result["tolerance"] == 1e-6
    assert result["top"] == ["Riverside"]
    assert len(result["criteria"]) == 3


def test_smaa_answers_shares_per_rank_central_weights_and_confidence(anonymous):
    response = anonymous.post(URL, json=_body("smaa", samples=4000, seed=123))

    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["analysis"], result["samples"], result["seed"], result["method"]) == ("smaa", 4000, 123, "wsm")
    assert_allclose([sum(row) for row in result["acceptability"]], 1.0)
    assert_allclose([sum(col) for col in zip(*result["acceptability"], strict=True)], 1.0)
    # Campus is dominated by Riverside, so it is never first: no central weights, no confidence.
    assert result["acceptability"][2][0] == 0.0
    assert result["central_weights"][2] is None and result["confidence"][2] is None
    assert_allclose(sum(result["central_weights"][1]), 1.0)
    assert result["confidence"][:2] == [1.0, 1.0]
    assert anonymous.post(URL, json=_body("smaa", samples=4000, seed=123)).json() == result


def test_smaa_without_a_seed_returns_the_one_it_chose_and_uses_10000_samples(anonymous):
    result = anonymous.post(URL, json=_body("smaa", "topsis")).json()

    assert result["samples"] == 10_000
    assert isinstance(result["seed"], int)
    again = anonymous.post(URL, json=_body("smaa", "topsis", seed=result["seed"])).json()
    assert again["acceptability"] == result["acceptability"]


def test_smaa_within_bounds_and_an_order(anonymous):
    bounded = _body("smaa", samples=2000, seed=1, weight_bounds=[[0, 0.2], [0.3, 1], [0.3, 1]])
    ordered = _body("smaa", samples=2000, seed=1, criteria_order=[3, 1, 2])

    bounded_result = anonymous.post(URL, json=bounded).json()
    ordered_result = anonymous.post(URL, json=ordered).json()

    for weights in filter(None, bounded_result["central_weights"]):
        assert weights[0] <= 0.2 + 1e-12
    for weights in filter(None, ordered_result["central_weights"]):
        assert weights[1] >= weights[2] >= weights[0]


def test_dominance_names_the_dominators_and_the_efficient_set(anonymous):
    result = anonymous.post(URL, json=_body("dominance")).json()

    # Riverside beats Campus on all three (cost 3 < 4, access 4 > 3, space 5 > 4).
    assert result == {
        "analysis": "dominance",
        "dominated_by": [[], [], ["Riverside"]],
        "efficient": ["Riverside", "Old town"],
    }


def test_methods_side_by_side_with_kendall_tau(anonymous):
    result = anonymous.post(URL, json=_body("methods")).json()

    assert result["methods"] == ["wsm", "wpm", "topsis", "vikor", "promethee2"]
    assert result["ranks"]["wsm"] == [2, 1, 3] and result["ranks"]["topsis"] == [1, 2, 3]
    assert_allclose(result["kendall_tau"]["wsm"]["topsis"], 1 / 3)
    assert result["kendall_tau"]["vikor"]["vikor"] == 1.0
    assert result["skipped"] == {}


@pytest.mark.parametrize("name", sorted(SENSITIVITY_EXAMPLES))
def test_every_openapi_example_is_answered(anonymous, name):
    body = SENSITIVITY_EXAMPLES[name]["value"]

    response = anonymous.post(URL, json=body)

    assert response.status_code == 200, response.text
    assert response.json()["analysis"] == body["analysis"]


def test_the_openapi_schema_lists_an_example_for_each_analysis(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    examples = schema["paths"][URL]["post"]["requestBody"]["content"]["application/json"]["examples"]

    assert {example["value"]["analysis"] for example in examples.values()} == {
        "weights",
        "smaa",
        "dominance",
        "methods",
    }


# Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bounds", "code"),
    [
        ([[0.5, 1], [0.3, 1], [0.3, 1]], "bounds_lower_above_one"),
        ([[0, 0.3], [0, 0.3], [0, 0.3]], "bounds_upper_below_one"),
        ([[0.6, 0.4], [0, 1], [0, 1]], "bounds_invalid"),
    ],
)
def test_impossible_weight_bounds_are_422_naming_weight_bounds(anonymous, bounds, code):
    detail = _error(anonymous.post(URL, json=_body("smaa", samples=100, weight_bounds=bounds)))

    assert detail["code"] == code
    assert detail["loc"][:2] == ["body", "weight_bounds"]


def test_bounds_for_the_wrong_number_of_criteria_are_422(anonymous):
    detail = _error(anonymous.post(URL, json=_body("smaa", samples=100, weight_bounds=[[0, 1], [0, 1]])))

    assert detail["loc"] == ["body", "weight_bounds"]


def test_a_bound_that_is_not_a_pair_is_422_from_the_schema(anonymous):
    response = anonymous.post(URL, json=_body("smaa", weight_bounds=[[0, 1, 2], [0, 1], [0, 1]]))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "weight_bounds", 0]


@pytest.mark.parametrize(
    ("order", "loc"),
    [
        ([1, 2], ["body", "criteria_order"]),
        ([1, 1, 2], ["body", "criteria_order"]),
        ([0, 1, 2], ["body", "criteria_order", 0]),
    ],
)
def test_a_bad_criteria_order_is_422(anonymous, order, loc):
    detail = _error(anonymous.post(URL, json=_body("smaa", samples=100, criteria_order=order)))

    assert detail["loc"] == loc


def test_an_order_that_contradicts_the_bounds_is_422(anonymous):
    body = _body("smaa", samples=100, criteria_order=[1, 2, 3], weight_bounds=[[0, 0.2], [0.3, 1], [0, 1]])

    assert _error(anonymous.post(URL, json=body))["code"] == "bounds_conflict_with_order"


@pytest.mark.parametrize("samples", [0, MAX_SMAA_SAMPLES + 1, 1.5, "100"])
def test_samples_out_of_range_are_422(anonymous, samples):
    response = anonymous.post(URL, json=_body("smaa", samples=samples))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "samples"]


def test_samples_times_options_times_criteria_is_capped_and_promethee_counts_pairs(anonymous):
    options = [f"option {i}" for i in range(100)]
    scores = [[1 + (i * 7 + j) % 5 for j in range(20)] for i in range(100)]
    criteria = [{"name": f"c{j}", "direction": "benefit", "weight": 1} for j in range(20)]
    cap = MAX_SMAA_WORK // (100 * 20)  # 10,000 samples fit exactly
    body = _body("smaa", options=options, scores=scores, criteria=criteria, samples=cap + 1)

    detail = _error(anonymous.post(URL, json=body))
    assert detail["loc"] == ["body", "samples"] and detail["code"] == "samples_too_many"
    assert f"at most {cap:,} samples" in detail["msg"]

    pairs = _error(anonymous.post(URL, json={**body, "method": "promethee2", "samples": cap // 100 + 1}))
    assert "at most 100 samples" in pairs["msg"]


@pytest.mark.parametrize("name", ["samples", "seed", "weight_bounds", "criteria_order"])
def test_smaa_settings_with_another_analysis_are_422(anonymous, name):
    value = {"samples": 10, "seed": 1, "weight_bounds": [[0, 1]] * 3, "criteria_order": [1, 2, 3]}[name]

    detail = _error(anonymous.post(URL, json=_body("weights", **{name: value})))

    assert detail["loc"] == ["body", name] and detail["code"] == "setting_not_taken"


@pytest.mark.parametrize("seed", [-1, 2**53, "7"])
def test_a_bad_seed_is_422(anonymous, seed):
    response = anonymous.post(URL, json=_body("smaa", seed=seed))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "seed"]


def test_an_unknown_analysis_and_problem_errors_are_422_in_the_analyze_shape(anonymous):
    assert anonymous.post(URL, json=_body("tornado")).status_code == 422
    detail = _error(anonymous.post(URL, json=_body("weights", scores=[[3, 4, 50], [2, 5, 1], [4, 3, 4]])))
    assert detail["loc"] == ["body", "scores", 0, 2]
    zero = _body("smaa", "wpm", samples=10, scores=[[0, 4, 5], [2, 5, 1], [4, 3, 4]])
    zero["criteria"][0]["scale_min"] = 0
    assert _error(anonymous.post(URL, json=zero))["code"] == "score_not_positive"


def test_no_login_is_needed(anonymous):
    assert "Authorization" not in anonymous.headers
    assert anonymous.post(URL, json=_body("dominance")).status_code == 200
