"""Writes under contention: 16 writers on one matrix, and a room's ballots at a fixed arrival rate.

Run:  .venv/bin/python benchmarks/writes.py [--postgres postgresql://postgres@127.0.0.1:5432/test]
      [--rounds 3] [--seconds 10] [--skip-postgres] [--only writers|ballots] [--ballots-on-postgres]

Starts `optionsmatrix serve` itself, one worker each: on a fresh SQLite file,
and on a fresh schema of the PostgreSQL database it is given (created and
dropped here). The server is pinned to one core and this load generator to
the other where the machine allows; PostgreSQL runs unpinned.

1. Closed loop: 16 writers for `--seconds`, each renaming its own option of
   one shared matrix (`PATCH /api/v1/matrices/{id}/options/{id}`, name and
   description together, bearer token) as fast as answers come back.
   Target: p99 < 100 ms on SQLite and on PostgreSQL, no error, and the final
   matrix holds each writer's last acknowledged rename with name and
   description from the same request (nothing lost, nothing mixed) and a
   version that counts every acknowledged write exactly once.
2. Open loop: 200 participants of one session; 200 `PUT .../ballot` a second
   for `--seconds`, each due at a fixed time whatever the server answers,
   latency counted from when it was due. Target: p99 < 250 ms on SQLite
   with one worker (`--ballots-on-postgres` shows PostgreSQL too), no error, and every
   participant's stored ballot is their last acknowledged one, at a version
   that counts each acknowledged submission.

Each round starts fresh servers and alternates the back ends; the summary
gives the median and the range of the p99 over rounds (the machine is shared,
so single runs are noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support and benchmarks

import httpx2 as httpx  # noqa: E402

from benchmarks.load_harness import (  # noqa: E402
    Latencies,
    can_pin,
    closed_loop,
    cpu_seconds,
    open_loop,
    pin_self,
    pin_server,
    spread,
)
from tests.support.server import ServerProcess  # noqa: E402

WRITERS = 16
WRITER_P99 = 0.100
BALLOT_RATE = 200
PARTICIPANTS = 200
BALLOT_P99 = 0.250
TIMEOUT = 10.0


def _client(base_url: str, connections: int, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url, timeout=TIMEOUT, headers=headers,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )  # fmt: skip


async def _status(request) -> tuple[str, httpx.Response | None]:  # noqa: ANN001
    try:
        response = await request
    except httpx.TimeoutException:
        return "timeout", None
    except httpx.HTTPError:
        return "error", None
    return str(response.status_code), response


def _started(database: str, env: dict[str, str] | None = None) -> ServerProcess:
    server = ServerProcess(database, workers=1, env=env)
    server.__enter__()
    pin_server(server._process.pid)  # type: ignore[union-attr]
    return server


# 1. Writers ---------------------------------------------------------------------------


@dataclass
class WriterLog:
    acknowledged: dict[int, int] = field(default_factory=dict)  # writer -> its last acknowledged revision
    uncertain: dict[int, set[int]] = field(default_factory=dict)  # writer -> revisions with no answer
    acks: int = 0


def _rename(writer: int, revision: int) -> dict[str, str]:
    return {"name": f"writer {writer} rev {revision}", "description": f"set by writer {writer} in rev {revision}"}


async def writers_run(server: ServerProcess, token: str, seconds: float) -> tuple[Latencies, list[str]]:
    headers = {"Authorization": f"Bearer {token}"}
    async with _client(server.url, WRITERS, headers) as client:
        body = {"title": "Writers", "options": [{"name": f"Option {i}"} for i in range(WRITERS)],
                "criteria": [{"name": "Cost"}]}  # fmt: skip
        matrix = (await client.post("/api/v1/matrices", json=body)).json()
        options = [option["id"] for option in matrix["options"]]
        base = f"/api/v1/matrices/{matrix['id']}/options"
        log = WriterLog()

        async def rename(writer: int, revision: int) -> str:
            status, response = await _status(client.patch(f"{base}/{options[writer]}", json=_rename(writer, revision)))
            if status == "200":
                log.acknowledged[writer] = revision
                log.acks += 1
            elif response is None:
                log.uncertain.setdefault(writer, set()).add(revision)
            return status

        # Warm up (connections, code paths) with one rename each, not measured.
        await asyncio.gather(*(rename(writer, 0) for writer in range(WRITERS)))
        version_before = (await client.get(f"/api/v1/matrices/{matrix['id']}")).json()["version"]
        log.acks = 0
        cpu_before = cpu_seconds(server._process.pid)  # type: ignore[union-attr]
        result = await closed_loop(WRITERS, seconds, rename)
        result.cpu = cpu_seconds(server._process.pid) - cpu_before  # type: ignore[union-attr]
        stored = (await client.get(f"/api/v1/matrices/{matrix['id']}")).json()
    return result, _writer_problems(stored, options, log, version_before)


def _writer_problems(stored: dict, option_ids: list[int], log: WriterLog, version_before: int) -> list[str]:
    """Lost or mixed updates: differences between the stored matrix and the acknowledged renames."""
    problems = []
    by_id = {option["id"]: option for option in stored["options"]}
    for writer, option_id in enumerate(option_ids):
        option = by_id.get(option_id)
        allowed = {log.acknowledged.get(writer, 0)} | {
            r for r in log.uncertain.get(writer, set()) if r > log.acknowledged.get(writer, 0)
        }
        if option is None:
            problems.append(f"writer {writer}'s option is gone")
        elif not any({"name": option["name"], "description": option["description"]} == _rename(writer, r)
                     for r in allowed):  # fmt: skip
            problems.append(f"writer {writer}: stored {option['name']!r} / {option['description']!r}, "
                            f"acknowledged rev {log.acknowledged.get(writer)}")  # fmt: skip
    unknown = sum(len(revisions) for revisions in log.uncertain.values())
    bumps = stored["version"] - version_before
    if not log.acks <= bumps <= log.acks + unknown:
        problems.append(f"version moved by {bumps}, but {log.acks} renames were acknowledged ({unknown} unknown)")
    if sorted(option["position"] for option in stored["options"]) != list(range(len(stored["options"]))):
        problems.append("positions are no longer 0..n-1")
    return problems


# 2. Ballots ---------------------------------------------------------------------------


@dataclass
class BallotLog:
    sent: dict[int, dict] = field(default_factory=dict)  # request index -> scores sent
    acked: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # participant -> [(version, index)]
    uncertain: dict[int, int] = field(default_factory=dict)  # participant -> requests with no answer


async def ballots_run(server: ServerProcess, token: str, seconds: float) -> tuple[Latencies, list[str]]:
    async with _client(server.url, PARTICIPANTS, {"Authorization": f"Bearer {token}"}) as client:
        seminar = (await client.post("/api/v1/matrices/1/sessions", json={})).json()
    rng = random.Random(14)
    log = BallotLog()
    async with _client(server.url, PARTICIPANTS) as client:
        joined = await asyncio.gather(*(
            client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}) for _ in range(PARTICIPANTS)
        ))  # fmt: skip
        tokens = [response.json()["participant_token"] for response in joined]
        url = f"/api/v1/sessions/{seminar['id']}/ballot"

        def scores() -> dict:
            return {
                str(o["id"]): {str(c["id"]): rng.randint(int(c["scale_min"]), int(c["scale_max"]))
                               for c in seminar["criteria"]}
                for o in seminar["options"]
            }  # fmt: skip

        async def put(index: int) -> str:
            participant = index % PARTICIPANTS
            body = log.sent[index] = scores()
            headers = {"Authorization": f"Bearer {tokens[participant]}"}
            status, response = await _status(client.put(url, json={"scores": body}, headers=headers))
            if status == "200":
                log.acked.setdefault(participant, []).append((response.json()["version"], index))  # type: ignore[union-attr]
            elif response is None:
                log.uncertain[participant] = log.uncertain.get(participant, 0) + 1
            return status

        cpu_before = cpu_seconds(server._process.pid)  # type: ignore[union-attr]
        result = await open_loop(BALLOT_RATE, seconds, put)
        result.cpu = cpu_seconds(server._process.pid) - cpu_before  # type: ignore[union-attr]
        problems = []
        for participant, participant_token in enumerate(tokens):
            stored = await client.get(url, headers={"Authorization": f"Bearer {participant_token}"})
            acked = sorted(log.acked.get(participant, []))
            if not acked:
                continue
            version, index = acked[-1]
            sent = {o: {c: float(v) for c, v in row.items()} for o, row in log.sent[index].items()}
            unknown = log.uncertain.get(participant, 0)
            if stored.status_code != 200:
                problems.append(f"participant {participant}: reading the ballot back gave {stored.status_code}")
            elif unknown == 0 and (stored.json()["version"] != version or stored.json()["scores"] != sent):
                problems.append(f"participant {participant}: stored version {stored.json()['version']} is not "
                                f"the last acknowledged one ({version}) or its scores differ")  # fmt: skip
            elif [v for v, _ in acked] != list(range(acked[0][0], acked[0][0] + len(acked))) and unknown == 0:
                problems.append(f"participant {participant}: acknowledged versions {[v for v, _ in acked]} "
                                "skip or repeat")  # fmt: skip
    return result, problems


# Rounds -------------------------------------------------------------------------------


def run_round(label: str, database: str, seconds: float, parts: set[str], figures: dict) -> None:
    env = {"OPTIONSMATRIX_MAX_PARTICIPANTS": str(max(500, PARTICIPANTS))}
    server = _started(database, env)
    try:
        token = server.instructor_token()
        if "writers" in parts:
            writes, problems = asyncio.run(writers_run(server, token, seconds))
            ok = writes.errors("200") == 0 and not problems and writes.p(0.99) < WRITER_P99
            print(f"  {label}, {WRITERS} writers: {writes.line('200')}")
            print(f"    final state: {'; '.join(problems) or 'every acknowledged rename stored, none mixed'}"
                  f" -> {'met' if ok else 'NOT MET'} (p99 < {WRITER_P99 * 1000:.0f} ms)")  # fmt: skip
            figures.setdefault((label, "writers"), []).append((writes.p(0.99), ok))
        if "ballots" in parts:
            result, problems = asyncio.run(ballots_run(server, token, seconds))
            ok = result.errors("200") == 0 and not problems and result.p(0.99) < BALLOT_P99
            print(f"  {label}, ballots at {BALLOT_RATE}/s: {result.line('200')}")
            print(f"    stored ballots: {'; '.join(problems[:5]) or 'each the last acknowledged one'}"
                  f" -> {'met' if ok else 'NOT MET'} (p99 < {BALLOT_P99 * 1000:.0f} ms)")  # fmt: skip
            figures.setdefault((label, "ballots"), []).append((result.p(0.99), ok))
    finally:
        server.__exit__(None, None, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--ballots-on-postgres", action="store_true", help="run the ballots on PostgreSQL too (the target is SQLite's)"
    )
    parser.add_argument("--only", choices=("writers", "ballots"), help="run one of the two loads")
    args = parser.parse_args()
    pinned = can_pin()
    pin_self()  # the server processes started below are re-pinned to the other core
    print(f"server pinned to CPU 0, load to CPU 1: {'yes' if pinned else 'no (fewer than 2 CPUs available)'}")
    backends = [("SQLite", "sqlite")] + ([] if args.skip_postgres else [("PostgreSQL", args.postgres)])
    figures: dict = {}
    for number in range(1, args.rounds + 1):
        print(f"round {number}:")
        order = backends if number % 2 else list(reversed(backends))
        for label, database in order:
            parts = {args.only} if args.only else {"writers", "ballots"}
            if label != "SQLite" and not args.ballots_on_postgres:
                parts.discard("ballots")
            run_round(label, database, args.seconds, parts, figures)
    print("summary (p99 over rounds):")
    all_met = True
    for (label, what), rounds in figures.items():
        target = WRITER_P99 if what == "writers" else BALLOT_P99
        counts = label == "SQLite" or what == "writers"  # ballots on PostgreSQL are shown, not a target
        met = all(ok for _, ok in rounds)
        all_met &= met or not counts
        verdict = ("met" if met else "NOT MET") if counts else "no target"
        print(f"  {label} {what}: p99 {spread([p for p, _ in rounds])}, target < {target * 1000:.0f} ms: {verdict}")
    print("all write targets met" if all_met else "SOME WRITE TARGETS NOT MET")
    return 0 if all_met else 1


if __name__ == "__main__":
    raise SystemExit(main())
