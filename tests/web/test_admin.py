"""The admin page: creating, disabling and resetting instructor accounts."""

import re

import pytest
from fastapi.testclient import TestClient

from optionsmatrix.services import accounts
from tests.conftest import FAST_HASHER, PASSWORD, REPO_ROOT, log_in


@pytest.fixture
def admin(app, session, make_instructor):
    with TestClient(app) as client:
        yield log_in(client, session, make_instructor("admin@example.org", is_admin=True))


def test_creating_an_account_shows_its_one_time_link(admin, session, anonymous):
    page = admin.post("/admin/instructors", data={"email": "new@example.org", "is_admin": "true"})

    assert page.status_code == 200
    link = re.search(r'id="setup-link">([^<]+)<', page.text).group(1)
    assert "/setup/" in link
    created = accounts.find_by_email(session, email="new@example.org")
    assert created.is_admin and created.password_hash is None
    assert anonymous.get(link.replace("http://testserver", "")).status_code == 200


def test_a_duplicate_or_malformed_email_is_refused_inline(admin, session):
    for email in ("admin@example.org", "not an email"):
        page = admin.post("/admin/instructors", data={"email": email})
        assert page.status_code == 422
        assert 'id="account-email-error"' in page.text


def test_disabling_an_account_ends_its_sessions_and_login(admin, session, client, anonymous):
    owner = accounts.find_by_email(session, email="owner@example.org")

    admin.post(f"/admin/instructors/{owner.id}/disable", follow_redirects=False)

    assert client.get("/tokens", follow_redirects=False).status_code == 303  # the owner's session is gone
    login = anonymous.post("/api/v1/auth/login", json={"email": "owner@example.org", "password": PASSWORD})
    assert login.status_code == 401


def test_resetting_a_password_forgets_it_and_issues_a_link(admin, session, client, anonymous):
    owner = accounts.find_by_email(session, email="owner@example.org")

    page = admin.post(f"/admin/instructors/{owner.id}/reset")

    assert "/setup/" in page.text
    assert (
        anonymous.post("/api/v1/auth/login", json={"email": "owner@example.org", "password": PASSWORD}).status_code
        == 401
    )
    assert client.get("/api/v1/tokens").status_code == 401  # tokens revoked too


def test_an_admin_cannot_disable_themself(admin, session):
    me = accounts.find_by_email(session, email="admin@example.org")

    page = admin.post(f"/admin/instructors/{me.id}/disable")

    assert page.status_code == 422 and "your own account" in page.text
    assert accounts.find_by_email(session, email="admin@example.org").is_active


@pytest.mark.parametrize("email", ["adm\u200bin@example.org", "admin@example.org\u202e", "new\u0085@example.org"])
def test_an_email_with_invisible_characters_is_refused(admin, session, email):
    page = admin.post("/admin/instructors", data={"email": email})

    assert page.status_code == 422
    assert 'id="account-email-error"' in page.text
    assert [i.email for i in accounts.list_instructors(session)] == ["admin@example.org"]


def _link_in(page):
    return re.search(r'id="setup-link">([^<]+)<', page.text).group(1)


def test_a_one_time_link_is_shown_on_the_answer_never_in_a_cookie(admin, session):
    owner = accounts.create_instructor(session, email="owner@example.org", hasher=FAST_HASHER)

    created = admin.post("/admin/instructors", data={"email": "new@example.org"}, follow_redirects=False)
    reset = admin.post(f"/admin/instructors/{owner.id}/reset", follow_redirects=False)

    for page in (created, reset):
        assert page.status_code == 200
        secret = _link_in(page).rsplit("/", 1)[1]
        assert all(secret not in cookie for cookie in page.headers.get_list("set-cookie"))
        assert page.headers["cache-control"] == "no-store"


def test_reloading_a_reset_issues_no_second_link_and_the_first_still_works(admin, session, anonymous):
    owner = accounts.create_instructor(session, email="owner@example.org", hasher=FAST_HASHER)
    seen = re.search(
        rf'/admin/instructors/{owner.id}/reset">\s*<input type="hidden" name="csrf_token" value="[^"]+">\s*'
        r'<input type="hidden" name="seen_newest_link" value="(\d+)">',
        admin.get("/admin").text,
    ).group(1)
    first = admin.post(f"/admin/instructors/{owner.id}/reset", data={"seen_newest_link": seen})

    again = admin.post(f"/admin/instructors/{owner.id}/reset", data={"seen_newest_link": seen})

    assert (first.status_code, again.status_code) == (200, 409)
    assert 'id="setup-link"' not in again.text and "was already issued" in again.text
    assert anonymous.get(_link_in(first).replace("http://testserver", "")).status_code == 200


def test_the_setup_page_of_a_one_time_link_is_never_cached(admin, anonymous):
    link = _link_in(admin.post("/admin/instructors", data={"email": "new@example.org"}))

    page = anonymous.get(link.replace("http://testserver", ""))

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"


def test_the_accounts_table_keeps_each_account_on_one_row(admin, make_instructor):

    make_instructor("a-very-long-address-without-any-break@an-even-longer-domain.example.org")

    page = admin.get("/admin").text

    table = page[page.index('class="accounts-table"'):page.index("</table>")]
    # A cell must stay a table cell: a flex container as <td> lays its buttons out as a row of their own.
    assert not re.search(r"<td[^>]*class=\"[^\"]*button-row", table)
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    assert all(row.count("<td") == 4 for row in rows[1:])
    css = (REPO_ROOT / "static" / "app.css").read_text()
    assert ".accounts-table td, .accounts-table th { overflow-wrap: anywhere; }" in css
