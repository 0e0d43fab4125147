"""Engines and sessions for the two supported back ends.

SQLite is the embedded default; PostgreSQL (psycopg 3) is the scale-out one.
Both are reached through the same SQLAlchemy code.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

Backend = Literal["sqlite", "postgresql"]

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalize_database_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and pin the driver to psycopg 3.

    SQLAlchemy would otherwise pick psycopg2, which we do not ship.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"unsupported database URL scheme '{parsed.drivername}': use sqlite:/// or postgresql://"
        )
    return parsed.render_as_string(hide_password=False)


def backend_of(engine: Engine) -> Backend:
    name = engine.dialect.name
    return "postgresql" if name == "postgresql" else "sqlite"


def create_db_engine(url: str) -> Engine:
    url = normalize_database_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:  # noqa: ANN001
    # WAL lets readers proceed while a writer commits (several workers);
    # foreign keys are off by default in SQLite and our cascades rely on them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
