"""A big room's results: 1,000 participants × 12 options × 10 criteria, load time against compute time.

Run:  .venv/bin/python benchmarks/group_results.py [--participants 1000 --options 12 --criteria 10]

Builds the session directly in a fresh SQLite database (and, with
--postgres URL, in a fresh PostgreSQL schema), then times, in one process:
loading the round's ballots from the database into arrays, and computing the
whole group result from them (aggregation, spread, every participant's own
ranking, Kendall's W, rank distribution). Target: computing adds at most the
load time again.
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
from optionsmatrix.models import Ballot, Participant, utcnow  # noqa: E402
from optionsmatrix.schemas.matrices import MatrixCreate  # noqa: E402
from optionsmatrix.schemas.sessions import SessionCreate  # noqa: E402
from optionsmatrix.services import accounts, seminars  # noqa: E402
from optionsmatrix.services.matrices import create_matrix  # noqa: E402
from optionsmatrix.services.session_results import compute_group_result, load_round  # noqa: E402
from tests.support.server import drop_postgres_schema, fresh_postgres_url  # noqa: E402


def build(url: str, p: int, m: int, n: int) -> int:
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    rng = np.random.default_rng(11)
    with Session(engine, expire_on_commit=False) as session:
        owner = accounts.create_instructor(session, email="bench@example.org", hasher=password_hasher(fast=True))
        matrix = create_matrix(
            session,
            data=MatrixCreate(
                title="Big room",
                options=[{"name": f"Option {i}"} for i in range(m)],
                criteria=[
                    {"name": f"Criterion {j}", "direction": "cost" if j % 3 == 0 else "benefit"} for j in range(n)
                ],
            ),
            owner_id=owner.id,
        )
        snapshot = seminars.start_session(session, matrix=matrix, owner=owner, data=SessionCreate(), max_participants=p)
        sid, round_id, now = snapshot.seminar.id, snapshot.round.id, utcnow()
        session.execute(insert(Participant), [
            {"session_id": sid, "display_name": f"P{k}", "digest": f"{k:064d}", "joined_at": now} for k in range(p)
        ])  # fmt: skip
        session.commit()
        ids = [row[0] for row in session.execute(Participant.__table__.select().with_only_columns(Participant.id))]
        scores = rng.integers(1, 6, size=(p, m, n)).astype(float)
        unfinished = rng.random(p) < 0.1  # a tenth of the room left a few cells empty
        scores[unfinished] = np.where(rng.random((int(unfinished.sum()), m, n)) < 0.2, np.nan, scores[unfinished])
        rows = [
            {"participant_id": pid, "round_id": round_id, "version": 1,
             "scores": json.dumps(np.where(np.isnan(s), None, s).tolist()), "rationales": json.dumps([None] * m),
             "scored_cells": int((~np.isnan(s)).sum()), "complete": not np.isnan(s).any(), "submitted_at": now}
            for pid, s in zip(ids, scores, strict=True)
        ]  # fmt: skip
        session.execute(insert(Ballot), rows)
        session.commit()
    engine.dispose()
    return sid


def measure(url: str, session_id: int, repeats: int) -> tuple[float, float, int]:
    engine = create_db_engine(url)
    loads, computes = [], []
    with Session(engine, expire_on_commit=False) as session:
        snapshot = seminars.get_snapshot(session, session_id)
        for _ in range(repeats):
            start = time.perf_counter()
            loaded = load_round(session, snapshot, snapshot.round)
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = compute_group_result(snapshot, loaded, method="wsm", normalization="scale", aggregation="mean",
                                          round_number=1)  # fmt: skip
            computes.append(time.perf_counter() - start)
    engine.dispose()
    return statistics.median(loads), statistics.median(computes), result.complete_ballots


def report(label: str, url: str, args: argparse.Namespace) -> bool:
    session_id = build(url, args.participants, args.options, args.criteria)
    load, compute, complete = measure(url, session_id, args.repeats)
    ratio = compute / load
    print(f"{label}: {args.participants} participants × {args.options} options × {args.criteria} criteria "
          f"({complete} complete ballots), median of {args.repeats}")  # fmt: skip
    print(f"  load the round's ballots into arrays   {load * 1000:8.1f} ms")
    print(f"  compute the group result from them     {compute * 1000:8.1f} ms   ({ratio:.2f}× the load)")
    ok = compute <= load
    print(f"  -> {'target met' if ok else 'TARGET MISSED'} (computing adds at most the load time again)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--options", type=int, default=12)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--postgres", default=None, help="also measure on this PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ok = report("SQLite", f"sqlite:///{folder}/bench.db", args)
    if args.postgres:
        url, schema = fresh_postgres_url(args.postgres)
        try:
            ok &= report("PostgreSQL", url, args)
        finally:
            drop_postgres_schema(args.postgres, schema)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
