"""Schemathesis against our OpenAPI document, on a real server and the suite's back end.

Every operation, with an instructor's token (and a participant's on their own
ballot), every check: no 5xx, every status documented, every response body,
header and content type as the schema says, auth really enforced. A fixed
budget (tests/support/fuzz.py: examples per operation and a seed) keeps it
near a minute per back end. What it found is pinned in tests/api/test_fuzz_findings.py.

To rerun by hand with another seed or budget: `python -m tests.support.fuzz --help`.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support import fuzz
from tests.support.server import ServerProcess

pytestmark = pytest.mark.slow


def test_every_operation_survives_schemathesis_with_no_server_error_or_schema_violation(tmp_path):
    if not fuzz.schemathesis_command().exists():
        pytest.fail("schemathesis is not installed beside this Python: pip install -e '.[test]'")
    with ServerProcess(TEST_DATABASE_URL if ON_POSTGRES else "sqlite") as server:  # type: ignore[arg-type]
        target = fuzz.prepare(server)
        operations = sum(len(methods) for methods in target.schema["paths"].values())
        result = fuzz.run(target, report_dir=tmp_path)
        log = server.log()

    summary = result.stdout[result.stdout.rfind("SUMMARY"):] if "SUMMARY" in result.stdout else result.stdout
    assert result.returncode == 0, f"{summary}\n{result.stderr[-3000:]}\n--- server log ---\n{log[-3000:]}"
    # It really ran: every operation but the one left out (revoking tokens; see schemathesis.toml) was tested...
    assert re.search(rf"Tested: {operations - 1}\b", result.stdout), summary
    generated = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert generated and int(generated.group(1)) >= 1000 and generated.group(1) == generated.group(2), summary
    # ...and the server, whatever it was sent, never failed inside.
    assert " 500 " not in log and "Traceback" not in log
