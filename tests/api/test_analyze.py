"""POST /api/v1/analyze: every method on one small problem, the working, warnings, and bad input as 422.

The problem (three library sites) is small enough to check by hand. Weights
2, 1, 1 become 0.5, 0.25, 0.25.

    option      Cost (cost, 1–5)   Access (benefit, 1–5)   Floor space (benefit, 0–10)
    Riverside          3                    4                        5
    Old town           2                    5                        1
    Campus             4                    3                        4
"""

import json
import math
from typing import get_args

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from optionsmatrix.analysis import (
    METHOD_NAMES,
    NORMALIZATIONS,
    PREFERENCE_FUNCTIONS,
    AnalysisError,
    Problem,
    allowed_normalizations,
    rank,
)
from optionsmatrix.schemas.analysis import AnalyzeResponse, MethodName, NormalizationName, PreferenceName

URL = "/api/v1/analyze"
SCORES = [[3, 4, 5], [2, 5, 1], [4, 3, 4]]


def _body(method="wsm", **changes):
    body = {
        "options": ["Riverside", "Old town", "Campus"],
        "criteria": [
            {"name": "Cost", "direction": "cost", "weight": 2, "scale_min": 1, "scale_max": 5},
            {"name": "Access", "direction": "benefit", "weight": 1, "scale_min": 1, "scale_max": 5},
            {"name": "Floor space", "direction": "benefit", "weight": 1, "scale_min": 0, "scale_max": 10},
        ],
        "scores": [row[:] for row in SCORES],
        "method": method,
    }
    body.update(changes)
    return body


def _raw(client, text):
    return client.post(URL, content=text, headers={"content-type": "application/json"})


def _locs(response):
    return [error["loc"] for error in response.json()["detail"]]


# Each method, by hand -----------------------------------------------------------

# WSM, scale: Riverside 0.5·(5−3)/4 + 0.25·(4−1)/4 + 0.25·5/10 = 0.25 + 0.1875 + 0.125.
WSM_SCALE = [0.5625, 0.65, 0.35]
# WPM, raw: Π r^w with r = 1/x for the cost criterion.
WPM_NONE = [
    (1 / 3) ** 0.5 * 4**0.25 * 5**0.25,
    (1 / 2) ** 0.5 * 5**0.25 * 1**0.25,
    (1 / 4) ** 0.5 * 3**0.25 * 4**0.25,
]
# VIKOR, v = 0.5: S = [0.375, 0.25, 0.8125], R = [0.25, 0.25, 0.5], so Q = [1/9, 0, 1].
VIKOR_Q = [1 / 9, 0.0, 1.0]
# PROMETHEE II, 'usual' everywhere: π(R,O) = 0.25, π(O,R) = 0.75, π(R,C) = 1, π(C,R) = 0,
# π(O,C) = 0.75, π(C,O) = 0.25; net flow = (Σ out − Σ in)/2.
PROMETHEE_NET = [0.25, 0.5, -0.75]


def _topsis_by_hand():
    x = np.array(SCORES, dtype=float)
    v = x / np.sqrt((x**2).sum(axis=0)) * np.array([0.5, 0.25, 0.25])
    ideal = np.array([v[:, 0].min(), v[:, 1].max(), v[:, 2].max()])
    anti = np.array([v[:, 0].max(), v[:, 1].min(), v[:, 2].min()])
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus)


@pytest.mark.parametrize(
    ("method", "extra", "normalization", "expected", "ranks", "higher_is_better"),
    [
        ("wsm", {}, "scale", WSM_SCALE, [2, 1, 3], True),
        ("wpm", {}, "none", WPM_NONE, [1, 2, 3], True),
        ("topsis", {}, "vector", list(_topsis_by_hand()), [1, 2, 3], True),
        ("vikor", {"params": {"v": 0.5}}, None, VIKOR_Q, [2, 1, 3], False),
        ("promethee2", {}, None, PROMETHEE_NET, [2, 1, 3], True),
    ],
)
def test_each_method_ranks_the_library_problem_as_computed_by_hand(
    anonymous, method, extra, normalization, expected, ranks, higher_is_better
):
    response = anonymous.post(URL, json=_body(method, **extra))

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["method"] == method
    assert result["normalization"] == normalization
    assert result["higher_is_better"] is higher_is_better
    assert_allclose(result["scores"], expected, rtol=1e-12, atol=1e-15)
    assert result["ranks"] == ranks
    names = result["options"]
    assert result["order"] == [names[i] for i in np.argsort(ranks, kind="stable")]
    assert "steps" not in result
    assert result["warnings"] == []


def test_topsis_with_minmax_normalization_uses_the_observed_range(anonymous):
    # Min–max on the observed range, cost turned around: Cost (4 − x)/2, Access (x − 3)/2, Floor space (x − 1)/4.
    normalized = [[0.5, 0.5, 1.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.75]]
    # Weighted by 0.5, 0.25, 0.25; the ideal is each column's max (0.5, 0.25, 0.25), the anti-ideal 0.
    weighted = [[0.25, 0.125, 0.25], [0.5, 0.25, 0.0], [0.0, 0.0, 0.1875]]
    # d⁺ = √5/8, 1/4, 9/16 and d⁻ = 3/8, √5/4, 3/16, so C = d⁻/(d⁺ + d⁻):
    to_ideal = [math.sqrt(5) / 8, 1 / 4, 9 / 16]
    to_anti_ideal = [3 / 8, math.sqrt(5) / 4, 3 / 16]
    closeness = [3 / (3 + math.sqrt(5)), math.sqrt(5) / (1 + math.sqrt(5)), 1 / 4]  # 0.5729, 0.6910, 0.25

    response = anonymous.post(URL, json=_body("topsis", normalization="minmax", explain=True))

    assert response.status_code == 200
    result = response.json()
    assert result["normalization"] == "minmax"
    assert_allclose(result["steps"]["normalized"], normalized, rtol=1e-12)
    assert_allclose(result["steps"]["weighted"], weighted, rtol=1e-12)
    assert_allclose(result["details"]["distance_to_ideal"], to_ideal, rtol=1e-12)
    assert_allclose(result["details"]["distance_to_anti_ideal"], to_anti_ideal, rtol=1e-12)
    assert_allclose(result["scores"], closeness, rtol=1e-12)
    assert result["ranks"] == [2, 1, 3]


def test_vikor_reports_its_compromise_set_and_promethee_its_flows(anonymous):
    vikor = anonymous.post(URL, json=_body("vikor")).json()
    promethee = anonymous.post(URL, json=_body("promethee2")).json()

    assert vikor["details"]["compromise_set"] == ["Old town", "Riverside"]  # Q gap 1/9 < DQ = 1/2
    assert_allclose(vikor["details"]["S"], [0.375, 0.25, 0.8125])
    assert_allclose(vikor["details"]["R"], [0.25, 0.25, 0.5])
    assert_allclose(promethee["details"]["phi_plus"], [0.625, 0.75, 0.125])
    assert_allclose(promethee["details"]["phi_minus"], [0.375, 0.25, 0.875])


def test_promethee_uses_each_criterions_preference_function(anonymous):
    body = _body("promethee2")
    body["criteria"][1]["preference"] = {"function": "v_shape", "p": 2}  # Access: a gap of 1 counts half

    result = anonymous.post(URL, json=body).json()

    # π(R,O) = .25, π(O,R) = .5 + .25·.5, π(R,C) = .5 + .25·.5 + .25, π(C,R) = 0, π(O,C) = .5 + .25, π(C,O) = .25
    assert_allclose(
        result["scores"],
        [(0.25 + 0.875 - 0.625 - 0) / 2, (0.625 + 0.75 - 0.25 - 0.25) / 2, (0 + 0.25 - 0.875 - 0.75) / 2],
    )


def test_explain_returns_every_intermediate_table(anonymous):
    result = anonymous.post(URL, json=_body("topsis", explain=True)).json()

    steps = result["steps"]
    assert list(steps) == [
        "normalized",
        "weighted",
        "ideal",
        "anti_ideal",
        "distance_to_ideal",
        "distance_to_anti_ideal",
    ]
    x = np.array(SCORES, dtype=float)
    assert_allclose(steps["normalized"], x / np.sqrt((x**2).sum(axis=0)))
    assert np.array(steps["weighted"]).shape == (3, 3)
    assert_allclose(steps["distance_to_ideal"], result["details"]["distance_to_ideal"])


def test_wsm_explained_rows_add_up_to_the_scores(anonymous):
    result = anonymous.post(URL, json=_body("wsm", explain=True)).json()

    assert_allclose(np.sum(result["steps"]["weighted"], axis=1), WSM_SCALE)


def test_warnings_say_when_a_criterion_cannot_separate_the_options(anonymous):
    body = _body("wsm", normalization="minmax", scores=[[3, 4, 5], [2, 4, 1], [4, 4, 4]])

    result = anonymous.post(URL, json=body).json()

    assert result["warnings"] == [
        (
            "criterion 'Access' has the same value for every option, so min–max normalisation cannot separate "
            "them; every option gets 1 on it"
        )
    ]


def test_a_single_option_ranks_first_with_a_warning(anonymous):
    body = _body("topsis", options=["Riverside"], scores=[SCORES[0]])

    result = anonymous.post(URL, json=body).json()

    assert result["ranks"] == [1]
    assert "only one option" in result["warnings"][0]


def test_no_login_is_needed_and_nothing_is_stored(anonymous, client):
    assert anonymous.post(URL, json=_body()).status_code == 200
    assert client.get("/api/v1/matrices").json()["total"] == 0


# Bad input ------------------------------------------------------------------------


def _with_criterion(index, **changes):
    body = _body()
    body["criteria"][index].update(changes)
    return body


BAD_BODIES = [
    (_body("electre"), ["body", "method"]),
    (_body("vikor", normalization="scale"), ["body", "normalization"]),
    (_body("topsis", normalization="sum"), ["body", "normalization"]),
    (_body(normalization="zscore"), ["body", "normalization"]),
    (_body(scores=SCORES[:2]), ["body", "scores"]),
    (_body(scores=[[3, 4, 5], [2, 5], [4, 3, 4]]), ["body", "scores"]),
    (_body(scores=[[3, 4, 5], [2, 5, "1"], [4, 3, 4]]), ["body", "scores", 1, 2]),
    (_body(scores=[[3, 4, 5], [2, 5, 11], [4, 3, 4]]), ["body", "scores", 1, 2]),  # outside 0–10, scale normalisation
    (_body(scores=[[3, 4, 5], [2, 5, 1e200], [4, 3, 4]]), ["body", "scores", 1, 2]),
    (_body("wpm", scores=[[3, 4, 5], [2, 5, 0], [4, 3, 4]]), ["body", "scores", 1, 2]),
    (_with_criterion(0, weight=-1), ["body", "criteria", 0, "weight"]),
    (_with_criterion(1, direction="up"), ["body", "criteria", 1, "direction"]),
    (_with_criterion(1, name=""), ["body", "criteria", 1, "name"]),
    (_with_criterion(1, name="Cost"), ["body", "criteria", 1, "name"]),
    (_with_criterion(2, scale_max=None), ["body", "criteria", 2]),
    (_with_criterion(2, scale_min=10, scale_max=0), ["body", "criteria", 2, "scale_max"]),
    (_with_criterion(2, colour="red"), ["body", "criteria", 2, "colour"]),
    (_body(options=["Riverside", "Riverside", "Campus"]), ["body", "options", 1]),
    (_body(options=[]), ["body", "options"]),
    (_body(colour="red"), ["body", "colour"]),
    (_body(explain="yes"), ["body", "explain"]),
    (_body("vikor", params={"v": 1.5}), ["body", "params", "v"]),
    (_body("topsis", params={"v": 0.5}), ["body", "params", "v"]),
    (_body("vikor", params={"w": 0.5}), ["body", "params", "w"]),
]


@pytest.mark.parametrize(
    ("body", "loc"), BAD_BODIES, ids=[json.dumps(b[1][1:]) + str(i) for i, b in enumerate(BAD_BODIES)]
)
def test_bad_input_is_422_naming_the_field(anonymous, body, loc):
    response = anonymous.post(URL, json=body)

    assert response.status_code == 422, response.text
    assert loc in _locs(response)


def test_all_zero_weights_are_refused_with_the_reason(anonymous):
    body = _body()
    for criterion in body["criteria"]:
        criterion["weight"] = 0

    response = anonymous.post(URL, json=body)

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "criteria"],
            "msg": "weights must not all be zero (all 3 are 0); give at least one criterion a positive weight",
            "type": "value_error",
            "code": "weights_all_zero",
        }
    ]


def test_a_score_outside_its_scale_names_option_criterion_and_scale(anonymous):
    response = anonymous.post(URL, json=_body(scores=[[3, 4, 5], [7, 5, 1], [4, 3, 4]]))

    assert response.json()["detail"][0] == {
        "loc": ["body", "scores", 1, 0],
        "msg": "criterion 'Cost' has score 7 outside its scale 1–5 for option 'Old town'",
        "type": "value_error",
        "code": "score_outside_scale",
    }


def test_missing_promethee_threshold_names_the_criterion(anonymous):
    body = _with_criterion(1, preference={"function": "linear", "q": 1})
    body["method"] = "promethee2"

    response = anonymous.post(URL, json=body)

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "criteria", 1, "preference", "p"]
    assert "criterion 'Access'" in error["msg"] and "0 <= q < p" in error["msg"]


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"options": [f"O{i}" for i in range(201)], "scores": [[1, 1, 1]] * 201}, ["body", "options"]),
        ({"scores": [[1, 1, 1]] * 201}, ["body", "scores"]),
        ({"scores": [[1] * 51] * 3}, ["body", "scores", 0]),
    ],
)
def test_a_problem_past_200_options_or_50_criteria_is_refused(anonymous, changes, loc):
    response = anonymous.post(URL, json=_body(**changes))

    assert response.status_code == 422
    assert loc in _locs(response)


def test_more_than_50_criteria_is_refused(anonymous):
    criteria = [{"name": f"C{j}", "direction": "benefit", "weight": 1} for j in range(51)]

    response = anonymous.post(URL, json=_body(criteria=criteria, scores=[[1] * 51] * 3))

    assert response.status_code == 422
    assert ["body", "criteria"] in _locs(response)


PLACEHOLDER = '"__number__"'


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (_body("vikor", scores=[[3, 4, 5], [2, 5, "__number__"], [4, 3, 4]]), ["body", "scores", 1, 2]),
        (_body("vikor", params={"v": "__number__"}), ["body", "params", "v"]),
        (_with_criterion(0, weight="__number__"), ["body", "criteria", 0, "weight"]),
        (_with_criterion(2, scale_min="__number__"), ["body", "criteria", 2, "scale_min"]),
        (
            _with_criterion(1, preference={"function": "v_shape", "p": "__number__"}),
            ["body", "criteria", 1, "preference", "p"],
        ),
    ],
)
def test_non_finite_numbers_in_raw_json_are_422_not_500(anonymous, literal, body, loc):
    text = json.dumps(body).replace(PLACEHOLDER, literal)

    response = _raw(anonymous, text)

    assert response.status_code == 422, response.text
    assert loc in _locs(response)


def test_the_schema_lists_the_cores_names():
    assert get_args(MethodName) == METHOD_NAMES
    assert get_args(NormalizationName) == NORMALIZATIONS
    assert get_args(PreferenceName) == PREFERENCE_FUNCTIONS


def test_openapi_documents_an_example_for_every_method(anonymous):
    operation = anonymous.get("/api/v1/openapi.json").json()["paths"][URL]["post"]

    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert sorted(examples) == sorted(METHOD_NAMES)
    assert operation["description"].startswith("Rank options scored against weighted criteria")
    for example in examples.values():
        assert anonymous.post(URL, json=example["value"]).status_code == 200


# Fuzz: whatever numbers arrive, the answer is 200 or 422, never a 500 and never NaN --------

_numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1e-320, 1e-100, 1e100, 1e300, -0.0]),
)
# Inside every method's domain: > 0 (wpm, 'sum', 'max') and inside the 0–100 scales below.
_valid_scores = st.one_of(
    st.integers(1, 100),
    st.floats(1e-100, 100, allow_subnormal=False),
    st.sampled_from([1e-100, 1e-9, 0.5, 99.5, 100]),
)
_valid_weights = st.one_of(st.floats(0, 1e100, allow_subnormal=False), st.sampled_from([0, 1e-100, 1, 1e100]))


RUNS = [(method, normalization) for method in METHOD_NAMES for normalization in [None, *allowed_normalizations(method)]]


@st.composite
def _valid_bodies(draw, run=None):
    """A body `run` (a method and normalization; any when None) must rank: at least one positive
    weight, scores > 0 and inside the scales."""
    method, normalization = run if run is not None else draw(st.sampled_from(RUNS))
    m = draw(st.integers(1, 4))
    body = _body(method, options=[f"O{i}" for i in range(m)])
    body["scores"] = draw(st.lists(st.lists(_valid_scores, min_size=3, max_size=3), min_size=m, max_size=m))
    weights = draw(st.lists(_valid_weights, min_size=3, max_size=3))
    weights[draw(st.integers(0, 2))] = draw(st.floats(1e-6, 1e6))
    use_scales = normalization == "scale" or draw(st.booleans())
    for criterion, weight in zip(body["criteria"], weights, strict=True):
        criterion["weight"] = weight
        criterion["scale_min"], criterion["scale_max"] = 0, 100
        if not use_scales:
            del criterion["scale_min"], criterion["scale_max"]
        if method == "wsm" and normalization == "none":
            criterion["direction"] = "benefit"  # adding raw scores is refused for a cost criterion
    if normalization is not None:
        body["normalization"] = normalization
    if method == "vikor":
        body["params"] = {"v": draw(st.floats(0, 1))}
    return body


@st.composite
def _arbitrary_bodies(draw):
    """Any numbers at all in the scores, weights and scales: some bodies valid, many not."""
    method = draw(st.sampled_from(METHOD_NAMES))
    scores = draw(st.lists(st.lists(_numbers, min_size=3, max_size=3), min_size=1, max_size=4))
    body = _body(method, scores=scores, options=[f"O{i}" for i in range(len(scores))])
    use_scales = draw(st.booleans())
    for criterion in body["criteria"]:
        criterion["weight"] = draw(_numbers)
        if use_scales:
            criterion["scale_min"], criterion["scale_max"] = draw(_numbers), draw(_numbers)
        else:
            del criterion["scale_min"], criterion["scale_max"]
    normalization = draw(st.sampled_from([None, *NORMALIZATIONS]))
    if normalization is not None:
        body["normalization"] = normalization
    return body


def _core_accepts(body):
    """What the analysis core says of the body, without HTTP: does it rank?"""
    criteria = body["criteria"]
    try:
        problem = Problem.build(
            body["options"],
            [c["name"] for c in criteria],
            body["scores"],
            [c["direction"] for c in criteria],
            [c["weight"] for c in criteria],
            [(c["scale_min"], c["scale_max"]) if "scale_min" in c else None for c in criteria],
        )
        rank(problem, body["method"], body.get("normalization"), body.get("params"))
    except AnalysisError:
        return False
    return True


def _check_ranked(response, body):
    assert response.status_code == 200, (body, response.text)
    result = response.json()
    m = len(body["options"])
    assert len(result["scores"]) == m and all(math.isfinite(score) for score in result["scores"])
    assert sorted(result["order"]) == sorted(body["options"])
    assert min(result["ranks"]) == 1 and max(result["ranks"]) <= m


@pytest.mark.parametrize("run", RUNS, ids=[f"{method}-{normalization}" for method, normalization in RUNS])
def test_every_method_and_normalization_ranks_any_valid_body_with_finite_scores(anonymous, run):
    @settings(max_examples=15, deadline=None)
    @given(body=_valid_bodies(run))
    def post(body):
        _check_ranked(anonymous.post(URL, json=body), body)

    post()


def test_arbitrary_numbers_never_produce_a_500_or_nan(anonymous):
    answers = []

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid=st.booleans(), data=st.data())
    def post(valid, data):
        body = data.draw(_valid_bodies() if valid else _arbitrary_bodies())
        response = anonymous.post(URL, json=body)
        answers.append((valid, response.status_code))
        if valid or _core_accepts(body):
            _check_ranked(response, body)
        else:
            assert response.status_code == 422, (body, response.text)
            assert all(error["loc"][0] == "body" for error in response.json()["detail"])

    post()
    statuses = [status for _, status in answers]
    assert set(statuses) == {200, 422}
    # Half the draws are valid by construction (each one checked ranked above): a quarter is a bound
    # that random draws of 120 never miss (p < 1e-8), so this fails only if valid bodies stop ranking.
    assert statuses.count(200) >= len(statuses) // 4, statuses
    assert sum(valid for valid, _ in answers) >= len(answers) // 4


@pytest.mark.parametrize("options", [3, 80])
def test_small_and_large_problems_answer_alike(client, options):
    body = {
        "options": [f"Site {i}" for i in range(options)],
        "criteria": [{"name": "Cost", "direction": "cost", "weight": 1, "scale_min": 0, "scale_max": 100}],
        "scores": [[i % 100] for i in range(options)],
        "method": "promethee2",
    }

    answer = client.post(URL, json=body)

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    data = answer.json()
    assert "steps" not in data and data["order"][0] == "Site 0" and data["ranks"][0] == 1
    assert client.post(URL, json={**body, "explain": True}).json()["steps"]


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("method", METHOD_NAMES)
def test_every_answer_is_exactly_the_documented_response(anonymous, method, explain):
    # The endpoint writes the core's dict out without the response model: it must still be that model.
    answer = anonymous.post(URL, json=_body(method, explain=explain))

    documented = AnalyzeResponse.model_validate_json(answer.content)
    assert json.loads(documented.model_dump_json(exclude_unset=True)) == answer.json()
    assert ("steps" in answer.json()) is explain


@pytest.mark.parametrize(("options", "threaded"), [(20, False), (200, True)])
def test_a_large_pairwise_problem_ranks_in_a_worker_thread_and_answers_the_same(
    anonymous, monkeypatch, options, threaded
):
    # 200 options × 2 criteria × 200 pairs is past INLINE_CELLS, 20 × 2 × 20 is not.
    handed_over = []

    async def run_in_threadpool(function, *args):
        handed_over.append(function)
        return function(*args)

    monkeypatch.setattr("optionsmatrix.api.analysis.run_in_threadpool", run_in_threadpool)
    names = [f"Site {i}" for i in range(options)]
    scores = [[i % 7, (i * 3) % 11] for i in range(options)]
    body = {
        "options": names,
        "criteria": [
            {"name": "Cost", "direction": "cost", "weight": 1},
            {"name": "Reach", "direction": "benefit", "weight": 2},
        ],
        "scores": scores,
        "method": "promethee2",
    }

    result = anonymous.post(URL, json=body).json()

    assert bool(handed_over) is threaded
    expected = rank(
        Problem.build(names, ["Cost", "Reach"], scores, ["cost", "benefit"], [1, 2]), "promethee2"
    ).to_dict()
    del expected["steps"]
    assert result == json.loads(json.dumps(expected))
