"""API tokens and the password login for scripts."""

from datetime import timedelta

import pytest
from sqlmodel import select

from optionsmatrix.models import AuthToken, Matrix, TokenKind, utcnow
from optionsmatrix.services import accounts, tokens
from tests.conftest import PASSWORD
from tests.timestamps import assert_utc_with_offset


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_a_new_token_is_shown_once_and_then_listed_without_its_secret(client):
    created = client.post("/api/v1/tokens", json={"name": "grading script", "expires_days": 30})

    assert created.status_code == 201
    secret = created.json()["token"]
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64
    listed = client.get("/api/v1/tokens").json()
    mine = next(t for t in listed if t["id"] == created.json()["id"])
    assert "token" not in mine and mine["name"] == "grading script"
    assert mine["expires_at"] is not None and mine["revoked_at"] is None


def test_only_a_digest_of_the_token_is_stored(client, session):
    secret = client.post("/api/v1/tokens", json={"name": "x"}).json()["token"]

    stored = [t.digest for t in session.exec(select(AuthToken)).all()]
    assert secret not in stored
    assert all(len(d) == 64 for d in stored)


def test_a_token_acts_as_its_instructor(anonymous, client, session, owner, make_instructor):
    secret = client.post("/api/v1/tokens", json={"name": "x"}).json()["token"]
    stranger = tokens.issue(session, instructor=make_instructor("stranger@example.org"), kind=TokenKind.API).secret

    response = anonymous.post("/api/v1/matrices", json={"title": "Made by a script"}, headers=_bearer(secret))

    assert response.status_code == 201
    matrix_id = response.json()["id"]
    assert session.get(Matrix, matrix_id).owner_id == owner.id
    assert response.json()["is_public"] is False
    owners_list = client.get("/api/v1/matrices").json()["items"]  # the owner, through another credential
    assert [m["id"] for m in owners_list] == [matrix_id]
    assert client.get(f"/api/v1/matrices/{matrix_id}").status_code == 200
    assert anonymous.get("/api/v1/matrices", headers=_bearer(stranger)).json()["items"] == []
    assert anonymous.get(f"/api/v1/matrices/{matrix_id}", headers=_bearer(stranger)).status_code == 404


def test_last_use_is_recorded(anonymous, client):
    created = client.post("/api/v1/tokens", json={"name": "x"}).json()
    anonymous.get("/api/v1/tokens", headers=_bearer(created["token"]))

    listed = {t["id"]: t for t in client.get("/api/v1/tokens").json()}
    assert listed[created["id"]]["last_used_at"] is not None


def test_a_revoked_token_is_refused(anonymous, client):
    created = client.post("/api/v1/tokens", json={"name": "x"}).json()

    assert client.delete(f"/api/v1/tokens/{created['id']}").status_code == 204

    response = anonymous.get("/api/v1/tokens", headers=_bearer(created["token"]))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_expired_token_is_refused(anonymous, session, owner):
    issued = tokens.issue(session, instructor=owner, kind=TokenKind.API, lifetime=timedelta(days=1))
    issued.token.expires_at = utcnow() - timedelta(seconds=1)
    session.add(issued.token)
    session.commit()

    assert anonymous.get("/api/v1/tokens", headers=_bearer(issued.secret)).status_code == 401


def test_a_disabled_account_s_tokens_stop_working(anonymous, session, owner):
    issued = tokens.issue(session, instructor=owner, kind=TokenKind.API)

    accounts.set_active(session, instructor=owner, active=False)

    assert anonymous.get("/api/v1/tokens", headers=_bearer(issued.secret)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000])
def test_malformed_or_unknown_credentials_are_401(anonymous, header):
    response = anonymous.get("/api/v1/tokens", headers={"Authorization": header})

    assert response.status_code == 401


def test_the_browser_session_cookie_does_not_authenticate_the_api(client):
    del client.headers["Authorization"]  # the cookie is still there

    assert client.get("/api/v1/tokens").status_code == 401


def test_password_login_gives_a_short_lived_token(anonymous, owner):
    response = anonymous.post("/api/v1/auth/login", json={"email": "Owner@Example.org ", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert anonymous.get("/api/v1/tokens", headers=_bearer(body["token"])).status_code == 200
    assert body["expires_at"] > (utcnow() + timedelta(minutes=50)).isoformat()
    assert body["expires_at"] < (utcnow() + timedelta(minutes=70)).isoformat()


@pytest.mark.parametrize(
    "body",
    [
        {"email": "owner@example.org", "password": "wrong password"},
        {"email": "nobody@example.org", "password": PASSWORD},
    ],
)
def test_password_login_with_wrong_credentials_is_401(anonymous, owner, body):
    assert anonymous.post("/api/v1/auth/login", json=body).status_code == 401


def test_revoking_someone_else_s_token_is_404(client, session, make_instructor):
    stranger = make_instructor("stranger@example.org")
    theirs = tokens.issue(session, instructor=stranger, kind=TokenKind.API)

    assert client.delete(f"/api/v1/tokens/{theirs.token.id}").status_code == 404
    assert client.get("/api/v1/tokens", headers=_bearer(theirs.secret)).status_code == 200


def test_every_token_and_login_timestamp_is_utc_with_an_explicit_offset(anonymous, client, owner):
    created = client.post("/api/v1/tokens", json={"name": "x", "expires_days": 1}).json()
    client.delete(f"/api/v1/tokens/{created['id']}")  # sets revoked_at
    login = anonymous.post("/api/v1/auth/login", json={"email": "owner@example.org", "password": PASSWORD}).json()
    anonymous.get("/api/v1/tokens", headers=_bearer(login["token"]))

    listed = client.get("/api/v1/tokens").json()

    assert assert_utc_with_offset(created) == 2  # created_at, expires_at
    assert assert_utc_with_offset(login) == 1
    # created_at for both tokens; last_used_at for the fixture's; expires_at and revoked_at for the new one.
    assert assert_utc_with_offset(listed) == 5


def test_answers_that_carry_a_secret_are_never_cached(anonymous, client, owner):
    created = client.post("/api/v1/tokens", json={"name": "x"})
    login = anonymous.post("/api/v1/auth/login", json={"email": "owner@example.org", "password": PASSWORD})

    assert created.headers["cache-control"] == "no-store"
    assert login.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/tokens").headers["cache-control"] == "no-store"
