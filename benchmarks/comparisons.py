"""Comparing big rooms: two sessions of one matrix, each 1,000 participants × 12 options × 10 criteria.

Run:  .venv/bin/python benchmarks/comparisons.py [--participants 1000 --options 12 --criteria 10]

Times, in one process on a fresh SQLite database (and, with --postgres URL, a
fresh PostgreSQL schema): the two sessions compared (`sessions=a,b`), and every
method on one of them (`session=a&method=all`), each the whole service call —
lookups, loading the ballots, both group results, the rankings and τ-b.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from optionsmatrix.core import migrate  # noqa: E402
from optionsmatrix.core.db import create_db_engine  # noqa: E402
from optionsmatrix.core.security import password_hasher  # noqa: E402
from optionsmatrix.models import Ballot, Instructor, Participant, utcnow  # noqa: E402
from optionsmatrix.schemas.comparisons import parse_query  # noqa: E402
from optionsmatrix.schemas.matrices import MatrixCreate  # noqa: E402
from optionsmatrix.schemas.sessions import SessionCreate  # noqa: E402
from optionsmatrix.services import accounts, seminars  # noqa: E402
from optionsmatrix.services.access import Actor  # noqa: E402
from optionsmatrix.services.comparisons import compare  # noqa: E402
from optionsmatrix.services.matrices import create_matrix  # noqa: E402
from tests.support.server import drop_postgres_schema, fresh_postgres_url  # noqa: E402


def build(url: str, p: int, m: int, n: int) -> tuple[int, list[int]]:
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    rng = np.random.default_rng(12)
    with Session(engine, expire_on_commit=False) as session:
        owner = accounts.create_instructor(session, email="bench@example.org", hasher=password_hasher(fast=True))
        data = MatrixCreate(
            title="Big rooms",
            options=[{"name": f"Option {i}"} for i in range(m)],
            criteria=[{"name": f"Criterion {j}", "direction": "cost" if j % 3 == 0 else "benefit"} for j in range(n)],
        )
        matrix = create_matrix(session, data=data, owner_id=owner.id)
        ids = []
        for group in range(2):
            snapshot = seminars.start_session(session, matrix=matrix, owner=owner, data=SessionCreate(),
                                              max_participants=p)  # fmt: skip
            sid, round_id, now = snapshot.seminar.id, snapshot.round.id, utcnow()
            session.execute(insert(Participant), [
                {"session_id": sid, "display_name": f"P{k}", "digest": f"{group}{k:063d}", "joined_at": now}
                for k in range(p)
            ])  # fmt: skip
            session.commit()
            joined = Participant.__table__.select().with_only_columns(Participant.id)
            people = [row[0] for row in session.execute(joined.where(Participant.session_id == sid))]
            scores = rng.integers(1, 6, size=(p, m, n)).astype(float)
            session.execute(insert(Ballot), [
                {"participant_id": pid, "round_id": round_id, "version": 1, "scores": json.dumps(s.tolist()),
                 "rationales": json.dumps([None] * m), "scored_cells": m * n, "complete": True, "submitted_at": now}
                for pid, s in zip(people, scores, strict=True)
            ])  # fmt: skip
            session.commit()
            ids.append(sid)
    engine.dispose()
    return owner.id, ids  # type: ignore[return-value]


def measure(url: str, owner_id: int, ids: list[int], repeats: int) -> dict[str, float]:
    engine = create_db_engine(url)
    queries = {
        "two sessions side by side": parse_query(sessions=f"{ids[0]},{ids[1]}"),
        "every method on one session": parse_query(session=str(ids[0]), method="all"),
    }
    times: dict[str, list[float]] = {name: [] for name in queries}
    with Session(engine, expire_on_commit=False) as session:
        actor = Actor(session.get(Instructor, owner_id))
        for _ in range(repeats):
            for name, query in queries.items():
                start = time.perf_counter()
                compare(session, actor=actor, query=query)
                times[name].append(time.perf_counter() - start)
    engine.dispose()
    return {name: statistics.median(values) for name, values in times.items()}


def report(label: str, url: str, args: argparse.Namespace) -> None:
    owner_id, ids = build(url, args.participants, args.options, args.criteria)
    found = measure(url, owner_id, ids, args.repeats)
    print(f"{label}: 2 sessions × {args.participants} participants × {args.options} options × {args.criteria} "
          f"criteria, median of {args.repeats}")  # fmt: skip
    for name, seconds in found.items():
        print(f"  {name:<30} {seconds * 1000:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--options", type=int, default=12)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="also measure on this PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite", f"sqlite:///{folder}/bench.db", args)
    if args.postgres:
        url, schema = fresh_postgres_url(args.postgres)
        try:
            report("PostgreSQL", url, args)
        finally:
            drop_postgres_schema(args.postgres, schema)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
