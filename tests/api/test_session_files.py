"""Sessions as files over the API: the JSON document and the tidy CSV, the import, and every way it is refused."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import sys
import types

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session as DatabaseSession
from sqlmodel import func, select

from optionsmatrix.models import Matrix, Participant, SeminarSession
from optionsmatrix.schemas.sessions import BallotIn
from optionsmatrix.services import ballots, seminars, session_files
from tests.conftest import log_in

CSV_HEADER = ["round", "participant_id", "participant", "option", "criterion", "score", "weight", "rationale",
              "submitted_at"]  # fmt: skip


def _as_participant(app, token):
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _join(app, code, name):
    with TestClient(app) as anyone:
        response = anyone.post("/api/v1/sessions/join", json={"join_code": code, "display_name": name})
    assert response.status_code == 201, response.text
    return _as_participant(app, response.json()["participant_token"])


def _ballot(seminar, scores, weights=None, rationales=None):
    """Scores, weights and rationales by position, as ids the API takes."""
    options = [str(o["id"]) for o in seminar["options"]]
    criteria = [str(c["id"]) for c in seminar["criteria"]]
    body: dict = {
        "scores": {options[i]: {criteria[j]: v for j, v in enumerate(row) if v is not None}
                   for i, row in enumerate(scores)},
    }  # fmt: skip
    if weights is not None:
        body["weights"] = {criteria[j]: w for j, w in enumerate(weights)}
    if rationales is not None:
        body["rationales"] = {options[i]: text for i, text in rationales.items()}
    return body


def _put(participant, seminar, body):
    response = participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json=body)
    assert response.status_code == 200, response.text


@pytest.fixture
def matrix(make_matrix):
    return make_matrix(title="Café — Library site")


@pytest.fixture
def weighted(client, app, matrix):
    """A closed session where participants weight: three people, two rounds, revisions, gaps and a rationale."""
    seminar = client.post(
        f"/api/v1/matrices/{matrix['id']}/sessions", json={"weight_mode": "participant", "method": "topsis"}
    ).json()
    ann, bob, eve = (_join(app, seminar["join_code"], name) for name in ("Ann", "Bob", "=HYPERLINK(\"x\")"))
    _put(ann, seminar, _ballot(seminar, [[1, 2], [3, 4], [5, 1]], weights=[1, 1]))
    _put(ann, seminar, _ballot(seminar, [[2, 2], [3, 4], [5, 1]], weights=[2, 1], rationales={0: "Cheaper now"}))
    _put(bob, seminar, _ballot(seminar, [[4, 5], [2, None], [3, 3]], weights=[1, 3]))
    _put(eve, seminar, _ballot(seminar, [[5, 5], [5, 5], [1, 1]]))  # no weights: incomplete
    client.post(f"/api/v1/sessions/{seminar['id']}/reveal")
    client.post(f"/api/v1/sessions/{seminar['id']}/rounds")
    _put(ann, seminar, _ballot(seminar, [[3, 3], [3, 4], [4, 2]], weights=[1, 1]))
    _put(bob, seminar, _ballot(seminar, [[4, 4], [2, 2], [3, 3]], weights=[1, 2], rationales={2: "Middle way"}))
    client.post(f"/api/v1/sessions/{seminar['id']}/close")
    return seminar


def _export(client, session_id, fmt="json"):
    response = client.get(f"/api/v1/sessions/{session_id}/export?format={fmt}")
    assert response.status_code == 200, response.text
    return response


def _without_creation(document):
    """The document less what an import makes anew: the session's start and the matrix's item ids."""
    document = copy.deepcopy(document)
    document["session"].pop("created_at")
    for option in document["snapshot"]["options"]:
        option.pop("source_option_id")
    for criterion in document["snapshot"]["criteria"]:
        criterion.pop("source_criterion_id")
    return document


def _count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


# Export: JSON -------------------------------------------------------------------


def test_json_export_is_a_versioned_session_document_with_every_revision(client, weighted, matrix):
    response = _export(client, weighted["id"])
    document = response.json()

    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"cafe-library-site.json\"; filename*=UTF-8''Caf%C3%A9%20%E2%80%94%20Library%20site.json"
    )
    assert (document["format"], document["version"], document["kind"]) == ("optionsmatrix", 1, "session")
    assert response.text.count('\n    {"participant": ') == 6  # one line per ballot revision, indented
    assert document["session"] | {"created_at": None} == {
        "title": "Café — Library site", "method": "topsis", "normalization": "vector", "weight_mode": "participant",
        "status": "closed", "reveal_new_rounds": False, "max_participants": 500, "current_round": 2,
        "created_at": None,
    }  # fmt: skip
    assert [o["source_option_id"] for o in document["snapshot"]["options"]] == [o["id"] for o in matrix["options"]]
    assert [c["source_criterion_id"] for c in document["snapshot"]["criteria"]] == [
        c["id"] for c in matrix["criteria"]
    ]
    assert document["snapshot"]["criteria"][0] == {
        "name": "Cost", "short_name": "", "description": "", "direction": "cost", "weight": 2.0, "scale_min": 1.0,
        "scale_max": 5.0, "scale_low_label": "", "scale_high_label": "", "evidence": "",
        "source_criterion_id": matrix["criteria"][0]["id"],
    }  # fmt: skip
    assert [(r["number"], r["revealed"], r["closed_at"] is not None) for r in document["rounds"]] == [
        (1, True, True), (2, False, True),
    ]  # fmt: skip
    assert [{k for k in p} for p in document["participants"]] == [{"id", "display_name", "joined_at"}] * 3
    assert [(p["id"], p["display_name"]) for p in document["participants"]] == [
        (1, "Ann"), (2, "Bob"), (3, '=HYPERLINK("x")'),
    ]  # fmt: skip
    assert [(b["round"], b["participant"], b["version"]) for b in document["ballots"]] == [
        (1, 1, 1), (1, 1, 2), (1, 2, 1), (1, 3, 1), (2, 1, 1), (2, 2, 1),
    ]  # fmt: skip
    revised = document["ballots"][1]
    assert revised["scores"] == [[2, 2], [3, 4], [5, 1]] and revised["weights"] == [2, 1]
    assert revised["rationales"] == ["Cheaper now", None, None]
    assert document["ballots"][2]["scores"][1] == [2, None]
    assert document["ballots"][3]["weights"] is None


def test_the_document_holds_no_participant_secret_or_database_id(client, weighted, session):
    text = _export(client, weighted["id"]).text
    participants = session.exec(select(Participant)).all()

    assert participants and all(p.digest not in text for p in participants)
    assert "digest" not in text and "omp_" not in text and "join_code" not in text


def test_a_session_document_imports_as_its_matrix(client, weighted, matrix):
    document = _export(client, weighted["id"]).json()

    response = client.post("/api/v1/matrices/import", json=document)

    assert response.status_code == 201, response.text
    imported = response.json()
    assert imported["title"] == "Café — Library site" and imported["is_public"] is False
    strip = [{k: v for k, v in o.items() if k != "id"} for o in matrix["options"]]
    assert [{k: v for k, v in o.items() if k != "id"} for o in imported["options"]] == strip
    assert [c["weight"] for c in imported["criteria"]] == [2.0, 1.0]


# Export: CSV --------------------------------------------------------------------


def test_csv_export_is_tidy_long_form_of_each_latest_ballot(client, weighted):
    response = _export(client, weighted["id"], "csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["content-disposition"].startswith('attachment; filename="cafe-library-site.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADER
    # Round 1: Ann (her version 2 only), Bob, Eve; round 2: Ann, Bob — each 3 options × 2 criteria.
    assert len(rows) == 1 + 5 * 6
    assert [r[:7] for r in rows[1:7]] == [
        ["1", "1", "Ann", "Riverside", "Cost", "2", "2"],
        ["1", "1", "Ann", "Riverside", "Access", "2", "1"],
        ["1", "1", "Ann", "Old town", "Cost", "3", "2"],
        ["1", "1", "Ann", "Old town", "Access", "4", "1"],
        ["1", "1", "Ann", "Campus", "Cost", "5", "2"],
        ["1", "1", "Ann", "Campus", "Access", "1", "2"][:6] + ["1"],
    ]
    assert [r[7] for r in rows[1:7]] == ["Cheaper now", "Cheaper now", "", "", "", ""]
    bob_old_town_access = rows[1 + 6 + 3]
    assert bob_old_town_access[:7] == ["1", "2", "Bob", "Old town", "Access", "", "3"]  # left empty: blank
    eve = rows[1 + 12]
    assert eve[:3] == ["1", "3", "'=HYPERLINK(\"x\")"] and eve[6] == ""  # neutralised; no weights given
    assert rows[-1][:8] == ["2", "2", "Bob", "Campus", "Access", "3", "2", "Middle way"]
    assert all(r[8].endswith("+00:00") for r in rows[1:])


def test_csv_weight_is_the_sessions_fixed_weight_when_participants_do_not_weight(client, app, matrix):
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    ann = _join(app, seminar["join_code"], "Ann")
    _put(ann, seminar, _ballot(seminar, [[1, 2], [3, 4], [5, 1]]))

    rows = list(csv.reader(io.StringIO(_export(client, seminar["id"], "csv").content.decode("utf-8-sig"))))

    assert [(r[4], r[6]) for r in rows[1:3]] == [("Cost", "2"), ("Access", "1")]
    assert len(rows) == 1 + 6


def test_an_empty_session_exports_a_header_and_a_document_without_ballots(client, matrix):
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()

    rows = list(csv.reader(io.StringIO(_export(client, seminar["id"], "csv").content.decode("utf-8-sig"))))
    document = _export(client, seminar["id"]).json()

    assert rows == [CSV_HEADER]
    assert (document["participants"], document["ballots"], len(document["rounds"])) == ([], [], 1)


@pytest.mark.parametrize(
    ("fmt", "module", "writer", "media_type"),
    [
        ("xlsx", "session_workbook", "write_session_workbook",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", "session_report", "write_session_report", "text/html; charset=utf-8"),
    ],
)  # fmt: skip
def test_the_workbook_and_the_report_come_from_their_writers(client, monkeypatch, weighted, fmt, module, writer,
                                                             media_type):  # fmt: skip
    """The contract with services/session_workbook.py and session_report.py: (db session, seminar row) -> bytes."""
    calls = []

    def write(db, seminar):
        calls.append((type(db).__name__, type(seminar).__name__, seminar.id))
        return b"the file"

    monkeypatch.setitem(sys.modules, f"optionsmatrix.services.{module}", types.SimpleNamespace(**{writer: write}))

    response = _export(client, weighted["id"], fmt)

    assert calls == [("Session", "SeminarSession", weighted["id"])]
    assert response.content == b"the file" and response.headers["content-type"] == media_type
    assert response.headers["content-disposition"].startswith(f'attachment; filename="cafe-library-site.{fmt}"')


def test_an_unknown_format_is_422(client, weighted):
    response = client.get(f"/api/v1/sessions/{weighted['id']}/export?format=pdf")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "format"]


def test_only_the_instructor_may_export(client, app, session, weighted, make_instructor):
    with TestClient(app) as other:
        log_in(other, session, make_instructor("other@example.org"))
        assert other.get(f"/api/v1/sessions/{weighted['id']}/export").status_code == 404
    with TestClient(app) as admin:
        log_in(admin, session, make_instructor("admin@example.org", is_admin=True))
        assert admin.get(f"/api/v1/sessions/{weighted['id']}/export?format=csv").status_code == 200
    with TestClient(app) as anyone:
        assert anyone.get(f"/api/v1/sessions/{weighted['id']}/export").status_code == 401


# Import -------------------------------------------------------------------------


def _results(client, session_id, round_number):
    """A round's group result with ids replaced by positions (an import gives new ids)."""
    response = client.get(f"/api/v1/sessions/{session_id}/results?round={round_number}")
    assert response.status_code == 200, response.text
    result = response.json()
    seminar = client.get(f"/api/v1/sessions/{session_id}").json()
    position = {str(o["id"]): i for i, o in enumerate(seminar["options"])}
    cposition = {str(c["id"]): j for j, c in enumerate(seminar["criteria"])}
    ranking = result["ranking"]
    return {
        "ballots": (result["ballots"], result["complete_ballots"]),
        "group_scores": sorted((position[o], cposition[c], v) for o, row in result["group_scores"].items()
                               for c, v in row.items()),
        "group_weights": sorted((cposition[c], w) for c, w in (result["group_weights"] or {}).items()),
        "order": [position[str(o)] for o in ranking["order"]] if ranking else None,
        "scores": sorted((position[o], s) for o, s in ranking["scores"].items()) if ranking else None,
        "kendall_w": result["consensus"]["kendall_w"],
        "rank_distribution": sorted((position[o], row) for o, row in result["rank_distribution"].items()),
    }  # fmt: skip


def test_export_import_export_gives_the_same_document_and_the_same_results(client, weighted, session):
    first = _export(client, weighted["id"]).json()

    response = client.post("/api/v1/sessions/import", json=first)

    assert response.status_code == 201, response.text
    imported = response.json()
    assert (imported["status"], imported["round"], imported["participants"]) == ("closed", 2, 3)
    assert imported["id"] != weighted["id"] and imported["matrix_id"] not in (None, weighted["matrix_id"])
    again = _export(client, imported["id"]).json()
    assert _without_creation(again) == _without_creation(first)
    matrix = client.get(f"/api/v1/matrices/{imported['matrix_id']}").json()
    assert [o["source_option_id"] for o in again["snapshot"]["options"]] == [o["id"] for o in matrix["options"]]
    assert matrix["is_public"] is False
    for round_number in (1, 2):
        assert _results(client, imported["id"], round_number) == _results(client, weighted["id"], round_number)
    assert _results(client, imported["id"], 2)["order"] is not None


def test_an_imported_session_is_the_importers_with_participants_who_cannot_log_in(
    client, app, session, weighted, make_instructor
):
    document = _export(client, weighted["id"]).content
    other = make_instructor("other@example.org")
    with TestClient(app) as importer:
        log_in(importer, session, other)
        response = importer.post("/api/v1/sessions/import", files={"file": ("seminar.json", document)})
        assert response.status_code == 201, response.text
        imported = response.json()
        assert importer.get(f"/api/v1/sessions/{imported['id']}/export").status_code == 200
    assert client.get(f"/api/v1/sessions/{imported['id']}").status_code == 404
    stored = session.get(SeminarSession, imported["id"])
    assert stored.owner_id == other.id and session.get(Matrix, imported["matrix_id"]).owner_id == other.id
    digests = session.exec(select(Participant.digest)).all()
    assert len(set(digests)) == 6  # three originals, three fresh ones


def test_an_open_session_imports_closed_and_can_be_reopened_with_a_free_code(client, matrix):
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    document = _export(client, seminar["id"]).json()

    imported = client.post("/api/v1/sessions/import", json=document).json()
    reopened = client.post(f"/api/v1/sessions/{imported['id']}/reopen")

    assert imported["status"] == "closed"
    assert reopened.status_code == 200 and reopened.json()["join_code"] != seminar["join_code"]


def test_an_imported_sessions_cap_on_participants_is_never_above_this_installations(
    client, app, anonymous, session, weighted
):
    document = _export(client, weighted["id"]).json()
    document["session"]["max_participants"] = 100_000
    installed = app.state.settings
    app.state.settings = dataclasses.replace(installed, max_participants=3)  # (State hides its keys from monkeypatch)
    try:
        imported = client.post("/api/v1/sessions/import", json=document).json()
        reopened = client.post(f"/api/v1/sessions/{imported['id']}/reopen").json()
        joined = anonymous.post("/api/v1/sessions/join", json={"join_code": reopened["join_code"]})
    finally:
        app.state.settings = installed

    assert session.get(SeminarSession, imported["id"]).max_participants == 3
    assert imported["participants"] == 3
    assert joined.status_code == 409 and "full (3 participants)" in joined.json()["detail"]


def _broken(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


BAD_DOCUMENTS = [
    (lambda d: d["ballots"][0]["scores"][1].__setitem__(0, 7),
     "ballots[0].scores[1][0]: 7 is outside the scale of 'Cost', 1 to 5"),
    (lambda d: d["ballots"][2]["scores"].pop(),
     "ballots[2].scores: 2 rows, but the snapshot has 3 options"),
    (lambda d: d["ballots"][2]["scores"][0].append(1),
     "ballots[2].scores[0]: 3 cells, but the snapshot has 2 criteria"),
    (lambda d: d["ballots"][4].__setitem__("participant", 9),
     "ballots[4].participant: there is no participant with id 9 in participants"),
    (lambda d: d["ballots"][4].__setitem__("round", 3),
     "ballots[4].round: there is no round 3 in rounds"),
    (lambda d: d["ballots"][1].__setitem__("version", 1),
     "ballots[1].version: participant 1 already has version 1 in round 1 (ballots[0])"),
    (lambda d: d["ballots"][0].__setitem__("weights", [1]),
     "ballots[0].weights: 1 weights, but the snapshot has 2 criteria"),
    (lambda d: d["ballots"][0].__setitem__("rationales", []),
     "ballots[0].rationales: 0 entries, but the snapshot has 3 options"),
    (lambda d: d["ballots"][0].__setitem__("scores", "high"),
     "ballots[0].scores: Input should be a valid list"),
    (lambda d: d["participants"][1].__setitem__("id", 1),
     "participants[1].id: 1 is already the id of participants[0]"),
    (lambda d: d["rounds"].pop(),
     "session.current_round: 2, but the document has 1 round(s); the current round is the last"),
    (lambda d: d["session"].__setitem__("normalization", "sum"),
     "session.normalization: method 'topsis' takes normalization 'vector' or 'minmax', not 'sum'"),
    (lambda d: d["snapshot"]["criteria"][1].__setitem__("scale_max", 0),
     "snapshot.criteria[1].scale_max: the scale must run from a lower to a higher number (1 to 0)"),
    (lambda d: d["snapshot"]["options"][1].__setitem__("name", "Riverside"),
     "snapshot.options[1].name: 'Riverside' appears more than once (also at [0])"),
    (lambda d: d["matrix"]["options"][2].__setitem__("name", "Elsewhere"),
     "matrix.options[2].name: differs from snapshot.options[2].name; a session's matrix is its snapshot"),
    (lambda d: d["participants"][0].__setitem__("joined_at", "yesterday"),
     "participants[0].joined_at: Input should be a valid datetime"),
    (lambda d: d["participants"][0].__setitem__("joined_at", 0),
     "participants[0].joined_at: Value error, a timestamp is ISO 8601 text with an offset"),
    (lambda d: d.__setitem__("kind", "matrix"),
     "this document holds a matrix, not a session: import it as a matrix (POST /api/v1/matrices/import)"),
    (lambda d: d["session"].__setitem__("max_participants", 1),
     "participants: 3 participants, but session.max_participants is 1; raise it or leave some out"),
    (lambda d: d.__setitem__("version", True),
     "this document is version True of the optionsmatrix format; this installation reads version 1"),
    (lambda d: d.__setitem__("version", 2),
     "this document is version 2 of the optionsmatrix format; this installation reads version 1"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_DOCUMENTS, ids=[m.split(":")[0] for _, m in BAD_DOCUMENTS])
def test_a_bad_document_names_the_place_and_creates_nothing(client, session, weighted, change, message):
    document = _export(client, weighted["id"]).json()
    before = (_count(session, SeminarSession), _count(session, Matrix), _count(session, Participant))

    response = client.post("/api/v1/sessions/import", json=_broken(document, change))

    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"].startswith(message)
    after = (_count(session, SeminarSession), _count(session, Matrix), _count(session, Participant))
    assert after == before


def test_weights_in_a_fixed_weight_session_are_refused(client, app, matrix):
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    _put(_join(app, seminar["join_code"], "Ann"), seminar, _ballot(seminar, [[1, 2], [3, 4], [5, 1]]))
    document = _export(client, seminar["id"]).json()
    document["ballots"][0]["weights"] = [1, 1]

    response = client.post("/api/v1/sessions/import", json=document)

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "ballots[0].weights: the session fixes the weights (weight_mode 'fixed'), so this is null"
    )


def test_clashing_short_names_are_refused_with_their_path(client, weighted, session):
    document = _export(client, weighted["id"]).json()
    for part in ("snapshot", "matrix"):
        document[part]["options"][1]["short_name"] = "Riverside"

    response = client.post("/api/v1/sessions/import", json=document)

    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"].startswith("snapshot.options[1].short_name: ")
    assert _count(session, SeminarSession) == 1


def test_several_problems_are_reported_together(client, weighted):
    document = _export(client, weighted["id"]).json()
    document["ballots"][0]["scores"][0][0] = 0
    document["ballots"][5]["round"] = 7

    messages = [e["msg"] for e in client.post("/api/v1/sessions/import", json=document).json()["detail"]]

    assert messages == [
        "ballots[0].scores[0][0]: 0 is outside the scale of 'Cost', 1 to 5",
        "ballots[5].round: there is no round 7 in rounds",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"option,Cost\nA,1\n", "a session is imported from the JSON document its export gives (format=json)"),
        (b"{not json", "the file is not valid JSON: Expecting property name enclosed in double quotes"),
        (b'{"format": "optionsmatrix", "version": 1, "kind": "matrix", "matrix": {"title": "M"}}',
         "this document holds a matrix, not a session"),
        (b'{"format": "another tool"}', "this is not an optionsmatrix session document"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_session_document(client, session, content, message):
    response = client.post("/api/v1/sessions/import", files={"file": ("x.json", content)})

    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"].startswith(message)
    assert _count(session, SeminarSession) == 0


def test_a_file_over_5_mib_is_413_and_one_under_is_read(client, session, weighted):
    document = _export(client, weighted["id"]).content
    padded = document.rstrip()[:-1] + b', "padding": "' + b"x" * (4 * 1024 * 1024) + b'"}'

    too_large = client.post("/api/v1/sessions/import", files={"file": ("s.json", b" " * (5 * 1024 * 1024 + 1))})
    read = client.post("/api/v1/sessions/import", files={"file": ("s.json", padded)})

    assert too_large.status_code == 413
    assert read.status_code == 422  # got past the size limit: refused for its unknown field, not its size
    assert read.json()["detail"][0]["msg"].startswith("padding: Extra inputs are not permitted")
    assert _count(session, SeminarSession) == 1


def test_anonymous_and_participant_imports_are_401(anonymous, app, client, weighted):
    document = _export(client, weighted["id"]).json()
    participant = _join(app, client.post(
        f"/api/v1/matrices/{weighted['matrix_id']}/sessions", json={}
    ).json()["join_code"], "Zed")  # fmt: skip

    assert anonymous.post("/api/v1/sessions/import", json=document).status_code == 401
    assert participant.post("/api/v1/sessions/import", json=document).status_code == 401


def test_openapi_documents_both_routes(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()

    export = schema["paths"]["/api/v1/sessions/{session_id}/export"]["get"]
    imported = schema["paths"]["/api/v1/sessions/import"]["post"]
    assert set(export["responses"]) >= {"200", "401", "403", "404", "422"}
    assert {"text/csv", "application/json", "text/html"} <= set(export["responses"]["200"]["content"])
    assert set(imported["responses"]) >= {"201", "401", "413", "422"}
    assert "multipart/form-data" in imported["requestBody"]["content"]
    assert json.dumps(schema["components"]["schemas"]["SessionDocument"])


def test_an_export_while_the_room_moves_on_still_agrees_with_itself(client, app, engine, monkeypatch, matrix):
    """A round started and a ballot cast between the export's reads are left out, not half in."""
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    _put(_join(app, seminar["join_code"], "Ann"), seminar, _ballot(seminar, [[1, 2], [3, 4], [5, 1]]))
    original = session_files.participants_of

    def meanwhile(db, session_id):
        with DatabaseSession(engine, expire_on_commit=False) as other:
            stored = seminars.get_snapshot(other, session_id)
            moved = seminars.new_round(other, seminar=stored.seminar)
            late = ballots.join(other, code=seminar["join_code"], display_name="Late")
            scores = {str(o.id): {str(c.id): 3.0 for c in moved.criteria} for o in moved.options}
            ballots.save_ballot(other, participant=late.participant, body=BallotIn(scores=scores))
        return original(db, session_id)

    monkeypatch.setattr(session_files, "participants_of", meanwhile)
    document = _export(client, seminar["id"]).json()
    monkeypatch.undo()

    assert (len(document["rounds"]), document["session"]["current_round"]) == (1, 1)
    assert [b["round"] for b in document["ballots"]] == [1]
    assert client.post("/api/v1/sessions/import", json=document).status_code == 201
