"""The "Score it yourself" section of a matrix page: GET only, so it needs no CSRF token; nothing is stored.

The form works as a plain GET with JavaScript off (the whole page comes back
with the result) and, with htmx, refreshes the section in place as the
visitor types. Anyone who may read the matrix may score it. `?present=1` on
the page's address shows the ranking alone, for a projector.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from optionsmatrix.models import Matrix
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import PageMatrix
from optionsmatrix.web.guard import WebActor
from optionsmatrix.web.rendering import render
from optionsmatrix.web.scoring.form import ScoringState, evaluate
from optionsmatrix.web.scoring.present import present_ranking

router = APIRouter()


def wants_presentation(request: Request) -> bool:
    return request.query_params.get("present") == "1"


def render_presentation(request: Request, matrix: Matrix, scoring: ScoringState) -> Response:
    back = request.url.remove_query_params("present")
    note = "Out of date: the ranking of the criteria is incomplete. " + scoring.stale_reason if scoring.stale else ""
    presentation = present_ranking(
        scoring.ranking, scoring.rows, title=matrix.title, back_url=str(back), labels=scoring.option_labels, note=note
    )
    if scoring.ranking is None:
        presentation = presentation.__class__(
            title=matrix.title,
            back_url=str(back),
            empty_text=f"No ranking yet: {scoring.filled} of {scoring.total} cells are scored.",
        )
    return render(request, "present/ranking.html", {"presentation": presentation})


@router.get("/matrices/{matrix_id}/score", name="matrix_score")
def matrix_score(request: Request, matrix: PageMatrix, actor: WebActor) -> Response:
    scoring = evaluate(matrix, request.query_params)
    if wants_presentation(request):
        return render_presentation(request, matrix, scoring)
    context = matrix_context(matrix, actor, scoring=scoring)
    return render(
        request, "matrices/detail.html", context, fragment="matrices/_scoring.html", status_code=scoring.status_code
    )
