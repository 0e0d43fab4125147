"""Back up the whole database to one file, and restore such a file into a database.

SQLite: SQLite's online backup API copies a consistent snapshot while the
server keeps serving (in WAL mode the copy's read never blocks a writer), and
restoring replaces the target's pages in one transaction. The backup is
itself an SQLite database, self-contained (journal mode DELETE).

PostgreSQL: `pg_dump -Fc` of the app's schema. Restoring feeds
`pg_restore`'s script to `psql --single-transaction`, so a restore lands
whole or not at all. The connection's password travels in PGPASSWORD, never
in a command line that `ps` shows.

A backup is first written beside FILE and then renamed, so FILE is never
half a backup. A restore checks the file before touching anything, refuses
a database that holds data unless forced, and migrates a backup made by an
older version to the current schema.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from optionsmatrix.core import migrate, pg_tools
from optionsmatrix.core.db import create_db_engine, normalize_database_url

Kind = Literal["sqlite", "postgresql"]
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# What a restore reports, and what makes a database "hold data".
COUNTED_TABLES = ("matrix", "seminar_session", "participant", "ballot")
_BOOKKEEPING = {"alembic_version"}


class NotABackup(Exception):
    """The file is not a backup this version can restore here; nothing was changed."""


class BackupFailed(Exception):
    """The backup or restore could not be done (a missing tool, an unreachable database); nothing was changed."""


class RestoreRefused(Exception):
    """The target holds data and the restore was not forced; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    kind: Kind
    revision: str
    schema: str | None = None  # PostgreSQL: the schema the backup holds


@dataclass(frozen=True)
class DatabaseState:
    tables: tuple[str, ...]  # the tables there now
    holds_data: bool
    revision: str | None


@dataclass(frozen=True)
class RestorePlan:
    file: Path
    backup: BackupInfo
    database_url: str
    target: DatabaseState
    head: str

    def describe(self) -> str:
        where = make_url(self.database_url).render_as_string(hide_password=True)
        made = f"{'a PostgreSQL' if self.backup.kind == 'postgresql' else 'an SQLite'} backup at schema revision " \
               f"{self.backup.revision}"  # fmt: skip
        lines = [f"{self.file} is {made}."]
        if self.target.holds_data:
            lines.append(f"Restoring replaces everything in {where}, which holds data now.")
        elif self.target.tables:
            lines.append(f"Restoring fills {where}, which has tables but no data; they are replaced.")
        else:
            lines.append(f"Restoring fills {where}, which is empty.")
        if self.backup.revision != self.head:
            lines.append(f"Then the schema is migrated from revision {self.backup.revision} to {self.head}.")
        return "\n".join(lines)


# Checking a file ---------------------------------------------------------------------


def inspect_backup(file: Path) -> BackupInfo:
    """What kind of backup `file` is and which schema revision it holds; NotABackup if it is none we can restore."""
    try:
        with open(file, "rb") as handle:
            start = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise NotABackup(f"{file}: no such file") from None
    except IsADirectoryError:
        raise NotABackup(f"{file}: it is a directory") from None
    except OSError as error:
        raise NotABackup(f"{file}: cannot read it ({error.strerror or error})") from None
    if start.startswith(SQLITE_MAGIC):
        info = _inspect_sqlite(file)
    elif start.startswith(PG_DUMP_MAGIC):
        info = _inspect_pg_dump(file)
    else:
        raise NotABackup(
            f"{file} is not an optionsmatrix backup: it is neither an SQLite database nor a pg_dump archive"
        )
    _check_known_revision(file, info.revision)
    return info


def _check_known_revision(file: Path, revision: str) -> None:
    try:
        known = revision != "" and ScriptDirectory.from_config(migrate.alembic_config()).get_revision(revision)
    except CommandError:
        known = False
    if not revision:
        raise NotABackup(f"{file} records no schema revision: it is not a backup made by optionsmatrix")
    if not known:
        raise NotABackup(
            f"{file} was made at schema revision '{revision}', which this version of optionsmatrix does not know "
            f"(it knows up to {migrate.head_revision()}): restore it with the version that made it, or a newer one"
        )


def _inspect_sqlite(file: Path) -> BackupInfo:
    try:
        with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise NotABackup(f"{file} is a damaged SQLite database: {check}")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "matrix"} <= tables:
                raise NotABackup(f"{file} is an SQLite database, but not one of optionsmatrix")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise NotABackup(f"{file} cannot be read as an SQLite database: {error}") from None
    return BackupInfo(kind="sqlite", revision=row[0] if row else "")


_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", re.MULTILINE)


def _inspect_pg_dump(file: Path) -> BackupInfo:
    tools = _tools()
    listing = _run([tools.pg_restore, "--list", str(file)], problem=NotABackup, what=f"{file} cannot be read")
    schemas = {schema for schema, table in _TOC_TABLE.findall(listing) if table == "alembic_version"}
    if len(schemas) != 1 or (next(iter(schemas)), "matrix") not in set(_TOC_TABLE.findall(listing)):
        raise NotABackup(f"{file} is a pg_dump archive, but not a backup of optionsmatrix")
    schema = schemas.pop()
    script = _run(
        [tools.pg_restore, "--data-only", f"--schema={schema}", "--table=alembic_version", "--file=-", str(file)],
        problem=NotABackup, what=f"{file} cannot be read",
    )  # fmt: skip
    match = re.search(r"^COPY \S+ \(version_num\) FROM stdin;\n([^\n\\]+)\n", script, re.MULTILINE)
    return BackupInfo(kind="postgresql", revision=match.group(1) if match else "", schema=schema)


# The database --------------------------------------------------------------------------


def backend_of_url(url: str) -> Kind:
    return "postgresql" if make_url(normalize_database_url(url)).get_backend_name() == "postgresql" else "sqlite"


def database_state(url: str) -> DatabaseState:
    if backend_of_url(url) == "sqlite" and not _sqlite_path(url).exists():
        return DatabaseState(tables=(), holds_data=False, revision=None)
    with _engine(url) as engine, engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            names = connection.execute(
                text("SELECT table_name FROM information_schema.tables "
                     "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
            ).scalars().all()  # fmt: skip
        else:
            names = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            ).scalars().all()
        holds_data = any(
            connection.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')).scalar()
            for name in names
            if name not in _BOOKKEEPING
        )
        revision = None
        if "alembic_version" in names:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return DatabaseState(tables=tuple(names), holds_data=holds_data, revision=revision)


def count_rows(url: str) -> dict[str, int]:
    """How many matrices, sessions, participants and ballots the database holds (0 for a table that an
    older schema does not have yet)."""
    with _engine(url) as engine, engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return {
            name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() if name in present else 0
            for name in COUNTED_TABLES
        }


@contextmanager
def _engine(url: str) -> Iterator[Engine]:
    engine = create_db_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _sqlite_path(url: str) -> Path:
    database = make_url(normalize_database_url(url)).database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory SQLite database has nothing to back up or restore into: give a file")
    return Path(database)


# Backing up ----------------------------------------------------------------------------


def backup(url: str, file: Path) -> BackupInfo:
    """Write a backup of the database at `url` to `file` (replacing it), safely while the server runs."""
    partial = file.with_name(f".{file.name}.{os.getpid()}.partial")
    try:
        if backend_of_url(url) == "sqlite":
            _backup_sqlite(_sqlite_path(url), partial)
        else:
            _backup_postgresql(url, partial)
        info = inspect_backup(partial)  # the copy reads back as a backup, or FILE is left as it was
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    return info


def _backup_sqlite(database: Path, partial: Path) -> None:
    if not database.is_file():
        raise BackupFailed(f"there is no SQLite database at {database}")
    # mode=rw: never create an empty database where one was expected.
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    try:
        with closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.Error as error:
        raise BackupFailed(f"cannot back up {database}: {error}") from None
    finally:
        source.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())


def _backup_postgresql(url: str, partial: Path) -> None:
    tools = _tools()
    conninfo, env = pg_tools.libpq_connection(url)
    with _engine(url) as engine, engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
    if schema is None:
        raise BackupFailed("the database URL's search_path names no schema that exists: nothing to back up")
    _run(
        [tools.pg_dump, "--format=custom", f"--schema={schema}", f"--file={partial}", f"--dbname={conninfo}"],
        env=env, problem=BackupFailed, what="pg_dump failed",
    )  # fmt: skip


# Restoring -----------------------------------------------------------------------------


def plan_restore(url: str, file: Path) -> RestorePlan:
    """Check `file` and the target; raises NotABackup (bad file, wrong back end) before anything changes."""
    info = inspect_backup(file)
    target = backend_of_url(url)
    if info.kind != target:
        raise NotABackup(
            f"{file} is a backup of {'an SQLite' if info.kind == 'sqlite' else 'a PostgreSQL'} database, and the "
            f"database to restore into is {'SQLite' if target == 'sqlite' else 'PostgreSQL'}: restore it into "
            "the back end it came from (to move matrices between back ends, use export and import)"
        )
    if info.kind == "postgresql":
        schema = _target_schema(url)
        if schema != info.schema:
            raise NotABackup(
                f"{file} holds the schema '{info.schema}', and the database URL works in '{schema}': "
                f"restore into a database whose search_path starts with '{info.schema}'"
            )
    return RestorePlan(
        file=file, backup=info, database_url=url, target=database_state(url), head=migrate.head_revision()
    )


def restore(plan: RestorePlan, *, force: bool = False, admin_email: str | None = None) -> dict[str, int]:
    """Replace the target's contents with the backup's, migrate to head, and count what is there now."""
    if plan.target.holds_data and not force:
        raise RestoreRefused("the database holds data; restoring would replace it (use --force to do so)")
    if plan.backup.kind == "sqlite":
        _restore_sqlite(plan.file, _sqlite_path(plan.database_url))
    else:
        _restore_postgresql(plan)
    with _engine(plan.database_url) as engine:
        if migrate.current_revision(engine) != plan.head:
            migrate.upgrade(engine, admin_email=admin_email)
    return count_rows(plan.database_url)


def _restore_sqlite(file: Path, database: Path) -> None:
    if not database.parent.is_dir():
        raise BackupFailed(f"cannot restore into {database}: the folder {database.parent} does not exist")
    try:
        with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(database, timeout=30)) as target:  # fmt: skip
            source.backup(target)  # one transaction on the target: all pages or none
    except sqlite3.Error as error:
        raise BackupFailed(f"cannot restore into {database}: {error}") from None


def _target_schema(url: str) -> str | None:
    with _engine(url) as engine, engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        if schema is None:  # the search_path names a schema not made yet: the restore makes it
            path = connection.execute(text("SHOW search_path")).scalar() or ""
            schema = path.split(",")[0].strip().strip('"') or None
    return schema


def _restore_postgresql(plan: RestorePlan) -> None:
    tools = _tools()
    conninfo, env = pg_tools.libpq_connection(plan.database_url)
    schema = plan.backup.schema or "public"
    listing = _run([tools.pg_restore, "--list", str(plan.file)], problem=NotABackup, what=f"{plan.file} cannot be read")
    # The schema itself may exist already (public always does): make it if need be, not from the archive.
    wanted = "\n".join(
        f";{line}" if re.match(rf"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA ){re.escape(schema)} ", line) else line
        for line in listing.splitlines()
    )
    # What the target holds now goes in the same transaction as the restore, so a failure changes nothing.
    drops = f"DROP TABLE IF EXISTS {', '.join(f'{_quoted(schema)}.{_quoted(t)}' for t in plan.target.tables)} CASCADE;"
    preamble = f"CREATE SCHEMA IF NOT EXISTS {_quoted(schema)};" + (drops if plan.target.tables else "")
    with tempfile.NamedTemporaryFile("w", suffix=".list") as use_list, tempfile.TemporaryFile() as script_errors:
        use_list.write(wanted)
        use_list.flush()
        try:
            with subprocess.Popen(
                [tools.pg_restore, "--no-owner", "--no-acl", f"--use-list={use_list.name}", "--file=-", str(plan.file)],
                stdout=subprocess.PIPE, stderr=script_errors,
            ) as script:  # fmt: skip
                applied = subprocess.run(
                    [tools.psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
                     f"--command={preamble}", "--file=-", f"--dbname={conninfo}"],
                    stdin=script.stdout, capture_output=True, env=env, timeout=pg_tools.TOOL_TIMEOUT, check=False,
                )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            raise BackupFailed(f"the restore could not run to the end, nothing was changed: {error}") from None
        script_errors.seek(0)
        script_problem = script_errors.read().decode(errors="replace").strip()
    if applied.returncode != 0:  # first: when psql fails, pg_restore fails too, writing to nobody
        problem = applied.stderr.decode(errors="replace").strip()
        raise BackupFailed(f"the restore failed, nothing was changed: {problem}")
    if script.returncode != 0:
        raise BackupFailed(f"pg_restore failed, nothing was changed: {script_problem}")


def _quoted(identifier: str) -> str:
    return '"{}"'.format(identifier.replace('"', '""'))


def _tools() -> pg_tools.PostgresqlTools:
    try:
        return pg_tools.postgresql_tools()
    except pg_tools.ToolFailed as missing:
        raise BackupFailed(str(missing)) from None


def _run(command: list[str], *, problem: type[Exception], what: str, env: dict[str, str] | None = None) -> str:
    try:
        return pg_tools.run(command, env=env)
    except pg_tools.ToolFailed as failure:
        raise problem(f"{what}: {failure}") from None
