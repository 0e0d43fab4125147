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

from typing import Any

import numpy as np
from sqlmodel import Session

from optionsmatrix.analysis import AnalysisError, Problem
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
from optionsmatrix.limits import MAX_BALLOT_SAMPLE_NUMBERS, MAX_SESSION_SMAA_WORK, MAX_SMAA_SAMPLING_WORK
from optionsmatrix.schemas.sensitivity import SMAA_ONLY, SessionSensitivityRequest
from optionsmatrix.services.seminars import SessionSnapshot
from optionsmatrix.services.sensitivity import HowSure, SampledSmaa, how_sure_of
from optionsmatrix.services.session_ranking import snapshot_problem
from optionsmatrix.services.session_results import GroupResult, RoundBallots, group_result_and_ballots

# One fixed seed, so the room (the dashboard) and the printed report see the same SMAA figures for the same ballots.
HOW_SURE_SEED = 20250101
NO_RANKING = "the group has no ranking in this round yet: every option must be scored on every criterion by someone"


def session_sensitivity(session: Session, snapshot: SessionSnapshot, body: SessionSensitivityRequest) -> dict[str, Any]:
    """The API's answer: one analysis, in the shape of schemas.sensitivity's session responses."""
    if body.analysis != "smaa":
        for name in SMAA_ONLY:
            if getattr(body, name) is not None:
                raise InvalidInput.on(name, f"'{name}' applies to analysis 'smaa' only")
    loaded, result = group_result_and_ballots(
        session, snapshot, method=body.method, aggregation=body.aggregation, round_number=body.round
    )
    problem = _group_problem(snapshot, result)
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
            return answer | {"method": found.method, "normalization": found.normalization, **found.to_dict()}
        if body.analysis == "dominance":
            return answer | dominance(problem).to_dict()
        if body.analysis == "methods":
            return answer | compare_methods(problem).to_dict()
        room = room_smaa(snapshot, loaded, problem, result, body.samples, body.seed,
                         weight_bounds=body.weight_bounds, criteria_order=body.criteria_order)  # fmt: skip
    except AnalysisError as error:
        raise InvalidInput.on(error.field or "analysis", error.message) from None
    return answer | {
        "method": room.result.method,
        "normalization": room.result.normalization,
        **room.result.to_dict(),
        "seed": room.seed,  # it drew the ballots (and, unless they carry their own, the weights)
        "score_sampling": "ballot",
        "weight_sampling": "ballot" if room.own_weights else "sampled",
        "ballots_sampled": room.ballots_sampled,
    }


def how_sure(session: Session, snapshot: SessionSnapshot, *, seed: int, sweep: int | None = None) -> HowSure | None:
    """The session's own method and the mean, current round; None while the group has no ranking."""
    loaded, result = group_result_and_ballots(session, snapshot)
    if result.ranking is None or result.group_weights is None:
        return None
    problem = _group_problem(snapshot, result, short_names=True)
    held = MAX_BALLOT_SAMPLE_NUMBERS // problem.scores.size
    samples = max(1, min(DEFAULT_SAMPLES, held, MAX_SESSION_SMAA_WORK // room_smaa_work(problem, result)))
    sampled = room_smaa(snapshot, loaded, problem, result, samples, seed)
    return how_sure_of(problem, result.method, result.normalization, seed=seed, sampled=sampled,
                       round_number=result.round, sweep=sweep)  # fmt: skip


def _group_problem(snapshot: SessionSnapshot, result: GroupResult, *, short_names: bool = False) -> Problem:
    if result.ranking is None or result.group_weights is None:
        raise InvalidInput.on("analysis", NO_RANKING)
    return snapshot_problem(snapshot, result.group_scores, result.group_weights, short_names=short_names)


def room_smaa_work(problem: Problem, result: GroupResult) -> int:
    """The numbers one sample of `room_smaa` may rank: its table (× options for PROMETHEE II's pairs), once
    for the acceptabilities and once per option that is ever first, for its confidence factor."""
    m, n = problem.scores.shape
    return m * n * (m if result.method == "promethee2" else 1) * (m + 1)


def room_smaa(
    snapshot: SessionSnapshot,
    loaded: RoundBallots,
    problem: Problem,
    result: GroupResult,
    samples: int | None,
    seed: int | None,
    *,
    weight_bounds: object = None,
    criteria_order: object = None,
) -> SampledSmaa:
    """SMAA-2 whose samples are whole complete ballots of the round (see the module docstring)."""
    participant_weights = snapshot.seminar.weight_mode == "participant"
    complete = complete_ballots(loaded.scores, loaded.weights if participant_weights else None)
    if not complete.any():
        raise InvalidInput.on("analysis", "SMAA draws whole ballots, and no ballot in this round is complete yet")
    m, n = problem.scores.shape
    samples = samples if samples is not None else DEFAULT_SAMPLES
    # The drawn score tables are held in memory at once; and each sample is ranked up to m + 1 times.
    most = min(MAX_BALLOT_SAMPLE_NUMBERS // (m * n), MAX_SESSION_SMAA_WORK // room_smaa_work(problem, result))
    if samples > most:
        raise InvalidInput.on(
            "samples",
            f"at most {most:,} samples for {m} options × {n} criteria"
            + (" with PROMETHEE II" if result.method == "promethee2" else "")
            + " in a session"
            + ("" if most else ": use another method for SMAA on this session"),
        )
    seed = seed if seed is not None else new_seed()
    # The ballot draw has its own stream, so the weights drawn from `seed` are those of the matrix route.
    picks = np.random.default_rng([seed, 1]).integers(0, int(complete.sum()), size=samples)
    own_weights = participant_weights and weight_bounds is None and criteria_order is None
    found = smaa(
        problem, result.method, result.normalization,
        samples=samples, seed=seed, weight_bounds=weight_bounds, criteria_order=criteria_order,
        weight_samples=loaded.weights[complete][picks] if own_weights else None,  # type: ignore[index]
        score_samples=loaded.scores[complete][picks], max_sampling_work=MAX_SMAA_SAMPLING_WORK,
    )  # fmt: skip
    return SampledSmaa(found, seed, int(complete.sum()), own_weights)
