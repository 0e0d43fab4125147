"""Loading one matrix with its options and criteria, and locking it for a write.

Apart from `matrices.py` so that `items.py`, which both use, can lock too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, bindparam, inspect, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from optionsmatrix.errors import Conflict, NotFound
from optionsmatrix.models import Matrix, utcnow

# Built once: building a statement per request costs about as much as running it.
_MATRIX_ROW = select(Matrix).where(Matrix.id == bindparam("matrix_id"))


def matrix_row(session: Session, *, matrix_id: int) -> Matrix:
    """The matrix alone, without its options and criteria: enough to decide who may change it.

    A write checks access with this and then, in its transaction, reads what
    it depends on afresh (`claim_matrix`), so loading the whole matrix first
    would only be thrown away. Its lists still load if something asks.
    """
    matrix = session.exec(_MATRIX_ROW, params={"matrix_id": matrix_id}).first()  # type: ignore[call-overload]
    if matrix is None:
        raise NotFound("Matrix", matrix_id)
    return matrix


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


_MATRIX = Matrix.__table__  # type: ignore[attr-defined]


def _claim_with(fields: tuple[str, ...]) -> Update:
    return (
        update(_MATRIX)
        .where(_MATRIX.c.id == bindparam("matrix_id"))
        .values(
            version=_MATRIX.c.version + 1,
            updated_at=bindparam("now"),
            **{field: bindparam(f"new_{field}") for field in fields},
        )
        .returning(_MATRIX.c.version)
    )


_CLAIM = _claim_with(())


def claim_matrix(
    session: Session, matrix: Matrix, *, expected_version: int | None = None, **changes: Any  # noqa: ANN401
) -> int:
    """Lock `matrix` for the write transaction in progress and count the write: its new version.

    One statement (`UPDATE matrix SET version = version + 1 ... RETURNING`)
    does what a `SELECT ... FOR UPDATE`, a reload and a second UPDATE did: on
    PostgreSQL it takes the row's lock, which writers to the same matrix
    queue on until this transaction ends (they must: names are unique
    regardless of case and positions are contiguous, rules checked in
    Python); on SQLite `write_transaction` already holds the database's
    write lock. `changes` (the matrix's own columns) are set in the same
    statement. With `expected_version` (the client's `If-Match`), a matrix
    changed since is refused; the caller's rollback undoes the bump.
    Call it first in the transaction, before reading what the write depends on.
    """
    now = utcnow()
    matrix_id = id_of(matrix)
    # On the table, not the mapped class: the ORM's bulk-update path would also
    # search the session for copies to synchronise, the bigger part of the cost.
    # The usual statement is built once; building it per write cost as much.
    claim = _claim_with(tuple(changes)) if changes else _CLAIM
    bumped = (
        session.connection()
        .execute(claim, {"matrix_id": matrix_id, "now": now, **{f"new_{k}": v for k, v in changes.items()}})
        .scalar_one_or_none()
    )
    if bumped is None:
        raise NotFound("Matrix", matrix_id)  # deleted since the caller loaded it
    if expected_version is not None and bumped - 1 != expected_version:
        raise StaleVersion(expected=expected_version, current=bumped - 1)
    # The caller's copy says what was written, without marking it changed (which would write it again).
    for field, value in {**changes, "version": bumped, "updated_at": now}.items():
        set_committed_value(matrix, field, value)
    return bumped


def touch(session: Session, matrix: Matrix) -> None:
    """Mark the matrix changed (every edit of it or of its items), in the caller's transaction."""
    matrix.updated_at = utcnow()
    matrix.version += 1
    session.add(matrix)
