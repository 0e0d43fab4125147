"""The method registry and `rank`: run one ranking method on a built Problem.

Every module in this package that defines `SPEC` is a method (see spec.py);
nothing else lists them. `rank` checks the method name, normalisation and
parameters against that spec, runs the method under numpy's "raise on
overflow / invalid" so nothing non-finite can slip through silently,
attaches ranks and packs a `Ranking`. `rank_batch` ranks many weight vectors
at once with the same code.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AnalysisError
from ..problem import Problem
from ..ranks import SINGLE_OPTION_WARNING, Ranking, competition_ranks, competition_ranks_batch
from .spec import MethodInput, MethodOutput, MethodSpec, Parameter


def _discover() -> dict[str, MethodSpec]:
    specs = []
    for module in pkgutil.iter_modules(__path__):
        spec = getattr(importlib.import_module(f"{__name__}.{module.name}"), "SPEC", None)
        if isinstance(spec, MethodSpec):
            specs.append(spec)
    return {spec.name: spec for spec in sorted(specs, key=lambda s: (s.order, s.name))}


METHODS: dict[str, MethodSpec] = _discover()
METHOD_NAMES = tuple(METHODS)


def method_spec(method: str) -> MethodSpec:
    if not isinstance(method, str) or method not in METHODS:
        raise AnalysisError(
            f"unknown method {method!r}; choose one of {', '.join(METHOD_NAMES)}", "method", code="unknown_method"
        )
    return METHODS[method]


def allowed_normalizations(method: str) -> tuple[str, ...]:
    """The normalisations a method accepts (empty: raw scores only)."""
    return method_spec(method).normalizations


def _normalization(spec: MethodSpec, problem: Problem, normalization: str | None) -> str | None:
    if not spec.normalizations:
        if normalization is not None:
            raise AnalysisError(
                f"method '{spec.name}' works on raw scores and takes no normalization (leave it empty); "
                f"got {normalization!r}",
                "normalization",
                code="normalization_not_taken",
            )
        return None
    if normalization is None:
        return spec.default_normalization(problem) if spec.default_normalization else spec.normalizations[0]
    if not isinstance(normalization, str) or normalization not in spec.normalizations:
        allowed = ", ".join(f"'{n}'" for n in spec.normalizations)
        raise AnalysisError(
            f"method '{spec.name}' accepts normalization {allowed}; got {normalization!r}",
            "normalization",
            code="normalization_not_allowed",
        )
    return normalization


def _params(spec: MethodSpec, params: Mapping[str, Any] | None) -> dict[str, float]:
    if params is not None and not isinstance(params, Mapping):
        raise AnalysisError(
            f"'params' must be an object of method settings; got {params!r}", "params", code="params_not_object"
        )
    return spec.settings(params)


def _check_finite(method: str, output: MethodOutput) -> None:
    """Last guard: a non-finite number here is a bug, never an input problem."""
    arrays = [("scores", output.scores), *output.details.items(), *output.steps.items()]
    floats = [(name, value) for name, value in arrays if isinstance(value, np.ndarray) and value.dtype.kind == "f"]
    # One test over everything; only when it fails is the culprit named.
    if np.isfinite(np.concatenate([value.ravel() for _, value in floats])).all():
        return
    for name, value in floats:
        if not np.isfinite(value).all():
            raise FloatingPointError(f"internal error: method '{method}' produced a non-finite '{name}'")


def _run(spec: MethodSpec, given: MethodInput) -> MethodOutput:
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        output = spec.run(given)
    _check_finite(spec.name, output)
    return output


def rank(
    problem: Problem,
    method: str,
    normalization: str | None = None,
    params: Mapping[str, Any] | None = None,
    explain: bool = False,
) -> Ranking:
    """Score and rank the options of `problem` with `method`.

    `normalization` None picks the method's default (wsm: 'scale' when every
    criterion has a scale, else 'minmax'; wpm: 'none'; topsis: 'vector');
    vikor and promethee2 take none. `params` holds method settings (vikor:
    {"v": 0.5}). `explain` adds the named intermediate tables to `steps`.
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"rank() needs a Problem from Problem.build(); got {type(problem).__name__}")
    spec = method_spec(method)
    chosen = _normalization(spec, problem, normalization)
    given = MethodInput(
        problem, problem.weights[None, :], problem.scores[None, :, :], chosen, _params(spec, params), explain
    )
    output = _run(spec, given)
    scores = output.scores[0]
    ranked = output.ranked if output.ranked is not None else competition_ranks(scores, spec.higher_is_better)
    warnings = list(output.warnings)
    if problem.scores.shape[0] == 1:
        warnings.append(SINGLE_OPTION_WARNING)
    return Ranking(
        method=method,
        normalization=chosen,
        higher_is_better=spec.higher_is_better,
        options=problem.options,
        criteria=problem.criteria,
        scores=scores,
        ranks=ranked.ranks,
        order=tuple([problem.options[i] for i in ranked.order.tolist()]),
        details=output.details,
        steps=output.steps,
        warnings=tuple(dict.fromkeys(warnings)),  # drop repeats, keep order
    )


@dataclass(frozen=True, eq=False)
class BatchRanking:
    """Scores and competition ranks (both k × m) of one problem under k weight vectors."""

    method: str
    normalization: str | None
    higher_is_better: bool
    scores: np.ndarray
    ranks: np.ndarray


def rank_batch(
    problem: Problem,
    method: str,
    weights: np.ndarray,
    normalization: str | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    scores: np.ndarray | None = None,
) -> BatchRanking:
    """Rank under each row of `weights` (k × n, non-negative, each row summing to 1) at once.

    `scores` (k × m × n), when given, is one score table per weight vector
    (a participant's ballot, a sample); otherwise every row ranks the
    problem's own table. Weights and scores are trusted (they come from
    validated ballots or from the analysis itself); the problem's own weights
    are ignored, its names, directions, scales and preference functions used.
    """
    spec = method_spec(method)
    chosen = _normalization(spec, problem, normalization)
    weights = np.asarray(weights, dtype=float)
    m, n = problem.scores.shape
    if weights.ndim != 2 or weights.shape[1] != n:
        raise ValueError(f"weights must be k × {n}; got shape {weights.shape}")
    tables = problem.scores[None, :, :] if scores is None else np.asarray(scores, dtype=float)
    if tables.shape not in ((1, m, n), (weights.shape[0], m, n)):
        raise ValueError(f"scores must be {weights.shape[0]} × {m} × {n}; got shape {tables.shape}")
    given = MethodInput(problem, weights, tables, chosen, _params(spec, params), explain=False)
    scores = _run(spec, given).scores
    ranks = competition_ranks_batch(scores, spec.higher_is_better)
    return BatchRanking(method, chosen, spec.higher_is_better, scores, ranks)


__all__ = [
    "METHODS",
    "METHOD_NAMES",
    "BatchRanking",
    "MethodSpec",
    "Parameter",
    "allowed_normalizations",
    "method_spec",
    "rank",
    "rank_batch",
]
