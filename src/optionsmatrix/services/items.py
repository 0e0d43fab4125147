"""Ordered, uniquely named children of a matrix: its options and its criteria.

Both behave the same way (append at the end, rename without clashing,
reorder by a full list of ids, remove and close the gap), so the rules are
written once here and `matrices.py` exposes them per kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from sqlmodel import Session

from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import FieldError, InvalidInput, NotFound
from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.models import Criterion, Matrix, Option
from optionsmatrix.schemas.text import comparison_key
from optionsmatrix.services.matrix_rows import lock_matrix, touch

Item = TypeVar("Item", Option, Criterion)

_LABELS = {Option: ("option", "options", "an option"), Criterion: ("criterion", "criteria", "a criterion")}


def children(matrix: Matrix, kind: type[Item]) -> list[Item]:
    return list(matrix.options if kind is Option else matrix.criteria)  # type: ignore[arg-type]


def find_child(matrix: Matrix, kind: type[Item], item_id: int) -> Item:
    for item in children(matrix, kind):
        if item.id == item_id:
            return item
    raise NotFound(_LABELS[kind][0].capitalize(), item_id)


def name_key(name: str) -> str:
    """Names clash regardless of case, spacing and Unicode form ("Cost", " cost", "ＣＯＳＴ", "Café" either way)."""
    return comparison_key(name)


def duplicate_name_error(kind: type[Item], name: str, loc: tuple[str | int, ...] = ("name",)) -> InvalidInput:
    return InvalidInput([FieldError(loc, f"this matrix already has {_LABELS[kind][2]} named '{name}'")])


def check_unique_names(kind: type[Item], names: Sequence[str], loc_prefix: tuple[str | int, ...]) -> None:
    """Reject repeated names within one list of new items (e.g. a matrix being created)."""
    seen: set[str] = set()
    errors = []
    for index, name in enumerate(names):
        key = name_key(name)
        if key in seen:
            errors.append(
                FieldError((*loc_prefix, index, "name"), f"'{name}' appears more than once in {_LABELS[kind][1]}")
            )
        seen.add(key)
    if errors:
        raise InvalidInput(errors)


def _ensure_name_free(matrix: Matrix, kind: type[Item], name: str, *, except_id: int | None = None) -> None:
    key = name_key(name)
    if any(name_key(other.name) == key and other.id != except_id for other in children(matrix, kind)):
        raise duplicate_name_error(kind, name)


# The same caps as creating a matrix in one go (and as one reorder request).
LIMITS = {Option: MAX_OPTIONS, Criterion: MAX_CRITERIA}


def add_child(session: Session, *, matrix: Matrix, kind: type[Item], values: Mapping[str, object]) -> Item:
    name = str(values["name"])
    with write_transaction(session, conflict=duplicate_name_error(kind, name)):
        matrix = lock_matrix(session, matrix)
        if len(children(matrix, kind)) >= LIMITS[kind]:
            raise InvalidInput.on("name", f"a matrix holds at most {LIMITS[kind]} {_LABELS[kind][1]}")
        _ensure_name_free(matrix, kind, name)
        item = kind(**values, matrix_id=matrix.id, position=len(children(matrix, kind)))
        session.add(item)
        touch(session, matrix)
    return item


def update_child(
    session: Session,
    *,
    matrix: Matrix,
    kind: type[Item],
    item_id: int,
    changes: Mapping[str, object],
    check: Callable[[Item, Mapping[str, object]], None] | None = None,
) -> Item:
    """Apply `changes`; `check` sees the current item under the lock, for rules that span fields."""
    name = changes.get("name")
    conflict = duplicate_name_error(kind, str(name)) if name is not None else None
    with write_transaction(session, conflict=conflict):
        matrix = lock_matrix(session, matrix)
        item = find_child(matrix, kind, item_id)
        if name is not None:
            _ensure_name_free(matrix, kind, str(name), except_id=item.id)
        if check is not None:
            check(item, changes)
        for field, value in changes.items():
            setattr(item, field, value)
        session.add(item)
        touch(session, matrix)
    return item


def delete_child(session: Session, *, matrix: Matrix, kind: type[Item], item_id: int) -> None:
    with write_transaction(session):
        matrix = lock_matrix(session, matrix)
        item = find_child(matrix, kind, item_id)
        remaining = [other for other in children(matrix, kind) if other.id != item.id]
        session.delete(item)
        _renumber(session, remaining)
        touch(session, matrix)


def reorder_children(session: Session, *, matrix: Matrix, kind: type[Item], ids: Sequence[int]) -> list[Item]:
    with write_transaction(session):
        matrix = lock_matrix(session, matrix)
        current = {item.id: item for item in children(matrix, kind)}
        if len(ids) != len(set(ids)) or set(ids) != set(current):
            raise InvalidInput.on(
                "ids",
                f"'ids' must list each of this matrix's {len(current)} {_LABELS[kind][1]} exactly once "
                f"(expected a permutation of {sorted(current)}, got {list(ids)})",
            )
        _renumber(session, [current[item_id] for item_id in ids])
        touch(session, matrix)
    return sorted(children(matrix, kind), key=lambda item: item.position)


def _renumber(session: Session, ordered: Sequence[Item]) -> None:
    for position, item in enumerate(ordered):
        item.position = position
        session.add(item)
