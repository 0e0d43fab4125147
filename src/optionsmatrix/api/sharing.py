"""/api/v1/matrices/{id}/share-link and /api/v1/shared/{secret}: a revocable read-only link to a matrix.

Making a matrix public or private is a PATCH of the matrix (`is_public`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request, Response, status

from optionsmatrix.api.deps import WritableMatrix
from optionsmatrix.api.responses import (
    MATRIX_NOT_FOUND,
    READ_ONLY,
    SHARE_LINK_NOT_FOUND,
    SHARED_NOT_FOUND,
    UNAUTHENTICATED,
    UNPROCESSABLE,
    responses,
)
from optionsmatrix.api.routing import api_router
from optionsmatrix.errors import NotFound
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.models import ShareLink
from optionsmatrix.schemas.matrices import MatrixPublic, ShareLinkPublic
from optionsmatrix.services import sharing

router = api_router(tags=["sharing"])

OWNER_ONLY = responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, UNPROCESSABLE)
# The page's route name (web/sharing.py); the API names it without importing the web layer.
SHARED_PAGE = "shared_page"


def _public(request: Request, link: ShareLink) -> ShareLinkPublic:
    return ShareLinkPublic(url=str(request.url_for(SHARED_PAGE, secret=link.secret)), created_at=link.created_at)


@router.post(
    "/matrices/{matrix_id}/share-link",
    response_model=ShareLinkPublic,
    status_code=status.HTTP_201_CREATED,
    responses=OWNER_ONLY,
)
def create_share_link(request: Request, matrix: WritableMatrix, session: SessionDep) -> ShareLinkPublic:
    """A new read-only link for people without an account; any earlier link stops working."""
    return _public(request, sharing.create_link(session, matrix=matrix))


@router.get(
    "/matrices/{matrix_id}/share-link",
    response_model=ShareLinkPublic,
    responses=responses(OWNER_ONLY, SHARE_LINK_NOT_FOUND),
)
def read_share_link(request: Request, matrix: WritableMatrix, session: SessionDep) -> ShareLinkPublic:
    """The current link (only its owner and admins may see it), or 404 when there is none."""
    link = sharing.current_link(session, matrix=matrix)
    if link is None:
        raise NotFound("Share link of matrix", matrix.id)
    return _public(request, link)


@router.delete(
    "/matrices/{matrix_id}/share-link",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(OWNER_ONLY, SHARE_LINK_NOT_FOUND),
)
def delete_share_link(matrix: WritableMatrix, session: SessionDep) -> Response:
    """Revoke the link: it answers 404 from now on."""
    sharing.revoke_link(session, matrix=matrix)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/shared/{secret}",
    response_model=MatrixPublic,
    responses=SHARED_NOT_FOUND,
)
def read_shared_matrix(
    secret: Annotated[str, Path(description="The secret part of a share link")], session: SessionDep
) -> MatrixPublic:
    """The matrix behind a share link, as GET /matrices/{id} gives it; reads no token (the link is the key)."""
    return MatrixPublic.model_validate(sharing.shared_matrix(session, secret=secret), from_attributes=True)
