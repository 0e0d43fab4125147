"""A matrix's own scores: the owner's scoring, stored, that every reader's grid opens with.

One row per scored option × criterion (models.Score). Writing replaces the
whole set in one transaction under the matrix's lock, like every other
matrix write, and bumps its version. Rows go with their option or
criterion; a scale edit that would leave a stored score outside the scale
is refused here (`stranded_by_scale`), naming the option and the criterion.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session

from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import FieldError, InvalidInput
from optionsmatrix.models import Criterion, Matrix, Option, Score
from optionsmatrix.services.matrix_rows import get_matrix, lock_matrix, touch

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
        set_scores(session, matrix, wanted)
        touch(session, matrix)
    return get_matrix(session, matrix_id=matrix.id)  # type: ignore[arg-type]


def set_scores(session: Session, matrix: Matrix, wanted: Mapping[int, Mapping[int, float]]) -> None:
    """Make the stored rows match `wanted`, inside the caller's transaction.

    Rows are updated in place, deleted or added, never deleted and added
    again: one flush inserts before it deletes, and a new row for a cell
    whose old row still stood would break the unique constraint.
    """
    criteria = {c.id: c for c in matrix.criteria}
    for option in matrix.options:
        row = wanted.get(option.id, {})  # type: ignore[arg-type]
        for score in list(option.scores):
            if score.criterion_id in row:
                score.value = row[score.criterion_id]
                session.add(score)
            else:
                option.scores.remove(score)  # delete-orphan: the row goes
        stored = {s.criterion_id for s in option.scores}
        for criterion_id, value in row.items():
            if criterion_id not in stored:
                option.scores.append(Score(criterion=criteria[criterion_id], value=value))


def copy_scores(source: Matrix, options: list[Option], criteria: list[Criterion]) -> None:
    """Give the copies `options` and `criteria` (in `source`'s order) `source`'s scores."""
    criterion_at = {c.id: copy for c, copy in zip(source.criteria, criteria, strict=True)}
    for original, copy in zip(source.options, options, strict=True):
        copy.scores = [Score(criterion=criterion_at[s.criterion_id], value=s.value) for s in original.scores]


def stranded_by_scale(criterion: Criterion, scale_min: float, scale_max: float) -> list[str]:
    """Sentences naming each stored score on `criterion` that a scale of `scale_min`..`scale_max` would leave out."""
    stranded = [s for s in criterion.scores if not scale_min <= s.value <= scale_max]
    stranded.sort(key=lambda s: s.option.position if s.option is not None else 0)
    return [
        f"'{s.option.name if s.option is not None else s.option_id}' is scored {_number(s.value)} on "
        f"'{criterion.name}', outside a scale from {_number(scale_min)} to {_number(scale_max)}: change or clear "
        "that score first"
        for s in stranded
    ]
