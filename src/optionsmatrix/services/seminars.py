"""Seminar sessions: start one from a matrix, run it (reveal, rounds, close), and who may.

A session is frozen at its start: its options and criteria are copied into
rows of its own, remembering their source ids, so editing the matrix later
changes neither the session nor its results.
"""

from __future__ import annotations

import secrets
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import bindparam, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from optionsmatrix.analysis import AnalysisError, Problem, allowed_normalizations, method_spec
from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import Conflict, InvalidInput, NotFound
from optionsmatrix.models import (
    Ballot,
    Instructor,
    Matrix,
    Participant,
    SeminarSession,
    SessionCriterion,
    SessionOption,
    SessionRound,
    utcnow,
)
from optionsmatrix.schemas.sessions import SessionCreate
from optionsmatrix.services.access import Actor

# No look-alikes: no 0/O, no 1/I/L. 31⁶ ≈ 887 million codes.
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
JOIN_CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class SessionSnapshot:
    """A session with its frozen options and criteria, in position order, and its current round."""

    seminar: SeminarSession
    options: list[SessionOption]
    criteria: list[SessionCriterion]
    round: SessionRound

    @property
    def option_index(self) -> dict[int, int]:
        return {o.id: i for i, o in enumerate(self.options)}  # type: ignore[misc]

    @property
    def criterion_index(self) -> dict[int, int]:
        return {c.id: j for j, c in enumerate(self.criteria)}  # type: ignore[misc]


def normalize_join_code(code: str) -> str:
    """Codes are read off a projector and typed on phones: case, spaces and dashes do not matter, nor
    full-width letters and digits (an East Asian keyboard's default: NFKC makes them ASCII)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if not ch.isspace() and ch != "-")


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _code_taken(session: Session, code: str, *, except_id: int | None = None) -> bool:
    query = select(SeminarSession.id).where(SeminarSession.join_code == code, SeminarSession.status == "open")
    if except_id is not None:
        query = query.where(col(SeminarSession.id) != except_id)
    return session.exec(query).first() is not None


def _free_join_code(session: Session) -> str:
    for _ in range(JOIN_CODE_ATTEMPTS):
        code = _new_join_code()
        if not _code_taken(session, code):
            return code
    raise Conflict("could not find a free join code; try again")  # ~impossible below millions of open sessions


def _check_method(method: str, normalization: str | None) -> None:
    allowed = allowed_normalizations(method)
    if normalization is not None and normalization not in allowed:
        choice = ", ".join(f"'{n}'" for n in allowed) if allowed else "none (leave it out)"
        raise InvalidInput.on("normalization", f"method '{method}' accepts normalization {choice}")


def start_session(
    session: Session, *, matrix: Matrix, owner: Instructor, data: SessionCreate, max_participants: int
) -> SessionSnapshot:
    """Freeze `matrix` into a new open session owned by `owner`, with round 1 open."""
    _check_method(data.method, data.normalization)
    if not matrix.options or not matrix.criteria:
        raise InvalidInput.on("matrix", "a session needs a matrix with at least one option and one criterion")
    matrix_id = matrix.id
    for attempt in range(JOIN_CODE_ATTEMPTS):
        try:
            with write_transaction(session):
                # Deleted since the request read it? (Then the insert below would fail on its foreign key,
                # roll back and expire `matrix`, which could not be read again.)
                if session.exec(select(Matrix.id).where(Matrix.id == matrix_id)).first() is None:
                    raise NotFound("Matrix", matrix_id)
                seminar = SeminarSession(
                    owner_id=owner.id,  # type: ignore[arg-type]
                    matrix_id=matrix.id,
                    title=data.title or matrix.title,
                    join_code=_free_join_code(session),
                    weight_mode=data.weight_mode,
                    method=data.method,
                    normalization=data.normalization or _default_normalization(data.method, matrix),
                    reveal_new_rounds=data.reveal,
                    max_participants=max_participants,
                )
                session.add(seminar)
                session.flush()
                session.add_all(_snapshot_rows(matrix, seminar.id))  # type: ignore[arg-type]
                session.add(SessionRound(session_id=seminar.id, number=1, revealed=data.reveal))  # type: ignore[arg-type]
            return get_snapshot(session, seminar.id)  # type: ignore[arg-type]
        except IntegrityError:  # another worker took the same code at the same moment
            if attempt == JOIN_CODE_ATTEMPTS - 1:
                raise
    raise Conflict("could not find a free join code; try again")


def _default_normalization(method: str, matrix: Matrix) -> str | None:
    """The method's default for this matrix, stated once at the start so results say what they used."""
    spec = method_spec(method)
    if not spec.normalizations:
        return None
    if spec.default_normalization is None:
        return spec.normalizations[0]
    problem = Problem.build(
        options=[o.name for o in matrix.options],
        criteria=[c.name for c in matrix.criteria],
        scores=[[c.scale_min for c in matrix.criteria] for _ in matrix.options],
        directions=[c.direction for c in matrix.criteria],
        weights=[1.0] * len(matrix.criteria),
        scales=[(c.scale_min, c.scale_max) for c in matrix.criteria],
    )
    return spec.default_normalization(problem)


def _snapshot_rows(matrix: Matrix, session_id: int) -> list[SessionOption | SessionCriterion]:
    options = [
        SessionOption(
            session_id=session_id, source_option_id=o.id, name=o.name, short_name=o.short_name,
            description=o.description, escalation_level=o.escalation_level, evidence=o.evidence, position=i,
        )
        for i, o in enumerate(sorted(matrix.options, key=lambda o: o.position))
    ]  # fmt: skip
    criteria = [
        SessionCriterion(
            session_id=session_id, source_criterion_id=c.id, name=c.name,
            short_name=c.short_name, description=c.description, direction=c.direction,
            weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max,
            scale_low_label=c.scale_low_label, scale_high_label=c.scale_high_label, evidence=c.evidence, position=j,
        )
        for j, c in enumerate(sorted(matrix.criteria, key=lambda c: c.position))
    ]  # fmt: skip
    return [*options, *criteria]


# A session's options and criteria never change after its start, so each
# worker may keep them; the key includes the start time because SQLite can
# hand a deleted session's id to a new one.
_FROZEN_ITEMS: OrderedDict[tuple[int, str], tuple[list[SessionOption], list[SessionCriterion]]] = OrderedDict()
_FROZEN_ITEMS_GUARD = threading.Lock()
FROZEN_ITEMS_KEPT = 256


def _frozen_items(session: Session, seminar: SeminarSession) -> tuple[list[SessionOption], list[SessionCriterion]]:
    key = (seminar.id, seminar.created_at.isoformat())  # type: ignore[arg-type]
    with _FROZEN_ITEMS_GUARD:
        if key in _FROZEN_ITEMS:
            _FROZEN_ITEMS.move_to_end(key)
            return _FROZEN_ITEMS[key]
    options = list(
        session.exec(select(SessionOption).where(SessionOption.session_id == seminar.id).order_by(
            col(SessionOption.position)))
    )  # fmt: skip
    criteria = list(
        session.exec(select(SessionCriterion).where(SessionCriterion.session_id == seminar.id).order_by(
            col(SessionCriterion.position)))
    )  # fmt: skip
    for row in (*options, *criteria):
        session.expunge(row)  # shared between requests: detached, read-only by convention
    with _FROZEN_ITEMS_GUARD:
        _FROZEN_ITEMS[key] = (options, criteria)
        while len(_FROZEN_ITEMS) > FROZEN_ITEMS_KEPT:
            _FROZEN_ITEMS.popitem(last=False)
    return options, criteria


# Built once: every participant's request reads it, and building it cost as much as running it.
_SNAPSHOT = (
    select(SeminarSession, SessionRound)
    .join(SessionRound, (col(SessionRound.session_id) == SeminarSession.id)
          & (col(SessionRound.number) == SeminarSession.current_round))
    .where(SeminarSession.id == bindparam("session_id"))
    .execution_options(populate_existing=True)
)  # fmt: skip


def get_snapshot(
    session: Session, session_id: int, *, for_update: bool = False, for_share: bool = False
) -> SessionSnapshot:
    """The session, its current round (one query) and its frozen options and criteria.

    On PostgreSQL, inside `write_transaction`: `for_update` locks the session
    for an instructor action; `for_share` (a ballot) waits for one in flight
    and keeps the next from starting before this commits, while ballots do
    not wait for each other.
    """
    if for_update and session.get_bind().dialect.name == "postgresql":
        # Lock first, then read in a statement of its own. Locking in the join
        # itself, a concurrent new round made PostgreSQL recheck the updated
        # row against the old round, find no match, and answer 404.
        session.exec(select(SeminarSession.id).where(SeminarSession.id == session_id).with_for_update())
    elif for_share and session.get_bind().dialect.name == "postgresql":
        share_lock_session(session, session_id)
    row = session.exec(_SNAPSHOT, params={"session_id": session_id}).first()  # type: ignore[call-overload]
    if row is None:
        raise NotFound("Session", session_id)
    seminar, round_ = row
    options, criteria = _frozen_items(session, seminar)
    return SessionSnapshot(seminar, options, criteria, round_)


def share_lock_session(session: Session, session_id: int) -> None:
    """PostgreSQL, inside `write_transaction`: wait for an instructor action in flight on the session,
    and keep the next from starting before this transaction ends; such holders do not wait for each other."""
    session.exec(
        select(SeminarSession.id).where(SeminarSession.id == session_id).with_for_update(read=True, key_share=True)
    )


def get_round(session: Session, snapshot: SessionSnapshot, number: int | None) -> SessionRound:
    if number is None or number == snapshot.round.number:
        return snapshot.round
    found = session.exec(
        select(SessionRound).where(SessionRound.session_id == snapshot.seminar.id, SessionRound.number == number)
    ).first()
    if found is None:
        raise NotFound("Round", number)
    return found


# Who may -------------------------------------------------------------------------


def may_run(actor: Actor, seminar: SeminarSession) -> bool:
    """The session's instructor (or an admin) runs it and sees everything in it."""
    return actor.is_admin or (actor.instructor is not None and seminar.owner_id == actor.instructor_id)


def check_runs(actor: Actor, seminar: SeminarSession) -> SeminarSession:
    actor.require_instructor()
    if not may_run(actor, seminar):
        raise NotFound("Session", seminar.id)  # another instructor's session is as good as absent
    return seminar


# Listing -------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    seminar: SeminarSession
    participants: int
    ballots: int


def list_sessions(
    session: Session, *, actor: Actor, limit: int, offset: int, matrix_id: int | None = None
) -> tuple[list[SessionRow], int]:
    """The sessions `actor` runs (an admin: all), newest first, with their participant and ballot counts."""
    condition = (
        col(SeminarSession.owner_id) == actor.instructor_id if not actor.is_admin else col(SeminarSession.id) > 0
    )
    if matrix_id is not None:
        condition = condition & (col(SeminarSession.matrix_id) == matrix_id)
    participants = (
        select(func.count()).where(Participant.session_id == SeminarSession.id).correlate(SeminarSession)
        .scalar_subquery()
    )  # fmt: skip
    ballots = (
        select(func.count(func.distinct(Ballot.participant_id)))
        .join(SessionRound, col(SessionRound.id) == Ballot.round_id)
        .where(SessionRound.session_id == SeminarSession.id, SessionRound.number == SeminarSession.current_round,
               Ballot.scored_cells > 0)
        .correlate(SeminarSession)
        .scalar_subquery()
    )  # fmt: skip
    rows = session.exec(
        select(SeminarSession, participants, ballots)
        .where(condition)
        .order_by(col(SeminarSession.created_at).desc(), col(SeminarSession.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = session.exec(select(func.count()).select_from(SeminarSession).where(condition)).one()
    return [SessionRow(s, p, b) for s, p, b in rows], total


def participant_count(session: Session, session_id: int) -> int:
    return session.exec(select(func.count()).where(Participant.session_id == session_id)).one()


# Running it ----------------------------------------------------------------------


def _change(session: Session, seminar: SeminarSession) -> SessionSnapshot:
    """Lock the session for an instructor action; the caller changes it inside its write_transaction."""
    snapshot = get_snapshot(session, seminar.id, for_update=True)  # type: ignore[arg-type]
    snapshot.seminar.version += 1
    session.add(snapshot.seminar)
    return snapshot


def set_reveal(session: Session, *, seminar: SeminarSession, revealed: bool) -> SessionSnapshot:
    """Show (or hide) the current round's group result to participants."""
    with write_transaction(session):
        snapshot = _change(session, seminar)
        snapshot.round.revealed = revealed
        session.add(snapshot.round)
    return get_snapshot(session, seminar.id)  # type: ignore[arg-type]


def close_session(session: Session, *, seminar: SeminarSession) -> SessionSnapshot:
    with write_transaction(session):
        snapshot = _change(session, seminar)
        snapshot.seminar.status = "closed"
        if snapshot.round.closed_at is None:
            snapshot.round.closed_at = utcnow()
            session.add(snapshot.round)
    return get_snapshot(session, seminar.id)  # type: ignore[arg-type]


def reopen_session(session: Session, *, seminar: SeminarSession) -> SessionSnapshot:
    """Open again; a new join code if the old one went to another open session meanwhile."""
    with write_transaction(session):
        snapshot = _change(session, seminar)
        if snapshot.seminar.status == "open":
            return snapshot
        if _code_taken(session, snapshot.seminar.join_code, except_id=seminar.id):
            snapshot.seminar.join_code = _free_join_code(session)
        snapshot.seminar.status = "open"
        snapshot.round.closed_at = None
        session.add(snapshot.round)
    return get_snapshot(session, seminar.id)  # type: ignore[arg-type]


def new_round(session: Session, *, seminar: SeminarSession) -> SessionSnapshot:
    """Close the current round (its results stay as they are) and open the next, empty."""
    with write_transaction(session):
        snapshot = _change(session, seminar)
        if snapshot.seminar.status != "open":
            raise Conflict("the session is closed; reopen it to start another round")
        snapshot.round.closed_at = utcnow()
        session.add(snapshot.round)
        number = snapshot.seminar.current_round + 1
        snapshot.seminar.current_round = number
        session.add(
            SessionRound(session_id=seminar.id, number=number, revealed=snapshot.seminar.reveal_new_rounds)  # type: ignore[arg-type]
        )
    return get_snapshot(session, seminar.id)  # type: ignore[arg-type]


def delete_session(session: Session, *, seminar: SeminarSession) -> None:
    with write_transaction(session):
        session.delete(_change(session, seminar).seminar)


def check_session_method(method: str) -> None:
    """A method named in a results request: one the registry knows."""
    try:
        allowed_normalizations(method)
    except AnalysisError as error:
        raise InvalidInput.on("method", error.message) from None


def mark_changed(session: Session, session_id: int) -> None:
    """Bump the session's version (for ETags) inside the caller's write transaction."""
    session.execute(
        update(SeminarSession).where(col(SeminarSession.id) == session_id).values(version=SeminarSession.version + 1)
    )
