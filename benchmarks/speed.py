"""Speed against a bare FastAPI app: the analysis endpoint and the pages, side by side (issue 14).

Run:  .venv/bin/python benchmarks/speed.py [--quick] [--rounds 3] [--duration 10] [--only analyze-topsis,home]

Needs `wrk` (Debian: `apt-get install wrk`). Starts both servers itself, one
worker each with uvicorn's settings as `optionsmatrix serve` uses them:
ours (`optionsmatrix serve` on a fresh SQLite database holding the case
study) and benchmarks/bare_app.py, whose endpoints parse the same body into
the same `AnalyzeRequest` and answer a constant, or render a Jinja template
producing exactly as many bytes as our page. With two or more CPUs the servers
run on CPU 1 and wrk on CPU 0 (`taskset`). Each request is measured with
`wrk -t1 -c16 -d10s --latency` on ours and on bare in turn, alternating which
goes first, for several rounds; CPU per request is the server's utime + stime
(/proc/<pid>/stat) over the run divided by the requests wrk completed.

Printed per request: ours and bare (req/s, p99, CPU per request, medians of
the rounds), ours ÷ bare in req/s (median, and the spread of the rounds),
the target and whether it is met. Then the memory of one worker after start
and one /health. Pages are fetched as a returning browser fetches them (with
its CSRF cookie); the scoring fragment as htmx asks for it when someone
types or taps a score (only what a score changes), and the whole section as
it asks when a weight or the method changes, all 40 of the case study's
cells filled.

Targets: /api/v1/analyze 20 × 10 ≥ 0.8 of bare for every method; `GET /`, the
matrix page and the scoring fragment ≥ 0.6 (the whole section too); the
fragment < 3 ms CPU; one
worker < 80 MiB after start.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# A returning browser's CSRF cookie (32+ characters), so the server does not mint a new one each time.
COOKIE = "om_csrf=" + "b" * 43
ANALYZE_TARGET, PAGE_TARGET, FRAGMENT_CPU_TARGET_MS, MEMORY_TARGET_MIB = 0.8, 0.6, 3.0, 80.0


@dataclass
class Request:
    name: str
    ours_path: str
    bare_path: str
    target: float
    method: str = "GET"
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    cpu_target_ms: float | None = None


@dataclass
class Run:
    rate: float  # requests a second
    p99_ms: float
    cpu_ms: float  # server CPU per request
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime: fields 14 and 15

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pinned(cpu: int) -> list[str]:
    """A taskset prefix for `cpu` when there are two CPUs or more to separate load and server."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu)]
    return []


def start(name: str, command: list[str], folder: Path, env: dict[str, str]) -> Server:
    port = free_port()
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*pinned(1), *command, "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(name, process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-2000:]}")
        try:
            health = "/api/v1/health" if name == "ours" else "/health"
            with urllib.request.urlopen(server.url + health, timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer within 90 s: {log.read_text()[-2000:]}")


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
        return response.read()


def analyze_body(method: str, options: int = 20, criteria: int = 10) -> str:
    rng = random.Random(14)
    body: dict[str, object] = {
        "options": [f"Option {i + 1}" for i in range(options)],
        "criteria": [
            {"name": f"Criterion {j + 1}", "direction": "cost" if j % 3 == 2 else "benefit",
             "weight": rng.randint(1, 5), "scale_min": 1, "scale_max": 5}
            for j in range(criteria)
        ],
        "scores": [[rng.randint(1, 5) for _ in range(criteria)] for _ in range(options)],
        "method": method,
    }  # fmt: skip
    if method == "vikor":
        body["params"] = {"v": 0.5}
    return json.dumps(body)


def scoring_query(matrix: dict) -> str:
    """Everything the scoring form sends while someone types, every cell filled (as the browser sends it)."""
    criteria = [c["id"] for c in matrix["criteria"]]
    fields = [("method", "wsm"), ("normalization", ""), ("weighting", "direct"), ("v", "0.5"), ("ties", "0")]
    for o, option in enumerate(matrix["options"]):
        fields += [(f"s.{option['id']}.{c}", str(1 + (o + j) % 5)) for j, c in enumerate(criteria)]
    fields += [(f"w.{c}", "1") for c in criteria] + [(f"r.{c}", "1") for c in criteria]
    fields += [(f"p.{c}", "100") for c in criteria]
    fields += [(f"a.{a}.{b}", "1") for i, a in enumerate(criteria) for b in criteria[i + 1 :]]
    return urllib.parse.urlencode(fields)


def wrk(url: str, request: Request, seconds: float, folder: Path) -> tuple[Run, float]:
    command = [*pinned(0), "wrk", "-t1", "-c16", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    for key, value in request.headers.items():
        command += ["-H", f"{key}: {value}"]
    if request.method == "POST":
        script = folder / f"{request.name}.lua"
        lua = [
            'wrk.method = "POST"',
            'wrk.headers["Content-Type"] = "application/json"',
            f"wrk.body = [==[{request.body}]==]",
        ]
        script.write_text("\n".join(lua) + "\n")
        command += ["-s", str(script)]
    completed = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(completed.stdout), time.monotonic()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Run:
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    total = re.search(r"^\s*(\d+) requests in", output, re.M)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not (p99 and total and rate):
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Run(float(rate[1]), float(p99[1]) * _UNITS[p99[2]], 0.0, int(total[1]), errors)


def measure(server: Server, path: str, request: Request, seconds: float, folder: Path) -> Run:
    before = server.cpu_seconds()
    run, _ = wrk(server.url + path, request, seconds, folder)
    run.cpu_ms = (server.cpu_seconds() - before) * 1000 / max(run.requests, 1)
    return run


def requests_for(ours: Server) -> list[Request]:
    from optionsmatrix.analysis import METHOD_NAMES

    listing = json.loads(fetch(ours.url + "/api/v1/matrices?limit=10"))
    items = listing["items"] if isinstance(listing, dict) else listing
    case_study = next(m for m in items if m.get("is_public"))
    matrix = json.loads(fetch(f"{ours.url}/api/v1/matrices/{case_study['id']}"))
    cells = len(matrix["options"]) * len(matrix["criteria"])
    found = [
        Request(f"analyze-{method}", "/api/v1/analyze", "/api/v1/analyze", ANALYZE_TARGET, "POST", analyze_body(method))
        for method in METHOD_NAMES
    ]
    page = {"Cookie": COOKIE}
    scoring = f"/matrices/{matrix['id']}/score?{scoring_query(matrix)}"
    # When a score is typed or tapped, static/js/scoring.js names the cell (web/scoring/view.py
    # EDITED_CELLS_HEADER); a change to a weight or the method asks for the whole section.
    typed = {
        "Scoring-Edited": f"s.{matrix['options'][0]['id']}.{matrix['criteria'][0]['id']}",
        "Scoring-Drawn": str(matrix["version"]),
    }
    found += [
        Request("home", "/", "/page/home", PAGE_TARGET, headers=page),
        Request("matrix", f"/matrices/{matrix['id']}", "/page/matrix", PAGE_TARGET, headers=page),
        Request(
            f"fragment ({cells} cells, a score changed)", scoring, "/page/fragment", PAGE_TARGET,
            headers={**page, "HX-Request": "true", **typed}, cpu_target_ms=FRAGMENT_CPU_TARGET_MS,
        ),
        Request(
            f"section ({cells} cells, a weight changed)", scoring, "/page/section", PAGE_TARGET,
            headers={**page, "HX-Request": "true"},
        ),
    ]  # fmt: skip
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds of 3 s: a rough look, not a figure to quote")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per request (default 3; 2 with --quick)")
    parser.add_argument("--duration", type=float, default=None, help="seconds per wrk run (default 10; 3 with --quick)")
    parser.add_argument("--only", default="", help="comma-separated request names or prefixes (e.g. analyze,home)")
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 3)
    seconds = args.duration or (3.0 if args.quick else 10.0)
    if shutil.which("wrk") is None:
        print("benchmarks/speed.py needs wrk: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`.")
        return 2
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"wrk -t1 -c16 -d{seconds:g}s, {rounds} rounds, ours and bare alternated; "
        f"{'server on CPU 1, wrk on CPU 0' if pinned(0) else 'not pinned (one CPU or no taskset)'}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="optionsmatrix-speed-") as name:
        folder = Path(name)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        ours_command = [
            sys.executable, "-m", "optionsmatrix", "serve", "--database-url", f"sqlite:///{folder / 'speed.db'}"
        ]  # fmt: skip
        ours = start("ours", ours_command, folder, {**env, "OPTIONSMATRIX_ADMIN_EMAIL": "admin@localhost"})
        bare = None
        try:
            ours_rss = ours.rss_mib()
            requests = requests_for(ours)
            if args.only:
                wanted = args.only.split(",")
                requests = [r for r in requests if any(r.name.startswith(w) for w in wanted)]
            sizes = {}
            for request in requests:
                if request.method == "GET":
                    page = fetch(ours.url + request.ours_path, request.headers)
                    sizes[request.bare_path.rsplit("/", 1)[1]] = len(page)
            bare_env = {**env, "BARE_PAGE_SIZES": ",".join(f"{k}={v}" for k, v in sizes.items())}
            bare = start("bare", [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app"], folder, bare_env)
            bare_rss = bare.rss_mib()
            for request in requests:  # the bare pages really are as long as ours
                if request.method == "GET":
                    page = request.bare_path.rsplit("/", 1)[1]
                    assert len(fetch(bare.url + request.bare_path)) == sizes[page], page
            if sizes:
                print("page sizes (bytes): " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
            met = report(requests, ours, bare, rounds, seconds, folder)
        finally:
            ours.stop()
            if bare is not None:
                bare.stop()
    memory_met = ours_rss < MEMORY_TARGET_MIB
    print(
        f"\nmemory of one worker after start and one /health: ours {ours_rss:.1f} MiB, bare {bare_rss:.1f} MiB; "
        f"target < {MEMORY_TARGET_MIB:g} MiB: {'met' if memory_met else 'NOT MET'}"
    )
    return 0 if met and memory_met else 1


def report(requests: list[Request], ours: Server, bare: Server, rounds: int, seconds: float, folder: Path) -> bool:
    runs: dict[str, dict[str, list[Run]]] = {r.name: {"ours": [], "bare": []} for r in requests}
    for request in requests:  # warm both up (first renders, imports, caches); not counted
        measure(ours, request.ours_path, request, min(seconds, 1.0), folder)
        measure(bare, request.bare_path, request, min(seconds, 1.0), folder)
    for number in range(rounds):
        for request in requests:
            order = [(ours, request.ours_path), (bare, request.bare_path)]
            for server, path in order if number % 2 == 0 else order[::-1]:
                runs[request.name][server.name].append(measure(server, path, request, seconds, folder))
            o, b = runs[request.name]["ours"][-1], runs[request.name]["bare"][-1]
            print(
                f"  round {number + 1} {request.name}: ours {o.rate:.0f}/s {o.cpu_ms:.2f} ms CPU, "
                f"bare {b.rate:.0f}/s {b.cpu_ms:.2f} ms CPU, ratio {o.rate / b.rate:.2f}", flush=True,
            )  # fmt: skip
    print(
        "\n| request | ours: req/s, p99, CPU/request | bare: req/s, p99, CPU/request | ours ÷ bare (spread) "
        "| target | |\n|---|---|---|---|---|---|"
    )
    all_met = True
    for request in requests:
        o, b = runs[request.name]["ours"], runs[request.name]["bare"]
        ratios = [x.rate / y.rate for x, y in zip(o, b, strict=True)]
        ratio = statistics.median(ratios)
        cpu = statistics.median(r.cpu_ms for r in o)
        met = ratio >= request.target
        target = f"≥ {request.target:g}"
        if request.cpu_target_ms is not None:
            met = met and cpu < request.cpu_target_ms
            target += f", < {request.cpu_target_ms:g} ms CPU"
        errors = sum(r.errors for r in o + b)
        met = met and errors == 0
        all_met = all_met and met
        print(
            f"| {request.method} {request.name} | {_summary(o)} | {_summary(b)} | "
            f"{ratio:.2f} ({min(ratios):.2f}–{max(ratios):.2f}) | {target} | "
            f"{'met' if met else 'NOT MET'}{f', {errors} errors' if errors else ''} |"
        )
    return all_met


def _summary(runs: list[Run]) -> str:
    rate = statistics.median(r.rate for r in runs)
    p99 = statistics.median(r.p99_ms for r in runs)
    cpu = statistics.median(r.cpu_ms for r in runs)
    return f"{rate:.0f}/s, {p99:.0f} ms, {cpu:.2f} ms"


if __name__ == "__main__":
    sys.exit(main())
