"""A seminar's burst: N participants join and submit a full ballot at once, against a real server.

Run:  .venv/bin/python benchmarks/session_burst.py [--participants 200] [--postgres-participants 500]
      [--postgres-workers 4] [--spread 10] [--postgres URL]

Starts `optionsmatrix serve` itself — SQLite with one worker and 200
participants, then PostgreSQL with four workers and 500 (a larger room than
one worker should carry) — starts a session on the case study, and has the
participants arrive spread evenly over `--spread` seconds (default 10: a room
pressing "submit" within the same ten seconds), each joining and at once PUTting a
complete ballot (asyncio + httpx2, a connection each). `--spread 0` sends
everyone at the same instant. Prints throughput, latency percentiles and errors, then
reads every ballot back with its participant's token and checks that each
acknowledged ballot is stored exactly. Target: 0 errors, 0 lost, ballot p99 < 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

import httpx2 as httpx  # noqa: E402

from tests.support.ballots import count_not_stored_as_sent, random_scores  # noqa: E402
from tests.support.load import Outcome, percentile, run_async  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402


async def burst(
    base_url: str, seminar: dict, participants: int, spread: float = 0.0
) -> tuple[Outcome, Outcome, list, float]:
    joins, puts = Outcome(), Outcome()
    acknowledged: list[tuple[str, dict]] = []
    limits = httpx.Limits(max_connections=participants, max_keepalive_connections=participants)
    rng = random.Random(7)

    async def one(client: httpx.AsyncClient, number: int) -> None:
        await asyncio.sleep(spread * number / participants)
        start = time.perf_counter()
        try:
            joined = await client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]})
        except httpx.HTTPError:
            joins.record("error", time.perf_counter() - start)
            return
        joins.record(str(joined.status_code), time.perf_counter() - start)
        if joined.status_code != 201:
            return
        token = joined.json()["participant_token"]
        scores = random_scores(seminar, rng)
        start = time.perf_counter()
        try:
            saved = await client.put(
                f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores},
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        except httpx.HTTPError:
            puts.record("error", time.perf_counter() - start)
            return
        puts.record(str(saved.status_code), time.perf_counter() - start)
        if saved.status_code == 200:
            acknowledged.append((token, scores))

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        await asyncio.gather(*(one(client, number) for number in range(participants)))
    return joins, puts, acknowledged, time.perf_counter() - started


P99_TARGET = 0.5  # seconds


def run(label: str, database: str, workers: int, participants: int, spread: float) -> bool:
    env = {"OPTIONSMATRIX_MAX_PARTICIPANTS": str(max(500, participants))}
    with ServerProcess(database, workers=workers, env=env) as server:
        token = server.instructor_token()
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
            seminar = client.post("/api/v1/matrices/1/sessions", json={}).json()
        joins, puts, acknowledged, seconds = run_async(burst(server.url, seminar, participants, spread))
        lost = count_not_stored_as_sent(server.url, seminar, acknowledged)
    errors = joins.total - joins.statuses.get("201", 0) + puts.total - puts.statuses.get("200", 0)
    p99 = percentile(puts.latencies, 0.99)
    print(f"{label}: {participants} participants arriving over {spread:g} s joined and submitted in {seconds:.2f} s "
          f"({2 * participants / seconds:.0f} requests/s)")  # fmt: skip
    print(f"  joins:   {joins.summary()}")
    print(f"  ballots: {puts.summary()}")
    print(f"  errors {errors}, acknowledged {len(acknowledged)}, lost or altered {lost}")
    ok = errors == 0 and lost == 0 and p99 < P99_TARGET
    print(f"  -> {'target met' if ok else 'TARGET MISSED'} (0 errors, 0 lost, ballot p99 < {P99_TARGET * 1000:.0f} ms)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200, help="on SQLite")
    parser.add_argument("--postgres-participants", type=int, default=500)
    parser.add_argument("--postgres-workers", type=int, default=4)
    parser.add_argument("--spread", type=float, default=10.0, help="seconds over which participants arrive")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    ok = run("SQLite, 1 worker", "sqlite", 1, args.participants, args.spread)
    workers = args.postgres_workers
    ok &= run(f"PostgreSQL, {workers} workers", args.postgres, workers, args.postgres_participants, args.spread)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
