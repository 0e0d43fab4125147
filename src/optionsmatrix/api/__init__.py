"""The versioned REST API, mounted at /api/v1."""

from fastapi import APIRouter

from optionsmatrix.api import (
    analysis,
    auth,
    comparisons,
    criteria,
    files,
    health,
    matrices,
    matrix_scores,
    options,
    sensitivity,
    session_files,
    sessions,
    sharing,
    tokens,
)
from optionsmatrix.api.errors import API_PREFIX

router = APIRouter(prefix=API_PREFIX)
# files before matrices: POST /matrices/import is no matrix id. analysis first: its two paths overlap no
# other, and the router tries routes in order, so /analyze, the busiest public call, is found at once.
for module in (
    analysis, health, auth, tokens, files, matrices, matrix_scores, options, criteria, sharing, sessions, sensitivity,
):  # fmt: skip
    router.include_router(module.router)
router.include_router(comparisons.router)
router.include_router(session_files.router)
