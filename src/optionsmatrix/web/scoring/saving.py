"""'Save these scores': the matrix owner stores what the scoring grid holds as the matrix's own.

One POST (htmx, CSRF-protected) of the grid's fields; the answer is the
scoring section again, with a saved message beside the button, or the
grid's messages and nothing stored. Every cell the grid did not send (an
unchosen scale) is not scored: the grid as it stands is what gets stored.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.models import Matrix
from optionsmatrix.services import matrix_scores
from optionsmatrix.services.matrix_rows import StaleVersion
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import EditablePageMatrix
from optionsmatrix.web.forms import SubmittedForm
from optionsmatrix.web.guard import WebActor, page_router
from optionsmatrix.web.matrix_edits import changed_headers, submitted_version
from optionsmatrix.web.rendering import is_htmx, render
from optionsmatrix.web.scoring.form import ScoringState, evaluate, score_field

router = page_router()

SAVED = "Saved. Everyone who opens this matrix now starts from these scores."
NOT_SAVED = "Nothing was saved: correct the marked scores first."


def grid_query(matrix: Matrix, form: FormData) -> dict[str, str]:
    """The posted fields as the scoring form reads them, every cell the grid left out sent empty."""
    query = {name: str(value) for name, value in form.items() if isinstance(value, str)}
    for option in matrix.options:
        for criterion in matrix.criteria:
            query.setdefault(score_field(option, criterion), "")
    return query


def grid_scores(state: ScoringState) -> dict[str, dict[str, float | None]]:
    """The grid's cells as PUT /api/v1/matrices/{id}/scores takes them (None: empty)."""
    return {
        str(o.id): {
            str(c.id): float(state.values[score_field(o, c)]) if state.values[score_field(o, c)] else None
            for c in state.criteria
        }
        for o in state.options
    }


@router.post("/matrices/{matrix_id}/scores", name="matrix_save_scores")
def matrix_save_scores(
    request: Request, matrix: EditablePageMatrix, actor: WebActor, session: SessionDep, submitted: SubmittedForm
) -> Response:
    query = grid_query(matrix, submitted)
    state = evaluate(matrix, query)
    # A refused grid is drawn again at the version it was sent with: at the one stored now, its next
    # save would go through over whatever changed meanwhile.
    sent = str(submitted.get("version", "")).strip()
    if not state.ready:
        return _answer(request, matrix, actor, state, status_code=422, drawn_at=sent)
    if any(name.startswith("s.") for name in state.errors):
        state.errors["save"] = NOT_SAVED
        return _answer(request, matrix, actor, state, status_code=422, drawn_at=sent)
    try:
        expected = submitted_version(submitted)
        saved = matrix_scores.replace_scores(
            session, matrix=matrix, scores=grid_scores(state), expected_version=expected
        )
    except StaleVersion:
        state.errors["save"] = f"{StaleVersion.MESSAGE} Nothing was saved."
        return _answer(request, matrix, actor, state, status_code=409, drawn_at=sent, follows=False)
    except InvalidInput as error:  # an option or criterion removed, or a scale changed, since the grid was drawn
        state.errors["save"] = f"Nothing was saved: {error.message}. Reload the page and try again."
        return _answer(request, matrix, actor, state, status_code=422, drawn_at=sent)
    if not is_htmx(request):
        return RedirectResponse(request.url_for("matrix_page", matrix_id=matrix.id), status_code=303)
    # The matrix's other forms on the page take the step the save took (web/matrix_edits.py), and so does the
    # grid: drawn at the version this save made, not one read back later (another write may have landed).
    headers = changed_headers(saved, expected)
    drawn_at = expected + 1 if expected is not None else None
    return _answer(request, saved, actor, evaluate(saved, query), notice=SAVED, headers=headers, drawn_at=drawn_at)


def _answer(
    request: Request, matrix: Matrix, actor: WebActor, state: ScoringState, *, status_code: int = 200,
    notice: str = "", headers: dict[str, str] | None = None, drawn_at: int | str | None = None, follows: bool = True,
) -> Response:  # fmt: skip
    """The scoring section; its grid's save carries `drawn_at` (component.section_view), and follows this
    page's own writes unless refused as stale."""
    context = {
        **matrix_context(matrix, actor, scoring=state), "scores_notice": notice,
        "scores_version": drawn_at, "scores_follow": follows,
    }  # fmt: skip
    return render(
        request, "matrices/detail.html", context, fragment="matrices/_scoring.html", status_code=status_code,
        headers=headers,
    )  # fmt: skip
