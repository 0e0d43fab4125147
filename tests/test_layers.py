"""The layers depend one way: each room imports only the rooms below it.

    analysis  <- schemas <- services <- http <- api, web <- app, cli
    core (db, migrate, security, resources) serves everyone above it;
    vocabulary, limits, errors and deferred are leaves anyone may use.

A rule broken here is a new dependency pointing the wrong way: a service
that reaches for a route, a page that imports the API.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import optionsmatrix

PACKAGE = Path(optionsmatrix.__file__).parent
LEAVES = {"vocabulary", "limits", "errors", "deferred", "__init__"}

# room -> rooms of ours it must not import (besides what the layer picture allows)
FORBIDDEN: dict[str, set[str]] = {
    "analysis": {"core", "schemas", "services", "http", "api", "web", "cli", "app", "models", "settings", "errors"},
    "core": {"schemas", "services", "http", "api", "web", "cli", "app"},
    "schemas": {"services", "http", "api", "web", "cli", "app"},
    "services": {"http", "api", "web", "cli", "app"},
    "http": {"api", "web", "cli", "app"},
    "api": {"web", "cli", "app"},
    "web": {"api", "cli", "app"},
    "cli": {"api", "web", "http"},
    "models": {"analysis", "core", "schemas", "services", "http", "api", "web", "cli", "app", "settings"},
}


def _room(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _our_imports(path: Path) -> set[str]:
    """The first-level rooms of ours that `path` imports ("services" for optionsmatrix.services.items)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_parts = path.relative_to(PACKAGE).with_suffix("").parts
    rooms: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = list(module_parts[: len(module_parts) - node.level])
                names = [".".join(["optionsmatrix", *base, *(node.module.split(".") if node.module else [])])]
                if not node.module:
                    names = [f"{names[0]}.{alias.name}" for alias in node.names]
            else:
                names = [node.module or ""]
                if node.module == "optionsmatrix":
                    names = [f"optionsmatrix.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "optionsmatrix" and len(parts) > 1:
                rooms.add(parts[1])
    return rooms


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts)


def test_every_room_is_covered_by_the_rules():
    rooms = {_room(p) for p in MODULES}
    unruled = rooms - set(FORBIDDEN) - LEAVES - {"app", "settings", "__main__"}
    assert unruled == set(), f"new rooms need a rule here: {unruled}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_room_above_its_own(path):
    room = _room(path)
    wrong = _our_imports(path) & FORBIDDEN.get(room, set())
    assert wrong == set(), f"{path.relative_to(PACKAGE)} ({room}) imports {sorted(wrong)}"


def test_the_analysis_core_imports_only_itself_and_the_vocabulary():
    for path in (PACKAGE / "analysis").rglob("*.py"):
        assert _our_imports(path) <= {"analysis", "vocabulary"}, path.name


def test_the_leaves_import_nothing_of_ours():
    for name in ("vocabulary", "limits", "errors"):
        assert _our_imports(PACKAGE / f"{name}.py") == set(), name


def test_the_rule_checker_sees_a_wrong_import(tmp_path):
    """The checker itself can fail: a service importing a route is caught."""
    bad = PACKAGE / "services" / "_layer_probe.py"
    bad.write_text("from optionsmatrix.api.deps import SessionDep\nfrom ..web import rendering\n")
    try:
        assert _our_imports(bad) == {"api", "web"}
    finally:
        bad.unlink()
