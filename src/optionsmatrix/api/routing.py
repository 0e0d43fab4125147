"""Every API router is made here, its paths under /api/v1 from the start.

The app takes each router's routes into its own list (app.py) instead of
including routers in routers: FastAPI 0.165 matches an included router by
walking its routes once to decide whether it matches and once more to pick
the route, at every level of nesting, which cost `GET /` about a thousand
calls before any of our code ran. A route made with its full path needs none
of that.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from optionsmatrix.api.errors import API_PREFIX


def api_router(prefix: str = "", **options: Any) -> APIRouter:  # noqa: ANN401
    return APIRouter(prefix=API_PREFIX + prefix, **options)
