"""A matrix's own scores: the owner's scoring, stored, that every reader's grid opens with.

One row per scored option × criterion (models.Score). Writing replaces the
whole set in one transaction under the matrix's lock, like every other
matrix write, and bumps its version. Rows go with their option or
criterion; a scale edit that would leave a stored score outside the scale
is refused here (`stranded_by_scale`), naming the option and the criterion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import FieldError, InvalidInput
from optionsmatrix.models import Criterion, Matrix, Option, Score
from optionsmatrix.services.matrix_rows import get_matrix, id_of, lock_matrix, touch

# option id → criterion id → score, or None for "not scored"; ids as the API's JSON keys them.
ScoreInput = Mapping[str, Mapping[str, float | None]]


def _number(value: float) -> str:
    return f"{value:g}"


def scale_problem(value: float, criterion: Criterion) -> str | None:
    """Why `value` cannot be a score on `criterion`, or None."""
    if criterion.scale_min <= value <= criterion.scale_max:
        return None
    return (
        f"'{criterion.name}' is scored from {_number(criterion.scale_min)} to {_number(criterion.scale_max)}; "
        f"got {_number(value)}"
    )


def read_scores(matrix: Matrix, scores: ScoreInput) -> dict[int, dict[int, float]]:
    """The map checked against `matrix`: known ids, each score on its criterion's scale; None cells dropped.

    Every problem is reported at once, each at its place in the map ("<option id>", "<criterion id>").
    """
    options = {o.id: o for o in matrix.options}
    criteria = {c.id: c for c in matrix.criteria}
    errors: list[FieldError] = []
    checked: dict[int, dict[int, float]] = {}
    for option_key, row in scores.items():
        option_id = _as_id(option_key)
        if option_id not in options:
            errors.append(FieldError((option_key,), f"this matrix has no option with id {option_key}"))
            continue
        for criterion_key, value in row.items():
            criterion = criteria.get(_as_id(criterion_key))
            if criterion is None:
                errors.append(
                    FieldError((option_key, criterion_key), f"this matrix has no criterion with id {criterion_key}")
                )
                continue
            if value is None:
                continue
            problem = scale_problem(float(value), criterion)
            if problem:
                errors.append(FieldError((option_key, criterion_key), problem))
                continue
            checked.setdefault(option_id, {})[criterion.id] = float(value)  # type: ignore[index]
    if errors:
        raise InvalidInput(errors)
    return checked


def _as_id(key: str) -> int:
    return int(key) if key.isdigit() and len(key) <= 10 else -1


def replace_scores(
    session: Session, *, matrix: Matrix, scores: ScoreInput, expected_version: int | None = None
) -> Matrix:
    """Store exactly `scores` as the matrix's scores (all of them: what is not in the map is not scored)."""
    with write_transaction(session):
        matrix = lock_matrix(session, matrix, expected_version=expected_version)
        wanted = read_scores(matrix, scores)
        clear_scores(session, matrix)
        insert_scores(session, [(o, c, value) for o, row in wanted.items() for c, value in row.items()])
        touch(session, matrix)
    return get_matrix(session, matrix_id=id_of(matrix))


# Rows are written with single statements, not one ORM object each: a full
# 200 × 50 matrix is 10,000 rows, which the ORM took seconds to add one by one.


def clear_scores(session: Session, matrix: Matrix) -> None:
    """Delete every score row of `matrix` in one statement, inside the caller's transaction.

    The options' loaded `scores` are expired, so that the ORM neither shows
    the deleted rows nor tries to delete them again (a matrix being deleted
    cascades to its options' loaded scores).
    """
    option_ids = select(Option.id).where(Option.matrix_id == matrix.id)
    session.execute(
        delete(Score).where(col(Score.option_id).in_(option_ids)), execution_options={"synchronize_session": False}
    )
    for option in matrix.options:
        session.expire(option, ["scores"])


def insert_scores(session: Session, cells: Iterable[tuple[int, int, float]]) -> None:
    """Add (option id, criterion id, score) rows in one statement, inside the caller's transaction."""
    rows = [{"option_id": o, "criterion_id": c, "value": value} for o, c, value in cells]
    if rows:
        session.execute(insert(Score), rows)


def scores_by_position(matrix: Matrix) -> dict[tuple[int, int], float]:
    """The matrix's scores keyed by (option index, criterion index) in its loaded lists, e.g. to copy them.

    Read before a copy's write begins, with the lists it copies; a score
    whose option or criterion is not in them (added since) is left out.
    """
    option_at = {o.id: i for i, o in enumerate(matrix.options)}
    criterion_at = {c.id: j for j, c in enumerate(matrix.criteria)}
    return {
        (option_at[o], criterion_at[c]): value
        for o, row in matrix.stored_scores.items()
        for c, value in row.items()
        if o in option_at and c in criterion_at
    }


def cells_at(
    scores: Mapping[tuple[int, int], float], options: list[Option], criteria: list[Criterion]
) -> list[tuple[int, int, float]]:
    """(option id, criterion id, score) rows for scores keyed by position in `options` and `criteria` (ids assigned)."""
    return [(options[i].id, criteria[j].id, value) for (i, j), value in scores.items()]  # type: ignore[misc]


def stranded_by_scale(
    session: Session, criterion_id: int, criterion_name: str, scale_min: float, scale_max: float
) -> list[str]:
    """Sentences naming each stored score on the criterion that a scale of `scale_min`..`scale_max` would leave out.

    By id, not through the criterion object: an item write reads its list as
    plain rows (services/items.py), so there is no object to follow.
    """
    stranded = session.exec(
        select(Option.name, Score.value)
        .join(Option, col(Option.id) == col(Score.option_id))
        .where(Score.criterion_id == criterion_id)
        .where((col(Score.value) < scale_min) | (col(Score.value) > scale_max))
        .order_by(col(Option.position))
    ).all()
    return [
        f"'{option_name}' is scored {_number(value)} on '{criterion_name}', outside a scale from "
        f"{_number(scale_min)} to {_number(scale_max)}: change or clear that score first"
        for option_name, value in stranded
    ]
