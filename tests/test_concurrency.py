"""Writes that race: only one of several at once may win, and concurrent adds keep positions distinct.

These drive the in-process TestClient from threads.
"""

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from optionsmatrix.services import accounts
from tests.conftest import csrf_token_of


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
