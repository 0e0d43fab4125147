"""Weighted sum model (WSM, simple additive weighting): score_i = Σ_j w_j r_ij."""

from __future__ import annotations

import numpy as np

from ..errors import AnalysisError
from ..normalize import normalize
from ..problem import Problem
from .spec import MethodInput, MethodOutput, MethodSpec, weighted_sum

NORMALIZATIONS = ("scale", "minmax", "sum", "max", "none")


def default_normalization(problem: Problem) -> str:
    # Declared scales make scores comparable across sessions and independent
    # of which options are on the table; the observed range is the fallback.
    return "scale" if problem.scale_bounds is not None else "minmax"


def run(given: MethodInput) -> MethodOutput:
    problem = given.problem
    if given.normalization == "none" and not problem.is_benefit.all():
        j = int(np.argmin(problem.is_benefit))
        raise AnalysisError(
            "normalization 'none' adds raw scores, which only makes sense when every criterion is a benefit; "
            f"criterion '{problem.criteria[j]}' is a cost — choose 'scale', 'minmax', 'sum' or 'max'",
            "normalization",
            code="normalization_needs_benefits",
        )
    normalized = normalize(
        given.scores,
        problem.is_benefit,
        given.normalization,  # type: ignore[arg-type]
        bounds=problem.scale_bounds,
        criteria=problem.criteria,
        options=problem.options,
        has_scale=[s is not None for s in problem.scales],
    )
    scores = weighted_sum(normalized.values, given.weights)
    if not given.single:
        return MethodOutput(scores)
    values = normalized.values[0]
    contributions = values * given.weights[0]
    steps = {"normalized": values, "weighted": contributions} if given.explain else {}
    return MethodOutput(scores, {"contributions": contributions}, steps, normalized.warnings)


SPEC = MethodSpec(
    name="wsm",
    label="Weighted sum (WSM)",
    score_label="score",
    higher_is_better=True,
    run=run,
    order=10,
    normalizations=NORMALIZATIONS,
    default_normalization=default_normalization,
    step_titles={
        "normalized": (
            "Normalised scores r",
            "Every criterion on a common footing, cost criteria turned around so that higher is always better.",
        ),
        "weighted": ("Weighted scores w × r", "Each row adds up to the option's score."),
    },
)
