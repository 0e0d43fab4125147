"""Rankings side by side: the same options ranked k times (sessions, rounds or methods), and how far they agree.

Each column is one method's scores for the same m options; a column may be
absent (a round with no ballots yet). Within the compared options each
column is ranked again with the core's tie rule (competition ranks), so an
option that only one column had does not push the others down a place.

Agreement between two columns is Kendall's τ-b (see sensitivity/methods.py);
how far an option's position differs is its largest rank minus its smallest
over the columns present.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import AnalysisError
from .ranks import competition_ranks_batch
from .sensitivity.methods import kendall_tau_b


@dataclass(frozen=True, eq=False)
class RankingComparison:
    ranks: np.ndarray  # (k, m) int, 1 = best within the compared options; 0 in an absent column
    present: np.ndarray  # (k,) bool
    tau_b: np.ndarray  # (k, k), NaN where a column is absent or a ranking ties every option
    spread: np.ndarray  # (m,) int: largest rank − smallest rank over the present columns (0 with fewer than two)
    order: np.ndarray  # option indices: largest spread first, then best mean rank, then input order


def compare_rankings(
    scores: np.ndarray, higher_is_better: np.ndarray | list[bool], present: np.ndarray | list[bool] | None = None
) -> RankingComparison:
    """Compare k rankings of m options given as each method's scores (k × m); rows not `present` are ignored."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2:
        raise AnalysisError(f"'scores' must be a table of columns × options; got {scores.ndim} dimensions", "scores")
    k, m = scores.shape
    better = np.asarray(higher_is_better, dtype=bool).reshape(-1)
    shown = np.ones(k, dtype=bool) if present is None else np.asarray(present, dtype=bool).reshape(-1)
    if better.size != k or shown.size != k:
        raise AnalysisError(
            f"'higher_is_better' and 'present' need one value per column ({k}); got {better.size} and {shown.size}",
            "higher_is_better",
        )
    if not np.isfinite(scores[shown]).all():
        raise AnalysisError("every score of a present column must be a finite number", "scores")
    ranks = np.zeros((k, m), dtype=np.int64)
    if shown.any():
        # Lower-is-better columns (VIKOR's Q) become higher-is-better by a sign change; ties stay ties.
        keys = np.where(better[:, None], scores, -scores)[shown]
        ranks[shown] = competition_ranks_batch(keys, higher_is_better=True)
    tau = np.full((k, k), np.nan)
    if shown.sum() >= 1 and m >= 2:
        tau[np.ix_(shown, shown)] = kendall_tau_b(ranks[shown])
    if shown.sum() >= 2:
        spread = ranks[shown].max(axis=0) - ranks[shown].min(axis=0)
        mean_rank = ranks[shown].mean(axis=0)
    else:
        spread = np.zeros(m, dtype=np.int64)
        mean_rank = ranks[shown].mean(axis=0) if shown.any() else np.zeros(m)
    order = np.lexsort((np.arange(m), mean_rank, -spread))
    return RankingComparison(ranks, shown, tau, spread.astype(np.int64), order)
