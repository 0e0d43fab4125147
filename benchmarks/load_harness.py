"""Shared pieces of the load benchmarks: CPU pinning, closed and open load loops, latency figures.

The servers themselves are `tests.support.server.ServerProcess` (a real
`optionsmatrix serve` in a child process, on a fresh SQLite file or a fresh
PostgreSQL schema it drops afterwards); this module adds what a benchmark
needs around them.

On a 2-core machine the server and the load generator would otherwise fight
over the same core, and the figures would measure the scheduler: `pin_server`
puts every thread of the server on one core, `pin_self` the load on the
other. PostgreSQL, a separate service, is left unpinned.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

SERVER_CPU, LOAD_CPU = 0, 1


# The CPUs this benchmark may use, read before `pin_self` narrows them to one.
_CPUS = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def can_pin() -> bool:
    return {SERVER_CPU, LOAD_CPU} <= _CPUS


def pin_self(cpu: int = LOAD_CPU) -> None:
    """Pin this process (the load generator) and the threads it starts from now on to `cpu`."""
    if can_pin():
        os.sched_setaffinity(0, {cpu})


def _process_tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = task / "children"
            if children.exists():
                pending.extend(int(child) for child in children.read_text().split())
    return found


def pin_server(pid: int, cpu: int = SERVER_CPU) -> bool:
    """Pin every thread of the server process and of its worker processes to `cpu` (taskset -a)."""
    if not can_pin():
        return False
    for process in _process_tree(pid):
        for task in Path(f"/proc/{process}/task").glob("*"):
            with contextlib.suppress(OSError):  # a thread that ended meanwhile
                os.sched_setaffinity(int(task.name), {cpu})
    return True


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process and its workers so far (from /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for process in _process_tree(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Latencies:
    """What a run of requests got back: statuses and latencies in seconds."""

    statuses: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    wall: float = 0.0  # the run's length, for throughput
    cpu: float = 0.0  # the server's CPU seconds during the run

    def record(self, status: str, seconds: float) -> None:
        self.statuses[status] += 1
        self.seconds.append(seconds)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def errors(self, ok: str) -> int:
        return self.total - self.statuses.get(ok, 0)

    def p(self, share: float) -> float:
        return percentile(self.seconds, share)

    def line(self, ok: str) -> str:
        rate = self.total / self.wall if self.wall else float("nan")
        cpu = f", server CPU {self.cpu / self.total * 1000:.2f} ms/request" if self.total and self.cpu else ""
        return (
            f"{self.total} requests, {rate:.0f}/s; p50 {self.p(0.5) * 1000:.0f} ms, p95 {self.p(0.95) * 1000:.0f} ms, "
            f"p99 {self.p(0.99) * 1000:.0f} ms, max {max(self.seconds, default=float('nan')) * 1000:.0f} ms; "
            f"errors {self.errors(ok)} {dict(sorted((s, n) for s, n in self.statuses.items() if s != ok))}{cpu}"
        )


def spread(values: list[float]) -> str:
    """Median and range of one figure over rounds, in ms."""
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):.0f} ms (range {min(ms):.0f}–{max(ms):.0f})"


# One request: returns the status to record ("200", "timeout", ...); raising is a bug in the benchmark.
Request = Callable[[int], Awaitable[str]]


async def closed_loop(workers: int, seconds: float, request: Callable[[int, int], Awaitable[str]]) -> Latencies:
    """`workers` clients, each sending its next request as soon as the last one answered, for `seconds`.

    `request(worker, n)` sends worker's n-th request. Latency here is the
    request's own time: with a fixed number of clients the arrival rate
    follows the server, so these figures show service under contention,
    not queueing at a given rate (see `open_loop`).
    """
    result = Latencies()
    deadline = time.perf_counter() + seconds

    async def worker(number: int) -> None:
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            start = time.perf_counter()
            status = await request(number, n)
            result.record(status, time.perf_counter() - start)

    started = time.perf_counter()
    await asyncio.gather(*(worker(number) for number in range(workers)))
    result.wall = time.perf_counter() - started
    return result


async def open_loop(rate: float, seconds: float, request: Request) -> Latencies:
    """Requests at a fixed arrival rate, whatever the answers: request i is due at start + i / rate.

    Each latency runs from the moment the request was due, not from when it
    was sent, so a server (or a load generator) that falls behind is charged
    for the wait of every request it delayed (no coordinated omission).
    """
    result = Latencies()
    count = int(rate * seconds)
    tasks = []
    started = time.perf_counter()

    async def one(index: int, due: float) -> None:
        status = await request(index)
        result.record(status, time.perf_counter() - due)

    for index in range(count):
        due = started + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    result.wall = time.perf_counter() - started
    return result
