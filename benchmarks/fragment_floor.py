"""Where the small scoring answer's CPU goes under load: ours, stopped short at each stage, against bare.

Run:  .venv/bin/python benchmarks/fragment_floor.py [--rounds 3] [--duration 10]

A companion to benchmarks/speed.py (same servers, same request, same wrk
settings and pinning), for the one row it reports as not met: the answer to
a typed score (`Scoring-Edited`, 10.6 KB). It starts `optionsmatrix serve`
as speed.py does ("whole"), then the same app three more times on the same
database through benchmarks/fragment_floor_app.py, whose scoring handler
stops after a stage and answers the bytes the whole handler sent:

- "nothing": no work in the handler (middleware, CSRF/login check, the
  database session, FastAPI's parsing of the 97-field address: all kept);
- "stamp": plus reading the kept matrix (one short row: its stamp);
- "evaluate": plus reading and checking the form, the weights, and ranking
  it with the chart's geometry (`web/scoring/form.evaluate`), all but
  rendering.

and bare (benchmarks/bare_app.py, rendering a Jinja page of the same size).
Printed per variant: req/s, CPU per request and the ratio to bare (medians
of the alternated rounds), and the CPU each stage adds. With a ratio target
of 0.6, ours may spend bare's CPU ÷ 0.6 per request; the line at the end
says how much of that the stages before rendering leave for it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fragment_floor_app import STAGE_HEADER, STAGES  # noqa: E402
from benchmarks.speed import (  # noqa: E402
    PAGE_TARGET,
    ROOT,
    Run,
    Server,
    fetch,
    measure,
    pinned,
    requests_for,
    start,
)
from optionsmatrix.cli.logs import log_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    args = parser.parse_args()
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"wrk -t1 -c16 -d{args.duration:g}s, {args.rounds} rounds, variants alternated; "
        f"{'servers on CPU 1, wrk on CPU 0' if pinned(0) else 'not pinned'}; load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="optionsmatrix-floor-") as name:
        folder = Path(name)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        database = f"sqlite:///{folder / 'floor.db'}"
        serve = [sys.executable, "-m", "optionsmatrix", "serve", "--database-url", database]
        servers: dict[str, Server] = {}
        try:
            servers["whole"] = start("ours", serve, folder, {**env, "OPTIONSMATRIX_ADMIN_EMAIL": "admin@localhost"})
            request = next(r for r in requests_for(servers["whole"]) if r.name.startswith("fragment"))
            body = fetch(servers["whole"].url + request.ours_path, request.headers)
            (folder / "answer.html").write_bytes(body)
            stage_env = {
                **env,
                "OPTIONSMATRIX_DATABASE_URL": database,
                "FRAGMENT_FLOOR_ANSWER": str(folder / "answer.html"),
            }
            # Logging as `serve` logs (every access line tagged with the worker), so that it costs the same.
            (folder / "logging.json").write_text(json.dumps(log_config()))
            for stage in STAGES:
                sub = folder / stage
                sub.mkdir()
                launch = [sys.executable, "-m", "uvicorn", "benchmarks.fragment_floor_app:app"]
                launch += ["--log-config", str(folder / "logging.json")]
                servers[stage] = start("ours", launch, sub, {**stage_env, "FRAGMENT_FLOOR_STAGE": stage})
            env_bare = {**env, "BARE_PAGE_SIZES": f"fragment={len(body)}"}
            bare = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app"]
            servers["bare"] = start("bare", bare, folder, env_bare)
            paths = {name: request.ours_path for name in servers} | {"bare": "/page/fragment"}
            _check(servers, paths, request.headers, len(body))
            runs = _rounds(servers, paths, request, args.rounds, args.duration, folder)
        finally:
            for server in servers.values():
                server.stop()
    _report(runs, len(body))
    return 0


def _check(servers: dict[str, Server], paths: dict[str, str], headers: dict[str, str], size: int) -> None:
    """Each variant answers as many bytes as the whole handler, and says which stage it stopped after."""
    for name, server in servers.items():
        with urllib.request.urlopen(urllib.request.Request(server.url + paths[name], headers=headers)) as answer:
            assert len(answer.read()) == size, name
            if name in STAGES:
                assert answer.headers.get(STAGE_HEADER) == name, f"{name}: the handler was not replaced"


def _rounds(servers, paths, request, rounds, seconds, folder) -> dict[str, list[Run]]:  # noqa: ANN001
    for name, server in servers.items():  # warm up: first renders, imports, the kept matrix
        measure(server, paths[name], request, 1.0, folder)
    runs: dict[str, list[Run]] = {name: [] for name in servers}
    order = list(servers)
    for number in range(rounds):
        for name in order if number % 2 == 0 else order[::-1]:
            run = measure(servers[name], paths[name], request, seconds, folder)
            runs[name].append(run)
            print(f"  round {number + 1} {name}: {run.rate:.0f}/s, {run.cpu_ms:.3f} ms CPU", flush=True)
    return runs


def _report(runs: dict[str, list[Run]], size: int) -> None:
    bare_rate = statistics.median(r.rate for r in runs["bare"])
    bare_cpu = statistics.median(r.cpu_ms for r in runs["bare"])
    print("\n| variant | req/s | CPU per request | added by this stage | ours ÷ bare |\n|---|---|---|---|---|")
    previous = None
    for name in [*STAGES, "whole", "bare"]:
        rate = statistics.median(r.rate for r in runs[name])
        cpu = statistics.median(r.cpu_ms for r in runs[name])
        added = f"{cpu - previous:+.3f} ms" if previous is not None and name != "bare" else ""
        print(f"| {name} | {rate:.0f}/s | {cpu:.3f} ms | {added} | {rate / bare_rate:.2f} |")
        previous = cpu
    allowed = bare_cpu / PAGE_TARGET
    before_render = statistics.median(r.cpu_ms for r in runs["evaluate"])
    print(
        f"\nA ratio of {PAGE_TARGET:g} allows ours {allowed:.3f} ms of CPU per request (bare's {bare_cpu:.3f} ÷ "
        f"{PAGE_TARGET:g}). Ours takes {before_render:.3f} ms before rendering anything, which leaves "
        f"{allowed - before_render:.3f} ms to render {size:,} bytes; bare's whole request, rendering as many, "
        f"takes {bare_cpu:.3f} ms."
    )


if __name__ == "__main__":
    sys.exit(main())
