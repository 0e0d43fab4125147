"""`optionsmatrix export session` and `optionsmatrix import` of a session document, on the configured database."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from optionsmatrix.cli import main
from optionsmatrix.core.db import create_db_engine
from optionsmatrix.schemas.sessions import BallotIn, SessionCreate
from optionsmatrix.services import accounts, ballots, seminars
from optionsmatrix.services.matrices import get_matrix


@pytest.fixture
def url(databases, tmp_path):
    """A fresh database holding session 1 on the case study: two participants, one revising, then closed."""
    url = databases.new_url()
    assert main(["export", "matrix", "1", "-o", str(tmp_path / "warm-up.json"), "--database-url", url]) == 0
    engine = create_db_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        started = seminars.start_session(
            session, matrix=get_matrix(session, matrix_id=1), owner=accounts.first_admin(session),
            data=SessionCreate(title="Seminar A", weight_mode="participant"), max_participants=50,
        )  # fmt: skip
        options, criteria = [str(o.id) for o in started.options], [str(c.id) for c in started.criteria]
        for name, base in (("Ann", 2), ("Bob", 4)):
            joined = ballots.join(session, code=started.seminar.join_code, display_name=name)
            scores = {
                o: {c: float((base + i + j) % 5 + 1) for j, c in enumerate(criteria)} for i, o in enumerate(options)
            }
            body = BallotIn(scores=scores, weights=dict.fromkeys(criteria, 1.0))
            ballots.save_ballot(session, participant=joined.participant, body=body)
            ballots.save_ballot(session, participant=joined.participant, body=body.model_copy(update={"version": 1}))
        seminars.close_session(session, seminar=started.seminar)
    engine.dispose()
    return url


def _creation_free(document):
    document["session"].pop("created_at")
    for kind, key in (("options", "source_option_id"), ("criteria", "source_criterion_id")):
        for item in document["snapshot"][kind]:
            item.pop(key)
    return document


def test_export_session_then_import_then_export_gives_the_same_document(url, tmp_path, capsys):
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    assert main(["export", "session", "1", "-o", str(first), "--database-url", url]) == 0
    assert main(["import", str(first), "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert out == (
        'imported session 2 "Seminar A" (closed) for admin@localhost: 1 round(s), 2 participant(s), '
        "4 ballot revision(s); its matrix is 2\n"
    )
    assert main(["export", "session", "2", "-o", str(second), "--database-url", url]) == 0

    original = json.loads(first.read_text(encoding="utf-8"))
    assert original["kind"] == "session" and len(original["ballots"]) == 4
    assert _creation_free(json.loads(second.read_text(encoding="utf-8"))) == _creation_free(original)


def test_export_session_format_follows_the_extension_or_the_option(url, tmp_path, capsys):
    table, named = tmp_path / "seminar.csv", tmp_path / "seminar.data"

    assert main(["export", "session", "1", "-o", str(table), "--database-url", url]) == 0
    assert main(["export", "session", "1", "--format", "csv", "-o", str(named), "--database-url", url]) == 0

    assert table.read_bytes() == named.read_bytes()
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["round", "participant_id", "participant"]
    assert len(rows) == 1 + 2 * 5 * 8  # two latest ballots × 5 options × 8 criteria
    assert f"wrote session 1 as csv to {table}" in capsys.readouterr().err


def test_export_of_an_unknown_session(url, tmp_path, capsys):
    assert main(["export", "session", "99", "-o", str(tmp_path / "x.json"), "--database-url", url]) == 1
    assert capsys.readouterr().err == "optionsmatrix: Session 99 not found\n"


def test_import_of_a_bad_session_document_exits_2_names_the_place_and_creates_nothing(url, tmp_path, capsys):
    path = tmp_path / "seminar.json"
    assert main(["export", "session", "1", "-o", str(path), "--database-url", url]) == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    document["ballots"][1]["scores"][0][0] = 9
    document["ballots"][2]["participant"] = 7
    path.write_text(json.dumps(document), encoding="utf-8")
    capsys.readouterr()

    assert main(["import", str(path), "--database-url", url]) == 2
    assert capsys.readouterr().err == (
        f"optionsmatrix import: {path}:\n"
        "  ballots[1].scores[0][0]: 9 is outside the scale of 'Disruption of cartel supply chains', 1 to 5\n"
        "  ballots[2].participant: there is no participant with id 7 in participants\n"
    )
    assert main(["export", "session", "2", "-o", str(tmp_path / "x.json"), "--database-url", url]) == 1
    assert main(["export", "matrix", "2", "-o", str(tmp_path / "x.json"), "--database-url", url]) == 1


def test_import_of_a_session_for_an_unknown_owner(url, tmp_path, capsys):
    path = tmp_path / "seminar.json"
    assert main(["export", "session", "1", "-o", str(path), "--database-url", url]) == 0

    assert main(["import", str(path), "--owner", "nobody@example.org", "--database-url", url]) == 1
    assert "no active instructor nobody@example.org to own the session" in capsys.readouterr().err


def test_export_session_as_a_workbook_and_a_report_by_their_extensions(url, tmp_path):
    workbook, report = tmp_path / "seminar.xlsx", tmp_path / "seminar.html"

    assert main(["export", "session", "1", "-o", str(workbook), "--database-url", url]) == 0
    assert main(["export", "session", "1", "-o", str(report), "--database-url", url]) == 0

    assert "Matrix" in load_workbook(io.BytesIO(workbook.read_bytes())).sheetnames
    page = report.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "Seminar A" in page and "<script" not in page
