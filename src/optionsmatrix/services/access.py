"""Who may see and change what. Every route asks here; nothing decides it twice.

- anonymous: public matrices only, read-only;
- an instructor: public matrices, plus their own to read and change;
- an admin: everything.
A matrix someone may not read is reported as absent (404), never as forbidden,
so its existence does not leak; a readable matrix they may not change is 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col

from optionsmatrix.errors import NotFound, OptionsMatrixError
from optionsmatrix.models import Instructor, Matrix


class Forbidden(OptionsMatrixError):
    status_code = 403


class NotAuthenticated(OptionsMatrixError):
    status_code = 401

    def __init__(self, message: str = "log in, or send 'Authorization: Bearer <token>'") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Actor:
    instructor: Instructor | None = None
    # What the checks and every page's header read of the instructor, as identified. A write that
    # fails rolls the request's session back, which expires the instructor's loaded row; the error
    # page is drawn after that session has closed, when the row can no longer be read again.
    instructor_id: int | None = field(init=False, default=None)
    is_admin: bool = field(init=False, default=False)
    email: str = field(init=False, default="")

    def __post_init__(self) -> None:
        if self.instructor is not None:
            object.__setattr__(self, "instructor_id", self.instructor.id)
            object.__setattr__(self, "is_admin", bool(self.instructor.is_admin))
            object.__setattr__(self, "email", self.instructor.email)

    def require_instructor(self) -> Instructor:
        if self.instructor is None:
            raise NotAuthenticated()
        return self.instructor

    def require_admin(self) -> Instructor:
        instructor = self.require_instructor()
        if not self.is_admin:
            raise NotFound("Page", "admin")
        return instructor


ANONYMOUS = Actor()


def can_read(actor: Actor, matrix: Matrix) -> bool:
    return (
        matrix.is_public or actor.is_admin or (actor.instructor is not None and matrix.owner_id == actor.instructor_id)
    )


def can_edit(actor: Actor, matrix: Matrix) -> bool:
    return actor.is_admin or (actor.instructor is not None and matrix.owner_id == actor.instructor_id)


def readable_by(actor: Actor) -> ColumnElement[bool]:
    """The same rule as `can_read`, as a SQL condition for listing."""
    if actor.is_admin:
        return true()
    if actor.instructor is None:
        return col(Matrix.is_public).is_(True)
    return or_(col(Matrix.is_public).is_(True), col(Matrix.owner_id) == actor.instructor_id)


def check_readable(actor: Actor, matrix: Matrix) -> Matrix:
    if not can_read(actor, matrix):
        raise NotFound("Matrix", matrix.id)
    return matrix


def check_editable(actor: Actor, matrix: Matrix) -> Matrix:
    check_readable(actor, matrix)
    actor.require_instructor()
    if not can_edit(actor, matrix):
        raise Forbidden("this matrix is read-only for you; copy it to make changes")
    return matrix
