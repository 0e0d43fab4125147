"""Seminar sessions to and from files: the export in four formats, and the import that recreates a session.

The JSON document and the CSV are made here from the stored rows
(session_documents.py holds the format); the workbook and the print-ready
report come from session_workbook.py and session_report.py. An import is
one transaction: a new private matrix made from the snapshot, the session
(closed), its snapshot rows, rounds, participants and every ballot revision —
or, on any problem, nothing at all.
"""

from __future__ import annotations

import json
import secrets
from typing import Any, Literal

from sqlalchemy import insert
from sqlmodel import Session, col, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.core.security import digest, new_secret
from optionsmatrix.errors import FieldError, InvalidInput
from optionsmatrix.limits import MAX_UPLOAD_BYTES
from optionsmatrix.models import (
    Ballot,
    Criterion,
    Matrix,
    Option,
    Participant,
    SeminarSession,
    SessionCriterion,
    SessionOption,
    SessionRound,
)
from optionsmatrix.services import items, session_documents
from optionsmatrix.services.documents import FileTooLarge, InvalidFile, file_problem, json_path, parse_json
from optionsmatrix.services.matrix_files import CONTENT_TYPES, Download, _safe_file_name, slug
from optionsmatrix.services.seminars import JOIN_ALPHABET, JOIN_CODE_LENGTH, SessionSnapshot, get_snapshot
from optionsmatrix.services.session_documents import BallotEntry, SessionDocument, session_from_document
from optionsmatrix.services.session_results import participants_of

SessionExportFormat = Literal["json", "csv", "xlsx", "html"]
SESSION_EXPORT_FORMATS: tuple[SessionExportFormat, ...] = ("json", "csv", "xlsx", "html")
SESSION_CONTENT_TYPES: dict[str, str] = {
    "json": CONTENT_TYPES["json"],
    "csv": CONTENT_TYPES["csv"],
    "xlsx": CONTENT_TYPES["xlsx"],
    "html": "text/html; charset=utf-8",
}


# Export -------------------------------------------------------------------------------


def export_session(session: Session, seminar: SeminarSession, *, format: SessionExportFormat) -> Download:  # noqa: A002
    """The session as a download named after its title; the caller has checked that it may."""
    if format == "json":
        content = session_documents.write_json(session_document(session, seminar))
    elif format == "csv":
        content = session_documents.write_csv(session_document(session, seminar))
    elif format == "xlsx":
        # Imported when asked for: openpyxl's charts load only for the one format that needs them.
        from optionsmatrix.services.session_workbook import write_session_workbook

        content = write_session_workbook(session, seminar)
    else:
        from optionsmatrix.services.session_report import write_session_report

        content = write_session_report(session, seminar)
    return Download(
        content=content,
        media_type=SESSION_CONTENT_TYPES[format],
        filename=f"{slug(seminar.title)}.{format}",
        filename_utf8=f"{_safe_file_name(seminar.title)}.{format}",
    )


def session_document(session: Session, seminar: SeminarSession) -> dict[str, Any]:
    """Everything the session holds, as the versioned document (see session_documents.py)."""
    snapshot = get_snapshot(session, seminar.id)  # type: ignore[arg-type]
    seminar = snapshot.seminar
    # A live session moves on between these reads (each sees the latest commit on PostgreSQL): a round
    # started, someone joined and voted. What came after the first read is left out, so that the
    # document always agrees with itself and imports back.
    rounds = list(
        session.exec(
            select(SessionRound)
            .where(SessionRound.session_id == seminar.id, col(SessionRound.number) <= seminar.current_round)
            .order_by(col(SessionRound.number))
        )
    )
    participants = participants_of(session, seminar.id)  # type: ignore[arg-type]
    local_ids = {p.id: i for i, p in enumerate(participants, start=1)}
    round_numbers = {r.id: r.number for r in rounds}
    stored = [
        b for b in session.exec(
            select(Ballot)
            .join(SessionRound, col(SessionRound.id) == Ballot.round_id)
            .where(SessionRound.session_id == seminar.id)
            .order_by(col(SessionRound.number), col(Ballot.participant_id), col(Ballot.version))
        ).all()
        if b.participant_id in local_ids and b.round_id in round_numbers
    ]  # fmt: skip
    m = len(snapshot.options)
    options = [_option_fields(o) for o in snapshot.options]
    criteria = [_criterion_fields(c) for c in snapshot.criteria]
    return {
        "format": session_documents.FORMAT,
        "version": session_documents.VERSION,
        "kind": session_documents.KIND,
        "session": {
            "title": seminar.title, "method": seminar.method, "normalization": seminar.normalization,
            "weight_mode": seminar.weight_mode, "status": seminar.status,
            "reveal_new_rounds": seminar.reveal_new_rounds, "max_participants": seminar.max_participants,
            "current_round": seminar.current_round, "created_at": session_documents.moment(seminar.created_at),
        },
        "matrix": {
            "title": seminar.title, "description": "", "source": "",
            "options": options, "criteria": criteria, "scores": {},
        },
        "snapshot": {
            "options": [{**o, "source_option_id": s.source_option_id} for o, s in zip(options, snapshot.options,
                                                                                         strict=True)],
            "criteria": [{**c, "source_criterion_id": s.source_criterion_id}
                         for c, s in zip(criteria, snapshot.criteria, strict=True)],
        },
        "rounds": [
            {"number": r.number, "revealed": r.revealed, "opened_at": session_documents.moment(r.opened_at),
             "closed_at": session_documents.moment(r.closed_at)}
            for r in rounds
        ],
        "participants": [
            {"id": local_ids[p.id], "display_name": p.display_name,
             "joined_at": session_documents.moment(p.joined_at)}
            for p in participants
        ],
        "ballots": [
            {"participant": local_ids[b.participant_id], "round": round_numbers[b.round_id], "version": b.version,
             "scores": _compact(json.loads(b.scores)),
             "weights": _compact(json.loads(b.weights)) if b.weights is not None else None,
             "rationales": _padded(json.loads(b.rationales), m),
             "submitted_at": session_documents.moment(b.submitted_at)}
            for b in stored
        ],
    }  # fmt: skip


_OPTION_FIELDS = ("name", "short_name", "description", "escalation_level", "evidence")
_CRITERION_FIELDS = (
    "name", "short_name", "description", "direction", "weight", "scale_min", "scale_max", "scale_low_label",
    "scale_high_label", "evidence",
)  # fmt: skip


def _option_fields(option: SessionOption) -> dict[str, Any]:
    return {name: getattr(option, name) for name in _OPTION_FIELDS}


def _criterion_fields(criterion: SessionCriterion) -> dict[str, Any]:
    return {name: getattr(criterion, name) for name in _CRITERION_FIELDS}


def _compact(values: Any) -> Any:  # noqa: ANN401 (nested lists of numbers)
    """4.0 written as 4: a full room's document then stays well inside the import limit (the value is the same)."""
    if isinstance(values, list):
        return [_compact(v) for v in values]
    return int(values) if isinstance(values, float) and values.is_integer() and abs(values) < 2**53 else values


def _padded(rationales: list[str | None], m: int) -> list[str | None]:
    """One entry per option (a ballot stored before rationales were kept holds `[]`)."""
    return [*rationales[:m], *[None] * (m - len(rationales))]


# Import -------------------------------------------------------------------------------


def read_session_file(content: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> SessionDocument:
    """A session document from an uploaded file, checked in full."""
    if len(content) > max_bytes:
        size = f"{max_bytes // (1024 * 1024)} MiB" if max_bytes % (1024 * 1024) == 0 else f"{max_bytes:,} bytes"
        raise FileTooLarge(f"The file is too large: at most {size} may be imported.")
    if not content.lstrip(session_documents.BOM + b" \t\r\n").startswith(b"{"):
        raise file_problem("a session is imported from the JSON document its export gives (format=json)")
    return session_from_document(parse_json(content))


def read_session_body(raw: object) -> SessionDocument:
    """A session document sent as the JSON body itself."""
    return session_from_document(raw)


def import_session(
    session: Session, *, document: SessionDocument, owner_id: int, max_participants: int
) -> SessionSnapshot:
    """Recreate the session, closed and owned by `owner_id`, with a new private matrix; all of it or nothing.

    Its cap on participants is the document's, but never above `max_participants`, this installation's
    (a reopened session takes no more joins than one started here would).
    """
    _check_labels(document)
    settings = document.session
    with write_transaction(session):
        matrix = _matrix_of(document, owner_id)
        session.add(matrix)
        session.flush()
        seminar = SeminarSession(
            owner_id=owner_id, matrix_id=matrix.id, title=settings.title, join_code=_join_code(), status="closed",
            weight_mode=settings.weight_mode, method=settings.method, normalization=settings.normalization,
            reveal_new_rounds=settings.reveal_new_rounds, current_round=settings.current_round,
            max_participants=min(settings.max_participants, max_participants),
        )  # fmt: skip
        session.add(seminar)
        session.flush()
        session.add_all(_snapshot_rows(document, matrix, seminar.id))  # type: ignore[arg-type]
        rounds = [
            SessionRound(session_id=seminar.id, number=r.number, revealed=r.revealed, opened_at=r.opened_at,  # type: ignore[arg-type]
                         closed_at=r.closed_at)
            for r in document.rounds
        ]  # fmt: skip
        # A fresh random digest each, whose secret nobody holds: imported participants cannot log in.
        participants = [
            Participant(session_id=seminar.id, display_name=p.display_name, digest=digest(new_secret()),  # type: ignore[arg-type]
                        joined_at=p.joined_at)
            for p in document.participants
        ]  # fmt: skip
        session.add_all([*rounds, *participants])
        session.flush()
        round_ids = {r.number: r.id for r in rounds}
        participant_ids = {entry.id: p.id for entry, p in zip(document.participants, participants, strict=True)}
        participant_weights = settings.weight_mode == "participant"
        rows = [_ballot_row(b, participant_ids[b.participant], round_ids[b.round], participant_weights)  # type: ignore[arg-type]
                for b in document.ballots]  # fmt: skip
        if rows:
            session.execute(insert(Ballot), rows)  # one statement for every revision, however many
    return get_snapshot(session, seminar.id)  # type: ignore[arg-type]


def _matrix_of(document: SessionDocument, owner_id: int) -> Matrix:
    """A new private matrix: the document's matrix title and texts, the snapshot's options and criteria."""
    body, frozen = document.matrix, document.snapshot
    matrix = Matrix(title=body.title, description=body.description, source=body.source, owner_id=owner_id)
    matrix.options = [Option(**o.model_dump(exclude={"source_option_id"}), position=i)
                      for i, o in enumerate(frozen.options)]  # fmt: skip
    matrix.criteria = [Criterion(**c.model_dump(exclude={"source_criterion_id"}), position=j)
                       for j, c in enumerate(frozen.criteria)]  # fmt: skip
    return matrix


def _snapshot_rows(
    document: SessionDocument, matrix: Matrix, session_id: int
) -> list[SessionOption | SessionCriterion]:
    """The snapshot, its source ids pointing at the new matrix's items (sessions of a matrix compare by them)."""
    frozen = document.snapshot
    options = [
        SessionOption(session_id=session_id, source_option_id=option.id, position=i,
                      **o.model_dump(exclude={"source_option_id"}))
        for i, (o, option) in enumerate(zip(frozen.options, matrix.options, strict=True))
    ]  # fmt: skip
    criteria = [
        SessionCriterion(session_id=session_id, source_criterion_id=criterion.id, position=j,
                         **c.model_dump(exclude={"source_criterion_id"}))
        for j, (c, criterion) in enumerate(zip(frozen.criteria, matrix.criteria, strict=True))
    ]  # fmt: skip
    return [*options, *criteria]


def _ballot_row(ballot: BallotEntry, participant_id: int, round_id: int, participant_weights: bool) -> dict[str, Any]:
    """A ballot as the database keeps it; `scored_cells` and `complete` as save_ballot would have counted them."""
    cells = [v for row in ballot.scores for v in row]
    scored = sum(v is not None for v in cells)
    weights = [None if w is None else float(w) for w in ballot.weights] if ballot.weights is not None else None
    weighted = weights is not None and all(w is not None for w in weights) and sum(weights) > 0  # type: ignore[misc]
    return {
        "participant_id": participant_id,
        "round_id": round_id,
        "version": ballot.version,
        "scores": json.dumps([[None if v is None else float(v) for v in row] for row in ballot.scores]),
        "weights": json.dumps(weights) if weights is not None else None,
        "rationales": json.dumps(ballot.rationales),
        "scored_cells": scored,
        "complete": scored == len(cells) and (not participant_weights or weighted),
        "submitted_at": ballot.submitted_at,
    }


def _check_labels(document: SessionDocument) -> None:
    """Short names that clash with another item's labels, as a matrix would refuse them (with the JSON path)."""
    try:
        items.check_unique_labels(Option, [(o.name, o.short_name) for o in document.snapshot.options],
                                  ("snapshot", "options"))  # fmt: skip
        items.check_unique_labels(Criterion, [(c.name, c.short_name) for c in document.snapshot.criteria],
                                  ("snapshot", "criteria"))  # fmt: skip
    except InvalidInput as error:
        raise InvalidFile([FieldError(e.loc, f"{json_path(e.loc)}: {e.msg}") for e in error.errors]) from None


def _join_code() -> str:
    """Any code will do for a closed session; reopening it picks a free one if this one is taken then."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
