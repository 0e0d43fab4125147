"""A worker keeps out of memory what only the CLI, an export, an import or a migration needs."""

import subprocess
import sys

from optionsmatrix.core import migrate
from optionsmatrix.core.db import create_db_engine


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    return {name.split(".")[0] for name in result.stdout.split()}


def test_importing_the_app_loads_neither_openpyxl_nor_alembic_nor_segno():
    loaded = _modules_after("import optionsmatrix.app; optionsmatrix.app.create_app")
    assert "optionsmatrix" in loaded
    assert "openpyxl" not in loaded
    assert "alembic" not in loaded
    assert "segno" not in loaded  # the QR code of a session's dashboard


def test_a_worker_finds_the_database_at_head_without_loading_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'head.db'}"
    engine = create_db_engine(url)
    migrate.upgrade(engine)  # the first start migrates (and so loads Alembic)
    engine.dispose()

    loaded = _modules_after(
        "from optionsmatrix.core import migrate\nfrom optionsmatrix.core.db import create_db_engine\n"
        f"migrate.upgrade(create_db_engine({url!r}))"
    )

    assert "alembic" not in loaded


def test_shipped_heads_are_alembics_heads():
    assert migrate.shipped_heads() == {migrate.head_revision()}
