"""Where the files that ship beside the code live.

In a source checkout `static/` and `migrations/` sit at the repository root; in
an installed wheel they are copied into the package (see pyproject's
force-include). Look inside the package first so an installed copy never picks
up a stray checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # core/ sits inside the package
TEMPLATES_DIR = PACKAGE_DIR / "templates"
CASE_STUDY_FILE = PACKAGE_DIR / "casestudy" / "heritage_2025_border.json"


def _shipped_dir(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"cannot find the '{name}' directory beside the optionsmatrix package")


def static_dir() -> Path:
    return _shipped_dir("static")


def migrations_dir() -> Path:
    return _shipped_dir("migrations")
