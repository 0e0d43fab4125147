"""/api/v1/matrices/{id}/criteria — the criteria of one matrix."""

from optionsmatrix.api.items import item_router
from optionsmatrix.schemas.matrices import CriterionCreate, CriterionPublic, CriterionUpdate
from optionsmatrix.services import matrices

router = item_router(
    plural="criteria",
    singular="criterion",
    create_schema=CriterionCreate,
    update_schema=CriterionUpdate,
    public_schema=CriterionPublic,
    add=matrices.add_criterion,
    update=matrices.update_criterion,
    delete=matrices.delete_criterion,
    reorder=matrices.reorder_criteria,
)
