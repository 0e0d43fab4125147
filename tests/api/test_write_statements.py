"""What a hot write costs the database: statements counted per request, so a reload or lock cannot creep back.

A rename once ran 12 statements (the whole matrix loaded twice, a separate
lock and version bump); a ballot 7. The budgets below are what each needs:
who is calling, may they, one statement that locks the matrix and counts
the write, the rows the rules are checked against, the write itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.conftest import ON_POSTGRES


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split())[:120])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# SQLite's write transaction starts with an explicit BEGIN IMMEDIATE.
BEGIN = 0 if ON_POSTGRES else 1


def test_renaming_an_option_runs_five_statements(client, app, make_matrix):
    matrix = make_matrix()
    url = f"/api/v1/matrices/{matrix['id']}/options/{matrix['options'][0]['id']}"
    assert client.patch(url, json={"name": "Warm-up"}).status_code == 200  # the token's last use is recorded once

    with statements(app.state.engine) as seen:
        response = client.patch(url, json={"name": "Riverside park"}, headers={"If-Match": str(matrix["version"] + 1)})

    assert response.status_code == 200, response.text
    # token, matrix row (access), claim (lock + version + If-Match), sibling rows, UPDATE ... RETURNING
    assert len(seen) == 5 + BEGIN, seen
    assert sum(s.startswith("SELECT matrix") for s in seen) == 1, seen


def test_a_refused_rename_leaves_the_version_where_it_was(client, make_matrix):
    matrix = make_matrix()
    base = f"/api/v1/matrices/{matrix['id']}/options"
    first, second = (option["id"] for option in matrix["options"][:2])

    clash = client.patch(f"{base}/{first}", json={"name": "OLD TOWN"})
    stale = client.patch(f"{base}/{first}", json={"name": "Harbour"}, headers={"If-Match": str(matrix["version"] + 5)})
    missing = client.patch(f"{base}/{second + 1000}", json={"name": "Harbour"})

    assert (clash.status_code, stale.status_code, missing.status_code) == (422, 409, 404)
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["version"] == matrix["version"]
    renamed = client.patch(f"{base}/{first}", json={"name": "Harbour"}, headers={"If-Match": str(matrix["version"])})
    assert renamed.status_code == 200
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["version"] == matrix["version"] + 1


@pytest.fixture
def participant(client, app, case_study_id):
    seminar = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={}).json()
    joined = client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}).json()
    scores = {
        str(o["id"]): {str(c["id"]): c["scale_min"] for c in seminar["criteria"]} for o in seminar["options"]
    }
    return seminar, {"Authorization": f"Bearer {joined['participant_token']}"}, scores


def test_submitting_a_ballot_runs_five_statements_on_sqlite_six_on_postgresql(client, app, participant):
    seminar, headers, scores = participant
    url = f"/api/v1/sessions/{seminar['id']}/ballot"
    assert client.put(url, json={"scores": scores}, headers=headers).status_code == 200  # frozen items cached

    with statements(app.state.engine) as seen:
        response = client.put(url, json={"scores": scores, "version": 1}, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    # participant, session + round (access), [PostgreSQL: share lock on the session, participant lock],
    # status + round + latest version, INSERT
    assert len(seen) == (6 if ON_POSTGRES else 5), seen


def test_an_empty_patch_answers_the_item_as_it_is_and_counts_as_an_edit(client, make_matrix):
    matrix = make_matrix()
    option, criterion = matrix["options"][0], matrix["criteria"][0]

    for kind, item in (("options", option), ("criteria", criterion)):
        response = client.patch(f"/api/v1/matrices/{matrix['id']}/{kind}/{item['id']}", json={})
        assert response.status_code == 200, response.text
        assert response.json() == item

    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["version"] == matrix["version"] + 2
