"""/api/v1/matrices/{id}/options — the options of one matrix."""

from optionsmatrix.api.items import item_router
from optionsmatrix.services.item_kinds import OPTIONS

router = item_router(OPTIONS)
