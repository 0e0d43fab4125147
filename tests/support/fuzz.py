"""Schema fuzzing: schemathesis against a real server's OpenAPI document.

Used by tests/test_schema_fuzzing.py (a bounded run in the suite) and by hand:

    .venv/bin/python -m tests.support.fuzz [--database postgresql://...] [--max-examples N] [--seed S]

It starts `optionsmatrix serve` on a fresh database, makes an instructor's
token and a seminar session with one participant, and hands both tokens to
schemathesis through the environment (tests/api/schemathesis.toml reads them):
the instructor's token for every operation, the participant's for the
operations a participant calls on their own session.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

from tests.support.server import ServerProcess

CONFIG = Path(__file__).resolve().parent.parent / "api" / "schemathesis.toml"
# A fixed budget, so a CI run takes about the same time every time: examples
# per operation and phase, and one seed (the same inputs on every run).
MAX_EXAMPLES = 20
SEED = 20261130


SURROGATE_RANGE = "\\ud800-\\udfff"  # as the name and text patterns spell it (schemas/text.py)


@dataclass(frozen=True)
class FuzzTarget:
    schema: dict
    base_url: str
    env: dict[str, str]


def schemathesis_command() -> Path:
    """The schemathesis installed beside this interpreter (the test extras bring it)."""
    return Path(sys.executable).with_name("schemathesis")


def prepare(server: ServerProcess) -> FuzzTarget:
    """An instructor, a matrix, a session with one participant: the tokens and ids schemathesis is given."""
    instructor = server.instructor_token("fuzz@example.org")
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {instructor}"}, timeout=30) as client:
        matrix = client.post("/api/v1/matrices", json={
            "title": "Fuzzed",
            "options": [{"name": "Riverside"}, {"name": "Old town"}],
            "criteria": [{"name": "Cost", "direction": "cost"}, {"name": "Access"}],
        })  # fmt: skip
        matrix.raise_for_status()
        seminar = client.post(f"/api/v1/matrices/{matrix.json()['id']}/sessions", json={"title": "Fuzzed session"})
        seminar.raise_for_status()
        joined = client.post(
            "/api/v1/sessions/join", json={"join_code": seminar.json()["join_code"], "display_name": "Fuzzer"}
        )
        joined.raise_for_status()
        # A second matrix whose options and criteria the item operations edit and delete (see
        # schemathesis.toml): ids of real rows, which random ids almost never are.
        items = client.post("/api/v1/matrices", json={
            "title": "Fuzzed items",
            "options": [{"name": "Edited option"}, {"name": "Deleted option"}],
            "criteria": [{"name": "Edited criterion"}, {"name": "Deleted criterion"}],
        })  # fmt: skip
        items.raise_for_status()
        shared = client.post(f"/api/v1/matrices/{items.json()['id']}/share-link").raise_for_status()
    options = [o["id"] for o in items.json()["options"]]
    criteria = [c["id"] for c in items.json()["criteria"]]
    env = {
        **os.environ,
        "OPTIONSMATRIX_FUZZ_INSTRUCTOR_TOKEN": instructor,
        "OPTIONSMATRIX_FUZZ_PARTICIPANT_TOKEN": joined.json()["participant_token"],
        "OPTIONSMATRIX_FUZZ_SESSION_ID": str(seminar.json()["id"]),
        "OPTIONSMATRIX_FUZZ_ITEMS_MATRIX_ID": str(items.json()["id"]),
        "OPTIONSMATRIX_FUZZ_EDITED_OPTION_ID": str(options[0]),
        "OPTIONSMATRIX_FUZZ_DELETED_OPTION_ID": str(options[1]),
        "OPTIONSMATRIX_FUZZ_EDITED_CRITERION_ID": str(criteria[0]),
        "OPTIONSMATRIX_FUZZ_DELETED_CRITERION_ID": str(criteria[1]),
        "OPTIONSMATRIX_FUZZ_SHARE_SECRET": shared.json()["url"].rsplit("/", 1)[1],
        # No colours or progress bars in a CI log.
        "NO_COLOR": "1",
    }
    return FuzzTarget(schema=fuzzable_schema(server.url), base_url=server.url, env=env)


def fuzzable_schema(server_url: str) -> dict:
    """The server's OpenAPI document, with the lone-surrogate range taken out of every `pattern`.

    Schemathesis compiles patterns with Rust's regex, which has no lone
    surrogates, so it drops a pattern that names them and makes bodies that
    break the name rules: nearly every body is then a 422, and the fuzzing
    never gets past validation. Without that range a pattern accepts lone
    surrogates too, which Rust cannot generate anyway: what it makes still
    fits the real schema. Responses are checked against this copy, which is
    the same as the served one for every string a response can hold.
    """
    schema = httpx.get(f"{server_url}/api/v1/openapi.json", timeout=30).raise_for_status().json()
    return _without_surrogates(schema)


def _without_surrogates(node: object) -> object:
    if isinstance(node, dict):
        return {key: (value.replace(SURROGATE_RANGE, "") if key == "pattern" and isinstance(value, str)
                      else _without_surrogates(value)) for key, value in node.items()}  # fmt: skip
    if isinstance(node, list):
        return [_without_surrogates(value) for value in node]
    return node


def run(target: FuzzTarget, *, max_examples: int = MAX_EXAMPLES, seed: int = SEED, report_dir: Path | None = None,
        # A safety net on a machine busy with other work, not the budget: the example count is.
        timeout: float = 900) -> subprocess.CompletedProcess[str]:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="optionsmatrix-fuzz-") as folder:
        schema_file = Path(folder) / "openapi.json"
        schema_file.write_text(json.dumps(target.schema))
        command = [
            str(schemathesis_command()), "--config-file", str(CONFIG), "--no-color",
            "run", str(schema_file), "--url", target.base_url,
            "--max-examples", str(max_examples), "--seed", str(seed),
        ]  # fmt: skip
        if report_dir is not None:
            command += ["--report", "junit", "--report-dir", str(report_dir)]
        # In its own folder: schemathesis leaves a .schemathesis cache where it runs.
        return subprocess.run(
            command, cwd=folder, env=target.env, capture_output=True, text=True, timeout=timeout, check=False
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (default) or a PostgreSQL URL")
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    with ServerProcess(args.database) as server:
        result = run(prepare(server), max_examples=args.max_examples, seed=args.seed)
        print(result.stdout)
        print(result.stderr, file=sys.stderr)
        if result.returncode != 0:
            print(server.log()[-5000:], file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
