"""/api/v1/sessions — seminar sessions: start, join, ballots, results, and running the room."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response, status
from fastapi.responses import JSONResponse

from optionsmatrix.api.deps import InstructorDep, ReadableMatrix
from optionsmatrix.api.responses import (
    BUSY,
    MATRIX_NOT_FOUND,
    NOT_REVEALED,
    NOT_THE_INSTRUCTOR,
    SESSION_CONFLICT,
    SESSION_NOT_FOUND,
    TOO_LARGE,
    TOO_MANY_ATTEMPTS,
    UNAUTHENTICATED,
    UNPROCESSABLE,
    responses,
)
from optionsmatrix.api.routing import api_router
from optionsmatrix.api.session_deps import CallerDep, RunSession, VisibleSession, participant_of
from optionsmatrix.api.session_shapes import ballot_out, ballot_saved, group_results_out, session_public
from optionsmatrix.errors import NotFound
from optionsmatrix.http.deps import SessionDep, client_address, path_id
from optionsmatrix.schemas.sensitivity import SessionSensitivityRequest, SessionSensitivityResponse
from optionsmatrix.schemas.sessions import (
    Aggregation,
    BallotIn,
    BallotOut,
    BallotSaved,
    GroupResults,
    Joined,
    JoinRequest,
    MethodName,
    ParticipantList,
    RoundList,
    SessionCreate,
    SessionList,
    SessionPublic,
    SessionSummary,
)
from optionsmatrix.services import ballots, seminars
from optionsmatrix.services.access import Forbidden
from optionsmatrix.services.rate_limits import JoinLimited, limited_join
from optionsmatrix.services.session_results import group_result
from optionsmatrix.services.session_sensitivity import session_sensitivity
from optionsmatrix.services.session_views import participant_list, round_list

router = api_router(tags=["sessions"])
ON_A_SESSION = responses(UNAUTHENTICATED, SESSION_NOT_FOUND)
RUNNING = responses(UNAUTHENTICATED, SESSION_NOT_FOUND, NOT_THE_INSTRUCTOR, BUSY)
ParticipantId = path_id("The participant's id")


@router.post(
    "/matrices/{matrix_id}/sessions",
    response_model=SessionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UNAUTHENTICATED, MATRIX_NOT_FOUND, TOO_LARGE, UNPROCESSABLE, BUSY),
)
def start_session(
    request: Request,
    instructor: InstructorDep,  # first: no credentials is a 401 before any lookup
    data: SessionCreate,
    matrix: ReadableMatrix,
    session: SessionDep,
) -> SessionPublic:
    """Freeze the matrix's options and criteria into a new session with a join code; round 1 opens."""
    snapshot = seminars.start_session(
        session, matrix=matrix, owner=instructor, data=data,
        max_participants=request.app.state.settings.max_participants,
    )  # fmt: skip
    return session_public(request, session, snapshot)


@router.get("/sessions", response_model=SessionList, responses=responses(UNAUTHENTICATED))
def list_sessions(
    request: Request,
    session: SessionDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> SessionList:
    """Your sessions, newest first (a participant token: the one session it belongs to)."""
    if caller.participant is not None:
        snapshot = seminars.get_snapshot(session, caller.participant.session_id)
        public = session_public(request, session, snapshot)
        summary = SessionSummary(**public.model_dump(include=set(SessionSummary.model_fields) - {"ballots"}), ballots=0)
        return SessionList(items=[summary], total=1)
    rows, total = seminars.list_sessions(session, actor=caller.actor, limit=limit, offset=offset)
    items = [
        SessionSummary(
            id=row.seminar.id, title=row.seminar.title, matrix_id=row.seminar.matrix_id,
            join_code=row.seminar.join_code, status=row.seminar.status, round=row.seminar.current_round,
            participants=row.participants, ballots=row.ballots, created_at=row.seminar.created_at,
        )
        for row in rows
    ]  # fmt: skip
    return SessionList(items=items, total=total)


@router.get("/sessions/{session_id:digits}", response_model=SessionPublic, responses=ON_A_SESSION)
def read_session(request: Request, snapshot: VisibleSession, session: SessionDep) -> SessionPublic:
    return session_public(request, session, snapshot)


@router.delete("/sessions/{session_id:digits}", status_code=status.HTTP_204_NO_CONTENT, responses=RUNNING)
def delete_session(snapshot: RunSession, session: SessionDep) -> Response:
    """Remove the session with its participants and every ballot."""
    seminars.delete_session(session, seminar=snapshot.seminar)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sessions/join",
    response_model=Joined,
    status_code=status.HTTP_201_CREATED,
    responses=responses(SESSION_NOT_FOUND, SESSION_CONFLICT, TOO_MANY_ATTEMPTS, TOO_LARGE, UNPROCESSABLE, BUSY),
)
def join_session(request: Request, data: JoinRequest, session: SessionDep) -> Joined | Response:
    """Join with the code on the projector; no account. The token answers for this session only."""
    try:
        joined = limited_join(
            session, settings=request.app.state.settings, client=client_address(request),
            join=lambda: ballots.join(session, code=data.join_code, display_name=data.display_name),
        )  # fmt: skip
    except JoinLimited as limited:
        return _too_many(limited.retry_after)
    return Joined(
        participant_token=joined.secret,
        participant_id=joined.participant.id,  # type: ignore[arg-type]
        session_id=joined.participant.session_id,
    )


def _too_many(wait: int) -> Response:
    return JSONResponse(
        {"detail": f"too many wrong codes from your address; try again in {wait} seconds"},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


@router.put(
    "/sessions/{session_id:digits}/ballot",
    response_model=BallotSaved,
    responses=responses(ON_A_SESSION, NOT_THE_INSTRUCTOR, SESSION_CONFLICT, TOO_LARGE, UNPROCESSABLE, BUSY),
)
def put_ballot(data: BallotIn, snapshot: VisibleSession, caller: CallerDep, session: SessionDep) -> BallotSaved:
    """Replace your whole ballot for the current round; send `version` to refuse a stale overwrite (409)."""
    saved = ballots.save_ballot(session, participant=participant_of(caller), body=data, snapshot=snapshot)
    return ballot_saved(saved)


@router.get(
    "/sessions/{session_id:digits}/ballot",
    response_model=BallotOut,
    responses=responses(ON_A_SESSION, NOT_THE_INSTRUCTOR),
)
def get_ballot(snapshot: VisibleSession, caller: CallerDep, session: SessionDep) -> BallotOut:
    """Your latest ballot in the current round (404 when there is none yet)."""
    stored = ballots.latest_ballot(session, participant=participant_of(caller))
    return ballot_out(snapshot, stored)


@router.get(
    "/sessions/{session_id:digits}/results",
    response_model=GroupResults,
    responses=responses(ON_A_SESSION, NOT_REVEALED, UNPROCESSABLE),
)
def results(
    snapshot: VisibleSession,
    caller: CallerDep,
    session: SessionDep,
    method: MethodName | None = None,
    aggregation: Aggregation = "mean",
    round: Annotated[int | None, Query(ge=1, le=10_000)] = None,  # noqa: A002 - the name clients send
) -> GroupResults:
    """The group result of a round: aggregated matrix, ranking, consensus, spread, rank distribution."""
    round_ = _round_the_caller_may_see(session, snapshot, caller, round)
    result = group_result(session, snapshot, method=method, aggregation=aggregation, round_number=round_.number)
    return group_results_out(snapshot, result)


@router.post(
    "/sessions/{session_id:digits}/sensitivity",
    response_model=SessionSensitivityResponse,
    responses=responses(ON_A_SESSION, NOT_REVEALED, TOO_LARGE, UNPROCESSABLE),
)
def sensitivity(
    snapshot: VisibleSession, caller: CallerDep, session: SessionDep, body: SessionSensitivityRequest
) -> dict[str, object]:
    """How sure is the group ranking: weight intervals, SMAA over the room's ballots, dominance, or every method.

    The same answers as `POST /api/v1/sensitivity`, computed on the round's group result, plus the snapshot's
    `option_ids` and `criterion_ids`; visible when the results are (participants: once revealed or closed).
    """
    round_ = _round_the_caller_may_see(session, snapshot, caller, body.round)
    body = body.model_copy(update={"round": round_.number})
    return session_sensitivity(session, snapshot, body)


def _round_the_caller_may_see(session, snapshot, caller, number):  # noqa: ANN001, ANN202
    """The round asked for; a participant sees it only once revealed, or once it or the session is closed."""
    round_ = seminars.get_round(session, snapshot, number)
    if caller.participant is not None and not (
        round_.revealed or round_.closed_at is not None or snapshot.seminar.status == "closed"
    ):
        raise Forbidden("the instructor has not revealed this round's results yet")
    return round_


def _action(path: str, summary: str):  # noqa: ANN202
    return router.post(f"/sessions/{{session_id:digits}}/{path}", response_model=SessionPublic, responses=RUNNING,
                       summary=summary)  # fmt: skip


@_action("reveal", "Show the current round's results to participants")
def reveal(request: Request, snapshot: RunSession, session: SessionDep) -> SessionPublic:
    return session_public(request, session, seminars.set_reveal(session, seminar=snapshot.seminar, revealed=True))


@_action("hide", "Hide the current round's results from participants again")
def hide(request: Request, snapshot: RunSession, session: SessionDep) -> SessionPublic:
    return session_public(request, session, seminars.set_reveal(session, seminar=snapshot.seminar, revealed=False))


@_action("close", "Close the session: no more joining or ballots")
def close(request: Request, snapshot: RunSession, session: SessionDep) -> SessionPublic:
    return session_public(request, session, seminars.close_session(session, seminar=snapshot.seminar))


@_action("reopen", "Open a closed session again (a new join code if the old one was taken meanwhile)")
def reopen(request: Request, snapshot: RunSession, session: SessionDep) -> SessionPublic:
    return session_public(request, session, seminars.reopen_session(session, seminar=snapshot.seminar))


@router.post(
    "/sessions/{session_id:digits}/rounds",
    response_model=SessionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(RUNNING, SESSION_CONFLICT),
)
def start_round(request: Request, snapshot: RunSession, session: SessionDep) -> SessionPublic:
    """Close the current round (its results stay) and open the next (Delphi): participants score again."""
    return session_public(request, session, seminars.new_round(session, seminar=snapshot.seminar))


@router.get("/sessions/{session_id:digits}/rounds", response_model=RoundList, responses=RUNNING)
def list_rounds(snapshot: RunSession, session: SessionDep) -> RoundList:
    return round_list(session, snapshot)


@router.get("/sessions/{session_id:digits}/participants", response_model=ParticipantList, responses=RUNNING)
def list_participants(snapshot: RunSession, session: SessionDep) -> ParticipantList:
    """Who joined, whether and how completely each has scored this round, and when they last changed it."""
    return participant_list(session, snapshot)


@router.delete(
    "/sessions/{session_id:digits}/participants/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(RUNNING, {404: SESSION_NOT_FOUND[404]}),
)
def remove_participant(participant_id: ParticipantId, snapshot: RunSession, session: SessionDep) -> Response:
    """Remove one participant (a prank name) with all their ballots."""
    try:
        ballots.remove_participant(session, seminar=snapshot.seminar, participant_id=participant_id)
    except NotFound:
        raise NotFound("Participant", participant_id) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)
