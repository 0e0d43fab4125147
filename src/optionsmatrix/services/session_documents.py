"""A seminar session as a file: the versioned JSON document, its checks, and the tidy CSV made from it.

Pure: no database, no HTTP (services/session_files.py connects it to stored sessions).

    {"format": "optionsmatrix", "version": 1, "kind": "session",
     "session": {"title", "method", "normalization", "weight_mode", "status", "reveal_new_rounds",
                 "max_participants", "current_round", "created_at"},
     "matrix": {...},          ← the snapshot as a matrix document's "matrix" (documents.py), so that
                                 POST /api/v1/matrices/import takes a session document too
     "snapshot": {"options": [...], "criteria": [...]},   ← every field, with the source ids
     "rounds": [{"number", "revealed", "opened_at", "closed_at"}],
     "participants": [{"id", "display_name", "joined_at"}],
     "ballots": [{"participant", "round", "version", "scores", "weights", "rationales", "submitted_at"}]}

A ballot holds arrays in the snapshot's order, as the database keeps them:
`scores` one row per option with one number (null: left empty) per
criterion; `weights` one per criterion, or null where the session fixes the
weights; `rationales` one per option (null: none). Every revision is there;
the highest version per participant and round is the one that counts.
Participants' ids are the document's own (1, 2, ...), and no secret or
digest of theirs is ever written.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from optionsmatrix.analysis import AnalysisError, allowed_normalizations
from optionsmatrix.errors import FieldError
from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.models import as_utc
from optionsmatrix.schemas.matrices import CriterionCreate, OptionCreate
from optionsmatrix.schemas.sessions import (
    DisplayName,
    MethodName,
    NormalizationName,
    Rationale,
    SessionStatus,
    SessionTitle,
    WeightMode,
)
from optionsmatrix.schemas.text import comparison_key
from optionsmatrix.services.cell_text import neutralise_formula
from optionsmatrix.services.documents import (
    BOM,
    FORMAT,
    MAX_PROBLEMS,
    VERSION,  # noqa: F401 - re-exported: session_files writes the envelope
    InvalidFile,
    MatrixBody,
    Problems,
    check_version,
    file_problem,
    json_path,
    number_text,
)

KIND = "session"
MAX_ROUNDS = 10_000  # as the results route reads `?round=`
MAX_ID = 1_000_000_000
CSV_COLUMNS = (
    "round", "participant_id", "participant", "option", "criterion", "score", "weight", "rationale", "submitted_at",
)  # fmt: skip


def _text_only(value: object) -> object:
    # The document's schema says text; a bare number would otherwise pass as Unix time.
    if not isinstance(value, str):
        raise ValueError("a timestamp is ISO 8601 text with an offset, e.g. 2026-11-30T09:00:00+00:00")
    return value


# Timestamps arrive as ISO 8601 text with an offset ("2026-11-30T22:20:40+00:00"): read leniently from text.
Moment = Annotated[AwareDatetime, BeforeValidator(_text_only), Field(strict=False)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
BallotWeight = Annotated[float, Field(ge=0, le=1_000_000, allow_inf_nan=False)]
LocalId = Annotated[int, Field(ge=1, le=MAX_ID)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SessionSettings(_Strict):
    title: SessionTitle
    method: MethodName
    normalization: NormalizationName | None
    weight_mode: WeightMode
    status: SessionStatus = Field(description="As exported; an imported session is always closed")
    reveal_new_rounds: bool
    max_participants: Annotated[int, Field(ge=1, le=100_000)]
    current_round: Annotated[int, Field(ge=1, le=MAX_ROUNDS)]
    created_at: Moment = Field(description="When the session started (an import is a new session: not kept)")


class SnapshotOption(OptionCreate):
    source_option_id: LocalId | None = Field(default=None, description="The matrix option it was frozen from")


class SnapshotCriterion(CriterionCreate):
    source_criterion_id: LocalId | None = Field(default=None, description="The criterion it was frozen from")


class Snapshot(_Strict):
    options: list[SnapshotOption] = Field(min_length=1, max_length=MAX_OPTIONS)
    criteria: list[SnapshotCriterion] = Field(min_length=1, max_length=MAX_CRITERIA)


class RoundEntry(_Strict):
    number: Annotated[int, Field(ge=1, le=MAX_ROUNDS)]
    revealed: bool
    opened_at: Moment
    closed_at: Moment | None


class ParticipantEntry(_Strict):
    id: LocalId = Field(description="This document's own id for the participant, which ballots refer to")
    display_name: DisplayName
    joined_at: Moment


class BallotEntry(_Strict):
    participant: LocalId = Field(description="The `id` of one of `participants`")
    round: Annotated[int, Field(ge=1, le=MAX_ROUNDS)] = Field(description="The `number` of one of `rounds`")
    version: LocalId
    scores: list[list[Finite | None]] = Field(description="One row per snapshot option, one cell per criterion")
    weights: list[BallotWeight | None] | None = Field(description="One per criterion; null when weights are fixed")
    rationales: list[Rationale | None] = Field(description="One per snapshot option")
    submitted_at: Moment


class SessionDocument(_Strict):
    format: Literal["optionsmatrix"]
    version: Literal[1]
    kind: Literal["session"]
    session: SessionSettings
    matrix: MatrixBody
    snapshot: Snapshot
    rounds: list[RoundEntry] = Field(min_length=1)
    participants: list[ParticipantEntry]
    ballots: list[BallotEntry]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": "optionsmatrix", "version": 1, "kind": "session",
                    "session": {
                        "title": "Library site, seminar A", "method": "wsm", "normalization": "scale",
                        "weight_mode": "fixed", "status": "closed", "reveal_new_rounds": False,
                        "max_participants": 500, "current_round": 1, "created_at": "2026-11-30T09:00:00+00:00",
                    },
                    "matrix": {
                        "title": "Library site, seminar A", "description": "", "source": "",
                        "options": [{"name": "Riverside", "short_name": "", "description": "",
                                     "escalation_level": 1, "evidence": ""}],
                        "criteria": [{"name": "Cost", "short_name": "", "description": "", "direction": "cost",
                                      "weight": 2.0, "scale_min": 1.0, "scale_max": 5.0, "scale_low_label": "",
                                      "scale_high_label": "", "evidence": ""}],
                        "scores": {},
                    },
                    "snapshot": {
                        "options": [{"name": "Riverside", "short_name": "", "description": "",
                                     "escalation_level": 1, "evidence": "", "source_option_id": 11}],
                        "criteria": [{"name": "Cost", "short_name": "", "description": "", "direction": "cost",
                                      "weight": 2.0, "scale_min": 1.0, "scale_max": 5.0, "scale_low_label": "",
                                      "scale_high_label": "", "evidence": "", "source_criterion_id": 21}],
                    },
                    "rounds": [{"number": 1, "revealed": True, "opened_at": "2026-11-30T09:00:00+00:00",
                                "closed_at": "2026-11-30T09:40:00+00:00"}],
                    "participants": [{"id": 1, "display_name": "Ann", "joined_at": "2026-11-30T09:01:00+00:00"}],
                    "ballots": [{"participant": 1, "round": 1, "version": 1, "scores": [[4.0]], "weights": None,
                                 "rationales": ["Cheapest first"], "submitted_at": "2026-11-30T09:05:00+00:00"}],
                }
            ]
        }
    )  # fmt: skip


# Reading -----------------------------------------------------------------------


def session_from_document(raw: object) -> SessionDocument:
    """A session document checked in full, or InvalidFile naming the JSON path of each problem."""
    _check_envelope(raw)
    try:
        document = SessionDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidFile(
            [FieldError(tuple(e["loc"]), f"{json_path(e['loc'])}: {e['msg']}") for e in error.errors()[:MAX_PROBLEMS]]
        ) from None
    problems = Problems()
    _check_settings(document, problems)
    _check_snapshot(document, problems)
    _check_rounds(document, problems)
    _check_ballots(document, problems)
    problems.raise_any()
    return document


def is_session_document(raw: object) -> bool:
    return isinstance(raw, dict) and raw.get("format") == FORMAT and raw.get("kind") == KIND


def _check_envelope(raw: object) -> None:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise file_problem(
            'this is not an optionsmatrix session document: it needs "format": "optionsmatrix", "version": 1 '
            'and "kind": "session"',
            ("format",),
        )
    check_version(raw)
    if raw.get("kind") == "matrix":
        raise file_problem(
            "this document holds a matrix, not a session: import it as a matrix (POST /api/v1/matrices/import)",
            ("kind",),
        )
    if raw.get("kind") != KIND:
        raise file_problem(f"this document holds a {raw.get('kind')!r}, not a session", ("kind",))


def _check_settings(document: SessionDocument, problems: Problems) -> None:
    settings = document.session
    try:
        allowed = allowed_normalizations(settings.method)
    except AnalysisError as error:  # the schema lists the methods; kept for a registry that shrinks
        problems.add(f"session.method: {error.message}")
        return
    if settings.normalization is not None and settings.normalization not in allowed:
        named = [repr(n) for n in allowed]
        choice = (", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else "".join(named)) or "none (null)"
        problems.add(f"session.normalization: method {settings.method!r} takes normalization {choice}, "
                     f"not {settings.normalization!r}")  # fmt: skip


def _check_snapshot(document: SessionDocument, problems: Problems) -> None:
    snapshot = document.snapshot
    for kind, items in (("options", snapshot.options), ("criteria", snapshot.criteria)):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            key = comparison_key(item.name)
            if key in seen:
                problems.add(f"snapshot.{kind}[{index}].name: {item.name!r} appears more than once "
                             f"(also at [{seen[key]}])")  # fmt: skip
            seen.setdefault(key, index)
    for index, criterion in enumerate(snapshot.criteria):
        if not criterion.scale_min < criterion.scale_max:
            low, high = number_text(criterion.scale_min), number_text(criterion.scale_max)
            problems.add(f"snapshot.criteria[{index}].scale_max: the scale must run from a lower to a higher "
                         f"number ({low} to {high})")  # fmt: skip
    # The matrix part is the snapshot as a matrix; a document where they differ says two things at once.
    for kind, items, matrix_items in (
        ("options", snapshot.options, document.matrix.options),
        ("criteria", snapshot.criteria, document.matrix.criteria),
    ):
        source = "source_option_id" if kind == "options" else "source_criterion_id"
        frozen = [item.model_dump(exclude={source}) for item in items]
        listed = [item.model_dump() for item in matrix_items]
        if len(frozen) != len(listed):
            problems.add(f"matrix.{kind}: {len(listed)} {kind} where snapshot.{kind} has {len(frozen)}; "
                         f"a session's matrix is its snapshot")  # fmt: skip
            continue
        for index, (one, other) in enumerate(zip(frozen, listed, strict=True)):
            if one != other:
                field = next(k for k in one if one[k] != other[k])
                problems.add(f"matrix.{kind}[{index}].{field}: differs from snapshot.{kind}[{index}].{field}; "
                             f"a session's matrix is its snapshot")  # fmt: skip
                break
    if document.matrix.scores:
        problems.add("matrix.scores: a session's matrix holds no scores; the ballots hold them")


def _check_rounds(document: SessionDocument, problems: Problems) -> None:
    for index, round_ in enumerate(document.rounds):
        if round_.number != index + 1:
            problems.add(f"rounds[{index}].number: expected {index + 1} (rounds are numbered 1, 2, 3 … in order), "
                         f"got {round_.number}")  # fmt: skip
    if document.session.current_round != len(document.rounds):
        problems.add(f"session.current_round: {document.session.current_round}, but the document has "
                     f"{len(document.rounds)} round(s); the current round is the last")  # fmt: skip
    seen: dict[int, int] = {}
    for index, participant in enumerate(document.participants):
        if participant.id in seen:
            problems.add(f"participants[{index}].id: {participant.id} is already the id of participants"
                         f"[{seen[participant.id]}]")  # fmt: skip
        seen.setdefault(participant.id, index)
    if len(document.participants) > document.session.max_participants:
        problems.add(f"participants: {len(document.participants)} participants, but session.max_participants is "
                     f"{document.session.max_participants}; raise it or leave some out")  # fmt: skip


def _check_ballots(document: SessionDocument, problems: Problems) -> None:
    participants = {p.id for p in document.participants}
    rounds = {r.number for r in document.rounds}
    criteria = document.snapshot.criteria
    m, n = len(document.snapshot.options), len(criteria)
    fixed = document.session.weight_mode == "fixed"
    seen: dict[tuple[int, int, int], int] = {}
    for index, ballot in enumerate(document.ballots):
        where = f"ballots[{index}]"
        if ballot.participant not in participants:
            problems.add(f"{where}.participant: there is no participant with id {ballot.participant} in participants")
        if ballot.round not in rounds:
            problems.add(f"{where}.round: there is no round {ballot.round} in rounds")
        key = (ballot.participant, ballot.round, ballot.version)
        if key in seen:
            problems.add(f"{where}.version: participant {ballot.participant} already has version {ballot.version} "
                         f"in round {ballot.round} (ballots[{seen[key]}])")  # fmt: skip
        seen.setdefault(key, index)
        if len(ballot.scores) != m:
            problems.add(f"{where}.scores: {len(ballot.scores)} rows, but the snapshot has {m} options")
        for i, row in enumerate(ballot.scores):
            if len(row) != n:
                problems.add(f"{where}.scores[{i}]: {len(row)} cells, but the snapshot has {n} criteria")
                continue
            for j, value in enumerate(row):
                c = criteria[j]
                if value is not None and not c.scale_min <= value <= c.scale_max:
                    problems.add(f"{where}.scores[{i}][{j}]: {number_text(value)} is outside the scale of "
                                 f"{c.name!r}, {number_text(c.scale_min)} to {number_text(c.scale_max)}")  # fmt: skip
        if ballot.weights is not None and fixed:
            problems.add(f"{where}.weights: the session fixes the weights (weight_mode 'fixed'), so this is null")
        elif ballot.weights is not None and len(ballot.weights) != n:
            problems.add(f"{where}.weights: {len(ballot.weights)} weights, but the snapshot has {n} criteria")
        if len(ballot.rationales) != m:
            problems.add(f"{where}.rationales: {len(ballot.rationales)} entries, but the snapshot has {m} options")


# Writing -----------------------------------------------------------------------


def moment(value: datetime | None) -> str | None:
    return None if value is None else as_utc(value).isoformat()


def write_json(document: dict[str, Any]) -> bytes:
    """UTF-8, indented so that it diffs well, like a matrix document; but one line per ballot.

    Indented, every cell of every ballot took a line of its own: a room of 300
    over three rounds came to 4.6 MiB, close to what an import accepts; one
    line per ballot keeps it to about a third of that, and still diffs well.
    """
    head = json.dumps({k: v for k, v in document.items() if k != "ballots"}, ensure_ascii=False, indent=2)
    ballots = ",\n".join(f"    {json.dumps(b, ensure_ascii=False)}" for b in document["ballots"])
    listed = f"[\n{ballots}\n  ]" if ballots else "[]"
    return (head.removesuffix("\n}") + f',\n  "ballots": {listed}\n}}\n').encode("utf-8")


def latest_ballots(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each participant's highest version in each round, by round, then participant, as the document lists them."""
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for ballot in document["ballots"]:
        key = (ballot["round"], ballot["participant"])
        if key not in latest or ballot["version"] > latest[key]["version"]:
            latest[key] = ballot
    order = {p["id"]: i for i, p in enumerate(document["participants"])}
    return [latest[key] for key in sorted(latest, key=lambda k: (k[0], order[k[1]]))]


def write_csv(document: dict[str, Any]) -> bytes:
    """Tidy long form: one row per round, participant, option and criterion of each latest ballot.

    UTF-8 with a byte order mark (Excel then shows accents right). `weight` is
    the participant's own where participants weight, else the session's
    fixed weight; `rationale` is the participant's line for that option. Text
    a spreadsheet would run as a formula gets a leading apostrophe, as in the
    matrix CSV: display names are typed by anyone who joins.
    """
    names = {p["id"]: p["display_name"] for p in document["participants"]}
    options, criteria = document["snapshot"]["options"], document["snapshot"]["criteria"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for ballot in latest_ballots(document):
        weights = ballot["weights"] if ballot["weights"] is not None else [None] * len(criteria)
        for i, option in enumerate(options):
            for j, criterion in enumerate(criteria):
                weight = weights[j] if document["session"]["weight_mode"] == "participant" else criterion["weight"]
                row = (ballot["round"], ballot["participant"], names[ballot["participant"]], option["name"],
                       criterion["name"], ballot["scores"][i][j], weight, ballot["rationales"][i],
                       ballot["submitted_at"])  # fmt: skip
                writer.writerow([_cell(v) for v in row])
    return BOM + buffer.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    return number_text(value) if isinstance(value, float | int) else neutralise_formula(str(value))  # type: ignore[arg-type]
