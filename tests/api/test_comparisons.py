"""Comparisons over HTTP: two sessions of one matrix, the rounds of a session, its methods, and the rules.

The worked example, by hand. One criterion, "Quality" (benefit, scale 1–5,
weight 1), ranked by the weighted sum with the scale normalisation, so an
option's score is (mean score − 1) / 4:

    session 1, round 1: A 5, B 4, C 3, D 2      → ranks A 1, B 2, C 3, D 4
    session 2 (E added to the matrix first):
                        A 4, B 5, C 2, D 2, E 3 → full ranks B 1, A 2, E 3, C 4, D 4;
                                                  among A–D: B 1, A 2, C 3, D 3

Pairs of A–D: A/B discordant; A/C, A/D, B/C, B/D concordant; C/D tied in
session 2. n_c − n_d = 4 − 1 = 3; n₀ = 6, tied pairs 0 and 1, so
τ-b = 3 / √(6 · 5) = 0.5477. Largest rank − smallest: A 1, B 1, C 0, D 1.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.conftest import log_in
from tests.support.comparison_example import TAU_HAND, join_and_score, score, worked_example


@pytest.fixture
def worked(app, client, make_matrix):
    return worked_example(app, client, make_matrix)


def test_two_sessions_side_by_side_match_the_hand_computed_ranks_and_tau_b(client, worked):
    first, second = worked["first"], worked["second"]

    response = client.get(f"/api/v1/comparisons?sessions={first['id']},{second['id']}")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kind"] == "sessions"
    assert [c["label"] for c in body["columns"]] == ["Seminar A, round 1", "Seminar B, round 1"]
    assert [(c["method"], c["normalization"], c["ballots"], c["empty"]) for c in body["columns"]] == [
        ("wsm", "scale", 1, False), ("wsm", "scale", 1, False),
    ]  # fmt: skip
    rows = {o["name"]: o for o in body["options"]}
    assert [o["name"] for o in body["options"]] == ["A", "B", "D", "C"]  # largest difference first
    assert {n: r["ranks"] for n, r in rows.items()} == {"A": [1, 2], "B": [2, 1], "C": [3, 3], "D": [4, 3]}
    assert {n: r["spread"] for n, r in rows.items()} == {"A": 1, "B": 1, "C": 0, "D": 1}
    assert rows["A"]["scores"] == pytest.approx([1.0, 0.75])
    assert rows["D"]["scores"] == pytest.approx([0.25, 0.25])
    by_source = {o["id"]: o["name"] for o in worked["matrix"]["options"]}
    assert {r["key"]: n for n, r in rows.items()} == {k: v for k, v in by_source.items()}
    [pair] = body["agreement"]
    assert pair["columns"] == [0, 1]
    assert pair["tau_b"] == pytest.approx(TAU_HAND, abs=1e-6)
    assert pair["words"] == "The two rankings agree moderately (τ-b 0.55)."


def test_an_option_only_one_session_has_is_listed_apart_with_its_own_place(client, worked):
    first, second = worked["first"], worked["second"]

    body = client.get(f"/api/v1/comparisons?sessions={first['id']},{second['id']}").json()

    [extra] = body["only_in_some"]
    assert extra["name"] == "E"
    assert extra["ranks"] == [None, 3]  # third of five in its own session
    assert extra["option_ids"][0] is None and extra["option_ids"][1] is not None
    assert "E" not in {o["name"] for o in body["options"]}
    assert body["notes"] == []  # same criteria, same method


def test_an_option_deleted_and_another_added_are_two_options_not_one(app, client, make_matrix):
    """SQLite gave the new option the deleted one's id when it was the newest (migration 0007)."""
    matrix = make_matrix(options=[{"name": "Keep"}, {"name": "Build a wall"}],
                         criteria=[{"name": "Quality", "direction": "benefit", "weight": 1}])  # fmt: skip
    first = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    join_and_score(app, first, {"Keep": 2, "Build a wall": 4})
    newest = matrix["options"][-1]["id"]
    assert client.delete(f"/api/v1/matrices/{matrix['id']}/options/{newest}").status_code == 204
    added = client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": "Do nothing"}).json()
    second = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    join_and_score(app, second, {"Keep": 4, "Do nothing": 2})

    body = client.get(f"/api/v1/comparisons?sessions={first['id']},{second['id']}").json()

    assert added["id"] != newest
    assert [o["name"] for o in body["options"]] == ["Keep"]
    assert sorted(o["name"] for o in body["only_in_some"]) == ["Build a wall", "Do nothing"]


def test_the_rounds_of_one_session_and_an_empty_round_marked_not_refused(client, worked):
    first = worked["first"]
    client.post(f"/api/v1/sessions/{first['id']}/rounds")

    waiting = client.get(f"/api/v1/comparisons?session={first['id']}").json()

    assert waiting["kind"] == "rounds"
    assert [(c["label"], c["empty"]) for c in waiting["columns"]] == [("Round 1", False), ("Round 2", True)]
    assert waiting["columns"][1]["empty_reason"] == "no ballots in round 2 yet"
    assert waiting["agreement"][0]["tau_b"] is None
    assert waiting["options"][0]["ranks"][1] is None and waiting["options"][0]["spread"] is None

    with TestClient(client.app) as room:
        room.headers["Authorization"] = f"Bearer {worked['first_token']}"
        score(room, first, {"A": 2, "B": 3, "C": 4, "D": 5})
    body = client.get(f"/api/v1/comparisons?session={first['id']}&rounds=1,2").json()

    assert [o["name"] for o in body["options"]] == ["A", "D", "B", "C"]
    assert {o["name"]: o["ranks"] for o in body["options"]} == {"A": [1, 4], "B": [2, 3], "C": [3, 2], "D": [4, 1]}
    assert body["agreement"][0]["tau_b"] == pytest.approx(-1.0)
    assert body["agreement"][0]["words"] == "The two rankings are exactly reversed (τ-b −1.00)."


def test_every_method_on_one_round_one_column_each(client, worked):
    first = worked["first"]

    body = client.get(f"/api/v1/comparisons?session={first['id']}&method=all").json()

    assert body["kind"] == "methods"
    assert [c["method"] for c in body["columns"]] == ["wsm", "wpm", "topsis", "vikor", "promethee2"]
    assert {c["round"] for c in body["columns"]} == {1}
    assert all(not c["empty"] for c in body["columns"])
    # One benefit criterion: every method orders A > B > C > D, whatever its own scores.
    assert {o["name"]: o["ranks"] for o in body["options"]} == {n: [i + 1] * 5 for i, n in enumerate("ABCD")}
    assert len(body["agreement"]) == 10 and all(p["tau_b"] == pytest.approx(1.0) for p in body["agreement"])
    vikor = body["columns"][3]
    assert vikor["higher_is_better"] is False


def test_a_named_method_ranks_every_column(client, worked):
    first, second = worked["first"], worked["second"]

    body = client.get(f"/api/v1/comparisons?sessions={first['id']},{second['id']}&method=topsis").json()

    assert [c["method"] for c in body["columns"]] == ["topsis", "topsis"]
    assert {o["name"]: o["ranks"] for o in body["options"]}["B"] == [2, 1]


def test_sessions_of_different_matrices_are_refused_with_a_reason(client, worked, make_matrix):
    other = make_matrix(title="Another")
    theirs = client.post(f"/api/v1/matrices/{other['id']}/sessions", json={}).json()

    response = client.get(f"/api/v1/comparisons?sessions={worked['first']['id']},{theirs['id']}")

    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "sessions"]
    assert "different matrices" in problem["msg"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "sessions"),
        ("sessions=3", "sessions"),
        ("sessions=3,x", "sessions"),
        ("sessions=3,%C2%B2", "sessions"),
        ("sessions=3,%D9%A3", "sessions"),
        ("session=%00", "session"),
        ("sessions=3,3", "sessions"),
        ("sessions=1,2,3,4,5,6,7", "sessions"),
        ("sessions=3,5&session=3", "session"),
        ("session=3,5", "session"),
        ("sessions=3,5&rounds=1,2", "rounds"),
        ("sessions=3,5&method=all", "method"),
        ("session=3&method=bogus", "method"),
        ("session=3&method=all&rounds=1,2", "rounds"),
        ("session=3&aggregation=mode", "aggregation"),
        ("session=3&rounds=0", "rounds"),
        ("session=99999999999", "session"),
    ],
)
def test_a_malformed_query_is_a_422_naming_the_parameter(client, query, field):
    response = client.get(f"/api/v1/comparisons?{query}")

    assert response.status_code == 422, response.text
    assert field in [p["loc"][-1] for p in response.json()["detail"]]
    assert all(p["loc"][0] == "query" for p in response.json()["detail"])


def test_rounds_that_do_not_exist_or_a_single_round_are_422(client, worked):
    first = worked["first"]

    missing = client.get(f"/api/v1/comparisons?session={first['id']}&rounds=1,4")
    single = client.get(f"/api/v1/comparisons?session={first['id']}")

    assert missing.status_code == 422
    assert missing.json()["detail"] == [
        {"loc": ["query", "rounds"], "msg": "this session has no round 4; it has round 1 only", "type": "value_error"}
    ]
    assert single.status_code == 422
    assert "one round so far" in single.json()["detail"][0]["msg"]


def test_another_instructors_session_is_404_as_if_absent(app, session, make_instructor, client, worked):
    first, second = worked["first"], worked["second"]
    other = make_instructor("other@example.org")
    with TestClient(app) as other_client:
        log_in(other_client, session, other)
        theirs = other_client.post(f"/api/v1/matrices/{worked['matrix']['id']}/sessions", json={})
        # The matrix is private: they cannot even start one on it. Their own session of their own matrix:
        assert theirs.status_code == 404
        own = other_client.post("/api/v1/matrices", json={"title": "Theirs", "options": [{"name": "X"}],
                                                          "criteria": [{"name": "Y"}]}).json()  # fmt: skip
        foreign = other_client.post(f"/api/v1/matrices/{own['id']}/sessions", json={}).json()

        mine_to_them = other_client.get(f"/api/v1/comparisons?sessions={first['id']},{second['id']}")
        mixed = client.get(f"/api/v1/comparisons?sessions={first['id']},{foreign['id']}")
        absent = client.get(f"/api/v1/comparisons?sessions={first['id']},{foreign['id'] + 1000}")
        export = other_client.get(f"/api/v1/comparisons/export?session={first['id']}&method=all")

    assert mine_to_them.status_code == 404
    assert mixed.status_code == 404 and mixed.json() == {"detail": f"Session {foreign['id']} not found"}
    assert absent.status_code == 404 and absent.json() == {"detail": f"Session {foreign['id'] + 1000} not found"}
    assert export.status_code == 404


def test_no_token_or_a_participants_token_is_401(anonymous, worked):
    first = worked["first"]

    assert anonymous.get(f"/api/v1/comparisons?session={first['id']}&method=all").status_code == 401
    anonymous.headers["Authorization"] = f"Bearer {worked['first_token']}"
    assert anonymous.get(f"/api/v1/comparisons?session={first['id']}&method=all").status_code == 401


# Export ---------------------------------------------------------------------------------------------------


def test_the_csv_export_has_a_bom_a_row_per_option_and_the_tau_b_section(client, worked):
    first, second = worked["first"], worked["second"]

    response = client.get(f"/api/v1/comparisons/export?sessions={first['id']},{second['id']}&format=csv")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="comparison-of-seminar-a-and-seminar-b.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    blocks = [list(csv.reader(io.StringIO(b))) for b in text.split("\r\n\r\n")]
    options, only, agreement = blocks
    assert options[0] == ["option", "Seminar A, round 1: rank", "Seminar A, round 1: score", "Seminar B, round 1: rank",
                          "Seminar B, round 1: score", "largest difference in rank"]  # fmt: skip
    assert options[1] == ["A", "1", "1", "2", "0.75", "1"]
    assert [r[0] for r in options[1:]] == ["A", "B", "D", "C"]
    assert only == [["option only in some sessions", "Seminar A, round 1: rank in its own session",
                     "Seminar B, round 1: rank in its own session"], ["E", "", "3"]]  # fmt: skip
    assert agreement[0] == ["first", "second", "kendall_tau_b", "in words"]
    assert float(agreement[1][2]) == pytest.approx(TAU_HAND, abs=1e-6)


def test_the_json_export_is_the_api_answer_with_a_format_and_version(client, worked):
    first = worked["first"]
    query = f"session={first['id']}&method=all"

    exported = client.get(f"/api/v1/comparisons/export?{query}&format=json")
    answer = client.get(f"/api/v1/comparisons?{query}").json()

    assert exported.headers["content-disposition"].startswith("attachment;")
    document = exported.json()
    assert (document.pop("format"), document.pop("version")) == ("optionsmatrix-comparison", 1)
    assert document == answer


def test_the_xlsx_export_opens_with_a_sheet_per_section(client, worked):
    first, second = worked["first"], worked["second"]

    response = client.get(f"/api/v1/comparisons/export?sessions={first['id']},{second['id']}&format=xlsx")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Rankings", "Only in some", "Agreement"]
    rows = list(workbook["Rankings"].iter_rows(values_only=True))
    assert rows[1] == ("A", 1, 1, 2, 0.75, 1)
    assert workbook["Agreement"]["C2"].value == pytest.approx(TAU_HAND, abs=1e-6)


def test_a_title_that_looks_like_a_formula_stays_text_in_every_export(client, make_matrix, app):
    matrix = make_matrix(options=[{"name": "=1+1"}, {"name": "B"}], criteria=[{"name": "Q"}])
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    join_and_score(app, seminar, {"=1+1": 4, "B": 2})
    query = f"session={seminar['id']}&method=all"

    text = client.get(f"/api/v1/comparisons/export?{query}&format=csv").content.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/comparisons/export?{query}&format=xlsx").content))

    assert "\r\n'=1+1," in text
    assert workbook["Rankings"]["A2"].value == "=1+1" and workbook["Rankings"]["A2"].data_type == "s"


def test_an_unknown_export_format_is_422(client, worked):
    response = client.get(f"/api/v1/comparisons/export?session={worked['first']['id']}&method=all&format=pdf")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "format"]
