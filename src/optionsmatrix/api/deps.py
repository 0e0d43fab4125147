"""Dependencies of the API routers: the caller (by bearer token) and matrix lookups.

The API authenticates by bearer token only, never by the browser's cookie, so
cross-site request forgery cannot reach it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import WithJsonSchema

from optionsmatrix.http.deps import SessionDep, path_id
from optionsmatrix.models import Instructor, Matrix
from optionsmatrix.schemas.matrices import VERSION_TAG_PATTERN, VersionTag
from optionsmatrix.services import tokens
from optionsmatrix.services.access import (
    ANONYMOUS,
    Actor,
    NotAuthenticated,
    check_editable,
    check_readable,
)
from optionsmatrix.services.matrices import get_matrix
from optionsmatrix.services.matrix_rows import matrix_row

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


async def require_instructor(actor: ActorDep) -> Instructor:
    """Every write goes through here: no token, no write.

    Async, as it only looks at the caller: a plain function would cost a trip to the thread pool.
    """
    return actor.require_instructor()


InstructorDep = Annotated[Instructor, Depends(require_instructor)]
MatrixId = path_id("The matrix's id")


def readable_matrix(matrix_id: MatrixId, session: SessionDep, actor: ActorDep) -> Matrix:
    return check_readable(actor, get_matrix(session, matrix_id=matrix_id))


def writable_matrix(matrix_id: MatrixId, session: SessionDep, actor: ActorDep, _: InstructorDep) -> Matrix:
    """Checked, not locked: the service that writes locks the matrix in the same call that commits,
    and reads there what the write depends on, so the options and criteria are not loaded here."""
    return check_editable(actor, matrix_row(session, matrix_id=matrix_id))


ReadableMatrix = Annotated[Matrix, Depends(readable_matrix)]
WritableMatrix = Annotated[Matrix, Depends(writable_matrix)]


# The version of the matrix the client last saw (`version` in its responses).
# Optional; a stale one is a 409 and a malformed one a 422, never ignored.
IfMatch = Annotated[
    VersionTag,
    WithJsonSchema({"type": "string", "pattern": VERSION_TAG_PATTERN, "examples": ["7", '"7"', "*"]}),
    Header(
        alias="If-Match",
        description="The matrix's `version` you last saw (7 or \"7\"): the write is refused with 409 if the "
        "matrix changed since. Omit it (or send *) to write regardless.",
    ),
]
