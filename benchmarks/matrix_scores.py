"""A matrix's stored scores at the limit: 200 options × 50 criteria, every cell scored (10,000 rows).

Run:  .venv/bin/python benchmarks/matrix_scores.py [--postgres postgresql://postgres@127.0.0.1:5432/test]

In process, through HTTP (TestClient), on a fresh SQLite file or a schema of
its own on PostgreSQL (dropped afterwards). Prints the best of a few runs of:
saving every score, reading the matrix, exporting it, copying it, deleting an
option, a criterion and the whole matrix. Target: each well under the 3 s a
write may wait for the matrix's lock, so a full matrix never times out.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from optionsmatrix.app import create_app
from optionsmatrix.core.db import create_db_engine, normalize_database_url
from optionsmatrix.core.security import password_hasher
from optionsmatrix.models import TokenKind
from optionsmatrix.services import accounts, tokens
from optionsmatrix.settings import Settings

OPTIONS, CRITERIA = 200, 50


def run(url: str) -> None:
    app = create_app(Settings(database_url=url, fast_password_hashing=True))
    with TestClient(app) as client:
        engine = create_db_engine(url)
        with Session(engine) as session:
            instructor = accounts.create_instructor(
                session, email="bench@example.org", password="a password for benchmarks",
                hasher=password_hasher(fast=True),
            )  # fmt: skip
            client.headers["Authorization"] = "Bearer " + tokens.issue(
                session, instructor=instructor, kind=TokenKind.API, name="bench"
            ).secret
        engine.dispose()
        body = {
            "title": "Full",
            "options": [{"name": f"Option {i}"} for i in range(OPTIONS)],
            "criteria": [{"name": f"Criterion {j}"} for j in range(CRITERIA)],
        }
        matrix = client.post("/api/v1/matrices", json=body).json()
        url_of = f"/api/v1/matrices/{matrix['id']}"

        def scores(shift: int) -> dict:
            return {
                str(o["id"]): {str(c["id"]): (i + j + shift) % 5 + 1 for j, c in enumerate(matrix["criteria"])}
                for i, o in enumerate(matrix["options"])
            }

        def timed(label: str, call: Callable[[], object], repeats: int = 3) -> None:
            best = float("inf")
            for _ in range(repeats):
                start = time.perf_counter()
                response = call()
                best = min(best, time.perf_counter() - start)
                assert response.status_code < 300, (label, response.status_code, response.text[:200])  # type: ignore[attr-defined]
            print(f"  {label:<48} {best * 1000:7.0f} ms")

        timed("PUT every score (10,000)", lambda: client.put(f"{url_of}/scores", json=scores(0)))
        timed("PUT every score, every value changed", lambda: client.put(f"{url_of}/scores", json=scores(1)), 1)
        timed("GET the matrix", lambda: client.get(url_of))
        timed("export CSV", lambda: client.get(f"{url_of}/export", params={"format": "csv"}))
        timed("export XLSX", lambda: client.get(f"{url_of}/export", params={"format": "xlsx"}))
        timed("copy (with its 10,000 scores)", lambda: client.post(f"{url_of}/copy"), 1)
        copy = client.post(f"{url_of}/copy").json()
        copy_url = f"/api/v1/matrices/{copy['id']}"
        criterion, option = copy["criteria"][0]["id"], copy["options"][0]["id"]
        timed("DELETE a criterion (200 scores)", lambda: client.delete(f"{copy_url}/criteria/{criterion}"), 1)
        timed("DELETE an option (49 scores)", lambda: client.delete(f"{copy_url}/options/{option}"), 1)
        timed("DELETE the copy (9,751 scores)", lambda: client.delete(copy_url), 1)
        timed("PUT {} (clearing every score)", lambda: client.put(f"{url_of}/scores", json={}), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database to make a schema in")
    args = parser.parse_args()
    if not args.postgres:
        print(f"SQLite, {OPTIONS} × {CRITERIA}:")
        run(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(args.postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(normalize_database_url(args.postgres)).update_query_dict({"options": f"-csearch_path={schema}"})
        print(f"PostgreSQL, {OPTIONS} × {CRITERIA}:")
        run(url.render_as_string(hide_password=False))
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
