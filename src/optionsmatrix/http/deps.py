"""Dependencies both HTTP surfaces use: the database session, ids in paths, the client's address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from optionsmatrix.schemas.matrices import QueryWhole

# Ids are 32-bit integers in both databases; a larger one cannot exist, and
# passing it through would overflow PostgreSQL's integer type.
MAX_ID = 2**31 - 1


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for one request, once the request is admitted (see core.db.AdmissionGate).

    Async, so that waiting for admission holds no thread; closing returns the
    connection to the pool in a thread, as it may talk to the database.
    """
    async with request.app.state.admission.admit(reading=request.method in ("GET", "HEAD")):
        session = Session(request.app.state.engine, expire_on_commit=False)
        try:
            yield session
        finally:
            await run_in_threadpool(session.close)


SessionDep = Annotated[Session, Depends(get_session)]


def path_id(description: str) -> Any:  # noqa: ANN401 (a type, built at import)
    """An id in a path: plain decimal digits (not "1_0" or " 1"), 1 to MAX_ID."""
    return Annotated[int, Path(ge=1, le=MAX_ID, description=description), QueryWhole]


def client_address(request: Request) -> str:
    """Who is asking, for rate limits: the peer address (or the proxy's forwarded one, when trusted)."""
    return request.client.host if request.client else "unknown"
