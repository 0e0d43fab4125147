"""What a ranking method is: one `MethodSpec` beside its code, read by everything else.

A method module defines `SPEC`. The registry (`methods/__init__.py`) finds it,
and from it the dispatcher, the API's method names and parameters, the UI's
choices and "show the working" take their names, labels and checks — so
adding a method is adding one module.

Methods are batched: `run` gets weights of shape (k, n), one weight vector per
row, and score tables of shape (1, m, n) (the problem's own, shared by every
weight vector) or (k, m, n) (one per weight vector: a participant's ballot, a
sample), and returns scores of shape (k, m). A single ranking is the k = 1
case of the same code; the named intermediate tables (`steps`) and `details`
are produced only then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np

from ..errors import AnalysisError, number
from ..problem import Problem
from ..ranks import RankOrder


@dataclass(frozen=True)
class Parameter:
    """A method setting: a number in [minimum, maximum] with a default."""

    name: str
    description: str
    default: float
    minimum: float
    maximum: float

    def read(self, method_label: str, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, Real) or not self.minimum <= float(value) <= self.maximum:
            shown = number(value) if isinstance(value, Real) and not isinstance(value, bool) else repr(value)
            raise AnalysisError(
                f"{method_label}'s '{self.name}' ({self.description}) must be a number from "
                f"{number(self.minimum)} to {number(self.maximum)}; got {shown}",
                f"params.{self.name}",
                code="parameter_out_of_range",
            )
        return float(value)


@dataclass(frozen=True, eq=False)
class MethodInput:
    """Everything a method's `run` may use.

    `weights` is (k, n), each row summing to 1; `scores` is (1, m, n) or
    (k, m, n). `problem` supplies names, directions, scales and preference
    functions (its own scores are `scores[0]` in a single ranking).
    """

    problem: Problem
    weights: np.ndarray
    scores: np.ndarray
    normalization: str | None
    params: Mapping[str, float]
    explain: bool

    @property
    def single(self) -> bool:
        """One weight vector: the call that also reports details and steps."""
        return self.weights.shape[0] == 1


def weighted_sum(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ_j w_j v_ij for each weight vector: values (1 or k, m, n), weights (k, n) -> (k, m)."""
    if values.shape[0] == 1:
        return weights @ values[0].T  # one matrix product for the whole batch
    return np.einsum("kmn,kn->km", values, weights)


@dataclass(frozen=True, eq=False)
class MethodOutput:
    """Scores (k, m); details, steps and warnings describe the k = 1 case only."""

    scores: np.ndarray
    details: dict[str, np.ndarray | tuple[str, ...]] = field(default_factory=dict)
    steps: dict[str, np.ndarray] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # The ranking of scores[0], when the method made it itself (VIKOR does, for its compromise set).
    ranked: RankOrder | None = None


@dataclass(frozen=True)
class MethodSpec:
    """A ranking method, its settings and how to talk about it."""

    name: str  # the identifier clients send: "topsis"
    label: str  # for people: "TOPSIS (closeness to the ideal option)"
    score_label: str  # what its score is called: "closeness"
    higher_is_better: bool
    run: Callable[[MethodInput], MethodOutput]
    # Where it sits in lists (menus, the methods table); lower first.
    order: int
    normalizations: tuple[str, ...] = ()  # empty: the method works on raw scores
    default_normalization: Callable[[Problem], str] | None = None
    raw_scores_note: str = ""  # with no normalisation: how the scores are used instead
    parameters: tuple[Parameter, ...] = ()
    # Compares every pair of options: time and memory grow with options² × criteria, not options × criteria.
    pairwise: bool = False
    # Titles of the named steps, for "show the working": key -> (title, explanation).
    # "per_criterion" and "per_option" title the tables gathered from 1-D steps.
    step_titles: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def settings(self, params: Mapping[str, Any] | None) -> dict[str, float]:
        """Validated parameters, defaults filled in."""
        given = dict(params or {})
        for name in given:
            if self.parameter(name) is None:
                takes = ", ".join(p.name for p in self.parameters) or "no parameters"
                raise AnalysisError(
                    f"method '{self.name}' takes no parameter {name!r}; it takes {takes}",
                    f"params.{name}",
                    code="unknown_parameter",
                )
        return {
            p.name: p.read(self.label.split(" (")[0], given[p.name]) if p.name in given else p.default
            for p in self.parameters
        }
