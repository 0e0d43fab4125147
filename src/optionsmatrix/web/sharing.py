"""Sharing a matrix from its page (owner and admins): public or private, and a read-only link;
and the page such a link opens, for anyone.

The shared page is the matrix page with no edit controls; "Score it yourself"
works there too, through the link's own scoring address (the matrix may be
private, so /matrices/{id}/score would not answer a visitor).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import URL

from optionsmatrix.http.deps import SessionDep
from optionsmatrix.models import Matrix
from optionsmatrix.schemas.matrices import MatrixUpdate
from optionsmatrix.services import matrices, matrix_files, sharing
from optionsmatrix.services.access import ANONYMOUS
from optionsmatrix.services.matrix_files import ExportFormat
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import EditablePageMatrix
from optionsmatrix.web.forms import SubmittedForm
from optionsmatrix.web.guard import page_router
from optionsmatrix.web.matrix_edits import changed_headers, submitted_version
from optionsmatrix.web.rendering import PRIVATE, is_htmx, render
from optionsmatrix.web.scoring.form import evaluate
from optionsmatrix.web.scoring.view import how_sure_context
from optionsmatrix.web.sensitivity_view import chosen_sweep

router = page_router()

FRAGMENT = "matrices/_sharing.html"


def _answer(request: Request, session, matrix: Matrix, *, focus: str, written_from: int | None = None) -> Response:  # noqa: ANN001
    if not is_htmx(request):
        return RedirectResponse(f"{request.url_for('matrix_page', matrix_id=matrix.id)}#sharing", status_code=303)
    matrix = matrices.get_matrix(session, matrix_id=matrix.id)  # type: ignore[arg-type]
    context = {**matrix_context(matrix, request.state.actor, with_scoring=False), "focus": focus}
    # Only a change of visibility counts a version (a link is not part of the matrix's version).
    headers = changed_headers(matrix, written_from)
    return render(request, "matrices/detail.html", context, fragment=FRAGMENT, headers=headers)


@router.post("/matrices/{matrix_id}/sharing/visibility", name="matrix_visibility")
def set_visibility(
    request: Request,
    matrix: EditablePageMatrix,
    session: SessionDep,
    visibility: Annotated[Literal["public", "private"], Form()],
    submitted: SubmittedForm,
) -> Response:
    changes = MatrixUpdate(is_public=visibility == "public")
    # A stale version goes to the error handler: the message in the page's alert area, nothing changed.
    expected = submitted_version(submitted)
    matrices.update_matrix(session, matrix=matrix, changes=changes, expected_version=expected)
    return _answer(request, session, matrix, focus="sharing-visibility", written_from=expected)


@router.post("/matrices/{matrix_id}/sharing/link", name="share_link_create")
def create_link(request: Request, matrix: EditablePageMatrix, session: SessionDep) -> Response:
    sharing.create_link(session, matrix=matrix)
    return _answer(request, session, matrix, focus="share-url")


@router.post("/matrices/{matrix_id}/sharing/link/delete", name="share_link_revoke")
def revoke_link(request: Request, matrix: EditablePageMatrix, session: SessionDep) -> Response:
    if sharing.current_link(session, matrix=matrix) is not None:  # revoking twice (two tabs) is no error here
        sharing.revoke_link(session, matrix=matrix)
    return _answer(request, session, matrix, focus="share-link-create")


# The shared page ----------------------------------------------------------------------


def _shared_url_for(request: Request, secret: str) -> Callable[..., URL]:
    """`url_for` for the shared page's templates: the matrix's own page and scoring address become the link's."""

    def url_for(name: str, /, **path_params: object) -> URL:
        if name == "matrix_score":
            return request.url_for("shared_score", secret=secret)
        if name == "matrix_page":
            return request.url_for("shared_page", secret=secret)
        if name == "matrix_how_sure":
            return request.url_for("shared_how_sure", secret=secret)
        if name == "matrix_export":  # /matrices/{id}/export would be a 404 for a visitor when the matrix is private
            return request.url_for("shared_export", secret=secret)
        return request.url_for(name, **path_params)

    return url_for


def _shared_context(request: Request, matrix: Matrix, secret: str, **extra: object) -> dict[str, object]:
    # Read-only whoever looks, even its owner: this is the page people without an account see.
    context = matrix_context(matrix, ANONYMOUS, **extra)  # type: ignore[arg-type]
    return {**context, "can_copy": False, "shared": True, "url_for": _shared_url_for(request, secret)}


@router.get("/shared/{secret}", name="shared_page")
def shared_page(request: Request, secret: str, session: SessionDep) -> Response:
    matrix = sharing.shared_matrix(session, secret=secret)  # unknown or revoked: the 404 page
    # The address is the key to the matrix: no cache or proxy keeps a copy.
    return render(request, "matrices/detail.html", _shared_context(request, matrix, secret), private=True)


@router.get("/shared/{secret}/export", name="shared_export")
def shared_export(
    secret: str,
    session: SessionDep,
    format: Annotated[ExportFormat, Query()] = "json",  # noqa: A002
) -> Response:
    """The shared page's Export links: the same files as the matrix's own page offers."""
    matrix = sharing.shared_matrix(session, secret=secret)
    download = matrix_files.export_matrix(matrix, format=format)
    headers = {"Content-Disposition": download.content_disposition, **PRIVATE}  # the address is the key
    return Response(download.content, media_type=download.media_type, headers=headers)


@router.get("/shared/{secret}/score", name="shared_score")
def shared_score(request: Request, secret: str, session: SessionDep) -> Response:
    matrix = sharing.shared_matrix(session, secret=secret)
    scoring = evaluate(matrix, request.query_params)
    return render(
        request,
        "matrices/detail.html",
        _shared_context(request, matrix, secret, scoring=scoring),
        fragment="matrices/_scoring.html",
        status_code=scoring.status_code,
        private=True,
    )


@router.get("/shared/{secret}/how-sure", name="shared_how_sure")
def shared_how_sure(request: Request, secret: str, session: SessionDep) -> Response:
    matrix = sharing.shared_matrix(session, secret=secret)
    scoring = evaluate(matrix, request.query_params)
    context = {
        **how_sure_context(matrix, scoring, sweep=chosen_sweep(request.query_params)),
        "url_for": _shared_url_for(request, secret),
    }
    fragment = "sensitivity/_how_sure.html" if is_htmx(request) else None
    return render(request, "matrices/how_sure.html", context, fragment=fragment, private=True)
