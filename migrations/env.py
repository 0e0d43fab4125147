"""Alembic environment: the same URL and metadata as the app.

Run programmatically by `optionsmatrix.core.migrate` (which hands over a connection
that already holds the migration lock), or from the command line with
`alembic -c migrations/alembic.ini upgrade head`, which reads
OPTIONSMATRIX_DATABASE_URL like the app does.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.models import metadata
from optionsmatrix.settings import DEFAULT_DATABASE_URL

config = context.config


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ.get(
        "OPTIONSMATRIX_DATABASE_URL", DEFAULT_DATABASE_URL
    )
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                from optionsmatrix.core.migrate import sqlite_foreign_keys_off

                with sqlite_foreign_keys_off(connection):
                    _configure_and_run(connection)
                    connection.commit()
            else:
                _configure_and_run(connection)
                connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
