"""Public or private, read-only share links, and matrix versions with If-Match."""

import pytest
from sqlmodel import select

from optionsmatrix.models import ShareLink


def _private(client, make_matrix):
    matrix = make_matrix()
    assert matrix["is_public"] is False
    return matrix


# Public or private ---------------------------------------------------------------


def test_the_owner_makes_a_matrix_public_and_private_again(client, anonymous, make_matrix):
    matrix = _private(client, make_matrix)
    assert anonymous.get(f"/api/v1/matrices/{matrix['id']}").status_code == 404

    response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"is_public": True})

    assert response.status_code == 200 and response.json()["is_public"] is True
    assert anonymous.get(f"/api/v1/matrices/{matrix['id']}").status_code == 200
    client.patch(f"/api/v1/matrices/{matrix['id']}", json={"is_public": False})
    assert anonymous.get(f"/api/v1/matrices/{matrix['id']}").status_code == 404


def test_is_public_must_be_a_boolean(client, make_matrix):
    matrix = make_matrix()

    response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"is_public": "yes"})

    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "is_public"]


def test_anonymous_callers_cannot_change_visibility(anonymous, client, make_matrix):
    # Other instructors and admins: see the rows for PATCH is_public in test_authorization.py.
    matrix = make_matrix()

    assert anonymous.patch(f"/api/v1/matrices/{matrix['id']}", json={"is_public": True}).status_code == 401
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["is_public"] is False


# Share links ---------------------------------------------------------------------------


def test_a_share_link_is_made_shown_replaced_and_revoked(client, anonymous, session, make_matrix):
    matrix = _private(client, make_matrix)
    path = f"/api/v1/matrices/{matrix['id']}/share-link"
    assert client.get(path).status_code == 404

    made = client.post(path)

    assert made.status_code == 201
    url = made.json()["url"]
    secret = url.rsplit("/shared/", 1)[1]
    assert len(secret) >= 32 and set(made.json()) == {"url", "created_at"}
    assert client.get(path).json() == made.json()
    shared = anonymous.get(f"/api/v1/shared/{secret}")
    assert shared.status_code == 200
    assert shared.json() == client.get(f"/api/v1/matrices/{matrix['id']}").json()

    replaced = client.post(path)
    assert replaced.status_code == 201 and replaced.json()["url"] != url
    assert anonymous.get(f"/api/v1/shared/{secret}").status_code == 404  # the earlier link stops working
    assert len(session.exec(select(ShareLink)).all()) == 1
    new_secret = replaced.json()["url"].rsplit("/shared/", 1)[1]

    assert client.delete(path).status_code == 204
    assert anonymous.get(f"/api/v1/shared/{new_secret}").status_code == 404
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404


def test_a_share_link_changes_nothing_about_the_matrix(client, make_matrix):
    matrix = _private(client, make_matrix)

    client.post(f"/api/v1/matrices/{matrix['id']}/share-link")

    after = client.get(f"/api/v1/matrices/{matrix['id']}").json()
    assert (after["is_public"], after["version"]) == (False, matrix["version"])


def test_a_shared_page_is_read_only_and_can_be_scored(client, anonymous, make_matrix):
    matrix = _private(client, make_matrix)
    url = client.post(f"/api/v1/matrices/{matrix['id']}/share-link").json()["url"]
    path = url.split("testserver", 1)[1]

    page = anonymous.get(path)

    assert page.status_code == 200
    assert "Library site" in page.text and "Riverside" in page.text
    for control in ("Edit<span", "Remove<span", "Add an option", "Delete matrix", 'id="sharing"', "Copy this matrix"):
        assert control not in page.text, control
    assert f'{path}/score#scoring"' in page.text  # the link's own scoring address
    scored = anonymous.get(f"{path}/score", headers={"HX-Request": "true"})
    assert scored.status_code in (200, 422)  # an empty grid is not an error page
    assert "scoring" in scored.text
    assert page.headers["cache-control"] == "no-store"


def test_the_owner_also_sees_the_shared_page_read_only(client, make_matrix):
    matrix = _private(client, make_matrix)
    url = client.post(f"/api/v1/matrices/{matrix['id']}/share-link").json()["url"]

    page = client.get(url.split("testserver", 1)[1])

    assert page.status_code == 200 and "Edit<span" not in page.text


@pytest.mark.parametrize("secret", ["not-a-real-link", "x" * 500])
def test_an_unknown_link_is_a_404_page_and_a_404_answer(anonymous, secret):
    page = anonymous.get(f"/shared/{secret}")

    assert page.status_code == 404 and "<html" in page.text
    assert anonymous.get(f"/api/v1/shared/{secret}").status_code == 404


def test_a_revoked_link_is_a_404_page(client, anonymous, make_matrix):
    matrix = make_matrix()
    path = f"/api/v1/matrices/{matrix['id']}/share-link"
    secret = client.post(path).json()["url"].rsplit("/shared/", 1)[1]
    assert anonymous.get(f"/shared/{secret}").status_code == 200

    client.delete(path)

    assert anonymous.get(f"/shared/{secret}").status_code == 404
    assert anonymous.get(f"/shared/{secret}/score").status_code == 404


def test_deleting_the_matrix_deletes_its_link(client, anonymous, session, make_matrix):
    matrix = make_matrix()
    secret = client.post(f"/api/v1/matrices/{matrix['id']}/share-link").json()["url"].rsplit("/shared/", 1)[1]

    client.delete(f"/api/v1/matrices/{matrix['id']}")

    assert anonymous.get(f"/api/v1/shared/{secret}").status_code == 404
    assert len(session.exec(select(ShareLink)).all()) == 0


# Versions and If-Match ------------------------------------------------------------------


def _version(client, matrix):
    return client.get(f"/api/v1/matrices/{matrix['id']}").json()["version"]


def test_every_change_bumps_the_version_once(client, make_matrix):
    matrix = make_matrix()
    base = f"/api/v1/matrices/{matrix['id']}"
    assert matrix["version"] == 1
    assert client.get("/api/v1/matrices").json()["items"][0]["version"] == 1

    changes = [
        ("PATCH", base, {"title": "T2"}),
        ("PATCH", base, {"is_public": True}),
        ("POST", f"{base}/options", {"name": "New"}),
        ("PATCH", f"{base}/options/{matrix['options'][0]['id']}", {"short_name": "R"}),
        ("PUT", f"{base}/criteria/order", {"ids": [c["id"] for c in matrix["criteria"]][::-1]}),
        ("PATCH", f"{base}/criteria/{matrix['criteria'][0]['id']}", {"weight": 3}),
        ("DELETE", f"{base}/options/{matrix['options'][1]['id']}", None),
    ]
    for expected, (method, path, body) in enumerate(changes, start=2):
        assert client.request(method, path, json=body).status_code in (200, 201, 204)
        assert _version(client, matrix) == expected, (method, path)


def test_a_refused_change_does_not_bump_the_version(client, make_matrix):
    matrix = make_matrix()

    client.patch(f"/api/v1/matrices/{matrix['id']}/options/{matrix['options'][0]['id']}", json={"name": "Old town"})

    assert _version(client, matrix) == 1


@pytest.mark.parametrize("if_match", ["1", '"1"', 'W/"1"', "*"])
def test_a_current_if_match_lets_the_write_through(client, make_matrix, if_match):
    matrix = make_matrix()

    response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "T2"}, headers={"If-Match": if_match})

    assert response.status_code == 200 and response.json()["version"] == 2


def _item_writes(matrix):
    base = f"/api/v1/matrices/{matrix['id']}"
    option = matrix["options"][0]["id"]
    return [
        ("PATCH", base, {"title": "Lost"}),
        ("POST", f"{base}/options", {"name": "Lost"}),
        ("PATCH", f"{base}/options/{option}", {"name": "Lost"}),
        ("DELETE", f"{base}/options/{option}", None),
        ("PUT", f"{base}/options/order", {"ids": [o["id"] for o in matrix["options"]][::-1]}),
        ("POST", f"{base}/criteria", {"name": "Lost"}),
        ("PATCH", f"{base}/criteria/{matrix['criteria'][0]['id']}", {"weight": 9}),
    ]


@pytest.mark.parametrize("index", range(7))
def test_a_stale_if_match_is_a_409_and_changes_nothing(client, make_matrix, index):
    matrix = make_matrix()
    client.patch(f"/api/v1/matrices/{matrix['id']}", json={"description": "someone else's change"})
    before = client.get(f"/api/v1/matrices/{matrix['id']}").json()
    method, path, body = _item_writes(matrix)[index]

    response = client.request(method, path, json=body, headers={"If-Match": "1"})

    assert response.status_code == 409
    assert "Someone else changed this matrix; reload to see their change" in response.json()["detail"]
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == before


@pytest.mark.parametrize("garbage", ["abc", "0", "-1", "1.5", '"', "1, 2", "9" * 20])
def test_a_malformed_if_match_is_a_422_naming_the_header(client, make_matrix, garbage):
    matrix = make_matrix()

    response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "T2"}, headers={"If-Match": garbage})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "If-Match"]
    assert _version(client, matrix) == 1


def test_the_openapi_schema_documents_the_new_fields_and_the_409(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    assert "short_name" in components["OptionCreate"]["properties"]
    assert {"scale_low_label", "scale_high_label"} <= set(components["CriterionPublic"]["properties"])
    assert "version" in components["MatrixPublic"]["properties"]
    assert "is_public" in components["MatrixUpdate"]["properties"]
    patch = schema["paths"]["/api/v1/matrices/{matrix_id}"]["patch"]
    assert "409" in patch["responses"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert components["OptionCreate"]["examples"][0]["short_name"] == "Drone interception"
