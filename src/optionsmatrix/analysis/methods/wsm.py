"""Weighted sum model (WSM, simple additive weighting): score_i = Σ_j w_j r_ij."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import AnalysisError
from ..normalize import normalize
from ..problem import Problem
from ._common import MethodOutput

NORMALIZATIONS = ("scale", "minmax", "sum", "max", "none")


def default_normalization(problem: Problem) -> str:
    # Declared scales make scores comparable across sessions and independent
    # of which options are on the table; the observed range is the fallback.
    return "scale" if problem.scale_bounds is not None else "minmax"


def weighted_sum(normalized: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (scores, contributions) where contributions = w_j · r_ij."""
    contributions = normalized * weights
    return contributions.sum(axis=1), contributions


def run(problem: Problem, normalization: str, params: Mapping[str, Any], explain: bool) -> MethodOutput:
    if normalization == "none" and not problem.is_benefit.all():
        j = int(np.argmin(problem.is_benefit))
        raise AnalysisError(
            "normalization 'none' adds raw scores, which only makes sense when every criterion is a benefit; "
            f"criterion '{problem.criteria[j]}' is a cost — choose 'scale', 'minmax', 'sum' or 'max'",
            "normalization",
        )
    normalized = normalize(
        problem.scores,
        problem.is_benefit,
        normalization,
        bounds=problem.scale_bounds,
        criteria=problem.criteria,
        options=problem.options,
        has_scale=[s is not None for s in problem.scales],
    )
    scores, contributions = weighted_sum(normalized.values, problem.weights)
    steps = {"normalized": normalized.values, "weighted": contributions} if explain else {}
    return MethodOutput(scores, {"contributions": contributions}, steps, normalized.warnings)
