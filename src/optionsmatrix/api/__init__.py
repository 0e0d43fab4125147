"""The versioned REST API, mounted at /api/v1."""

from fastapi import APIRouter

from optionsmatrix.api import criteria, health, matrices, options

API_PREFIX = "/api/v1"

router = APIRouter(prefix=API_PREFIX)
for module in (health, matrices, options, criteria):
    router.include_router(module.router)
