"""/api/v1/tokens — the caller's own API tokens."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Response, status

from optionsmatrix.api.deps import InstructorDep
from optionsmatrix.api.routing import api_router
from optionsmatrix.http.deps import SessionDep, path_id

TokenId = path_id("The token's id")
from optionsmatrix.api.responses import TOKEN_NOT_FOUND, TOO_LARGE, UNAUTHENTICATED, UNPROCESSABLE, responses
from optionsmatrix.models import TokenKind
from optionsmatrix.schemas.matrices import TokenCreate, TokenCreated, TokenPublic
from optionsmatrix.services import tokens

router = api_router(prefix="/tokens", tags=["access"])


@router.get("", response_model=list[TokenPublic], responses=UNAUTHENTICATED)
def list_tokens(session: SessionDep, instructor: InstructorDep) -> list[TokenPublic]:
    """Your API tokens, newest first, with when each was last used and when it expires."""
    return [
        TokenPublic.model_validate(t, from_attributes=True)
        for t in tokens.list_api_tokens(session, instructor=instructor)
    ]


@router.post(
    "",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UNAUTHENTICATED, TOO_LARGE, UNPROCESSABLE),
)
def create_token(data: TokenCreate, session: SessionDep, instructor: InstructorDep) -> TokenCreated:
    """A new token; `token` in the answer is the only time the secret is shown."""
    lifetime = timedelta(days=data.expires_days) if data.expires_days is not None else None
    issued = tokens.issue(session, instructor=instructor, kind=TokenKind.API, name=data.name, lifetime=lifetime)
    return TokenCreated(
        **TokenPublic.model_validate(issued.token, from_attributes=True).model_dump(), token=issued.secret
    )


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(UNAUTHENTICATED, TOKEN_NOT_FOUND, UNPROCESSABLE),
)
def revoke_token(token_id: TokenId, session: SessionDep, instructor: InstructorDep) -> Response:
    tokens.revoke_api_token(session, instructor=instructor, token_id=token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
