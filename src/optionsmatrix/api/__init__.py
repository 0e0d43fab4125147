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

# The app tries routes in order (app.py). analysis and health first: /analyze is the busiest public
# call and /health is polled; they go before the pages, the rest of the API after them.
# files before matrices: POST /matrices/import is no matrix id.
FIRST = (analysis, health)
MODULES = (
    auth, tokens, files, matrices, matrix_scores, options, criteria, sharing, sessions, sensitivity, comparisons,
    session_files,
)  # fmt: skip

first_routes = [route for module in FIRST for route in module.router.routes]  # each already under /api/v1
routes = [route for module in MODULES for route in module.router.routes]
