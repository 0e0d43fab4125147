"""A worker keeps answering under a seminar's burst, and a write that cannot be done in time does nothing.

These run a real server in a child process (not the in-process client), with
at least 100 connections open at once, on whichever back end the suite uses.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx2 as httpx
import pytest
from sqlalchemy import text

from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support.load import check_matrix_state, page_flood, run_async, writer_storm
from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def server():
    with ServerProcess(TEST_DATABASE_URL if ON_POSTGRES else "sqlite") as running:
        yield running


def test_a_burst_of_page_loads_is_answered_in_full_while_health_keeps_answering(server):
    result = run_async(page_flood(server.url, "/matrices/1", concurrency=150, total=150))

    assert result.pages.statuses == {"200": 150}, result.pages.summary()
    assert max(result.pages.latencies) < 10
    assert result.health.total >= 1 and set(result.health.statuses) == {"200"}, result.health.summary()


def test_a_hundred_writers_on_one_matrix_leave_exactly_what_was_acknowledged(server):
    token = server.instructor_token("storm@example.org")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
        matrix = client.post("/api/v1/matrices", json={"title": "Storm", "options": [{"name": "Kept"}]}).json()
    initial = {option["id"]: option["description"] for option in matrix["options"]}

    storm = run_async(writer_storm(server.url, token, matrix["id"], writers=100, seconds=4))

    assert storm.writes.server_errors == 0, storm.writes.summary()
    assert storm.writes.retry_after_missing == 0
    assert storm.writes.statuses.get("timeout", 0) == 0 and storm.unknown == 0, storm.writes.summary()
    assert storm.writes.statuses["201"] >= 100  # every writer got at least one write in
    assert check_matrix_state(server.url, token, matrix["id"], initial, storm) == []


def test_a_hundred_concurrent_adds_of_one_name_store_it_once(server):
    token = server.instructor_token("same-name@example.org")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        matrix = client.post("/api/v1/matrices", json={"title": "Race"}).json()
    names = ["Cost", "COST", "cOst", "cost ", " Cost"] * 20

    async def add_all() -> list[int]:
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=10,
                                     limits=httpx.Limits(max_connections=100)) as client:
            url = f"/api/v1/matrices/{matrix['id']}/options"
            responses = await asyncio.gather(*(client.post(url, json={"name": name}) for name in names))
        return [response.status_code for response in responses]

    statuses = run_async(add_all())

    with httpx.Client(base_url=server.url, headers=headers) as client:
        options = client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]
    assert [o["position"] for o in options] == [0]
    assert statuses.count(201) == 1 and statuses.count(422) == 99, statuses


# A write that must wait too long ------------------------------------------------------


@pytest.fixture
def impatient_client(databases, make_instructor):
    """A client of an app that gives up on a lock after half a second."""
    from fastapi.testclient import TestClient

    from optionsmatrix.app import create_app
    from optionsmatrix.settings import Settings
    from tests.conftest import log_in

    def make(settings, session, owner):
        app = create_app(
            Settings(**{**settings.__dict__, "db_lock_wait_seconds": 0.5, "db_admission_wait_seconds": 0.5})
        )
        client = TestClient(app).__enter__()
        return log_in(client, session, owner)

    return make


def test_a_write_held_up_by_a_lock_is_a_503_with_retry_after_and_changes_nothing(
    impatient_client, settings, session, owner, engine
):
    client = impatient_client(settings, session, owner)
    matrix = client.post("/api/v1/matrices", json={"title": "Locked", "options": [{"name": "A"}]}).json()

    with _held_write_lock(engine, matrix["id"]):
        response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "Changed"})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["title"] == "Locked"
    client.__exit__(None, None, None)


class _held_write_lock:  # noqa: N801 - used as a context manager
    """Another process's transaction holding the matrix (PostgreSQL: its row; SQLite: the write lock)."""

    def __init__(self, engine, matrix_id: int) -> None:  # noqa: ANN001
        self.engine, self.matrix_id = engine, matrix_id

    def __enter__(self) -> None:
        if self.engine.dialect.name == "postgresql":
            self.connection = self.engine.connect()
            self.connection.execute(text("SELECT id FROM matrix WHERE id = :id FOR UPDATE"), {"id": self.matrix_id})
        else:  # a raw connection: the in-process lock is not involved, as with another process
            self.connection = sqlite3.connect(self.engine.url.database, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, *_exc: object) -> None:
        self.connection.rollback()
        self.connection.close()
