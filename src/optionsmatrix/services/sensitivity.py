"""Run a sensitivity analysis on an /api/v1/sensitivity body.

The problem is built by the same adapter as /analyze (services.analysis), so
a body means the same thing on both endpoints. Here: which analysis, the
SMAA settings and the cap on its work. Errors are AnalysisErrors naming the
body field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from optionsmatrix.analysis import AnalysisError, Problem, method_spec
from optionsmatrix.analysis.sensitivity import (
    DEFAULT_SAMPLES,
    Dominance,
    MethodComparison,
    SmaaResult,
    WeightSensitivity,
    WeightSweep,
    compare_methods,
    dominance,
    new_seed,
    smaa,
    weight_sensitivity,
    weight_sentences,
    weight_sweep,
)
from optionsmatrix.limits import MAX_SMAA_SAMPLING_WORK, MAX_SMAA_WORK
from optionsmatrix.schemas.analysis import AnalyzeRequest
from optionsmatrix.schemas.sensitivity import SMAA_ONLY, SensitivityRequest
from optionsmatrix.services.analysis import problem_of

SensitivityResult = WeightSensitivity | SmaaResult | Dominance | MethodComparison


def smaa_work(samples: int, options: int, criteria: int, method: str) -> int:
    """What the cap MAX_SMAA_WORK counts: samples × options × criteria, × options again for PROMETHEE II."""
    return samples * options * criteria * (options if method == "promethee2" else 1)


def run_sensitivity(body: SensitivityRequest) -> SensitivityResult:
    """The body's analysis on the body's problem; SMAA gets a fresh seed when none is given (see result.seed)."""
    if body.analysis != "smaa":
        for name in SMAA_ONLY:
            if getattr(body, name) is not None:
                raise AnalysisError(
                    f"'{name}' applies to analysis 'smaa' only; this request asks for '{body.analysis}'",
                    name,
                    code="setting_not_taken",
                )
    method_spec(body.method)
    problem = problem_of(body)
    params = body.params.model_dump(exclude_none=True) if body.params is not None else None
    if body.analysis == "weights":
        return weight_sensitivity(problem, body.method, body.normalization, params or None)
    if body.analysis == "dominance":
        return dominance(problem)
    if body.analysis == "methods":
        return compare_methods(problem, normalization=body.normalization, params=params or None)
    samples = body.samples if body.samples is not None else DEFAULT_SAMPLES
    m, n = problem.scores.shape
    work = smaa_work(samples, m, n, body.method)
    if work > MAX_SMAA_WORK:
        per_sample = work // samples
        raise AnalysisError(
            f"{samples:,} samples of {m} options × {n} criteria"
            + (" × options (PROMETHEE II compares pairs)" if body.method == "promethee2" else "")
            + f" is {work:,} numbers; the limit is {MAX_SMAA_WORK:,}, so at most {MAX_SMAA_WORK // per_sample:,} "
            "samples for this problem",
            "samples",
            code="samples_too_many",
        )
    return smaa(
        problem,
        body.method,
        body.normalization,
        params or None,
        samples=samples,
        seed=body.seed if body.seed is not None else new_seed(),
        weight_bounds=body.weight_bounds,
        criteria_order=body.criteria_order,
        max_sampling_work=MAX_SMAA_SAMPLING_WORK,
    )


def sensitivity_answer(body: SensitivityRequest, result: SensitivityResult) -> dict[str, Any]:
    """JSON-ready, in the shape of schemas.sensitivity's responses."""
    answer: dict[str, Any] = {"analysis": body.analysis, **result.to_dict()}
    if isinstance(result, WeightSensitivity | SmaaResult):
        answer |= {"method": result.method, "normalization": result.normalization}
    return answer


# "How sure is this?" on a page: all four analyses at once --------------------------------------


@dataclass(frozen=True)
class SampledSmaa:
    result: SmaaResult
    seed: int
    ballots_sampled: int | None = None  # a session's SMAA draws whole ballots; a matrix's takes its scores as given
    own_weights: bool = False  # each sample used its drawn ballot's own weights


@dataclass(frozen=True)
class HowSure:
    """The four analyses of one ranking, for the pages' "How sure is this?" section."""

    weights: WeightSensitivity
    sentences: list[str]
    smaa: SampledSmaa
    dominance: Dominance
    methods: MethodComparison
    sweep: WeightSweep  # each option's score along one criterion's weight (the most sensitive unless chosen)
    round: int | None = None  # a session's round


def how_sure_of(
    problem: Problem,
    method: str,
    normalization: str | None,
    params: Mapping[str, Any] | None = None,
    *,
    seed: int,
    sampled: SampledSmaa | None = None,
    round_number: int | None = None,
    sweep: int | None = None,
) -> HowSure:
    """Weight intervals and their sentences, SMAA (`sampled`, or weights drawn from `seed` over the problem's
    own scores), dominance and every method side by side. The problem should be named by the labels the page
    shows, since the sentences speak in its names."""
    weights = weight_sensitivity(problem, method, normalization, params)
    if sweep is None or not 0 <= sweep < len(weights.criteria):  # the criterion whose range is narrowest
        sweep = min(range(len(weights.criteria)), key=lambda j: weights.criteria[j].upper - weights.criteria[j].lower)
    if sampled is None:
        m, n = problem.scores.shape
        samples = max(1, min(DEFAULT_SAMPLES, MAX_SMAA_WORK // smaa_work(1, m, n, method)))
        sampled = SampledSmaa(smaa(problem, method, normalization, params, samples=samples, seed=seed), seed)
    return HowSure(
        weights=weights,
        sentences=weight_sentences(weights),
        smaa=sampled,
        dominance=dominance(problem),
        methods=compare_methods(problem, normalization=None, params=params),
        sweep=weight_sweep(problem, method, sweep, normalization, params),
        round=round_number,
    )


def how_sure_of_request(
    body: AnalyzeRequest,
    *,
    option_labels: Mapping[str, str],
    criterion_labels: Mapping[str, str],
    seed: int,
    sweep: int | None = None,
) -> HowSure:
    """The four analyses of an /analyze body (the scoring form's), named by the labels the page shows."""
    relabelled = body.model_copy(
        update={
            "options": [option_labels.get(name, name) for name in body.options],
            "criteria": [c.model_copy(update={"name": criterion_labels.get(c.name, c.name)}) for c in body.criteria],
        }
    )
    params = body.params.model_dump(exclude_none=True) if body.params is not None else None
    return how_sure_of(problem_of(relabelled), body.method, body.normalization, params or None, seed=seed, sweep=sweep)
