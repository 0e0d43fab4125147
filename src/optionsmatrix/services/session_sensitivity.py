"""How sure is a session's group ranking? The matrix's four analyses, run on the group result.

Weight intervals, dominance and the methods side by side work on the
aggregated matrix and weights, exactly as the results show them. SMAA also
samples the room: each sample takes one whole complete ballot, drawn at
random, as its score table (so a sample is a judgement somebody actually
made, never a patchwork of cells), and in participant-weight mode that
ballot's own weights too, unless bounds or an importance order ask for
sampled weights. The draw is seeded: the same seed gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlmodel import Session

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.analysis.group import complete_ballots
from optionsmatrix.analysis.sensitivity import (
    DEFAULT_SAMPLES,
    compare_methods,
    dominance,
    new_seed,
    smaa,
    weight_sensitivity,
)
from optionsmatrix.errors import InvalidInput
from optionsmatrix.limits import MAX_BALLOT_SAMPLE_NUMBERS
from optionsmatrix.schemas.sensitivity import SMAA_ONLY, SessionSensitivityRequest
from optionsmatrix.services.seminars import SessionSnapshot, get_round
from optionsmatrix.services.session_ranking import snapshot_problem
from optionsmatrix.services.session_results import group_result, load_round


@dataclass(frozen=True)
class SessionSensitivity:
    answer: dict[str, Any]  # JSON-ready, in the shape of schemas.sensitivity's session responses


def session_sensitivity(
    session: Session, snapshot: SessionSnapshot, body: SessionSensitivityRequest
) -> SessionSensitivity:
    _settings_fit(body)
    result = group_result(
        session, snapshot, method=body.method, aggregation=body.aggregation, round_number=body.round
    )
    if result.ranking is None or result.group_weights is None:
        raise InvalidInput.on(
            "analysis",
            "the group has no ranking in this round yet: every option must be scored on every criterion by someone",
        )
    problem = snapshot_problem(snapshot, result.group_scores, result.group_weights)
    answer: dict[str, Any] = {
        "analysis": body.analysis,
        "option_ids": [o.id for o in snapshot.options],
        "criterion_ids": [c.id for c in snapshot.criteria],
        "round": result.round,
        "aggregation": result.aggregation,
    }
    try:
        if body.analysis == "weights":
            found = weight_sensitivity(problem, result.method, result.normalization)
            answer |= {"method": found.method, "normalization": found.normalization, **found.to_dict()}
        elif body.analysis == "dominance":
            answer |= dominance(problem).to_dict()
        elif body.analysis == "methods":
            answer |= compare_methods(problem).to_dict()
        else:
            answer |= _room_smaa(session, snapshot, body, problem, result.method, result.normalization, result.round)
    except AnalysisError as error:
        raise InvalidInput.on(error.field or "analysis", error.message) from None
    return SessionSensitivity(answer)


def _settings_fit(body: SessionSensitivityRequest) -> None:
    if body.analysis != "smaa":
        for name in SMAA_ONLY:
            if getattr(body, name) is not None:
                raise InvalidInput.on(name, f"'{name}' applies to analysis 'smaa' only")


def _room_smaa(
    session: Session,
    snapshot: SessionSnapshot,
    body: SessionSensitivityRequest,
    problem: Any,  # noqa: ANN401 - the core's Problem
    method: str,
    normalization: str | None,
    round_number: int,
) -> dict[str, Any]:
    loaded = load_round(session, snapshot, get_round(session, snapshot, round_number))
    participant_weights = snapshot.seminar.weight_mode == "participant"
    complete = complete_ballots(loaded.scores, loaded.weights if participant_weights else None)
    if not complete.any():
        raise InvalidInput.on("analysis", "SMAA draws whole ballots, and no ballot in this round is complete yet")
    m, n = problem.scores.shape
    samples = body.samples if body.samples is not None else DEFAULT_SAMPLES
    if samples * m * n > MAX_BALLOT_SAMPLE_NUMBERS:  # the drawn score tables are held in memory at once
        most = MAX_BALLOT_SAMPLE_NUMBERS // (m * n)
        raise InvalidInput.on("samples", f"at most {most:,} samples for {m} options × {n} criteria in a session")
    seed = body.seed if body.seed is not None else new_seed()
    # The ballot draw has its own stream, so the weights drawn from `seed` are those of the matrix route.
    picks = np.random.default_rng([seed, 1]).integers(0, int(complete.sum()), size=samples)
    score_samples = loaded.scores[complete][picks]
    own_weights = participant_weights and body.weight_bounds is None and body.criteria_order is None
    weight_samples = loaded.weights[complete][picks] if own_weights else None  # type: ignore[index]
    found = smaa(
        problem, method, normalization,
        samples=samples, seed=seed, weight_bounds=body.weight_bounds, criteria_order=body.criteria_order,
        weight_samples=weight_samples, score_samples=score_samples,
    )  # fmt: skip
    return {
        "method": found.method,
        "normalization": found.normalization,
        **found.to_dict(),
        "seed": seed,  # it drew the ballots (and, unless they carry their own, the weights)
        "score_sampling": "ballot",
        "weight_sampling": "ballot" if own_weights else "sampled",
        "ballots_sampled": int(complete.sum()),
    }
