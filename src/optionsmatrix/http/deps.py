"""Dependencies both HTTP surfaces use: the database session, ids in paths, the client's address."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Request
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from optionsmatrix.core.db import database_unreachable

T = TypeVar("T")

# Ids are 32-bit integers in both databases; a larger one cannot exist, and
# passing it through would overflow PostgreSQL's integer type.
MAX_ID = 2**31 - 1


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for one request, once the request is admitted (see core.db.AdmissionGate).

    Async, so that waiting for admission holds no thread; closing returns the
    connection to the pool in a thread when it holds one, as that may talk to
    the database.
    """
    async with request.app.state.admission.admit(reading=request.method in ("GET", "HEAD")):
        session = Session(request.app.state.engine, expire_on_commit=False)
        try:
            yield session
        finally:
            if session.in_transaction() and not request.app.state.local_database:
                await run_in_threadpool(_close, session)  # a rollback over the network: not on the event loop
            else:
                # Nothing checked out, or SQLite, whose rollback of a read is a call into a library
                # in this process: a trip to a thread would cost more than the rollback itself.
                _close(session)


def _close(session: Session) -> None:
    """Closing rolls back what the request left open. If the database went away meanwhile, the
    rollback fails; the answer may be on its way already, and the pool has discarded the connection,
    so there is nothing to undo and no one to tell (raising here would cut the client's connection)."""
    try:
        session.close()
    except DBAPIError as error:
        if not database_unreachable(error):
            raise


SessionDep = Annotated[Session, Depends(get_session)]


async def quick_read(request: Request, read: Callable[..., T], *args: Any) -> T:  # noqa: ANN401
    """`read(*args)`: a read of a few microseconds, such as one aggregate row.

    On SQLite that is a call into a library in this process, made where we
    are: the trip to a worker thread and back cost more than the read. Over
    a network (PostgreSQL) it goes to a worker thread, so that the event
    loop never waits on the database.
    """
    if request.app.state.local_database:
        return read(*args)
    return await run_in_threadpool(read, *args)


_DIGITS = re.compile(r"[0-9]+")


def plain_digits(value: object) -> object:
    """An id in a path is ASCII digits and nothing else.

    Pydantic's lax int parsing would also read "1_0" (as 10), "+1", " 1",
    "1.0" and "\\n1", so one resource would answer at many addresses.
    """
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError(
            "int_parsing", "Input should be a valid integer, unable to parse string as an integer"
        )
    return value


class _Digits(StringConvertor):
    """A path segment of digits only: `/sessions/join` is then never read as a session's id."""

    regex = "[0-9]+"


register_url_convertor("digits", _Digits())


def path_id(description: str) -> Any:  # noqa: ANN401 (a type, built at import)
    """An id in a path: plain decimal digits, 1 to MAX_ID. The check goes after Path so the schema keeps the bounds."""
    return Annotated[int, Path(ge=1, le=MAX_ID, description=description), BeforeValidator(plain_digits)]


def client_address(request: Request) -> str:
    """Who is asking, for rate limits: the peer address (or the proxy's forwarded one, when trusted)."""
    return request.client.host if request.client else "unknown"
