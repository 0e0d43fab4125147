"""Ordered, uniquely named children of a matrix: its options and its criteria.

Both behave the same way (append at the end, rename without clashing,
reorder by a full list of ids, remove and close the gap), so the rules are
written once here and `matrices.py` exposes them per kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import FieldError, InvalidInput, NotFound
from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.models import Criterion, Matrix, Option
from optionsmatrix.schemas.text import comparison_key
from optionsmatrix.services.matrix_rows import claim_matrix, lock_matrix, touch

Item = TypeVar("Item", Option, Criterion)

_LABELS = {Option: ("option", "options", "an option"), Criterion: ("criterion", "criteria", "a criterion")}


def children(matrix: Matrix, kind: type[Item]) -> list[Item]:
    return list(matrix.options if kind is Option else matrix.criteria)  # type: ignore[arg-type]


def find_child(matrix: Matrix, kind: type[Item], item_id: int) -> Item:
    return _find(children(matrix, kind), kind, item_id)


def _find(items: Sequence[Item], kind: type[Item], item_id: int) -> Item:
    for item in items:
        if item.id == item_id:
            return item
    raise NotFound(_LABELS[kind][0].capitalize(), item_id)


def _claim_children(session: Session, matrix: Matrix, kind: type[Item], expected_version: int | None) -> list[Item]:
    """Claim the matrix for this write (see `claim_matrix`), then read the one list the write depends on.

    Only that list, read after the claim, in position order: the rules below
    (unique names and labels, contiguous positions, the size cap) are checked
    against what is stored now, not against what the request loaded earlier.
    """
    claim_matrix(session, matrix, expected_version=expected_version)
    query = (
        select(kind)
        .where(kind.matrix_id == matrix.id)
        .order_by(kind.position)  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return list(session.exec(query).all())


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


def _ensure_name_free(items: Sequence[Item], kind: type[Item], name: str, *, except_id: int | None = None) -> None:
    key = name_key(name)
    if any(name_key(other.name) == key and other.id != except_id for other in items):
        raise duplicate_name_error(kind, name)


def _label_clash(kind: type[Item], name: str, short: str, other_name: str, other_short: str) -> FieldError | None:
    """Whether one item's labels clash with another's, and on which field.

    A header shows `short_name or name`, so a short name may repeat neither
    another short name nor another full name, and a full name may not repeat
    another item's short name. (Two full names are the name rule's business.)
    """
    what = _LABELS[kind][2]
    if short and other_short and name_key(short) == name_key(other_short):
        return FieldError(("short_name",), f"this matrix already has {what} with the short name '{short}'")
    if short and name_key(short) == name_key(other_name):
        return FieldError(("short_name",), f"'{short}' is already the name of {what} in this matrix")
    if other_short and name_key(name) == name_key(other_short):
        return FieldError(("name",), f"'{name}' is already the short name of {what} in this matrix")
    return None


def check_unique_labels(
    kind: type[Item], entries: Sequence[tuple[str, str]], loc_prefix: tuple[str | int, ...]
) -> None:
    """Reject short names that clash within one list of new items, given as (name, short_name) pairs."""
    errors = []
    for index, (name, short) in enumerate(entries):
        for other_name, other_short in entries[:index]:
            clash = _label_clash(kind, name, short, other_name, other_short)
            if clash is not None:
                errors.append(FieldError((*loc_prefix, index, clash.field), clash.msg))
                break
    if errors:
        raise InvalidInput(errors)


def _ensure_labels_free(
    items: Sequence[Item], kind: type[Item], name: str, short: str, *, except_id: int | None
) -> None:
    for other in items:
        if other.id == except_id:
            continue
        clash = _label_clash(kind, name, short, other.name, other.short_name)
        if clash is not None:
            raise InvalidInput([clash])


# The same caps as creating a matrix in one go (and as one reorder request).
LIMITS = {Option: MAX_OPTIONS, Criterion: MAX_CRITERIA}


def add_child(
    session: Session,
    *,
    matrix: Matrix,
    kind: type[Item],
    values: Mapping[str, object],
    expected_version: int | None = None,
) -> Item:
    name = str(values["name"])
    with write_transaction(session, conflict=duplicate_name_error(kind, name)):
        current = _claim_children(session, matrix, kind, expected_version)
        if len(current) >= LIMITS[kind]:
            raise InvalidInput.on("name", f"a matrix holds at most {LIMITS[kind]} {_LABELS[kind][1]}")
        _ensure_name_free(current, kind, name)
        _ensure_labels_free(current, kind, name, str(values.get("short_name", "")), except_id=None)
        item = kind(**values, matrix_id=matrix.id, position=len(current))
        session.add(item)
    return item


# A list's rows, by matrix: built once (building a statement costs about as much as running it).
_SIBLINGS = {
    kind: select(kind.__table__).where(kind.__table__.c.matrix_id == bindparam("matrix_id"))  # type: ignore[attr-defined]
    for kind in (Option, Criterion)
}


def update_child(
    session: Session,
    *,
    matrix: Matrix,
    kind: type[Item],
    item_id: int,
    changes: Mapping[str, object],
    check: Callable[[Item, Mapping[str, object]], None] | None = None,
    expected_version: int | None = None,
) -> Item:
    """Apply `changes`; `check` sees the current item under the lock, for rules that span fields."""
    name = changes.get("name")
    conflict = duplicate_name_error(kind, str(name)) if name is not None else None
    with write_transaction(session, conflict=conflict):
        claim_matrix(session, matrix, expected_version=expected_version)
        # The list as plain rows (a rename, the hot path, needs no objects of its
        # siblings), then the one changed item back from its UPDATE.
        current = session.connection().execute(_SIBLINGS[kind], {"matrix_id": matrix.id}).all()
        stored = _find(current, kind, item_id)
        if name is not None:
            _ensure_name_free(current, kind, str(name), except_id=item_id)
        if "name" in changes or "short_name" in changes:
            new_name = str(changes.get("name", stored.name))
            new_short = str(changes.get("short_name", stored.short_name))
            _ensure_labels_free(current, kind, new_name, new_short, except_id=item_id)
        if check is not None:
            check(stored, changes)
        if changes:
            written = update(kind).where(kind.id == item_id).values(**changes).returning(kind)  # type: ignore[arg-type]
        else:  # an empty PATCH changes nothing but still counts as an edit, as it always did
            written = select(kind).where(kind.id == item_id)  # type: ignore[assignment, arg-type]
        options = {"synchronize_session": False, "populate_existing": True}
        item = session.scalars(written.execution_options(**options)).one()
    return item


def delete_child(
    session: Session, *, matrix: Matrix, kind: type[Item], item_id: int, expected_version: int | None = None
) -> None:
    with write_transaction(session):
        current = _claim_children(session, matrix, kind, expected_version)
        item = _find(current, kind, item_id)
        remaining = [other for other in current if other.id != item.id]
        session.delete(item)
        _renumber(session, remaining)


def reorder_children(
    session: Session, *, matrix: Matrix, kind: type[Item], ids: Sequence[int], expected_version: int | None = None
) -> list[Item]:
    with write_transaction(session):
        current = {item.id: item for item in _claim_children(session, matrix, kind, expected_version)}
        if len(ids) != len(set(ids)) or set(ids) != set(current):
            raise InvalidInput.on(
                "ids",
                f"'ids' must list each of this matrix's {len(current)} {_LABELS[kind][1]} exactly once "
                f"(expected a permutation of {sorted(current)}, got {list(ids)})",
            )
        _renumber(session, [current[item_id] for item_id in ids])
    return sorted(current.values(), key=lambda item: item.position)


def _renumber(session: Session, ordered: Sequence[Item]) -> None:
    for position, item in enumerate(ordered):
        item.position = position
        session.add(item)


def move_child(
    session: Session,
    *,
    matrix: Matrix,
    kind: type[Item],
    item_id: int,
    step: int,
    expected_version: int | None = None,
) -> list[Item]:
    """Swap the item with its neighbour in list order (`step` -1: up, +1: down), whatever their levels.

    Position is the one order of the list (API, grid, snapshots, exports,
    ties); only the ladder view sorts by escalation level. At either end of
    the list nothing moves and nothing is bumped.
    """
    with write_transaction(session):
        matrix = lock_matrix(session, matrix, expected_version=expected_version)
        ordered = sorted(children(matrix, kind), key=lambda item: item.position)
        item = _find(ordered, kind, item_id)
        index = ordered.index(item)
        other = index + step
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
            _renumber(session, ordered)
            touch(session, matrix)
    return sorted(children(matrix, kind), key=lambda item: item.position)
