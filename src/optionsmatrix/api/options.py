"""/api/v1/matrices/{id}/options — the options of one matrix."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from optionsmatrix.api.deps import ItemId, SessionDep, WritableMatrix
from optionsmatrix.schemas import OptionCreate, OptionPublic, OptionUpdate, OrderUpdate
from optionsmatrix.services import matrices

router = APIRouter(prefix="/matrices/{matrix_id}/options", tags=["options"])


@router.post("", response_model=OptionPublic, status_code=status.HTTP_201_CREATED)
def add_option(data: OptionCreate, matrix: WritableMatrix, session: SessionDep) -> OptionPublic:
    """Append an option at the end of the list."""
    return OptionPublic.model_validate(matrices.add_option(session, matrix=matrix, data=data), from_attributes=True)


@router.put("/order", response_model=list[OptionPublic])
def reorder_options(order: OrderUpdate, matrix: WritableMatrix, session: SessionDep) -> list[OptionPublic]:
    """Set the order: `ids` must list every option of the matrix exactly once."""
    reordered = matrices.reorder_options(session, matrix=matrix, ids=order.ids)
    return [OptionPublic.model_validate(o, from_attributes=True) for o in reordered]


@router.patch("/{option_id}", response_model=OptionPublic)
def update_option(
    option_id: ItemId, changes: OptionUpdate, matrix: WritableMatrix, session: SessionDep
) -> OptionPublic:
    option = matrices.update_option(session, matrix=matrix, option_id=option_id, changes=changes)
    return OptionPublic.model_validate(option, from_attributes=True)


@router.delete("/{option_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_option(option_id: ItemId, matrix: WritableMatrix, session: SessionDep) -> Response:
    matrices.delete_option(session, matrix=matrix, option_id=option_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
