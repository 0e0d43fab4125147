"""Request and response shapes of /api/v1/sensitivity: the /analyze body plus the analysis to run.

As strict as /analyze. These schemas check types and ranges; the analysis
core and services/sensitivity.py check what needs the whole body (bounds
against the number of criteria, Σ lower ≤ 1 ≤ Σ upper, the work cap on
samples × options × criteria) and name the field in their errors.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from optionsmatrix.analysis.sensitivity import DEFAULT_SAMPLES, MAX_SEED
from optionsmatrix.limits import MAX_BALLOT_SAMPLE_NUMBERS, MAX_CRITERIA, MAX_SMAA_SAMPLES, MAX_SMAA_WORK
from optionsmatrix.schemas.analysis import AnalyzeRequest, Finite
from optionsmatrix.schemas.sessions import Aggregation, MethodName

AnalysisName = Literal["weights", "smaa", "dominance", "methods"]
SMAA_ONLY = ("samples", "seed", "weight_bounds", "criteria_order")


class SensitivityRequest(AnalyzeRequest):
    """A decision problem, its method, and which sensitivity analysis to run on it."""

    analysis: AnalysisName = Field(
        description="weights: one-way weight intervals; smaa: SMAA-2; dominance: dominated options and "
        "the efficient set; methods: every method's ranking and Kendall's τ-b between them"
    )
    samples: int | None = Field(
        default=None,
        ge=1,
        le=MAX_SMAA_SAMPLES,
        description=f"smaa only: weight samples (default {DEFAULT_SAMPLES:,}); samples × options × criteria "
        f"(× options again for promethee2) at most {MAX_SMAA_WORK:,}",
    )
    seed: int | None = Field(
        default=None,
        ge=0,
        lt=MAX_SEED,
        description="smaa only: the random seed; chosen by the server and returned when omitted",
    )
    weight_bounds: list[Annotated[list[Finite], Field(min_length=2, max_length=2)]] | None = Field(
        default=None,
        max_length=MAX_CRITERIA,
        description="smaa only: [lower, upper] per criterion on the normalised weights (summing to 1); "
        "the lower bounds may add up to at most 1 and the upper bounds must add up to at least 1",
    )
    criteria_order: list[int] | None = Field(
        default=None,
        max_length=MAX_CRITERIA,
        description="smaa only: importance of each criterion as competition ranks, 1 = most important, "
        "ties share a rank (1, 2, 2, 4); sampled weights respect it",
    )


class SessionSensitivityRequest(BaseModel):
    """Which sensitivity analysis to run on a session's group result (of `round`, by `method`, `aggregation`)."""

    analysis: AnalysisName
    method: MethodName | None = Field(default=None, description="Omit for the session's method")
    aggregation: Aggregation = "mean"
    round: int | None = Field(default=None, ge=1, le=10_000, description="Omit for the current round")
    samples: int | None = Field(
        default=None,
        ge=1,
        le=MAX_SMAA_SAMPLES,
        description=f"smaa only (default {DEFAULT_SAMPLES:,}); samples × options × criteria at most "
        f"{MAX_BALLOT_SAMPLE_NUMBERS:,}, since each sample holds a drawn ballot",
    )
    seed: int | None = Field(default=None, ge=0, lt=MAX_SEED, description="smaa only; returned when omitted")
    weight_bounds: list[Annotated[list[Finite], Field(min_length=2, max_length=2)]] | None = Field(
        default=None, max_length=MAX_CRITERIA, description="smaa only: as on /api/v1/sensitivity"
    )
    criteria_order: list[int] | None = Field(
        default=None, max_length=MAX_CRITERIA, description="smaa only: as on /api/v1/sensitivity"
    )

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"analysis": "smaa", "samples": 10000, "seed": 7}, {"analysis": "weights"}]},
    )


class CriterionIntervalOut(BaseModel):
    name: str
    weight: float = Field(description="the criterion's normalised weight now")
    lower: float = Field(description="the top stays the same down to here (0: all the way)")
    upper: float = Field(description="the top stays the same up to here (1: all the way)")
    top_below: list[str] | None = Field(description="first just below `lower`; null when nothing changes")
    top_above: list[str] | None = Field(description="first just above `upper`; null when nothing changes")


class WeightSensitivityOut(BaseModel):
    analysis: Literal["weights"]
    method: str
    normalization: str | None
    top: list[str] = Field(description="the option(s) ranked first with the weights as given")
    criteria: list[CriterionIntervalOut]
    tolerance: float = Field(description="0: exact breakpoints; otherwise each is within this of the true one")


class SmaaOut(BaseModel):
    analysis: Literal["smaa"]
    method: str
    normalization: str | None
    samples: int
    seed: int = Field(description="repeat the request with this seed for the same answer")
    acceptability: list[list[float]] = Field(
        description="per option, the share of samples at rank 1, 2, …, m; every row and column sums to 1"
    )
    central_weights: list[list[float] | None] = Field(
        description="per option, the mean weights where it ranks first; null if it never does"
    )
    confidence: list[float | None] = Field(
        description="per option, the share of samples where it is first at its central weights; null if never first"
    )


class DominanceOut(BaseModel):
    analysis: Literal["dominance"]
    dominated_by: list[list[str]] = Field(description="per option, the options that dominate it")
    efficient: list[str] = Field(description="the options nobody dominates (the Pareto set)")


class MethodsOut(BaseModel):
    analysis: Literal["methods"]
    methods: list[str]
    ranks: dict[str, list[int]] = Field(description="per method, the rank of each option (1 = best)")
    kendall_tau: dict[str, dict[str, float | None]] = Field(
        description="Kendall's τ-b between each pair of methods' rankings; null when one ranking ties everything"
    )
    skipped: dict[str, str] = Field(description="methods that cannot rank this problem, and why")


SensitivityResponse = Annotated[
    WeightSensitivityOut | SmaaOut | DominanceOut | MethodsOut, Field(discriminator="analysis")
]


class _OnASession(BaseModel):
    option_ids: list[int] = Field(description="the snapshot's option ids, in the order of every per-option list")
    criterion_ids: list[int] = Field(description="the snapshot's criterion ids, in the order of per-criterion lists")
    round: int
    aggregation: str


class SessionWeightSensitivityOut(WeightSensitivityOut, _OnASession):
    pass


class SessionSmaaOut(SmaaOut, _OnASession):
    score_sampling: Literal["ballot"] = Field(description="each sample's scores are one whole complete ballot")
    weight_sampling: Literal["ballot", "sampled"] = Field(
        description="ballot: that ballot's own weights (participant mode); sampled: as on /api/v1/sensitivity"
    )
    ballots_sampled: int = Field(description="how many complete ballots the draws come from")


class SessionDominanceOut(DominanceOut, _OnASession):
    pass


class SessionMethodsOut(MethodsOut, _OnASession):
    pass


SessionSensitivityResponse = Annotated[
    SessionWeightSensitivityOut | SessionSmaaOut | SessionDominanceOut | SessionMethodsOut,
    Field(discriminator="analysis"),
]
