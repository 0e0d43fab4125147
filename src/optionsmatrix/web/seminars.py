"""An instructor's seminar sessions: start one from a matrix page, the list, and the live dashboard.

The dashboard is projector-first: the join code, link and QR large; who has
joined and how far each has scored, refreshed by htmx every few seconds (the
database is the source of truth, so any worker can answer, and an unchanged
dashboard answers 304 from its ETag); the controls; and the group's results.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from optionsmatrix.analysis import METHODS, allowed_normalizations
from optionsmatrix.analysis.explain import NORMALIZATION_LABELS
from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep, path_id
from optionsmatrix.schemas.sessions import SessionCreate
from optionsmatrix.services import ballots, seminars, session_files
from optionsmatrix.services.comparisons import comparable_sessions
from optionsmatrix.services.seminars import SessionSnapshot, check_runs, get_snapshot
from optionsmatrix.services.session_files import SessionExportFormat
from optionsmatrix.services.session_results import group_result
from optionsmatrix.services.session_sensitivity import HOW_SURE_SEED, how_sure
from optionsmatrix.services.session_tables import group_chart, heatmap, movement
from optionsmatrix.services.session_views import fingerprint, participant_list, round_list
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import LoggedIn, PageMatrix
from optionsmatrix.web.forms import SubmittedForm, errors_from, parse_form
from optionsmatrix.web.guard import WebActor, page_router
from optionsmatrix.web.rendering import PRIVATE, is_htmx, render
from optionsmatrix.web.scoring.messages import as_sentence
from optionsmatrix.web.seminar_view import label, method_words, qr_svg
from optionsmatrix.web.sensitivity_view import chosen_sweep, how_sure_view

router = page_router()
SessionId = path_id("The session's id")
ParticipantId = path_id("The participant's id")
SessionAction = Literal["reveal", "hide", "close", "reopen", "rounds"]
LIVE_SECONDS = 3  # how often the dashboard asks whether anything changed


def run_page_session(session_id: SessionId, session: SessionDep, actor: WebActor) -> SessionSnapshot:
    actor.require_instructor()  # anonymous visitors are sent to log in first
    snapshot = get_snapshot(session, session_id)
    check_runs(actor, snapshot.seminar)
    return snapshot


RunPageSession = Annotated[SessionSnapshot, Depends(run_page_session)]


def join_url(request: Request, code: str) -> str:
    return str(request.url_for("join_code_page", code=code))


START_FIELDS = ("title", "weight_mode", "method", "normalization")


@router.post("/matrices/{matrix_id}/sessions", name="session_start")
def start(
    request: Request,
    matrix: PageMatrix,
    session: SessionDep,
    instructor: LoggedIn,
    actor: WebActor,
    submitted: SubmittedForm,
) -> Response:
    chosen = {k: str(v).strip() for k, v in submitted.items() if k in START_FIELDS}
    form = parse_form(SessionCreate, FormData({k: v for k, v in chosen.items() if v}))
    if form.ok:
        data = form.data.model_copy(update={"reveal": submitted.get("reveal") == "on"})  # type: ignore[union-attr]
        try:
            snapshot = seminars.start_session(
                session, matrix=matrix, owner=instructor, data=data,
                max_participants=request.app.state.settings.max_participants,
            )  # fmt: skip
            return RedirectResponse(request.url_for("session_dashboard", session_id=snapshot.seminar.id), 303)
        except InvalidInput as error:
            form.errors = {field: as_sentence(message) for field, message in errors_from(error).items()}
            if "normalization" in form.errors:
                form.errors["normalization"] = _normalisation_sentence(chosen.get("method") or "wsm")
    errors = form.errors or {"form": "The session could not be started."}
    shown = {**chosen, "reveal": str(submitted.get("reveal", ""))}  # the form comes back as sent
    context = {**matrix_context(matrix, actor), "session_form": {"values": shown, "errors": errors}}
    return render(request, "matrices/detail.html", context, status_code=422)


def _normalisation_sentence(method: str) -> str:
    """Which normalisations a method takes, in the words of the form's selects."""
    name = METHODS[method].label if method in METHODS else method
    allowed = allowed_normalizations(method) if method in METHODS else ()
    if not allowed:
        return f"{name} works on the raw scores: choose “The method's default” for its normalisation."
    listed = ", ".join(NORMALIZATION_LABELS[n].split(" — ")[0] for n in allowed)
    return f"{name} takes one of these normalisations: {listed}; or choose “The method's default”."


@router.get("/sessions", name="session_list")
def session_list(request: Request, session: SessionDep, actor: WebActor, _: LoggedIn) -> Response:
    rows, total = seminars.list_sessions(session, actor=actor, limit=200, offset=0)
    return render(request, "sessions/list.html", {"rows": rows, "total": total})


def _dashboard_context(request: Request, session: Session, snapshot: SessionSnapshot) -> dict[str, object]:
    result = group_result(session, snapshot)
    previous = (
        group_result(session, snapshot, round_number=snapshot.round.number - 1) if snapshot.round.number > 1 else None
    )
    url = join_url(request, snapshot.seminar.join_code)
    return {
        "snapshot": snapshot,
        "seminar": snapshot.seminar,
        "round": snapshot.round,
        "join_url": url,
        "qr": qr_svg(url) if snapshot.seminar.status == "open" else None,  # only an open session shows it
        "participants": participant_list(session, snapshot),
        "rounds": round_list(session, snapshot),
        "result": result,
        "chart": group_chart(result, snapshot),
        "method_words": method_words,
        "heatmap": heatmap(snapshot, result),
        "criteria_labels": [(label(c), c.name) for c in snapshot.criteria],
        "movement": movement(snapshot, previous, result) if previous is not None else None,
        "previous_round": snapshot.round.number - 1,
        "live_seconds": LIVE_SECONDS,
    }


@router.get("/sessions/{session_id}", name="session_dashboard")
def dashboard(request: Request, snapshot: RunPageSession, session: SessionDep) -> Response:
    context = {**_dashboard_context(request, session, snapshot), "compare_with": comparable_sessions(session, snapshot)}
    return render(request, "sessions/dashboard.html", context)


@router.get("/sessions/{session_id}/live", name="session_live")
def live(request: Request, snapshot: RunPageSession, session: SessionDep) -> Response:
    """The changing part of the dashboard; 304 when nothing changed since the browser's copy."""
    etag = fingerprint(session, snapshot)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    response = render(
        request, "sessions/dashboard.html", _dashboard_context(request, session, snapshot),
        fragment="sessions/_live.html",
    )  # fmt: skip
    response.headers.update(headers)  # after render: a private page, but revalidated rather than never kept
    return response


@router.get("/sessions/{session_id}/how-sure", name="session_how_sure")
def how_sure_page(request: Request, snapshot: RunPageSession, session: SessionDep) -> Response:
    """'How sure is this?' for the current round: a page of its own, or the dashboard's section by htmx."""
    found = how_sure(session, snapshot, seed=HOW_SURE_SEED, sweep=chosen_sweep(request.query_params))
    levels = [o.escalation_level for o in snapshot.options]
    view = how_sure_view(found, levels) if found else None
    context = {"seminar": snapshot.seminar, "round": snapshot.round, "how": view}
    fragment = "sensitivity/_how_sure.html" if is_htmx(request) else None
    return render(request, "sessions/how_sure.html", context, fragment=fragment)


@router.get("/sessions/{session_id}/export", name="session_export")
def export(
    snapshot: RunPageSession,
    session: SessionDep,
    format: Annotated[SessionExportFormat, Query()] = "json",  # noqa: A002
) -> Response:
    """The dashboard's Export links: the same files as GET /api/v1/sessions/{id}/export, for the logged-in browser."""
    download = session_files.export_session(session, snapshot.seminar, format=format)
    headers = {"Content-Disposition": download.content_disposition, **PRIVATE}  # everyone's ballots: never cached
    return Response(download.content, media_type=download.media_type, headers=headers)


def _back(request: Request, snapshot: SessionSnapshot) -> Response:
    url = request.url_for("session_dashboard", session_id=snapshot.seminar.id)
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": str(url)})
    return RedirectResponse(url, status_code=303)


@router.post("/sessions/{session_id}/delete", name="session_delete")
def delete(request: Request, snapshot: RunPageSession, session: SessionDep) -> Response:
    seminars.delete_session(session, seminar=snapshot.seminar)
    target = request.url_for("session_list")
    if is_htmx(request):  # asked through htmx, to confirm first: navigate rather than swap
        return Response(status_code=204, headers={"HX-Redirect": str(target)})
    return RedirectResponse(target, status_code=303)


_ACTIONS = {
    "reveal": lambda s, seminar: seminars.set_reveal(s, seminar=seminar, revealed=True),
    "hide": lambda s, seminar: seminars.set_reveal(s, seminar=seminar, revealed=False),
    "close": lambda s, seminar: seminars.close_session(s, seminar=seminar),
    "reopen": lambda s, seminar: seminars.reopen_session(s, seminar=seminar),
    "rounds": lambda s, seminar: seminars.new_round(s, seminar=seminar),
}


@router.post("/sessions/{session_id}/{action}", name="session_action")
def action(request: Request, snapshot: RunPageSession, session: SessionDep, action: SessionAction) -> Response:
    """Reveal or hide the round's results, close or reopen the session, start the next round."""
    _ACTIONS[action](session, snapshot.seminar)
    return _back(request, snapshot)


@router.post("/sessions/{session_id}/participants/{participant_id}/remove", name="session_remove_participant")
def remove_participant(
    request: Request, snapshot: RunPageSession, session: SessionDep, participant_id: ParticipantId
) -> Response:
    ballots.remove_participant(session, seminar=snapshot.seminar, participant_id=participant_id)
    return _back(request, snapshot)
