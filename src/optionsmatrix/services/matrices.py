"""Matrices and their options and criteria: list, read, create, edit, copy, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import FieldError, InvalidInput
from optionsmatrix.models import TITLE_MAX, Criterion, Matrix, Option
from optionsmatrix.schemas.matrices import (
    CriterionCreate,
    CriterionUpdate,
    MatrixCreate,
    MatrixUpdate,
    OptionCreate,
    OptionUpdate,
)
from optionsmatrix.services import items, matrix_scores
from optionsmatrix.services.access import Actor, readable_by
from optionsmatrix.services.items import (
    add_child,
    delete_child,
    move_child,
    reorder_children,
    update_child,
)
from optionsmatrix.services.matrix_rows import claim_matrix, get_matrix, id_of, lock_matrix

COPY_SUFFIX = " (copy)"


def list_matrices(
    session: Session, *, actor: Actor, limit: int, offset: int
) -> tuple[list[tuple[Matrix, int, int]], int]:
    """The matrices `actor` may read, newest first, each with its number of options and criteria."""
    option_count = select(func.count()).where(Option.matrix_id == Matrix.id).correlate(Matrix).scalar_subquery()
    criterion_count = select(func.count()).where(Criterion.matrix_id == Matrix.id).correlate(Matrix).scalar_subquery()
    rows = session.exec(
        select(Matrix, option_count, criterion_count)
        .where(readable_by(actor))
        .order_by(col(Matrix.created_at).desc(), col(Matrix.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.exec(select(func.count()).select_from(Matrix).where(readable_by(actor))).one()
    return [(matrix, options, criteria) for matrix, options, criteria in rows], total


class MatrixCard(NamedTuple):
    """What the list page shows of one matrix."""

    id: int
    title: str
    description: str
    option_count: int
    criterion_count: int


def matrix_cards(session: Session, *, actor: Actor, limit: int) -> tuple[list[MatrixCard], int]:
    """The newest `limit` matrices `actor` may read, as the list page shows them, and how many there are.

    One query of plain columns (the total rides along as a window count): the
    list page is the busiest page, and loading whole matrices for it cost more
    than rendering it.
    """
    option_count = select(func.count()).where(Option.matrix_id == Matrix.id).correlate(Matrix).scalar_subquery()
    criterion_count = select(func.count()).where(Criterion.matrix_id == Matrix.id).correlate(Matrix).scalar_subquery()
    rows = session.execute(
        select(Matrix.id, Matrix.title, Matrix.description, option_count, criterion_count, func.count().over())
        .where(readable_by(actor))
        .order_by(col(Matrix.created_at).desc(), col(Matrix.id).desc())
        .limit(limit)
    ).all()
    return [MatrixCard(*row[:5]) for row in rows], (rows[0][5] if rows else 0)


# Built once. See `catalog_stamp` for why these five numbers catch every change of the list.
_CATALOG_STAMP = select(
    func.count(),
    func.coalesce(func.sum(Matrix.version), 0),
    func.coalesce(func.sum(Matrix.id), 0),
    func.max(Matrix.updated_at),
    func.max(Matrix.created_at),
).select_from(Matrix)


def catalog_stamp(session: Session) -> tuple[object, ...]:
    """Numbers that change whenever anything the matrix list shows changes, in any worker.

    The list shows matrices' titles, descriptions, visibility, owners and
    numbers of options and criteria. Every edit of those bumps the matrix's
    `version` (`matrix_rows.claim_matrix`, `touch`), so the sum of versions
    grows; a deletion alone lowers the count; a creation alone raises it; a
    deletion and a creation together leave the count but change the sum of
    ids (PostgreSQL never reuses an id) or, where SQLite gives the deleted
    id out again, the newest creation and update times (the new matrix's).
    One aggregate over the matrix table, much cheaper than the list itself,
    and past the ORM, whose bookkeeping cost as much again: on the
    connection the session already holds (a login was looked up), else on
    one of its own, given back before the session takes one. Either way a
    request holds one connection at a time (core/db.py counts on it). Read
    before the list, and at READ COMMITTED on PostgreSQL, a list is never
    kept under a newer stamp than its own.
    """
    if session.in_transaction():
        return tuple(session.connection().execute(_CATALOG_STAMP).one())
    with session.get_bind().connect() as connection:
        return tuple(connection.execute(_CATALOG_STAMP).one())


def count_matrices(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Matrix)).one()


def create_matrix(
    session: Session,
    *,
    data: MatrixCreate,
    owner_id: int | None,
    is_public: bool = False,
    scores: Mapping[tuple[int, int], float] | None = None,
) -> Matrix:
    """A new matrix with its options and criteria, and `scores` keyed by (option index, criterion index)."""
    items.check_unique_names(Option, [o.name for o in data.options], ("options",))
    items.check_unique_names(Criterion, [c.name for c in data.criteria], ("criteria",))
    items.check_unique_labels(Option, [(o.name, o.short_name) for o in data.options], ("options",))
    items.check_unique_labels(Criterion, [(c.name, c.short_name) for c in data.criteria], ("criteria",))
    for index, criterion in enumerate(data.criteria):
        _check_scale(criterion.scale_min, criterion.scale_max, loc=("criteria", index, "scale_max"))
    matrix = Matrix(
        title=data.title, description=data.description, source=data.source, owner_id=owner_id, is_public=is_public
    )
    matrix.options = [Option(**o.model_dump(), position=i) for i, o in enumerate(data.options)]
    matrix.criteria = [Criterion(**c.model_dump(), position=i) for i, c in enumerate(data.criteria)]
    for (i, j), value in (scores or {}).items():
        problem = matrix_scores.scale_problem(value, matrix.criteria[j])
        if problem:
            raise InvalidInput([FieldError(("scores", i, j), f"{data.options[i].name!r}: {problem}")])
    with write_transaction(session):
        session.add(matrix)
        session.flush()  # the ids the scores refer to
        matrix_scores.insert_scores(session, matrix_scores.cells_at(scores or {}, matrix.options, matrix.criteria))
    return get_matrix(session, matrix_id=id_of(matrix))


def update_matrix(
    session: Session, *, matrix: Matrix, changes: MatrixUpdate, expected_version: int | None = None
) -> Matrix:
    with write_transaction(session):
        claim_matrix(session, matrix, expected_version=expected_version, **changes.model_dump(exclude_unset=True))
    return get_matrix(session, matrix_id=id_of(matrix))


def delete_matrix(session: Session, *, matrix: Matrix) -> None:
    with write_transaction(session):
        locked = lock_matrix(session, matrix)
        matrix_scores.clear_scores(session, locked)  # one statement, not one per loaded row
        session.delete(locked)


def copy_matrix(session: Session, *, matrix: Matrix, owner_id: int, title: str | None = None) -> Matrix:
    """A new, private matrix with the same content and scores, owned by whoever copied it; nothing links the two."""
    copy_title = title or _copy_title(matrix.title)
    duplicate = Matrix(title=copy_title, description=matrix.description, source=matrix.source, owner_id=owner_id)
    duplicate.options = [Option(**o.model_dump(exclude={"id", "matrix_id"})) for o in matrix.options]
    duplicate.criteria = [Criterion(**c.model_dump(exclude={"id", "matrix_id"})) for c in matrix.criteria]
    scores = matrix_scores.scores_by_position(matrix)  # read with the options and criteria copied above
    with write_transaction(session):
        session.add(duplicate)
        session.flush()  # the copies' ids
        matrix_scores.insert_scores(session, matrix_scores.cells_at(scores, duplicate.options, duplicate.criteria))
    return get_matrix(session, matrix_id=id_of(duplicate))


def _copy_title(title: str) -> str:
    return (title[: TITLE_MAX - len(COPY_SUFFIX)] + COPY_SUFFIX).strip()


def ladder(matrix: Matrix) -> list[Option]:
    """Options as an escalation ladder: by level, then by their position in the list.

    The ladder view is the only place that sorts by level; everywhere else
    (the option list, the API, the grid, snapshots, exports) `position` rules.
    """
    return sorted(matrix.options, key=lambda o: (o.escalation_level, o.position))


def options_in_order(matrix: Matrix) -> list[Option]:
    return sorted(matrix.options, key=lambda o: o.position)


def all_weights_zero(matrix: Matrix) -> bool:
    return bool(matrix.criteria) and all(c.weight == 0 for c in matrix.criteria)


# Options -----------------------------------------------------------------------


# Every write below takes `expected_version`: the version the caller last saw
# (If-Match); None writes whatever the current version is.


def add_option(session: Session, *, matrix: Matrix, data: OptionCreate, expected_version: int | None = None) -> Option:
    return add_child(session, matrix=matrix, kind=Option, values=data.model_dump(), expected_version=expected_version)


def update_option(
    session: Session, *, matrix: Matrix, item_id: int, changes: OptionUpdate, expected_version: int | None = None
) -> Option:
    return update_child(
        session, matrix=matrix, kind=Option, item_id=item_id, changes=changes.model_dump(exclude_unset=True),
        expected_version=expected_version,
    )  # fmt: skip


def delete_option(session: Session, *, matrix: Matrix, item_id: int, expected_version: int | None = None) -> None:
    delete_child(session, matrix=matrix, kind=Option, item_id=item_id, expected_version=expected_version)


def reorder_options(
    session: Session, *, matrix: Matrix, ids: Sequence[int], expected_version: int | None = None
) -> list[Option]:
    return reorder_children(session, matrix=matrix, kind=Option, ids=ids, expected_version=expected_version)


def move_option(
    session: Session, *, matrix: Matrix, item_id: int, step: int, expected_version: int | None = None
) -> list[Option]:
    return move_child(
        session, matrix=matrix, kind=Option, item_id=item_id, step=step, expected_version=expected_version
    )


# Criteria ----------------------------------------------------------------------


def add_criterion(
    session: Session, *, matrix: Matrix, data: CriterionCreate, expected_version: int | None = None
) -> Criterion:
    _check_scale(data.scale_min, data.scale_max, loc=("scale_max",))
    return add_child(
        session, matrix=matrix, kind=Criterion, values=data.model_dump(), expected_version=expected_version
    )


def update_criterion(
    session: Session, *, matrix: Matrix, item_id: int, changes: CriterionUpdate, expected_version: int | None = None
) -> Criterion:
    return update_child(
        session,
        matrix=matrix,
        kind=Criterion,
        item_id=item_id,
        changes=changes.model_dump(exclude_unset=True),
        check=partial(_check_scale_edit, session),
        expected_version=expected_version,
    )


def _check_scale_edit(session: Session, criterion: Criterion, values: Mapping[str, object]) -> None:
    # The rule spans two fields, so check the result of the edit, and blame
    # the bound the caller actually changed (a form sends both every time).
    changed = {f for f in ("scale_min", "scale_max") if f in values and values[f] != getattr(criterion, f)}
    blamed = "scale_min" if changed == {"scale_min"} else "scale_max"
    scale_min = float(values.get("scale_min", criterion.scale_min))  # type: ignore[arg-type]
    scale_max = float(values.get("scale_max", criterion.scale_max))  # type: ignore[arg-type]
    _check_scale(scale_min, scale_max, loc=(blamed,))
    if changed:
        # A stored score the new scale would leave outside is refused, not clipped or dropped.
        stranded = matrix_scores.stranded_by_scale(session, criterion.id, criterion.name, scale_min, scale_max)
        if stranded:
            raise InvalidInput([FieldError((blamed,), sentence) for sentence in stranded])


def delete_criterion(session: Session, *, matrix: Matrix, item_id: int, expected_version: int | None = None) -> None:
    delete_child(session, matrix=matrix, kind=Criterion, item_id=item_id, expected_version=expected_version)


def reorder_criteria(
    session: Session, *, matrix: Matrix, ids: Sequence[int], expected_version: int | None = None
) -> list[Criterion]:
    return reorder_children(session, matrix=matrix, kind=Criterion, ids=ids, expected_version=expected_version)


def move_criterion(
    session: Session, *, matrix: Matrix, item_id: int, step: int, expected_version: int | None = None
) -> list[Criterion]:
    return move_child(
        session, matrix=matrix, kind=Criterion, item_id=item_id, step=step, expected_version=expected_version
    )


def _check_scale(scale_min: float, scale_max: float, *, loc: tuple[str | int, ...]) -> None:
    if not scale_min < scale_max:
        raise InvalidInput(
            [
                FieldError(
                    loc,
                    # In words a page's reader knows ("Scale from", "Scale to"); the API's loc names the field.
                    f"the scale must run from a lower to a higher number: "
                    f"its low end ({scale_min:g}) must be less than its high end ({scale_max:g})",
                )
            ]
        )
