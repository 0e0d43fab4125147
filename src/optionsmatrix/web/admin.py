"""The admin page: instructor accounts (create, disable, enable, reset)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from optionsmatrix.api.deps import MAX_ID, SessionDep
from optionsmatrix.errors import InvalidInput
from optionsmatrix.services import accounts
from optionsmatrix.web.deps import Admin
from optionsmatrix.web.flash import pop_flash, redirect_with_flash
from optionsmatrix.web.forms import errors_from
from optionsmatrix.web.rendering import render

router = APIRouter()

InstructorId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _page(request: Request, session, **extra: object) -> Response:  # noqa: ANN001
    context = {"instructors": accounts.list_instructors(session), "link": None, "errors": {}, "values": {}, **extra}
    return render(request, "admin/instructors.html", context, status_code=422 if extra.get("errors") else 200)


def _link_url(request: Request, secret: str) -> str:
    return str(request.url_for("password_setup", secret=secret))


@router.get("/admin", name="admin")
def admin_page(request: Request, session: SessionDep, _admin: Admin) -> Response:
    return _page(request, session, link=pop_flash(request).get("link"))


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
    return _with_link(request, instructor.email, secret)


def _with_link(request: Request, email: str, secret: str) -> Response:
    link = {"email": email, "url": _link_url(request, secret)}
    return redirect_with_flash(request, str(request.url_for("admin")), {"link": link})


@router.post("/admin/instructors/{instructor_id}/{action}", name="admin_instructor_action")
def instructor_action(
    request: Request,
    session: SessionDep,
    admin: Admin,
    instructor_id: InstructorId,
    action: Literal["disable", "enable", "reset"],
) -> Response:
    instructor = accounts.get_instructor(session, instructor_id=instructor_id)
    if instructor.id == admin.id:
        return _page(request, session, errors={"form": "you cannot disable, enable or reset your own account here"})
    if action == "reset":
        secret = accounts.reset_password(
            session, instructor=instructor, hours=request.app.state.settings.password_link_hours
        )
        return _with_link(request, instructor.email, secret)
    accounts.set_active(session, instructor=instructor, active=action == "enable")
    return RedirectResponse(request.url_for("admin"), status_code=303)
