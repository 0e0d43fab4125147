"""Bring a database to the newest schema, safely from several workers at once.

Every worker runs this on start. PostgreSQL serialises them with an advisory
lock; SQLite with an exclusive lock on a file beside the database. Whoever gets
the lock first migrates; the rest find the schema at head and do nothing.

Alembic is imported only when there is something to migrate: a worker that
finds the database at the shipped head (read with one SELECT against the
revisions named in migrations/versions) never loads it, which keeps about
11 MiB out of every worker.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine

from optionsmatrix.core.resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

# An arbitrary constant that names "optionsmatrix schema migration" among
# advisory locks in the PostgreSQL cluster.
PG_MIGRATION_LOCK_KEY = 0x6F6D_6D69


def alembic_config(connection: Connection | None = None, **attributes: object) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    config.attributes.update(attributes)
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()  # type: ignore[return-value]


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(
    engine: Engine,
    revision: str = "head",
    *,
    then: Callable[[Connection], None] | None = None,
    admin_email: str | None = None,
) -> None:
    """Migrate to `revision` under the cross-process lock; run `then` while still holding it.

    `admin_email` names the admin that a revision creating accounts gives
    existing matrices to.
    """
    with _migration_lock(engine) as connection:
        if revision != "head" or not _at_shipped_head(connection):
            from alembic import command

            command.upgrade(alembic_config(connection, admin_email=admin_email), revision)
            connection.commit()
        if then is not None:
            then(connection)
            connection.commit()


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with _migration_lock(engine) as connection:
        command.downgrade(alembic_config(connection), revision)
        connection.commit()


_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.M)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


@cache
def shipped_heads() -> frozenset[str] | None:
    """The head revisions of migrations/versions, read from the files' text; None when any file is unclear.

    Only the cheap "nothing to do" check relies on this; anything unclear
    falls back to Alembic, which reads the same files properly.
    """
    revisions, parents = set(), set()
    for path in Path(migrations_dir(), "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision[1])
        parents.update(_QUOTED.findall(down[1]))
    heads = frozenset(revisions - parents)
    return heads or None


def at_head(engine: Engine) -> bool:
    """Whether the database holds the schema these migrations end at: one read, no lock, no Alembic."""
    with engine.connect() as connection:
        return _at_shipped_head(connection)


def _at_shipped_head(connection: Connection) -> bool:
    heads = shipped_heads()
    if heads is None:
        return False
    stored = None
    if inspect(connection).has_table("alembic_version"):
        stored = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    connection.commit()  # end the read, so that Alembic (if it runs next) starts its own transaction
    return stored == heads


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_MIGRATION_LOCK_KEY})
                connection.commit()
        return
    with _sqlite_file_lock(engine), engine.connect() as connection, sqlite_foreign_keys_off(connection):
        yield connection


@contextmanager
def sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Batch migrations rebuild a table by copying it and dropping the original;
    with foreign keys on, that drop cascades and deletes every child row.
    SQLite ignores this pragma inside a transaction, so it is set first."""
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        connection.rollback()
        violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if violations:
            raise RuntimeError(f"the migration left rows pointing at missing parents: {violations[:5]}")


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # a private in-memory database has no other workers to race
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
