"""From a session's arrays (snapshot order) to the API's maps keyed by ids, and back to JSON-safe numbers."""

from __future__ import annotations

import math

import numpy as np
from fastapi import Request
from sqlmodel import Session

from optionsmatrix.schemas.sessions import (
    BallotOut,
    BallotSaved,
    CellSpread,
    Consensus,
    GroupResults,
    RankingOut,
    SessionCriterionPublic,
    SessionOptionPublic,
    SessionPublic,
)
from optionsmatrix.services.ballots import SavedBallot, StoredBallot
from optionsmatrix.services.seminars import SessionSnapshot, participant_count
from optionsmatrix.services.session_ranking import SnapshotRanking
from optionsmatrix.services.session_results import GroupResult


def join_url(request: Request, code: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/join/{code}"


def session_public(request: Request, session: Session, snapshot: SessionSnapshot) -> SessionPublic:
    seminar = snapshot.seminar
    return SessionPublic(
        id=seminar.id,  # type: ignore[arg-type]
        title=seminar.title,
        matrix_id=seminar.matrix_id,
        join_code=seminar.join_code,
        join_url=join_url(request, seminar.join_code),
        status=seminar.status,  # type: ignore[arg-type]
        reveal=snapshot.round.revealed,
        weight_mode=seminar.weight_mode,  # type: ignore[arg-type]
        method=seminar.method,
        normalization=seminar.normalization,
        round=seminar.current_round,
        participants=participant_count(session, seminar.id),  # type: ignore[arg-type]
        created_at=seminar.created_at,
        options=[SessionOptionPublic.model_validate(o, from_attributes=True) for o in snapshot.options],
        criteria=[SessionCriterionPublic.model_validate(c, from_attributes=True) for c in snapshot.criteria],
    )


def ranking_out(ranking: SnapshotRanking | None) -> RankingOut | None:
    if ranking is None:
        return None
    return RankingOut(
        method=ranking.method, normalization=ranking.normalization, higher_is_better=ranking.higher_is_better,
        order=ranking.order, ranks=ranking.ranks, scores=ranking.scores,
    )  # fmt: skip


def ballot_saved(saved: SavedBallot) -> BallotSaved:
    return BallotSaved(version=saved.version, complete=saved.complete, ranking=ranking_out(saved.ranking))


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def ballot_out(snapshot: SessionSnapshot, stored: StoredBallot) -> BallotOut:
    option_ids = [str(o.id) for o in snapshot.options]
    criterion_ids = [str(c.id) for c in snapshot.criteria]
    scores = {
        oid: {cid: float(v) for cid, v in zip(criterion_ids, row, strict=True) if not math.isnan(v)}
        for oid, row in zip(option_ids, stored.arrays.scores, strict=True)
    }
    weights = (
        {cid: float(w) for cid, w in zip(criterion_ids, stored.arrays.weights, strict=True) if not math.isnan(w)}
        if stored.arrays.weights is not None
        else None
    )
    rationales = {oid: text for oid, text in zip(option_ids, stored.arrays.rationales, strict=True) if text}
    return BallotOut(
        version=stored.ballot.version, round=stored.round, scores={k: v for k, v in scores.items() if v},
        weights=weights, rationales=rationales, complete=stored.ballot.complete,
        ranking=ranking_out(stored.ranking), submitted_at=stored.ballot.submitted_at,
    )  # fmt: skip


def group_results_out(snapshot: SessionSnapshot, result: GroupResult) -> GroupResults:
    option_ids = [str(o.id) for o in snapshot.options]
    criterion_ids = [str(c.id) for c in snapshot.criteria]

    def per_cell(values: np.ndarray) -> dict[str, dict[str, float | None]]:
        return {
            oid: {cid: _number(v) for cid, v in zip(criterion_ids, row, strict=True)}
            for oid, row in zip(option_ids, values, strict=True)
        }

    spread = {
        oid: {
            cid: CellSpread(sd=_number(sd), iqr=_number(iqr), n=int(n))
            for cid, sd, iqr, n in zip(criterion_ids, sd_row, iqr_row, n_row, strict=True)
        }
        for oid, sd_row, iqr_row, n_row in zip(option_ids, result.sd, result.iqr, result.counts, strict=True)
    }
    weights = (
        {cid: float(w) for cid, w in zip(criterion_ids, result.group_weights, strict=True)}
        if result.group_weights is not None
        else None
    )
    return GroupResults(
        method=result.method, normalization=result.normalization, aggregation=result.aggregation,  # type: ignore[arg-type]
        round=result.round, ballots=result.ballots, complete_ballots=result.complete_ballots,
        group_scores=per_cell(result.group_scores), group_weights=weights, ranking=ranking_out(result.ranking),
        consensus=Consensus(kendall_w=result.kendall_w), spread=spread,
        rank_distribution={oid: [int(c) for c in row] for oid, row in zip(option_ids, result.rank_distribution,
                                                                          strict=True)},
    )  # fmt: skip
