"""Editing a matrix in place: its header, its options and its criteria.

Every action answers an htmx request with the section it changed (status 422
and the form still open, with messages, when the input is rejected) and a
plain form post with a redirect back to the page, so the page works with
JavaScript off as well.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic_core import PydanticCustomError
from sqlmodel import Session
from starlette.datastructures import FormData

from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep, path_id
from optionsmatrix.models import Matrix
from optionsmatrix.schemas.matrices import (
    MatrixUpdate,
    read_version,
)
from optionsmatrix.services import matrices
from optionsmatrix.services.item_kinds import item_kind
from optionsmatrix.services.items import find_child
from optionsmatrix.services.matrix_rows import StaleVersion
from optionsmatrix.web.context import EditState, matrix_context
from optionsmatrix.web.deps import EditablePageMatrix as PageMatrix
from optionsmatrix.web.forms import DAMAGED_FORM, SubmittedForm, errors_from, parse_form
from optionsmatrix.web.guard import page_router
from optionsmatrix.web.rendering import is_htmx, render

router = page_router()

SectionName = Literal["options", "criteria"]
ItemId = path_id("The option's or criterion's id")


MATRIX_CHANGED = "matrix-changed"
MATRIX_VERSION = "matrix-version"


def changed_headers(matrix: Matrix, written_from: int | None, *events: str) -> dict[str, str]:
    """HX-Trigger for a change made on the matrix page: `events`, and the step the write took the
    matrix's version by, from `written_from` (the version its form carried) to the next.

    The page's forms drawn at `written_from` take the next version (static/js/matrix.js): they showed
    the matrix as it was, and this write changed only its own section. A form drawn at any other
    version (before someone else's change, say) keeps its own and is refused on save, as it should
    be. The step is announced only when `matrix`, read after the write, is exactly one version on:
    a write that changed nothing, or another one committed meanwhile, announces none.
    """
    triggered: dict[str, object] = {}
    if written_from is not None and matrix.version == written_from + 1:
        # First: htmx triggers the events in this order, and the scoring section's refresh (on
        # "matrix-changed") sends its form, whose save must carry the new version too.
        triggered[MATRIX_VERSION] = {"from": written_from, "to": written_from + 1}
    triggered.update(dict.fromkeys(events, {}))
    return {"HX-Trigger": json.dumps(triggered)} if triggered else {}
FRAGMENTS = {
    "options": "matrices/_options.html",
    "criteria": "matrices/_criteria.html",
    "header": "matrices/_header.html",
}


def _answer(
    request: Request,
    matrix: Matrix,
    section: str,
    edit: EditState | None = None,
    *,
    focus: str | None = None,
    written_from: int | None = None,
) -> Response:
    """`focus` names the element that should have the keyboard focus after the swap
    (the saved item's Edit link, the moved button...), so keyboard and screen-reader
    users carry on where they were instead of at the top of the page."""
    actor = request.state.actor
    # The changed section for htmx, or back to the page for a plain post; 422
    # when a form failed, 409 when the matrix changed under it (the form stays
    # open with what was typed, and says so).
    failed = edit is not None and bool(edit.errors)
    if not failed and not is_htmx(request) and request.method == "POST":
        url = request.url_for("matrix_page", matrix_id=matrix.id)
        return RedirectResponse(f"{url}#{section}", status_code=303)
    # After a successful change, the scoring section re-ranks against the new
    # matrix (its form listens for this event), keeping what the user typed,
    # and the other sections' forms take the new version.
    headers = changed_headers(matrix, written_from, MATRIX_CHANGED) if not failed and request.method == "POST" else None
    return render(
        request,
        "matrices/detail.html",
        {**matrix_context(matrix, actor, edit, with_scoring=not is_htmx(request)), "focus": focus},
        fragment=FRAGMENTS[section],
        status_code=(409 if edit.stale else 422) if failed else 200,  # type: ignore[union-attr]
        headers=headers,
    )


def _reload(session: Session, matrix: Matrix) -> Matrix:
    return matrices.get_matrix(session, matrix_id=matrix.id)  # type: ignore[arg-type]


def submitted_version(submitted: FormData) -> int | None:
    """The matrix version the form was rendered with (its hidden `version` field), if it sent one."""
    raw = submitted.get("version")
    if raw is None or raw == "":
        return None
    try:
        return read_version(str(raw))  # type: ignore[return-value]
    except PydanticCustomError:
        raise InvalidInput.on("version", DAMAGED_FORM) from None


def _as_sent(values: dict[str, str], submitted: FormData) -> dict[str, str]:
    """A refused form's values with the version it was sent with: drawn again at the version stored now,
    its next save would go through over whatever changed meanwhile."""
    return {**values, "version": str(submitted.get("version", "")).strip()}


def _stale(edit: EditState, submitted: FormData) -> EditState:
    """Keep the form open with what was typed, and the version it was made from (a second save is refused
    too until the page is reloaded and the other change seen)."""
    edit.errors = {"form": StaleVersion.MESSAGE}
    edit.values = {**edit.values, "version": str(submitted.get("version", ""))}
    edit.stale = True
    return edit


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
    expected = submitted_version(submitted)
    if not form.ok:
        refused = EditState("header", None, _as_sent(form.values, submitted), form.errors)
        return _answer(request, matrix, "header", refused)
    try:
        matrix = matrices.update_matrix(
            session,
            matrix=matrix,
            changes=form.data,
            expected_version=expected,  # type: ignore[arg-type]
        )
    except StaleVersion:
        return _answer(request, matrix, "header", _stale(EditState("header", None, form.values), submitted))
    return _answer(request, matrix, "header", focus="matrix-header-edit", written_from=expected)


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
    expected = submitted_version(submitted)
    if form.ok:
        try:
            kind.add(session, matrix=matrix, data=form.data, expected_version=expected)
            focus = f"new-{kind.singular}"
            return _answer(request, _reload(session, matrix), section, focus=focus, written_from=expected)
        except InvalidInput as error:
            form.errors = errors_from(error)
        except StaleVersion:
            return _answer(request, matrix, section, _stale(EditState(section, None, form.values), submitted))
    return _answer(request, matrix, section, EditState(section, None, _as_sent(form.values, submitted), form.errors))


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
    expected = submitted_version(submitted)
    if form.ok:
        try:
            kind.update(session, matrix=matrix, item_id=item_id, changes=form.data, expected_version=expected)
            focus = f"{kind.singular}-{item_id}-edit"
            return _answer(request, _reload(session, matrix), section, focus=focus, written_from=expected)
        except InvalidInput as error:
            form.errors = errors_from(error)
        except StaleVersion:
            edit = _stale(EditState(section, item_id, form.values), submitted)
            return _answer(request, _reload(session, matrix), section, edit)
    edit = EditState(section, item_id, _as_sent(form.values, submitted), form.errors)
    return _answer(request, _reload(session, matrix), section, edit)


@router.post("/matrices/{matrix_id}/{section}/{item_id}/delete", name="item_delete")
def item_delete(
    request: Request,
    matrix: PageMatrix,
    section: SectionName,
    item_id: ItemId,
    session: SessionDep,
    submitted: SubmittedForm,
) -> Response:
    kind = item_kind(section)
    # A stale version is answered by the error handler: the message in the page's alert area, nothing removed.
    expected = submitted_version(submitted)
    kind.delete(session, matrix=matrix, item_id=item_id, expected_version=expected)
    return _answer(request, _reload(session, matrix), section, focus=f"{section}-heading", written_from=expected)


@router.post("/matrices/{matrix_id}/{section}/{item_id}/move", name="item_move")
def item_move(
    request: Request,
    matrix: PageMatrix,
    section: SectionName,
    item_id: ItemId,
    session: SessionDep,
    direction: Annotated[Literal["up", "down"], Form()],
    submitted: SubmittedForm,
) -> Response:
    """Swap with the neighbour in list order (position), whatever the options' escalation levels."""
    kind = item_kind(section)
    find_child(matrix, kind.model, item_id)  # 404 for an item of another matrix
    step = -1 if direction == "up" else 1
    before = [item.id for item in sorted(getattr(matrix, section), key=lambda item: item.position)]
    expected = submitted_version(submitted)
    shown = kind.move(session, matrix=matrix, item_id=item_id, step=step, expected_version=expected)
    moved = [item.id for item in shown] != before  # at the end of the list nothing moves, and no version is counted
    # The same button if it is still there (not at the end of the list), else the item's Edit link.
    index = next(i for i, item in enumerate(shown) if item.id == item_id)
    keeps_button = 0 <= index + step < len(shown)
    focus = f"{kind.singular}-{item_id}-move-{direction}" if keeps_button else f"{kind.singular}-{item_id}-edit"
    return _answer(request, _reload(session, matrix), section, focus=focus, written_from=expected if moved else None)
