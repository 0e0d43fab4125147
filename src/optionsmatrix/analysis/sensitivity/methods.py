"""Methods side by side: every method's ranking of one problem, and how far they agree.

Agreement is Kendall's τ-b between each pair of rankings (Kendall 1945), which
corrects for ties:

    τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂))

n_c and n_d count concordant and discordant pairs of options, n₀ = m(m − 1)/2
all pairs, n₁ and n₂ the pairs tied in the first and in the second ranking.
Undefined (NaN) when either ranking ties every pair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import AnalysisError
from ..methods import METHOD_NAMES, method_spec, rank
from ..problem import Problem
from .results import MethodComparison


def kendall_tau_b(rankings: np.ndarray) -> np.ndarray:
    """τ-b between every pair of rows of `rankings` (k × m): a symmetric k × k array, NaN where undefined."""
    rankings = np.asarray(rankings, dtype=float)
    # order[a, i, j] = sign(x_i − x_j): +1, −1, or 0 for a tie (the diagonal is 0).
    order = np.sign(rankings[:, :, None] - rankings[:, None, :])
    agreement = np.einsum("aij,bij->ab", order, order)  # 2 (n_c − n_d); the diagonal is 2 (n₀ − n_a)
    untied = np.diag(agreement)
    denominator = np.sqrt(np.outer(untied, untied))
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = np.where(denominator > 0, agreement / np.where(denominator > 0, denominator, 1.0), np.nan)
    return tau


def compare_methods(
    problem: Problem,
    methods: Sequence[str] | None = None,
    normalization: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> MethodComparison:
    """Rank with each method (default: all); `normalization` and `params` apply where a method takes them.

    A method that takes neither the given normalisation nor a parameter uses
    its own default. A method that cannot rank the problem (WPM with a score
    of 0) is left out and named in `skipped` with its reason.
    """
    names = tuple(methods) if methods is not None else METHOD_NAMES
    given = dict(params or {})
    ranked: list[str] = []
    rows: list[np.ndarray] = []
    skipped: dict[str, str] = {}
    for name in names:
        spec = method_spec(name)
        own = normalization if normalization in spec.normalizations else None
        own_params = {k: v for k, v in given.items() if spec.parameter(k) is not None} or None
        spec.settings(own_params)  # a bad setting is the caller's to fix, not a reason to skip
        try:
            rows.append(rank(problem, name, own, own_params).ranks)
        except AnalysisError as error:
            skipped[name] = error.message
            continue
        ranked.append(name)
    ranks = np.array(rows, dtype=np.int64).reshape(len(rows), len(problem.options))
    return MethodComparison(tuple(ranked), ranks, kendall_tau_b(ranks), skipped)
