"""One place that turns errors into responses: JSON for the API, HTML for people."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from optionsmatrix.access import NotAuthenticated
from optionsmatrix.analysis import AnalysisError
from optionsmatrix.api import API_PREFIX
from optionsmatrix.errors import InvalidInput, OptionsMatrixError
from optionsmatrix.middleware import SECURITY_HEADERS, BodyTooLarge, body_too_large
from optionsmatrix.web.auth import login_url, safe_next
from optionsmatrix.web.rendering import is_htmx, render_error_page

UNPARSEABLE_BODY = "There was an error parsing the body"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX + "/") or request.url.path == API_PREFIX


def validation_details(error: RequestValidationError) -> list[dict[str, object]]:
    """FastAPI's usual detail list, without echoing the input back.

    The default handler repeats each bad value, and a NaN or infinity there
    cannot be encoded as JSON — the request would end in a 500.
    """
    return [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path.

    Starlette's 405 names only the methods of the first route whose path
    matched, and FastAPI makes one route per method: OPTIONS /api/v1/matrices
    said `Allow: GET`, hiding POST. So ask the router about each method.
    """
    allowed = []
    for method in _METHODS:
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _not_authenticated(request: Request, error: NotAuthenticated) -> Response:
    """401 over the API; in the browser, off to the login page and back afterwards."""
    if _is_api(request):
        return JSONResponse({"detail": error.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    back = request.url.path if request.method == "GET" else request.headers.get("hx-current-url", "/")
    target = login_url(_local_path(back))
    if is_htmx(request):  # htmx 4 follows HX-Redirect whatever the status
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _local_path(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # the header is the client's to send, malformed or not
        return "/"
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OptionsMatrixError)
    async def domain_error(request: Request, error: OptionsMatrixError) -> Response:
        if isinstance(error, NotAuthenticated):
            return _not_authenticated(request, error)
        retry = getattr(error, "retry_after_seconds", None)
        headers = {"Retry-After": str(retry)} if retry is not None else None
        if _is_api(request):
            detail: object = (
                [e.as_detail() for e in error.errors] if isinstance(error, InvalidInput) else error.message
            )
            return JSONResponse({"detail": detail}, status_code=error.status_code, headers=headers)
        response = render_error_page(request, status_code=error.status_code, message=error.message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(AnalysisError)
    async def analysis_error(request: Request, error: AnalysisError) -> Response:
        """The analysis core's input errors, in FastAPI's 422 shape; pages render their own inline messages."""
        if _is_api(request):
            return JSONResponse({"detail": [error.as_detail()]}, status_code=422)
        return render_error_page(request, status_code=422, message=error.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": validation_details(error)}, status_code=422)
        return render_error_page(request, status_code=422, message="The request was not understood.")

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeoutError)
    async def database_busy(request: Request, error: Exception) -> Response:
        """A lock wait that timed out, a conflict between workers, no free connection:
        nothing was written, and the request can simply be retried."""
        message = "The database is busy; please try again in a moment."
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "1"})
        response = render_error_page(request, status_code=503, message=message)
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        """Never a traceback; and this answer is built outside the middleware, so it adds the headers itself."""
        headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
        if _is_api(request):
            return JSONResponse({"detail": "internal error"}, status_code=500, headers=headers)
        return PlainTextResponse("Something went wrong on our side.", status_code=500, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if isinstance(error, BodyTooLarge):  # a streamed body over the limit (middleware.BodyLimit)
            return body_too_large(request.scope, error.limit)
        if _is_api(request) and error.status_code == 400 and error.detail == UNPARSEABLE_BODY:
            # FastAPI answers 400 when JSON parses but Python cannot hold it (a
            # 5,000-digit number, very deep nesting); like any malformed body,
            # that is a 422 in the usual shape.
            detail = [{"loc": ["body"], "msg": "the JSON body could not be read as values", "type": "json_invalid"}]
            return JSONResponse({"detail": detail}, status_code=422)
        allow = {"Allow": _allowed_methods(request)} if error.status_code == 405 else {}
        if _is_api(request):
            headers = {**(error.headers or {}), **allow}
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)
        response = render_error_page(request, status_code=error.status_code, message=str(error.detail))
        response.headers.update(allow)  # a 405 must say what is allowed, pages included
        return response
