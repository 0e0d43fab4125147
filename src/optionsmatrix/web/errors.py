"""How pages answer errors: a page (or, for htmx, a message in the page's alert area), or the way to log in."""

from __future__ import annotations

from html import escape
from http import HTTPStatus
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.core.db import DatabaseUnavailable
from optionsmatrix.errors import OptionsMatrixError
from optionsmatrix.http.errors import ErrorSurface, retry_headers
from optionsmatrix.services.access import NotAuthenticated
from optionsmatrix.web.auth import login_url, safe_next
from optionsmatrix.web.rendering import PAGE_ALERT_SWAP, is_htmx, render_error_page


def _to_login(request: Request) -> Response:
    """Off to the login page, and back here afterwards."""
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


def _domain(request: Request, error: OptionsMatrixError) -> Response:
    if isinstance(error, NotAuthenticated):
        return _to_login(request)
    if isinstance(error, DatabaseUnavailable):
        return _plain_page(request, "The database is not answering", error.message, 503, retry_headers(error))
    response = render_error_page(request, status_code=error.status_code, message=error.message)
    response.headers.update(retry_headers(error))
    return response


def _analysis(request: Request, error: AnalysisError) -> Response:
    # Pages render their own inline messages; this is the fallback.
    return render_error_page(request, status_code=422, message=error.message)


def _invalid_request(request: Request, _error: RequestValidationError) -> Response:
    return render_error_page(request, status_code=422, message="The request was not understood.")


# Starlette's own reasons ("Not Found", "Method Not Allowed") are HTTP's words, not a reader's.
_PLAIN_REASONS = {
    404: "There is no page at this address.",
    405: "This address is not a page to open: it only takes a form's answer.",
}


def _http(request: Request, error: StarletteHTTPException) -> Response:
    message = str(error.detail)
    if error.status_code in _PLAIN_REASONS and message == HTTPStatus(error.status_code).phrase:
        message = _PLAIN_REASONS[error.status_code]
    return render_error_page(request, status_code=error.status_code, message=message)


def _unexpected(_request: Request, headers: dict[str, str]) -> Response:
    return PlainTextResponse("Something went wrong on our side.", status_code=500, headers=headers)


def _too_large(request: Request, message: str) -> Response:
    # Plain, not the site's template: the request was refused before anything
    # (the login, the CSRF seed) that a page of ours would show was read.
    return _plain_page(request, "Too large", message, 413)


def _plain_page(
    request: Request, title: str, message: str, status_code: int, headers: dict[str, str] | None = None
) -> Response:
    """A page that needs nothing but the message: not who is logged in, not the database."""
    if is_htmx(request):
        return HTMLResponse(
            f'<p class="error-message" role="alert">{escape(message)}</p>',
            status_code=status_code,
            headers={**(headers or {}), "HX-Retarget": "#page-alert", "HX-Reswap": PAGE_ALERT_SWAP},
        )
    page = (
        f'<!doctype html><html lang="en"><title>{escape(title)}</title>'
        f'<link rel="stylesheet" href="/static/app.css"><main id="main"><h1>{escape(title)}</h1>'
        f'<p>{escape(message)}</p><p><a href="/">Back</a></p></main></html>'
    )
    return HTMLResponse(page, status_code=status_code, headers=headers)


WEB_ERRORS = ErrorSurface(
    claims=lambda _request: True,
    domain=_domain,
    analysis=_analysis,
    invalid_request=_invalid_request,
    http=_http,
    unexpected=_unexpected,
    too_large=_too_large,
)
