"""/api/v1/matrices/{id}/options — the options of one matrix."""

from optionsmatrix.api.items import item_router
from optionsmatrix.schemas.matrices import OptionCreate, OptionPublic, OptionUpdate
from optionsmatrix.services import matrices

router = item_router(
    plural="options",
    singular="option",
    create_schema=OptionCreate,
    update_schema=OptionUpdate,
    public_schema=OptionPublic,
    add=matrices.add_option,
    update=matrices.update_option,
    delete=matrices.delete_option,
    reorder=matrices.reorder_options,
)
