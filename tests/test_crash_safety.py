"""`kill -9` in the middle of a seminar's ballot burst loses nothing that was acknowledged.

A real server in a child process takes a stream of full ballots from many
participants at once; partway through it is killed without warning — on
SQLite the whole server, then started again on the same file; on PostgreSQL
every app worker, which the supervisor replaces. Afterwards the database
is intact, every ballot answered 2xx is stored whole, and nothing stored is
half a ballot.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support.ballots import (
    BallotStream,
    as_stored,
    ballot_table_problems,
    join_participants,
    random_scores,
    start_session,
    stored_ballot,
    stream_ballots_until,
)
from tests.support.load import run_async
from tests.support.server import ServerProcess

pytestmark = pytest.mark.slow

PARTICIPANTS = 60
KILL_AFTER_BALLOTS = 2 * PARTICIPANTS  # every participant twice, on average, before the kill


def _problems_with_stored_ballots(base_url: str, seminar: dict, burst: BallotStream, tokens: list[str]) -> list[str]:
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


def _sqlite_integrity(database_url: str) -> list[str]:
    with sqlite3.connect(Path(make_url(database_url).database)) as connection:  # type: ignore[arg-type]
        return [row[0] for row in connection.execute("PRAGMA integrity_check")] + [
            repr(row) for row in connection.execute("PRAGMA foreign_key_check")
        ]


def _assert_nothing_acknowledged_was_lost(server: ServerProcess, seminar: dict, burst: BallotStream, ids: dict) -> None:
    tokens = list(ids)
    print(f"{burst.total_acknowledged} ballots acknowledged before the kill, {burst.total_unknown} in flight")
    assert burst.total_acknowledged >= KILL_AFTER_BALLOTS, "the burst never got going before the kill"
    assert burst.total_unknown > 0, "no request was in flight: the kill missed the burst"
    assert burst.refused == [], f"a live server refused ballots: {sorted(set(burst.refused))}"
    assert _problems_with_stored_ballots(server.url, seminar, burst, tokens) == []
    acknowledged = {token: [version for version, _ in revisions] for token, revisions in burst.acknowledged.items()}
    assert ballot_table_problems(server.database_url, seminar, acknowledged, ids) == []
    # And the room carries on.
    with httpx.Client(base_url=server.url, timeout=30) as client:
        scores = random_scores(seminar, random.Random(1))
        again = client.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores},
                           headers={"Authorization": f"Bearer {tokens[0]}"})  # fmt: skip
    assert again.status_code == 200, again.text


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite file; the PostgreSQL leg kills workers instead")
def test_kill_9_of_the_server_mid_burst_on_sqlite_keeps_every_acknowledged_ballot_whole():
    with ServerProcess("sqlite") as server:
        seminar = start_session(server)
        ids = run_async(join_participants(server.url, seminar, PARTICIPANTS))

        burst = run_async(stream_ballots_until(server.url, seminar, list(ids), acknowledged=KILL_AFTER_BALLOTS,
                                               interruption=server.crash))
        assert _sqlite_integrity(server.database_url) == ["ok"]  # before anyone opens it again
        server.restart()

        assert _sqlite_integrity(server.database_url) == ["ok"]
        _assert_nothing_acknowledged_was_lost(server, seminar, burst, ids)


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL with two workers")
def test_kill_9_of_every_worker_mid_burst_on_postgresql_keeps_every_acknowledged_ballot_whole():
    with ServerProcess(TEST_DATABASE_URL, workers=2) as server:  # type: ignore[arg-type]
        seminar = start_session(server)
        ids = run_async(join_participants(server.url, seminar, PARTICIPANTS))
        workers = server.worker_pids()
        assert len(workers) == 2

        killed: list[int] = []
        kill = lambda: killed.extend(server.kill_workers())  # noqa: E731
        burst = run_async(stream_ballots_until(server.url, seminar, list(ids), acknowledged=KILL_AFTER_BALLOTS,
                                               interruption=kill))
        assert sorted(killed) == sorted(workers)
        server.wait_until_healthy(60)  # uvicorn's supervisor starts new workers by itself
        deadline = time.monotonic() + 30
        while len(set(server.worker_pids()) - set(workers)) < 2:
            assert time.monotonic() < deadline, "the supervisor did not replace both workers"
            time.sleep(0.2)

        _assert_nothing_acknowledged_was_lost(server, seminar, burst, ids)
