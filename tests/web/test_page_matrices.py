"""Pages keep a matrix between requests (services/page_matrices.py); no change may ever be served stale."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from optionsmatrix.app import create_app
from tests.conftest import log_in

FRAGMENT = {"HX-Request": "true"}


def _page(client: TestClient, matrix_id: int) -> str:
    response = client.get(f"/matrices/{matrix_id}")
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def _fragment(client: TestClient, matrix_id: int) -> str:
    response = client.get(f"/matrices/{matrix_id}/score", headers=FRAGMENT)
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def _ids(matrix: dict) -> tuple[dict[str, int], dict[str, int]]:
    return {o["name"]: o["id"] for o in matrix["options"]}, {c["name"]: c["id"] for c in matrix["criteria"]}


def test_every_kind_of_edit_shows_on_the_next_page_and_fragment(client, make_matrix):
    matrix = make_matrix()
    mid = matrix["id"]
    options, criteria = _ids(matrix)
    api = f"/api/v1/matrices/{mid}"

    def seen(text: str) -> bool:
        return text in _page(client, mid) and text in _fragment(client, mid)

    assert seen("Riverside")  # both read and kept
    assert client.patch(f"{api}/options/{options['Riverside']}", json={"name": "Harbour front"}).status_code == 200
    assert seen("Harbour front") and "Riverside" not in _page(client, mid)

    assert client.post(f"{api}/criteria", json={"name": "Footfall", "direction": "benefit"}).status_code == 201
    assert seen("Footfall")

    assert client.delete(f"{api}/options/{options['Campus']}").status_code == 204
    assert "Campus" not in _page(client, mid) and "Campus" not in _fragment(client, mid)

    assert client.patch(api, json={"title": "Library site, second look"}).status_code == 200
    assert "Library site, second look" in _page(client, mid)

    scores = {str(options["Old town"]): {str(criteria["Cost"]): 4.5}}
    assert client.put(f"{api}/scores", json=scores).status_code == 200
    assert 'value="4.5"' in _fragment(client, mid)  # a stored score between scale steps shows in a number field

    assert client.patch(f"{api}/criteria/{criteria['Cost']}", json={"scale_max": 9}).status_code == 200
    assert "9" in _fragment(client, mid)


def test_visibility_and_links_change_what_the_kept_matrix_shows_and_to_whom(client, anonymous, make_matrix):
    matrix = make_matrix()
    mid = matrix["id"]
    assert anonymous.get(f"/matrices/{mid}").status_code == 404
    assert client.patch(f"/api/v1/matrices/{mid}", json={"is_public": True}).status_code == 200
    assert anonymous.get(f"/matrices/{mid}").status_code == 200
    assert anonymous.get(f"/matrices/{mid}/score", headers=FRAGMENT).status_code == 200
    assert client.patch(f"/api/v1/matrices/{mid}", json={"is_public": False}).status_code == 200
    assert anonymous.get(f"/matrices/{mid}").status_code == 404  # the kept copy said public
    assert anonymous.get(f"/matrices/{mid}/score", headers=FRAGMENT).status_code == 404

    assert "Make a read-only link" in _page(client, mid)
    made = client.post(f"/api/v1/matrices/{mid}/share-link")
    assert made.status_code in (200, 201), made.text
    secret_path = made.json()["url"].split("testserver", 1)[1]
    assert secret_path in _page(client, mid)
    replaced = client.post(f"/api/v1/matrices/{mid}/share-link").json()["url"].split("testserver", 1)[1]
    page = _page(client, mid)
    assert replaced in page and secret_path not in page
    assert client.delete(f"/api/v1/matrices/{mid}/share-link").status_code == 204
    assert replaced not in _page(client, mid)


def test_a_new_matrix_under_a_deleted_ones_id_is_never_the_old_one(client, make_matrix):
    first = make_matrix(title="First library")
    assert "First library" in _page(client, first["id"])
    assert client.delete(f"/api/v1/matrices/{first['id']}").status_code == 204
    assert client.get(f"/matrices/{first['id']}").status_code == 404

    second = make_matrix(title="Second library")  # SQLite may hand out the same id again, at version 1 again
    page = _page(client, second["id"])
    assert "Second library" in page and "First library" not in page


def test_an_edit_through_another_worker_shows_at_once(client, settings, session, owner, make_matrix):
    matrix = make_matrix()
    assert "Riverside" in _page(client, matrix["id"])  # kept by this worker
    options, _ = _ids(matrix)

    other_worker = create_app(settings)  # its own process state, the same database
    with TestClient(other_worker) as other:
        log_in(other, session, owner)
        renamed = other.patch(f"/api/v1/matrices/{matrix['id']}/options/{options['Riverside']}", json={"name": "Quay"})
        assert renamed.status_code == 200

    page = _page(client, matrix["id"])
    assert "Quay" in page and "Riverside" not in page


@pytest.mark.parametrize("path", ["/matrices/{id}", "/matrices/{id}/score"])
def test_a_kept_matrix_costs_one_short_query(app, client, make_matrix, path):
    matrix = make_matrix()
    url = path.format(id=matrix["id"])
    assert client.get(url).status_code == 200  # loads and keeps it
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001, ANN002
        statements.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", count)
    try:
        assert client.get(url, headers=FRAGMENT).status_code == 200
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count)

    # The login token, then the stamp; the matrix page also lists the owner's sessions of this matrix.
    reads = [s for s in statements if "share_link" in s or "FROM option" in s or "FROM criterion" in s]
    assert len(reads) == 1 and "matrix.version" in reads[0], statements


def test_kept_matrices_stay_within_their_capacity(app, client, make_matrix):
    from optionsmatrix.services.page_matrices import PageMatrices

    kept = PageMatrices(capacity=40)  # each test matrix weighs (3 + 1) × (2 + 1) = 12
    shared, app.state.page_matrices = app.state.page_matrices, kept
    try:
        ids = [make_matrix(title=f"Library {n}")["id"] for n in range(5)]
        for number, matrix_id in enumerate(ids):
            assert f"Library {number}" in _page(client, matrix_id)
        assert len(kept) == 3 and kept.weight == 36
        assert "Library 0" in _page(client, ids[0])  # dropped earlier, loaded again
    finally:
        app.state.page_matrices = shared
