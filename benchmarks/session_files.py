"""A big session as files: its JSON and CSV exports and the import of its document, on SQLite.

Run:  .venv/bin/python benchmarks/session_files.py [--participants 300 --rounds 3 --revisions 2]
      (also --options 12 --criteria 10)

Builds the session directly in a fresh SQLite database (participant weights,
every ballot complete, a rationale per option), then times, in one process:
the JSON export, the CSV export, checking the document, and the import (one
transaction). Prints the document's size against the 5 MiB import limit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select
from sqlmodel import Session

from optionsmatrix.core import migrate
from optionsmatrix.core.db import create_db_engine
from optionsmatrix.core.security import password_hasher
from optionsmatrix.limits import MAX_UPLOAD_BYTES
from optionsmatrix.models import Ballot, Participant, SessionRound, utcnow
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.schemas.sessions import SessionCreate
from optionsmatrix.services import accounts, seminars, session_documents, session_files
from optionsmatrix.services.matrices import create_matrix


def build(session: Session, args: argparse.Namespace):  # noqa: ANN201
    rng = np.random.default_rng(7)
    owner = accounts.create_instructor(session, email="bench@example.org", hasher=password_hasher(fast=True))
    matrix = create_matrix(
        session,
        data=MatrixCreate(
            title="Big room",
            options=[{"name": f"Option {i}"} for i in range(args.options)],
            criteria=[{"name": f"Criterion {j}", "direction": "cost" if j % 3 == 0 else "benefit"}
                      for j in range(args.criteria)],
        ),
        owner_id=owner.id,
    )  # fmt: skip
    snapshot = seminars.start_session(
        session, matrix=matrix, owner=owner, data=SessionCreate(weight_mode="participant"),
        max_participants=args.participants,
    )  # fmt: skip
    for _ in range(args.rounds - 1):
        seminars.new_round(session, seminar=snapshot.seminar)
    sid, now = snapshot.seminar.id, utcnow()
    session.execute(insert(Participant), [
        {"session_id": sid, "display_name": f"P{k}", "digest": f"{sid}-{k}".rjust(64, "0"), "joined_at": now}
        for k in range(args.participants)
    ])  # fmt: skip
    pids = session.scalars(select(Participant.id).where(Participant.session_id == sid)).all()
    rids = session.scalars(select(SessionRound.id).where(SessionRound.session_id == sid)).all()
    rows = []
    for rid in rids:
        for pid in pids:
            for version in range(1, args.revisions + 1):
                scores = rng.integers(1, 6, size=(args.options, args.criteria)).astype(float).tolist()
                rows.append({
                    "participant_id": pid, "round_id": rid, "version": version, "scores": json.dumps(scores),
                    "weights": json.dumps(rng.integers(1, 4, size=args.criteria).astype(float).tolist()),
                    "rationales": json.dumps([f"because {i}" for i in range(args.options)]),
                    "scored_cells": args.options * args.criteria, "complete": True, "submitted_at": now,
                })  # fmt: skip
    session.execute(insert(Ballot), rows)
    session.commit()
    return seminars.get_snapshot(session, sid).seminar, owner


def timed(function, repeats: int = 3) -> tuple[float, object]:  # noqa: ANN001
    samples, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    for name, default in (("participants", 300), ("rounds", 3), ("revisions", 2), ("options", 12), ("criteria", 10)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            seminar, owner = build(session, args)
            json_seconds, download = timed(lambda: session_files.export_session(session, seminar, format="json"))
            csv_seconds, table = timed(lambda: session_files.export_session(session, seminar, format="csv"))
            content = download.content  # type: ignore[attr-defined]
            check_seconds, document = timed(lambda: session_files.read_session_file(content, max_bytes=1 << 30))
            import_seconds, _ = timed(
                lambda: session_files.import_session(session, document=document, owner_id=owner.id), repeats=1
            )
        engine.dispose()
    ballots = args.participants * args.rounds * args.revisions
    print(f"{args.participants} participants × {args.rounds} rounds × {args.revisions} revisions = {ballots} ballots "
          f"on {args.options} × {args.criteria}")  # fmt: skip
    print(f"JSON document: {len(content) / 2**20:.2f} MiB (import limit {MAX_UPLOAD_BYTES / 2**20:.0f} MiB); "
          f"CSV: {len(table.content) / 2**20:.2f} MiB")  # type: ignore[attr-defined]  # fmt: skip
    print(f"export json {json_seconds:.2f} s, csv {csv_seconds:.2f} s; check {check_seconds:.2f} s; "
          f"import {import_seconds:.2f} s")  # fmt: skip
    assert document.kind == session_documents.KIND  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
