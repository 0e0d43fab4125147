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
# files before matrices: POST /matrices/import is no matrix id.
for module in (
    health, auth, tokens, files, matrices, matrix_scores, options, criteria, sharing, sessions, analysis, sensitivity,
):  # fmt: skip
    router.include_router(module.router)
router.include_router(comparisons.router)
router.include_router(session_files.router)
