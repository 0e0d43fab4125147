"""Editing a matrix in place: its header, its options and its criteria.

Every action answers an htmx request with the section it changed (status 422
and the form still open, with messages, when the input is rejected) and a
plain form post with a redirect back to the page, so the page works with
JavaScript off as well.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep, path_id
from optionsmatrix.models import Matrix
from optionsmatrix.schemas.matrices import (
    MatrixUpdate,
)
from optionsmatrix.services import matrices
from optionsmatrix.services.item_kinds import item_kind
from optionsmatrix.services.items import find_child
from optionsmatrix.web.context import EditState, matrix_context
from optionsmatrix.web.deps import EditablePageMatrix as PageMatrix
from optionsmatrix.web.forms import SubmittedForm, errors_from, parse_form
from optionsmatrix.web.rendering import is_htmx, render

router = APIRouter()

SectionName = Literal["options", "criteria"]
ItemId = path_id("The option's or criterion's id")


MATRIX_CHANGED = "matrix-changed"
FRAGMENTS = {
    "options": "matrices/_options.html",
    "criteria": "matrices/_criteria.html",
    "header": "matrices/_header.html",
}


def _answer(
    request: Request, matrix: Matrix, section: str, edit: EditState | None = None, *, focus: str | None = None
) -> Response:
    """`focus` names the element that should have the keyboard focus after the swap
    (the saved item's Edit link, the moved button...), so keyboard and screen-reader
    users carry on where they were instead of at the top of the page."""
    actor = request.state.actor
    """The changed section for htmx, or back to the page for a plain post; 422 when a form failed."""
    failed = edit is not None and bool(edit.errors)
    if not failed and not is_htmx(request) and request.method == "POST":
        url = request.url_for("matrix_page", matrix_id=matrix.id)
        return RedirectResponse(f"{url}#{section}", status_code=303)
    # After a successful change, the scoring section re-ranks against the new
    # matrix (its form listens for this event), keeping what the user typed.
    headers = {"HX-Trigger": MATRIX_CHANGED} if not failed and request.method == "POST" else None
    return render(
        request,
        "matrices/detail.html",
        {**matrix_context(matrix, actor, edit, with_scoring=not is_htmx(request)), "focus": focus},
        fragment=FRAGMENTS[section],
        status_code=422 if failed else 200,
        headers=headers,
    )


def _reload(session: Session, matrix: Matrix) -> Matrix:
    return matrices.get_matrix(session, matrix_id=matrix.id)  # type: ignore[arg-type]


# Header (title, description, source) ---------------------------------------------


@router.get("/matrices/{matrix_id}/edit", name="matrix_header_edit")
def header_edit(request: Request, matrix: PageMatrix) -> Response:
    return _answer(request, matrix, "header", EditState(section="header"))


@router.get("/matrices/{matrix_id}/header", name="matrix_header")
def header_view(request: Request, matrix: PageMatrix) -> Response:
    return _answer(request, matrix, "header", focus="matrix-header-edit")


@router.post("/matrices/{matrix_id}", name="matrix_header_save")
def header_save(request: Request, matrix: PageMatrix, session: SessionDep, submitted: SubmittedForm) -> Response:
    form = parse_form(MatrixUpdate, submitted)
    if not form.ok:
        return _answer(request, matrix, "header", EditState("header", None, form.values, form.errors))
    matrix = matrices.update_matrix(session, matrix=matrix, changes=form.data)  # type: ignore[arg-type]
    return _answer(request, matrix, "header", focus="matrix-header-edit")


# Options and criteria --------------------------------------------------------------


@router.get("/matrices/{matrix_id}/{section}", name="section_view")
def section_view(request: Request, matrix: PageMatrix, section: SectionName) -> Response:
    return _answer(request, matrix, section, focus=f"{section}-heading")


@router.get("/matrices/{matrix_id}/{section}/{item_id}/edit", name="item_edit")
def item_edit(request: Request, matrix: PageMatrix, section: SectionName, item_id: ItemId) -> Response:
    find_child(matrix, item_kind(section).model, item_id)  # 404 for an item of another matrix
    return _answer(request, matrix, section, EditState(section, item_id))


@router.post("/matrices/{matrix_id}/{section}", name="item_add")
def item_add(
    request: Request, matrix: PageMatrix, section: SectionName, session: SessionDep, submitted: SubmittedForm
) -> Response:
    kind = item_kind(section)
    form = parse_form(kind.create_schema, submitted)
    if form.ok:
        try:
            kind.add(session, matrix=matrix, data=form.data)
            return _answer(request, _reload(session, matrix), section, focus=f"new-{kind.singular}")
        except InvalidInput as error:
            form.errors = errors_from(error)
    return _answer(request, matrix, section, EditState(section, None, form.values, form.errors))


@router.post("/matrices/{matrix_id}/{section}/{item_id}", name="item_save")
def item_save(
    request: Request,
    matrix: PageMatrix,
    section: SectionName,
    item_id: ItemId,
    session: SessionDep,
    submitted: SubmittedForm,
) -> Response:
    kind = item_kind(section)
    find_child(matrix, kind.model, item_id)
    form = parse_form(kind.update_schema, submitted)
    if form.ok:
        try:
            kind.update(session, matrix=matrix, item_id=item_id, changes=form.data)
            return _answer(request, _reload(session, matrix), section, focus=f"{kind.singular}-{item_id}-edit")
        except InvalidInput as error:
            form.errors = errors_from(error)
    return _answer(request, _reload(session, matrix), section, EditState(section, item_id, form.values, form.errors))


@router.post("/matrices/{matrix_id}/{section}/{item_id}/delete", name="item_delete")
def item_delete(
    request: Request, matrix: PageMatrix, section: SectionName, item_id: ItemId, session: SessionDep
) -> Response:
    kind = item_kind(section)
    kind.delete(session, matrix=matrix, item_id=item_id)
    return _answer(request, _reload(session, matrix), section, focus=f"{section}-heading")


@router.post("/matrices/{matrix_id}/{section}/{item_id}/move", name="item_move")
def item_move(
    request: Request,
    matrix: PageMatrix,
    section: SectionName,
    item_id: ItemId,
    session: SessionDep,
    direction: Annotated[Literal["up", "down"], Form()],
) -> Response:
    """Swap with the neighbour in display order (for options: within the same escalation level)."""
    kind = item_kind(section)
    shown = kind.display_order(matrix)
    index = next((i for i, item in enumerate(shown) if item.id == item_id), None)
    if index is None:
        find_child(matrix, kind.model, item_id)  # raises the 404
    other = index - 1 if direction == "up" else index + 1  # type: ignore[operator]
    if 0 <= other < len(shown) and _same_rung(shown[index], shown[other]):  # type: ignore[index]
        by_position = sorted(shown, key=lambda item: item.position)
        a, b = by_position.index(shown[index]), by_position.index(shown[other])  # type: ignore[index]
        by_position[a], by_position[b] = by_position[b], by_position[a]
        kind.reorder(session, matrix=matrix, ids=[item.id for item in by_position])
    # The same button if it is still there (not at the end of its rung), else the item's Edit link.
    reloaded = _reload(session, matrix)
    shown = kind.display_order(reloaded)
    position = next(i for i, item in enumerate(shown) if item.id == item_id)
    neighbour = position - 1 if direction == "up" else position + 1
    keeps_button = 0 <= neighbour < len(shown) and _same_rung(shown[position], shown[neighbour])
    focus = f"{kind.singular}-{item_id}-move-{direction}" if keeps_button else f"{kind.singular}-{item_id}-edit"
    return _answer(request, reloaded, section, focus=focus)


def _same_rung(a: object, b: object) -> bool:
    return getattr(a, "escalation_level", None) == getattr(b, "escalation_level", None)
