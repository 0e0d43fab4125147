"""/api/v1/matrices/{id}/scores — the owner's own scores of a matrix, replaced as a whole."""

from __future__ import annotations

from optionsmatrix.api.deps import IfMatch, WritableMatrix
from optionsmatrix.api.responses import (
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
from optionsmatrix.schemas.matrices import MatrixPublic
from optionsmatrix.schemas.scores import MatrixScores
from optionsmatrix.services import matrix_scores

router = api_router(prefix="/matrices", tags=["matrices"])

BAD_SCORES = {
    422: {
        **UNPROCESSABLE[422],
        "description": "An id that is not one of this matrix's options or criteria, a score outside its criterion's "
        "scale, or a value that is not a finite number; `loc` is the cell (`[\"body\", \"<option id>\", "
        "\"<criterion id>\"]`) and nothing is stored.",
        "content": {
            "application/json": {
                "example": {
                    "detail": [
                        {"loc": ["body", "11", "21"], "msg": "'Cost' is scored from 1 to 5; got 7",
                         "type": "value_error"},
                        {"loc": ["body", "99"], "msg": "this matrix has no option with id 99", "type": "value_error"},
                    ]
                }
            }
        },
    }
}  # fmt: skip


@router.put(
    "/{matrix_id}/scores",
    response_model=MatrixPublic,
    summary="Replace the matrix's own scores",
    responses=responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, STALE_VERSION, TOO_LARGE, BAD_SCORES),
)
def replace_scores(
    scores: MatrixScores, matrix: WritableMatrix, session: SessionDep, if_match: IfMatch = None
) -> MatrixPublic:
    """Store these scores as the matrix's own, replacing all it had: every reader's scoring grid opens with them.

    The body is the map `GET` returns, option id → criterion id → score on that criterion's scale; `null`, or a
    cell left out, is not scored, and `{}` clears them all. Owner (or admin) only. Bumps `version`; send the one
    you last saw as `If-Match` to be refused (409) instead of overwriting someone else's change.
    """
    updated = matrix_scores.replace_scores(session, matrix=matrix, scores=scores.root, expected_version=if_match)
    return MatrixPublic.model_validate(updated, from_attributes=True)
