"""VIKOR (Opricovic & Tzeng 2004): compromise ranking by group utility S and
individual regret R, combined into Q (lower is better), plus the compromise
set from the two acceptance conditions.

Works on raw scores: each criterion is normalised by its own best–worst
range inside the method, so no separate normalisation is taken.
"""

from __future__ import annotations

import numpy as np

from ..problem import Problem
from ..ranks import TIE_TOLERANCE, RankOrder, are_tied, competition_ranks, tied
from .spec import MethodInput, MethodOutput, MethodSpec, Parameter, weighted_sum

DEFAULT_V = 0.5


def regrets(scores: np.ndarray, is_benefit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (regret ratios (f*_j − f_ij)/(f*_j − f⁻_j), best f*, worst f⁻, flat mask).

    Scores are (…, m, n); best, worst and the mask keep a length-1 options
    axis. A criterion on which every option is equal (f* = f⁻) separates
    nobody and gives everyone regret 0 instead of 0/0.
    """
    column_max, column_min = scores.max(axis=-2, keepdims=True), scores.min(axis=-2, keepdims=True)
    best = np.where(is_benefit, column_max, column_min)
    worst = np.where(is_benefit, column_min, column_max)
    span = best - worst
    flat = span == 0
    ratios = (best - scores) / np.where(flat, 1.0, span)
    # Same sign in numerator and denominator, so ratios lie in [0, 1]; a flat
    # column has numerator 0 and so ratio 0.
    return ratios, best, worst, flat


def _spread_term(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, (x − min)/(max − min), or zeros where a row's values are all tied; and that mask (k,)."""
    low, high = values.min(axis=1, keepdims=True), values.max(axis=1, keepdims=True)
    flat = are_tied(low, high)
    term = (values - low) / np.where(flat, 1.0, high - low)
    return np.where(flat, 0.0, term), flat[:, 0]


def q_index(s: np.ndarray, r: np.ndarray, v: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Q = v·(S − S*)/(S⁻ − S*) + (1 − v)·(R − R*)/(R⁻ − R*) per row; returns (Q, S all tied, R all tied)."""
    k = s.shape[0]
    # S and R rows in one pass: _spread_term works row by row, and each numpy call costs more than its rows.
    terms, flat = _spread_term(np.concatenate((s, r)))
    return v * terms[:k] + (1 - v) * terms[k:], flat[:k], flat[k:]


def compromise_set(q: np.ndarray, s: np.ndarray, r: np.ndarray, ranked: RankOrder | None = None) -> np.ndarray:
    """Indices of the compromise solution(s), best Q first (Opricovic & Tzeng 2004).

    C1 acceptable advantage: Q(a'') − Q(a') ≥ DQ = 1/(m − 1).
    C2 acceptable stability: a' is also best (or tied best) by S or by R.
    Both hold: {a'}. C1 fails: a', a'', …, a^(M) with Q(a^(M)) − Q(a') < DQ.
    Only C2 fails: {a', a''}. Comparisons use the ranking tie tolerance so a
    gap of exactly DQ is not lost to rounding. `ranked` is Q's ranking when already made.
    """
    m = q.shape[0]
    order = (ranked if ranked is not None else competition_ranks(q, higher_is_better=False)).order
    if m == 1:
        return order
    dq = 1.0 / (m - 1)
    gaps = q[order] - q[order[0]]
    first = int(order[0])
    advantage = gaps[1] >= dq - TIE_TOLERANCE
    stable = tied(float(s[first]), float(s.min())) or tied(float(r[first]), float(r.min()))
    if advantage and stable:
        return order[:1]
    if not advantage:
        return order[: int(np.count_nonzero(gaps < dq - TIE_TOLERANCE))]
    return order[:2]


def run(given: MethodInput) -> MethodOutput:
    problem = given.problem
    v = given.params["v"]
    ratios, best, worst, flat = regrets(given.scores, problem.is_benefit)
    weighted = ratios * given.weights[:, None, :]  # (k, m, n)
    s, r = weighted_sum(ratios, given.weights), weighted.max(axis=2)
    q, s_flat, r_flat = q_index(s, r, v)
    if not given.single:
        return MethodOutput(q)
    ranked = competition_ranks(q[0], higher_is_better=False)
    chosen = compromise_set(q[0], s[0], r[0], ranked)
    warnings = _warnings(problem, flat[0, 0], bool(s_flat[0]), bool(r_flat[0]), v)
    details = {"S": s[0], "R": r[0], "Q": q[0], "compromise_set": tuple(problem.options[i] for i in chosen)}
    steps: dict[str, np.ndarray] = {}
    if given.explain:
        steps = {
            "normalized": ratios[0],
            "weighted": weighted[0],
            "best": best[0, 0],
            "worst": worst[0, 0],
            "S": s[0],
            "R": r[0],
            "Q": q[0],
        }
    return MethodOutput(q, details, steps, warnings, ranked)


def _warnings(problem: Problem, flat: np.ndarray, s_flat: bool, r_flat: bool, v: float) -> tuple[str, ...]:
    if problem.scores.shape[0] == 1:
        return (
            "with one option VIKOR's advantage threshold DQ = 1/(m − 1) is undefined; the single option is the "
            "compromise set",
        )
    warnings = [
        f"criterion '{problem.criteria[j]}' has the same value for every option, so it adds no regret in VIKOR"
        for j in np.flatnonzero(flat)
    ]
    if s_flat and v > 0:
        warnings.append("every option has the same group utility S, so the S part of Q is 0 for all")
    if r_flat and v < 1:
        warnings.append("every option has the same individual regret R, so the R part of Q is 0 for all")
    return tuple(warnings)


SPEC = MethodSpec(
    name="vikor",
    label="VIKOR (compromise ranking)",
    score_label="Q",
    higher_is_better=False,
    run=run,
    order=40,
    raw_scores_note="on the raw scores, each criterion measured from its best to its worst value",
    parameters=(Parameter("v", "weight of group utility against individual regret", DEFAULT_V, 0.0, 1.0),),
    step_titles={
        "normalized": ("Regret terms d", "(best − score) / (best − worst): 0 at the best value given, 1 at the worst."),
        "weighted": ("Weighted regret w × d", "Row sums are S, row maxima are R."),
        "per_criterion": ("Best and worst values", "Per criterion, among the options given."),
        "per_option": ("S, R and Q", "Q mixes S and R (v sets the mix); lower Q ranks first."),
    },
)
