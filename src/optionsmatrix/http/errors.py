"""Errors to responses: each surface (the API, the pages) renders its own; this module picks which.

The app factory registers one set of exception handlers and the surfaces in
order; the first surface that claims a request answers it. What every
surface shares is settled here first: a database that is busy becomes
`DatabaseBusy`, a body over the limit the one 413, and nothing ever shows a
traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.core.db import DatabaseBusy, DatabaseUnavailable, database_unreachable
from optionsmatrix.errors import OptionsMatrixError
from optionsmatrix.http.middleware import SECURITY_HEADERS, BodyTooLarge, too_large_message

logger = logging.getLogger("optionsmatrix")


@dataclass(frozen=True)
class ErrorSurface:
    """How one surface answers each kind of error."""

    claims: Callable[[Request], bool]
    domain: Callable[[Request, OptionsMatrixError], Response]  # our own errors, with their status
    analysis: Callable[[Request, AnalysisError], Response]  # the analysis core's input errors (422)
    invalid_request: Callable[[Request, RequestValidationError], Response]  # FastAPI's parsing (422)
    http: Callable[[Request, StarletteHTTPException], Response]  # 404 for unknown routes, 405...
    unexpected: Callable[[Request, dict[str, str]], Response]  # 500; given the security headers to add
    too_large: Callable[[Request, str], Response]  # 413, with the message to show


def retry_headers(error: OptionsMatrixError) -> dict[str, str]:
    retry = getattr(error, "retry_after_seconds", None)
    return {"Retry-After": str(retry)} if retry is not None else {}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


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


def _surface_for(surfaces: Sequence[ErrorSurface], request: Request) -> ErrorSurface:
    return next((s for s in surfaces if s.claims(request)), surfaces[-1])


def too_large_responder(surfaces: Sequence[ErrorSurface]) -> Callable[[Scope, int], Response]:
    """The one 413, for `middleware.BodyLimit`: rendered by the surface the request was for."""

    def respond(scope: Scope, limit: int) -> Response:
        request = Request(scope)
        return _surface_for(surfaces, request).too_large(request, too_large_message(limit))

    return respond


def install_error_handlers(app: FastAPI, surfaces: Sequence[ErrorSurface]) -> None:
    def surface_for(request: Request) -> ErrorSurface:
        return _surface_for(surfaces, request)

    @app.exception_handler(OptionsMatrixError)
    async def domain_error(request: Request, error: OptionsMatrixError) -> Response:
        return surface_for(request).domain(request, error)

    @app.exception_handler(AnalysisError)
    async def analysis_error(request: Request, error: AnalysisError) -> Response:
        return surface_for(request).analysis(request, error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        return surface_for(request).invalid_request(request, error)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeoutError)
    async def database_trouble(request: Request, error: Exception) -> Response:
        """The database unreachable (refused, timed out, the connection cut): a 503 that says so;
        the pool's pre-ping replaces dead connections once it answers again. Otherwise a lock
        wait that timed out, a conflict between workers, no free connection. Either way
        nothing was written, and the request can simply be retried."""
        if database_unreachable(error):
            logger.warning("database unreachable during %s %s: %s", request.method, request.url.path,
                           getattr(error, "orig", error))  # fmt: skip
            return surface_for(request).domain(request, DatabaseUnavailable())
        return surface_for(request).domain(request, DatabaseBusy("The database is busy; please try again in a moment."))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if isinstance(error, BodyTooLarge):  # a streamed body over the limit (middleware.BodyLimit)
            return surface_for(request).too_large(request, too_large_message(error.limit))
        response = surface_for(request).http(request, error)
        if error.status_code == 405:  # a 405 must say what is allowed, pages included
            response.headers["Allow"] = _allowed_methods(request)
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, _error: Exception) -> Response:
        """Never a traceback; and this answer is built outside the middleware, so it adds the headers itself."""
        headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
        return surface_for(request).unexpected(request, headers)
