"""`rank`: run one ranking method on a built Problem.

This is the thin shell around the method modules: it checks the method
name, the normalisation and the parameters, runs the method under numpy's
"raise on overflow / invalid" so nothing non-finite can slip through
silently, attaches ranks and packs a `Ranking`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

from ..errors import AnalysisError, number
from ..problem import Problem
from ..ranks import SINGLE_OPTION_WARNING, Ranking, competition_ranks
from . import promethee, topsis, vikor, wpm, wsm
from ._common import MethodOutput


@dataclass(frozen=True)
class MethodSpec:
    run: Callable[[Problem, Any, Mapping[str, Any], bool], MethodOutput]
    normalizations: tuple[str, ...]  # empty: the method takes raw scores only
    default_normalization: Callable[[Problem], str] | None
    higher_is_better: bool
    params: tuple[str, ...] = ()


METHODS: dict[str, MethodSpec] = {
    "wsm": MethodSpec(wsm.run, wsm.NORMALIZATIONS, wsm.default_normalization, True),
    "wpm": MethodSpec(wpm.run, wpm.NORMALIZATIONS, wpm.default_normalization, True),
    "topsis": MethodSpec(topsis.run, topsis.NORMALIZATIONS, topsis.default_normalization, True),
    "vikor": MethodSpec(vikor.run, (), None, False, ("v",)),
    "promethee2": MethodSpec(promethee.run, (), None, True),
}
METHOD_NAMES = tuple(METHODS)


def allowed_normalizations(method: str) -> tuple[str, ...]:
    """The normalisations a method accepts (empty: raw scores only)."""
    return _spec(method).normalizations


def _spec(method: str) -> MethodSpec:
    if not isinstance(method, str) or method not in METHODS:
        raise AnalysisError(f"unknown method {method!r}; choose one of {', '.join(METHOD_NAMES)}", "method")
    return METHODS[method]


def _normalization(spec: MethodSpec, method: str, problem: Problem, normalization: str | None) -> str | None:
    if not spec.normalizations:
        if normalization is not None:
            raise AnalysisError(
                f"method '{method}' works on raw scores and takes no normalization (leave it empty); "
                f"got {normalization!r}",
                "normalization",
            )
        return None
    if normalization is None:
        assert spec.default_normalization is not None
        return spec.default_normalization(problem)
    if not isinstance(normalization, str) or normalization not in spec.normalizations:
        allowed = ", ".join(f"'{n}'" for n in spec.normalizations)
        raise AnalysisError(
            f"method '{method}' accepts normalization {allowed}; got {normalization!r}", "normalization"
        )
    return normalization


def _params(spec: MethodSpec, method: str, params: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise AnalysisError(f"'params' must be an object of method settings; got {params!r}", "params")
    for name, value in params.items():
        if name not in spec.params:
            takes = ", ".join(spec.params) if spec.params else "no parameters"
            raise AnalysisError(f"method '{method}' takes no parameter {name!r}; it takes {takes}", f"params.{name}")
        if name == "v" and (
            isinstance(value, bool) or not isinstance(value, Real) or not 0 <= float(value) <= 1
        ):
            shown = number(value) if isinstance(value, Real) and not isinstance(value, bool) else repr(value)
            raise AnalysisError(
                f"VIKOR's 'v' (weight of group utility against individual regret) must be a number from 0 to 1; "
                f"got {shown}",
                "params.v",
            )
    return params


def _check_finite(method: str, output: MethodOutput) -> None:
    """Last guard: a non-finite number here is a bug, never an input problem."""
    arrays = [("scores", output.scores), *output.details.items(), *output.steps.items()]
    for name, value in arrays:
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and not np.isfinite(value).all():
            raise FloatingPointError(f"internal error: method '{method}' produced a non-finite '{name}'")


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
    spec = _spec(method)
    chosen = _normalization(spec, method, problem, normalization)
    settings = _params(spec, method, params)
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        output = spec.run(problem, chosen, settings, explain)
    _check_finite(method, output)
    ranked = competition_ranks(output.scores, spec.higher_is_better)
    warnings = list(output.warnings)
    if problem.scores.shape[0] == 1:
        warnings.append(SINGLE_OPTION_WARNING)
    return Ranking(
        method=method,
        normalization=chosen,
        higher_is_better=spec.higher_is_better,
        options=problem.options,
        criteria=problem.criteria,
        scores=output.scores,
        ranks=ranked.ranks,
        order=tuple(problem.options[i] for i in ranked.order),
        details=output.details,
        steps=output.steps,
        warnings=tuple(dict.fromkeys(warnings)),  # drop repeats, keep order
    )
