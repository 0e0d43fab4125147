"""The versioned REST API, mounted at /api/v1."""

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

# files before matrices: POST /matrices/import is no matrix id. analysis first: the app tries routes in
# order, so /analyze, the busiest public call, is found at once.
MODULES = (
    analysis, health, auth, tokens, files, matrices, matrix_scores, options, criteria, sharing, sessions, sensitivity,
    comparisons, session_files,
)  # fmt: skip

routes = [route for module in MODULES for route in module.router.routes]  # each already under /api/v1
