"""PostgreSQL's client tools (pg_dump, pg_restore, psql): where they are, and how to connect them.

The password travels in PGPASSWORD, never in a command line that `ps` shows
to every user of the machine.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from optionsmatrix.core.db import normalize_database_url

TOOL_TIMEOUT = 3600  # seconds: a dump of a large database takes a while; a hung one must still end


class ToolFailed(Exception):
    """A tool is missing, could not run, or exited with an error; the message says which and why."""


@dataclass(frozen=True)
class PostgresqlTools:
    pg_dump: str
    pg_restore: str
    psql: str


def postgresql_tools() -> PostgresqlTools:
    """All three from one place: the PATH, else the newest /usr/lib/postgresql/*/bin (Debian's layout)."""
    names = ("pg_dump", "pg_restore", "psql")
    found = [shutil.which(name) for name in names]
    if all(found):
        return PostgresqlTools(*found)  # type: ignore[arg-type]
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_of, reverse=True):
        paths = [os.path.join(folder, name) for name in names]
        if all(os.access(path, os.X_OK) for path in paths):
            return PostgresqlTools(*paths)
    raise ToolFailed(
        "PostgreSQL's client tools (pg_dump, pg_restore, psql) are not on the PATH nor in /usr/lib/postgresql/*/bin: "
        "install them (Debian/Ubuntu: apt install postgresql-client), in a version at least the server's"
    )


def _version_of(folder: str) -> tuple[int, ...]:
    return tuple(int(d) for d in re.findall(r"\d+", Path(folder).parent.name))


def libpq_connection(url: str) -> tuple[str, dict[str, str]]:
    """The connection string for libpq's tools, without the password, and the environment carrying it."""
    parsed = make_url(normalize_database_url(url))
    params: dict[str, object] = {
        "host": parsed.host, "port": parsed.port, "user": parsed.username, "dbname": parsed.database,
    }  # fmt: skip
    for key, value in parsed.query.items():  # sslmode, options (a search_path), ...: libpq's own keywords
        params[key] = value if isinstance(value, str) else value[-1]
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def run(command: list[str], *, env: dict[str, str] | None = None) -> str:
    """Run a tool to the end and return what it printed; ToolFailed with its own message if it fails."""
    name = Path(command[0]).name
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=TOOL_TIMEOUT, check=False)
    except OSError as error:
        raise ToolFailed(f"cannot run {name}: {error}") from None
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"{name} did not finish within {TOOL_TIMEOUT} s") from None
    if done.returncode != 0:
        raise ToolFailed(done.stderr.decode(errors="replace").strip().replace(f"{name}: ", ""))
    return done.stdout.decode(errors="replace")
