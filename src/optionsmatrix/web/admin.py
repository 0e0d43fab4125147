"""The admin page: instructor accounts (create, disable, enable, reset).

Creating an account or resetting a password answers with the page showing
the one-time link (never in a cookie or a redirect; the page is not cached,
see `render`). Reloading that answer posts again: creating is refused as a
duplicate address, and each reset form carries the id of the account's
newest link, so a repeated reset issues no second link and the one already
handed out stays valid.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import MAX_ID, SessionDep, path_id
from optionsmatrix.schemas.numbers import NotANumber, parse_whole
from optionsmatrix.services import accounts
from optionsmatrix.web.deps import Admin
from optionsmatrix.web.forms import errors_from
from optionsmatrix.web.guard import page_router
from optionsmatrix.web.rendering import render

router = page_router()

InstructorId = path_id("The account's id")


def _page(request: Request, session, *, status_code: int | None = None, **extra: object) -> Response:  # noqa: ANN001
    context = {
        "instructors": accounts.list_instructors(session),
        "newest_links": accounts.newest_link_ids(session),
        "link": None,
        "repeated": None,
        "errors": {},
        "values": {},
        **extra,
    }
    status = status_code or (422 if extra.get("errors") else 200)
    return render(request, "admin/instructors.html", context, status_code=status)


def _link_url(request: Request, secret: str) -> str:
    return str(request.url_for("password_setup", secret=secret))


@router.get("/admin", name="admin")
def admin_page(request: Request, session: SessionDep, _admin: Admin) -> Response:
    return _page(request, session)


@router.post("/admin/instructors", name="admin_create_instructor")
def create_instructor(
    request: Request,
    session: SessionDep,
    _admin: Admin,
    email: Annotated[str, Form(max_length=1000)] = "",
    is_admin: Annotated[bool, Form()] = False,
) -> Response:
    try:
        instructor = accounts.create_instructor(
            session, email=email, is_admin=is_admin, hasher=request.app.state.password_hasher
        )
    except InvalidInput as error:
        return _page(request, session, errors=errors_from(error), values={"email": email})
    secret = accounts.issue_password_link(
        session, instructor=instructor, hours=request.app.state.settings.password_link_hours
    )
    return _with_link(request, session, instructor.email, secret, status_code=200)


def _with_link(request: Request, session, email: str, secret: str, *, status_code: int) -> Response:  # noqa: ANN001
    return _page(request, session, status_code=status_code, link={"email": email, "url": _link_url(request, secret)})


@router.post("/admin/instructors/{instructor_id}/{action}", name="admin_instructor_action")
def instructor_action(
    request: Request,
    session: SessionDep,
    admin: Admin,
    instructor_id: InstructorId,
    action: Literal["disable", "enable", "reset"],
    seen_newest_link: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    instructor = accounts.get_instructor(session, instructor_id=instructor_id)
    if instructor.id == admin.id:
        return _page(request, session, errors={"form": "you cannot disable, enable or reset your own account here"})
    if action == "reset":
        secret = accounts.reset_password(
            session,
            instructor=instructor,
            hours=request.app.state.settings.password_link_hours,
            seen_newest_link=_seen_newest_link(seen_newest_link),
        )
        if secret is None:
            return _page(request, session, status_code=409, repeated=instructor.email)
        return _with_link(request, session, instructor.email, secret, status_code=200)
    accounts.set_active(session, instructor=instructor, active=action == "enable")
    return RedirectResponse(request.url_for("admin"), status_code=303)


def _seen_newest_link(text: str) -> int | None:
    """The reset form's memory of the account's newest link (0: none); without it (a script), no check."""
    try:
        return min(MAX_ID, max(0, parse_whole(text)))
    except NotANumber:
        return None
