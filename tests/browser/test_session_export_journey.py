"""Journey: after a seminar, the instructor downloads the session from the dashboard's Export group.

The links are plain downloads carried by the login cookie: each of the four
formats arrives named after the session and opens as what it claims to be
(the workbook's sheets and the report's printing are checked in depth by
tests of their own).
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in_through_the_form

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"


def test_the_dashboard_downloads_the_session_in_every_format(page, instructor_email):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_through_the_form(page, instructor_email)
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY).click()
    page.get_by_label("Title").fill("Debrief — seminar B")
    page.get_by_role("button", name="Start a session").click()
    expect(page.locator("h1")).to_have_text("Debrief — seminar B")

    page.locator("#export summary").click()
    files = {}
    for name in ("XLSX", "Report", "CSV", "JSON"):
        with page.expect_download() as download:
            page.locator("#export").get_by_role("link", name=name, exact=True).click()
        files[name] = download.value
    assert files["JSON"].suggested_filename == "Debrief — seminar B.json"
    assert files["CSV"].suggested_filename == "Debrief — seminar B.csv"
    assert files["XLSX"].suggested_filename == "Debrief — seminar B.xlsx"
    assert files["Report"].suggested_filename == "Debrief — seminar B.html"

    document = json.loads(files["JSON"].path().read_text(encoding="utf-8"))
    assert (document["kind"], document["session"]["title"]) == ("session", "Debrief — seminar B")
    assert len(document["snapshot"]["options"]) == 5 and document["ballots"] == []
    header = next(csv.reader(io.StringIO(files["CSV"].path().read_text(encoding="utf-8-sig"))))
    assert header == ["round", "participant_id", "participant", "option", "criterion", "score", "weight",
                      "rationale", "submitted_at"]  # fmt: skip
    assert "Matrix" in openpyxl.load_workbook(io.BytesIO(files["XLSX"].path().read_bytes())).sheetnames
    report = files["Report"].path().read_text(encoding="utf-8")
    assert "Debrief — seminar B" in report and "<script" not in report
