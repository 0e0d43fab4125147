"""The database going away and coming back, under a real server: 503s that say so, quickly, then recovery.

A TCP proxy owned by the test stands between the server (a child process)
and PostgreSQL; cutting it takes the database away from the server alone,
never from the machine's shared PostgreSQL.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from sqlalchemy.engine import make_url

from optionsmatrix.core.db import normalize_database_url
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support.server import ServerProcess
from tests.support.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL behind a proxy; SQLite has no connection to cut"),
]


@pytest.fixture(scope="module")
def proxied_server():
    database = make_url(normalize_database_url(TEST_DATABASE_URL))  # type: ignore[arg-type]
    with TcpProxy(database.host or "127.0.0.1", database.port or 5432) as proxy:
        through_proxy = database.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with ServerProcess(through_proxy) as server:
            server.token = server.instructor_token("down@example.org")
            yield server, proxy
            proxy.restore()  # the server's schema is dropped through the proxy


def _assert_database_unavailable_everywhere(server, client: httpx.Client, *, within: float) -> None:  # noqa: ANN001
    """A health check, a page, an API read and an API write, sent at once: each a prompt 503 that says why."""
    owner = {"Authorization": f"Bearer {server.token}"}
    requests = {
        "health": lambda: client.get("/api/v1/health"),
        "page": lambda: client.get("/matrices/1"),
        "read": lambda: client.get("/api/v1/matrices/1", headers=owner),
        "write": lambda: client.post("/api/v1/matrices", json={"title": "While down"}, headers=owner),
    }

    def timed(send):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        return send(), time.perf_counter() - start

    with ThreadPoolExecutor(len(requests)) as pool:
        answers = dict(zip(requests, pool.map(timed, requests.values()), strict=True))
    for name, (response, seconds) in answers.items():
        assert response.status_code == 503 and seconds < within, (name, response.status_code, seconds)
        assert response.headers["retry-after"] == "5", name
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], name
    health, page = answers["health"][0], answers["page"][0]
    assert health.json()["status"] == "unavailable"
    assert page.headers["content-type"].startswith("text/html")
    assert "The database is not answering" in page.text and "Traceback" not in page.text
    unavailable = {"detail": "The database cannot be reached just now; please try again shortly."}
    assert answers["read"][0].json() == answers["write"][0].json() == unavailable


def _assert_recovers(server, client: httpx.Client) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 15
    while client.get("/api/v1/health").status_code != 200:
        assert time.monotonic() < deadline, "health did not recover within 15 s of the database's return"
        time.sleep(0.2)
    headers = {"Authorization": f"Bearer {server.token}"}
    written = client.post("/api/v1/matrices", json={"title": "After the outage"}, headers=headers)
    assert written.status_code == 201, written.text
    assert client.get(f"/api/v1/matrices/{written.json()['id']}", headers=headers).json()["title"] == "After the outage"
    assert client.get("/matrices/1").status_code == 200


def test_a_refused_database_is_a_503_page_or_json_and_the_server_recovers_by_itself(proxied_server):
    server, proxy = proxied_server
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/matrices/1").status_code == 200  # the pool holds live connections now
        proxy.cut()

        _assert_database_unavailable_everywhere(server, client, within=3)
        proxy.restore()
        _assert_recovers(server, client)

    log = server.log()
    assert "database unreachable during GET /matrices/1" in log  # the operator's log names the outage
    assert "Traceback" not in log


def test_a_database_gone_silent_is_a_503_within_the_connect_timeout_not_a_hang(proxied_server):
    server, proxy = proxied_server
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/api/v1/health").status_code == 200
        proxy.cut(hang=True)  # connections accepted and never answered

        _assert_database_unavailable_everywhere(server, client, within=6)
        proxy.restore()
        _assert_recovers(server, client)
