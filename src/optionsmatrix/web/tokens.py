"""The tokens page: an instructor's API tokens, made here and shown once."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from optionsmatrix.api.deps import MAX_ID, SessionDep
from optionsmatrix.models import TokenKind
from optionsmatrix.schemas import TokenCreate
from optionsmatrix.services import tokens
from optionsmatrix.web.deps import LoggedIn
from optionsmatrix.web.flash import pop_flash, redirect_with_flash
from optionsmatrix.web.forms import SubmittedForm, parse_form
from optionsmatrix.web.rendering import render

router = APIRouter()


def _page(request: Request, session, instructor, **extra: object) -> Response:  # noqa: ANN001
    listed = tokens.list_api_tokens(session, instructor=instructor)
    context = {"tokens": listed, "status_of": tokens.status_of, "new_secret": None, "errors": {}, **extra}
    return render(request, "tokens/list.html", context, status_code=422 if extra.get("errors") else 200)


@router.get("/tokens", name="token_list")
def token_list(request: Request, session: SessionDep, instructor: LoggedIn) -> Response:
    created = pop_flash(request)
    return _page(request, session, instructor, new_secret=created.get("secret"), new_name=created.get("name"))


@router.post("/tokens", name="token_create")
def token_create(request: Request, session: SessionDep, instructor: LoggedIn, submitted: SubmittedForm) -> Response:
    # The same rules as POST /api/v1/tokens; an empty expiry means "never".
    values = {key: str(submitted.get(key, "")).strip() for key in ("name", "expires_days")}
    form = parse_form(TokenCreate, FormData({k: v for k, v in values.items() if v}))
    if not form.ok:
        return _page(request, session, instructor, errors=form.errors, values=values)
    data = form.data
    lifetime = timedelta(days=data.expires_days) if data.expires_days is not None else None  # type: ignore[union-attr]
    issued = tokens.issue(session, instructor=instructor, kind=TokenKind.API, name=data.name, lifetime=lifetime)  # type: ignore[union-attr]
    payload = {"secret": issued.secret, "name": data.name}  # type: ignore[union-attr]
    return redirect_with_flash(request, str(request.url_for("token_list")), payload)


@router.post("/tokens/{token_id}/revoke", name="token_revoke")
def token_revoke(
    request: Request, session: SessionDep, instructor: LoggedIn, token_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    tokens.revoke_api_token(session, instructor=instructor, token_id=token_id)
    return RedirectResponse(request.url_for("token_list"), status_code=303)
