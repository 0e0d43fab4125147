"""API shapes for matrices, options and criteria: Create / Update / Public.

Input models are strict (no string-to-number coercion), forbid unknown fields
and reject NaN and infinity on every float. Names and texts follow the
character rules of text_rules.py, which the schema publishes as patterns.
The web forms reuse the same models with FORM_CONTEXT, under which numeric
fields read their text with numbers.py (see web/forms.py).

Update models give every field a default of None that is never validated:
omitting a field leaves it unchanged, while an explicit `null` is validated
against the real type and rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS, MAX_TOKEN_DAYS
from optionsmatrix.models import NAME_MAX, SCALE_LABEL_MAX, SHORT_NAME_MAX, TITLE_MAX, as_utc
from optionsmatrix.schemas.numbers import NotANumber, parse_decimal, parse_whole
from optionsmatrix.schemas.scores import SCORES_DESCRIPTION, SCORES_EXAMPLE, ScoreMap, score_map
from optionsmatrix.schemas.text import LABEL_PATTERN, TEXT_PATTERN, TextRuleBroken, clean_label, clean_text
from optionsmatrix.vocabulary import Direction

TEXT_MAX = 5000
MAX_ESCALATION_LEVEL = 1000
MAX_WEIGHT = 1_000_000.0
SCALE_LIMIT = 1_000_000_000.0


def label(max_length: int, description: str) -> Any:  # noqa: ANN401 (a type, built at import)
    """A one-line label type: the rules of text_rules.clean_label, published in the schema too."""

    def check(value: str) -> str:
        try:
            return clean_label(value, max_length=max_length)
        except TextRuleBroken as error:
            raise PydanticCustomError("value_error", str(error)) from None

    return Annotated[
        str,
        Field(
            max_length=max_length,
            description=f"{description} {LABEL_RULES.format(max_length=max_length)}",
            # Documentation only: `check` enforces the same pattern with messages for people.
            json_schema_extra={"minLength": 1, "pattern": LABEL_PATTERN},
        ),
        AfterValidator(check),
    ]


def optional_label(max_length: int, description: str) -> Any:  # noqa: ANN401 (a type, built at import)
    """A one-line label that may also be '' (or only spaces, stored as ''): "not set"."""
    def check(value: str) -> str:
        if not value.strip(" "):
            return ""
        try:
            return clean_label(value, max_length=max_length)
        except TextRuleBroken as error:
            raise PydanticCustomError("value_error", str(error)) from None

    return Annotated[
        str,
        Field(
            max_length=max_length,
            description=f"{description} Empty: not set. Otherwise: "
            f"{LABEL_RULES.format(max_length=max_length)}",
            json_schema_extra={"pattern": f"^$|{LABEL_PATTERN}"},
        ),
        AfterValidator(check),
    ]


def _text(value: str) -> str:
    try:
        return clean_text(value)
    except TextRuleBroken as error:
        raise PydanticCustomError("value_error", str(error)) from None


LABEL_RULES = (
    "One line, not blank, at most {max_length} characters. Surrounding spaces are removed and the text is "
    "normalised to Unicode NFKC (so full-width letters and composed or decomposed accents are stored alike); "
    "the limit applies after that too. Control characters, line breaks and invisible formatting characters "
    "(zero-width spaces, byte order marks, direction overrides) are refused; a zero-width joiner or non-joiner "
    "may stand between two visible characters."
)
TEXT_RULES = (
    "Any number of lines, at most {max_length} characters; surrounding space is removed and line endings become "
    "\\n. Tabs are allowed; other control characters and bidirectional overrides and isolates "
    "(U+202A–U+202E, U+2066–U+2069) are refused."
)

Name = label(NAME_MAX, "A name, unique within its list regardless of case, spacing and Unicode form.")
Title = label(TITLE_MAX, "The title.")
ShortName = optional_label(
    SHORT_NAME_MAX,
    "A short label for table headers and charts (the full name stays in tooltips); when set, unique within "
    "the matrix's options (or criteria), also against their full names. Empty: the name is shown.",
)
ScaleLabel = optional_label(SCALE_LABEL_MAX, "What this end of the scale means, e.g. 'low risk'.")
TokenName = label(NAME_MAX, "What the token is for, to recognise it in the list.")
Text = Annotated[
    str,
    Field(
        max_length=TEXT_MAX,
        description=TEXT_RULES.format(max_length=TEXT_MAX),
        json_schema_extra={"pattern": TEXT_PATTERN},
    ),
    AfterValidator(_text),
]
# Web forms send every value as text and validate with FORM_CONTEXT; there a
# number is read by numbers.py, the grammar the API's JSON also follows. The
# API never sets the context, so its strict fields still refuse strings.
FORM_CONTEXT = {"form": True}


def _number_from_text(parse: Callable[[str], object], *, forms_only: bool) -> BeforeValidator:
    """Read a text value with `parse` — in a form only (`forms_only`), or always (query strings)."""

    def read(value: object, info: ValidationInfo) -> object:
        in_a_form = info.context is not None and info.context.get("form")
        if isinstance(value, str) and (in_a_form or not forms_only):
            try:
                return parse(value)
            except NotANumber as error:
                raise PydanticCustomError("value_error", str(error)) from None
        return value

    return BeforeValidator(read)


FormDecimal = _number_from_text(parse_decimal, forms_only=True)
FormWhole = _number_from_text(parse_whole, forms_only=True)
QueryWhole = _number_from_text(parse_whole, forms_only=False)  # e.g. ?limit=1_0 is refused, not 10

# The values of the one Direction enum, as a Literal so that OpenAPI lists them.
DirectionName = Literal[tuple(d.value for d in Direction)]  # type: ignore[valid-type]
# The text reader goes after Field: before it, pydantic would publish the
# bounds as "ge"/"le" instead of JSON Schema's "minimum"/"maximum".
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False), FormDecimal]
ScaleBound = Annotated[float, Field(ge=-SCALE_LIMIT, le=SCALE_LIMIT, allow_inf_nan=False), FormDecimal]
EscalationLevel = Annotated[int, Field(ge=1, le=MAX_ESCALATION_LEVEL), FormWhole]
ExpiryDays = Annotated[int, Field(ge=1, le=MAX_TOKEN_DAYS), FormWhole]
# Every timestamp in a response is UTC with its offset stated, on both back
# ends: SQLite returns naive datetimes, which a client could not place in time.
Timestamp = Annotated[datetime, AfterValidator(as_utc)]


_VERSION_TAG = re.compile(r'(?:W/)?"?([0-9]{1,9})"?')


def read_version(value: object) -> object:
    """A matrix version as `If-Match` or a form's hidden field sends it: 7, "7" (an ETag), W/"7"; '*' = any.

    Anything else is refused rather than ignored: a client that meant to
    guard its write must not have it go through unguarded.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text == "*":
        return None
    match = _VERSION_TAG.fullmatch(text)
    if match is None or int(match.group(1)) < 1:
        raise PydanticCustomError(
            "value_error", "expected the matrix's version as a whole number (e.g. 7 or \"7\"), or *"
        )
    return int(match.group(1))


VersionTag = Annotated[int | None, BeforeValidator(read_version)]

# What `read_version` takes, for a header's schema (a header is text, never a
# JSON null or number): 1 to 9 digits, not all zeros, optionally quoted as an
# ETag (W/ for a weak one), or *. Spelled without lookahead, which not every
# JSON Schema regex engine has.
_NOT_ALL_ZEROS = "|".join(f"0{{{zeros}}}[1-9][0-9]{{0,{8 - zeros}}}" for zeros in range(9))
VERSION_TAG_PATTERN = f'^(?:\\*|(?:W/)?"?(?:{_NOT_ALL_ZEROS})"?)$'


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _unset(**kwargs: object):  # noqa: ANN202
    return Field(default=None, validate_default=False, **kwargs)  # type: ignore[call-overload]


# Options ---------------------------------------------------------------------


class OptionCreate(_Input):
    name: Name
    short_name: ShortName = ""
    description: Text = ""
    escalation_level: EscalationLevel = 1
    evidence: Text = ""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Interception of cartel drones around the border",
                    "short_name": "Drone interception",
                    "description": "Counter-drone systems near the border.",
                    "escalation_level": 3,
                    "evidence": "Lower-risk options, such as interception of cartel drones ...",
                }
            ]
        }
    )


class OptionUpdate(_Input):
    name: Name = _unset()
    short_name: ShortName = _unset()
    description: Text = _unset()
    escalation_level: EscalationLevel = _unset()
    evidence: Text = _unset()

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"short_name": "Drone interception", "escalation_level": 3}]}
    )


class OptionPublic(BaseModel):
    id: int
    name: str
    short_name: str = Field(description="'' when not set; show `short_name or name`")
    description: str
    escalation_level: int
    position: int
    evidence: str


# Criteria --------------------------------------------------------------------


class CriterionCreate(_Input):
    name: Name
    short_name: ShortName = ""
    description: Text = ""
    direction: DirectionName = "benefit"
    weight: Weight = 1.0
    scale_min: ScaleBound = 1.0
    scale_max: ScaleBound = 5.0
    scale_low_label: ScaleLabel = ""
    scale_high_label: ScaleLabel = ""
    evidence: Text = ""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Risk of an undesirable response",
                    "short_name": "Risk",
                    "direction": "cost",
                    "weight": 1.0,
                    "scale_min": 1,
                    "scale_max": 5,
                    "scale_low_label": "low risk",
                    "scale_high_label": "high risk",
                    "evidence": "there are high risks of undesirable response ...",
                }
            ]
        }
    )


class CriterionUpdate(_Input):
    name: Name = _unset()
    short_name: ShortName = _unset()
    description: Text = _unset()
    direction: DirectionName = _unset()
    weight: Weight = _unset()
    scale_min: ScaleBound = _unset()
    scale_max: ScaleBound = _unset()
    scale_low_label: ScaleLabel = _unset()
    scale_high_label: ScaleLabel = _unset()
    evidence: Text = _unset()

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"weight": 2.0, "scale_low_label": "low risk", "scale_high_label": "high risk"}]
        }
    )


class CriterionPublic(BaseModel):
    id: int
    name: str
    short_name: str = Field(description="'' when not set; show `short_name or name`")
    description: str
    direction: DirectionName
    weight: float
    scale_min: float
    scale_max: float
    scale_low_label: str
    scale_high_label: str
    position: int
    evidence: str


# Matrices --------------------------------------------------------------------


class MatrixCreate(_Input):
    title: Title
    description: Text = ""
    source: Text = ""
    options: list[OptionCreate] = Field(default_factory=list, max_length=MAX_OPTIONS)
    criteria: list[CriterionCreate] = Field(default_factory=list, max_length=MAX_CRITERIA)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Where to site the new library",
                    "description": "Three sites, three criteria.",
                    "options": [{"name": "Riverside"}, {"name": "Old town"}, {"name": "Campus"}],
                    "criteria": [
                        {"name": "Cost", "direction": "cost", "weight": 2},
                        {"name": "Access by public transport", "direction": "benefit"},
                        {"name": "Floor space", "direction": "benefit", "scale_min": 0, "scale_max": 10},
                    ],
                }
            ]
        }
    )


class MatrixUpdate(_Input):
    title: Title = _unset()
    description: Text = _unset()
    source: Text = _unset()
    is_public: bool = _unset(description="Readable by everyone, logged in or not (true), or only by you (false).")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "Border options — seminar B"}, {"is_public": False}]}
    )


class MatrixCopy(_Input):
    title: Title = _unset()


VERSION_DESCRIPTION = (
    "Bumped by every change of the matrix or of its options and criteria. Send it back as `If-Match` on a "
    "write to have it refused (409) if someone else changed the matrix in between."
)


class MatrixSummary(BaseModel):
    id: int
    title: str
    is_public: bool
    version: int = Field(description=VERSION_DESCRIPTION)
    description: str
    source: str
    created_at: Timestamp
    updated_at: Timestamp
    option_count: int
    criterion_count: int


class MatrixPublic(BaseModel):
    id: int
    title: str
    is_public: bool
    version: int = Field(description=VERSION_DESCRIPTION)
    description: str
    source: str
    created_at: Timestamp
    updated_at: Timestamp
    options: list[OptionPublic]
    criteria: list[CriterionPublic]
    # Read from the stored matrix's `stored_scores` (int ids), or given as `scores` when built from a dict.
    scores: ScoreMap = Field(
        default_factory=dict,
        validation_alias=AliasChoices("stored_scores", "scores"),
        description=SCORES_DESCRIPTION,
        json_schema_extra={"examples": [SCORES_EXAMPLE]},
    )

    @field_validator("scores", mode="before")
    @classmethod
    def _keys_as_text(cls, value: object) -> object:
        if isinstance(value, dict) and any(isinstance(k, int) for k in value):
            return score_map(value)
        return value


class MatrixList(BaseModel):
    items: list[MatrixSummary]
    total: int


class ShareLinkPublic(BaseModel):
    url: str = Field(description="The read-only page; anyone with it can read (not change) the matrix.")
    created_at: Timestamp

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"url": "http://127.0.0.1:8000/shared/3q2-7wEh0bWm1c8yGk9T0x4Qp5sVnZaL",
                          "created_at": "2026-11-30T18:00:00Z"}]
        }
    )  # fmt: skip


class OrderUpdate(_Input):
    ids: list[int] = Field(max_length=max(MAX_OPTIONS, MAX_CRITERIA))

    model_config = ConfigDict(json_schema_extra={"examples": [{"ids": [3, 1, 2]}]})


# Access ----------------------------------------------------------------------


class LoginRequest(_Input):
    email: Annotated[str, Field(max_length=320)]
    password: Annotated[str, Field(max_length=1000)]

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "teacher@example.org", "password": "correct horse battery"}]}
    )


class LoginToken(BaseModel):
    token: str
    expires_at: Timestamp


class TokenCreate(_Input):
    name: TokenName
    expires_days: ExpiryDays | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "grading script", "expires_days": 90}]})


class TokenPublic(BaseModel):
    id: int
    name: str
    created_at: Timestamp
    last_used_at: Timestamp | None
    expires_at: Timestamp | None
    revoked_at: Timestamp | None


class TokenCreated(TokenPublic):
    token: str  # the secret, shown this once and never again
