"""Who is at the browser, and CSRF protection for every state-changing request.

The login cookie names a server-side session (revocable on log out). CSRF
uses a signed double submit: a random value in a cookie, and in every form
(hidden field) and htmx request (X-CSRF-Token header, set on <body> with
`hx-headers:inherited`) its HMAC under the installation's secret key. A
request that changes state without the matching token is refused with 403.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from optionsmatrix.core.security import new_secret, same, sign
from optionsmatrix.errors import OptionsMatrixError
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.services import tokens
from optionsmatrix.services.access import ANONYMOUS, Actor
from optionsmatrix.services.app_settings import stored_secret_key
from optionsmatrix.web.rendering import CSRF_COOKIE

SESSION_COOKIE = "om_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRejected(OptionsMatrixError):
    status_code = 403

    def __init__(self) -> None:
        super().__init__("This form has expired or did not come from this site. Reload the page and try again.")


@dataclass(frozen=True)
class WebContext:
    actor: Actor
    csrf_token: str


def secret_key(request: Request, session: Session) -> str:
    app_state = request.app.state
    if getattr(app_state, "secret_key", None) is None:
        app_state.secret_key = app_state.settings.secret_key or stored_secret_key(session)
    return app_state.secret_key


async def web_context(request: Request, session: SessionDep) -> AsyncIterator[WebContext]:
    """Who is at the browser, after the CSRF check of a state-changing request.

    The token comes in a header (htmx) or a form field. A form read for it is
    closed here once the request is answered, so an uploaded file's temporary
    copy goes with it even when the request is refused (a bad token, no
    login) before any handler runs. One dependency for both: each one costs
    a page a few percent of its time.
    """
    form = None
    sent = None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None:
            form = await request.form()
            sent = str(form.get(CSRF_FIELD, ""))
    try:
        yield await _identify(request, session, sent)
    finally:
        if form is not None:
            await form.close()


async def _identify(request: Request, session: Session, sent: str | None) -> WebContext:
    """Async, and in a thread only for what reads the database: an anonymous
    visitor's page costs one trip to a worker thread (its handler), not three."""
    key = getattr(request.app.state, "secret_key", None)
    if key is None:  # once per worker
        key = await run_in_threadpool(secret_key, request, session)
    cookie = request.cookies.get(SESSION_COOKIE)
    seed = request.cookies.get(CSRF_COOKIE, "")
    fresh = len(seed) < 32
    if fresh:
        seed = new_secret()
        request.state.new_csrf_seed = seed  # `render` sets the cookie on the way out
    # Bound to the login session too, so a token planted before login (say, by
    # a sibling subdomain that can set cookies) is worthless afterwards.
    token = sign(key, f"csrf:{seed}:{cookie or ''}")
    request.state.csrf_token = token
    if request.method not in SAFE_METHODS and (fresh or not sent or not same(sent, token)):
        raise CsrfRejected()

    actor = ANONYMOUS
    if cookie:
        instructor = await run_in_threadpool(tokens.resolve, session, secret=cookie, kinds=("session",))
        actor = Actor(instructor) if instructor is not None else ANONYMOUS
    request.state.actor = actor
    return WebContext(actor=actor, csrf_token=token)


WebCtx = Annotated[WebContext, Depends(web_context)]


async def web_actor(context: WebCtx) -> Actor:  # async: nothing to wait for, so no thread
    return context.actor


WebActor = Annotated[Actor, Depends(web_actor)]


def page_router() -> APIRouter:
    """A router for pages: out of the API's schema, and `web_context` before anything else a route asks for.

    The app takes each page router's routes into its own list (see api/routing.py for why not nested routers).
    """
    return APIRouter(include_in_schema=False, dependencies=[Depends(web_context)])
