"""The tokens page: an instructor's API tokens, made here and shown once.

The post that makes a token answers with the page showing its secret
(201): the secret is never put in a cookie, a redirect or the database,
and pages for a logged-in instructor are never cached (`render`). Reloading
that answer posts the form again; the form carries the id of the newest
token it knew of, and a token of the same name made since then means the
post is a repeat, answered 409 without a second token.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from optionsmatrix.http.deps import MAX_ID, SessionDep, path_id
from optionsmatrix.schemas.matrices import TokenCreate
from optionsmatrix.schemas.numbers import NotANumber, parse_whole
from optionsmatrix.services import tokens
from optionsmatrix.web.deps import LoggedIn
from optionsmatrix.web.forms import SubmittedForm, parse_form
from optionsmatrix.web.guard import page_router
from optionsmatrix.web.rendering import render

router = page_router()
TokenId = path_id("The token's id")

SEEN_FIELD = "seen_newest"  # hidden: the newest token id when the form was shown


def _page(request: Request, session, instructor, *, status_code: int = 200, **extra: object) -> Response:  # noqa: ANN001
    context = {
        "tokens": tokens.list_api_tokens(session, instructor=instructor),
        "status_of": tokens.status_of,
        "seen_newest": tokens.newest_api_token_id(session, instructor=instructor),
        "new_secret": None,
        "repeated": None,
        "errors": {},
        **extra,
    }
    return render(request, "tokens/list.html", context, status_code=status_code)


@router.get("/tokens", name="token_list")
def token_list(request: Request, session: SessionDep, instructor: LoggedIn) -> Response:
    return _page(request, session, instructor)


@router.post("/tokens", name="token_create")
def token_create(request: Request, session: SessionDep, instructor: LoggedIn, submitted: SubmittedForm) -> Response:
    # The same rules as POST /api/v1/tokens; an empty expiry means "never".
    values = {key: str(submitted.get(key, "")).strip() for key in ("name", "expires_days")}
    form = parse_form(TokenCreate, FormData({k: v for k, v in values.items() if v}))
    if not form.ok:
        return _page(request, session, instructor, status_code=422, errors=form.errors, values=values)
    data = form.data
    lifetime = timedelta(days=data.expires_days) if data.expires_days is not None else None  # type: ignore[union-attr]
    issued = tokens.issue_api_token_once(
        session,
        instructor=instructor,
        name=data.name,
        lifetime=lifetime,
        seen_newest=_seen_newest(submitted),  # type: ignore[union-attr]
    )
    if issued is None:
        return _page(request, session, instructor, status_code=409, repeated=data.name)  # type: ignore[union-attr]
    return _page(request, session, instructor, status_code=201, new_secret=issued.secret, new_name=data.name)  # type: ignore[union-attr]


def _seen_newest(submitted: FormData) -> int:
    """The form's memory of the newest token; a form without it (a script) counts as knowing them all."""
    try:
        return min(MAX_ID, max(0, parse_whole(str(submitted.get(SEEN_FIELD, "")))))
    except NotANumber:
        return MAX_ID


@router.post("/tokens/{token_id}/revoke", name="token_revoke")
def token_revoke(request: Request, session: SessionDep, instructor: LoggedIn, token_id: TokenId) -> Response:
    tokens.revoke_api_token(session, instructor=instructor, token_id=token_id)
    return RedirectResponse(request.url_for("token_list"), status_code=303)
