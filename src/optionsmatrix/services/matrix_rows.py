"""Loading one matrix with its options and criteria, and locking it for a write.

Apart from `matrices.py` so that `items.py`, which both use, can lock too.
"""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from optionsmatrix.errors import Conflict, NotFound
from optionsmatrix.models import Matrix, utcnow


def get_matrix(session: Session, *, matrix_id: int, for_update: bool = False) -> Matrix:
    """The matrix with its options and criteria (its scores: `Matrix.stored_scores`, read when asked for).

    `for_update`, inside `write_transaction`, locks its row until the
    transaction commits (PostgreSQL; on SQLite the transaction already holds
    the database's write lock), so two workers editing the same matrix take
    turns: name checks and positions computed in Python stay true at commit.
    """
    query = (
        select(Matrix)
        .where(Matrix.id == matrix_id)
        .options(
            selectinload(Matrix.options), selectinload(Matrix.criteria), selectinload(Matrix.share_link)  # type: ignore[arg-type]
        )
        .execution_options(populate_existing=True)
    )
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Matrix)  # type: ignore[arg-type]
    matrix = session.exec(query).first()
    if matrix is None:
        raise NotFound("Matrix", matrix_id)
    return matrix


class StaleVersion(Conflict):
    """The writer saw an older version of the matrix than the one stored (someone else changed it)."""

    MESSAGE = "Someone else changed this matrix; reload to see their change."

    def __init__(self, *, expected: int, current: int) -> None:
        super().__init__(f"{self.MESSAGE} (you sent version {expected}; it is now at version {current})")
        self.expected = expected
        self.current = current


def id_of(matrix: Matrix | int) -> int:
    """The matrix's id without loading it again.

    A write begins by committing the request's read transaction, which
    expires every loaded object; reading `matrix.id` then would refresh the
    row with all it was loaded with (its options and criteria) only to load
    it once more, locked.
    """
    if isinstance(matrix, int):
        return matrix
    identity = inspect(matrix).identity
    return int(identity[0]) if identity else matrix.id  # type: ignore[return-value]


def lock_matrix(session: Session, matrix: Matrix | int, *, expected_version: int | None = None) -> Matrix:
    """The current state of `matrix`, locked for the write transaction in progress.

    With `expected_version` (the `If-Match` a client sent), a matrix changed
    since is refused before anything is written.
    """
    locked = get_matrix(session, matrix_id=id_of(matrix), for_update=True)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(expected=expected_version, current=locked.version)
    return locked


def touch(session: Session, matrix: Matrix) -> None:
    """Mark the matrix changed (every edit of it or of its items), in the caller's transaction."""
    matrix.updated_at = utcnow()
    matrix.version += 1
    session.add(matrix)
