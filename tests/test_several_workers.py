"""Two worker processes on one PostgreSQL run a whole seminar between them, sharing nothing but the database.

`optionsmatrix serve --workers 2` runs as a child process on a fresh schema.
Every request below goes over a connection of its own, so the kernel hands
them to either worker; the log names the worker that answered each (see
cli/logs.py), and the test checks that both did, at every step.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support.load import run_async
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.postgres_only, pytest.mark.skipif(not ON_POSTGRES, reason="several workers need PostgreSQL")]

PARTICIPANTS = 20
ACCESS_LINE = re.compile(r'\[worker (\d+)\] [0-9.:]+ - "(\w+) (\S+) HTTP/[0-9.]+" (\d{3})')


@pytest.fixture(scope="module")
def server():
    with ServerProcess(TEST_DATABASE_URL, workers=2) as running:  # type: ignore[arg-type]
        yield running


def worker_pids(server: ServerProcess) -> set[int]:
    """The serve process's children that are optionsmatrix workers (uvicorn's supervisor forks them)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return {int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}


def served(server: ServerProcess) -> dict[tuple[str, str, str], set[int]]:
    """(method, path with ids as {id}, status) → the worker pids that answered it."""
    answered: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for pid, method, path, status in ACCESS_LINE.findall(server.log()):
        answered[(method, re.sub(r"/\d+", "/{id}", path.split("?")[0]), status)].add(int(pid))
    return answered


async def _each(requests):  # noqa: ANN001, ANN202
    """Run (method, url, kwargs) requests at once, each on a connection of its own."""

    async def one(method: str, url: str, kwargs: dict) -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as client:
            return await client.request(method, url, **kwargs)

    return await asyncio.gather(*(one(method, url, kwargs) for method, url, kwargs in requests))


def test_a_whole_seminar_runs_across_two_workers(server):
    workers = worker_pids(server)
    assert len(workers) == 2, workers
    token = server.instructor_token("two-workers@example.org")
    instructor = {"Authorization": f"Bearer {token}"}
    api = f"{server.url}/api/v1"
    with httpx.Client(headers=instructor, timeout=30) as client:
        matrix = client.post(f"{api}/matrices", json={
            "title": "Where to site the library",
            "options": [{"name": "Riverside"}, {"name": "Old town"}, {"name": "Campus"}],
            "criteria": [{"name": "Cost", "direction": "cost"}, {"name": "Access"}, {"name": "Space"}],
        }).json()  # fmt: skip
        seminar = client.post(f"{api}/matrices/{matrix['id']}/sessions", json={"title": "Seminar A"}).json()
    session_url = f"{api}/sessions/{seminar['id']}"
    options = [o["id"] for o in seminar["options"]]
    criteria = [c["id"] for c in seminar["criteria"]]

    joins = run_async(_each([
        ("POST", f"{api}/sessions/join", {"json": {"join_code": seminar["join_code"], "display_name": f"P{i:02}"}})
        for i in range(PARTICIPANTS)
    ]))  # fmt: skip
    assert [r.status_code for r in joins] == [201] * PARTICIPANTS
    participants = [{"Authorization": f"Bearer {r.json()['participant_token']}"} for r in joins]

    # Participant i puts Riverside first on every criterion unless i is a multiple of 4.
    def ballot(i: int) -> dict:
        top = options[0] if i % 4 else options[1]
        return {"scores": {str(o): {str(c): (5 if o == top else 2) for c in criteria} for o in options}}

    saved = run_async(_each([
        ("PUT", f"{session_url}/ballot", {"headers": headers, "json": ballot(i)})
        for i, headers in enumerate(participants)
    ]))  # fmt: skip
    assert [r.status_code for r in saved] == [200] * PARTICIPANTS, [r.text for r in saved if r.status_code != 200]
    assert all(r.json()["complete"] for r in saved)

    hidden = run_async(_each([("GET", f"{session_url}/results", {"headers": h}) for h in participants[:4]]))
    assert {r.status_code for r in hidden} == {403}  # not revealed yet, whichever worker is asked

    with httpx.Client(headers=instructor, timeout=30) as client:
        room = client.get(f"{session_url}/participants").json()
        assert room["total"] == PARTICIPANTS and all(p["complete"] for p in room["items"])
        assert client.post(f"{session_url}/reveal").json()["reveal"] is True

    results = run_async(_each([("GET", f"{session_url}/results", {"headers": h}) for h in participants]))
    assert {r.status_code for r in results} == {200}
    rankings = {tuple(r.json()["ranking"]["order"]) for r in results}
    assert rankings == {(options[0], options[1], options[2])}, rankings  # one answer, from either worker
    assert {r.json()["complete_ballots"] for r in results} == {PARTICIPANTS}

    with httpx.Client(headers=instructor, timeout=30) as client:
        assert client.post(f"{session_url}/close").json()["status"] == "closed"
    late = run_async(_each([("PUT", f"{session_url}/ballot", {"headers": h, "json": ballot(1)}) for h in participants]))
    assert {r.status_code for r in late} == {409}  # closed, as both workers know from the database

    answered = served(server)
    for step in [("POST", "/api/v1/sessions/join", "201"), ("PUT", "/api/v1/sessions/{id}/ballot", "200"),
                 ("GET", "/api/v1/sessions/{id}/results", "200"), ("PUT", "/api/v1/sessions/{id}/ballot", "409")]:
        assert answered[step] == workers, (step, answered[step], workers)  # fmt: skip


def test_the_limit_on_wrong_join_codes_holds_across_workers(server):
    # 20 wrong codes a minute per address (Settings.join_failures_per_address),
    # whichever worker counts them: one after another, each on a new connection.
    statuses = []
    for i in range(40):
        with httpx.Client(timeout=30) as client:  # a new connection each time
            response = client.post(f"{server.url}/api/v1/sessions/join", json={"join_code": f"ZZZ{i:03}"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["Retry-After"]) >= 1

    assert statuses == [404] * 20 + [429] * 20
    answered = served(server)
    workers = worker_pids(server)
    assert answered[("POST", "/api/v1/sessions/join", "404")] == workers
    assert answered[("POST", "/api/v1/sessions/join", "429")] == workers
