"""The matrix list, a matrix's page, and whole-matrix actions (new, copy, delete)."""

from __future__ import annotations

from functools import partial

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from optionsmatrix.http.deps import SessionDep, quick_read
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.services import matrices, seminars
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import EditablePageMatrix, LoggedIn, PageMatrix, PageMatrixId, read_page_matrix
from optionsmatrix.web.forms import SubmittedForm, parse_form
from optionsmatrix.web.guard import WebActor, page_router
from optionsmatrix.web.rendering import is_htmx, kept_page, render, render_kept
from optionsmatrix.web.scoring.form import evaluate
from optionsmatrix.web.scoring.view import render_presentation, wants_presentation

router = page_router()

LIST_PAGE_SIZE = 200
MATRIX_SESSIONS_SHOWN = 10  # the newest; the Sessions page lists them all


def _list_context(session, actor, **extra: object) -> dict[str, object]:  # noqa: ANN001
    cards, total = matrices.matrix_cards(session, actor=actor, limit=LIST_PAGE_SIZE)
    return {"cards": cards, "total": total, "form_values": {}, "form_errors": {}, **extra}


@router.get("/", name="matrix_list")
async def matrix_list(request: Request, session: SessionDep, actor: WebActor) -> Response:
    # The busiest page: rendered again only when the list may have changed (services/matrices.py),
    # and while it holds, answered without a trip to a worker thread on SQLite (http/deps.py).
    stamp = await quick_read(request, matrices.catalog_stamp, session)
    kept = kept_page(request, "matrices/list.html", stamp)
    if kept is not None:
        return kept
    context = partial(_list_context, session, actor)
    return await run_in_threadpool(render_kept, request, "matrices/list.html", stamp, context)


@router.get("/matrices", include_in_schema=False)
def matrices_address() -> Response:
    """/matrices/N is a matrix, so /matrices is where people look for the list: it lives at /."""
    return RedirectResponse("/", status_code=303)


@router.post("/matrices", name="matrix_create")
def matrix_create(
    request: Request, session: SessionDep, instructor: LoggedIn, actor: WebActor, submitted: SubmittedForm
) -> Response:
    form = parse_form(MatrixCreate, submitted)
    if not form.ok:
        context = _list_context(session, actor, form_values=form.values, form_errors=form.errors)
        return render(request, "matrices/list.html", context, status_code=422)
    matrix = matrices.create_matrix(session, data=form.data, owner_id=instructor.id)  # type: ignore[arg-type]
    return RedirectResponse(request.url_for("matrix_page", matrix_id=matrix.id), status_code=303)


@router.get("/matrices/{matrix_id}", name="matrix_page")
def matrix_page(request: Request, matrix_id: PageMatrixId, actor: WebActor, session: SessionDep) -> Response:
    matrix = read_page_matrix(request, session, actor, matrix_id)
    if wants_presentation(request):  # the page's ranking alone, for a projector
        return render_presentation(request, matrix, evaluate(matrix, request.query_params))
    sessions: list[seminars.SessionRow] = []
    if actor.instructor is not None:
        sessions, _total = seminars.list_sessions(
            session, actor=actor, limit=MATRIX_SESSIONS_SHOWN, offset=0, matrix_id=matrix.id
        )
    return render(request, "matrices/detail.html", {**matrix_context(matrix, actor), "matrix_sessions": sessions})


@router.post("/matrices/{matrix_id}/copy", name="matrix_copy")
def matrix_copy(request: Request, matrix: PageMatrix, session: SessionDep, instructor: LoggedIn) -> Response:
    duplicate = matrices.copy_matrix(session, matrix=matrix, owner_id=instructor.id)  # type: ignore[arg-type]
    return RedirectResponse(request.url_for("matrix_page", matrix_id=duplicate.id), status_code=303)


@router.post("/matrices/{matrix_id}/delete", name="matrix_delete")
def matrix_delete(request: Request, matrix: EditablePageMatrix, session: SessionDep) -> Response:
    matrices.delete_matrix(session, matrix=matrix)
    target = str(request.url_for("matrix_list"))
    if is_htmx(request):  # htmx follows a redirect with a fetch; ask it to navigate instead
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
