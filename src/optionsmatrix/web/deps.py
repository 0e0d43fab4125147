"""Lookups shared by the page handlers, with the access rules applied."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from optionsmatrix.http.deps import SessionDep, path_id
from optionsmatrix.models import Instructor, Matrix
from optionsmatrix.services.access import Actor, check_editable, check_readable
from optionsmatrix.services.matrices import get_matrix
from optionsmatrix.web.guard import WebActor

PageMatrixId = path_id("The matrix's id")


def page_matrix(matrix_id: PageMatrixId, session: SessionDep, actor: WebActor) -> Matrix:
    return check_readable(actor, get_matrix(session, matrix_id=matrix_id))


def read_page_matrix(request: Request, session: Session, actor: Actor, matrix_id: int) -> Matrix:
    """For handlers that only read it: the matrix kept between requests while unchanged (see
    services/page_matrices.py), access checked. Called inside the handler, not as a dependency,
    so that the page costs one trip to a worker thread rather than two."""
    return check_readable(actor, request.app.state.page_matrices.read(session, matrix_id=matrix_id))


def editable_page_matrix(matrix_id: PageMatrixId, session: SessionDep, actor: WebActor) -> Matrix:
    # Checked, not locked: the service that writes locks the matrix in the same call that commits.
    matrix = check_readable(actor, get_matrix(session, matrix_id=matrix_id))
    actor.require_instructor()  # anonymous visitors are sent to log in first
    return check_editable(actor, matrix)


def logged_in_instructor(actor: WebActor) -> Instructor:
    return actor.require_instructor()


def admin_instructor(actor: WebActor) -> Instructor:
    return actor.require_admin()


PageMatrix = Annotated[Matrix, Depends(page_matrix)]
EditablePageMatrix = Annotated[Matrix, Depends(editable_page_matrix)]
LoggedIn = Annotated[Instructor, Depends(logged_in_instructor)]
Admin = Annotated[Instructor, Depends(admin_instructor)]
