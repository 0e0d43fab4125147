"""POST /api/v1/weights: each scheme by hand, AHP's consistency, and bad input as 422 naming the field."""

import json

import pytest
from numpy.testing import assert_allclose

URL = "/api/v1/weights"


def _raw(client, text):
    return client.post(URL, content=text, headers={"content-type": "application/json"})


def _locs(response):
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # ROC (Barron & Barrett 1996), n = 4: (1/4)(1 + 1/2 + 1/3 + 1/4), … ; the tie at 2 shares positions 2 and 3.
        ({"scheme": "roc", "ranks": [1, 2, 3, 4]}, [25 / 48, 13 / 48, 7 / 48, 3 / 48]),
        ({"scheme": "roc", "ranks": [1, 2, 2, 4]}, [25 / 48, 10 / 48, 10 / 48, 3 / 48]),
        # Rank sum: (n − position + 1) / Σk = 3/6, 2/6, 1/6 in rank order.
        ({"scheme": "rank_sum", "ranks": [2, 1, 3]}, [2 / 6, 3 / 6, 1 / 6]),
        ({"scheme": "swing", "points": [100, 60, 40]}, [0.5, 0.3, 0.2]),
        ({"scheme": "direct", "weights": [2, 1, 1]}, [0.5, 0.25, 0.25]),
        ({"scheme": "equal", "n": 4}, [0.25, 0.25, 0.25, 0.25]),
        # A perfectly consistent matrix (a_ij = w_i / w_j) gives back w exactly.
        ({"scheme": "ahp", "pairwise": [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]}, [4 / 7, 2 / 7, 1 / 7]),
        (
            {"scheme": "ahp", "pairwise": [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]], "priority": "geometric_mean"},
            [4 / 7, 2 / 7, 1 / 7],
        ),
    ],
)
def test_each_scheme_gives_the_weights_computed_by_hand(anonymous, body, expected):
    response = anonymous.post(URL, json=body)

    assert response.status_code == 200, response.text
    result = response.json()
    assert_allclose(result["weights"], expected, rtol=1e-12)
    assert (result["consistency"] is None) == (body["scheme"] != "ahp")
    assert result["warnings"] == []


def test_ahp_reports_consistency_and_warns_when_the_judgements_contradict(anonymous):
    consistent = anonymous.post(URL, json={"scheme": "ahp", "pairwise": [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]})
    # A over B 9, B over C 9, yet C over A 9: as contradictory as Saaty's scale allows.
    contradictory = anonymous.post(
        URL, json={"scheme": "ahp", "pairwise": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]}
    )

    consistency = consistent.json()["consistency"]
    assert consistency["lambda_max"] == pytest.approx(3.0)
    assert consistency["ci"] == pytest.approx(0.0, abs=1e-12)
    assert consistency["ri"] == 0.58
    assert consistency["cr"] == pytest.approx(0.0, abs=1e-12)
    result = contradictory.json()
    assert result["consistency"]["cr"] > 0.1
    assert result["warnings"][0].startswith("the pairwise judgements are inconsistent: consistency ratio CR = ")
    assert_allclose(result["weights"], [1 / 3, 1 / 3, 1 / 3])  # a symmetric contradiction: no criterion wins


BAD_BODIES = [
    ({"scheme": "roc", "ranks": [1, 1, 2]}, ["body", "ranks"]),  # after a tie at 1 the next rank is 3
    ({"scheme": "roc", "ranks": [1, 5]}, ["body", "ranks", 1]),
    ({"scheme": "rank_sum", "ranks": [1, 1.5]}, ["body", "rank_sum", "ranks", 1]),
    ({"scheme": "roc", "ranks": []}, ["body", "roc", "ranks"]),
    ({"scheme": "swing", "points": [80, 60]}, ["body", "points"]),  # no 100
    ({"scheme": "swing", "points": [100, 120]}, ["body", "points", 1]),
    ({"scheme": "direct", "weights": [0, 0, 0]}, ["body", "weights"]),
    ({"scheme": "direct", "weights": [1, -1]}, ["body", "weights", 1]),
    ({"scheme": "equal", "n": 0}, ["body", "equal", "n"]),
    ({"scheme": "equal", "n": 51}, ["body", "equal", "n"]),
    ({"scheme": "ahp", "pairwise": [[1, 2], [2, 1]]}, ["body", "pairwise", 1, 0]),  # not reciprocal
    ({"scheme": "ahp", "pairwise": [[1, 10], [0.1, 1]]}, ["body", "pairwise", 0, 1]),  # beyond Saaty's 9
    ({"scheme": "ahp", "pairwise": [[1, 2, 3], [0.5, 1]]}, ["body", "pairwise"]),
    ({"scheme": "ahp", "pairwise": [[1] * 16] * 16}, ["body", "pairwise"]),  # AHP stops at 15
    ({"scheme": "ahp", "pairwise": [[1]], "priority": "mean"}, ["body", "ahp", "priority"]),
    ({"scheme": "roc", "ranks": [1], "points": [100]}, ["body", "roc", "points"]),
    ({"scheme": "roc", "ranks": [1] * 51}, ["body", "roc", "ranks"]),
    ({"ranks": [1, 2]}, ["body"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_BODIES, ids=[json.dumps(b[0])[:50] for b in BAD_BODIES])
def test_bad_input_is_422_naming_the_field(anonymous, body, loc):
    response = anonymous.post(URL, json=body)

    assert response.status_code == 422, response.text
    assert loc in _locs(response)


def test_an_unknown_scheme_names_the_schemes_there_are(anonymous):
    response = anonymous.post(URL, json={"scheme": "entropy", "weights": [1]})

    assert response.status_code == 422
    assert "'roc', 'rank_sum', 'swing', 'ahp', 'direct', 'equal'" in response.json()["detail"][0]["msg"]


def test_all_zero_direct_weights_say_why(anonymous):
    response = anonymous.post(URL, json={"scheme": "direct", "weights": [0, 0]})

    assert response.json()["detail"][0]["msg"] == (
        "weights must not all be zero (all 2 are 0); give at least one criterion a positive weight"
    )


def test_a_negative_direct_weight_is_named_as_the_body_names_it(anonymous):
    response = anonymous.post(URL, json={"scheme": "direct", "weights": [1, -1]})

    assert response.json()["detail"][0]["msg"] == "'weights[1]' is -1; weights must be finite numbers >= 0"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999"])
@pytest.mark.parametrize(
    ("template", "loc"),
    [
        ('{"scheme": "swing", "points": [100, %s]}', ["body", "swing", "points", 1]),
        ('{"scheme": "direct", "weights": [%s]}', ["body", "direct", "weights", 0]),
        ('{"scheme": "ahp", "pairwise": [[1, %s], [1, 1]]}', ["body", "ahp", "pairwise", 0, 1]),
    ],
)
def test_non_finite_numbers_in_raw_json_are_422_not_500(anonymous, literal, template, loc):
    response = _raw(anonymous, template % literal)

    assert response.status_code == 422
    assert loc in _locs(response)


def test_openapi_documents_an_example_for_every_scheme(anonymous):
    operation = anonymous.get("/api/v1/openapi.json").json()["paths"][URL]["post"]

    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert sorted(examples) == ["ahp", "direct", "equal", "rank_sum", "roc", "swing"]
    assert operation["description"].startswith("Criterion weights (summing to 1)")
    for example in examples.values():
        assert anonymous.post(URL, json=example["value"]).status_code == 200
