"""Interactive API docs at /docs, from vendored Swagger UI so they work offline and under our CSP."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from optionsmatrix.web.guard import page_router
from optionsmatrix.web.rendering import render

router = page_router()


@router.get("/docs", name="api_docs")
def api_docs(request: Request) -> Response:
    return render(request, "docs/swagger.html", {"openapi_url": request.app.openapi_url})
