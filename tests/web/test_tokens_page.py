"""The tokens page: a new token is shown once, never kept in a cookie, and reloading never makes another."""

import re

import pytest


def _form(client):
    """The create form's fields as the page last showed them (the CSRF header stands in for the token)."""
    page = client.get("/tokens").text
    return {"seen_newest": re.search(r'name="seen_newest" value="(\d+)"', page).group(1)}


def test_creating_a_token_shows_the_secret_exactly_once(client):
    response = client.post("/tokens", data={"name": "seminar script", "expires_days": "30", **_form(client)})

    assert response.status_code == 201
    secret = re.search(r'id="new-token">([^<]+)<', response.text).group(1)
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    reloaded = client.get("/tokens")
    assert 'id="new-token"' not in reloaded.text
    assert [t["name"] for t in client.get("/api/v1/tokens").json()].count("seminar script") == 1


def test_posting_the_same_form_again_makes_no_second_token(client):
    form = {"name": "seminar script", "expires_days": "30", **_form(client)}
    first = client.post("/tokens", data=form)

    again = client.post("/tokens", data=form)  # what reloading the answer does

    assert (first.status_code, again.status_code) == (201, 409)
    assert 'id="new-token"' not in again.text
    assert "was already created" in again.text
    assert [t["name"] for t in client.get("/api/v1/tokens").json()].count("seminar script") == 1
    another = client.post("/tokens", data={"name": "seminar script", **_form(client)})  # a fresh form may
    assert another.status_code == 201


def test_the_new_secret_never_travels_in_a_cookie(client):
    response = client.post("/tokens", data={"name": "seminar script", **_form(client)}, follow_redirects=False)

    secret = re.search(r'id="new-token">([^<]+)<', response.text).group(1)
    assert all(secret not in cookie for cookie in response.headers.get_list("set-cookie"))
    assert "om_flash" not in response.headers.get("set-cookie", "")
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/tokens", "/", "/admin"])
def test_pages_for_a_logged_in_instructor_are_never_cached(client, path):
    assert client.get(path).headers["cache-control"] == "no-store"


def test_a_forged_flash_cookie_shows_nothing(client):
    client.cookies.set("om_flash", "eyJzZWNyZXQiOiAiZm9yZ2VkIn0=.0000")

    assert "forged" not in client.get("/tokens").text


def test_revoking_from_the_page(client):
    created = client.post("/api/v1/tokens", json={"name": "old script"}).json()

    page = client.post(f"/tokens/{created['id']}/revoke")

    assert page.status_code == 200
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 401


@pytest.mark.parametrize(
    ("name", "days", "field"),
    [("x\x00y", "", "name"), ("ok", "²", "expires_days"), ("ok", "0", "expires_days"), ("", "", "name")],
)
def test_the_token_form_refuses_what_the_api_refuses(client, name, days, field):
    response = client.post("/tokens", data={"name": name, "expires_days": days})

    assert response.status_code == 422
    assert f'id="token-{field}-error"' in response.text


def test_a_token_s_expiry_in_days_is_a_plain_whole_number(client):
    response = client.post("/tokens", data={"name": "script", "expires_days": "3_0"}, follow_redirects=False)

    assert response.status_code == 422
    assert "Enter the number without separators, like 30." in response.text
    assert "script" not in [t["name"] for t in client.get("/api/v1/tokens").json()]
