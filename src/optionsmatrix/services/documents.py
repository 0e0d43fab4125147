"""A matrix as a file: the parsed shape every codec shares, the JSON document, and file errors.

Pure: no database, no HTTP. `spreadsheet.py` reads and writes the grid
layout (CSV, XLSX); this module holds what both produce and the JSON format:

    {"format": "optionsmatrix", "version": 1, "kind": "matrix",
     "matrix": {"title", "description", "source", "options": [...], "criteria": [...],
                "scores": {"<option name>": {"<criterion name>": number}}}}

keyed by full names and free of ids, so a document moves between
installations. Reading it back gives the same document (export → import →
export differs only in ids and timestamps, which it never holds).

Scores are the matrix owner's own (models.Score): an export writes the
stored ones, an import checks each against its criterion's scale and stores
them with the new matrix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema

from optionsmatrix.errors import FieldError, InvalidInput, OptionsMatrixError
from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.models import NAME_MAX

# The document's options and criteria are the API's own shapes: one set of rules for every way in.
from optionsmatrix.schemas.matrices import CriterionCreate, Name, OptionCreate, Text, Title
from optionsmatrix.schemas.text import comparison_key

FORMAT = "optionsmatrix"
VERSION = 1
BOM = b"\xef\xbb\xbf"
# A session document (services/session_documents.py) holds the same "matrix" object, its snapshot's
# matrix: read here, it gives that matrix, so a session document imports as a matrix too.
KINDS = ("matrix", "session")
MAX_PROBLEMS = 20  # a file with hundreds of bad cells gets the first few, not a wall of text

# Scores keyed by full names: option → criterion → score.
Scores = dict[str, dict[str, float]]


# The parsed shape --------------------------------------------------------------


@dataclass(frozen=True)
class OptionData:
    name: str
    short_name: str = ""
    description: str = ""
    escalation_level: int = 1
    evidence: str = ""


@dataclass(frozen=True)
class CriterionData:
    name: str
    short_name: str = ""
    description: str = ""
    direction: str = "benefit"
    weight: float = 1.0
    scale_min: float = 1.0
    scale_max: float = 5.0
    scale_low_label: str = ""
    scale_high_label: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class MatrixData:
    """A matrix as files carry it; `title` is None when the file does not say (a CSV)."""

    title: str | None
    options: tuple[OptionData, ...] = ()
    criteria: tuple[CriterionData, ...] = ()
    description: str = ""
    source: str = ""
    scores: Scores = field(default_factory=dict)

    @property
    def score_count(self) -> int:
        return sum(len(row) for row in self.scores.values())


# Errors ------------------------------------------------------------------------


class InvalidFile(InvalidInput):
    """A file that cannot become a matrix; each message says where (row and column, or the JSON path)."""


class FileTooLarge(OptionsMatrixError):
    """Answered like the body limit's own 413 (http/middleware.py), for a file that got past it."""

    status_code = 413


def file_problem(message: str, loc: tuple[str | int, ...] = ("file",)) -> InvalidFile:
    return InvalidFile([FieldError(loc, message)])


class Problems:
    """Collects cell-level problems so that one upload reports several at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if len(self.messages) < MAX_PROBLEMS:
            self.messages.append(message)

    def raise_any(self) -> None:
        if self.messages:
            raise InvalidFile([FieldError(("file",), m) for m in self.messages])


# The JSON document -------------------------------------------------------------

Score = Annotated[float, Field(allow_inf_nan=False)]
# A score's keys name an option and a criterion of the document, and are
# checked by the same rules as those names. The schema states only their
# length: as a regex key (`patternProperties`) the name rule's pattern breaks
# validators whose regex engine has no lone surrogates (Rust's, Go's), which
# then reject the whole document (schemathesis did, for export and import).
NameKey = Annotated[Name, WithJsonSchema({"type": "string", "minLength": 1, "maxLength": NAME_MAX})]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class MatrixBody(_Strict):
    title: Title
    description: Text = ""
    source: Text = ""
    options: list[OptionCreate] = Field(default_factory=list, max_length=MAX_OPTIONS)
    criteria: list[CriterionCreate] = Field(default_factory=list, max_length=MAX_CRITERIA)
    scores: dict[NameKey, dict[NameKey, Score]] = Field(
        default_factory=dict,
        description="option name → criterion name → score on that criterion's scale: the owner's own scores, "
        "stored with the imported matrix (a cell left out is not scored)",
    )


class MatrixDocument(_Strict):
    format: Literal["optionsmatrix"]
    version: Literal[1]
    kind: Literal["matrix"]
    matrix: MatrixBody

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": "optionsmatrix",
                    "version": 1,
                    "kind": "matrix",
                    "matrix": {
                        "title": "Where to site the new library",
                        "description": "",
                        "source": "",
                        "options": [{"name": "Riverside"}, {"name": "Old town"}],
                        "criteria": [
                            {"name": "Cost", "direction": "cost", "weight": 2},
                            {"name": "Access by public transport"},
                        ],
                        "scores": {"Riverside": {"Cost": 4, "Access by public transport": 2}},
                    },
                }
            ]
        }
    )


def read_json(content: bytes | str) -> MatrixData:
    """A matrix from a JSON document, or InvalidFile naming the path of each problem."""
    return matrix_from_document(parse_json(content))


def parse_json(content: bytes | str) -> object:
    """The parsed JSON of a file (UTF-8, a byte order mark allowed), or InvalidFile saying why not."""
    if isinstance(content, bytes):
        try:
            content = content.removeprefix(BOM).decode("utf-8")
        except UnicodeDecodeError:
            raise file_problem("the file is not UTF-8 text, so it cannot be JSON") from None
    try:
        raw = json.loads(content.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise file_problem(f"the file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") \
            from None
    except (ValueError, RecursionError):  # a 5,000-digit number, absurd nesting
        raise file_problem("the file is not usable JSON") from None
    return raw


def matrix_from_document(raw: object) -> MatrixData:
    """The matrix of a matrix document, or of a session document (its snapshot's matrix, under the same key)."""
    _check_envelope(raw)
    if raw["kind"] == "session":  # type: ignore[index]  # its "matrix"; session_documents reads the rest
        raw = {"format": FORMAT, "version": VERSION, "kind": "matrix", "matrix": raw.get("matrix")}
    try:
        document = MatrixDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidFile(
            [FieldError(tuple(e["loc"]), f"{json_path(e['loc'])}: {e['msg']}") for e in error.errors()[:MAX_PROBLEMS]]
        ) from None
    body = document.matrix
    data = MatrixData(
        title=body.title,
        description=body.description,
        source=body.source,
        options=tuple(OptionData(**o.model_dump()) for o in body.options),
        criteria=tuple(CriterionData(**c.model_dump()) for c in body.criteria),
    )
    _check_unique(data)
    return replace(data, scores=_check_scores(data, body.scores))


def check_version(raw: dict) -> None:
    """The format version of any optionsmatrix document (matrix or session): this installation reads one."""
    if type(raw.get("version")) is not int or raw.get("version") != VERSION:  # true == 1 in Python
        raise file_problem(
            f"this document is version {raw.get('version')!r} of the optionsmatrix format; "
            f"this installation reads version {VERSION}",
            ("version",),
        )


def _check_envelope(raw: object) -> None:
    """The three header fields first, with messages that say what this file is, not what pydantic expected."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise file_problem(
            'this JSON is not an optionsmatrix document: it needs "format": "optionsmatrix", "version": 1 and '
            '"kind": "matrix"',
            ("format",),
        )
    check_version(raw)
    if raw.get("kind") not in KINDS:
        raise file_problem(f"this document holds a {raw.get('kind')!r}, not a matrix or a session", ("kind",))


def json_path(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """("matrix", "options", 2, "name") → "matrix.options[2].name"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _check_unique(data: MatrixData) -> None:
    for kind, items in (("options", data.options), ("criteria", data.criteria)):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            key = comparison_key(item.name)
            if key in seen:
                raise file_problem(
                    f"matrix.{kind}[{index}].name: {item.name!r} appears more than once in {kind} "
                    f"(also at [{seen[key]}])",
                    ("matrix", kind, index, "name"),
                )
            seen[key] = index


def _check_scores(data: MatrixData, scores: Mapping[str, Mapping[str, float]]) -> Scores:
    """Scores keyed by the names as stored, each inside its criterion's scale."""
    options = {comparison_key(o.name): o.name for o in data.options}
    criteria = {comparison_key(c.name): c for c in data.criteria}
    problems = Problems()
    checked: Scores = {}
    for option_name, row in scores.items():
        option = options.get(comparison_key(option_name))
        if option is None:
            problems.add(f"matrix.scores: there is no option named {option_name!r}")
            continue
        for criterion_name, value in row.items():
            criterion = criteria.get(comparison_key(criterion_name))
            if criterion is None:
                problems.add(f"matrix.scores[{option_name!r}]: there is no criterion named {criterion_name!r}")
                continue
            outside = outside_scale(value, criterion)
            if outside:
                problems.add(f"matrix.scores[{option_name!r}][{criterion_name!r}]: {outside}")
                continue
            checked.setdefault(option, {})[criterion.name] = float(value)
    problems.raise_any()
    return checked


def outside_scale(value: float, criterion: CriterionData) -> str | None:
    if criterion.scale_min <= value <= criterion.scale_max:
        return None
    return f"{number_text(value)} is outside the scale {number_text(criterion.scale_min)} to " \
        f"{number_text(criterion.scale_max)}"


def number_text(value: float) -> str:
    """1.0 → "1", 2.5 → "2.5": what a person typed, and what reads back as the same float."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def write_json(data: MatrixData) -> bytes:
    """The document, every field present, UTF-8, indented so that it diffs well."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "kind": "matrix",
        "matrix": {
            "title": data.title or "",
            "description": data.description,
            "source": data.source,
            "options": [_fields(o) for o in data.options],
            "criteria": [_fields(c) for c in data.criteria],
            "scores": {option: dict(row) for option, row in data.scores.items() if row},
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _fields(item: OptionData | CriterionData) -> dict[str, object]:
    return asdict(item)
