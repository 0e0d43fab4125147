"""The "Score it yourself" section of a matrix page: GET only, so it needs no CSRF token; nothing is stored here.

The grid opens with the matrix's stored scores; its owner saves new ones
through web/scoring/saving.py.

The form works as a plain GET with JavaScript off (the whole page comes back
with the result) and, with htmx, refreshes the section in place as the
visitor types. Anyone who may read the matrix may score it. `?present=1` on
the page's address shows the ranking alone, for a projector.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from optionsmatrix.http.deps import SessionDep
from optionsmatrix.models import Matrix
from optionsmatrix.services.sensitivity import how_sure_of_request
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import PageMatrix, PageMatrixId, read_page_matrix
from optionsmatrix.web.guard import WebActor, page_router
from optionsmatrix.web.rendering import is_htmx, render
from optionsmatrix.web.scoring.component import label_of
from optionsmatrix.web.scoring.form import ScoringState, evaluate
from optionsmatrix.web.scoring.present import present_ranking
from optionsmatrix.web.sensitivity_view import chosen_sweep, how_sure_view

router = page_router()


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


# static/js/scoring.js names here the score fields changed since the last answer when a score is
# typed or tapped, and the matrix version its grid was drawn at: the answer is then only what those
# scores change (matrices/_scoring_live.html), a seventh of the whole section's bytes. Any other
# change, or an edit to the matrix since the grid was drawn, gets the whole section.
EDITED_CELLS_HEADER = "scoring-edited"
DRAWN_HEADER = "scoring-drawn"


def edited_cells(request: Request, scoring: ScoringState) -> list[str]:
    """The score fields the request says were changed; [] (answer the whole section) unless all are this grid's."""
    names = request.headers.get(EDITED_CELLS_HEADER, "").split() if is_htmx(request) else []
    if not names or not scoring.ready or len(names) > len(scoring.options) * len(scoring.criteria):
        return []
    if request.headers.get(DRAWN_HEADER) != str(scoring.matrix.version):
        return []  # options or criteria may have come or gone since: the grid must be drawn again
    options, criteria = scoring.frame.option_ids, scoring.frame.criterion_ids
    for name in names:
        kind, _, rest = name.partition(".")
        option, _, criterion = rest.partition(".")
        if kind != "s" or option not in options or criterion not in criteria:
            return []
    return names


@router.get("/matrices/{matrix_id}/score", name="matrix_score")
def matrix_score(request: Request, matrix_id: PageMatrixId, actor: WebActor, session: SessionDep) -> Response:
    matrix = read_page_matrix(request, session, actor, matrix_id)
    scoring = evaluate(matrix, request.query_params)
    if wants_presentation(request):
        return render_presentation(request, matrix, scoring)
    context = matrix_context(matrix, actor, scoring=scoring)
    edited = edited_cells(request, scoring)
    if edited:
        context["edited_cells"] = edited
    return render(
        request, "matrices/detail.html", context, status_code=scoring.status_code,
        fragment="matrices/_scoring_live.html" if edited else "matrices/_scoring.html",
        headers={"Vary": "HX-Request, Scoring-Edited, Scoring-Drawn"},  # one address, several answers
    )  # fmt: skip


# One fixed seed: the same scores give the same SMAA figures each time the section opens.
HOW_SURE_SEED = 20250101


def how_sure_context(matrix: Matrix, scoring: ScoringState, *, sweep: int | None = None) -> dict[str, object]:
    """'How sure is this?' for the ranking the scoring form shows (None while there is none)."""
    view = None
    if scoring.ranking is not None and scoring.request is not None:
        found = how_sure_of_request(
            scoring.request,
            option_labels=scoring.option_labels,
            criterion_labels={c.name: label_of(c) for c in scoring.criteria},
            seed=HOW_SURE_SEED,
            sweep=sweep,
        )
        view = how_sure_view(found, [o.escalation_level for o in scoring.options])
    return {"matrix": matrix, "how": view, "scoring": scoring}


@router.get("/matrices/{matrix_id}/how-sure", name="matrix_how_sure")
def matrix_how_sure(request: Request, matrix: PageMatrix) -> Response:
    """The scoring form's ranking, tested: a page of its own, or the section's content by htmx."""
    context = how_sure_context(matrix, evaluate(matrix, request.query_params), sweep=chosen_sweep(request.query_params))
    fragment = "sensitivity/_how_sure.html" if is_htmx(request) else None
    return render(request, "matrices/how_sure.html", context, fragment=fragment)
