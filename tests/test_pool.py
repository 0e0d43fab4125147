"""The connection pool under a burst: every connection opened once and kept, none opened per request.

A pool smaller than what a worker runs at once closes each surplus
connection as it comes back and opens another for the next request: on
PostgreSQL a new session (and its authentication) per request, on SQLite
the file and its WAL reopened with their PRAGMAs.
"""

from __future__ import annotations

import asyncio

import httpx2 as httpx
from sqlalchemy import event

from tests.support.load import run_async


def _burst(app, headers: dict[str, str], matrix: dict, rounds: int) -> list[int]:  # noqa: ANN001
    option = f"/api/v1/matrices/{matrix['id']}/options/{matrix['options'][0]['id']}"

    async def go() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
            requests = []
            for n in range(rounds):
                requests += [
                    client.get("/api/v1/health"),
                    client.get(f"/api/v1/matrices/{matrix['id']}"),
                    client.patch(option, json={"description": f"burst {n}"}),
                ]
            return [response.status_code for response in await asyncio.gather(*requests)]

    return run_async(go())


def test_a_burst_of_reads_writes_and_health_checks_keeps_every_connection_it_opens(app, client, make_matrix):
    matrix = make_matrix()
    headers = {"Authorization": client.headers["Authorization"]}
    engine = app.state.engine
    opened = []

    def count(*_args: object) -> None:
        opened.append(1)

    idle_before = engine.pool.checkedin()
    event.listen(engine, "connect", count)
    try:
        # 60 at once, twice: more than the 40 threads that run them, more than a worker admits.
        statuses = _burst(app, headers, matrix, 20) + _burst(app, headers, matrix, 20)
    finally:
        event.remove(engine, "connect", count)

    assert set(statuses) == {200}
    # Whatever was opened is still there, idle in the pool: nothing was opened to be closed again.
    assert engine.pool.checkedout() == 0
    assert len(opened) == engine.pool.checkedin() - idle_before
    assert engine.pool.checkedin() <= app.state.admission.limit + app.state.admission.reserve
