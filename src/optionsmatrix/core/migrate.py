"""Bring a database to the newest schema, safely from several workers at once.

Every worker runs this on start. PostgreSQL serialises them with an advisory
lock; SQLite with an exclusive lock on a file beside the database. Whoever gets
the lock first migrates; the rest find the schema at head and do nothing.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

from optionsmatrix.core.resources import migrations_dir

# An arbitrary constant that names "optionsmatrix schema migration" among
# advisory locks in the PostgreSQL cluster.
PG_MIGRATION_LOCK_KEY = 0x6F6D_6D69


def alembic_config(connection: Connection | None = None, **attributes: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    config.attributes.update(attributes)
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()  # type: ignore[return-value]


def current_revision(engine: Engine) -> str | None:
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
        command.upgrade(alembic_config(connection, admin_email=admin_email), revision)
        connection.commit()
        if then is not None:
            then(connection)
            connection.commit()


def downgrade(engine: Engine, revision: str) -> None:
    with _migration_lock(engine) as connection:
        command.downgrade(alembic_config(connection), revision)
        connection.commit()


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
