"""Engines, sessions and units of work for the two supported back ends.

SQLite is the embedded default; PostgreSQL (psycopg 3) is the scale-out one.
Both are reached through the same SQLAlchemy code.

How a request uses the database, and why (a worker must keep answering under
a burst of a whole seminar):
- A request holds a pooled connection only while it is admitted (see
  `AdmissionGate`); at most `concurrency` requests (and `reserve` health
  checks) are admitted at once, and the pool holds exactly that many
  connections, so no thread ever waits for a connection, and none is opened
  and closed again per request.
- Every write is one call to `write_transaction`: it takes the write lock,
  does the work and commits in the same thread hop, so a lock is never held
  while its owner waits for a thread.
- Waits are bounded (admission, SQLite write lock, PostgreSQL `lock_timeout`,
  pool checkout) and end in `DatabaseBusy`, a 503 with `Retry-After`, well
  before a client would give up: a request either answers or rolls back,
  never commits after its client was told it failed.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session, create_engine

from optionsmatrix.errors import OptionsMatrixError
from optionsmatrix.models import declare_postgresql_conditions

Backend = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class DatabaseLimits:
    """How much database work one worker admits, and how long anything may wait for it."""

    # Requests doing database work at once; the pool holds as many connections.
    concurrency: int = 10
    # Extra connections for what is admitted apart (the health check, so it
    # answers while every other slot is busy).
    reserve: int = 4
    # Seconds a request may queue for admission before it is answered 503.
    # A read changes nothing, so it may wait longer; a write's whole wait
    # (admission + lock) stays under the 10 s after which clients give up.
    admission_wait: float = 6.0
    read_admission_wait: float = 9.0
    # Seconds a write may wait for the write lock (both back ends) or a row lock.
    lock_wait: float = 3.0


DEFAULT_LIMITS = DatabaseLimits()
CONNECT_TIMEOUT_SECONDS = 3


class DatabaseBusy(OptionsMatrixError):
    """Too much at once: the request did nothing and may simply be retried."""

    status_code = 503
    retry_after_seconds = 1

    def __init__(self, message: str = "The server is busy; please try again in a moment.") -> None:
        super().__init__(message)


def normalize_database_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and pin the driver to psycopg 3.

    SQLAlchemy would otherwise pick psycopg2, which we do not ship.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database URL scheme '{parsed.drivername}': use sqlite:/// or postgresql://")
    return parsed.render_as_string(hide_password=False)


def backend_of(engine: Engine) -> Backend:
    name = engine.dialect.name
    return "postgresql" if name == "postgresql" else "sqlite"


def create_db_engine(url: str, limits: DatabaseLimits = DEFAULT_LIMITS) -> Engine:
    url = normalize_database_url(url)
    # The pool is sized to what one worker admits at once (`AdmissionGate`:
    # `concurrency` requests plus `reserve` health checks), with no overflow:
    # an overflow connection is closed as soon as it is returned, and a pool
    # smaller than the threads using it opened a new PostgreSQL session per
    # request under load (893 in 10 s) and reopened SQLite's WAL as often.
    # Connections open lazily and then stay.
    #
    # PostgreSQL: each worker holds up to `concurrency + reserve` (14 by
    # default) connections, so workers x 14, plus a few for migrations and
    # the CLI, must stay under the server's `max_connections` (100 by
    # default, 3 of them reserved for superusers): six workers at most with
    # the defaults. Lower OPTIONSMATRIX_DB_CONCURRENCY, or raise
    # max_connections, for more; or put PgBouncer (transaction pooling) in front.
    pool = {
        "pool_size": limits.concurrency + limits.reserve,
        "max_overflow": 0,
        # Admission keeps checkouts within the pool; a wait here means something
        # bypassed it, and a prompt 503 beats a 30-second hang.
        "pool_timeout": limits.lock_wait,
    }
    if make_url(url).get_backend_name() == "sqlite":
        busy_ms = int(limits.lock_wait * 1000)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": limits.lock_wait}, **pool)
        event.listen(engine, "connect", lambda connection, _record: _configure_sqlite(connection, busy_ms))
        _SQLITE_WRITE_LOCKS[engine] = _write_lock_for(make_url(url).database or ":memory:")
    else:
        # pre_ping: a connection that died with a server restart is replaced, not
        # handed to a request. recycle: a connection is renewed after 30 minutes
        # (one reconnect per connection per half hour), so server-side settings
        # and a backend's memory do not live for ever, and idle links dropped by
        # a firewall are gone before they are used. connect_timeout: a database that
        # does not answer (a dropped link, a host gone) fails a connection in seconds,
        # not after the operating system's minutes-long TCP timeout.
        timeout = {} if "connect_timeout" in make_url(url).query else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        engine = create_engine(url, pool_pre_ping=True, pool_recycle=1800, connect_args=timeout, **pool)
        lock_ms = int(limits.lock_wait * 1000)
        event.listen(engine, "connect", lambda connection, _record: _configure_postgresql(connection, lock_ms))
        declare_postgresql_conditions()  # the schema as this database holds it (models.py says why here)
    _LOCK_WAIT[engine] = limits.lock_wait
    return engine


def _configure_sqlite(dbapi_connection, busy_ms: int) -> None:  # noqa: ANN001
    # WAL lets readers proceed while a writer commits (several workers);
    # foreign keys are off by default in SQLite and our cascades rely on them.
    # synchronous=NORMAL: in WAL mode a commit no longer waits for the disk to
    # flush (only checkpoints do), which took ~30 ms a write here and capped a
    # seminar's burst at ~30 ballots a second. A committed write still
    # survives the process being killed; only a power cut or OS crash can lose
    # the last moments, never corrupt the database (SQLite's documented
    # guarantee for WAL + NORMAL).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.close()


def _configure_postgresql(dbapi_connection, lock_ms: int) -> None:  # noqa: ANN001
    # A write queued behind a row lock gives up (503) instead of waiting for
    # ever; a transaction left open by a bug cannot pin a connection for long.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {lock_ms}")
        cursor.execute("SET idle_in_transaction_session_timeout = 60000")
    dbapi_connection.autocommit = autocommit


# Units of work ---------------------------------------------------------------------

# One lock per SQLite file in this process: writers take turns here, cheaply,
# instead of polling the file lock (SQLite's busy handler sleeps and retries).
_SQLITE_FILE_LOCKS: dict[str, threading.Lock] = {}
_SQLITE_FILE_LOCKS_GUARD = threading.Lock()
_SQLITE_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_LOCK_WAIT: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def _write_lock_for(database: str) -> threading.Lock:
    with _SQLITE_FILE_LOCKS_GUARD:
        return _SQLITE_FILE_LOCKS.setdefault(database, threading.Lock())


@contextmanager
def write_transaction(session: Session, *, conflict: OptionsMatrixError | None = None) -> Iterator[None]:
    """One write, one transaction: everything inside commits together or not at all.

    Call it from a single synchronous function (one thread hop) and do the
    reads the write depends on inside it. On SQLite it serialises writers in
    this process and begins with `BEGIN IMMEDIATE`, so the reads inside see
    the latest data and the commit cannot fail on a stale snapshot; on
    PostgreSQL, lock the rows you depend on (`SELECT ... FOR UPDATE`).

    A unique-constraint race lost to another worker becomes `conflict`.
    """
    engine = session.get_bind()
    lock = _SQLITE_WRITE_LOCKS.get(engine)  # type: ignore[arg-type]
    if session.in_transaction() and _reads_a_snapshot(session, sqlite=lock is not None):
        session.commit()  # end the read transaction this request has open
    if lock is not None and not lock.acquire(timeout=_LOCK_WAIT.get(engine, DEFAULT_LIMITS.lock_wait)):  # type: ignore[arg-type]
        raise DatabaseBusy()
    try:
        if lock is not None:
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield
            session.commit()
        except IntegrityError as error:
            session.rollback()
            if conflict is None:
                raise
            raise conflict from error
        except BaseException:
            session.rollback()
            raise
    finally:
        if lock is not None:
            lock.release()


def _reads_a_snapshot(session: Session, *, sqlite: bool) -> bool:
    """Whether the request's open transaction must end before its write begins.

    Ending it returns the connection to the pool and takes one again (on
    PostgreSQL a COMMIT and a pre-ping, two round trips), so it is ended only
    when it matters. On PostgreSQL never: at READ COMMITTED every statement
    sees what is committed when it runs, and the write locks what it depends
    on. On SQLite only when the driver really has a transaction open (it
    opens none for plain reads): an open one would pin an old snapshot, and
    `BEGIN IMMEDIATE` cannot be issued inside it.
    """
    if not sqlite:
        return False
    return bool(session.connection().connection.dbapi_connection.in_transaction)  # type: ignore[union-attr]


# Admission -------------------------------------------------------------------------


class AdmissionGate:
    """Bounds how many requests of one worker do database work at once.

    Requests over the bound wait here, on the event loop, holding neither a
    thread nor a connection; one that waits longer than `wait_seconds` gets a
    503 with `Retry-After`. One semaphore per event loop (tests may run
    several loops against one app; a server runs one).
    """

    def __init__(self, limits: DatabaseLimits) -> None:
        self.limit = limits.concurrency
        self.reserve = limits.reserve
        self.write_wait = limits.admission_wait
        self.read_wait = limits.read_admission_wait
        self._semaphores: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[asyncio.Semaphore, asyncio.Semaphore]
        ] = weakref.WeakKeyDictionary()
        self._guard = threading.Lock()

    def _semaphore(self, *, reserved: bool = False) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        pair = self._semaphores.get(loop)
        if pair is None:
            with self._guard:
                pair = self._semaphores.get(loop)
                if pair is None:
                    pair = self._semaphores[loop] = (asyncio.Semaphore(self.limit), asyncio.Semaphore(self.reserve))
        return pair[1] if reserved else pair[0]

    @asynccontextmanager
    async def admit(self, *, reading: bool) -> AsyncIterator[None]:
        """Wait for a slot: a request that only reads may wait longer than one that writes."""
        semaphore = self._semaphore()
        await self._take(semaphore, self.read_wait if reading else self.write_wait)
        try:
            yield
        finally:
            semaphore.release()

    @asynccontextmanager
    async def admit_reserved(self) -> AsyncIterator[None]:
        """A slot of the reserve: for the health check, which must answer while requests fill the others."""
        semaphore = self._semaphore(reserved=True)
        await self._take(semaphore, self.read_wait)
        try:
            yield
        finally:
            semaphore.release()

    @staticmethod
    async def _take(semaphore: asyncio.Semaphore, wait: float) -> None:
        if not semaphore.locked():  # a free slot is taken at once: no timer to arm and cancel
            await semaphore.acquire()
            return
        try:
            async with asyncio.timeout(wait):
                await semaphore.acquire()
        except TimeoutError:
            raise DatabaseBusy() from None


# The database gone ------------------------------------------------------------------


class DatabaseUnavailable(OptionsMatrixError):
    """The database cannot be reached: nothing was done; the pool reconnects by itself once it is back."""

    status_code = 503
    retry_after_seconds = 5

    def __init__(self, message: str = "The database cannot be reached just now; please try again shortly.") -> None:
        super().__init__(message)


# PostgreSQL's SQLSTATEs for a connection that failed or was ended by the
# server (class 08; an administrator's shutdown; a server starting or crashing).
_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")
_SQLITE_UNREACHABLE = {"SQLITE_CANTOPEN", "SQLITE_NOTADB", "SQLITE_IOERR"}


def database_unreachable(error: BaseException) -> bool:
    """Whether `error` says the database could not be reached (as opposed to busy, or a bug of ours)."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True  # SQLAlchemy saw the connection drop; or the driver found it closed
    if not isinstance(error, OperationalError):
        return False
    original = error.orig
    if type(original).__module__.startswith("psycopg"):
        sqlstate = getattr(original, "sqlstate", None)
        # No SQLSTATE: the client never got a server's answer (refused, timed out, cut).
        return sqlstate is None or sqlstate.startswith(_CONNECTION_SQLSTATES)
    return getattr(original, "sqlite_errorname", None) in _SQLITE_UNREACHABLE
