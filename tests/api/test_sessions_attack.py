"""Seminar sessions under attack: what one hostile participant or a race must not be able to do."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from optionsmatrix.models import SessionRound, utcnow
from optionsmatrix.services.seminars import get_snapshot
from tests.conftest import ON_POSTGRES


def _as(app, token):
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _join(anonymous, code, name=None):
    body = {"join_code": code} if name is None else {"join_code": code, "display_name": name}
    response = anonymous.post("/api/v1/sessions/join", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _zero_to_ten(make_matrix):
    return make_matrix(
        criteria=[
            {"name": "Cost", "direction": "cost", "scale_min": 0, "scale_max": 10},
            {"name": "Access", "direction": "benefit", "scale_min": 0, "scale_max": 10},
        ]
    )


def _start(client, matrix_id, **fields):
    response = client.post(f"/api/v1/matrices/{matrix_id}/sessions", json={"reveal": True, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def _scores(seminar, value):
    return {
        str(o["id"]): {str(c["id"]): value(i, j) for j, c in enumerate(seminar["criteria"])}
        for i, o in enumerate(seminar["options"])
    }


@pytest.mark.parametrize(
    ("method", "evil"),
    [
        ("topsis", lambda i, j: 0 if j == 0 else 5),  # a column of zeros: vector normalization divides by 0
        ("wpm", lambda i, j: 0 if (i, j) == (0, 0) else 5),  # a 0 in a product
    ],
)
def test_a_ballot_the_method_cannot_rank_is_refused_and_the_group_result_stays_up(
    app, client, anonymous, make_matrix, method, evil
):
    seminar = _start(client, _zero_to_ten(make_matrix)["id"], method=method)
    good = _as(app, _join(anonymous, seminar["join_code"], "Good")["participant_token"])
    hostile = _as(app, _join(anonymous, seminar["join_code"], "Evil")["participant_token"])
    url = f"/api/v1/sessions/{seminar['id']}"
    assert good.put(f"{url}/ballot", json={"scores": _scores(seminar, lambda i, j: 3 + i)}).status_code == 200

    refused = hostile.put(f"{url}/ballot", json={"scores": _scores(seminar, evil)})

    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"][:2] == ["body", "scores"]
    assert hostile.get(f"{url}/ballot").status_code == 404  # nothing was stored behind the 422
    for caller in (client, good, hostile):
        assert caller.get(f"{url}/results").status_code == 200
    assert client.get(f"/sessions/{seminar['id']}").status_code == 200  # the dashboard


def test_scores_no_ballot_can_rank_leave_the_group_ranking_out_instead_of_failing(app, client, anonymous, make_matrix):
    """Two incomplete ballots (each rankable on its own terms) that add up to a wpm matrix with a 0."""
    seminar = _start(client, _zero_to_ten(make_matrix)["id"], method="wpm")
    first_cell = (str(seminar["options"][0]["id"]), str(seminar["criteria"][0]["id"]))
    rest = {o: {c: v for c, v in row.items() if (o, c) != first_cell}
            for o, row in _scores(seminar, lambda i, j: 4).items()}  # fmt: skip
    one = _as(app, _join(anonymous, seminar["join_code"])["participant_token"])
    two = _as(app, _join(anonymous, seminar["join_code"])["participant_token"])
    url = f"/api/v1/sessions/{seminar['id']}"
    assert one.put(f"{url}/ballot", json={"scores": rest}).status_code == 200
    assert two.put(f"{url}/ballot", json={"scores": {first_cell[0]: {first_cell[1]: 0}}}).status_code == 200

    result = client.get(f"{url}/results")

    assert result.status_code == 200, result.text
    assert result.json()["ranking"] is None
    assert client.get(f"{url}/results", params={"method": "wpm"}).status_code == 422  # asked by name: say why
    assert client.get(f"/sessions/{seminar['id']}").status_code == 200
    assert client.get(f"/sessions/{seminar['id']}/live").status_code == 200


def _while_another_worker_holds(engine, session_id, request):
    """Run `request` while another connection has the session locked, mid new round; then let it commit."""
    other = Session(engine, expire_on_commit=False)
    snapshot = get_snapshot(other, session_id, for_update=True)
    snapshot.round.closed_at = utcnow()
    snapshot.seminar.current_round += 1
    other.add_all(
        [snapshot.round, snapshot.seminar, SessionRound(session_id=session_id, number=snapshot.round.number + 1)]
    )
    other.flush()
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(request()))
    waiting.start()
    time.sleep(0.5)  # the request is now queued behind the lock
    other.commit()
    other.close()
    waiting.join(10)
    return answers[0]


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="row locks: PostgreSQL")
@pytest.mark.parametrize("action", ["rounds", "reveal", "hide", "close"])
def test_an_instructor_action_queued_behind_a_new_round_is_not_a_404(client, engine, case_study_id, action):
    seminar = _start(client, case_study_id)

    answer = _while_another_worker_holds(
        engine, seminar["id"], lambda: client.post(f"/api/v1/sessions/{seminar['id']}/{action}")
    )

    assert answer.status_code in (200, 201), answer.text
    assert answer.json()["round"] == (3 if action == "rounds" else 2)


def _while_another_worker_closes(engine, session_id, request):
    other = Session(engine, expire_on_commit=False)
    snapshot = get_snapshot(other, session_id, for_update=True)
    snapshot.seminar.status = "closed"
    snapshot.round.closed_at = utcnow()
    other.add_all([snapshot.round, snapshot.seminar])
    other.flush()
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(request()))
    waiting.start()
    time.sleep(0.5)
    other.commit()
    other.close()
    waiting.join(10)
    return answers[0]


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="row locks: PostgreSQL")
def test_a_ballot_racing_a_close_does_not_land_in_the_closed_session(app, client, anonymous, engine, case_study_id):
    seminar = _start(client, case_study_id)
    phone = _as(app, _join(anonymous, seminar["join_code"])["participant_token"])
    url = f"/api/v1/sessions/{seminar['id']}/ballot"

    answer = _while_another_worker_closes(
        engine, seminar["id"], lambda: phone.put(url, json={"scores": _scores(seminar, lambda i, j: 3)})
    )

    assert answer.status_code == 409, answer.text
    assert phone.get(url).status_code == 404


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="row locks: PostgreSQL")
def test_a_ballot_racing_a_new_round_lands_in_the_new_round(app, client, anonymous, engine, case_study_id):
    seminar = _start(client, case_study_id)
    phone = _as(app, _join(anonymous, seminar["join_code"])["participant_token"])
    url = f"/api/v1/sessions/{seminar['id']}"

    answer = _while_another_worker_holds(
        engine, seminar["id"], lambda: phone.put(f"{url}/ballot", json={"scores": _scores(seminar, lambda i, j: 3)})
    )

    assert answer.status_code == 200, answer.text
    rounds = {r["number"]: r["ballots"] for r in client.get(f"{url}/rounds").json()["items"]}
    assert rounds == {1: 0, 2: 1}  # round 1 was closed before this ballot was stored


def _delete_elsewhere(engine, path_and_id):
    """What another request (or worker) does in the meantime: deletes the row, and commits."""
    model, row_id = path_and_id
    with Session(engine) as other:
        other.delete(other.get(model, row_id))
        other.commit()


def test_a_join_racing_the_sessions_deletion_is_a_404_not_a_server_error(
    client, anonymous, engine, case_study_id, monkeypatch
):
    from optionsmatrix.models import SeminarSession
    from optionsmatrix.services import ballots

    seminar = _start(client, case_study_id)
    found = ballots.find_open_session_by_code

    def found_then_deleted(session, code):
        result = found(session, code)
        _delete_elsewhere(engine, (SeminarSession, seminar["id"]))
        return result

    monkeypatch.setattr(ballots, "find_open_session_by_code", found_then_deleted)
    answer = anonymous.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]})

    assert answer.status_code == 404, answer.text
    assert seminar["join_code"] in answer.json()["detail"]


def test_a_session_started_on_a_matrix_deleted_meanwhile_is_a_404_not_a_server_error(
    client, engine, make_matrix, monkeypatch
):
    from optionsmatrix.models import Matrix
    from optionsmatrix.services import seminars

    matrix = make_matrix()
    checked = seminars._check_method

    def checked_then_deleted(method, normalization):
        checked(method, normalization)
        _delete_elsewhere(engine, (Matrix, matrix["id"]))

    monkeypatch.setattr(seminars, "_check_method", checked_then_deleted)
    answer = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={})

    assert answer.status_code == 404, answer.text
    assert client.get("/api/v1/sessions").json()["items"] == []


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="row locks: PostgreSQL")
def test_removing_a_participant_queued_behind_the_sessions_deletion_is_a_404(client, anonymous, engine, case_study_id):
    """The removal takes the session's row first, as the deletion does: it waits, then finds the session gone
    (taken the other way round, the two could deadlock and one was answered 503 'busy')."""
    from optionsmatrix.models import SeminarSession

    seminar = _start(client, case_study_id)
    participant = _join(anonymous, seminar["join_code"])
    other = Session(engine, expire_on_commit=False)
    other.delete(other.get(SeminarSession, seminar["id"]))
    other.flush()  # the session's row and its participants' rows are locked until this commits
    answers = []
    url = f"/api/v1/sessions/{seminar['id']}/participants/{participant['participant_id']}"
    waiting = threading.Thread(target=lambda: answers.append(client.delete(url)))
    waiting.start()
    time.sleep(0.5)
    other.commit()
    other.close()
    waiting.join(10)

    assert answers[0].status_code == 404, answers[0].text
