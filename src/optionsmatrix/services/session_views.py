"""Read models of a running session: its rounds with their counts, its participants with their progress."""

from __future__ import annotations

import hashlib

from sqlalchemy import func
from sqlmodel import Session, col, select

from optionsmatrix.models import Ballot, Participant, SessionRound
from optionsmatrix.schemas.sessions import ParticipantList, ParticipantSummary, RoundList, RoundSummary
from optionsmatrix.services.seminars import SessionSnapshot
from optionsmatrix.services.session_results import participants_of


def round_list(session: Session, snapshot: SessionSnapshot) -> RoundList:
    rounds = session.exec(
        select(SessionRound).where(SessionRound.session_id == snapshot.seminar.id).order_by(col(SessionRound.number))
    ).all()
    counts = _ballot_counts(session, [r.id for r in rounds])  # type: ignore[misc]
    items = [
        RoundSummary(
            number=r.number, revealed=r.revealed, opened_at=r.opened_at, closed_at=r.closed_at,
            ballots=counts.get(r.id, (0, 0))[0], complete_ballots=counts.get(r.id, (0, 0))[1],  # type: ignore[arg-type]
        )
        for r in rounds
    ]  # fmt: skip
    return RoundList(items=items, total=len(items))


def _ballot_counts(session: Session, round_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per round: participants with a scored ballot, and those whose latest ballot is complete."""
    latest = (
        select(Ballot.round_id, Ballot.participant_id, func.max(Ballot.version).label("version"))
        .where(col(Ballot.round_id).in_(round_ids))
        .group_by(col(Ballot.round_id), col(Ballot.participant_id))
        .subquery()
    )
    rows = session.exec(
        select(Ballot.round_id, Ballot.scored_cells, Ballot.complete).join(
            latest,
            (col(Ballot.round_id) == latest.c.round_id)
            & (col(Ballot.participant_id) == latest.c.participant_id)
            & (col(Ballot.version) == latest.c.version),
        )
    ).all()
    counts: dict[int, tuple[int, int]] = {}
    for round_id, scored, complete in rows:
        scored_any, complete_count = counts.get(round_id, (0, 0))
        counts[round_id] = (scored_any + (scored > 0), complete_count + bool(complete))
    return counts


def participant_list(session: Session, snapshot: SessionSnapshot) -> ParticipantList:
    total_cells = len(snapshot.options) * len(snapshot.criteria)
    latest = _latest_in_round(session, snapshot.round.id)  # type: ignore[arg-type]
    items = []
    for participant in participants_of(session, snapshot.seminar.id):  # type: ignore[arg-type]
        ballot = latest.get(participant.id)  # type: ignore[arg-type]
        items.append(
            ParticipantSummary(
                id=participant.id, display_name=participant.display_name, submitted=ballot is not None,  # type: ignore[arg-type]
                complete=bool(ballot and ballot.complete), scored_cells=ballot.scored_cells if ballot else 0,
                total_cells=total_cells, last_change=ballot.submitted_at if ballot else None,
                joined_at=participant.joined_at,
            )
        )  # fmt: skip
    return ParticipantList(items=items, total=len(items))


def _latest_in_round(session: Session, round_id: int) -> dict[int, Ballot]:
    latest = (
        select(Ballot.participant_id, func.max(Ballot.version).label("version"))
        .where(Ballot.round_id == round_id)
        .group_by(col(Ballot.participant_id))
        .subquery()
    )
    rows = session.exec(
        select(Ballot)
        .join(
            latest, (col(Ballot.participant_id) == latest.c.participant_id) & (col(Ballot.version) == latest.c.version)
        )
        .where(Ballot.round_id == round_id)
    ).all()
    return {b.participant_id: b for b in rows}


def fingerprint(session: Session, snapshot: SessionSnapshot) -> str:
    """An ETag that changes whenever what a session shows does: an instructor action, a join, a ballot, a removal."""
    participants, last_participant = session.exec(
        select(func.count(), func.max(Participant.id)).where(Participant.session_id == snapshot.seminar.id)
    ).one()
    ballots_in_round, last_ballot = session.exec(
        select(func.count(), func.max(Ballot.id)).where(Ballot.round_id == snapshot.round.id)
    ).one()
    state = (snapshot.seminar.id, snapshot.seminar.version, snapshot.seminar.current_round, participants,
             last_participant, ballots_in_round, last_ballot)  # fmt: skip
    return '"' + hashlib.sha256(repr(state).encode()).hexdigest()[:20] + '"'
