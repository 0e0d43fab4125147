"""Dependencies shared by the API routers: the database session, the caller, lookups.

The API authenticates by bearer token only, never by the browser's cookie, so
cross-site request forgery cannot reach it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from optionsmatrix.access import (
    ANONYMOUS,
    Actor,
    NotAuthenticated,
    check_editable,
    check_readable,
)
from optionsmatrix.models import Instructor, Matrix
from optionsmatrix.services import tokens
from optionsmatrix.services.matrices import get_matrix

# Ids are 32-bit integers in both databases; a larger one cannot exist, and
# passing it through would overflow PostgreSQL's integer type.
MAX_ID = 2**31 - 1


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for one request, once the request is admitted (see db.AdmissionGate).

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

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/tokens or /api/v1/auth/login")


def api_actor(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """Anonymous without a token; a wrong, expired or revoked token is refused, not ignored.

    So is an Authorization header that carries no bearer token ("Bearer" and
    nothing, another scheme, the bare secret): the caller meant to send
    credentials, and reading on as anonymous would only show them less.
    """
    if credentials is None:
        if "authorization" in request.headers:
            raise NotAuthenticated("send the token as 'Authorization: Bearer <token>'")
        return ANONYMOUS
    instructor = tokens.resolve(session, secret=credentials.credentials, kinds=tokens.BEARER_KINDS)
    if instructor is None:
        raise NotAuthenticated("the bearer token is unknown, expired or revoked")
    return Actor(instructor)


ActorDep = Annotated[Actor, Depends(api_actor)]
# For routes anyone may call (`openapi_extra=`): FastAPI lists the bearer token
# as required because of `api_actor`, and appends this empty alternative to it,
# so the schema says what the route does: a token, or none at all.
TOKEN_OPTIONAL = {"security": [{}]}


def require_instructor(actor: ActorDep) -> Instructor:
    """Every write goes through here: no token, no write."""
    return actor.require_instructor()


InstructorDep = Annotated[Instructor, Depends(require_instructor)]
_DIGITS = re.compile(r"[0-9]+")


def _plain_digits(value: object) -> object:
    """An id in a path is ASCII digits and nothing else.

    Pydantic's lax int parsing would also read "1_0" (as 10), "+1", " 1",
    "1.0" and "\\n1", so one resource would answer at many addresses.
    """
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError("int_parsing", "Input should be a valid integer, unable to parse string as an integer")
    return value


# The digit check goes after Path, so that the schema still states the bounds.
MatrixId = Annotated[int, Path(ge=1, le=MAX_ID, description="The matrix's id"), BeforeValidator(_plain_digits)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID), BeforeValidator(_plain_digits)]


def readable_matrix(matrix_id: MatrixId, session: SessionDep, actor: ActorDep) -> Matrix:
    return check_readable(actor, get_matrix(session, matrix_id=matrix_id))


def writable_matrix(matrix_id: MatrixId, session: SessionDep, actor: ActorDep, _: InstructorDep) -> Matrix:
    """Checked, not locked: the service that writes locks the matrix in the same call that commits."""
    return check_editable(actor, get_matrix(session, matrix_id=matrix_id))


ReadableMatrix = Annotated[Matrix, Depends(readable_matrix)]
WritableMatrix = Annotated[Matrix, Depends(writable_matrix)]
