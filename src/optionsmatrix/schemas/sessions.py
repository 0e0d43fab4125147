"""Shapes of seminar sessions: starting one, joining, a ballot, a group result.

Ids are integers in JSON values and decimal strings as JSON map keys, as the
API's clients expect (`{"scores": {"<option id>": {"<criterion id>": 4}}}`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from optionsmatrix.analysis import METHOD_NAMES
from optionsmatrix.schemas.matrices import DirectionName, Timestamp, label

AGGREGATIONS = ("mean", "median", "geometric")
Aggregation = Literal["mean", "median", "geometric"]
WeightMode = Literal["fixed", "participant"]
SessionStatus = Literal["open", "closed"]
MethodName = Literal[METHOD_NAMES]  # type: ignore[valid-type]
NormalizationName = Literal["scale", "minmax", "sum", "max", "vector", "none"]
DisplayName = label(40, "How the room sees you; blank becomes 'Participant 7'.")
SessionTitle = label(200, "What the room sees on the dashboard.")
Rationale = label(280, "One line on why, for this option.")
JoinCode = Annotated[str, Field(min_length=1, max_length=32, description="The code on the projector, e.g. K7P2QX")]
Finite = Annotated[float, Field(allow_inf_nan=False)]
IdKey = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,9}$")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SessionCreate(_Input):
    title: SessionTitle | None = Field(default=None, description="Defaults to the matrix's title")
    weight_mode: WeightMode = Field(
        default="fixed", description="`fixed`: the instructor's weights; `participant`: each participant weights too"
    )
    reveal: bool = Field(default=False, description="Show results to participants at once (default: after reveal)")
    method: MethodName = "wsm"
    normalization: NormalizationName | None = Field(default=None, description="Omit for the method's default")

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"title": "Border options, seminar A", "weight_mode": "participant"}]},
    )


class SessionOptionPublic(BaseModel):
    id: int
    source_option_id: int | None
    name: str
    short_name: str
    description: str
    escalation_level: int
    evidence: str
    position: int


class SessionCriterionPublic(BaseModel):
    id: int
    source_criterion_id: int | None
    name: str
    short_name: str
    description: str
    direction: DirectionName
    weight: float
    scale_min: float
    scale_max: float
    scale_low_label: str
    scale_high_label: str
    evidence: str
    position: int


class SessionPublic(BaseModel):
    id: int
    title: str
    matrix_id: int | None
    join_code: str
    join_url: str
    status: SessionStatus
    reveal: bool = Field(description="Whether the current round's results are shown to participants")
    weight_mode: WeightMode
    method: str
    normalization: str | None
    round: int
    participants: int
    created_at: Timestamp
    options: list[SessionOptionPublic]
    criteria: list[SessionCriterionPublic]


class SessionSummary(BaseModel):
    id: int
    title: str
    matrix_id: int | None
    join_code: str
    status: SessionStatus
    round: int
    participants: int
    ballots: int = Field(description="Participants with at least one score in the current round")
    created_at: Timestamp


class SessionList(BaseModel):
    items: list[SessionSummary]
    total: int


class JoinRequest(_Input):
    join_code: JoinCode
    display_name: DisplayName | Literal[""] | None = None


class Joined(BaseModel):
    participant_token: str = Field(description="A bearer token for this session only (starts with omp_); shown once")
    participant_id: int
    session_id: int


class BallotIn(_Input):
    scores: dict[IdKey, dict[IdKey, Finite]] = Field(
        default_factory=dict, description="option id → criterion id → score on that criterion's scale"
    )
    weights: dict[IdKey, Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]] | None = Field(
        default=None, description="criterion id → weight (participant mode only)"
    )
    rationales: dict[IdKey, Rationale] | None = Field(default=None, description="option id → one line")
    version: int | None = Field(
        default=None, ge=0, description="The last version you saw (0: none yet); a stale one is a 409"
    )

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"scores": {"11": {"21": 4, "22": 2}}, "rationales": {"11": "Cheapest first"}}]
        },
    )


class RankingOut(BaseModel):
    method: str
    normalization: str | None
    higher_is_better: bool
    order: list[int] = Field(description="option ids, best first; ties in snapshot order")
    ranks: dict[str, int]
    scores: dict[str, float]


class BallotSaved(BaseModel):
    version: int
    complete: bool
    ranking: RankingOut | None


class BallotOut(BaseModel):
    version: int
    round: int
    scores: dict[str, dict[str, float]]
    weights: dict[str, float] | None
    rationales: dict[str, str]
    complete: bool
    ranking: RankingOut | None
    submitted_at: Timestamp


class CellSpread(BaseModel):
    sd: float | None
    iqr: float | None
    n: int


class Consensus(BaseModel):
    kendall_w: float | None


class GroupResults(BaseModel):
    method: str
    normalization: str | None
    aggregation: Aggregation
    round: int
    ballots: int
    complete_ballots: int
    group_scores: dict[str, dict[str, float | None]]
    group_weights: dict[str, float] | None
    ranking: RankingOut | None
    consensus: Consensus
    spread: dict[str, dict[str, CellSpread]]
    rank_distribution: dict[str, list[int]]


class RoundSummary(BaseModel):
    number: int
    revealed: bool
    opened_at: Timestamp
    closed_at: Timestamp | None
    ballots: int
    complete_ballots: int


class RoundList(BaseModel):
    items: list[RoundSummary]
    total: int


class ParticipantSummary(BaseModel):
    id: int
    display_name: str
    submitted: bool = Field(description="Has a ballot in the current round")
    complete: bool
    scored_cells: int
    total_cells: int
    last_change: Timestamp | None
    joined_at: Timestamp


class ParticipantList(BaseModel):
    items: list[ParticipantSummary]
    total: int
