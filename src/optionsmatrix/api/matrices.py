"""/api/v1/matrices — list, create, read, edit, copy, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Response, status
from starlette.convertors import StringConvertor, register_url_convertor

from optionsmatrix.api.deps import (
    TOKEN_OPTIONAL,
    ActorDep,
    IfMatch,
    InstructorDep,
    ReadableMatrix,
    WritableMatrix,
)
from optionsmatrix.api.responses import (
    BAD_TOKEN,
    MATRIX_NOT_FOUND,
    READ_ONLY,
    STALE_VERSION,
    TOO_LARGE,
    UNAUTHENTICATED,
    UNPROCESSABLE,
    responses,
)
from optionsmatrix.api.routing import api_router
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.schemas.matrices import (
    MatrixCopy,
    MatrixCreate,
    MatrixList,
    MatrixPublic,
    MatrixSummary,
    MatrixUpdate,
    QueryWhole,
)
from optionsmatrix.services import matrices

router = api_router(prefix="/matrices", tags=["matrices"])


class _NotImport(StringConvertor):
    """Any path segment but "import", which is POST /matrices/import (api/files.py), not a matrix.

    Without it GET /matrices/import reached the route of one matrix and was a
    422; it is a 405 listing POST. Other segments still reach the route, so
    "abc" stays a 422.
    """

    regex = "(?!import$)[^/]+"


register_url_convertor("not_import", _NotImport())

READ = responses(BAD_TOKEN, MATRIX_NOT_FOUND, UNPROCESSABLE)
CHANGE = responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, STALE_VERSION, TOO_LARGE, UNPROCESSABLE)


@router.get("", response_model=MatrixList, responses=responses(BAD_TOKEN, UNPROCESSABLE), openapi_extra=TOKEN_OPTIONAL)
def list_matrices(
    session: SessionDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=200), QueryWhole] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000), QueryWhole] = 0,
) -> MatrixList:
    """The matrices you may read (anonymous callers: the public ones), newest first, a page at a time."""
    rows, total = matrices.list_matrices(session, actor=actor, limit=limit, offset=offset)
    items = [
        MatrixSummary(**matrix.model_dump(), option_count=options, criterion_count=criteria)
        for matrix, options, criteria in rows
    ]
    return MatrixList(items=items, total=total)


@router.post(
    "",
    response_model=MatrixPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UNAUTHENTICATED, TOO_LARGE, UNPROCESSABLE),
)
def create_matrix(data: MatrixCreate, session: SessionDep, instructor: InstructorDep) -> MatrixPublic:
    """Create a matrix you own, optionally with its options and criteria in one go."""
    return _public(matrices.create_matrix(session, data=data, owner_id=instructor.id))


@router.get("/{matrix_id:not_import}", response_model=MatrixPublic, responses=READ, openapi_extra=TOKEN_OPTIONAL)
def read_matrix(matrix: ReadableMatrix) -> MatrixPublic:
    return _public(matrix)


@router.patch("/{matrix_id:not_import}", response_model=MatrixPublic, responses=CHANGE)
def update_matrix(
    changes: MatrixUpdate, matrix: WritableMatrix, session: SessionDep, if_match: IfMatch = None
) -> MatrixPublic:
    """Change the title, description or source, or make it public or private; omitted fields stay as they are.

    Every change bumps `version`; send the one you last saw as `If-Match` to be told (409) instead of
    overwriting someone else's change.
    """
    return _public(matrices.update_matrix(session, matrix=matrix, changes=changes, expected_version=if_match))


@router.delete(
    "/{matrix_id:not_import}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, UNPROCESSABLE),
)
def delete_matrix(matrix: WritableMatrix, session: SessionDep) -> Response:
    matrices.delete_matrix(session, matrix=matrix)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{matrix_id}/copy",
    response_model=MatrixPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UNAUTHENTICATED, MATRIX_NOT_FOUND, TOO_LARGE, UNPROCESSABLE),  # any readable matrix: no 403
)
def copy_matrix(
    instructor: InstructorDep,  # first: no credentials is a 401 before any lookup
    matrix: ReadableMatrix,
    session: SessionDep,
    data: Annotated[MatrixCopy | None, Body()] = None,
) -> MatrixPublic:
    """An independent copy you own (title defaults to "<title> (copy)"), e.g. to start from the case study."""
    title = data.title if data is not None and "title" in data.model_fields_set else None
    return _public(matrices.copy_matrix(session, matrix=matrix, owner_id=instructor.id, title=title))


def _public(matrix) -> MatrixPublic:  # noqa: ANN001
    return MatrixPublic.model_validate(matrix, from_attributes=True)
