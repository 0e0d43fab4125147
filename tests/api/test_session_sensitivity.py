"""POST /api/v1/sessions/{id}/sensitivity: the matrix's four analyses on a session's group result."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.conftest import log_in


@pytest.fixture
def seminar(client, case_study_id):
    response = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={"weight_mode": "participant"})
    assert response.status_code == 201, response.text
    return response.json()


def _participant(app, seminar, name):
    body = {"join_code": seminar["join_code"], "display_name": name}
    joined = TestClient(app).post("/api/v1/sessions/join", json=body)
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {joined.json()['participant_token']}"
    return client


def _ballot(seminar, table, weights):
    return {
        "scores": {
            str(o["id"]): {str(c["id"]): int(table[i][j]) for j, c in enumerate(seminar["criteria"])}
            for i, o in enumerate(seminar["options"])
        },
        "weights": {str(c["id"]): float(w) for c, w in zip(seminar["criteria"], weights, strict=True)},
    }


def _room(app, seminar, tables, weights):
    people = []
    for k, (table, w) in enumerate(zip(tables, weights, strict=True)):
        person = _participant(app, seminar, f"P{k}")
        saved = person.put(f"/api/v1/sessions/{seminar['id']}/ballot", json=_ballot(seminar, table, w))
        assert saved.status_code == 200, saved.text
        people.append(person)
    return people


def _best(seminar):
    """The best score on each criterion: its top for a benefit, its bottom for a cost."""
    return np.array([c["scale_max"] if c["direction"] == "benefit" else c["scale_min"] for c in seminar["criteria"]])


def _url(seminar):
    return f"/api/v1/sessions/{seminar['id']}/sensitivity"


def test_smaa_draws_whole_ballots_so_an_option_first_on_every_ballot_is_always_first(app, client, seminar):
    m, n = len(seminar["options"]), len(seminar["criteria"])
    rng = np.random.default_rng(3)
    tables = []
    for _ in range(4):  # option 2 has the best score on every criterion, the others 2-4: first whatever the weights
        table = rng.integers(2, 5, size=(m, n))
        table[2] = _best(seminar)
        tables.append(table)
    _room(app, seminar, tables, rng.integers(1, 10, size=(4, n)))

    answer = client.post(_url(seminar), json={"analysis": "smaa", "samples": 500, "seed": 11}).json()

    assert answer["score_sampling"] == "ballot" and answer["weight_sampling"] == "ballot"
    assert answer["ballots_sampled"] == 4 and answer["samples"] == 500 and answer["seed"] == 11
    assert answer["option_ids"] == [o["id"] for o in seminar["options"]]
    assert answer["acceptability"][2][0] == pytest.approx(1.0)
    shares = np.array(answer["acceptability"])
    assert np.allclose(shares.sum(axis=0), 1) and np.allclose(shares.sum(axis=1), 1)


def test_smaa_over_two_opposed_ballots_splits_first_place_by_how_often_each_is_drawn(app, client, seminar):
    m, n = len(seminar["options"]), len(seminar["criteria"])
    first, second = np.full((m, n), 3), np.full((m, n), 3)
    first[0] = second[1] = _best(seminar)  # each ballot puts a different option first, whatever the weights
    _room(app, seminar, [first, second], [np.ones(n), np.ones(n)])

    answer = client.post(_url(seminar), json={"analysis": "smaa", "samples": 4000, "seed": 5}).json()
    again = client.post(_url(seminar), json={"analysis": "smaa", "samples": 4000, "seed": 5}).json()

    shares = [row[0] for row in answer["acceptability"]]
    assert shares[0] == pytest.approx(0.5, abs=0.04) and shares[1] == pytest.approx(0.5, abs=0.04)
    assert shares[0] + shares[1] == pytest.approx(1.0)
    assert again["acceptability"] == answer["acceptability"]  # the same seed, the same draws


@pytest.mark.parametrize("analysis", ["weights", "dominance", "methods"])
def test_the_other_analyses_run_on_the_aggregated_matrix(app, client, seminar, analysis):
    m, n = len(seminar["options"]), len(seminar["criteria"])
    rng = np.random.default_rng(8)
    _room(app, seminar, rng.integers(1, 6, size=(3, m, n)), rng.integers(1, 10, size=(3, n)))

    answer = client.post(_url(seminar), json={"analysis": analysis})
    matrix_answer = client.post(
        "/api/v1/sensitivity",
        json={**_as_analyze_body(client, seminar), "analysis": analysis},
    )

    assert answer.status_code == 200, answer.text
    body, expected = answer.json(), matrix_answer.json()
    assert body["criterion_ids"] == [c["id"] for c in seminar["criteria"]] and body["round"] == 1
    for key in {"weights": ["top", "criteria"], "dominance": ["dominated_by", "efficient"],
                "methods": ["ranks", "kendall_tau"]}[analysis]:  # fmt: skip
        assert body[key] == expected[key] or np.allclose(_numbers(body[key]), _numbers(expected[key]))


def _as_analyze_body(client, seminar):
    """The round's group result as an /analyze body: the same problem the session route analyses."""
    results = client.get(f"/api/v1/sessions/{seminar['id']}/results").json()
    option_ids = [str(o["id"]) for o in seminar["options"]]
    criterion_ids = [str(c["id"]) for c in seminar["criteria"]]
    return {
        "options": [o["name"] for o in seminar["options"]],
        "criteria": [
            {"name": c["name"], "direction": c["direction"], "weight": results["group_weights"][str(c["id"])],
             "scale_min": c["scale_min"], "scale_max": c["scale_max"]}
            for c in seminar["criteria"]
        ],  # fmt: skip
        "scores": [[results["group_scores"][o][c] for c in criterion_ids] for o in option_ids],
        "method": results["method"],
    }


def _numbers(value):
    if isinstance(value, dict):
        return [x for key in sorted(value) for x in _numbers(value[key])]
    if isinstance(value, list):
        return [x for item in value for x in _numbers(item)]
    return [float(value)] if isinstance(value, int | float) else []


def test_participants_see_it_only_once_the_round_is_revealed(app, client, seminar):
    m, n = len(seminar["options"]), len(seminar["criteria"])
    (person,) = _room(app, seminar, [np.full((m, n), 3)], [np.ones(n)])

    assert person.post(_url(seminar), json={"analysis": "dominance"}).status_code == 403
    client.post(f"/api/v1/sessions/{seminar['id']}/reveal")
    assert person.post(_url(seminar), json={"analysis": "dominance"}).status_code == 200


def test_outsiders_and_anonymous_callers_do_not_reach_it(app, session, make_instructor, seminar):
    assert TestClient(app).post(_url(seminar), json={"analysis": "weights"}).status_code == 401
    with TestClient(app) as stranger:
        log_in(stranger, session, make_instructor("stranger@example.org"))
        assert stranger.post(_url(seminar), json={"analysis": "weights"}).status_code == 404


def test_a_round_without_a_group_ranking_is_a_clear_422(client, seminar):
    refused = client.post(_url(seminar), json={"analysis": "weights"})

    assert refused.status_code == 422
    assert "every option must be scored on every criterion" in refused.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"analysis": "weights", "seed": 3}, "seed"),
        ({"analysis": "smaa", "samples": 100_001}, "samples"),
        ({"analysis": "smaa", "samples": 0}, "samples"),
        ({"analysis": "nonsense"}, "analysis"),
        ({"analysis": "smaa", "unknown": 1}, "unknown"),
    ],
)
def test_bad_settings_are_422s_naming_the_field(app, client, seminar, body, field):
    m, n = len(seminar["options"]), len(seminar["criteria"])
    _room(app, seminar, [np.full((m, n), 3)], [np.ones(n)])

    refused = client.post(_url(seminar), json=body)

    assert refused.status_code == 422, refused.text
    assert any(field in map(str, error["loc"]) for error in refused.json()["detail"])


def test_drawn_ballots_held_at_once_are_capped_with_the_most_samples_named(app, client, seminar, monkeypatch):
    m, n = len(seminar["options"]), len(seminar["criteria"])
    _room(app, seminar, [np.full((m, n), 3)], [np.ones(n)])
    monkeypatch.setattr("optionsmatrix.services.session_sensitivity.MAX_BALLOT_SAMPLE_NUMBERS", 50 * m * n)

    refused = client.post(_url(seminar), json={"analysis": "smaa", "samples": 51})

    assert refused.status_code == 422 and "at most 50 samples" in refused.text
    assert client.post(_url(seminar), json={"analysis": "smaa", "samples": 50}).status_code == 200
