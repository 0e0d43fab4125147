"""Participants in the browser: type the code (or open the link), pick a name, and score on their phone.

No account: joining sets an HttpOnly cookie holding the participant's secret
(stored only as a digest), one cookie per session, so a reload or a phone
that went to sleep finds the ballot where it was.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from optionsmatrix.errors import Conflict, InvalidInput, NotFound, StaleVersion
from optionsmatrix.http.deps import SessionDep, client_address, path_id
from optionsmatrix.models import Participant
from optionsmatrix.schemas.text import TextRuleBroken, clean_label
from optionsmatrix.services import ballots
from optionsmatrix.services.rate_limits import JoinLimited, limited_join
from optionsmatrix.services.seminars import get_snapshot, normalize_join_code
from optionsmatrix.services.session_views import fingerprint
from optionsmatrix.web.forms import SubmittedForm
from optionsmatrix.web.guard import page_router
from optionsmatrix.web.participation import ballot_from_form, form_field, participant_context
from optionsmatrix.web.rendering import render, secure_cookies

router = page_router()
SessionId = path_id("The session's id")
PARTICIPANT_COOKIE = "om_p{session_id}"
COOKIE_DAYS = 30


def participant_cookie(session_id: int) -> str:
    return PARTICIPANT_COOKIE.format(session_id=session_id)


def participant_in(request: Request, session: Session, session_id: int) -> Participant | None:
    """The participant this browser joined `session_id` as, if any."""
    secret = request.cookies.get(participant_cookie(session_id))
    if not secret:
        return None
    participant = ballots.resolve_participant(session, secret=secret)
    return participant if participant is not None and participant.session_id == session_id else None


def _code_page(request: Request, *, code: str = "", error: str | None = None, status_code: int = 200) -> Response:
    return render(request, "join/code.html", {"code": code, "error": error}, status_code=status_code)


@router.get("/join", name="join_page")
def join_page(request: Request, session: SessionDep, code: str = "") -> Response:
    """Type the code from the projector; a plain GET form, so it works without JavaScript."""
    typed = normalize_join_code(code)[:32]
    if not typed:
        return _code_page(request)
    return _open_code(request, session, typed)


def _open_code(request: Request, session: Session, code: str) -> Response:
    settings = request.app.state.settings

    def find() -> object:
        found = ballots.find_open_session_by_code(session, code)
        if found is None:
            raise NotFound("Session with the code", code)
        return found

    try:
        found = limited_join(session, settings=settings, client=client_address(request), join=find)
    except JoinLimited as limited:
        message = f"Too many wrong codes from your network. Try again in {limited.retry_after} seconds."
        response = _code_page(request, code=code, error=message, status_code=429)
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    except NotFound:
        message = f"There is no session with the code {code}. Check the code on the screen and try again."
        return _code_page(request, code=code, error=message, status_code=404)
    return RedirectResponse(request.url_for("join_code_page", code=found.join_code), status_code=303)  # type: ignore[attr-defined]


@router.get("/join/{code}", name="join_code_page")
def join_code_page(request: Request, session: SessionDep, code: str) -> Response:
    normalized = normalize_join_code(code)[:32]
    found = ballots.find_open_session_by_code(session, normalized)
    if found is None:
        return _open_code(request, session, normalized)  # counts as a wrong code, says so
    if participant_in(request, session, found.id) is not None:  # type: ignore[arg-type]
        return RedirectResponse(request.url_for("participant_page", session_id=found.id), status_code=303)
    context = {"seminar": found, "error": None, "name": ""}
    if found.status != "open":
        context["error"] = "This session is closed. Ask the instructor to reopen it."
    return render(request, "join/name.html", context, status_code=200 if found.status == "open" else 409)


@router.post("/join/{code}", name="join_submit")
def join_submit(
    request: Request,
    session: SessionDep,
    code: str,
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    name = display_name.strip()
    found = ballots.find_open_session_by_code(session, normalize_join_code(code)[:32])
    if found is None:
        return _open_code(request, session, normalize_join_code(code)[:32])
    if len(name) > 40:
        context = {"seminar": found, "error": "Use at most 40 characters for your name.", "name": name}
        return render(request, "join/name.html", context, status_code=422)
    try:
        joined = ballots.join(session, code=found.join_code, display_name=_clean_name(name))
    except Conflict as refused:
        context = {"seminar": found, "error": refused.message[:1].upper() + refused.message[1:] + ".", "name": name}
        return render(request, "join/name.html", context, status_code=409)
    except TextRuleBroken as invalid:
        context = {"seminar": found, "error": str(invalid), "name": name}
        return render(request, "join/name.html", context, status_code=422)
    response = RedirectResponse(request.url_for("participant_page", session_id=found.id), status_code=303)
    response.set_cookie(
        participant_cookie(found.id),  # type: ignore[arg-type]
        joined.secret,
        max_age=COOKIE_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )
    return response


def _clean_name(name: str) -> str:
    """The same rules as every label (NFKC, nothing invisible); a refused name raises TextRuleBroken."""
    return clean_label(name, max_length=40) if name else ""


# The participant's page -----------------------------------------------------------


def _participant_or_join(request: Request, session: Session, session_id: int) -> Participant | Response:
    participant = participant_in(request, session, session_id)
    if participant is not None:
        return participant
    # To the code form, never to this session's code: session ids are sequential,
    # so naming the code here would hand every session's code to anyone counting.
    return RedirectResponse(request.url_for("join_page"), status_code=303)


@router.get("/s/{session_id}", name="participant_page")
def participant_page(request: Request, session: SessionDep, session_id: SessionId, saved: int = 0) -> Response:
    found = _participant_or_join(request, session, session_id)
    if isinstance(found, Response):
        return found
    context = participant_context(session, found, action_url=_ballot_url(request, session_id), saved=bool(saved))
    return render(request, "participate/page.html", context)


@router.post("/s/{session_id}/ballot", name="participant_ballot")
def participant_ballot(
    request: Request, session: SessionDep, session_id: SessionId, submitted: SubmittedForm
) -> Response:
    found = _participant_or_join(request, session, session_id)
    if isinstance(found, Response):
        return found
    snapshot = get_snapshot(session, session_id)
    body, errors = ballot_from_form(snapshot, submitted)
    status_code = 422
    if not errors:
        try:
            ballots.save_ballot(session, participant=found, body=body, snapshot=snapshot)  # type: ignore[arg-type]
        except InvalidInput as refused:
            errors = {form_field(e.loc): e.msg[:1].upper() + e.msg[1:] + "." for e in refused.errors}
        except Conflict as refused:
            errors, status_code = {"form": _conflict_sentence(refused)}, 409
    if errors:
        context = participant_context(
            session, found, action_url=_ballot_url(request, session_id), form=submitted, errors=errors
        )
        return render(request, "participate/page.html", context, status_code=status_code)
    url = request.url_for("participant_page", session_id=session_id).include_query_params(saved=1)
    return RedirectResponse(f"{url}#scoring-result", status_code=303)


def _ballot_url(request: Request, session_id: int) -> str:
    return str(request.url_for("participant_ballot", session_id=session_id))


def _conflict_sentence(refused: Conflict) -> str:
    if isinstance(refused, StaleVersion):
        return (
            "Your ballot was changed from another tab or device after this page was loaded. The form below shows "
            "what you just sent; submit it again to keep it, or reload the page to see the saved ballot."
        )
    return refused.message[:1].upper() + refused.message[1:] + "."


@router.get("/s/{session_id}/status", name="participant_status")
def participant_status(request: Request, session: SessionDep, session_id: SessionId) -> Response:
    """The reveal state and, once revealed, the group result: polled, 304 while nothing changed."""
    found = _participant_or_join(request, session, session_id)
    if isinstance(found, Response):
        return Response(status_code=204)
    snapshot = get_snapshot(session, session_id)
    drawn = request.query_params.get("drawn")
    if drawn is not None and drawn != f"{snapshot.seminar.status}-{snapshot.round.number}":
        # The page's form belongs to another round or state of the session (closed, say): draw it again.
        return Response(status_code=200, headers={"HX-Refresh": "true", "Cache-Control": "no-store"})
    etag = fingerprint(session, snapshot)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    context = participant_context(session, found, action_url=_ballot_url(request, session_id))
    response = render(request, "participate/page.html", context, fragment="participate/_group.html")
    response.headers.update(headers)
    return response
