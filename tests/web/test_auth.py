"""Logging in and out in the browser, CSRF, rate limits and the shared secret key."""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from optionsmatrix.app import create_app
from optionsmatrix.models import RateLimitEvent
from optionsmatrix.services.case_study import load_case_study
from optionsmatrix.settings import Settings
from tests.conftest import PASSWORD, csrf_token_of


def _login(client, email="owner@example.org", password=PASSWORD, next_path="/"):
    return client.post(
        "/login",
        data={"email": email, "password": password, "next": next_path, "csrf_token": csrf_token_of(client)},
        follow_redirects=False,
    )


def test_logging_in_sets_an_httponly_samesite_session_cookie(anonymous, owner):
    response = _login(anonymous)

    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("om_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert "owner@example.org" in anonymous.get("/").text


def test_the_session_cookie_is_secure_over_https(app, owner):
    with TestClient(app, base_url="https://seminar.example.org") as client:
        response = _login(client)

    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("om_session="))
    assert "Secure" in cookie


def test_a_wrong_password_shows_a_message_and_no_cookie(anonymous, owner):
    response = _login(anonymous, password="not the password")

    assert response.status_code == 401
    assert "do not match" in response.text
    assert "om_session" not in anonymous.cookies


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(anonymous, owner, target):
    response = _login(anonymous, next_path=target)

    assert response.headers["location"] == "/"


def test_login_returns_to_the_page_that_asked(anonymous, owner):
    assert _login(anonymous, next_path="/tokens").headers["location"] == "/tokens"


def test_logging_out_ends_the_session_on_the_server(anonymous, owner):
    _login(anonymous)
    session_cookie = anonymous.cookies["om_session"]

    anonymous.post("/logout", data={"csrf_token": csrf_token_of(anonymous)}, follow_redirects=False)

    anonymous.cookies.set("om_session", session_cookie)  # replaying the old cookie does not work
    assert anonymous.get("/tokens", follow_redirects=False).headers["location"].startswith("/login")


def test_a_page_that_needs_login_redirects_there_and_back(anonymous):
    response = anonymous.get("/tokens", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/tokens"


def test_an_htmx_request_without_login_gets_the_redirect_header_htmx_4_follows(anonymous, session):
    public = load_case_study(session)
    response = anonymous.post(
        f"/matrices/{public.id}/options",
        data={"name": "X", "escalation_level": "1"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver/matrices/{public.id}",
            "X-CSRF-Token": csrf_token_of(anonymous),
        },
    )

    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/login?next=/matrices/{public.id}"


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_state_changing_request_without_the_csrf_token_is_403(client, make_matrix, token):
    matrix = make_matrix()
    del client.headers["X-CSRF-Token"]
    data = {"name": "Renamed", "escalation_level": "1"}
    if token is not None:
        data["csrf_token"] = token

    response = client.post(f"/matrices/{matrix['id']}/options/{matrix['options'][0]['id']}", data=data)

    assert response.status_code == 403
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"][0]["name"] == "Riverside"


def test_the_csrf_token_works_as_a_form_field_or_a_header(client, make_matrix):
    matrix = make_matrix()
    token = client.headers.pop("X-CSRF-Token")
    path = f"/matrices/{matrix['id']}/options/{matrix['options'][0]['id']}"

    by_field = client.post(
        path, data={"name": "A", "escalation_level": "1", "csrf_token": token}, follow_redirects=False
    )
    by_header = client.post(
        path, data={"name": "B", "escalation_level": "1"}, headers={"X-CSRF-Token": token}, follow_redirects=False
    )

    assert (by_field.status_code, by_header.status_code) == (303, 303)


def test_every_page_carries_the_csrf_header_for_htmx_explicitly_inherited(client):
    page = client.get("/").text

    assert re.search(r"<body hx-headers:inherited='\{\"X-CSRF-Token\": \"[0-9a-f]{64}\"\}'>", page)


def test_the_login_form_is_rate_limited_per_address_with_retry_after(anonymous, owner):
    statuses = [_login(anonymous, password="wrong password").status_code for _ in range(11)]

    assert statuses == [401] * 10 + [429]
    blocked = _login(anonymous)  # even the right password waits
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert "Try again in" in blocked.text


def test_the_api_login_is_rate_limited_too(anonymous, owner):
    body = {"email": "owner@example.org", "password": "wrong password"}
    statuses = [anonymous.post("/api/v1/auth/login", json=body).status_code for _ in range(11)]

    assert statuses[-1] == 429 and statuses[:10] == [401] * 10


def test_the_limit_holds_across_workers_sharing_the_database(settings, owner):
    body = {"email": "owner@example.org", "password": "wrong password"}
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        statuses = [(first if i % 2 else second).post("/api/v1/auth/login", json=body).status_code for i in range(11)]

    assert statuses[-1] == 429


def test_the_limit_is_configurable(database_url, engine, owner):
    settings = Settings(
        database_url=database_url, migrate_on_start=False, fast_password_hashing=True, rate_limit_attempts=2
    )
    body = {"email": "owner@example.org", "password": "wrong password"}
    with TestClient(create_app(settings)) as client:
        statuses = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_without_a_configured_key_workers_share_one_generated_secret(database_url, engine):
    settings = Settings(database_url=database_url, migrate_on_start=False)
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        first_token = csrf_token_of(first)
        second.cookies.set("om_csrf", first.cookies["om_csrf"])
        assert csrf_token_of(second) == first_token


def test_cookies_can_be_forced_secure_behind_a_tls_proxy(settings, owner):
    forced = Settings(**{**settings.__dict__, "secure_cookies": True})
    with TestClient(create_app(forced)) as client:  # plain http, as a TLS-terminating proxy forwards it
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        # The browser speaks https to the proxy, so it sends Secure cookies back; httpx on
        # http would not, so they go in by hand.
        sent = "; ".join(c.split(";", 1)[0] for c in page.headers.get_list("set-cookie"))
        response = client.post(
            "/login",
            data={"email": "owner@example.org", "password": PASSWORD, "next": "/", "csrf_token": token},
            headers={"Cookie": sent},
            follow_redirects=False,
        )

    cookies = page.headers.get_list("set-cookie") + response.headers.get_list("set-cookie")
    assert response.status_code == 303
    assert {c.split("=", 1)[0] for c in cookies} >= {"om_csrf", "om_session"}
    assert all("Secure" in c for c in cookies), cookies


@pytest.mark.parametrize("header", ["http://[", "://", "\x7f"])
def test_a_malformed_current_url_header_is_not_a_500(anonymous, session, header):
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


# Failed logins are counted per account and address, and per address ------------------


@pytest.fixture
def from_address(app):
    """A client at a given address (TestClient's own is always 'testclient')."""
    opened = []

    def client_at(address, the_app=None):
        client = TestClient(the_app or app, client=(address, 50000))
        opened.append(client.__enter__())
        return client

    yield client_at
    for client in opened:
        client.__exit__(None, None, None)


def _api_login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def test_an_attacker_guessing_one_account_does_not_lock_out_others_at_the_same_address(from_address, make_instructor):
    make_instructor("a@example.org")
    make_instructor("b@example.org")
    classroom = from_address("10.0.0.1")

    guesses = [_api_login(classroom, "a@example.org", "wrong password").status_code for _ in range(20)]
    web_login = _login(classroom, email="b@example.org")

    assert guesses == [401] * 10 + [429] * 10
    assert _api_login(classroom, "b@example.org").status_code == 200
    assert web_login.status_code == 303


def test_failures_at_one_address_do_not_lock_the_account_out_elsewhere(from_address, make_instructor):
    make_instructor("a@example.org")
    classroom, office = from_address("10.0.0.1"), from_address("192.0.2.7")

    for _ in range(12):
        _api_login(classroom, "a@example.org", "wrong password")

    assert _api_login(classroom, "a@example.org").status_code == 429
    assert _api_login(office, "a@example.org").status_code == 200
    assert _login(office, email="a@example.org").status_code == 303


def test_the_strict_limit_answers_429_with_retry_after_on_the_api_and_the_form(from_address, make_instructor):
    make_instructor("a@example.org")
    client = from_address("10.0.0.1")
    for _ in range(10):
        _api_login(client, "A@Example.org ", "wrong password")  # one account however it is typed

    api, page = _api_login(client, "a@example.org"), _login(client, email="a@example.org")

    assert (api.status_code, page.status_code) == (429, 429)
    for response in (api, page):
        assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "try again in" in api.json()["detail"] and "Try again in" in page.text


def test_the_generous_limit_per_address_stops_guessing_across_accounts(
    database_url, engine, from_address, make_instructor
):
    settings = Settings(
        database_url=database_url, migrate_on_start=False, fast_password_hashing=True, rate_limit_address_attempts=15
    )
    make_instructor("b@example.org")
    app = create_app(settings)
    attacker, elsewhere = from_address("10.0.0.1", app), from_address("192.0.2.7", app)

    statuses = [_api_login(attacker, f"guess{i}@example.org", "wrong password").status_code for i in range(16)]

    assert statuses == [401] * 15 + [429]
    assert _api_login(attacker, "b@example.org").status_code == 429  # the whole address waits
    assert _api_login(elsewhere, "b@example.org").status_code == 200


def test_successful_logins_use_none_of_the_limits(database_url, engine, from_address, make_instructor):
    settings = Settings(
        database_url=database_url, migrate_on_start=False, fast_password_hashing=True,
        rate_limit_attempts=2, rate_limit_address_attempts=3,
    )
    make_instructor("a@example.org")
    classroom = from_address("10.0.0.1", create_app(settings))

    assert {_api_login(classroom, "a@example.org").status_code for _ in range(10)} == {200}


def test_a_success_forgives_that_account_s_earlier_failures(from_address, make_instructor):
    make_instructor("a@example.org")
    client = from_address("10.0.0.1")
    for _ in range(9):
        _api_login(client, "a@example.org", "wrong password")

    assert _api_login(client, "a@example.org").status_code == 200
    assert [_api_login(client, "a@example.org", "wrong password").status_code for _ in range(10)] == [401] * 10


def test_waiting_out_the_window_is_enough_since_refused_attempts_do_not_count(from_address, make_instructor, session):
    make_instructor("a@example.org")
    client = from_address("10.0.0.1")
    for _ in range(15):
        _api_login(client, "a@example.org", "wrong password")

    session.execute(update(RateLimitEvent).values(at=RateLimitEvent.at - timedelta(seconds=61)))
    session.commit()

    assert _api_login(client, "a@example.org").status_code == 200
