"""The largest matrix the API accepts (200 × 50): time and memory through every method, every analysis and the pages.

Run:  .venv/bin/python benchmarks/sizes.py [--options 200 --criteria 50 --repeats 3]

Starts its own server (SQLite, one worker), then for a problem of the size
the API caps at (limits.MAX_OPTIONS × limits.MAX_CRITERIA):
- POST /api/v1/analyze with every ranking method;
- POST /api/v1/sensitivity with every analysis (weights with every method,
  SMAA, dominance, methods) at their default parameters;
- the matrix stored with its scores (PUT .../scores), then its page, the
  scoring fragment and "How sure is this?" as a browser gets them.
It prints the median wall time of each request, the response size, and the
worker's resident memory after it and at its peak (VmHWM), so the caps in
limits.py are justified by numbers: the question each line answers is "does
the largest accepted input stay interactive and inside a worker's memory?".
Targets: every request under 5 s, the worker's peak under 1 GiB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2 as httpx  # noqa: E402
import numpy as np  # noqa: E402

from optionsmatrix.analysis.methods import METHOD_NAMES  # noqa: E402
from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS, MAX_SMAA_WORK  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

SECONDS_TARGET = 5.0
PEAK_MIB_TARGET = 1024.0


def problem(options: int, criteria: int, seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "options": [f"Option {i + 1}" for i in range(options)],
        "criteria": [
            {
                "name": f"Criterion {j + 1}",
                "direction": "cost" if j % 4 == 3 else "benefit",
                "weight": float(rng.integers(1, 10)),
                "scale_min": 1,
                "scale_max": 5,
            }
            for j in range(criteria)
        ],
        "scores": rng.integers(1, 6, size=(options, criteria)).astype(float).tolist(),
    }


def worker_memory_mib(root_pid: int) -> tuple[float, float]:
    """(resident, peak resident) in MiB of the process that serves: the deepest descendant of `root_pid`."""
    pid = root_pid
    while True:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if not children:
            break
        pid = int(children[0])
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Report:
    def __init__(self, server: ServerProcess, repeats: int) -> None:
        self.server = server
        self.repeats = repeats
        self.ok = True

    def time(self, label: str, send) -> httpx.Response:  # noqa: ANN001
        samples, response = [], None
        for _ in range(self.repeats):
            start = time.perf_counter()
            response = send()
            samples.append(time.perf_counter() - start)
        assert response is not None
        seconds = statistics.median(samples)
        resident, peak = worker_memory_mib(self.server._process.pid)  # type: ignore[union-attr]
        good = response.status_code == 200 and seconds < SECONDS_TARGET and peak < PEAK_MIB_TARGET
        self.ok &= good
        problem = "" if response.status_code == 200 else f"  {response.text[:160]}"
        print(
            f"  {label:<44} {response.status_code}  {seconds * 1000:8.0f} ms  {len(response.content) / 1024:8.0f} KiB"
            f"  worker {resident:5.0f} MiB (peak {peak:5.0f})  {'' if good else '<- over target'}{problem}"
        )
        return response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", type=int, default=MAX_OPTIONS)
    parser.add_argument("--criteria", type=int, default=MAX_CRITERIA)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    body = problem(args.options, args.criteria)
    m, n = args.options, args.criteria
    with ServerProcess("sqlite") as server:
        token = server.instructor_token()
        report = Report(server, args.repeats)
        resident, peak = worker_memory_mib(server._process.pid)  # type: ignore[union-attr]
        print(f"{m} options × {n} criteria ({m * n:,} scores); worker after start: {resident:.0f} MiB")
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=120) as client:
            print("POST /api/v1/analyze")
            for method in METHOD_NAMES:
                report.time(
                    method, lambda method=method: client.post("/api/v1/analyze", json={**body, "method": method})
                )
            print("POST /api/v1/sensitivity (default parameters)")
            for method in METHOD_NAMES:
                report.time(
                    f"weights, {method}",
                    lambda method=method: client.post(
                        "/api/v1/sensitivity", json={**body, "method": method, "analysis": "weights"}
                    ),
                )
            # The most samples the work cap admits at this size (the default would be refused).
            samples = min(10_000, MAX_SMAA_WORK // (m * n))
            report.time(
                f"smaa, topsis, {samples:,} samples",
                lambda: client.post(
                    "/api/v1/sensitivity", json={**body, "method": "topsis", "analysis": "smaa", "samples": samples}
                ),
            )
            for analysis in ("dominance", "methods"):
                report.time(
                    f"{analysis}, topsis",
                    lambda analysis=analysis: client.post(
                        "/api/v1/sensitivity", json={**body, "method": "topsis", "analysis": analysis}
                    ),
                )

            created = client.post(
                "/api/v1/matrices",
                json={
                    "title": f"{m} × {n}",
                    "options": [{"name": name} for name in body["options"]],
                    "criteria": body["criteria"],
                },
            )
            created.raise_for_status()
            matrix = created.json()
            scores = {
                str(option["id"]): {str(c["id"]): body["scores"][i][j] for j, c in enumerate(matrix["criteria"])}
                for i, option in enumerate(matrix["options"])
            }
            print("The matrix stored with its scores, then read as a browser would")
            report.time(
                "PUT /api/v1/matrices/{id}/scores",
                lambda: client.put(f"/api/v1/matrices/{matrix['id']}/scores", json=scores),
            )
            report.time("GET /api/v1/matrices/{id}", lambda: client.get(f"/api/v1/matrices/{matrix['id']}"))
            with httpx.Client(base_url=server.url, timeout=120) as browser:
                client.patch(f"/api/v1/matrices/{matrix['id']}", json={"is_public": True}).raise_for_status()
                report.time("GET /matrices/{id} (the page)", lambda: browser.get(f"/matrices/{matrix['id']}"))
                report.time(
                    "GET /matrices/{id}/score (the fragment)",
                    lambda: browser.get(f"/matrices/{matrix['id']}/score", headers={"HX-Request": "true"}),
                )
                report.time(
                    "GET /matrices/{id}/how-sure",
                    lambda: browser.get(f"/matrices/{matrix['id']}/how-sure", headers={"HX-Request": "true"}),
                )
    print(
        f"targets (every request < {SECONDS_TARGET:g} s, worker peak < {PEAK_MIB_TARGET:.0f} MiB): "
        f"{'met' if report.ok else 'MISSED'}"
    )
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
