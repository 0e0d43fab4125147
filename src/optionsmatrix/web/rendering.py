"""Templates, and the one rule for fragment versus full page.

A partial template (`_name.html`) serves both as an include in the full page
and, alone, as the answer to an htmx request that targets it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from optionsmatrix import __version__
from optionsmatrix.analysis.explain import significant
from optionsmatrix.core.kept import WeightedLRU
from optionsmatrix.core.resources import TEMPLATES_DIR
from optionsmatrix.web.scoring.component import field_id, score_name
from optionsmatrix.web.urls import template_url_for

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# Templates ship with the package and change only with it: checking every
# included file's date on every render cost a seventh of a page's CPU.
templates.env.auto_reload = False
templates.env.globals["app_version"] = __version__
# Starlette's url_for walks the router raising NoMatchFound at every other route; this one looks the name up.
templates.env.globals["url_for"] = template_url_for
templates.env.filters["sig"] = significant  # numbers to four significant digits, as "show the working" prints
# The scoring component (scoring/_component.html) works on any page, the sessions' ballot included.
templates.env.globals.update(scoring_field_id=field_id, score_field_name=score_name)


def presentation_url(request: Request) -> str:
    """This address with `present=1`: appended to the query as sent.

    `URL.include_query_params` parses and re-encodes every field, which for
    the scoring form's hundred fields cost more than the rest of its panel.
    """
    if "present" in request.query_params:
        return str(request.url.include_query_params(present="1"))
    return f"{request.url}{'&' if request.url.query else '?'}present=1"


templates.env.globals["presentation_url"] = presentation_url

CSRF_COOKIE = "om_csrf"
# Pages for a logged-in instructor show private data (their matrices, tokens,
# accounts, one-time links): no browser or proxy may keep a copy.
PRIVATE = {"Cache-Control": "no-store"}


def secure_cookies(request: Request) -> bool:
    forced = request.app.state.settings.secure_cookies
    return forced if forced is not None else request.url.scheme == "https"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    page: str,
    context: Mapping[str, object],
    *,
    fragment: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    private: bool = False,
) -> HTMLResponse:
    """Render `fragment` for htmx requests, else the whole `page`, with who is logged in and the CSRF token.

    Never cached when someone is logged in, or when `private` (a page whose
    address or content is a secret, such as a one-time link's).
    """
    template = fragment if fragment is not None and is_htmx(request) else page
    actor = getattr(request.state, "actor", None)
    full_context = {"actor": actor, "csrf_token": getattr(request.state, "csrf_token", ""), **context}
    logged_in = actor is not None and actor.instructor is not None
    all_headers = {**(headers or {}), **(PRIVATE if private or logged_in else {})}
    response = templates.TemplateResponse(request, template, full_context, status_code=status_code, headers=all_headers)
    _set_csrf_cookie(request, response)
    return response


def _set_csrf_cookie(request: Request, response: HTMLResponse) -> None:
    seed = getattr(request.state, "new_csrf_seed", None)
    if seed:
        response.set_cookie(CSRF_COOKIE, seed, httponly=True, samesite="lax", secure=secure_cookies(request), path="/")


class KeptPages:
    """Whole pages rendered once and served again while their key holds (the busiest page: the list).

    The key must name everything the page shows but the CSRF token, which
    differs per browser: a page is kept with a stand-in where the token goes,
    and each answer puts its own in. Bounded by the characters kept, not by
    pages: keys hold what clients send (the Host header, through `base_url`),
    and a page's links repeat it; a page over a quarter of the budget is
    rendered each time instead.
    """

    def __init__(self, budget: int = 4_000_000) -> None:
        self._pages: WeightedLRU[str] = WeightedLRU(budget)

    def get(self, key: Hashable) -> str | None:
        return self._pages.get(key)

    def put(self, key: Hashable, page: str) -> None:
        if len(page) <= self._pages.capacity // 4:
            self._pages.put(key, page, len(page))

    @property
    def kept(self) -> int:
        """Characters kept, all pages together."""
        return self._pages.weight


# Not a token anyone could be given (those are URL-safe base64): where each answer's own token goes.
_TOKEN_STAND_IN = "csrf-token-" + secrets.token_hex(16) + "!"


def render_kept(
    request: Request, page: str, key: Hashable, context: Callable[[], Mapping[str, object]]
) -> HTMLResponse:
    """`render(request, page, context())`, served from `request.app.state.kept_pages` while `key` holds.

    `key` must name every input of the page other than the CSRF token, who
    is looking and the address it is served at (both added here); `context`
    is only built when the page is not kept.
    """
    kept = kept_page(request, page, key)
    if kept is not None:
        return kept
    full_context = {"request": request, "actor": request.state.actor, "csrf_token": _TOKEN_STAND_IN, **context()}
    body = templates.get_template(page).render(full_context)
    request.app.state.kept_pages.put(_full_key(request, page, key), body)
    return _answer_kept(request, body)


def kept_page(request: Request, page: str, key: Hashable) -> HTMLResponse | None:
    """The answer `render_kept` would give, if the page is kept: no rendering, no database."""
    body = request.app.state.kept_pages.get(_full_key(request, page, key))
    return _answer_kept(request, body) if body is not None else None


def _full_key(request: Request, page: str, key: Hashable) -> Hashable:
    instructor = request.state.actor.instructor
    viewer = None if instructor is None else (instructor.id, instructor.email, instructor.is_admin)
    return (page, key, viewer, str(request.base_url))


def _answer_kept(request: Request, body: str) -> HTMLResponse:
    token = request.state.csrf_token
    logged_in = request.state.actor.instructor is not None
    response = HTMLResponse(body.replace(_TOKEN_STAND_IN, token), headers=PRIVATE if logged_in else None)
    _set_csrf_cookie(request, response)
    return response


# The alert area sits at the top of the page; the form that failed may be a long scroll below it.
PAGE_ALERT_SWAP = "innerHTML show:top"


def render_error_page(request: Request, *, status_code: int, message: str) -> HTMLResponse:
    """A whole error page, or for htmx a message retargeted to the page's alert area.

    htmx 4 swaps error responses like any other; without the retarget a 404
    would replace the section the user was editing with one line of text.
    """
    context = {"status_code": status_code, "message": message}
    headers = {"HX-Retarget": "#page-alert", "HX-Reswap": PAGE_ALERT_SWAP} if is_htmx(request) else None
    return render(
        request, "errors/page.html", context, fragment="errors/_message.html", status_code=status_code, headers=headers
    )
