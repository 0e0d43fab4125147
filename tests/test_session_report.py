"""A session's printable report: what it shows, that it is self-contained and escaped, and how wide matrices split.

Sessions are built through the API; expected numbers come from the ballots
the test sent or from the API's own results.
"""

from __future__ import annotations

import re

import pytest

from optionsmatrix.analysis import METHODS
from optionsmatrix.analysis.explain import significant
from optionsmatrix.models import SeminarSession
from optionsmatrix.services.session_report import MAX_COLUMNS, write_session_report
from tests.support.seminars import run_session


def _report(session, seminar: dict) -> str:
    content = write_session_report(session, session.get(SeminarSession, seminar["id"]))
    assert isinstance(content, bytes)
    return content.decode("utf-8")


def _label(item: dict) -> str:
    return item["short_name"] or item["name"]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")


@pytest.fixture
def case_session(app, client, case_study_id):
    return run_session(app, client, case_study_id)


def test_the_report_shows_the_matrix_ranking_disagreement_sensitivity_and_round_changes(client, session,
                                                                                        case_session):  # fmt: skip
    seminar, grids = case_session
    html = _report(session, seminar)
    results = client.get(f"/api/v1/sessions/{seminar['id']}/results").json()

    assert f"<h1>{_escaped(seminar['title'])}</h1>" in html
    for option in seminar["options"]:
        assert _escaped(option["name"]) in html and _escaped(_label(option)) in html
    for criterion in seminar["criteria"]:
        assert _escaped(criterion["name"]) in html
    for mean in grids[2].mean(axis=0).ravel():  # the group's scores, round 2
        assert f'<td class="num">{mean:.2f}</td>' in html
    for sd in grids[2].std(axis=0, ddof=1).ravel():  # the heatmap writes its numbers, not only shades
        assert f"sd {sd:.2f}" in html
    first = next(o for o in seminar["options"] if o["id"] == results["ranking"]["order"][0])
    assert f'<text class="bar-name" x="2" y="17.0">1. {_escaped(_label(first))}' in html
    for spec in METHODS.values():
        assert _escaped(spec.label) in html
    assert "<strong>4</strong> participants joined; 2 rounds." in html
    assert re.search(r'<th scope="row">2</th>.*?<td class="num nowrap">3</td><td class="num nowrap">3</td>', html)
    assert "Round 1 → round 2" in html and ("▲ up" in html or "▼ down" in html or "= same place" in html)
    assert "Share of samples ranking it first" in html and "seed 20250101" in html


def test_the_report_is_one_self_contained_page_without_scripts_or_outside_resources(session, case_session):
    seminar, _ = case_session
    html = _report(session, seminar)

    assert "<script" not in html.lower() and re.findall(r"<[^>]*\son\w+\s*=", html) == []
    assert re.findall(r"\b(?:src|href)\s*=", html) == []
    assert "url(" not in html and "@import" not in html and "<link" not in html
    assert set(re.findall(r"https?://[^\s\"'<>]*", html)) <= {"http://www.w3.org/2000/svg"}  # a namespace, not fetched
    assert html.count("<svg") == 1 and "@page" in html and "display: table-header-group" in html


def test_everything_people_typed_is_escaped(app, client, session, make_matrix):
    hostile = "<script>alert(1)</script>"
    matrix = make_matrix(options=[{"name": hostile}, {"name": "B & <b>C</b>"}],
                         criteria=[{"name": "<img src=x onerror=alert(2)>"}])  # fmt: skip
    seminar, _ = run_session(app, client, matrix["id"], names=("<i>Ann</i>", "Bao"))

    html = _report(session, seminar)

    assert "<script" not in html and "<img" not in html and "<b>C</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "B &amp; &lt;b&gt;C&lt;/b&gt;" in html


def test_a_wide_matrix_continues_in_tables_of_at_most_six_criteria(app, client, session, make_matrix):
    criteria = [{"name": f"Criterion number {k} with a fairly long name", "short_name": f"K{k}"} for k in range(14)]
    matrix = make_matrix(criteria=criteria)
    seminar, _ = run_session(app, client, matrix["id"], names=("Ann", "Bao"))

    html = _report(session, seminar)

    heatmaps = re.findall(r'<table class="heatmap">.*?</table>', html, flags=re.S)
    scores = re.findall(r'<table class="scores">.*?</table>', html, flags=re.S)
    assert len(heatmaps) == len(scores) == 3
    for table in heatmaps + scores:
        header = re.search(r"<thead>.*?</thead>", table, flags=re.S).group(0)
        assert header.count("<th scope") <= MAX_COLUMNS + 1
    assert "Criteria C13–C14 of 14" in html and "K13" in heatmaps[-1]


def test_the_wording_describes_and_never_recommends(session, case_session):
    seminar, _ = case_session
    text = re.sub(r"<[^>]+>", " ", _report(session, seminar)).lower()

    assert re.findall(r"recommend\w*", text) == ["recommendation"]  # "…is not a recommendation of any option"
    assert not re.search(r"\b(should|best option|winner|choose)\b", text)


def test_a_session_without_ballots_still_reports_its_matrix(client, session, case_study_id):
    seminar = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={}).json()

    html = _report(session, seminar)

    assert "The group ranking appears once every option has been scored" in html
    assert "Not available yet: the group has no ranking in this round." in html
    assert "One round so far: nothing to compare yet." in html
    assert html.count("<td class=\"num\">—</td>") >= len(seminar["options"]) * len(seminar["criteria"])


def test_participant_weights_and_another_method_are_reported_as_the_api_computes_them(app, client, session,
                                                                                     case_study_id):  # fmt: skip
    seminar, _ = run_session(app, client, case_study_id, weight_mode="participant", method="topsis")
    results = client.get(f"/api/v1/sessions/{seminar['id']}/results").json()

    html = _report(session, seminar)

    assert "Weights: each participant&#39;s own, combined as shares." in html
    assert "Method: <strong>TOPSIS (closeness to the ideal option)</strong>" in html
    for criterion in seminar["criteria"]:
        assert f"{results['group_weights'][str(criterion['id'])] * 100:.1f} %" in html
    for option in seminar["options"]:
        rank, score = results["ranking"]["ranks"][str(option["id"])], results["ranking"]["scores"][str(option["id"])]
        assert f"#{rank} <span class=\"sub\">{significant(score)}</span>" in html
