"""`kill -9` in the middle of a seminar's ballot burst loses nothing that was acknowledged.

A real server in a child process takes a stream of full ballots from many
participants at once; partway through it is killed without warning — on
SQLite the whole server, then started again on the same file; on PostgreSQL
every app worker, which the supervisor replaces. Afterwards the database
is intact, every ballot answered 2xx is stored whole, and nothing stored is
half a ballot.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from optionsmatrix.core.db import create_db_engine
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support.ballots import as_stored, random_scores, stored_ballot
from tests.support.load import run_async
from tests.support.server import ServerProcess

pytestmark = pytest.mark.slow

PARTICIPANTS = 60
KILL_AFTER_SECONDS = 1.5


@dataclass
class Burst:
    """What each participant (by token) was told: versions acknowledged with their scores, and attempts
    whose outcome never came back (in flight when the server died)."""

    acknowledged: dict[str, list[tuple[int, dict]]] = field(default_factory=lambda: defaultdict(list))
    unknown: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    refused: list[int] = field(default_factory=list)  # statuses other than 200 from a live server


async def _join(base_url: str, seminar: dict, participants: int) -> dict[str, int]:
    """Participant token -> participant id."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answers = await asyncio.gather(*(
            client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}) for _ in range(participants)
        ))  # fmt: skip
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers if a.status_code != 201][:3]
    return {a.json()["participant_token"]: a.json()["participant_id"] for a in answers}


async def _burst_until_killed(base_url: str, seminar: dict, tokens: list[str], kill) -> Burst:  # noqa: ANN001
    """Every participant submits full ballots back to back; `kill` runs KILL_AFTER_SECONDS in."""
    burst, killed = Burst(), asyncio.Event()
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))

    async def participant(client: httpx.AsyncClient, token: str, rng: random.Random) -> None:
        while not killed.is_set():
            scores = random_scores(seminar, rng)
            try:
                saved = await client.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores},
                                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            except httpx.HTTPError:
                burst.unknown[token].append(scores)
                return
            if saved.status_code == 200:
                burst.acknowledged[token].append((saved.json()["version"], scores))
            else:
                burst.refused.append(saved.status_code)

    async def killer() -> None:
        await asyncio.sleep(KILL_AFTER_SECONDS)
        await asyncio.to_thread(kill)
        killed.set()

    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        await asyncio.gather(killer(), *(participant(client, t, random.Random(n)) for n, t in enumerate(tokens)))
    return burst


def _problems_with_stored_ballots(base_url: str, seminar: dict, burst: Burst, tokens: list[str]) -> list[str]:
    """Each participant's latest stored ballot is their last acknowledged one, or one sent later whose
    answer was lost in the crash; never older, never something else."""
    problems = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for token in tokens:
            acknowledged, in_flight = burst.acknowledged.get(token, []), burst.unknown.get(token, [])
            stored = stored_ballot(client, seminar, token)
            last_version, last_scores = acknowledged[-1] if acknowledged else (0, None)
            if stored is None:
                if acknowledged:
                    problems.append(f"{token[:12]}: acknowledged version {last_version}, nothing stored")
                continue
            if not stored["complete"]:
                problems.append(f"{token[:12]}: the stored ballot is incomplete")
            if stored["version"] == last_version and stored["scores"] != as_stored(last_scores):
                problems.append(f"{token[:12]}: version {last_version} holds other scores than acknowledged")
            elif stored["version"] < last_version:
                problems.append(f"{token[:12]}: stored version {stored['version']} < acknowledged {last_version}")
            elif stored["version"] > last_version and stored["scores"] not in [as_stored(s) for s in in_flight]:
                problems.append(f"{token[:12]}: stored version {stored['version']} was never sent")
    return problems


def _problems_in_the_ballot_table(database_url: str, seminar: dict, burst: Burst, ids: dict[str, int]) -> list[str]:
    """Every acknowledged revision is a row of its own, whole; no row anywhere is part of a ballot."""
    cells = len(seminar["options"]) * len(seminar["criteria"])
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT participant_id, version, scores, scored_cells, complete FROM ballot"))
        stored = {(r.participant_id, r.version): r for r in rows}
    engine.dispose()
    problems = [
        f"row {key} is not whole"
        for key, row in stored.items()
        if not row.complete or row.scored_cells != cells or len(sum(json.loads(row.scores), [])) != cells
    ]
    for token, revisions in burst.acknowledged.items():
        missing = [version for version, _ in revisions if (ids[token], version) not in stored]
        if missing:
            problems.append(f"participant {ids[token]}: acknowledged versions {missing} are not stored")
    return problems


def _sqlite_integrity(database_url: str) -> list[str]:
    with sqlite3.connect(Path(make_url(database_url).database)) as connection:  # type: ignore[arg-type]
        return [row[0] for row in connection.execute("PRAGMA integrity_check")] + [
            repr(row) for row in connection.execute("PRAGMA foreign_key_check")
        ]


def _start_session(server: ServerProcess) -> dict:
    token = server.instructor_token("crash@example.org")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
        started = client.post("/api/v1/matrices/1/sessions", json={})
    assert started.status_code == 201, started.text
    return started.json()


def _assert_nothing_acknowledged_was_lost(server: ServerProcess, seminar: dict, burst: Burst, ids: dict) -> None:
    tokens = list(ids)
    acknowledged = sum(len(revisions) for revisions in burst.acknowledged.values())
    print(f"{acknowledged} ballots acknowledged before the kill, {sum(map(len, burst.unknown.values()))} in flight")
    assert acknowledged >= PARTICIPANTS, f"only {acknowledged} ballots before the kill: the burst never got going"
    assert sum(len(a) for a in burst.unknown.values()) > 0, "no request was in flight: the kill missed the burst"
    assert burst.refused == [], f"a live server refused ballots: {sorted(set(burst.refused))}"
    assert _problems_with_stored_ballots(server.url, seminar, burst, tokens) == []
    assert _problems_in_the_ballot_table(server.database_url, seminar, burst, ids) == []
    # And the room carries on.
    with httpx.Client(base_url=server.url, timeout=30) as client:
        scores = random_scores(seminar, random.Random(1))
        again = client.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores},
                           headers={"Authorization": f"Bearer {tokens[0]}"})  # fmt: skip
    assert again.status_code == 200, again.text


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite file; the PostgreSQL leg kills workers instead")
def test_kill_9_of_the_server_mid_burst_on_sqlite_keeps_every_acknowledged_ballot_whole():
    with ServerProcess("sqlite") as server:
        seminar = _start_session(server)
        ids = run_async(_join(server.url, seminar, PARTICIPANTS))

        burst = run_async(_burst_until_killed(server.url, seminar, list(ids), server.crash))
        assert _sqlite_integrity(server.database_url) == ["ok"]  # before anyone opens it again
        server.restart()

        assert _sqlite_integrity(server.database_url) == ["ok"]
        _assert_nothing_acknowledged_was_lost(server, seminar, burst, ids)


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL with two workers")
def test_kill_9_of_every_worker_mid_burst_on_postgresql_keeps_every_acknowledged_ballot_whole():
    with ServerProcess(TEST_DATABASE_URL, workers=2) as server:  # type: ignore[arg-type]
        seminar = _start_session(server)
        ids = run_async(_join(server.url, seminar, PARTICIPANTS))
        workers = server.worker_pids()
        assert len(workers) == 2

        killed: list[int] = []
        kill = lambda: killed.extend(server.kill_workers())  # noqa: E731
        burst = run_async(_burst_until_killed(server.url, seminar, list(ids), kill))
        assert sorted(killed) == sorted(workers)
        server.wait_until_healthy(60)  # uvicorn's supervisor starts new workers by itself
        deadline = time.monotonic() + 30
        while len(set(server.worker_pids()) - set(workers)) < 2:
            assert time.monotonic() < deadline, "the supervisor did not replace both workers"
            time.sleep(0.2)

        _assert_nothing_acknowledged_was_lost(server, seminar, burst, ids)
