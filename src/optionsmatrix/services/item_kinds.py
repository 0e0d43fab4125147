"""The one registry of a matrix's item lists: its options and its criteria.

Both surfaces (the API's routes, the matrix page's edit forms) read what an
item kind is called, its shapes and its service functions here, so a third
kind, or a change to one, is made once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from optionsmatrix.models import Criterion, Matrix, Option
from optionsmatrix.schemas.matrices import (
    CriterionCreate,
    CriterionPublic,
    CriterionUpdate,
    OptionCreate,
    OptionPublic,
    OptionUpdate,
)
from optionsmatrix.services import matrices


@dataclass(frozen=True)
class ItemKind:
    singular: str  # "option": also the path parameter's stem ({option_id})
    plural: str  # "options": also the path segment and the page section
    model: type[Option] | type[Criterion]
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    public_schema: type[BaseModel]
    add: Callable[..., Any]  # (session, *, matrix, data)
    update: Callable[..., Any]  # (session, *, matrix, item_id, changes)
    delete: Callable[..., None]  # (session, *, matrix, item_id)
    reorder: Callable[..., list[Any]]  # (session, *, matrix, ids)
    move: Callable[..., list[Any]]  # (session, *, matrix, item_id, step)
    display_order: Callable[[Matrix], Sequence[Any]]  # how the matrix page's editable list shows them (position)

    @property
    def article(self) -> str:
        return "an" if self.singular[0] in "aeiou" else "a"

    def public(self, item: Any) -> BaseModel:  # noqa: ANN401
        return self.public_schema.model_validate(item, from_attributes=True)


def _criteria_in_order(matrix: Matrix) -> Sequence[Criterion]:
    return list(matrix.criteria)


OPTIONS = ItemKind(
    singular="option", plural="options", model=Option,
    create_schema=OptionCreate, update_schema=OptionUpdate, public_schema=OptionPublic,
    add=matrices.add_option, update=matrices.update_option, delete=matrices.delete_option,
    reorder=matrices.reorder_options, move=matrices.move_option, display_order=matrices.options_in_order,
)  # fmt: skip
CRITERIA = ItemKind(
    singular="criterion", plural="criteria", model=Criterion,
    create_schema=CriterionCreate, update_schema=CriterionUpdate, public_schema=CriterionPublic,
    add=matrices.add_criterion, update=matrices.update_criterion, delete=matrices.delete_criterion,
    reorder=matrices.reorder_criteria, move=matrices.move_criterion, display_order=_criteria_in_order,
)  # fmt: skip
ITEM_KINDS: dict[str, ItemKind] = {kind.plural: kind for kind in (OPTIONS, CRITERIA)}


def item_kind(plural: str) -> ItemKind:
    return ITEM_KINDS[plural]
