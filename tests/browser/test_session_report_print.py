"""The session report printed by Chromium to A4 and Letter: a sane number of pages, all its text, nothing cut off.

The session is built through the API in-process; the report is the
service's HTML loaded into the page as it is (it needs no server: it fetches
nothing).
"""

from __future__ import annotations

import io
import re
import unicodedata

import pypdf
import pytest

from optionsmatrix.models import SeminarSession
from optionsmatrix.services.session_report import write_session_report
from tests.support.axe import serious_axe_violations
from tests.support.seminars import run_session

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre
PAGE_WIDTHS_MM = {"A4": 210.0, "Letter": 215.9}
SIDE_MARGINS_MM = 2 * 12  # the report's @page margin
PRINTABLE_PX = {name: (width - SIDE_MARGINS_MM) * MM for name, width in PAGE_WIDTHS_MM.items()}

WIDEST = """() => {
  const widths = [...document.querySelectorAll('table, figure, svg')].map(
    (el) => Math.max(el.getBoundingClientRect().width, el.scrollWidth || 0));
  return {widest: Math.max(...widths), page: document.documentElement.scrollWidth, tables: widths.length};
}"""


@pytest.fixture
def report_page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: request.url == "about:blank" or errors.append(f"fetched {request.url}"))
    yield page
    context.close()
    assert errors == []  # nothing fetched, nothing failed


def _report(session, seminar: dict) -> str:
    return write_session_report(session, session.get(SeminarSession, seminar["id"])).decode("utf-8")


def _text(pdf: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # "ﬁ" ligatures → "fi"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_case_study_report_prints_whole_on_a4_and_letter(app, client, session, case_study_id, report_page, paper):
    seminar, _ = run_session(app, client, case_study_id)
    report_page.set_content(_report(session, seminar))

    pages, text = _text(report_page.pdf(format=paper))

    assert 2 <= pages <= 8
    assert "Military options at the U.S.–Mexico border" in text and "Round 1 → round 2" in text
    for option in seminar["options"]:
        assert (option["short_name"] or option["name"]) in text
    assert "C8 End state" in text and "Share of samples ranking it first" in text
    report_page.emulate_media(media="print")
    report_page.set_viewport_size({"width": int(PRINTABLE_PX[paper]), "height": 1000})
    measured = report_page.evaluate(WIDEST)
    assert measured["tables"] >= 8 and measured["widest"] <= PRINTABLE_PX[paper] + 0.5, measured
    assert measured["page"] <= int(PRINTABLE_PX[paper])
    assert serious_axe_violations(report_page) == []


def test_a_wide_matrix_with_long_names_fits_a4_portrait(app, client, session, make_matrix, report_page):
    criteria = [{"name": f"Criterion {k}: an unusually long name " + "x" * 60} for k in range(14)]
    options = [{"name": f"Option {k} " + "Supercalifragilistic" * 4} for k in range(4)]
    matrix = make_matrix(criteria=criteria, options=options)
    seminar, _ = run_session(app, client, matrix["id"], names=("Ann", "Bao"))
    report_page.set_content(_report(session, seminar))
    report_page.emulate_media(media="print")
    report_page.set_viewport_size({"width": int(PRINTABLE_PX["A4"]), "height": 1000})

    measured = report_page.evaluate(WIDEST)
    pages, text = _text(report_page.pdf(format="A4"))

    assert measured["widest"] <= PRINTABLE_PX["A4"] + 0.5 and measured["page"] <= int(PRINTABLE_PX["A4"]), measured
    assert pages <= 20 and "Criteria C13–C14 of 14" in text
