"""The tokens page: an instructor's API tokens, made here and shown once."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from optionsmatrix.api.deps import MAX_ID, SessionDep
from optionsmatrix.models import TokenKind
from optionsmatrix.services import tokens
from optionsmatrix.web.deps import LoggedIn
from optionsmatrix.web.rendering import render

router = APIRouter()

MAX_TOKEN_DAYS = 3650


def _page(request: Request, session, instructor, **extra: object) -> Response:  # noqa: ANN001
    listed = tokens.list_api_tokens(session, instructor=instructor)
    context = {"tokens": listed, "status_of": tokens.status_of, "new_secret": None, "errors": {}, **extra}
    return render(request, "tokens/list.html", context, status_code=422 if extra.get("errors") else 200)


@router.get("/tokens", name="token_list")
def token_list(request: Request, session: SessionDep, instructor: LoggedIn) -> Response:
    return _page(request, session, instructor)


@router.post("/tokens", name="token_create")
def token_create(
    request: Request,
    session: SessionDep,
    instructor: LoggedIn,
    name: Annotated[str, Form(max_length=1000)] = "",
    expires_days: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    name = name.strip()
    errors: dict[str, str] = {}
    if not name or len(name) > 200:
        errors["name"] = "give the token a name of 1 to 200 characters, e.g. the script that will use it"
    lifetime = None
    if expires_days.strip():
        if not expires_days.strip().isdigit() or not 1 <= int(expires_days) <= MAX_TOKEN_DAYS:
            errors["expires_days"] = f"enter a whole number of days from 1 to {MAX_TOKEN_DAYS}, or leave it empty"
        else:
            lifetime = timedelta(days=int(expires_days))
    if errors:
        return _page(request, session, instructor, errors=errors, values={"name": name, "expires_days": expires_days})
    issued = tokens.issue(session, instructor=instructor, kind=TokenKind.API, name=name, lifetime=lifetime)
    return _page(request, session, instructor, new_secret=issued.secret, new_name=name)


@router.post("/tokens/{token_id}/revoke", name="token_revoke")
def token_revoke(
    request: Request, session: SessionDep, instructor: LoggedIn, token_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    tokens.revoke_api_token(session, instructor=instructor, token_id=token_id)
    return RedirectResponse(request.url_for("token_list"), status_code=303)
