"""Participants and their ballots: join with a code, submit and revise, see your own ranking.

A ballot's scores are stored as a JSON array in the session's snapshot order
(options × criteria, null where empty); the API speaks maps keyed by ids, and
this module translates between the two. Every revision is kept; the latest
per participant and round counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import bindparam, func, insert, update
from sqlmodel import Session, col, select

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.core.db import write_transaction
from optionsmatrix.core.security import digest, new_secret
from optionsmatrix.errors import Conflict, FieldError, InvalidInput, NotFound, StaleVersion
from optionsmatrix.models import Ballot, Participant, SeminarSession, SessionRound, utcnow
from optionsmatrix.schemas.sessions import BallotIn
from optionsmatrix.services.seminars import (
    SessionSnapshot,
    get_round,
    get_snapshot,
    normalize_join_code,
    share_lock_session,
)
from optionsmatrix.services.session_ranking import SnapshotRanking, rank_ballot

PARTICIPANT_TOKEN_PREFIX = "omp_"


@dataclass(frozen=True)
class JoinedParticipant:
    participant: Participant
    secret: str  # shown once, never stored


def find_open_session_by_code(session: Session, code: str) -> SeminarSession | None:
    """The session that holds `code`: the open one, else the most recent closed one (to say it is closed)."""
    normalized = normalize_join_code(code)
    if not normalized:
        return None
    rows = session.exec(
        select(SeminarSession)
        .where(SeminarSession.join_code == normalized)
        .order_by(col(SeminarSession.status) == "closed", col(SeminarSession.id).desc())
    ).all()
    return rows[0] if rows else None


def join(session: Session, *, code: str, display_name: str | None) -> JoinedParticipant:
    """A new participant of the open session holding `code`: 404 for no such code, 409 closed or full."""
    found = find_open_session_by_code(session, code)
    if found is None:
        raise NotFound("Session with the code", normalize_join_code(code) or "''")
    secret = PARTICIPANT_TOKEN_PREFIX + new_secret()
    # Deleted since it was found: gone at the read below, or (PostgreSQL, gone between that read
    # and the insert) refused by the participant's foreign key.
    gone = NotFound("Session with the code", normalize_join_code(code))
    with write_transaction(session, conflict=gone):
        # No lock on the session row: a whole room joins within seconds, and
        # serialising every join behind one row (each waiting for the one
        # before to flush its commit) made joins queue for seconds. The cap is
        # therefore soft by the few joins that race at the very moment it is
        # reached; the status is read in this transaction.
        seminar = session.exec(
            select(SeminarSession).where(SeminarSession.id == found.id).execution_options(populate_existing=True)
        ).first()
        if seminar is None:
            raise gone
        if seminar.status != "open":
            raise Conflict("this session is closed; ask the instructor to reopen it")
        count = session.exec(select(func.count()).where(Participant.session_id == seminar.id)).one()
        if count >= seminar.max_participants:
            raise Conflict(f"this session is full ({seminar.max_participants} participants)")
        name = (display_name or "").strip() or f"Participant {count + 1}"
        participant = Participant(session_id=seminar.id, display_name=name, digest=digest(secret))  # type: ignore[arg-type]
        session.add(participant)
    return JoinedParticipant(participant, secret)


_PARTICIPANT_BY_DIGEST = select(Participant).where(Participant.digest == bindparam("digest"))  # built once


def resolve_participant(session: Session, *, secret: str) -> Participant | None:
    if not secret.startswith(PARTICIPANT_TOKEN_PREFIX):
        return None
    return session.exec(_PARTICIPANT_BY_DIGEST, params={"digest": digest(secret)}).first()  # type: ignore[call-overload]


def remove_participant(session: Session, *, seminar: SeminarSession, participant_id: int) -> None:
    with write_transaction(session):
        # The session's row first, as deleting the session takes it (then its participants'): taken the
        # other way round, a removal racing the session's deletion deadlocked on PostgreSQL.
        if not _mark_changed(session, seminar.id):  # type: ignore[arg-type]
            raise NotFound("Session", seminar.id)
        participant = session.get(Participant, participant_id)
        if participant is None or participant.session_id != seminar.id:
            raise NotFound("Participant", participant_id)
        session.delete(participant)


def _mark_changed(session: Session, session_id: int) -> bool:
    """Count a change to the session (its row locked until the write commits); False if it is gone."""
    changed = session.execute(
        update(SeminarSession).where(col(SeminarSession.id) == session_id).values(version=SeminarSession.version + 1)
    )
    return changed.rowcount == 1  # type: ignore[attr-defined]


# Ballots -------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotArrays:
    """One ballot in snapshot order: scores m × n and weights n (NaN = empty), rationales m."""

    scores: np.ndarray
    weights: np.ndarray | None
    rationales: list[str | None]

    @property
    def scored_cells(self) -> int:
        return int((~np.isnan(self.scores)).sum())

    def complete(self, participant_weights: bool) -> bool:
        if np.isnan(self.scores).any():
            return False
        if not participant_weights:
            return True
        return self.weights is not None and not np.isnan(self.weights).any() and bool(self.weights.sum() > 0)


def read_ballot(snapshot: SessionSnapshot, body: BallotIn) -> BallotArrays:
    """The body in snapshot order, every rule checked: known ids, scores on their scales, weights allowed."""
    options, criteria = snapshot.option_index, snapshot.criterion_index
    m, n = len(snapshot.options), len(snapshot.criteria)
    errors: list[FieldError] = []
    scores = np.full((m, n), np.nan)
    for option_key, row in body.scores.items():
        i = options.get(int(option_key))
        if i is None:
            errors.append(FieldError(("scores", option_key), f"this session has no option with id {option_key}"))
            continue
        for criterion_key, value in row.items():
            j = criteria.get(int(criterion_key))
            if j is None:
                errors.append(
                    FieldError(
                        ("scores", option_key, criterion_key), f"this session has no criterion with id {criterion_key}"
                    )
                )
                continue
            c = snapshot.criteria[j]
            if not c.scale_min <= value <= c.scale_max:
                errors.append(
                    FieldError(
                        ("scores", option_key, criterion_key),
                        f"'{c.name}' is scored from {c.scale_min:g} to {c.scale_max:g}; got {value:g}",
                    )
                )
                continue
            scores[i, j] = value
    weights = _read_weights(snapshot, body, errors)
    rationales: list[str | None] = [None] * m
    for option_key, text in (body.rationales or {}).items():
        i = options.get(int(option_key))
        if i is None:
            errors.append(FieldError(("rationales", option_key), f"this session has no option with id {option_key}"))
        elif text.strip():
            rationales[i] = text.strip()
    if errors:
        raise InvalidInput(errors)
    return BallotArrays(scores, weights, rationales)


def _read_weights(snapshot: SessionSnapshot, body: BallotIn, errors: list[FieldError]) -> np.ndarray | None:
    if body.weights is None:
        return None
    if snapshot.seminar.weight_mode != "participant":
        errors.append(FieldError(("weights",), "this session fixes the weights; send scores only"))
        return None
    weights = np.full(len(snapshot.criteria), np.nan)
    for criterion_key, value in body.weights.items():
        j = snapshot.criterion_index.get(int(criterion_key))
        if j is None:
            errors.append(
                FieldError(("weights", criterion_key), f"this session has no criterion with id {criterion_key}")
            )
        else:
            weights[j] = value
    return weights


def _json_array(values: np.ndarray) -> str:
    return json.dumps(np.where(np.isnan(values), None, values).tolist())


@dataclass(frozen=True)
class SavedBallot:
    version: int
    complete: bool
    ranking: SnapshotRanking | None


_INSERT_BALLOT = insert(Ballot.__table__)  # type: ignore[attr-defined]


def save_ballot(
    session: Session, *, participant: Participant, body: BallotIn, snapshot: SessionSnapshot | None = None
) -> SavedBallot:
    """Replace the participant's ballot for the current round with a new revision (one transaction).

    `body.version`, when given, must be the latest version (0: none yet), or
    nothing is stored and the answer is 409: two tabs, or two quick
    submissions, never interleave into a mixed ballot.
    """
    snapshot = snapshot or get_snapshot(session, participant.session_id)
    arrays = read_ballot(snapshot, body)  # validated before any lock is taken
    participant_weights = snapshot.seminar.weight_mode == "participant"
    # Ranked before it is stored: a complete ballot the session's method cannot
    # rank (wpm and a 0, topsis and a column of zeros) is refused, rather than
    # stored behind a 422 where it would break the group's result for everyone.
    ranking = _rank_or_refuse(snapshot, arrays) if arrays.complete(participant_weights) else None
    with write_transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            # A shared lock on the session first (the order deleting a session
            # takes too): a close or a new round in flight is waited for, so no
            # ballot lands in a session or round that has just been closed.
            # Then the participant's: their revisions are numbered one after
            # another. (On SQLite the write transaction already holds the
            # database's write lock, which serialises all of this.)
            share_lock_session(session, participant.session_id)
            session.execute(
                update(Participant)
                .where(col(Participant.id) == participant.id)
                .values(session_id=Participant.session_id)
            )
        state = _ballot_state(session, participant)
        if state is None:
            raise NotFound("Participant", participant.id)  # removed by the instructor meanwhile
        status, round_id, latest = state
        if status != "open":
            raise Conflict("this session is closed; your ballot can no longer change")
        if body.version is not None and body.version != latest:
            raise StaleVersion(
                f"your ballot changed since version {body.version} (now version {latest}); reload it and submit again"
            )
        complete = arrays.complete(participant_weights)
        # A plain INSERT: the answer needs the version and nothing else, and a
        # mapped object and its flush cost more than the rest of the write.
        session.connection().execute(
            _INSERT_BALLOT,
            {
                "participant_id": participant.id,
                "round_id": round_id,
                "version": latest + 1,
                "scores": _json_array(arrays.scores),
                "weights": _json_array(arrays.weights) if arrays.weights is not None else None,
                "rationales": json.dumps(arrays.rationales),
                "scored_cells": arrays.scored_cells,
                "complete": complete,
                "submitted_at": utcnow(),
            },
        )
    return SavedBallot(latest + 1, complete, ranking)


def _rank_or_refuse(snapshot: SessionSnapshot, arrays: BallotArrays) -> SnapshotRanking:
    try:
        return rank_ballot(snapshot, arrays.scores, arrays.weights)
    except AnalysisError as error:
        loc = error.loc
        if len(loc) == 3 and loc[0] == "scores":  # snapshot positions -> the ids the client sent
            option, criterion = snapshot.options[int(loc[1])], snapshot.criteria[int(loc[2])]
            raise InvalidInput([FieldError(("scores", str(option.id), str(criterion.id)), error.message)]) from None
        raise InvalidInput.on("scores", error.message) from None


# Built once: constructing it per ballot cost more than running it.
_LATEST_VERSION = (
    select(func.coalesce(func.max(Ballot.version), 0))
    .where(Ballot.participant_id == bindparam("participant_id"), Ballot.round_id == SessionRound.id)
    .correlate(SessionRound)
    .scalar_subquery()
)
_BALLOT_STATE = (
    select(SeminarSession.status, SessionRound.id, _LATEST_VERSION)
    .select_from(Participant)
    .join(SeminarSession, col(SeminarSession.id) == Participant.session_id)
    .join(SessionRound, (col(SessionRound.session_id) == SeminarSession.id)
          & (col(SessionRound.number) == SeminarSession.current_round))
    .where(Participant.id == bindparam("participant_id"))
)  # fmt: skip


def _ballot_state(session: Session, participant: Participant) -> tuple[str, int, int] | None:
    """In one query, read inside the write: the session's status, its current round, and the
    participant's latest ballot version in that round (0: none). None if the participant is gone."""
    row = session.connection().execute(_BALLOT_STATE, {"participant_id": participant.id}).first()
    return None if row is None else (row[0], row[1], row[2])


@dataclass(frozen=True)
class StoredBallot:
    ballot: Ballot
    arrays: BallotArrays
    round: int
    ranking: SnapshotRanking | None


def latest_ballot(session: Session, *, participant: Participant, round_number: int | None = None) -> StoredBallot:
    """The participant's latest ballot in a round (default: the current one), or 404."""
    snapshot = get_snapshot(session, participant.session_id)
    number = round_number if round_number is not None else snapshot.round.number
    round_ = get_round(session, snapshot, number)
    ballot = session.exec(
        select(Ballot)
        .where(Ballot.participant_id == participant.id, Ballot.round_id == round_.id)
        .order_by(col(Ballot.version).desc())
    ).first()
    if ballot is None:
        raise NotFound("Ballot of round", number)
    arrays = stored_arrays(ballot)
    ranking = rank_ballot(snapshot, arrays.scores, arrays.weights) if ballot.complete else None
    return StoredBallot(ballot, arrays, number, ranking)


def stored_arrays(ballot: Ballot) -> BallotArrays:
    weights = np.array(json.loads(ballot.weights), dtype=float) if ballot.weights is not None else None
    return BallotArrays(np.array(json.loads(ballot.scores), dtype=float), weights, json.loads(ballot.rationales))


def last_change(session: Session, participant_id: int) -> datetime | None:
    return session.exec(select(func.max(Ballot.submitted_at)).where(Ballot.participant_id == participant_id)).one()
