"""Concurrent load against a real server, and checks of what it left behind.

Used by the availability tests and by `benchmarks/availability.py`: a burst
of page loads with /api/v1/health polled throughout, and a storm of writers
on one matrix whose final state must match exactly the writes acknowledged.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx2 as httpx

CLIENT_TIMEOUT = 10.0  # seconds; a request slower than this counts as failed


def _client(base_url: str, connections: int, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=CLIENT_TIMEOUT,
        headers=headers,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


def run_async(coroutine):  # noqa: ANN001, ANN201
    """Run `coroutine` to completion on a fresh event loop in its own thread.

    A test session may already have a loop running in the main thread (the
    browser tests' Playwright does), where asyncio.run() would refuse.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Outcome:
    """What a batch of requests got back."""

    statuses: Counter[str] = field(default_factory=Counter)  # "200", "503", "timeout", "error"
    latencies: list[float] = field(default_factory=list)
    retry_after_missing: int = 0

    def record(self, status: str, seconds: float) -> None:
        self.statuses[status] += 1
        self.latencies.append(seconds)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        """5xx other than a 503 that says when to retry."""
        return sum(n for s, n in self.statuses.items() if s.isdigit() and int(s) >= 500 and s != "503")

    def summary(self) -> str:
        lat = self.latencies
        return (
            f"{self.total} requests: {dict(sorted(self.statuses.items()))}; "
            f"p50 {percentile(lat, 0.5) * 1000:.0f} ms, p95 {percentile(lat, 0.95) * 1000:.0f} ms, "
            f"p99 {percentile(lat, 0.99) * 1000:.0f} ms, max {max(lat, default=float('nan')) * 1000:.0f} ms"
        )


async def _timed(outcome: Outcome, request) -> httpx.Response | None:  # noqa: ANN001
    start = time.perf_counter()
    try:
        response = await request
    except httpx.TimeoutException:
        outcome.record("timeout", time.perf_counter() - start)
        return None
    except httpx.HTTPError:
        outcome.record("error", time.perf_counter() - start)
        return None
    outcome.record(str(response.status_code), time.perf_counter() - start)
    if response.status_code == 503 and "retry-after" not in response.headers:
        outcome.retry_after_missing += 1
    return response


# Page loads ------------------------------------------------------------------------


@dataclass
class FloodResult:
    pages: Outcome
    health: Outcome
    seconds: float


async def _poll_health(base_url: str, stop: asyncio.Event, outcome: Outcome) -> None:
    async with _client(base_url, 2) as client:
        while not stop.is_set():
            await _timed(outcome, client.get("/api/v1/health"))
            await asyncio.sleep(0.2)


async def page_flood(base_url: str, path: str, *, concurrency: int, total: int) -> FloodResult:
    """`total` GETs of `path`, `concurrency` at a time, each on its own connection; health polled meanwhile."""
    pages, health, stop = Outcome(), Outcome(), asyncio.Event()
    async with _client(base_url, 1) as warm:  # a running server has its templates compiled already
        await warm.get(path)
    poller = asyncio.create_task(_poll_health(base_url, stop, health))
    started = time.perf_counter()
    queue = iter(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        for _ in queue:
            await _timed(pages, client.get(path))

    # One client with a connection per worker: a client per worker would spend
    # the load generator's CPU on building a TLS context each.
    async with _client(base_url, concurrency) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    stop.set()
    await poller
    return FloodResult(pages, health, seconds)


# Writers -----------------------------------------------------------------------------


@dataclass
class StormResult:
    writes: Outcome
    seconds: float
    expected: dict[int, str]  # option id -> description, as acknowledged
    unknown: int  # writes whose outcome the client could not learn (timeouts, broken connections)


async def writer_storm(
    base_url: str, token: str, matrix_id: int, *, writers: int, seconds: float
) -> StormResult:
    """Each writer loops: add an option, change its description, remove it.

    Every acknowledged write is recorded, so the final matrix must hold
    exactly the initial options plus each writer's live option with its last
    acknowledged description, at contiguous positions.
    """
    writes = Outcome()
    expected: dict[int, str] = {}
    unknown = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    base = f"/api/v1/matrices/{matrix_id}/options"

    async def writer(number: int, client: httpx.AsyncClient) -> None:
        nonlocal unknown
        live: int | None = None
        revision = 0
        while time.perf_counter() < deadline:
            revision += 1
            if live is None:
                body = {"name": f"writer {number} option {revision}", "escalation_level": 1}
                response = await _timed(writes, client.post(base, json=body))
                if response is not None and response.status_code == 201:
                    live = response.json()["id"]
                    expected[live] = ""
            elif revision % 3 != 0:
                text = f"writer {number} revision {revision}"
                response = await _timed(writes, client.patch(f"{base}/{live}", json={"description": text}))
                if response is not None and response.status_code == 200:
                    expected[live] = text
            else:
                response = await _timed(writes, client.delete(f"{base}/{live}"))
                if response is not None and response.status_code == 204:
                    del expected[live]
                    live = None
            if response is None:
                unknown += 1
                return  # this writer's state is no longer known; stop it rather than guess

    async with _client(base_url, writers, {"Authorization": f"Bearer {token}"}) as client:
        await asyncio.gather(*(writer(n, client) for n in range(writers)))
    return StormResult(writes, time.perf_counter() - started, expected, unknown)


def check_matrix_state(
    base_url: str, token: str, matrix_id: int, initial: dict[int, str], storm: StormResult
) -> list[str]:
    """Differences between the stored matrix and what the storm's acknowledged writes imply (empty: consistent)."""
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        matrix = client.get(f"/api/v1/matrices/{matrix_id}").json()
    stored = {option["id"]: option["description"] for option in matrix["options"]}
    wanted = {**initial, **storm.expected}
    problems = []
    if stored != wanted:
        missing = sorted(set(wanted) - set(stored))
        extra = sorted(set(stored) - set(wanted))
        changed = sorted(i for i in set(stored) & set(wanted) if stored[i] != wanted[i])
        problems.append(f"options differ: missing {missing[:10]}, unexpected {extra[:10]}, changed {changed[:10]}")
    positions = sorted(option["position"] for option in matrix["options"])
    if positions != list(range(len(positions))):
        problems.append(f"positions are not 0..{len(positions) - 1}: {positions}")
    return problems


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
