"""Who is calling about a seminar session: its instructor (a bearer token) or one of its participants (omp_…).

A participant token is good for its own session only; on another session,
as for another instructor's session, the answer is 404, so a session's
existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from optionsmatrix.errors import NotFound
from optionsmatrix.http.deps import SessionDep, path_id
from optionsmatrix.models import Participant
from optionsmatrix.services import tokens
from optionsmatrix.services.access import ANONYMOUS, Actor, Forbidden, NotAuthenticated
from optionsmatrix.services.ballots import PARTICIPANT_TOKEN_PREFIX, resolve_participant
from optionsmatrix.services.seminars import SessionSnapshot, check_runs, get_snapshot

SessionId = path_id("The session's id")
_bearer = HTTPBearer(
    auto_error=False, description="An instructor's token, or a participant's token from POST /api/v1/sessions/join"
)


@dataclass(frozen=True)
class SessionCaller:
    actor: Actor  # the instructor, or anonymous for a participant
    participant: Participant | None = None


def session_caller(
    session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> SessionCaller:
    if credentials is None:
        raise NotAuthenticated()
    secret = credentials.credentials
    if secret.startswith(PARTICIPANT_TOKEN_PREFIX):
        participant = resolve_participant(session, secret=secret)
        if participant is None:
            raise NotAuthenticated("the participant token is unknown, or its participant was removed")
        return SessionCaller(ANONYMOUS, participant)
    instructor = tokens.resolve(session, secret=secret, kinds=tokens.BEARER_KINDS)
    if instructor is None:
        raise NotAuthenticated("the bearer token is unknown, expired or revoked")
    return SessionCaller(Actor(instructor))


CallerDep = Annotated[SessionCaller, Depends(session_caller)]


def visible_session(session_id: SessionId, session: SessionDep, caller: CallerDep) -> SessionSnapshot:
    """The session, for its instructor or one of its participants; 404 for anyone else."""
    snapshot = get_snapshot(session, session_id)
    if caller.participant is not None:
        if caller.participant.session_id != session_id:
            raise NotFound("Session", session_id)
        return snapshot
    check_runs(caller.actor, snapshot.seminar)
    return snapshot


def run_session(session_id: SessionId, session: SessionDep, caller: CallerDep) -> SessionSnapshot:
    """The session, for its instructor only: its own participants are refused (403), others see nothing (404)."""
    snapshot = visible_session(session_id, session, caller)
    if caller.participant is not None:
        raise Forbidden("only the session's instructor may do this")
    return snapshot


def participant_of(caller: SessionCaller) -> Participant:
    if caller.participant is None:
        raise Forbidden("ballots belong to participants; join with the code to get a participant token")
    return caller.participant


VisibleSession = Annotated[SessionSnapshot, Depends(visible_session)]
RunSession = Annotated[SessionSnapshot, Depends(run_session)]
