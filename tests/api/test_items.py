"""Options and criteria of a matrix: the same add / edit / reorder / remove rules for both."""

import pytest

from optionsmatrix.schemas.matrices import MAX_OPTIONS

SECTIONS = ["options", "criteria"]


def _names(client, matrix_id, section):
    return [i["name"] for i in client.get(f"/api/v1/matrices/{matrix_id}").json()[section]]


@pytest.mark.parametrize("section", SECTIONS)
def test_adding_appends_at_the_end(client, make_matrix, section):
    matrix = make_matrix()

    response = client.post(f"/api/v1/matrices/{matrix['id']}/{section}", json={"name": "New one"})

    assert response.status_code == 201
    assert response.json()["position"] == len(matrix[section])
    assert _names(client, matrix["id"], section)[-1] == "New one"


@pytest.mark.parametrize("section", SECTIONS)
def test_renaming_keeps_everything_else(client, make_matrix, section):
    matrix = make_matrix()
    item = matrix[section][1]

    response = client.patch(f"/api/v1/matrices/{matrix['id']}/{section}/{item['id']}", json={"name": "Renamed"})

    assert response.status_code == 200
    assert response.json() == {**item, "name": "Renamed"}


@pytest.mark.parametrize("section", SECTIONS)
def test_reordering_sets_positions_in_the_given_order(client, make_matrix, section):
    matrix = make_matrix()
    ids = [i["id"] for i in matrix[section]][::-1]

    response = client.put(f"/api/v1/matrices/{matrix['id']}/{section}/order", json={"ids": ids})

    assert response.status_code == 200
    assert [(i["id"], i["position"]) for i in response.json()] == [(id_, p) for p, id_ in enumerate(ids)]
    assert [i["id"] for i in client.get(f"/api/v1/matrices/{matrix['id']}").json()[section]] == ids


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("change", ["missing", "repeated", "foreign"])
def test_reordering_needs_every_id_exactly_once(client, make_matrix, section, change):
    matrix = make_matrix()
    other = make_matrix(title="Other")
    ids = [i["id"] for i in matrix[section]]
    bad = {"missing": ids[:-1], "repeated": [*ids[:-1], ids[0]], "foreign": [*ids[:-1], other[section][0]["id"]]}

    response = client.put(f"/api/v1/matrices/{matrix['id']}/{section}/order", json={"ids": bad[change]})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ids"]
    assert "exactly once" in response.json()["detail"][0]["msg"]
    assert [i["id"] for i in client.get(f"/api/v1/matrices/{matrix['id']}").json()[section]] == ids


@pytest.mark.parametrize("section", SECTIONS)
def test_removing_closes_the_gap_in_positions(client, make_matrix, section):
    matrix = make_matrix(criteria=[{"name": "A"}, {"name": "B"}, {"name": "C"}])
    first = matrix[section][0]

    assert client.delete(f"/api/v1/matrices/{matrix['id']}/{section}/{first['id']}").status_code == 204

    remaining = client.get(f"/api/v1/matrices/{matrix['id']}").json()[section]
    assert [i["position"] for i in remaining] == [0, 1]
    assert first["id"] not in [i["id"] for i in remaining]


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("method", ["patch", "delete"])
def test_an_item_of_another_matrix_is_not_found(client, make_matrix, section, method):
    matrix, other = make_matrix(), make_matrix(title="Other")
    foreign_id = other[section][0]["id"]

    response = client.request(
        method,
        f"/api/v1/matrices/{matrix['id']}/{section}/{foreign_id}",
        json={"name": "x"} if method == "patch" else None,
    )

    assert response.status_code == 404
    assert client.get(f"/api/v1/matrices/{other['id']}").json() == other


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("clash", ["Riverside", "  riverside ", "RIVERSIDE"])
def test_names_clash_regardless_of_case_and_surrounding_space(client, make_matrix, section, clash):
    matrix = make_matrix(criteria=[{"name": "Riverside"}, {"name": "Cost"}])
    before = client.get(f"/api/v1/matrices/{matrix['id']}").json()

    added = client.post(f"/api/v1/matrices/{matrix['id']}/{section}", json={"name": clash})
    renamed = client.patch(
        f"/api/v1/matrices/{matrix['id']}/{section}/{matrix[section][1]['id']}", json={"name": clash}
    )

    for response in (added, renamed):
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "name"]
        assert "already has" in response.json()["detail"][0]["msg"]
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == before


@pytest.mark.parametrize("section", SECTIONS)
def test_an_item_may_keep_its_own_name_in_another_case(client, make_matrix, section):
    matrix = make_matrix(criteria=[{"name": "Riverside"}])
    item = matrix[section][0]

    response = client.patch(f"/api/v1/matrices/{matrix['id']}/{section}/{item['id']}", json={"name": "RIVERSIDE"})

    assert response.status_code == 200
    assert response.json()["name"] == "RIVERSIDE"


def test_criterion_scale_edit_is_checked_against_the_stored_other_bound(client, make_matrix):
    matrix = make_matrix(criteria=[{"name": "Cost", "scale_min": 1, "scale_max": 5}])
    path = f"/api/v1/matrices/{matrix['id']}/criteria/{matrix['criteria'][0]['id']}"

    raised_min = client.patch(path, json={"scale_min": 5})
    lowered_max = client.patch(path, json={"scale_max": 0.5})
    both = client.patch(path, json={"scale_min": 0, "scale_max": 100})

    assert raised_min.status_code == 422 and raised_min.json()["detail"][0]["loc"] == ["body", "scale_min"]
    assert lowered_max.status_code == 422 and lowered_max.json()["detail"][0]["loc"] == ["body", "scale_max"]
    assert both.status_code == 200 and (both.json()["scale_min"], both.json()["scale_max"]) == (0, 100)


def test_criterion_direction_and_weight_can_change(client, make_matrix):
    matrix = make_matrix()
    criterion = matrix["criteria"][1]

    response = client.patch(
        f"/api/v1/matrices/{matrix['id']}/criteria/{criterion['id']}", json={"direction": "cost", "weight": 0}
    )

    assert (response.json()["direction"], response.json()["weight"]) == ("cost", 0)


def test_a_matrix_may_have_all_weights_zero_while_being_edited(client, make_matrix):
    matrix = make_matrix()  # Cost (weight 2) and Access (weight 1)
    path = f"/api/v1/matrices/{matrix['id']}"
    cost, access = (c["id"] for c in matrix["criteria"])

    zeroed = [client.patch(f"{path}/criteria/{i}", json={"weight": 0}) for i in (cost, access)]
    # With every weight at 0, other edits still go through.
    edited = client.patch(f"{path}/criteria/{access}", json={"name": "Access by bus", "direction": "cost"})
    retitled = client.patch(path, json={"title": "Library site, weights to decide"})

    assert [r.status_code for r in (*zeroed, edited, retitled)] == [200, 200, 200, 200]
    stored = client.get(path).json()
    assert stored["title"] == "Library site, weights to decide"
    assert [(c["name"], c["direction"], c["weight"]) for c in stored["criteria"]] == [
        ("Cost", "cost", 0),
        ("Access by bus", "cost", 0),
    ]


def test_option_escalation_level_can_change(client, make_matrix):
    matrix = make_matrix()
    option = matrix["options"][0]

    response = client.patch(f"/api/v1/matrices/{matrix['id']}/options/{option['id']}", json={"escalation_level": 4})

    assert response.json()["escalation_level"] == 4


def test_a_matrix_cannot_grow_past_the_option_cap_one_at_a_time(client, make_matrix):
    matrix = make_matrix(options=[{"name": f"O{i}"} for i in range(MAX_OPTIONS)])

    response = client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": "One too many"})

    assert response.status_code == 422 and "at most 200 options" in response.json()["detail"][0]["msg"]
    assert len(client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]) == MAX_OPTIONS
