"""Server-rendered pages (Jinja2 + htmx). Handlers parse, call a service, render.

Every page route runs `web_context` first: it identifies the logged-in
instructor from the session cookie and refuses state-changing requests that
lack the CSRF token.
"""

from optionsmatrix.web import admin, auth, docs, files, join, matrix_edits, pages, seminars, sharing, tokens
from optionsmatrix.web import comparisons as comparison_pages
from optionsmatrix.web.scoring import saving as scores
from optionsmatrix.web.scoring import view as scoring

# scoring, seminars and files before matrix_edits: /matrices/{id}/score, /matrices/{id}/sessions and
# /matrices/{id}/export must match before /matrices/{id}/{section}, /matrices/import before /matrices/{id},
# and sharing's /matrices/{id}/sharing/... before /matrices/{id}/{section}/{item_id}.
# scores' POST /matrices/{id}/scores, likewise, before /matrices/{id}/{section}.
MODULES = (
    files,
    pages,
    scoring,
    scores,
    seminars,
    sharing,
    join,
    matrix_edits,
    auth,
    tokens,
    admin,
    docs,
    comparison_pages,
)

routes = [route for module in MODULES for route in module.router.routes]  # each runs web_context first (guard.py)
