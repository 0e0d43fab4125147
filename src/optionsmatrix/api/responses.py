"""The error answers each route documents in the OpenAPI schema, one dict per status.

A route lists every status it can answer, so that clients and schema-driven
fuzzers know a 403 or a 413 is part of the contract, not a bug. Combine them
with `responses(...)`:

    @router.patch("/{matrix_id}", responses=responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, TOO_LARGE))

FastAPI adds a 422 by itself only when no 422 is listed; UNPROCESSABLE
replaces it with the shape our handlers really send (no echoed `input`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from optionsmatrix.limits import MAX_BODY_BYTES


class ErrorMessage(BaseModel):
    detail: str


class FieldProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class FieldProblems(BaseModel):
    detail: list[FieldProblem]


def _message(description: str, example: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "model": ErrorMessage,
        "description": description,
        "content": {"application/json": {"example": {"detail": example}}},
    }
    if headers:
        answer["headers"] = headers
    return answer


_WWW_AUTHENTICATE = {"WWW-Authenticate": {"description": "Always `Bearer`", "schema": {"type": "string"}}}

# Writes, and reading your own tokens: no token at all is refused too.
UNAUTHENTICATED = {
    401: _message(
        "No bearer token, or one that is unknown, expired or revoked",
        "log in, or send 'Authorization: Bearer <token>'",
        _WWW_AUTHENTICATE,
    )
}
# Reads that anyone may make: only a token that does not work is refused.
BAD_TOKEN = {
    401: _message(
        "The bearer token sent is unknown, expired or revoked, or the Authorization header holds no bearer token "
        "(send no Authorization header to read as an anonymous visitor)",
        "the bearer token is unknown, expired or revoked",
        _WWW_AUTHENTICATE,
    )
}
WRONG_PASSWORD = {
    401: _message(
        "The email and password do not match an active account",
        "that email and password do not match an active account",
    )
}
READ_ONLY = {
    403: _message(
        "The matrix is one you may read but not change (a public matrix of someone else's); copy it instead",
        "this matrix is read-only for you; copy it to make changes",
    )
}
MATRIX_NOT_FOUND = {404: _message("No such matrix, or not one you may see", "Matrix 7 not found")}
TOKEN_NOT_FOUND = {404: _message("No such token of yours", "Token 3 not found")}


def item_not_found(singular: str) -> dict[int, dict[str, Any]]:
    """The 404 of a route that looks up a matrix and then one of its options or criteria."""
    return {
        404: _message(
            f"No such matrix (or not one you may see), or no such {singular} in it",
            f"{singular.capitalize()} 12 not found",
        )
    }


TOO_LARGE = {
    413: _message(
        f"The request body is over {MAX_BODY_BYTES // (1024 * 1024)} MiB ({MAX_BODY_BYTES:,} bytes)",
        f"The request is too large: this site accepts at most {MAX_BODY_BYTES // (1024 * 1024)} MiB.",
    )
}
UNPROCESSABLE = {
    422: {
        "model": FieldProblems,
        "description": (
            "A parameter or the body breaks a rule; each entry names the field in `loc` and says why in `msg`"
        ),
        "content": {
            "application/json": {
                "example": {
                    "detail": [
                        {"loc": ["body", "name"], "msg": "Must not be empty or only whitespace.", "type": "value_error"}
                    ]
                }
            }
        },
    }
}
TOO_MANY_ATTEMPTS = {
    429: _message(
        "Too many failed logins for this email from this address, or from this address altogether; wait and retry",
        "too many failed login attempts; try again in 42 seconds",
        {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    )
}


def responses(*parts: dict[int, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Several of the dicts above as one `responses=` argument (later ones win on a shared status)."""
    merged: dict[int | str, dict[str, Any]] = {}
    for part in parts:
        merged.update(part)
    return merged


SESSION_NOT_FOUND = {404: _message("No such session, or not one you take part in or run", "Session 7 not found")}
NOT_THE_INSTRUCTOR = {
    403: _message("Only the session's instructor may do this", "only the session's instructor may do this")
}
NOT_REVEALED = {403: _message("The instructor has not revealed this round's results yet", "not revealed yet")}
SESSION_CONFLICT = {
    409: _message(
        "The session is closed or full, or the ballot changed since the version sent",
        "this session is closed; your ballot can no longer change",
    )
}
BUSY = {
    503: _message(
        "The server is busy; nothing was changed, retry after the seconds given",
        "The server is busy; please try again in a moment.",
        {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    )
}
STALE_VERSION = {
    409: _message(
        "`If-Match` named an older version of the matrix: someone else changed it since; nothing was changed",
        "Someone else changed this matrix; reload to see their change. (you sent version 3; it is now at version 4)",
    )
}
SHARE_LINK_NOT_FOUND = {
    404: _message(
        "No such matrix (or not one you may see), or it has no share link", "Share link of matrix 7 not found"
    )
}
SHARED_NOT_FOUND = {
    404: _message("No matrix is shared under this link (unknown or revoked)", "Shared matrix link not found")
}
