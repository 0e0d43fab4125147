"""A round's group result: every participant's latest ballot stacked into arrays, then vectorised.

Loading is one query; the scores of all ballots parse in one `json.loads`
into a participants × options × criteria array (NaN where a ballot left a
cell empty). Aggregation, spread, everyone's own ranking and Kendall's W are
then array operations in `analysis.group` and `analysis.rank_batch`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, col, select

from optionsmatrix.analysis import AnalysisError, Ranking, rank, rank_batch
from optionsmatrix.analysis.group import (
    aggregate,
    aggregate_weights,
    complete_ballots,
    kendall_w,
    rank_distribution,
    spread,
)
from optionsmatrix.errors import InvalidInput
from optionsmatrix.models import Ballot, Participant, SessionRound
from optionsmatrix.services.seminars import SessionSnapshot, get_round
from optionsmatrix.services.session_ranking import SnapshotRanking, snapshot_problem, snapshot_weights


@dataclass(frozen=True, eq=False)
class RoundBallots:
    """The latest ballot of each participant in one round, as arrays in snapshot order."""

    participant_ids: np.ndarray  # (p,)
    scores: np.ndarray  # (p, m, n), NaN = empty
    weights: np.ndarray | None  # (p, n), NaN = empty; None unless participants weight


def load_round(session: Session, snapshot: SessionSnapshot, round_: SessionRound) -> RoundBallots:
    latest = (
        select(Ballot.participant_id, func.max(Ballot.version).label("version"))
        .where(Ballot.round_id == round_.id)
        .group_by(col(Ballot.participant_id))
        .subquery()
    )
    rows = session.exec(
        select(Ballot.participant_id, Ballot.scores, Ballot.weights)
        .join(
            latest, (col(Ballot.participant_id) == latest.c.participant_id) & (col(Ballot.version) == latest.c.version)
        )
        .where(Ballot.round_id == round_.id)
        .order_by(col(Ballot.participant_id))
    ).all()
    m, n = len(snapshot.options), len(snapshot.criteria)
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    # One parse for every ballot: null becomes NaN in a float array.
    scores = np.array(json.loads("[" + ",".join(row[1] for row in rows) + "]"), dtype=float).reshape(len(rows), m, n)
    weights = None
    if snapshot.seminar.weight_mode == "participant":
        texts = [row[2] if row[2] is not None else json.dumps([None] * n) for row in rows]
        weights = np.array(json.loads("[" + ",".join(texts) + "]"), dtype=float).reshape(len(rows), n)
    return RoundBallots(ids, scores, weights)


@dataclass(frozen=True)
class GroupResult:
    method: str
    normalization: str | None
    aggregation: str
    round: int
    ballots: int
    complete_ballots: int
    group_scores: np.ndarray  # (m, n), NaN where nobody scored
    group_weights: np.ndarray | None
    ranking: SnapshotRanking | None
    kendall_w: float | None
    sd: np.ndarray
    iqr: np.ndarray
    counts: np.ndarray
    rank_distribution: np.ndarray  # (m, m)
    participant_ranks: np.ndarray  # (complete ballots, m)
    participant_ids: np.ndarray  # of the complete ballots, in the same order
    core_ranking: Ranking | None = None  # the analysis core's, for charts and "show the working"


def group_result(
    session: Session,
    snapshot: SessionSnapshot,
    *,
    method: str | None = None,
    aggregation: str = "mean",
    round_number: int | None = None,
) -> GroupResult:
    return group_result_and_ballots(
        session, snapshot, method=method, aggregation=aggregation, round_number=round_number
    )[1]


def group_result_and_ballots(
    session: Session,
    snapshot: SessionSnapshot,
    *,
    method: str | None = None,
    aggregation: str = "mean",
    round_number: int | None = None,
) -> tuple[RoundBallots, GroupResult]:
    """The group result and the ballots it rests on, loaded once (SMAA draws from the same ballots)."""
    strict = method is not None  # a method asked for by name: say why it cannot rank (422)
    method = method or snapshot.seminar.method
    normalization = snapshot.seminar.normalization if method == snapshot.seminar.method else None
    round_ = get_round(session, snapshot, round_number)
    if aggregation == "geometric" and any(c.scale_min <= 0 for c in snapshot.criteria):
        raise InvalidInput.on(
            "aggregation", "the geometric mean needs every criterion's scale to start above 0; use mean or median"
        )
    loaded = load_round(session, snapshot, round_)
    result = compute_group_result(snapshot, loaded, method=method, normalization=normalization,
                                  aggregation=aggregation, round_number=round_.number, strict=strict)  # fmt: skip
    return loaded, result


def compute_group_result(
    snapshot: SessionSnapshot,
    loaded: RoundBallots,
    *,
    method: str,
    normalization: str | None,
    aggregation: str,
    round_number: int,
    strict: bool = True,
) -> GroupResult:
    """Everything the results view shows, from the stacked arrays; no database here.

    Not `strict` (the session's own method, as the dashboard and participants'
    pages ask): scores the method cannot rank leave the ranking out instead of
    refusing the whole result, so ballots cannot take the projector down.
    """
    scores = loaded.scores
    participant_weights = snapshot.seminar.weight_mode == "participant"
    with np.errstate(invalid="ignore"):  # ballots with no score at all are legitimate
        scored_any = ~np.isnan(scores).all(axis=(1, 2)) if len(scores) else np.zeros(0, dtype=bool)
    try:
        group_scores = aggregate(scores, aggregation)
        group_weights = (
            aggregate_weights(loaded.weights, aggregation)
            if participant_weights and loaded.weights is not None
            else _normalized(snapshot_weights(snapshot))
        )
    except AnalysisError as error:
        raise InvalidInput.on(error.field or "aggregation", error.message) from None
    ranking = core = None
    complete = complete_ballots(scores, loaded.weights if participant_weights else None)
    try:
        if not np.isnan(group_scores).any() and group_weights is not None:
            core = rank(snapshot_problem(snapshot, group_scores, group_weights), method, normalization)
            ranking = SnapshotRanking.of(snapshot, core)
    except AnalysisError:
        if strict:
            raise
        ranking = core = None
    try:
        ranks = _participant_ranks(snapshot, scores[complete], loaded.weights, complete, method, normalization)
    except AnalysisError:
        if strict:
            raise
        ranks = np.zeros((0, len(snapshot.options)), dtype=np.int64)
    cell_spread = spread(scores)
    return GroupResult(
        method=method,
        normalization=ranking.normalization if ranking is not None else normalization,
        aggregation=aggregation,
        round=round_number,
        ballots=int(scored_any.sum()),
        complete_ballots=int(complete.sum()),
        group_scores=group_scores,
        group_weights=group_weights,
        ranking=ranking,
        kendall_w=kendall_w(ranks) if len(ranks) else None,
        sd=cell_spread.sd,
        iqr=cell_spread.iqr,
        counts=cell_spread.counts,
        rank_distribution=rank_distribution(ranks) if len(ranks) else np.zeros((len(snapshot.options),) * 2, int),
        participant_ranks=ranks,
        participant_ids=loaded.participant_ids[complete][: len(ranks)],  # none when they could not be ranked
        core_ranking=core,
    )


def _normalized(weights: np.ndarray) -> np.ndarray | None:
    total = weights.sum()
    return weights / total if total > 0 else None


def _participant_ranks(
    snapshot: SessionSnapshot,
    scores: np.ndarray,
    all_weights: np.ndarray | None,
    complete: np.ndarray,
    method: str,
    normalization: str | None,
) -> np.ndarray:
    """Each complete ballot's competition ranks (q × m), all in one batched call."""
    q, m = scores.shape[0], len(snapshot.options)
    if q == 0:
        return np.zeros((0, m), dtype=np.int64)
    if snapshot.seminar.weight_mode == "participant" and all_weights is not None:
        weights = all_weights[complete]
        weights = weights / weights.sum(axis=1, keepdims=True)
    else:
        fixed = _normalized(snapshot_weights(snapshot))
        if fixed is None:
            return np.zeros((0, m), dtype=np.int64)
        weights = np.broadcast_to(fixed, (q, fixed.size))
    template = snapshot_problem(snapshot, scores[0], weights[0])
    return rank_batch(template, method, weights, normalization, scores=scores).ranks


def participants_of(session: Session, session_id: int) -> list[Participant]:
    return list(
        session.exec(select(Participant).where(Participant.session_id == session_id).order_by(col(Participant.id)))
    )
