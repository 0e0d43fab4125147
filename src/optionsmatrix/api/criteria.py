"""/api/v1/matrices/{id}/criteria — the criteria of one matrix."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from optionsmatrix.api.deps import ItemId, SessionDep, WritableMatrix
from optionsmatrix.schemas import CriterionCreate, CriterionPublic, CriterionUpdate, OrderUpdate
from optionsmatrix.services import matrices

router = APIRouter(prefix="/matrices/{matrix_id}/criteria", tags=["criteria"])


@router.post("", response_model=CriterionPublic, status_code=status.HTTP_201_CREATED)
def add_criterion(data: CriterionCreate, matrix: WritableMatrix, session: SessionDep) -> CriterionPublic:
    """Append a criterion at the end of the list."""
    return CriterionPublic.model_validate(matrices.add_criterion(session, matrix=matrix, data=data), from_attributes=True)


@router.put("/order", response_model=list[CriterionPublic])
def reorder_criteria(order: OrderUpdate, matrix: WritableMatrix, session: SessionDep) -> list[CriterionPublic]:
    """Set the order: `ids` must list every criterion of the matrix exactly once."""
    reordered = matrices.reorder_criteria(session, matrix=matrix, ids=order.ids)
    return [CriterionPublic.model_validate(c, from_attributes=True) for c in reordered]


@router.patch("/{criterion_id}", response_model=CriterionPublic)
def update_criterion(
    criterion_id: ItemId, changes: CriterionUpdate, matrix: WritableMatrix, session: SessionDep
) -> CriterionPublic:
    criterion = matrices.update_criterion(session, matrix=matrix, criterion_id=criterion_id, changes=changes)
    return CriterionPublic.model_validate(criterion, from_attributes=True)


@router.delete("/{criterion_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_criterion(criterion_id: ItemId, matrix: WritableMatrix, session: SessionDep) -> Response:
    matrices.delete_criterion(session, matrix=matrix, criterion_id=criterion_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
