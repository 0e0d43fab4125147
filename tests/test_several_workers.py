"""Two worker processes on one PostgreSQL run a whole seminar between them, sharing nothing but the database.

`optionsmatrix serve --workers 2` runs as a child process on a fresh schema.
Every request below goes over a connection of its own, so the kernel hands
them to either worker; the log names the worker that answered each (see
cli/logs.py), and the test checks that both did, at every step.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
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


def _until_both_answer(server, step, request, *, at_least: int, at_most: int):  # noqa: ANN001, ANN202
    """Send `request(i)` (method, url, kwargs) one by one, each on a new connection, at least `at_least`
    times and then until both workers have answered `step` (or `at_most` requests went).

    The kernel hands a new connection to whichever worker takes it first; one at a time they usually
    alternate, but a worker that keeps winning (a busy machine) can take twenty in a row.
    """
    workers = worker_pids(server)
    responses = []
    while len(responses) < at_least or (served(server)[step] != workers and len(responses) < at_most):
        responses += _one_by_one([request(len(responses))])
    return responses


def _one_by_one(requests):  # noqa: ANN001, ANN202
    """Run (method, url, kwargs) requests one after another, each on a new connection.

    A burst of connections tends to be accepted by whichever worker wakes
    first, which takes the whole queue; one at a time, both workers get turns.
    """
    responses = []
    for method, url, kwargs in requests:
        with httpx.Client(timeout=30) as client:
            responses.append(client.request(method, url, **kwargs))
    return responses


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

    joined = ("POST", "/api/v1/sessions/join", "201")
    joins = _until_both_answer(server, joined, lambda i: (
        "POST", f"{api}/sessions/join", {"json": {"join_code": seminar["join_code"], "display_name": f"P{i:02}"}}
    ), at_least=PARTICIPANTS, at_most=4 * PARTICIPANTS)  # fmt: skip
    assert [r.status_code for r in joins] == [201] * len(joins)
    participants = [{"Authorization": f"Bearer {r.json()['participant_token']}"} for r in joins]
    room_size = len(participants)

    # Participant i puts Riverside first on every criterion unless i is a multiple of 4.
    def ballot(i: int) -> dict:
        top = options[0] if i % 4 else options[1]
        return {"scores": {str(o): {str(c): (5 if o == top else 2) for c in criteria} for o in options}}

    saved = run_async(_each([
        ("PUT", f"{session_url}/ballot", {"headers": headers, "json": ballot(i)})
        for i, headers in enumerate(participants)
    ]))  # fmt: skip
    assert [r.status_code for r in saved] == [200] * room_size, [r.text for r in saved if r.status_code != 200]
    assert all(r.json()["complete"] for r in saved)

    hidden = run_async(_each([("GET", f"{session_url}/results", {"headers": h}) for h in participants[:4]]))
    assert {r.status_code for r in hidden} == {403}  # not revealed yet, whichever worker is asked

    with httpx.Client(headers=instructor, timeout=30) as client:
        room = client.get(f"{session_url}/participants").json()
        assert room["total"] == room_size and all(p["complete"] for p in room["items"])
        assert client.post(f"{session_url}/reveal").json()["reveal"] is True

    shown = ("GET", "/api/v1/sessions/{id}/results", "200")
    results = _until_both_answer(server, shown, lambda i: (
        "GET", f"{session_url}/results", {"headers": participants[i % room_size]}
    ), at_least=room_size, at_most=4 * room_size)  # fmt: skip
    assert {r.status_code for r in results} == {200}
    rankings = {tuple(r.json()["ranking"]["order"]) for r in results}
    assert rankings == {(options[0], options[1], options[2])}, rankings  # one answer, from either worker
    assert {r.json()["complete_ballots"] for r in results} == {room_size}

    with httpx.Client(headers=instructor, timeout=30) as client:
        assert client.post(f"{session_url}/close").json()["status"] == "closed"
    late = run_async(_each([("PUT", f"{session_url}/ballot", {"headers": h, "json": ballot(1)}) for h in participants]))
    assert {r.status_code for r in late} == {409}  # closed, as both workers know from the database

    answered = served(server)
    for step in [("POST", "/api/v1/sessions/join", "201"), ("GET", "/api/v1/sessions/{id}/results", "200")]:
        assert answered[step] == workers, (step, answered[step], workers)
    # The bursts (ballots, late ballots) went wherever the kernel put them, often all to one worker;
    # what matters there is that the answers above were right whichever one it was.
    assert set().union(*answered.values()) == workers


def test_the_limit_on_wrong_join_codes_holds_across_workers(server):
    # 20 wrong codes a minute per address (Settings.join_failures_per_address),
    # whichever worker counts them: one after another, each on a new connection.
    refused = ("POST", "/api/v1/sessions/join", "429")
    answers = _until_both_answer(server, refused, lambda i: (
        "POST", f"{server.url}/api/v1/sessions/join", {"json": {"join_code": f"ZZZ{i:03}"}}
    ), at_least=40, at_most=120)  # fmt: skip

    statuses = [r.status_code for r in answers]
    assert statuses == [404] * 20 + [429] * (len(statuses) - 20)
    assert all(int(r.headers["Retry-After"]) >= 1 for r in answers[20:])
    # Each worker refuses once twenty failures are counted, whichever worker counted them: the count is shared.
    answered = served(server)
    workers = worker_pids(server)
    assert answered[refused] == workers
    assert answered[("POST", "/api/v1/sessions/join", "404")] | answered[refused] == workers


# The same app under gunicorn with uvicorn's workers (README: "Deploying for many courses") -------------


class GunicornProcess(ServerProcess):
    """`gunicorn -k uvicorn_worker.UvicornWorker` on the app factory, as the deployment guide starts it."""

    def command(self) -> list[str]:
        self._env["OPTIONSMATRIX_DATABASE_URL"] = self.database_url
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        return [
            gunicorn, "optionsmatrix.app:create_app_from_env()", "--worker-class", "uvicorn_worker.UvicornWorker",
            "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "--no-control-socket",
        ]  # fmt: skip


def connection_owners(port: int) -> list[int]:
    """The pid holding each established server-side connection on `port` (what `ss -tnp` shows), from /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if local_port == port and state == "01":  # ESTABLISHED
                inodes.add(f"socket:[{inode}]")
    owners = []
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if os.readlink(fd) in inodes:
                owners.append(int(fd.parts[2]))
        except OSError:  # the process or the descriptor went away meanwhile
            continue
    return owners


def test_gunicorn_with_uvicorn_workers_runs_a_session_on_both_workers():
    with GunicornProcess(TEST_DATABASE_URL, workers=2) as server:  # type: ignore[arg-type]
        booted = set(map(int, re.findall(r"Booting worker with pid: (\d+)", server.log())))
        assert len(booted) == 2
        token = server.instructor_token("gunicorn@example.org")
        api = f"{server.url}/api/v1"
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            matrix = client.post(f"{api}/matrices", json={"title": "G", "options": [{"name": "A"}, {"name": "B"}],
                                                          "criteria": [{"name": "Cost"}]}).json()  # fmt: skip
            seminar = client.post(f"{api}/matrices/{matrix['id']}/sessions", json={"title": "G"}).json()

        # Ten participants or more, each on a connection it keeps open, until the kernel has put some on each
        # worker (usually at once; on a busy machine one worker can win several in a row).
        clients: list[httpx.Client] = []
        try:
            while len(clients) < 10 or (set(connection_owners(server.port)) != booted and len(clients) < 40):
                client = httpx.Client(base_url=api, timeout=30)
                clients.append(client)
                body = {"join_code": seminar["join_code"], "display_name": f"G{len(clients)}"}
                joined = client.post("/sessions/join", json=body)
                assert joined.status_code == 201, joined.text
                client.headers["Authorization"] = f"Bearer {joined.json()['participant_token']}"
                scores = {str(o["id"]): {str(seminar["criteria"][0]["id"]): 3} for o in seminar["options"]}
                assert client.put(f"/sessions/{seminar['id']}/ballot", json={"scores": scores}).status_code == 200
            assert set(connection_owners(server.port)) == booted
            participants = len(clients)
        finally:
            for client in clients:
                client.close()

        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            assert client.get(f"{api}/sessions/{seminar['id']}/participants").json()["total"] == participants
        assert server.log().count("Application startup complete") == 2
