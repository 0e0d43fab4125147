"""The matrix list is rendered once and kept (web/rendering.py `render_kept`); it must never be served stale,
and each browser must get its own CSRF token in it."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from optionsmatrix.app import create_app
from optionsmatrix.models import Instructor
from optionsmatrix.web.rendering import KeptPages
from tests.conftest import log_in


def _list(client: TestClient) -> str:
    response = client.get("/")
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def test_the_list_follows_every_change_it_shows(client, anonymous, make_matrix):
    matrix = make_matrix(title="Library site")
    mid = matrix["id"]
    assert "Library site" in _list(client) and "Library site" not in _list(anonymous)

    client.patch(f"/api/v1/matrices/{mid}", json={"is_public": True})
    assert "Library site" in _list(anonymous)
    client.patch(f"/api/v1/matrices/{mid}", json={"title": "Library site, revised"})
    assert "Library site, revised" in _list(anonymous)
    client.patch(f"/api/v1/matrices/{mid}", json={"description": "Where the new branch goes"})
    assert "Where the new branch goes" in _list(anonymous)

    assert "3 options · 2 criteria" in _list(anonymous)
    client.post(f"/api/v1/matrices/{mid}/options", json={"name": "Harbour"})
    assert "4 options · 2 criteria" in _list(anonymous)
    client.delete(f"/api/v1/matrices/{mid}/criteria/{matrix['criteria'][0]['id']}")
    assert "4 options · 1 criterion" in _list(anonymous)

    client.patch(f"/api/v1/matrices/{mid}", json={"is_public": False})
    assert "Library site" not in _list(anonymous)
    client.delete(f"/api/v1/matrices/{mid}")
    assert "Library site" not in _list(client)


def test_a_matrix_made_under_a_deleted_ones_id_replaces_it_in_the_list(client, make_matrix):
    first = make_matrix(title="First library")
    assert "First library" in _list(client)
    client.delete(f"/api/v1/matrices/{first['id']}")
    make_matrix(title="Second library")  # on SQLite it may get the same id, at version 1 again
    page = _list(client)
    assert "Second library" in page and "First library" not in page


def test_an_edit_through_another_worker_shows_at_once(client, settings, session, owner, make_matrix):
    matrix = make_matrix(title="Library site")
    assert "Library site" in _list(client)
    with TestClient(create_app(settings)) as other:
        log_in(other, session, owner)
        assert other.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "Quayside"}).status_code == 200
    page = _list(client)
    assert "Quayside" in page and "Library site" not in page


def test_each_browser_gets_its_own_token_and_its_forms_work(app, client, session, make_instructor, make_matrix):
    make_matrix(title="Library site")
    other = make_instructor("colleague@example.org")
    with TestClient(app) as second:
        log_in(second, session, other)
        first_page, second_page = _list(client), _list(second)
        assert _token(first_page) != _token(second_page)
        assert "owner@example.org" in first_page and "colleague@example.org" in second_page
        assert "Library site" in first_page and "Library site" not in second_page  # private to its owner
        # The kept page's form, with its own token, creates a matrix (a plain form post, no CSRF header).
        del second.headers["x-csrf-token"]
        created = second.post(
            "/matrices", data={"title": "Colleague's", "csrf_token": _token(_list(second))}, follow_redirects=False
        )
        assert created.status_code == 303
        refused = second.post("/matrices", data={"title": "Again", "csrf_token": _token(first_page)})
        assert refused.status_code == 403  # the other browser's token is worthless here


def test_a_new_email_shows_in_the_kept_page(client, session, owner):
    assert "owner@example.org" in _list(client)
    instructor = session.get(Instructor, owner.id)
    instructor.email = "renamed@example.org"
    session.add(instructor)
    session.commit()
    page = _list(client)
    assert "renamed@example.org" in page and "owner@example.org" not in page


def test_logged_in_pages_are_never_stored_by_browsers(client, anonymous):
    assert client.get("/").headers["cache-control"] == "no-store"
    assert "cache-control" not in anonymous.get("/").headers


def test_kept_pages_stay_within_their_budget_of_characters():
    pages = KeptPages(budget=100)
    for number in range(10):
        pages.put(("page", number), f"page {number}".ljust(20))
    assert pages.get(("page", 0)) is None and pages.get(("page", 9)) is not None
    assert pages.kept == 100 and sum(pages.get(("page", n)) is not None for n in range(10)) == 5
    pages.put(("large",), "x" * 26)  # over a quarter of the budget: rendered each time instead
    assert pages.get(("large",)) is None


def test_a_flood_of_made_up_host_headers_keeps_little(app, anonymous):
    """Each Host header is its own key (links are absolute): a client inventing long ones must not fill memory."""
    app.state.kept_pages = KeptPages()
    for number in range(60):
        host = f"h{number}-" + "x" * 20_000
        assert anonymous.get("/", headers={"Host": host}).status_code == 200
    assert app.state.kept_pages.kept <= 4_000_000
    table = app.state.url_table
    assert all(len(key[0]) <= 100 for key in table._absolute)  # long base URLs are never remembered


def test_the_kept_page_is_the_page_rendered_afresh(app, client, session: Session, make_matrix):
    make_matrix(title="Library site", description="<b>bold</b> & more")
    app.state.kept_pages = KeptPages()
    fresh = client.get("/").text
    kept = client.get("/").text
    assert kept == fresh and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in kept


def test_the_list_holds_one_connection_at_a_time(app, client, make_matrix):
    """Admission counts one pooled connection per request (core/db.py); the stamp must not take a second."""
    from sqlalchemy import event

    make_matrix()
    out, most = [0], [0]

    def checkout(*_args) -> None:  # noqa: ANN002
        out[0] += 1
        most[0] = max(most[0], out[0])

    def checkin(*_args) -> None:  # noqa: ANN002
        out[0] -= 1

    event.listen(app.state.engine, "checkout", checkout)
    event.listen(app.state.engine, "checkin", checkin)
    try:
        for _ in range(2):  # rendered, then kept; logged in, so the login lookup holds a connection first
            assert client.get("/").status_code == 200
    finally:
        event.remove(app.state.engine, "checkout", checkout)
        event.remove(app.state.engine, "checkin", checkin)
    assert most[0] == 1
