"""/api/v1/matrices/{id}/criteria — the criteria of one matrix."""

from optionsmatrix.api.items import item_router
from optionsmatrix.services.item_kinds import CRITERIA

router = item_router(CRITERIA)
