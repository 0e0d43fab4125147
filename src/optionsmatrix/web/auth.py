"""Logging in and out in the browser, and setting a password from a one-time link."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep, client_address
from optionsmatrix.models import TokenKind
from optionsmatrix.services import accounts, tokens
from optionsmatrix.services.rate_limits import LoginLimits, limited_login
from optionsmatrix.web.forms import errors_from
from optionsmatrix.web.guard import SESSION_COOKIE, WebCtx, page_router
from optionsmatrix.web.rendering import PRIVATE, render, secure_cookies
from optionsmatrix.web.scoring.messages import as_sentence

router = page_router()


def safe_next(target: str | None) -> str:
    """Only paths on this site: an open redirect would make our login page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_url(next_path: str) -> str:
    return f"/login?next={quote(next_path, safe='/')}"


def start_browser_session(request: Request, session, instructor, destination: str) -> Response:  # noqa: ANN001
    settings = request.app.state.settings
    issued = tokens.issue(
        session, instructor=instructor, kind=TokenKind.SESSION, lifetime=timedelta(days=settings.session_days)
    )
    response = RedirectResponse(destination, status_code=303, headers=PRIVATE)  # it carries the session's secret
    response.set_cookie(
        SESSION_COOKIE,
        issued.secret,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )
    return response


@router.get("/login", name="login")
def login_form(request: Request, _: WebCtx, next: str = "/") -> Response:  # noqa: A002
    return render(request, "auth/login.html", {"next": safe_next(next), "email": "", "error": None})


@router.post("/login", name="login_submit")
def login_submit(
    request: Request,
    session: SessionDep,
    _: WebCtx,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
) -> Response:
    context = {"next": safe_next(next), "email": email}
    # The same limits as POST /api/v1/auth/login: see services/rate_limits.py.
    outcome = limited_login(
        session,
        limits=LoginLimits.from_settings(request.app.state.settings),
        email=email,
        client=client_address(request),
        authenticate=lambda: accounts.authenticate(
            session, email=email, password=password, hasher=request.app.state.password_hasher
        ),
    )
    if outcome.retry_after is not None:
        wait = outcome.retry_after
        message = f"Too many failed attempts to log in. Try again in {wait} seconds."
        return render(
            request,
            "auth/login.html",
            {**context, "error": message},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    instructor = outcome.account
    if instructor is None:
        return render(
            request,
            "auth/login.html",
            {**context, "error": "That email and password do not match an active account."},
            status_code=401,
        )
    return start_browser_session(request, session, instructor, safe_next(next))


@router.get("/logout", name="logout")
def logout_form(request: Request, _: WebCtx) -> Response:
    return render(request, "auth/logout.html", {})


@router.post("/logout", name="logout_submit")
def logout_submit(request: Request, session: SessionDep, _: WebCtx) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        tokens.revoke_secret(session, secret=cookie)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/setup/{secret}", name="password_setup")
def password_setup_form(request: Request, session: SessionDep, secret: str, _: WebCtx) -> Response:
    link = accounts.open_password_link(session, secret=secret[:200])
    if link is None:
        return _dead_link(request)
    instructor = accounts.get_instructor(session, instructor_id=link.instructor_id)
    context = {"secret": secret, "email": instructor.email, "errors": {}}
    return render(request, "auth/setup.html", context, private=True)  # its address is the secret


@router.post("/setup/{secret}", name="password_setup_submit")
def password_setup_submit(
    request: Request,
    session: SessionDep,
    secret: str,
    _: WebCtx,
    password: Annotated[str, Form(max_length=1000)] = "",
    confirm: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    link = accounts.open_password_link(session, secret=secret[:200])
    if link is None:
        return _dead_link(request)
    instructor = accounts.get_instructor(session, instructor_id=link.instructor_id)
    errors: dict[str, str] = {}
    if password != confirm:
        errors["confirm"] = "The two passwords differ: type the same one in both fields."
    else:
        try:
            instructor = accounts.use_password_link(
                session, link=link, password=password, hasher=request.app.state.password_hasher
            )
        except InvalidInput as error:
            errors = {field: as_sentence(message) for field, message in errors_from(error).items()}
    if errors:
        # Both fields come back empty: a password is never written into a page.
        context = {"secret": secret, "email": instructor.email, "errors": errors}
        return render(request, "auth/setup.html", context, status_code=422, private=True)
    return start_browser_session(request, session, instructor, "/")


def _dead_link(request: Request) -> Response:
    message = "This link has expired or has already been used. Ask an admin for a new one (optionsmatrix admin-link)."
    return render(request, "errors/page.html", {"status_code": 404, "message": message}, status_code=404)
