"""Dependencies shared by the API routers: the database session, the caller, lookups."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlmodel import Session

from optionsmatrix.models import Matrix
from optionsmatrix.services.matrices import get_matrix

# Ids are 32-bit integers in both databases; a larger one cannot exist, and
# passing it through would overflow PostgreSQL's integer type.
MAX_ID = 2**31 - 1


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True)
class Caller:
    """Who is making a write. The access-control layer fills this in from the bearer token."""

    token: str | None


def require_writer(
    authorization: Annotated[str | None, Header(description="`Bearer <token>`")] = None,
) -> Caller:
    """Every write goes through here, so access control has exactly one place to live."""
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip() or None
    return Caller(token=token)


WriterDep = Annotated[Caller, Depends(require_writer)]
MatrixId = Annotated[int, Path(ge=1, le=MAX_ID, description="The matrix's id")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def readable_matrix(matrix_id: MatrixId, session: SessionDep) -> Matrix:
    return get_matrix(session, matrix_id=matrix_id)


def writable_matrix(matrix_id: MatrixId, session: SessionDep, _writer: WriterDep) -> Matrix:
    return get_matrix(session, matrix_id=matrix_id)


ReadableMatrix = Annotated[Matrix, Depends(readable_matrix)]
WritableMatrix = Annotated[Matrix, Depends(writable_matrix)]
