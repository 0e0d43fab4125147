"""Everything a session's workbook and printed report show, gathered once into one structure.

Both writers read a `SessionExport`: the frozen snapshot, every round's latest
ballots as arrays (participants × options × criteria), the group result of
every ranking method in the registry for every round, the disagreement
heatmap, and what changed between consecutive rounds. The numbers come from
the same functions as the dashboard's (`session_results`, `session_tables`),
so an exported file never disagrees with the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlmodel import Session, col, select

from optionsmatrix.analysis import METHODS, AnalysisError
from optionsmatrix.models import SeminarSession, SessionRound, utcnow
from optionsmatrix.schemas.sessions import RoundSummary
from optionsmatrix.services.seminars import SessionSnapshot, get_snapshot
from optionsmatrix.services.session_results import (
    GroupResult,
    RoundBallots,
    compute_group_result,
    load_round,
    participants_of,
)
from optionsmatrix.services.session_tables import HeatRow, Movement, heatmap, movement
from optionsmatrix.services.session_views import round_list

# Exports show the group as the dashboard does: each cell the mean of the scores given.
EXPORT_AGGREGATION = "mean"


@dataclass(frozen=True)
class MethodResult:
    """One ranking method on a round's group matrix; `problem` says why it could not rank, when it could not."""

    method: str
    label: str
    result: GroupResult
    problem: str | None = None

    @property
    def ranked(self) -> bool:
        return self.result.core_ranking is not None


@dataclass(frozen=True, eq=False)
class RoundExport:
    round: SessionRound
    summary: RoundSummary  # participation: ballots and complete ballots
    ballots: RoundBallots  # each participant's latest ballot in the round
    methods: dict[str, MethodResult]  # every registered method, in the registry's order
    session_method: str
    heatmap: list[HeatRow]

    @property
    def number(self) -> int:
        return self.round.number

    @property
    def result(self) -> GroupResult:
        """The group result under the session's own method (and normalisation), as the dashboard shows it."""
        return self.methods[self.session_method].result


@dataclass(frozen=True, eq=False)
class RoundChange:
    """From one round to the next: each option's group rank and score, and each cell's group mean."""

    before: int
    after: int
    movement: list[Movement]
    means_before: np.ndarray  # (m, n), NaN where nobody scored
    means_after: np.ndarray

    @property
    def mean_change(self) -> np.ndarray:
        return self.means_after - self.means_before


@dataclass(frozen=True, eq=False)
class SessionExport:
    snapshot: SessionSnapshot
    participant_names: dict[int, str]  # participant id → display name, of everyone who joined
    rounds: list[RoundExport]  # oldest first
    changes: list[RoundChange]  # one per pair of consecutive rounds
    aggregation: str
    exported_at: datetime

    @property
    def seminar(self) -> SeminarSession:
        return self.snapshot.seminar

    @property
    def latest(self) -> RoundExport:
        return self.rounds[-1]

    @property
    def participant_weights(self) -> bool:
        return self.snapshot.seminar.weight_mode == "participant"

    def participant_name(self, participant_id: int) -> str:
        return self.participant_names.get(int(participant_id), f"Participant {participant_id}")


def as_utc(moment: datetime) -> datetime:
    """A timestamp in UTC, without its zone (files state "UTC" in words; XLSX cells cannot hold a zone).

    SQLite hands stored timestamps back without a zone; they were stored in UTC.
    """
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def gather_session_export(db: Session, seminar: SeminarSession) -> SessionExport:
    """Load and compute everything once; no writer goes back to the database."""
    snapshot = get_snapshot(db, seminar.id)  # type: ignore[arg-type]
    rounds = db.exec(
        select(SessionRound).where(SessionRound.session_id == seminar.id).order_by(col(SessionRound.number))
    ).all()
    summaries = {s.number: s for s in round_list(db, snapshot).items}
    exported = [_round_export(snapshot, r, summaries[r.number], load_round(db, snapshot, r)) for r in rounds]
    changes = [
        RoundChange(
            before.number, after.number, movement(snapshot, before.result, after.result),
            before.result.group_scores, after.result.group_scores,
        )
        for before, after in zip(exported, exported[1:], strict=False)
    ]  # fmt: skip
    names = {p.id: p.display_name for p in participants_of(db, seminar.id)}  # type: ignore[arg-type]
    return SessionExport(snapshot, names, exported, changes, EXPORT_AGGREGATION, utcnow())  # type: ignore[arg-type]


def _round_export(
    snapshot: SessionSnapshot, round_: SessionRound, summary: RoundSummary, loaded: RoundBallots
) -> RoundExport:
    session_method = snapshot.seminar.method
    methods = {}
    for name, spec in METHODS.items():
        # The session's method keeps the session's normalisation; the others take their own default.
        normalization = snapshot.seminar.normalization if name == session_method else None
        common = {"method": name, "normalization": normalization, "aggregation": EXPORT_AGGREGATION,
                  "round_number": round_.number}  # fmt: skip
        problem = None
        try:
            result = compute_group_result(snapshot, loaded, strict=True, **common)  # type: ignore[arg-type]
        except AnalysisError as error:
            problem = error.message
            result = compute_group_result(snapshot, loaded, strict=False, **common)  # type: ignore[arg-type]
        methods[name] = MethodResult(name, spec.label, result, problem)
    shown = methods[session_method].result
    return RoundExport(round_, summary, loaded, methods, session_method, heatmap(snapshot, shown))
