"""Security headers on every response, including errors and static files; the request body limit."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """No inline script, no eval, no framing, no MIME sniffing — on every response.

    And nothing answered to a request that carries a bearer token is stored
    by a browser or proxy: a new token's secret, someone's private matrices.
    (Pages for a logged-in browser say so themselves: see web/rendering.py.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = [*SECURITY_HEADERS, NO_STORE] if "authorization" in Headers(scope=scope) else SECURITY_HEADERS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in added if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


# The request body limit ----------------------------------------------------------
#
# FastAPI's own `max_body_size` runs outside every middleware of ours and, when
# the declared Content-Length is too large, replaces whatever the app answers
# with a plain-text "Content Too Large" without the headers above; a streamed
# body got our JSON instead. This limit runs inside SecurityHeaders, and both
# ways of sending too much end in the same answer, which the surface the
# request was for renders (see http/errors.py).


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit.

    An HTTPException, so FastAPI's body parsing passes it on unchanged (it
    turns other errors into a 400); the error handler answers it.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


def too_large_message(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit:,} bytes"
    return f"The request is too large: this site accepts at most {size}."


# A file of exactly the upload limit arrives wrapped in multipart framing (the
# boundary, the part's headers, the CSRF field of a page's form); the route
# itself then checks the file's own size against the limit it announces.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


class BodyLimit:
    """At most `max_bytes` of request body: refused unread when the declared length is over,
    and stopped as soon as a streamed (chunked) body passes it.

    `uploads` names the few routes that take a file, by (method, exact path), with the
    larger limit each announces: those alone may receive it, plus UPLOAD_ENVELOPE_BYTES.
    The limit is decided here, before routing, so it is keyed by the path as sent.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        too_large: Callable[[Scope, int], Response],
        uploads: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.too_large = too_large
        self.uploads = dict(uploads or {})

    def _limits(self, scope: Scope) -> tuple[int, int]:
        """(bytes accepted, bytes announced) for this request."""
        upload = self.uploads.get((scope.get("method", ""), scope.get("path", "")))
        return (upload + UPLOAD_ENVELOPE_BYTES, upload) if upload is not None else (self.max_bytes, self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepted, announced = self._limits(scope)
        declared = Headers(scope=scope).get("content-length")
        # ASCII digits only: str.isdigit() also takes "²" (a Latin-1 byte a server could pass on), which int() refuses.
        if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > accepted:
            await self.too_large(scope, announced)(scope, receive, send)
            return

        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > accepted:
                    raise BodyTooLarge(announced)
            return message

        await self.app(scope, counted, send)
