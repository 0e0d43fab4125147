"""The tokens page: a new token is shown once, and reloading never makes another."""

import re


def test_creating_a_token_redirects_and_shows_the_secret_exactly_once(client):
    response = client.post("/tokens", data={"name": "seminar script", "expires_days": "30"}, follow_redirects=False)

    assert response.status_code == 303
    shown = client.get(response.headers["location"])
    secret = re.search(r'id="new-token">([^<]+)<', shown.text).group(1)
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    reloaded = client.get("/tokens")
    assert 'id="new-token"' not in reloaded.text
    assert [t["name"] for t in client.get("/api/v1/tokens").json()].count("seminar script") == 1


def test_a_forged_flash_cookie_shows_nothing(client):
    client.cookies.set("om_flash", "eyJzZWNyZXQiOiAiZm9yZ2VkIn0=.0000")

    assert "forged" not in client.get("/tokens").text


def test_revoking_from_the_page(client):
    created = client.post("/api/v1/tokens", json={"name": "old script"}).json()

    page = client.post(f"/tokens/{created['id']}/revoke")

    assert page.status_code == 200
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 401


def test_a_token_s_expiry_in_days_is_a_plain_whole_number(client):
    response = client.post("/tokens", data={"name": "script", "expires_days": "3_0"}, follow_redirects=False)

    assert response.status_code == 422
    assert "Enter the number without separators, like 30." in response.text
    assert "script" not in [t["name"] for t in client.get("/api/v1/tokens").json()]
