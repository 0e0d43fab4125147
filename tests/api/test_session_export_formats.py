"""GET /api/v1/sessions/{id}/export?format=xlsx|html over HTTP: the download, its name, and that it opens.

Needs the export route (api/sessions.py), which arrives from a branch of its
own; the workbook and report themselves are tested in tests/test_session_workbook.py
and tests/test_session_report.py.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.conftest import log_in
from tests.support.seminars import run_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def seminar(app, client, case_study_id):
    return run_session(app, client, case_study_id)[0]


def _export(client, seminar: dict, format: str):  # noqa: A002
    return client.get(f"/api/v1/sessions/{seminar['id']}/export", params={"format": format})


def test_the_workbook_downloads_as_an_attachment_and_its_first_sheet_imports_as_a_matrix(client, seminar):
    response = _export(client, seminar, "xlsx")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(XLSX)
    assert response.headers["content-disposition"].startswith("attachment;") and '.xlsx"' in (
        response.headers["content-disposition"]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Matrix", "Options", "Criteria"] and "Results" in workbook.sheetnames
    imported = client.post("/api/v1/matrices/import", files={"file": ("session.xlsx", response.content, XLSX)})
    assert imported.status_code == 201, imported.text
    assert [o["name"] for o in imported.json()["options"]] == [o["name"] for o in seminar["options"]]
    assert [c["name"] for c in imported.json()["criteria"]] == [c["name"] for c in seminar["criteria"]]


def test_the_report_downloads_as_one_self_contained_html_page(client, seminar):
    response = _export(client, seminar, "html")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"].startswith("attachment;") and '.html"' in (
        response.headers["content-disposition"]
    )
    page = response.content.decode("utf-8")
    assert "<script" not in page and "<h1>" in page
    assert all(o["short_name"] in page for o in seminar["options"])


@pytest.mark.parametrize("format", ["xlsx", "html"])
def test_only_the_sessions_instructor_may_export_it(app, session, make_instructor, seminar, format):  # noqa: A002
    assert _export(TestClient(app), seminar, format).status_code == 401
    with TestClient(app) as stranger:
        log_in(stranger, session, make_instructor("stranger@example.org"))
        assert _export(stranger, seminar, format).status_code == 404
