"""Regressions for problems a security review found: each test names the attack or failure it stops."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from optionsmatrix.app import create_app, prepare_database
from optionsmatrix.schemas import MAX_OPTIONS
from optionsmatrix.services import accounts
from optionsmatrix.settings import Settings
from tests.conftest import PASSWORD, csrf_token_of


def _set_password(client, secret, password="a brand new password"):
    data = {"password": password, "confirm": password, "csrf_token": csrf_token_of(client)}
    return client.post(f"/setup/{secret}", data=data, follow_redirects=False)


def test_an_older_setup_link_dies_when_a_newer_one_is_issued(session, owner, anonymous):
    old = accounts.issue_password_link(session, instructor=owner, hours=24)
    new = accounts.issue_password_link(session, instructor=owner, hours=24)

    assert anonymous.get(f"/setup/{old}").status_code == 404
    assert anonymous.get(f"/setup/{new}").status_code == 200


def test_setting_a_password_through_a_link_ends_every_earlier_session(session, owner, client, anonymous):
    secret = accounts.issue_password_link(session, instructor=owner, hours=24)

    assert _set_password(anonymous, secret).status_code == 303

    assert client.get("/api/v1/tokens").status_code == 401  # the owner's old token
    assert client.get("/tokens", follow_redirects=False).status_code == 303  # and old browser session


def test_a_link_used_twice_at_once_sets_the_password_only_once(app, session, owner):
    secret = accounts.issue_password_link(session, instructor=owner, hours=24)
    clients = [TestClient(app).__enter__() for _ in range(4)]
    tokens = [csrf_token_of(c) for c in clients]

    def use(i):
        data = {"password": f"password number {i}", "confirm": f"password number {i}", "csrf_token": tokens[i]}
        return clients[i].post(f"/setup/{secret}", data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(use, range(4)))
    for c in clients:
        c.__exit__(None, None, None)

    assert statuses.count(303) == 1, statuses
    assert all(s in (303, 404, 422, 503) for s in statuses), statuses


@pytest.mark.parametrize("header", ["http://[", "://", "\x7f"])
def test_a_malformed_current_url_header_is_not_a_500(anonymous, session, header):
    from optionsmatrix.services.case_study import load_case_study

    public = load_case_study(session)
    response = anonymous.post(
        f"/matrices/{public.id}/options",
        data={"name": "X", "escalation_level": "1", "csrf_token": csrf_token_of(anonymous)},
        headers={"HX-Request": "true", "HX-Current-URL": header},
    )

    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login?next=/"


@pytest.mark.parametrize("email", ["a\x00@example.org", "owner@example.org\x00", "\x00"])
def test_a_nul_byte_in_a_login_email_is_a_plain_refusal(anonymous, owner, email):
    api = anonymous.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    page = anonymous.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token_of(anonymous)})

    assert (api.status_code, page.status_code) == (401, 401)


@pytest.mark.parametrize(("name", "days", "field"), [("x\x00y", "", "name"), ("ok", "²", "expires_days"), ("ok", "0", "expires_days"), ("", "", "name")])
def test_the_token_form_refuses_what_the_api_refuses(client, name, days, field):
    response = client.post("/tokens", data={"name": name, "expires_days": days})

    assert response.status_code == 422
    assert f'id="token-{field}-error"' in response.text


def test_concurrent_adds_of_one_name_store_it_once_with_distinct_positions(client, make_matrix):
    matrix = make_matrix(options=[])
    names = ["Cost", "COST", "cOst", "cost ", " Cost"] * 2

    def add(name):
        return client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": name}).status_code

    with ThreadPoolExecutor(5) as pool:
        statuses = list(pool.map(add, names))

    options = client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]
    assert len(options) == 1, (statuses, options)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 422, 503}


def test_concurrent_adds_of_different_names_get_distinct_positions(client, make_matrix):
    matrix = make_matrix(options=[])

    def add(i):
        for _ in range(5):  # a 503 means "busy, retry", as its Retry-After says
            status = client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": f"Option {i}"}).status_code
            if status != 503:
                return status
        return status

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(add, range(8)))

    positions = [o["position"] for o in client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]]
    assert statuses == [201] * 8
    assert sorted(positions) == list(range(8))


def test_a_matrix_cannot_grow_past_the_option_cap_one_at_a_time(client, make_matrix):
    matrix = make_matrix(options=[{"name": f"O{i}"} for i in range(MAX_OPTIONS)])

    response = client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": "One too many"})

    assert response.status_code == 422 and "at most 200 options" in response.json()["detail"][0]["msg"]


def test_an_htmx_error_goes_to_the_page_alert_not_into_the_section(client, make_matrix):
    matrix = make_matrix()

    response = client.post(f"/matrices/{matrix['id']}/options/999999/delete", headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#page-alert", "innerHTML")
    assert 'id="page-alert"' in client.get(f"/matrices/{matrix['id']}").text


def test_an_unexpected_error_is_a_plain_500_that_still_carries_the_security_headers(settings, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("optionsmatrix.api.matrices.matrices.list_matrices", explode)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/matrices")

    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"} and "boom" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_cookies_can_be_forced_secure_behind_a_tls_proxy(settings, owner):
    forced = Settings(**{**settings.__dict__, "secure_cookies": True})
    with TestClient(create_app(forced)) as client:
        response = client.post(
            "/login",
            data={"email": "owner@example.org", "password": PASSWORD, "csrf_token": csrf_token_of(client)},
            follow_redirects=False,
        )

    assert all("Secure" in c for c in response.headers.get_list("set-cookie"))


def test_an_upgraded_database_lowercases_the_admin_email(databases):
    from sqlalchemy import text

    from optionsmatrix import migrate
    from optionsmatrix.db import create_db_engine

    engine = create_db_engine(databases.new_url())
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO matrix (title, description, source, created_at, updated_at) "
                                "VALUES ('M', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))

    first_run = prepare_database(engine, seed=True, issue_link=True, admin_email=" Admin@Example.ORG ")

    assert first_run.admin.email == "admin@example.org"
    engine.dispose()
