"""/api/v1/auth/login — a short-lived token for scripts that hold a password."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from optionsmatrix.api.responses import TOO_LARGE, TOO_MANY_ATTEMPTS, UNPROCESSABLE, WRONG_PASSWORD, responses
from optionsmatrix.api.routing import api_router
from optionsmatrix.http.deps import SessionDep, client_address
from optionsmatrix.models import TokenKind
from optionsmatrix.schemas.matrices import LoginRequest, LoginToken
from optionsmatrix.services import accounts, tokens
from optionsmatrix.services.access import NotAuthenticated
from optionsmatrix.services.rate_limits import LoginLimits, limited_login

router = api_router(prefix="/auth", tags=["access"])


@router.post(
    "/login",
    name="api_login",  # the page /login owns the name "login" for url_for
    response_model=LoginToken,
    responses=responses(WRONG_PASSWORD, TOO_LARGE, UNPROCESSABLE, TOO_MANY_ATTEMPTS),
)
def login(
    credentials: LoginRequest, request: Request, response: Response, session: SessionDep
) -> LoginToken | JSONResponse:
    """Trade an email and password for a bearer token that expires within the hour.

    After 10 failures in a minute for one email from one address, or 100 from
    one address whatever the email, the answer is 429 with Retry-After.
    """
    outcome = limited_login(
        session,
        limits=LoginLimits.from_settings(request.app.state.settings),
        email=credentials.email,
        client=client_address(request),
        authenticate=lambda: accounts.authenticate(
            session, email=credentials.email, password=credentials.password, hasher=request.app.state.password_hasher
        ),
    )
    if outcome.retry_after is not None:
        return JSONResponse(
            {"detail": f"too many failed login attempts; try again in {outcome.retry_after} seconds"},
            status_code=429,
            headers={"Retry-After": str(outcome.retry_after)},
        )
    instructor = outcome.account
    if instructor is None:
        raise NotAuthenticated("that email and password do not match an active account")
    minutes = request.app.state.settings.login_token_minutes
    issued = tokens.issue(session, instructor=instructor, kind=TokenKind.LOGIN, lifetime=timedelta(minutes=minutes))
    response.headers["Cache-Control"] = "no-store"  # the answer is a credential (as OAuth 2 requires for tokens)
    return LoginToken(token=issued.secret, expires_at=issued.token.expires_at)  # type: ignore[arg-type]
