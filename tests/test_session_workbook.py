"""A session's XLSX workbook: its sheets, the first sheet importing back, live weighted-sum formulas, text kept text.

Sessions are built through the API (join, score, a second round). Expected
numbers come from the API's own results or from numpy over the ballots the
test sent, never from the workbook writer.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import numpy as np
import openpyxl
import pytest
from fastapi.testclient import TestClient

from optionsmatrix.analysis import METHODS
from optionsmatrix.models import SeminarSession
from optionsmatrix.services.matrix_files import read_file
from optionsmatrix.services.session_workbook import write_session_workbook
from tests.api.test_sessions import _as, _join
from tests.support.formulas import Evaluator
from tests.support.seminars import ballot_body, run_session

SHEETS = ["Matrix", "Options", "Criteria", "Weights", "Scores", "Aggregated", "Normalised", "Results", "Ranking",
          "Disagreement", "Changes", "About"]  # fmt: skip


def _workbook(session, seminar: dict) -> bytes:
    return write_session_workbook(session, session.get(SeminarSession, seminar["id"]))


def _results(client, seminar: dict, **params) -> dict:
    response = client.get(f"/api/v1/sessions/{seminar['id']}/results", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _column(sheet, column: int, first: int, count: int) -> list:
    return [sheet.cell(row=r, column=column).value for r in range(first, first + count)]


@pytest.fixture
def case_session(app, client, case_study_id):
    return run_session(app, client, case_study_id)


def test_the_workbook_has_a_sheet_for_each_part_with_frozen_headers(session, case_session):
    seminar, _ = case_session
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))

    assert workbook.sheetnames == SHEETS
    assert workbook["Matrix"].freeze_panes == "B9" and workbook["Scores"].freeze_panes == "E2"
    assert workbook["Matrix"]["A1"].font.bold and workbook["Results"]["B2"].font.bold
    assert workbook["Matrix"].column_dimensions["A"].width >= 28


def test_the_first_sheet_imports_back_as_the_latest_rounds_group_matrix(session, case_session):
    seminar, grids = case_session

    imported = read_file(_workbook(session, seminar), filename="session.xlsx")

    assert imported.title == seminar["title"]
    assert [o.name for o in imported.options] == [o["name"] for o in seminar["options"]]
    assert [(c.name, c.direction, c.weight, c.scale_min, c.scale_max, c.short_name) for c in imported.criteria] == [
        (c["name"], c["direction"], c["weight"], c["scale_min"], c["scale_max"], c["short_name"])
        for c in seminar["criteria"]
    ]
    means = grids[2].mean(axis=0)  # round 2: everyone who scored it scored every cell
    got = np.array([[imported.scores[o["name"]][c["name"]] for c in seminar["criteria"]] for o in seminar["options"]])
    np.testing.assert_allclose(got, means)


def test_every_participants_latest_ballot_of_every_round_is_on_the_scores_sheet(session, case_session):
    seminar, grids = case_session
    sheet = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))["Scores"]
    m, n = len(seminar["options"]), len(seminar["criteria"])

    rows = list(sheet.iter_rows(min_row=2, values_only=True))

    assert len(rows) == (4 + 3) * m
    assert [r[2] for r in rows[::m]] == ["Ann", "Bao", "Chidi", "Dana", "Ann", "Bao", "Chidi"]
    np.testing.assert_array_equal(np.array([r[4:4 + n] for r in rows[: 4 * m]], dtype=float), grids[1].reshape(-1, n))
    np.testing.assert_array_equal(np.array([r[4:4 + n] for r in rows[4 * m:]], dtype=float), grids[2].reshape(-1, n))
    assert {r[0] for r in rows} == {1, 2} and rows[0][3] == seminar["options"][0]["name"]


@pytest.mark.parametrize("normalization", ["scale", "minmax", "sum", "max"])
def test_the_weighted_sum_is_a_live_formula_equal_to_the_computed_scores(app, client, session, case_study_id,
                                                                        normalization):  # fmt: skip
    seminar, _ = run_session(app, client, case_study_id, normalization=normalization)
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))
    results, m = workbook["Results"], len(seminar["options"])
    evaluate = Evaluator(workbook)
    expected = _results(client, seminar)["ranking"]

    assert all(results.cell(row=r, column=c).data_type == "f" for r in range(3, 3 + m) for c in (2, 3))
    live = [evaluate.value("Results", f"B{r}") for r in range(3, 3 + m)]
    np.testing.assert_allclose(live, [expected["scores"][str(o["id"])] for o in seminar["options"]], atol=1e-12)
    np.testing.assert_allclose(live, _column(results, 4, 3, m), atol=1e-12)  # our values beside the formulas
    ranks = [evaluate.value("Results", f"C{r}") for r in range(3, 3 + m)]
    assert ranks == [expected["ranks"][str(o["id"])] for o in seminar["options"]] == _column(results, 5, 3, m)


def test_changing_a_weight_in_the_workbook_moves_the_live_scores(session, case_session):
    seminar, grids = case_session
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))
    workbook["Weights"]["B2"] = 6  # the first criterion now counts six times as much as each other
    weights = np.array([6.0] + [1.0] * (len(seminar["criteria"]) - 1))
    cost = np.array([c["direction"] == "cost" for c in seminar["criteria"]])
    means = grids[2].mean(axis=0)
    normalised = np.where(cost, 5 - means, means - 1) / 4  # the case study's 1–5 scales

    live = [Evaluator(workbook).value("Results", f"B{r}") for r in range(3, 3 + len(seminar["options"]))]

    np.testing.assert_allclose(live, normalised @ (weights / weights.sum()))


def test_participant_weights_are_the_groups_with_each_ballots_own_below(app, client, session, case_study_id):
    seminar, _ = run_session(app, client, case_study_id, weight_mode="participant")
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))
    sheet, n, m = workbook["Weights"], len(seminar["criteria"]), len(seminar["options"])
    result = _results(client, seminar)

    group = [sheet.cell(row=2, column=2 + j).value for j in range(n)]
    np.testing.assert_allclose(group, [result["group_weights"][str(c["id"])] for c in seminar["criteria"]])
    own = [row for row in sheet.iter_rows(min_row=8, values_only=True) if row[0] is not None]
    assert [(r[0], r[2]) for r in own] == [(1, "Ann"), (1, "Bao"), (1, "Chidi"), (1, "Dana"), (2, "Ann"), (2, "Bao"),
                                           (2, "Chidi")]  # fmt: skip
    live = [Evaluator(workbook).value("Results", f"B{r}") for r in range(3, 3 + m)]
    np.testing.assert_allclose(live, [result["ranking"]["scores"][str(o["id"])] for o in seminar["options"]])


def test_the_results_sheet_holds_every_method_as_the_api_computes_it(client, session, case_session):
    seminar, _ = case_session
    sheet = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))["Results"]
    headers = [c.value for c in sheet[2]]
    m = len(seminar["options"])

    for name, spec in METHODS.items():
        expected = _results(client, seminar, method=name)["ranking"]
        column = 4 if name == "wsm" else headers.index(f"{spec.label}: {spec.score_label}") + 1
        scores = [expected["scores"][str(o["id"])] for o in seminar["options"]]
        np.testing.assert_allclose(_column(sheet, column, 3, m), scores, rtol=1e-12)
        assert _column(sheet, column + 1, 3, m) == [expected["ranks"][str(o["id"])] for o in seminar["options"]]


def test_disagreement_and_round_changes_match_the_ballots(client, session, case_session):
    seminar, grids = case_session
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))
    m, n = len(seminar["options"]), len(seminar["criteria"])

    rows = list(workbook["Disagreement"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 * m * n
    latest = np.array([r[5] for r in rows if r[0] == 2]).reshape(m, n)
    np.testing.assert_allclose(latest, grids[2].std(axis=0, ddof=1))
    assert {r[3] for r in rows if r[0] == 1} == {4}

    changes = workbook["Changes"]
    assert changes["A1"].value.startswith("Round 1 → round 2")
    before, after = (_results(client, seminar, round=k)["ranking"]["ranks"] for k in (1, 2))
    by_label = {(o["short_name"] or o["name"]): str(o["id"]) for o in seminar["options"]}
    for row in changes.iter_rows(min_row=3, max_row=2 + m, values_only=True):
        option = by_label[row[0]]
        assert (row[1], row[3], row[5]) == (before[option], after[option], before[option] - after[option])


def test_the_ranking_sheet_has_a_native_bar_chart_of_the_group_ranking(client, session, case_session):
    seminar, _ = case_session
    content = _workbook(session, seminar)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Ranking"]
    ranking = _results(client, seminar)["ranking"]
    names = {str(o["id"]): o["short_name"] or o["name"] for o in seminar["options"]}

    assert [sheet.cell(row=r, column=2).value for r in range(3, 3 + len(names))] == [
        names[str(i)] for i in ranking["order"]
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        chart = archive.read(charts[0]).decode()
    assert len(charts) == 1 and "<barChart>" in chart and '<barDir val="bar"' in chart
    assert "<f>'Ranking'!$B$3:$B$7</f>" in chart and "<f>'Ranking'!$C$3:$C$7</f>" in chart
    # The score axis starts at zero: a truncated axis would exaggerate small differences.
    assert '<min val="0"' in chart


def test_text_that_looks_like_a_formula_stays_text(app, client, session, make_matrix):
    names = ["=HYPERLINK(\"http://example.org\",\"x\")", "+1", "-2", "@SUM(A1)"]
    matrix = make_matrix(options=[{"name": n} for n in names[:2]] + [{"name": "Plain"}],
                         criteria=[{"name": names[2]}, {"name": names[3], "direction": "cost"}])  # fmt: skip
    seminar, _ = run_session(app, client, matrix["id"], names=("=1+1", "Bao"))
    content = _workbook(session, seminar)
    workbook = openpyxl.load_workbook(io.BytesIO(content))

    formulas = [(s.title, c.coordinate) for s in workbook for row in s.iter_rows() for c in row if c.data_type == "f"]
    texts = {c.value for s in workbook for row in s.iter_rows() for c in row if c.data_type == "s"}
    assert {s for s, _ in formulas} == {"Weights", "Normalised", "Results"}  # ours, and only ours
    assert {*names, "=1+1"} <= texts
    assert workbook["Matrix"]["A9"].number_format == "@"
    assert [o.name for o in read_file(content, filename="s.xlsx").options] == [*names[:2], "Plain"]


def test_a_session_without_ballots_exports_without_a_ranking_or_formulas(client, session, case_study_id):
    seminar = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={}).json()
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))

    assert workbook.sheetnames == SHEETS
    assert workbook["Results"]["B3"].value is None and "no weighted-sum ranking" in workbook["Normalised"]["A1"].value
    assert workbook["Changes"]["A1"].value == "One round so far: nothing to compare yet."
    assert read_file(_workbook(session, seminar), filename="s.xlsx").scores == {}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: .ci/run installs "
                    "Debian's libreoffice-calc; without it the formulas are checked by tests/support/formulas.py only")
def test_libreoffice_recalculates_the_formulas_to_our_values(client, session, case_session, tmp_path):
    seminar, _ = case_session
    source = tmp_path / "session.xlsx"
    source.write_bytes(_workbook(session, seminar))
    profile = (tmp_path / "profile").as_uri()

    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    recalculated = openpyxl.load_workbook(tmp_path / "out" / "session.xlsx", data_only=True)

    results, m = recalculated["Results"], len(seminar["options"])
    np.testing.assert_allclose(_column(results, 2, 3, m), _column(results, 4, 3, m), rtol=1e-12)
    assert _column(results, 3, 3, m) == _column(results, 5, 3, m)
    assert [recalculated["Weights"].cell(row=3, column=j).value for j in range(2, 2 + len(seminar["criteria"]))] == [
        pytest.approx(1 / len(seminar["criteria"]))
    ] * len(seminar["criteria"])


def test_a_method_that_cannot_rank_says_why_while_the_live_weighted_sum_still_works(app, client, session,
                                                                                    make_matrix):  # fmt: skip
    matrix = make_matrix(criteria=[{"name": "Reach", "scale_min": 0, "scale_max": 10, "weight": 3},
                                   {"name": "Cost", "direction": "cost"}])  # fmt: skip
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={"method": "vikor"}).json()
    ann = _as(app, _join(TestClient(app), seminar["join_code"], "Ann")["participant_token"])
    grid = np.array([[0.0, 2], [10, 5], [4, 1]])  # a zero: the weighted product multiplies it away
    assert ann.put(f"/api/v1/sessions/{seminar['id']}/ballot", json=ballot_body(seminar, grid)).status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(_workbook(session, seminar)))
    results = workbook["Results"]

    notes = [results.cell(row=r, column=1).value for r in range(7, 12)]
    assert any(n.startswith("Weighted product (WPM): normalisation") and "cannot rank" in n for n in notes)
    headers = [c.value for c in results[2]]
    assert _column(results, headers.index("Weighted product (WPM): score") + 1, 3, 3) == ["—"] * 3
    normalised = np.array([[0.0, 0.75], [1.0, 0.0], [0.4, 1.0]])  # scale 0–10, and cost on 1–5
    expected = normalised @ np.array([0.75, 0.25])
    live = [Evaluator(workbook).value("Results", f"B{r}") for r in range(3, 6)]
    np.testing.assert_allclose(live, expected)
    np.testing.assert_allclose(_column(results, 4, 3, 3), expected)
    assert workbook["Ranking"]["A1"].value.endswith("by VIKOR (compromise ranking) (lower Q ranks first)")
