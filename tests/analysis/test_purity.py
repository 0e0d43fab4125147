"""The analysis core stays pure: numpy only, no web, database or templates."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import optionsmatrix.analysis

FORBIDDEN = ("fastapi", "sqlmodel", "sqlalchemy", "jinja2", "starlette", "pydantic", "scipy")
PACKAGE_DIR = Path(optionsmatrix.analysis.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy"}


def test_importing_the_analysis_package_loads_no_web_or_database_module():
    source_root = PACKAGE_DIR.parent.parent  # the directory that holds optionsmatrix/
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(source_root), os.environ.get("PYTHONPATH", "")])}
    script = (
        "import json, sys; import optionsmatrix.analysis; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True
    )
    assert json.loads(completed.stdout) == []


def _imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_in_the_analysis_package_imports_anything_but_numpy_and_the_standard_library():
    modules = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        third_party = {
            name
            for name in _imported_top_level_modules(path)
            # our own modules are held to tests/test_layers.py's rules
            if name not in sys.stdlib_module_names and name not in ("__future__", "optionsmatrix")
        }
        assert third_party <= ALLOWED_THIRD_PARTY, (path.name, third_party)
        assert not third_party & set(FORBIDDEN), path.name
