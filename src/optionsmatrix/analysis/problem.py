"""The decision problem: options scored against weighted criteria.

`Problem.build` is the one place where input is checked. Everything after it
(normalisations, methods) trusts a built Problem and does no re-validation,
which keeps the ranking path as fast as bare numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from optionsmatrix.vocabulary import Direction

from .errors import AnalysisError, number
from .weights import validated_weight_vector

# Scores and thresholds must be 0 or between these magnitudes. Inside this
# range every formula here (squares, reciprocals, products, gaps between
# options) stays far from float overflow and underflow, which is what lets the
# methods promise results without NaN or infinity.
MAX_MAGNITUDE = 1e100
MIN_MAGNITUDE = 1e-100

# The bounds of a criterion without a scale: no score is outside them.
UNBOUNDED = (-math.inf, math.inf)

PREFERENCE_FUNCTIONS = ("usual", "u_shape", "v_shape", "level", "linear", "gaussian")


def _threshold(value: object, name: str, owner: str) -> float | None:
    if value is None:
        return None
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        message = f"{owner}: threshold {name} must be a number; got {value!r}"
        raise AnalysisError(message, f"preference.{name}", code="threshold_not_number") from None
    if not math.isfinite(result) or abs(result) > MAX_MAGNITUDE or (result != 0 and abs(result) < MIN_MAGNITUDE):
        raise AnalysisError(
            f"{owner}: threshold {name} must be 0 or a finite number between 1e-100 and 1e100 in magnitude; "
            f"got {number(result)}",
            f"preference.{name}",
            code="threshold_out_of_range",
        )
    return result


@dataclass(frozen=True)
class PreferenceFunction:
    """How a PROMETHEE criterion turns a difference d between two options
    (in the criterion's own units) into a preference degree in [0, 1].

    q is the indifference threshold, p the strict-preference threshold, s the
    Gaussian inflection point. `criterion` only labels error messages.
    """

    function: str = "usual"
    q: float | None = None
    p: float | None = None
    s: float | None = None
    criterion: str | None = field(default=None, kw_only=True, compare=False, repr=False)

    def __post_init__(self) -> None:
        owner = f"criterion '{self.criterion}'" if self.criterion is not None else "preference function"
        if self.function not in PREFERENCE_FUNCTIONS:
            raise AnalysisError(
                f"{owner}: unknown preference function {self.function!r}; choose one of "
                f"{', '.join(PREFERENCE_FUNCTIONS)}",
                "preference.function",
                code="unknown_preference_function",
            )
        q = _threshold(self.q, "q", owner)
        p = _threshold(self.p, "p", owner)
        s = _threshold(self.s, "s", owner)
        object.__setattr__(self, "q", q)
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "s", s)
        kind = f"preference function '{self.function}'"

        def need(name: str, value: float | None, rule: str, ok: bool) -> None:
            if value is None:
                raise AnalysisError(
                    f"{owner}: {kind} needs {rule}; got none", f"preference.{name}", code="threshold_missing"
                )
            if not ok:
                raise AnalysisError(
                    f"{owner}: {kind} needs {rule}; got {name} = {number(value)}",
                    f"preference.{name}",
                    code="threshold_invalid",
                )

        if self.function == "u_shape":
            need("q", q, "an indifference threshold q >= 0", q is not None and q >= 0)
        elif self.function == "v_shape":
            need("p", p, "a preference threshold p > 0", p is not None and p > 0)
        elif self.function in ("level", "linear"):
            need("q", q, "thresholds 0 <= q < p", q is not None and q >= 0)
            need("p", p, "thresholds 0 <= q < p", p is not None and q is not None and p > q)
        elif self.function == "gaussian":
            need("s", s, "a Gaussian parameter s > 0", s is not None and s > 0)


@dataclass(frozen=True, eq=False)
class Problem:
    """A validated decision problem. Build it with `Problem.build`.

    Arrays are read-only float64; `weights` sum to 1. `scale_bounds` is an
    n×2 array of (min, max) when every criterion has a scale, else None.
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    scores: np.ndarray
    directions: tuple[Direction, ...]
    weights: np.ndarray
    scales: tuple[tuple[float, float] | None, ...]
    preferences: tuple[PreferenceFunction | None, ...]
    is_benefit: np.ndarray = field(repr=False)
    scale_bounds: np.ndarray | None = field(repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape  # type: ignore[return-value]

    @classmethod
    def build(
        cls,
        options: Sequence[str],
        criteria: Sequence[str],
        scores: Any,
        directions: Sequence[Direction | str],
        weights: Sequence[float],
        scales: Sequence[tuple[float, float] | None] | None = None,
        preferences: Sequence[PreferenceFunction | Mapping[str, Any] | None] | None = None,
    ) -> Problem:
        """Check everything once and return an immutable Problem.

        `scales[j]` is (min, max) or None; `preferences[j]` is a
        PreferenceFunction, a mapping such as {"function": "v_shape", "p": 2},
        or None (PROMETHEE then uses 'usual').
        """
        option_names = _names(options, "options", "option", lambda i: f"options[{i}]")
        criterion_names = _names(criteria, "criteria", "criterion", lambda j: f"criteria[{j}].name")
        n = len(criterion_names)
        matrix = _score_matrix(scores, option_names, criterion_names)
        direction_tuple = _directions(directions, criterion_names)
        weight_vector = _weights(weights, criterion_names)
        scale_tuple = _scales(scales, criterion_names)
        bounds = np.array([s if s is not None else UNBOUNDED for s in scale_tuple], dtype=float).reshape(n, 2)
        _check_scores_inside_scales(matrix, bounds, option_names, criterion_names)
        preference_tuple = _preferences(preferences, criterion_names)

        is_benefit = np.array([d is Direction.BENEFIT for d in direction_tuple], dtype=bool)
        scale_bounds = bounds if None not in scale_tuple else None
        for array in (matrix, weight_vector, is_benefit, scale_bounds):
            if array is not None:
                array.setflags(write=False)
        return cls(
            options=option_names,
            criteria=criterion_names,
            scores=matrix,
            directions=direction_tuple,
            weights=weight_vector,
            scales=scale_tuple,
            preferences=preference_tuple,
            is_benefit=is_benefit,
            scale_bounds=scale_bounds,
        )


def _names(values: Sequence[str], field_name: str, kind: str, path: Any) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise AnalysisError(f"'{field_name}' must be a list of {kind} names", field_name, code="names_not_list")
    if len(values) == 0:
        raise AnalysisError(f"at least one {kind} is needed; '{field_name}' is empty", field_name, code="names_empty")
    names = tuple(values)
    if all(isinstance(name, str) and name.strip() for name in names) and len(set(names)) == len(names):
        return names
    # Something is wrong: find the first name at fault, for the message.
    seen: dict[str, int] = {}
    for index, name in enumerate(values):
        if not isinstance(name, str) or not name.strip():
            raise AnalysisError(
                f"every {kind} needs a non-empty name; {kind} {index + 1} has {name!r}", path(index), code="name_blank"
            )
        if name in seen:
            raise AnalysisError(
                f"{kind} names must be unique; '{name}' appears as {kind} {seen[name] + 1} and {index + 1}",
                path(index),
                code="name_repeated",
            )
        seen[name] = index
    return tuple(values)


def _score_matrix(scores: Any, options: tuple[str, ...], criteria: tuple[str, ...]) -> np.ndarray:
    m, n = len(options), len(criteria)
    expected = f"{m}×{n} ({m} options × {n} criteria)"
    try:
        matrix = np.array(scores, dtype=float)  # a copy: the caller's array stays theirs
    except (TypeError, ValueError):
        raise AnalysisError(
            f"'scores' must be a table of numbers with one row per option and one column per criterion, {expected}",
            "scores",
            code="scores_not_table",
        ) from None
    if matrix.shape != (m, n):
        got = "×".join(str(s) for s in matrix.shape) or "a single number"
        raise AnalysisError(f"'scores' has shape {got}; expected {expected}", "scores", code="scores_wrong_shape")
    magnitude = np.abs(matrix)
    tiny = magnitude < MIN_MAGNITUDE
    # NaN fails the first test too. Only when a test fails is the cell at fault looked for.
    if magnitude.max() <= MAX_MAGNITUDE and not (tiny.any() and matrix[tiny].any()):
        return matrix
    not_finite = ~np.isfinite(matrix)
    out_of_range = (magnitude > MAX_MAGNITUDE) | ((magnitude < MIN_MAGNITUDE) & (matrix != 0))
    for mask, rule in (
        (not_finite, "scores must be finite numbers"),
        (out_of_range, "scores must be 0 or between 1e-100 and 1e100 in magnitude"),
    ):
        if mask.any():
            i, j = (int(k) for k in np.argwhere(mask)[0])
            raise AnalysisError(
                f"the score of option '{options[i]}' on criterion '{criteria[j]}' is {number(matrix[i, j])}; {rule}",
                f"scores[{i}][{j}]",
                code="score_not_finite",
            )
    return matrix


def _count(k: int, noun: str) -> str:
    plural = "criteria" if noun == "criterion" else noun + "s"
    return f"{k} {noun if k == 1 else plural}"


def _per_criterion(values: Any, field_name: str, criteria: tuple[str, ...]) -> list[Any]:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise AnalysisError(
            f"'{field_name}' must be a list with one entry per criterion", field_name, code="per_criterion_not_list"
        )
    if len(values) != len(criteria):
        raise AnalysisError(
            f"'{field_name}' has {_count(len(values), 'value')}; the problem has {_count(len(criteria), 'criterion')}",
            field_name,
            code="per_criterion_wrong_length",
        )
    return list(values)


# What `Direction(value)` looks up first, without the cost of an Enum call per criterion.
_DIRECTIONS: dict[object, Direction] = {d.value: d for d in Direction}


def _directions(directions: Sequence[Direction | str], criteria: tuple[str, ...]) -> tuple[Direction, ...]:
    result = []
    for j, value in enumerate(_per_criterion(directions, "directions", criteria)):
        try:
            known = _DIRECTIONS.get(value)
            result.append(known if known is not None else Direction(value))
        except (TypeError, ValueError):
            raise AnalysisError(
                f"criterion '{criteria[j]}' has direction {value!r}; expected 'benefit' or 'cost'",
                f"criteria[{j}].direction",
                code="unknown_direction",
            ) from None
    return tuple(result)


def _weights(weights: Sequence[float], criteria: tuple[str, ...]) -> np.ndarray:
    if isinstance(weights, (Sequence, np.ndarray)) and not isinstance(weights, str) and len(weights) != len(criteria):
        raise AnalysisError(
            f"'weights' has {_count(len(weights), 'value')}; the problem has {_count(len(criteria), 'criterion')}",
            "weights",
            code="weights_wrong_length",
        )
    return validated_weight_vector(weights, "weights", criteria)


def _scales(
    scales: Sequence[tuple[float, float] | None] | None, criteria: tuple[str, ...]
) -> tuple[tuple[float, float] | None, ...]:
    if scales is None:
        return (None,) * len(criteria)
    result: list[tuple[float, float] | None] = []
    for j, scale in enumerate(_per_criterion(scales, "scales", criteria)):
        if scale is None:
            result.append(None)
            continue
        try:
            low, high = scale
            low, high = float(low), float(high)
        except (TypeError, ValueError):
            raise AnalysisError(
                f"the scale of criterion '{criteria[j]}' must be a pair (min, max) of numbers; got {scale!r}",
                f"criteria[{j}].scale_min",
                code="scale_not_pair",
            ) from None
        if not (abs(low) <= MAX_MAGNITUDE and abs(high) <= MAX_MAGNITUDE):  # NaN and infinity fail it too
            bound, value = ("scale_min", low) if not abs(low) <= MAX_MAGNITUDE else ("scale_max", high)
            raise AnalysisError(
                f"criterion '{criteria[j]}' has {bound} {number(value)}; it must be a finite number of "
                "magnitude at most 1e100",
                f"criteria[{j}].{bound}",
                code="scale_not_finite",
            )
        if not low < high:
            raise AnalysisError(
                f"criterion '{criteria[j]}' has scale {number(low)}–{number(high)}; scale_min must be less than "
                "scale_max",
                f"criteria[{j}].scale_max",
                code="scale_reversed",
            )
        result.append((low, high))
    return tuple(result)


def _check_scores_inside_scales(
    matrix: np.ndarray, bounds: np.ndarray, options: tuple[str, ...], criteria: tuple[str, ...]
) -> None:
    """`bounds` is n×2 (min, max), ±infinity for a criterion without a scale."""
    low, high = bounds[:, 0], bounds[:, 1]
    outside = (matrix < low) | (matrix > high)
    if outside.any():
        i, j = (int(k) for k in np.argwhere(outside)[0])
        raise AnalysisError(
            f"criterion '{criteria[j]}' has score {number(matrix[i, j])} outside its scale "
            f"{number(low[j])}–{number(high[j])} for option '{options[i]}'",
            f"scores[{i}][{j}]",
            code="score_outside_scale",
        )


def _preferences(
    preferences: Sequence[PreferenceFunction | Mapping[str, Any] | None] | None, criteria: tuple[str, ...]
) -> tuple[PreferenceFunction | None, ...]:
    if preferences is None:
        return (None,) * len(criteria)
    result: list[PreferenceFunction | None] = []
    for j, spec in enumerate(_per_criterion(preferences, "preferences", criteria)):
        if spec is None or isinstance(spec, PreferenceFunction):
            result.append(spec)
            continue
        if not isinstance(spec, Mapping):
            raise AnalysisError(
                f"the preference function of criterion '{criteria[j]}' must be an object like "
                f"{{'function': 'v_shape', 'p': 2}}; got {spec!r}",
                f"criteria[{j}].preference",
                code="preference_not_object",
            )
        unknown = set(spec) - {"function", "q", "p", "s"}
        if unknown:
            name = sorted(unknown)[0]
            raise AnalysisError(
                f"criterion '{criteria[j]}': unknown preference setting '{name}'; expected function, q, p, s",
                f"criteria[{j}].preference.{name}",
                code="unknown_preference_setting",
            )
        try:
            result.append(PreferenceFunction(**spec, criterion=criteria[j]))
        except AnalysisError as error:
            raise AnalysisError(error.message, f"criteria[{j}].{error.field}") from None
    return tuple(result)
