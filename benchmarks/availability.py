"""Availability under a seminar's burst: page loads and writers against a real server.

Run:  .venv/bin/python benchmarks/availability.py [--postgres postgresql://postgres@127.0.0.1:5432/test]

Starts `optionsmatrix serve` itself (SQLite with one worker; PostgreSQL with
one and with two workers) and prints, for each:
- 200 concurrent anonymous loads of the case study's page on one worker:
  statuses, latencies, and /api/v1/health polled throughout.
  Target: all 200 answered 200, none later than 10 s, health answering.
- 50 writers on one matrix for 20 s (add an option, edit it, remove it):
  statuses, latencies, and whether the stored matrix is exactly what the
  acknowledged writes imply. Target: no 5xx but a rare 503 with Retry-After,
  no client time-outs at 10 s, a consistent final state.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

import httpx2 as httpx  # noqa: E402

from tests.support.load import check_matrix_state, page_flood, run_async, writer_storm  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402


def flood(server: ServerProcess, pages: int) -> bool:
    result = run_async(page_flood(server.url, "/matrices/1", concurrency=pages, total=pages))
    ok = (
        result.pages.statuses == {"200": pages}
        and max(result.pages.latencies) < 10
        and result.health.total > 0
        and set(result.health.statuses) == {"200"}
    )
    print(f"  {pages} concurrent page loads in {result.seconds:.1f} s: {result.pages.summary()}")
    print(f"  /api/v1/health meanwhile: {result.health.summary()}")
    print(f"  -> {'target met' if ok else 'TARGET MISSED'}")
    return ok


def storm(server: ServerProcess, writers: int, seconds: float) -> bool:
    token = server.instructor_token()
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
        matrix = client.post("/api/v1/matrices", json={"title": "Storm", "options": [{"name": "Kept"}]}).json()
    initial = {option["id"]: option["description"] for option in matrix["options"]}
    result = run_async(writer_storm(server.url, token, matrix["id"], writers=writers, seconds=seconds))
    problems = check_matrix_state(server.url, token, matrix["id"], initial, result)
    ok = (
        result.writes.server_errors == 0
        and result.writes.retry_after_missing == 0
        and result.writes.statuses.get("timeout", 0) == 0
        and result.unknown == 0
        and not problems
    )
    rate = result.writes.total / result.seconds
    print(f"  {writers} writers for {result.seconds:.1f} s, {rate:.0f} writes/s: {result.writes.summary()}")
    print(f"  final state: {problems or 'consistent with the acknowledged writes'}")
    print(f"  -> {'target met' if ok else 'TARGET MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    runs = [("SQLite, 1 worker", "sqlite", 1), ("PostgreSQL, 1 worker", args.postgres, 1),
            ("PostgreSQL, 2 workers", args.postgres, 2)]
    all_ok = True
    for label, database, workers in runs:
        print(f"{label}:")
        with ServerProcess(database, workers=workers) as server:
            if workers == 1:
                all_ok &= flood(server, args.pages)
            all_ok &= storm(server, args.writers, args.seconds)
    print("all targets met" if all_ok else "SOME TARGETS MISSED")
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
