"""Short names, scale meanings and the one order of options (position), through the API."""

import pytest

SECTIONS = ["options", "criteria"]


def _url(matrix, section, item=None):
    return f"/api/v1/matrices/{matrix['id']}/{section}" + (f"/{item['id']}" if item else "")


@pytest.mark.parametrize("section", SECTIONS)
def test_a_short_name_is_optional_and_empty_by_default(client, make_matrix, section):
    matrix = make_matrix()

    created = client.post(_url(matrix, section), json={"name": "Without"}).json()

    assert created["short_name"] == ""
    assert all(item["short_name"] == "" for item in matrix[section])


@pytest.mark.parametrize("section", SECTIONS)
def test_a_short_name_is_set_on_create_and_changed_and_cleared_by_patch(client, make_matrix, section):
    matrix = make_matrix()

    created = client.post(_url(matrix, section), json={"name": "A rather long name", "short_name": " Long "}).json()
    assert created["short_name"] == "Long"  # trimmed like every label

    patched = client.patch(_url(matrix, section, created), json={"short_name": "Longer"})
    assert patched.status_code == 200 and patched.json()["short_name"] == "Longer"
    assert patched.json()["name"] == "A rather long name"

    cleared = client.patch(_url(matrix, section, created), json={"short_name": ""})
    assert cleared.status_code == 200 and cleared.json()["short_name"] == ""


@pytest.mark.parametrize("section", SECTIONS)
def test_a_short_name_over_40_characters_is_a_422_naming_the_field(client, make_matrix, section):
    matrix = make_matrix()
    item = matrix[section][0]

    response = client.patch(_url(matrix, section, item), json={"short_name": "x" * 41})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "short_name"]
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()[section][0] == item  # nothing half-written
    assert client.patch(_url(matrix, section, item), json={"short_name": "x" * 40}).status_code == 200


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize(
    ("taken_how", "short_name"),
    [("another short name", "Same"), ("same, another case", "SAME"), ("another item's full name", None)],
)
def test_a_short_name_is_unique_within_the_matrix(client, make_matrix, section, taken_how, short_name):
    matrix = make_matrix()
    first, second = matrix[section][0], matrix[section][1]
    client.patch(_url(matrix, section, first), json={"short_name": "Same"})
    clash = short_name if short_name is not None else first["name"]

    response = client.patch(_url(matrix, section, second), json={"short_name": clash})

    assert response.status_code == 422, taken_how
    assert response.json()["detail"][0]["loc"] == ["body", "short_name"]
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()[section][1]["short_name"] == ""


def test_a_new_name_may_not_repeat_another_items_short_name(client, make_matrix):
    matrix = make_matrix()
    client.patch(_url(matrix, "criteria", matrix["criteria"][0]), json={"short_name": "Price"})

    response = client.post(_url(matrix, "criteria"), json={"name": "price"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_short_names_may_repeat_in_different_matrices_and_lists(client, make_matrix):
    one, two = make_matrix(), make_matrix(title="Other")

    assert client.patch(_url(one, "options", one["options"][0]), json={"short_name": "X"}).status_code == 200
    assert client.patch(_url(two, "options", two["options"][0]), json={"short_name": "X"}).status_code == 200
    assert client.patch(_url(one, "criteria", one["criteria"][0]), json={"short_name": "X"}).status_code == 200


def test_an_item_may_have_its_own_name_as_short_name(client, make_matrix):
    matrix = make_matrix()
    item = matrix["options"][0]

    assert client.patch(_url(matrix, "options", item), json={"short_name": item["name"]}).status_code == 200


def test_creating_a_matrix_with_clashing_short_names_is_refused_whole(client):
    body = {"title": "T", "options": [{"name": "A", "short_name": "S"}, {"name": "B", "short_name": "s"}]}

    response = client.post("/api/v1/matrices", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "options", 1, "short_name"]
    assert client.get("/api/v1/matrices").json()["total"] == 0


def test_a_criterion_says_what_the_ends_of_its_scale_mean(client, make_matrix):
    matrix = make_matrix()

    created = client.post(
        _url(matrix, "criteria"),
        json={"name": "Risk of an undesirable response", "direction": "cost",
              "scale_low_label": "low risk", "scale_high_label": "high risk"},
    )  # fmt: skip

    assert created.status_code == 201
    assert (created.json()["scale_low_label"], created.json()["scale_high_label"]) == ("low risk", "high risk")
    patched = client.patch(_url(matrix, "criteria", created.json()), json={"scale_high_label": "very high risk"})
    assert patched.json()["scale_low_label"] == "low risk" and patched.json()["scale_high_label"] == "very high risk"
    bad = client.patch(_url(matrix, "criteria", created.json()), json={"scale_low_label": "two\nlines"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "scale_low_label"]


def test_options_have_no_scale_labels(client, make_matrix):
    matrix = make_matrix()

    response = client.post(_url(matrix, "options"), json={"name": "N", "scale_low_label": "low"})

    assert response.status_code == 422


def test_copies_keep_short_names_and_scale_meanings(client, make_matrix):
    risk = {"name": "Risk", "short_name": "R", "scale_low_label": "low", "scale_high_label": "high"}
    matrix = make_matrix(criteria=[risk])

    copy = client.post(f"/api/v1/matrices/{matrix['id']}/copy").json()

    assert [(c["short_name"], c["scale_low_label"], c["scale_high_label"]) for c in copy["criteria"]] == [
        ("R", "low", "high")
    ]


# Position orders everything; only the ladder view sorts by level -------------------------


def test_an_option_reordered_above_a_lower_level_stays_there_in_the_api(client, make_matrix):
    matrix = make_matrix(
        options=[{"name": "One", "escalation_level": 1}, {"name": "Two", "escalation_level": 2},
                 {"name": "Five", "escalation_level": 5}]
    )  # fmt: skip
    one, two, five = matrix["options"]

    order = {"ids": [five["id"], one["id"], two["id"]]}

    response = client.put(f"/api/v1/matrices/{matrix['id']}/options/order", json=order)

    assert response.status_code == 200
    listed = client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]
    assert [(o["name"], o["escalation_level"], o["position"]) for o in listed] == [
        ("Five", 5, 0), ("One", 1, 1), ("Two", 2, 2),
    ]  # fmt: skip


def test_the_api_lists_options_by_position_not_by_level(client, make_matrix):
    matrix = make_matrix(options=[{"name": "High", "escalation_level": 4}, {"name": "Low", "escalation_level": 1}])

    listed = client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]

    assert [o["name"] for o in listed] == ["High", "Low"]


def test_a_session_snapshot_keeps_position_order_and_the_labels(client, make_matrix):
    matrix = make_matrix(
        options=[{"name": "High", "escalation_level": 4, "short_name": "H"}, {"name": "Low", "escalation_level": 1}],
        criteria=[{"name": "Risk", "short_name": "R", "scale_low_label": "low", "scale_high_label": "high"}],
    )

    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()

    shown = client.get(f"/api/v1/sessions/{seminar['id']}").json()
    assert [(o["name"], o["short_name"]) for o in shown["options"]] == [("High", "H"), ("Low", "")]
    assert [(c["short_name"], c["scale_low_label"], c["scale_high_label"]) for c in shown["criteria"]] == [
        ("R", "low", "high")
    ]
