"""Request and response shapes for the stateless analysis endpoints (/api/v1/analyze, /api/v1/weights)
and the `optionsmatrix rank` command, which reads the same body from a file.

Strict like the rest of the API: no string-to-number coercion, unknown fields
refused, and every float rejects NaN and infinity (FastAPI's JSON parser lets
`NaN` through otherwise). The size caps keep a public, unauthenticated
endpoint cheap: PROMETHEE's pairwise tensor grows with options² × criteria.

These schemas only check shapes and types. The analysis core (`Problem.build`,
`rank`, `compute_weights`) checks meaning — unique names, scales, thresholds,
non-zero weights — and names the field in its own errors.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from optionsmatrix.analysis import METHOD_NAMES, METHODS
from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.models import NAME_MAX
from optionsmatrix.schemas.matrices import DirectionName, label

# The core refuses AHP beyond 15 criteria with its own explanation; this cap
# only bounds the work done before it gets the chance.
MAX_PAIRWISE = MAX_CRITERIA

Finite = Annotated[float, Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
# The same rules as the names of a stored matrix: NFKC, one line, nothing invisible.
Label = label(NAME_MAX, "A name, unique within its list.")
# Read from the method registry, so a new method module appears here by itself.
MethodName = Literal[METHOD_NAMES]  # type: ignore[valid-type]
NormalizationName = Literal["scale", "minmax", "sum", "max", "vector", "none"]
PreferenceName = Literal["usual", "u_shape", "v_shape", "level", "linear", "gaussian"]
# These two Literals repeat the core's names so that the OpenAPI schema lists
# them; tests/api/test_analyze.py checks they match NORMALIZATIONS and
# PREFERENCE_FUNCTIONS.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# /analyze ----------------------------------------------------------------------


class PreferenceIn(_Strict):
    """A PROMETHEE preference function; thresholds are in the criterion's own units."""

    function: PreferenceName = "usual"
    q: Finite | None = Field(default=None, description="indifference threshold (u_shape, level, linear)")
    p: Finite | None = Field(default=None, description="strict-preference threshold (v_shape, level, linear)")
    s: Finite | None = Field(default=None, description="Gaussian inflection point (gaussian)")


class CriterionIn(_Strict):
    name: Label
    direction: DirectionName
    weight: NonNegative = Field(description="any non-negative number; weights are scaled to sum to 1")
    scale_min: Finite | None = Field(default=None, description="give both ends of the scale, or neither")
    scale_max: Finite | None = None
    preference: PreferenceIn | None = Field(default=None, description="PROMETHEE II only; 'usual' when omitted")

    @model_validator(mode="after")
    def _scale_has_both_ends(self) -> CriterionIn:
        if (self.scale_min is None) != (self.scale_max is None):
            missing = "scale_max" if self.scale_max is None else "scale_min"
            raise ValueError(f"give both scale_min and scale_max, or neither; {missing} is missing")
        return self

    @property
    def scale(self) -> tuple[float, float] | None:
        if self.scale_min is None or self.scale_max is None:
            return None
        return (self.scale_min, self.scale_max)


def _method_params_model() -> type[BaseModel]:
    """Every method's parameters, each optional and described with its method, from the registry."""
    fields: dict[str, Any] = {}
    for spec in METHODS.values():
        for p in spec.parameters:
            description = (
                f"{spec.label.split(' (')[0]} only: {p.description}, {p.minimum:g} to {p.maximum:g} "
                f"(default {p.default:g})"
            )
            fields[p.name] = (Finite | None, Field(default=None, description=description))
    return create_model("MethodParams", __base__=_Strict, **fields)


MethodParams = _method_params_model()


class AnalyzeRequest(_Strict):
    """One decision problem and the method to rank it with."""

    options: list[Label] = Field(min_length=1, max_length=MAX_OPTIONS)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=MAX_CRITERIA)
    scores: list[Annotated[list[Finite], Field(max_length=MAX_CRITERIA)]] = Field(
        max_length=MAX_OPTIONS, description="one row per option, one column per criterion"
    )
    method: MethodName
    normalization: NormalizationName | None = Field(
        default=None, description="omit for the method's default; vikor and promethee2 take none"
    )
    params: MethodParams | None = None  # type: ignore[valid-type]
    explain: bool = Field(default=False, description="also return every intermediate table as `steps`")


class AnalyzeResponse(BaseModel):
    method: str
    normalization: str | None
    higher_is_better: bool = Field(description="false for VIKOR, whose Q ranks lower first")
    options: list[str]
    criteria: list[str]
    scores: list[float]
    ranks: list[int] = Field(description="1 = best, per option in input order; ties share a rank (1, 2, 2, 4)")
    order: list[str] = Field(description="option names, best first")
    details: dict[str, Any]
    steps: dict[str, Any] | None = Field(default=None, description="present only when `explain` is true")
    warnings: list[str]


# /weights ----------------------------------------------------------------------


class RankWeightsIn(_Strict):
    """Weights from an importance ranking: 1 = most important; ties share a rank (1, 2, 2, 4)."""

    scheme: Literal["roc", "rank_sum"]
    ranks: list[int] = Field(min_length=1, max_length=MAX_CRITERIA)


class SwingWeightsIn(_Strict):
    """Swing points: the most important criterion's swing at 100, the others 0–100 relative to it."""

    scheme: Literal["swing"]
    points: list[Finite] = Field(min_length=1, max_length=MAX_CRITERIA)


class AhpWeightsIn(_Strict):
    """AHP: pairwise[i][j] says how much more important criterion i is than j, on Saaty's 1/9…9 scale."""

    scheme: Literal["ahp"]
    pairwise: list[Annotated[list[Finite], Field(max_length=MAX_PAIRWISE)]] = Field(
        min_length=1, max_length=MAX_PAIRWISE
    )
    priority: Literal["eigenvector", "geometric_mean"] = "eigenvector"


class DirectWeightsIn(_Strict):
    """Weights typed in directly (any non-negative numbers, not all zero), scaled to sum to 1."""

    scheme: Literal["direct"]
    weights: list[Finite] = Field(min_length=1, max_length=MAX_CRITERIA)


class EqualWeightsIn(_Strict):
    scheme: Literal["equal"]
    n: int = Field(ge=1, le=MAX_CRITERIA)


WeightsRequest = Annotated[
    RankWeightsIn | SwingWeightsIn | AhpWeightsIn | DirectWeightsIn | EqualWeightsIn,
    Field(discriminator="scheme"),
]


class ConsistencyOut(BaseModel):
    lambda_max: float
    ci: float
    ri: float
    cr: float = Field(description="consistency ratio; above 0.1 the judgements are usually revised")


class WeightsResponse(BaseModel):
    weights: list[float] = Field(description="one per criterion, summing to 1")
    consistency: ConsistencyOut | None = Field(description="AHP only")
    warnings: list[str]
