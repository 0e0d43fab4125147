"""A worker keeps out of memory what only the CLI, an export, an import or a migration needs."""

import os
import subprocess
import sys

from optionsmatrix.app import prepare_database
from optionsmatrix.core import migrate
from optionsmatrix.core.db import create_db_engine
from tests.conftest import ON_POSTGRES


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after running `code`."""
    return {name.split(".")[0] for name in _module_names_after(code, env)}


def _module_names_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    return set(result.stdout.split())


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


def test_a_serving_worker_after_start_and_health_loads_no_migration_or_export_code(databases):
    """What `optionsmatrix serve` keeps in memory (issue 14): it prepared the database in a child process."""
    url = databases.new_url()
    engine = create_db_engine(url)
    prepare_database(engine, seed=True)  # as the child of `serve` does
    engine.dispose()

    loaded = _modules_after(
        "import optionsmatrix.cli  # what `python -m optionsmatrix serve` imports before it serves\n"
        "from fastapi.testclient import TestClient\n"
        "from optionsmatrix.app import create_app_from_env\n"
        "with TestClient(create_app_from_env()) as client:  # the lifespan runs: the worker's own check\n"
        "    assert client.get('/api/v1/health').status_code == 200\n",
        env={"OPTIONSMATRIX_DATABASE_URL": url},
    )

    assert "optionsmatrix" in loaded
    assert sorted(loaded & {"alembic", "mako", "pygments", "openpyxl", "segno"}) == []
    if not ON_POSTGRES:
        assert "psycopg" not in loaded  # only `backup`/`restore` on PostgreSQL need it


def test_a_worker_loads_numpy_argon2_and_the_spreadsheet_codec_only_when_a_request_needs_them(databases):
    """Idle memory of a worker (issue 14): what only ranking, passwords or a matrix file need waits for them."""
    url = databases.new_url()
    engine = create_db_engine(url)
    prepare_database(engine, seed=True)
    engine.dispose()
    serve = (
        "import optionsmatrix.cli\n"
        "from fastapi.testclient import TestClient\n"
        "from optionsmatrix.app import create_app_from_env\n"
        "with TestClient(create_app_from_env()) as client:\n"
        "    assert client.get('/api/v1/health').status_code == 200\n"
        "    assert client.get('/').status_code == 200\n"
    )
    waiting = {"numpy._core", "argon2", "optionsmatrix.services.spreadsheet"}
    if not ON_POSTGRES:
        waiting.add("sqlalchemy.dialects.postgresql")  # models.py: declared only on PostgreSQL

    idle = _module_names_after(serve, env={"OPTIONSMATRIX_DATABASE_URL": url})
    busy = _module_names_after(
        serve
        + "    matrix = client.get('/api/v1/matrices').json()['items'][0]\n"
        + "    assert client.get(f\"/matrices/{matrix['id']}\").status_code == 200\n"  # the page ranks the case study
        + "    login = client.post('/api/v1/auth/login', json={'email': 'a@b.org', 'password': 'not this one'})\n"
        + "    assert login.status_code == 401\n"
        + "    assert client.get(f\"/matrices/{matrix['id']}/export?format=csv\").status_code == 200\n",
        env={"OPTIONSMATRIX_DATABASE_URL": url},
    )

    assert "optionsmatrix" in idle
    assert sorted(idle & waiting) == []
    assert waiting - {"sqlalchemy.dialects.postgresql"} <= busy
