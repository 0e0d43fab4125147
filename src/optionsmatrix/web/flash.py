"""Show-once messages across a redirect (post, redirect, get).

A page that answers a form post directly is re-posted when the user reloads
it: a second token, a second account. So such posts redirect, and what must
be shown once (a new token, a setup link) travels in a short-lived, signed,
HttpOnly cookie that the next page reads and clears.
"""

from __future__ import annotations

import base64
import json

from fastapi import Request
from fastapi.responses import RedirectResponse

from optionsmatrix.security import same, sign
from optionsmatrix.web.rendering import FLASH_COOKIE, secure_cookies

FLASH_SECONDS = 120


def redirect_with_flash(request: Request, url: str, payload: dict[str, object]) -> RedirectResponse:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLASH_COOKIE,
        f"{body}.{sign(request.app.state.secret_key, 'flash:' + body)}",
        max_age=FLASH_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )
    return response


def pop_flash(request: Request) -> dict[str, object]:
    """The payload, once: `render` clears the cookie on the page that shows it."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw:
        return {}
    request.state.clear_flash = True
    body, signature = raw.rsplit(".", 1)
    if not same(signature, sign(request.app.state.secret_key, "flash:" + body)):
        return {}
    try:
        payload = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
