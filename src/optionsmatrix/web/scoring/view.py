"""The "Score it yourself" section of a matrix page: GET only, so it needs no CSRF token; nothing is stored.

The form works as a plain GET with JavaScript off (the whole page comes back
with the result) and, with htmx, refreshes the section in place as the
visitor types. Anyone who may read the matrix may score it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import PageMatrix
from optionsmatrix.web.guard import WebActor
from optionsmatrix.web.rendering import render
from optionsmatrix.web.scoring.form import evaluate

router = APIRouter()


@router.get("/matrices/{matrix_id}/score", name="matrix_score")
def matrix_score(request: Request, matrix: PageMatrix, actor: WebActor) -> Response:
    scoring = evaluate(matrix, request.query_params)
    context = matrix_context(matrix, actor, scoring=scoring)
    return render(
        request, "matrices/detail.html", context, fragment="matrices/_scoring.html", status_code=scoring.status_code
    )
