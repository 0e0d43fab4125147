"""The comparison page and its downloads, and the ways to it from a dashboard and a matrix's page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.support.comparison_example import join_and_score, worked_example


@pytest.fixture
def worked(app, client, make_matrix):
    return worked_example(app, client, make_matrix)


@pytest.fixture
def pair(worked):
    return worked["first"]["id"], worked["second"]["id"]


def test_the_page_shows_the_rankings_side_by_side_and_tau_b_in_words(client, pair):
    first, second = pair

    page = client.get(f"/comparisons?sessions={first},{second}")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert '<h1 class="name">Comparing Seminar A and Seminar B</h1>' in text
    assert "The two rankings agree moderately (τ-b 0.55)." in text
    rows = re.findall(r'<tr( class="moved-most")?>\s*<th scope="row" class="name">([^<]+)</th>', text)
    assert [name for _, name in rows] == ["A", "B", "C", "D"]  # in the first session's order
    assert [name for marked, name in rows if marked] == ["A", "B", "D"]  # each 1 place apart, C none
    assert "Options not in every session" in text and '<strong class="name">E</strong>' in text
    assert f"/comparisons/export?sessions={first}%2C{second}&amp;format=csv" in text


def test_checkboxes_send_sessions_one_value_each_and_mean_the_same(client, pair):
    first, second = pair

    page = client.get(f"/comparisons?sessions={first}&sessions={second}")

    assert page.status_code == 200 and "Comparing Seminar A and Seminar B" in page.text


def test_one_ticked_session_is_explained_on_the_page(client, pair):
    page = client.get(f"/comparisons?sessions={pair[0]}")

    assert page.status_code == 422
    assert "This comparison cannot be made" in page.text and "two or more sessions" in page.text


def test_names_are_escaped(client, make_matrix, app):
    matrix = make_matrix(options=[{"name": "<b>bold</b>"}, {"name": "B"}], criteria=[{"name": "Q"}])
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={"title": "<i>x</i>"}).json()
    join_and_score(app, seminar, {"<b>bold</b>": 4, "B": 2})

    page = client.get(f"/comparisons?session={seminar['id']}&method=all")

    assert page.status_code == 200
    assert "<b>bold</b>" not in page.text and "&lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "<i>x</i>" not in page.text


def test_the_page_downloads_csv_for_the_logged_in_instructor(client, pair):
    first, second = pair

    response = client.get(f"/comparisons/export?sessions={first},{second}&format=csv")

    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbfoption,")


def test_another_instructor_gets_404_and_a_visitor_is_sent_to_log_in(app, session, make_instructor, anonymous, pair):
    from tests.conftest import log_in

    with TestClient(app) as other:
        log_in(other, session, make_instructor("other@example.org"))
        assert other.get(f"/comparisons?sessions={pair[0]},{pair[1]}").status_code == 404
        assert other.get(f"/comparisons/export?session={pair[0]}&method=all").status_code == 404
    visitor = anonymous.get(f"/comparisons?session={pair[0]}", follow_redirects=False)
    assert visitor.status_code == 303 and visitor.headers["location"].startswith("/login")


def test_the_dashboard_offers_rounds_methods_and_the_other_sessions_of_the_matrix(client, pair):
    first, second = pair
    client.post(f"/api/v1/sessions/{first}/rounds")

    page = client.get(f"/sessions/{first}").text

    assert f'href="http://testserver/comparisons?session={first}">Compare rounds</a>' in page
    assert f"/comparisons?session={first}&amp;method=all" in page
    assert f'/comparisons?sessions={first},{second}">Seminar B</a>' in page


def test_a_session_with_one_round_and_no_siblings_offers_only_the_methods(client, make_matrix):
    matrix = make_matrix()
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()

    page = client.get(f"/sessions/{seminar['id']}").text

    assert "Compare rounds" not in page and "Compare with another session" not in page


def test_the_matrix_page_lets_the_instructor_tick_sessions_to_compare(client, worked):
    page = client.get(f"/matrices/{worked['matrix']['id']}").text

    assert page.count('type="checkbox" name="sessions"') == 2
    assert "Compare the sessions ticked" in page


@pytest.mark.parametrize("value", ["²", "٣", "3\x00", "-1", "9" * 30])
def test_odd_session_values_from_a_form_are_explained_not_a_crash(client, pair, value):
    page = client.get("/comparisons", params=[("sessions", str(pair[0])), ("sessions", value)])

    assert page.status_code == 422 and "This comparison cannot be made" in page.text
