"""A matrix's own scores over the API: read with the matrix, replaced as a whole, and kept in step with the matrix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from optionsmatrix.models import Ballot, Score
from tests.conftest import log_in


def _ids(matrix: dict) -> tuple[list[str], list[str]]:
    return [str(o["id"]) for o in matrix["options"]], [str(c["id"]) for c in matrix["criteria"]]


def _put(client: TestClient, matrix: dict, scores: dict, **headers: str):
    return client.put(f"/api/v1/matrices/{matrix['id']}/scores", json=scores, headers=headers)


@pytest.fixture
def scored(client, make_matrix) -> dict:
    """Riverside 4 on Cost and 2 on Access; Old town 1 on Cost; Campus unscored."""
    matrix = make_matrix()
    (riverside, old_town, _), (cost, access) = _ids(matrix)
    response = _put(client, matrix, {riverside: {cost: 4, access: 2}, old_town: {cost: 1, access: None}})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_new_matrix_and_the_case_study_have_no_scores(client, make_matrix, case_study_id):
    assert make_matrix()["scores"] == {}
    assert client.get(f"/api/v1/matrices/{case_study_id}").json()["scores"] == {}


def test_put_stores_the_map_and_get_returns_only_the_scored_cells(client, scored):
    (riverside, old_town, _), (cost, access) = _ids(scored)

    assert scored["scores"] == {riverside: {cost: 4.0, access: 2.0}, old_town: {cost: 1.0}}
    assert client.get(f"/api/v1/matrices/{scored['id']}").json()["scores"] == scored["scores"]


def test_put_replaces_the_whole_set(client, scored, session):
    (riverside, _, campus), (cost, _) = _ids(scored)

    response = _put(client, scored, {campus: {cost: 5}})

    assert response.json()["scores"] == {campus: {cost: 5.0}}
    assert session.exec(select(func.count()).select_from(Score)).one() == 1
    assert _put(client, scored, {riverside: {cost: None}}).json()["scores"] == {}


def test_every_save_bumps_the_version_once_and_a_stale_if_match_is_a_409_that_stores_nothing(client, scored):
    (riverside, _, _), (cost, _) = _ids(scored)
    version = scored["version"]

    stale = _put(client, scored, {riverside: {cost: 5}}, **{"If-Match": str(version - 1)})
    assert stale.status_code == 409
    assert client.get(f"/api/v1/matrices/{scored['id']}").json()["scores"] == scored["scores"]

    fresh = _put(client, scored, {riverside: {cost: 5}}, **{"If-Match": f'"{version}"'})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == version + 1
    assert fresh.json()["scores"] == {riverside: {cost: 5.0}}


@pytest.mark.parametrize(
    ("cell", "loc", "message"),
    [
        ("unknown option", ["body", "999999"], "this matrix has no option with id 999999"),
        ("unknown criterion", ["body", "<riverside>", "999999"], "this matrix has no criterion with id 999999"),
        ("out of scale", ["body", "<riverside>", "<cost>"], "'Cost' is scored from 1 to 5; got 6"),
        ("below scale", ["body", "<riverside>", "<cost>"], "'Cost' is scored from 1 to 5; got 0.5"),
    ],
)
def test_ids_and_scales_are_checked_cell_by_cell_and_nothing_is_stored(client, scored, cell, loc, message):
    (riverside, _, _), (cost, _) = _ids(scored)
    body = {
        "unknown option": {riverside: {cost: 3}, "999999": {cost: 3}},
        "unknown criterion": {riverside: {cost: 3, "999999": 3}},
        "out of scale": {riverside: {cost: 6}},
        "below scale": {riverside: {cost: 0.5}},
    }[cell]

    response = _put(client, scored, body)

    assert response.status_code == 422, response.text
    named = [part.replace("<riverside>", riverside).replace("<cost>", cost) for part in loc]
    assert {"loc": named, "msg": message, "type": "value_error"} in response.json()["detail"]
    after = client.get(f"/api/v1/matrices/{scored['id']}").json()
    assert after["scores"] == scored["scores"] and after["version"] == scored["version"]


def test_another_matrixs_option_is_an_unknown_id(client, scored, make_matrix):
    other = make_matrix(title="Other")
    (foreign, _, _), _ = _ids(other)
    (_, _, _), (cost, _) = _ids(scored)

    response = _put(client, scored, {foreign: {cost: 3}})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", foreign]


@pytest.mark.parametrize(
    "raw",
    ['"high"', "true", "NaN", "Infinity", "-Infinity", "[3]", '{"1": 2}'],
)
def test_a_score_that_is_not_a_finite_number_is_a_422_at_its_cell(client, scored, raw):
    (riverside, _, _), (cost, _) = _ids(scored)
    body = f'{{"{riverside}": {{"{cost}": {raw}}}}}'

    response = client.put(
        f"/api/v1/matrices/{scored['id']}/scores", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][:3] == ["body", riverside, cost]
    assert client.get(f"/api/v1/matrices/{scored['id']}").json()["scores"] == scored["scores"]


@pytest.mark.parametrize("body", [[], {"x": {}}, {"1": 3}, "scores"])
def test_a_body_that_is_not_the_map_is_a_422(client, scored, body):
    response = client.put(f"/api/v1/matrices/{scored['id']}/scores", json=body)

    assert response.status_code == 422, response.text


def test_only_the_owner_or_an_admin_may_save_and_anyone_who_reads_sees_them(
    app, client, anonymous, session, make_instructor, scored
):
    (riverside, _, _), (cost, _) = _ids(scored)
    url = f"/api/v1/matrices/{scored['id']}"
    with TestClient(app) as other:
        log_in(other, session, make_instructor("other@example.org"))
        assert other.put(f"{url}/scores", json={}).status_code == 404  # private: not even there
        client.patch(url, json={"is_public": True})
        assert other.put(f"{url}/scores", json={}).status_code == 403
        assert other.get(url).json()["scores"] == scored["scores"]
    assert anonymous.put(f"{url}/scores", json={}).status_code == 401
    assert anonymous.get(url).json()["scores"] == scored["scores"]
    with TestClient(app) as admin:
        log_in(admin, session, make_instructor("admin@example.org", is_admin=True))
        assert admin.put(f"{url}/scores", json={riverside: {cost: 2}}).json()["scores"] == {riverside: {cost: 2.0}}


def test_the_shared_link_reads_the_scores_too(client, anonymous, scored):
    link = client.post(f"/api/v1/matrices/{scored['id']}/share-link").json()["url"]
    secret = link.rsplit("/", 1)[-1]

    assert anonymous.get(f"/api/v1/shared/{secret}").json()["scores"] == scored["scores"]


# Keeping scores in step with the matrix ------------------------------------------------------


def test_deleting_an_option_or_a_criterion_deletes_its_scores(client, scored, session):
    (riverside, old_town, _), (cost, access) = _ids(scored)
    url = f"/api/v1/matrices/{scored['id']}"

    assert client.delete(f"{url}/options/{old_town}").status_code == 204
    assert client.get(url).json()["scores"] == {riverside: {cost: 4.0, access: 2.0}}
    assert client.delete(f"{url}/criteria/{cost}").status_code == 204
    assert client.get(url).json()["scores"] == {riverside: {access: 2.0}}
    assert session.exec(select(func.count()).select_from(Score)).one() == 1

    assert client.delete(url).status_code == 204
    assert session.exec(select(func.count()).select_from(Score)).one() == 0


def test_the_database_itself_cascades_when_an_option_goes_without_the_orm(scored, session):
    from sqlalchemy import text

    (riverside, _, _), _ = _ids(scored)
    session.exec(text("DELETE FROM option WHERE id = :id").bindparams(id=int(riverside)))  # type: ignore[call-overload]
    session.commit()

    assert session.exec(select(func.count()).select_from(Score)).one() == 1  # Old town's only


def test_a_scale_edit_that_would_strand_a_stored_score_is_a_422_naming_it(client, scored):
    _, (cost, access) = _ids(scored)
    url = f"/api/v1/matrices/{scored['id']}/criteria/{cost}"

    response = client.patch(url, json={"scale_max": 3})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "scale_max"], "type": "value_error",
         "msg": "'Riverside' is scored 4 on 'Cost', outside a scale from 1 to 3: change or clear that score first"},
    ]  # fmt: skip
    low = client.patch(url, json={"scale_min": 2})
    assert low.json()["detail"][0]["loc"] == ["body", "scale_min"]
    assert "'Old town' is scored 1 on 'Cost'" in low.json()["detail"][0]["msg"]
    assert client.get(f"/api/v1/matrices/{scored['id']}").json()["criteria"][0]["scale_max"] == 5.0
    # Widening, or narrowing around every stored score, is fine.
    assert client.patch(url, json={"scale_min": 0, "scale_max": 4}).status_code == 200
    assert client.patch(f"/api/v1/matrices/{scored['id']}/criteria/{access}", json={"scale_max": 2}).status_code == 200


def test_copying_a_matrix_copies_its_scores_onto_the_copys_own_ids(client, scored):
    copy = client.post(f"/api/v1/matrices/{scored['id']}/copy").json()
    (riverside, old_town, _), (cost, access) = _ids(copy)

    assert copy["scores"] == {riverside: {cost: 4.0, access: 2.0}, old_town: {cost: 1.0}}
    assert riverside not in scored["scores"]
    # Independent: changing the copy's leaves the original's alone.
    _put(client, copy, {})
    assert client.get(f"/api/v1/matrices/{scored['id']}").json()["scores"] == scored["scores"]


def test_starting_a_session_does_not_carry_the_matrixs_scores(client, anonymous, scored, session):
    started = client.post(f"/api/v1/matrices/{scored['id']}/sessions", json={})
    assert started.status_code == 201, started.text
    seminar = started.json()

    assert "scores" not in seminar
    assert session.exec(select(func.count()).select_from(Ballot)).one() == 0
    joined = anonymous.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}).json()
    anonymous.headers["Authorization"] = f"Bearer {joined['participant_token']}"
    assert anonymous.get(f"/api/v1/sessions/{seminar['id']}/ballot").status_code == 404  # nothing to start from
    results = client.get(f"/api/v1/sessions/{seminar['id']}/results").json()
    assert results["ballots"] == 0


def test_openapi_documents_the_route_and_the_scores_field(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    put = schema["paths"]["/api/v1/matrices/{matrix_id}/scores"]["put"]

    assert put["summary"] == "Replace the matrix's own scores"
    assert set(put["responses"]) == {"200", "401", "403", "404", "409", "413", "422"}
    assert {p["name"] for p in put["parameters"]} == {"matrix_id", "If-Match"}
    scores = schema["components"]["schemas"]["MatrixPublic"]["properties"]["scores"]
    assert scores["examples"] == [{"11": {"21": 4, "22": 2.5}, "12": {"21": 1}}]
    assert "MatrixScores" in put["requestBody"]["content"]["application/json"]["schema"]["$ref"]


_cell_value = st.one_of(
    st.none(), st.integers(-3, 12), st.floats(allow_nan=False, allow_infinity=False, width=32), st.booleans(),
    st.text(max_size=4),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_map_is_stored_exactly_or_refused_whole_never_a_500(client, scored, data):
    options, criteria = _ids(scored)
    option_keys = st.sampled_from([*options, "999999", "0", "x"])
    criterion_keys = st.sampled_from([*criteria, "999999", "01"])
    body = data.draw(st.dictionaries(option_keys, st.dictionaries(criterion_keys, _cell_value, max_size=3), max_size=4))
    before = client.get(f"/api/v1/matrices/{scored['id']}").json()

    response = _put(client, scored, body)

    assert response.status_code in (200, 422), response.text
    after = client.get(f"/api/v1/matrices/{scored['id']}").json()
    if response.status_code == 422:
        assert (after["scores"], after["version"]) == (before["scores"], before["version"])
        return
    expected = {o: {c: float(v) for c, v in row.items() if v is not None} for o, row in body.items()}
    assert after["scores"] == {o: row for o, row in expected.items() if row}
    assert all(1 <= v <= 5 for row in after["scores"].values() for v in row.values())  # both criteria are 1–5
    assert after["version"] == before["version"] + 1
