"""/api/v1/matrices through the HTTP interface."""

import pytest

from tests.timestamps import assert_utc_with_offset


def test_creating_a_matrix_returns_it_whole_with_ids_and_positions(client):
    response = client.post(
        "/api/v1/matrices",
        json={
            "title": "  Library site  ",
            "description": "Where to build.",
            "source": "Council paper 12",
            "options": [{"name": "Riverside", "escalation_level": 2, "evidence": "p. 4"}, {"name": "Campus"}],
            "criteria": [{"name": "Cost", "direction": "cost", "weight": 2.5, "scale_min": 0, "scale_max": 10}],
        },
    )

    assert response.status_code == 201
    matrix = response.json()
    assert matrix["title"] == "Library site"  # surrounding space is not part of a name
    assert (matrix["description"], matrix["source"]) == ("Where to build.", "Council paper 12")
    assert [(o["name"], o["escalation_level"], o["position"], o["evidence"]) for o in matrix["options"]] == [
        ("Riverside", 2, 0, "p. 4"),
        ("Campus", 1, 1, ""),
    ]
    (criterion,) = matrix["criteria"]
    assert {k: criterion[k] for k in ("name", "direction", "weight", "scale_min", "scale_max", "position")} == {
        "name": "Cost", "direction": "cost", "weight": 2.5, "scale_min": 0.0, "scale_max": 10.0, "position": 0,
    }
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == matrix


def test_criteria_default_to_benefit_weight_one_on_a_one_to_five_scale(make_matrix):
    matrix = make_matrix(criteria=[{"name": "Access"}])

    (criterion,) = matrix["criteria"]
    assert (criterion["direction"], criterion["weight"], criterion["scale_min"], criterion["scale_max"]) == (
        "benefit", 1.0, 1.0, 5.0,
    )


def test_list_is_newest_first_with_total_and_counts(client, make_matrix):
    first = make_matrix(title="First")
    second = make_matrix(title="Second", options=[])

    body = client.get("/api/v1/matrices").json()

    assert body["total"] == 2
    assert [(m["id"], m["title"], m["option_count"], m["criterion_count"]) for m in body["items"]] == [
        (second["id"], "Second", 0, 2),
        (first["id"], "First", 3, 2),
    ]


def test_list_pages_with_limit_and_offset(client, make_matrix):
    ids = [make_matrix(title=f"M{i}")["id"] for i in range(5)]

    page = client.get("/api/v1/matrices", params={"limit": 2, "offset": 1}).json()

    assert page["total"] == 5
    assert [m["id"] for m in page["items"]] == [ids[3], ids[2]]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}])
def test_list_rejects_limits_outside_the_documented_range(client, params):
    response = client.get("/api/v1/matrices", params=params)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", next(iter(params))]


def test_list_allows_the_maximum_page_of_two_hundred(client, make_matrix):
    make_matrix()
    assert client.get("/api/v1/matrices", params={"limit": 200}).status_code == 200


def test_patch_changes_only_the_fields_sent(client, make_matrix):
    matrix = make_matrix(description="Old", source="S")

    response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "New title"})

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["description"], response.json()["source"]) == (
        "New title", "Old", "S",
    )


def test_delete_removes_the_matrix_and_its_items(client, make_matrix):
    matrix = make_matrix()

    assert client.delete(f"/api/v1/matrices/{matrix['id']}").status_code == 204
    assert client.get(f"/api/v1/matrices/{matrix['id']}").status_code == 404
    assert client.get("/api/v1/matrices").json()["total"] == 0


def test_copy_is_an_independent_matrix_with_the_same_content(client, make_matrix):
    original = make_matrix()

    response = client.post(f"/api/v1/matrices/{original['id']}/copy")

    assert response.status_code == 201
    copy = response.json()
    assert copy["id"] != original["id"]
    assert copy["title"] == "Library site (copy)"
    strip = lambda items: [{k: v for k, v in i.items() if k != "id"} for i in items]  # noqa: E731
    assert strip(copy["options"]) == strip(original["options"])
    assert strip(copy["criteria"]) == strip(original["criteria"])

    client.patch(f"/api/v1/matrices/{copy['id']}/criteria/{copy['criteria'][0]['id']}", json={"name": "Price"})
    assert client.get(f"/api/v1/matrices/{original['id']}").json()["criteria"][0]["name"] == "Cost"


def test_copy_takes_an_optional_title(client, make_matrix):
    original = make_matrix()

    copy = client.post(f"/api/v1/matrices/{original['id']}/copy", json={"title": "Seminar B"}).json()

    assert copy["title"] == "Seminar B"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/matrices/424242"),
        ("patch", "/api/v1/matrices/424242"),
        ("delete", "/api/v1/matrices/424242"),
        ("post", "/api/v1/matrices/424242/copy"),
        ("post", "/api/v1/matrices/424242/options"),
        ("put", "/api/v1/matrices/424242/criteria/order"),
    ],
)
def test_an_unknown_matrix_is_404_with_a_message(client, method, path):
    body = {"title": "x"} if method == "patch" else {"name": "x"} if path.endswith("options") else {"ids": []}
    response = client.request(method, path, json=None if method in ("get", "delete") else body)

    assert response.status_code == 404
    assert response.json() == {"detail": "Matrix 424242 not found"}


def test_openapi_documents_the_versioned_routes_with_examples(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert {"/api/v1/health", "/api/v1/matrices", "/api/v1/matrices/{matrix_id}/copy",
            "/api/v1/matrices/{matrix_id}/options/order"} <= set(schema["paths"])
    assert schema["components"]["schemas"]["MatrixCreate"]["examples"]


def test_api_docs_page_is_served_from_vendored_assets(client):
    page = client.get("/docs")

    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_every_matrix_timestamp_is_utc_with_an_explicit_offset(client, make_matrix):
    matrix = make_matrix()
    path = f"/api/v1/matrices/{matrix['id']}"

    answers = [
        matrix,
        client.get("/api/v1/matrices").json(),
        client.get(path).json(),
        client.patch(path, json={"title": "Renamed"}).json(),
        client.post(f"{path}/copy").json(),
    ]

    assert [assert_utc_with_offset(answer) for answer in answers] == [2, 2, 2, 2, 2]
