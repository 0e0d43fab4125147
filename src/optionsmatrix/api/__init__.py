"""The versioned REST API, mounted at /api/v1."""

from fastapi import APIRouter

from optionsmatrix.api import (
    analysis,
    auth,
    criteria,
    health,
    matrices,
    options,
    sensitivity,
    sessions,
    sharing,
    tokens,
)
from optionsmatrix.api.errors import API_PREFIX

router = APIRouter(prefix=API_PREFIX)
for module in (health, auth, tokens, matrices, options, criteria, sharing, sessions, analysis, sensitivity):
    router.include_router(module.router)
