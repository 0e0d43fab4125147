"""Ordered, uniquely named children of a matrix: its options and its criteria.

Both behave the same way (append at the end, rename without clashing,
reorder by a full list of ids, remove and close the gap), so the rules are
written once here and `matrices.py` exposes them per kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from sqlmodel import Session

from optionsmatrix.errors import FieldError, InvalidInput, NotFound
from optionsmatrix.models import Criterion, Matrix, Option, utcnow
from optionsmatrix.schemas import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.services.transactions import commit
from optionsmatrix.text_rules import comparison_key

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


def duplicate_name_error(kind: type[Item], name: str, loc: tuple[str | int, ...] = ("body", "name")) -> InvalidInput:
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
    if len(children(matrix, kind)) >= LIMITS[kind]:
        raise InvalidInput.on("name", f"a matrix holds at most {LIMITS[kind]} {_LABELS[kind][1]}")
    _ensure_name_free(matrix, kind, str(values["name"]))
    item = kind(**values, matrix_id=matrix.id, position=len(children(matrix, kind)))
    session.add(item)
    matrix.updated_at = utcnow()
    session.add(matrix)
    commit(session, conflict=duplicate_name_error(kind, str(values["name"])))
    session.refresh(item)
    session.refresh(matrix)
    return item


def update_child(session: Session, *, matrix: Matrix, item: Item, changes: Mapping[str, object]) -> Item:
    if "name" in changes:
        _ensure_name_free(matrix, item.__class__, str(changes["name"]), except_id=item.id)
    for field, value in changes.items():
        setattr(item, field, value)
    session.add(item)
    matrix.updated_at = utcnow()
    session.add(matrix)
    commit(session, conflict=duplicate_name_error(item.__class__, str(changes.get("name", item.name))))
    session.refresh(item)
    return item


def delete_child(session: Session, *, matrix: Matrix, item: Item) -> None:
    kind = item.__class__
    remaining = [other for other in children(matrix, kind) if other.id != item.id]
    session.delete(item)
    for position, other in enumerate(remaining):
        other.position = position
        session.add(other)
    matrix.updated_at = utcnow()
    session.add(matrix)
    session.commit()
    session.refresh(matrix)


def reorder_children(session: Session, *, matrix: Matrix, kind: type[Item], ids: Sequence[int]) -> list[Item]:
    current = {item.id: item for item in children(matrix, kind)}
    if len(ids) != len(set(ids)) or set(ids) != set(current):
        raise InvalidInput.on(
            "ids",
            f"'ids' must list each of this matrix's {len(current)} {_LABELS[kind][1]} exactly once "
            f"(expected a permutation of {sorted(current)}, got {list(ids)})",
        )
    for position, item_id in enumerate(ids):
        current[item_id].position = position
        session.add(current[item_id])
    matrix.updated_at = utcnow()
    session.add(matrix)
    session.commit()
    session.refresh(matrix)
    return children(matrix, kind)
