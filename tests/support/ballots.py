"""Participants' ballots against a real server: random full ballots, and checks that what was
acknowledged is what is stored; a stream of ballots that something interrupts (a crash, a backup).
Shared by benchmarks/session_burst.py, tests/test_crash_safety.py and tests/test_backup.py."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2 as httpx
from sqlalchemy import text

from optionsmatrix.core.db import create_db_engine


def start_session(server) -> dict:  # noqa: ANN001 - a tests.support.server.ServerProcess
    """A new instructor starts a session on the case study (matrix 1) of a running server."""
    token = server.instructor_token(f"instructor-{uuid.uuid4().hex[:8]}@example.org")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        started = client.post("/api/v1/matrices/1/sessions", json={})
    assert started.status_code == 201, started.text
    return started.json()


def random_scores(seminar: dict, rng: random.Random) -> dict[str, dict[str, int]]:
    """A complete ballot: every option scored on every criterion, within each criterion's scale."""
    return {
        str(o["id"]): {str(c["id"]): rng.randint(int(c["scale_min"]), int(c["scale_max"])) for c in seminar["criteria"]}
        for o in seminar["options"]
    }


def as_stored(scores: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    """How the API returns a ballot's scores: the same cells, as numbers with a fraction."""
    return {o: {c: float(v) for c, v in row.items()} for o, row in scores.items()}


def stored_ballot(client: httpx.Client, seminar: dict, token: str) -> dict | None:
    """A participant's latest ballot as the server returns it (None when there is none)."""
    answer = client.get(f"/api/v1/sessions/{seminar['id']}/ballot", headers={"Authorization": f"Bearer {token}"})
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.json()


def count_not_stored_as_sent(base_url: str, seminar: dict, acknowledged: list[tuple[str, dict]]) -> int:
    """How many acknowledged ballots (token, scores sent) are not each participant's stored ballot, exactly."""
    lost = 0
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for token, scores in acknowledged:
            stored = stored_ballot(client, seminar, token)
            if stored is None or stored["scores"] != as_stored(scores):
                lost += 1
    return lost


# A stream of ballots interrupted by something (a crash, a backup) ---------------------------


@dataclass
class BallotStream:
    """What each participant (by token) was told: versions acknowledged with their scores, and attempts
    whose outcome never came back (in flight when the server died)."""

    acknowledged: dict[str, list[tuple[int, dict]]] = field(default_factory=lambda: defaultdict(list))
    unknown: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    refused: list[int] = field(default_factory=list)  # statuses other than 200
    # The acknowledged versions as they stood when the interruption began.
    acknowledged_before: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total_acknowledged(self) -> int:
        return sum(len(revisions) for revisions in self.acknowledged.values())

    @property
    def total_unknown(self) -> int:
        return sum(len(attempts) for attempts in self.unknown.values())


async def join_participants(base_url: str, seminar: dict, participants: int) -> dict[str, int]:
    """`participants` people join at once; participant token -> participant id."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answers = await asyncio.gather(*(
            client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}) for _ in range(participants)
        ))  # fmt: skip
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers if a.status_code != 201][:3]
    return {a.json()["participant_token"]: a.json()["participant_id"] for a in answers}


async def stream_ballots_until(
    base_url: str, seminar: dict, tokens: list[str], *, acknowledged: int, interruption: Callable[[], object],
    at_most: float = 60,
) -> BallotStream:
    """Every participant submits full ballots back to back; once `acknowledged` ballots have been answered
    200 (or `at_most` seconds in: the caller's check of the count then fails), `interruption` runs in a
    thread, and once it returns everyone stops after their current request.

    A count, not a time: on a busy machine a second may hold ten ballots or two hundred."""
    stream, done = BallotStream(), asyncio.Event()
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))

    async def participant(client: httpx.AsyncClient, token: str, rng: random.Random) -> None:
        while not done.is_set():
            scores = random_scores(seminar, rng)
            try:
                saved = await client.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores},
                                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            except httpx.HTTPError:
                stream.unknown[token].append(scores)
                return
            if saved.status_code == 200:
                stream.acknowledged[token].append((saved.json()["version"], scores))
            else:
                stream.refused.append(saved.status_code)

    async def interrupt() -> None:
        deadline = asyncio.get_running_loop().time() + at_most
        while stream.total_acknowledged < acknowledged and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        stream.acknowledged_before = {t: [v for v, _ in revisions] for t, revisions in stream.acknowledged.items()}
        await asyncio.to_thread(interruption)
        done.set()

    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        await asyncio.gather(interrupt(), *(participant(client, t, random.Random(n)) for n, t in enumerate(tokens)))
    return stream


def ballot_table_problems(database_url: str, seminar: dict, expected: dict[str, list[int]], ids: dict[str, int]
                          ) -> list[str]:  # fmt: skip
    """Every expected revision (token -> versions) is a row of its own; no row anywhere is part of a ballot."""
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
    for token, versions in expected.items():
        missing = [version for version in versions if (ids[token], version) not in stored]
        if missing:
            problems.append(f"participant {ids[token]}: versions {missing} are not stored")
    return problems
