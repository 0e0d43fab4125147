"""What one write costs the server, counted rather than timed: SQL statements and Python calls per request.

Run:  .venv/bin/python benchmarks/write_costs.py [--postgres postgresql://postgres@127.0.0.1:5432/test]

Timings on a shared machine swing with the neighbours' load; counts do not.
This drives the app in process (httpx's ASGI transport) on a fresh SQLite
file, or a fresh schema of the PostgreSQL database it is given (dropped
afterwards), and prints, per request, the SQL statements the database saw
and the Python function calls made in every thread (the server's event loop,
its thread pool, and this client's side of the ASGI transport, a constant
~800): for renaming an option of a 16-option matrix, and for a participant's
full ballot on the case study. `benchmarks/writes.py` measures the latency.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

import anyio.to_thread  # noqa: E402
import httpx2 as httpx  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlmodel import Session  # noqa: E402

from optionsmatrix.app import create_app  # noqa: E402
from optionsmatrix.core import migrate  # noqa: E402
from optionsmatrix.core.security import password_hasher  # noqa: E402
from optionsmatrix.models import TokenKind  # noqa: E402
from optionsmatrix.services import accounts, tokens  # noqa: E402
from optionsmatrix.services.case_study import load_case_study  # noqa: E402
from optionsmatrix.settings import Settings  # noqa: E402
from tests.support.server import drop_postgres_schema, fresh_postgres_url  # noqa: E402

REQUESTS = 20


class CallCounter:
    """Counts Python and C function calls in every thread that runs part of a request."""

    def __init__(self) -> None:
        self.calls = 0
        self.active = False
        original = anyio.to_thread.run_sync

        async def run_sync(func, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            def counted():  # noqa: ANN202 - the pool's threads count too while a measurement runs
                sys.setprofile(self._profile if self.active else None)
                return func(*args)

            return await original(counted, **kwargs)

        anyio.to_thread.run_sync = run_sync

    def _profile(self, _frame, event_name: str, _arg) -> None:  # noqa: ANN001
        if event_name in ("call", "c_call"):
            self.calls += 1

    def start(self) -> None:
        self.calls, self.active = 0, True
        sys.setprofile(self._profile)

    def stop(self) -> int:
        sys.setprofile(None)
        self.active = False
        return self.calls


async def measure(app, secret: str, counter: CallCounter, statements: list[int]) -> None:  # noqa: ANN001
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
        body = {"title": "Costs", "options": [{"name": f"Option {i}"} for i in range(16)], "criteria": [{"name": "C"}]}
        matrix = (await client.post("/api/v1/matrices", json=body)).json()
        option_url = f"/api/v1/matrices/{matrix['id']}/options/{matrix['options'][3]['id']}"
        seminar = (await client.post("/api/v1/matrices/1/sessions", json={})).json()
        joined = (await client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]})).json()
        scores = {
            str(o["id"]): {str(c["id"]): c["scale_min"] for c in seminar["criteria"]} for o in seminar["options"]
        }
        ballot_url = f"/api/v1/sessions/{seminar['id']}/ballot"
        participant = {"Authorization": f"Bearer {joined['participant_token']}"}
        requests = {
            "rename an option": lambda n: client.patch(option_url, json={"name": f"n {n}", "description": f"d {n}"}),
            "submit a ballot": lambda _n: client.put(ballot_url, json={"scores": scores}, headers=participant),
        }
        for label, send in requests.items():
            for n in range(5):  # warm: caches, the token's last use, compiled statements
                await send(n)
            statements[0] = 0
            counter.start()
            for n in range(REQUESTS):
                response = await send(100 + n)
                assert response.status_code == 200, response.text
            calls = counter.stop()
            print(f"  {label}: {statements[0] / REQUESTS:.1f} SQL statements, {calls / REQUESTS:.0f} Python calls")


def run(label: str, url: str) -> None:
    settings = Settings(
        database_url=url, migrate_on_start=False, seed_on_start=False, fast_password_hashing=True, secret_key="bench"
    )
    app = create_app(settings)
    engine = app.state.engine
    migrate.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        owner = accounts.create_instructor(
            session, email="costs@example.org", password="a password for benchmarks", hasher=password_hasher(fast=True)
        )
        secret = tokens.issue(session, instructor=owner, kind=TokenKind.API, name="costs").secret
        load_case_study(session, owner_id=owner.id)
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    print(f"{label}, per request (mean of {REQUESTS}):")
    asyncio.run(measure(app, secret, CallCounter(), statements))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="optionsmatrix-costs-") as folder:
        run("SQLite (BEGIN IMMEDIATE counts as a statement)", f"sqlite:///{folder}/costs.db")
    if not args.skip_postgres:
        url, schema = fresh_postgres_url(args.postgres)
        try:
            run("PostgreSQL", url)
        finally:
            drop_postgres_schema(args.postgres, schema)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
