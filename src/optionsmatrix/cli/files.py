"""`optionsmatrix export matrix|session ID` and `optionsmatrix import FILE`: files on the configured database,
without a running server; and the spreadsheet reading `optionsmatrix rank` shares.

The same codecs and the same create path as the API (services/matrix_files.py), so a file the
command accepts is one the API accepts, with the same messages.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session

from optionsmatrix.cli.accounts import _database_option, _session
from optionsmatrix.errors import InvalidInput, NotFound, OptionsMatrixError
from optionsmatrix.limits import MAX_UPLOAD_BYTES
from optionsmatrix.models import Instructor
from optionsmatrix.services import accounts, matrix_files, session_files
from optionsmatrix.services.cell_text import XLSX_MAGIC
from optionsmatrix.services.documents import BOM, MatrixData, matrix_from_document, parse_json
from optionsmatrix.services.matrices import get_matrix
from optionsmatrix.services.seminars import get_snapshot
from optionsmatrix.services.session_documents import SessionDocument, is_session_document
from optionsmatrix.settings import Settings

BAD_INPUT = 2
_SPREADSHEET_HEADER = re.compile(rb'(\xef\xbb\xbf)?\s*"?option"?\s*([,;\r\n]|$)', re.IGNORECASE)


def add_commands(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a stored matrix or session to a file (JSON, CSV, XLSX...)")
    what = export.add_subparsers(title="what to export", required=True)
    matrix = what.add_parser("matrix", help="one matrix, by id")
    matrix.add_argument("matrix_id", metavar="ID", type=int)
    matrix.add_argument(
        "--format", choices=matrix_files.EXPORT_FORMATS, help="default: from the output file's extension, else json"
    )
    matrix.add_argument("-o", "--output", metavar="FILE", required=True, help="where to write ('-' for stdout)")
    _database_option(matrix)
    matrix.set_defaults(run=_export_matrix)
    seminar = what.add_parser("session", help="one seminar session, by id, with everyone's ballots")
    seminar.add_argument("session_id", metavar="ID", type=int)
    seminar.add_argument(
        "--format", choices=session_files.SESSION_EXPORT_FORMATS,
        help="json (complete), csv (tidy long form), xlsx, or html (a report to print); default: from the output "
        "file's extension, else json",
    )  # fmt: skip
    seminar.add_argument("-o", "--output", metavar="FILE", required=True, help="where to write ('-' for stdout)")
    _database_option(seminar)
    seminar.set_defaults(run=_export_session)

    load = commands.add_parser(
        "import",
        help="create a matrix from a file (CSV, XLSX or optionsmatrix JSON), or a session from its JSON document",
        description="Create a private matrix from FILE, all of it or nothing. The title comes from a JSON "
        "document (or an XLSX's title property), else from the file's name. A session document (exported with "
        "`export session --format json`) recreates the session, closed, with a new matrix of its own.",
    )
    load.add_argument("file", metavar="FILE")
    load.add_argument("--owner", metavar="EMAIL", help="the instructor who will own it (default: the first admin)")
    _database_option(load)
    load.set_defaults(run=_import)


def _export_matrix(args: argparse.Namespace) -> int:
    chosen = args.format or _format_of(args.output, matrix_files.EXPORT_FORMATS)
    with _session(args) as session:
        try:
            matrix = get_matrix(session, matrix_id=args.matrix_id)
        except NotFound as error:
            print(f"optionsmatrix: {error.message}", file=sys.stderr)
            return 1
        download = matrix_files.export_matrix(matrix, format=chosen)
    return _write(args.output, download.content, f"matrix {args.matrix_id} as {chosen}")


def _export_session(args: argparse.Namespace) -> int:
    chosen = args.format or _format_of(args.output, session_files.SESSION_EXPORT_FORMATS)
    with _session(args) as session:
        try:
            snapshot = get_snapshot(session, args.session_id)
        except NotFound as error:
            print(f"optionsmatrix: {error.message}", file=sys.stderr)
            return 1
        download = session_files.export_session(session, snapshot.seminar, format=chosen)
    return _write(args.output, download.content, f"session {args.session_id} as {chosen}")


def _write(output: str, content: bytes, what: str) -> int:
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        try:
            Path(output).write_bytes(content)
        except OSError as error:  # no such folder, no permission, a full disk: say so, no traceback
            print(f"optionsmatrix: cannot write {output}: {error.strerror or error}", file=sys.stderr)
            return 1
        print(f"wrote {what} to {output}", file=sys.stderr)
    return 0


def _format_of(output: str, formats: tuple[str, ...]) -> Any:  # noqa: ANN401 (one of `formats`)
    extension = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    return extension if extension in formats else "json"


def _import(args: argparse.Namespace) -> int:
    try:
        document = read_session_document(args.file)
    except InvalidFileProblem as problem:
        print(f"optionsmatrix import: {problem}", file=sys.stderr)
        return BAD_INPUT
    if document is not None:
        return _import_session(args, document)
    try:
        data = read_matrix_file(args.file)
    except InvalidFileProblem as problem:
        print(f"optionsmatrix import: {problem}", file=sys.stderr)
        return BAD_INPUT
    with _session(args) as session:
        owner = _owner(session, args, "matrix")
        if owner is None:
            return 1
        try:
            matrix = matrix_files.import_matrix(session, data=data, owner_id=owner.id)
        except OptionsMatrixError as error:
            print(f"optionsmatrix import: {error.message}", file=sys.stderr)
            return BAD_INPUT
        scored = sum(len(row) for row in matrix.stored_scores.values())  # read from the database, so here
    print(
        f"imported matrix {matrix.id} \"{matrix.title}\" for {owner.email}: {len(matrix.options)} options, "
        f"{len(matrix.criteria)} criteria, {scored} scores"
    )
    return 0


def _owner(session: Session, args: argparse.Namespace, what: str) -> Instructor | None:
    owner = accounts.find_by_email(session, email=args.owner) if args.owner else accounts.first_admin(session)
    if owner is None or not owner.is_active:
        who = args.owner or "an active admin"
        print(f"optionsmatrix import: no active instructor {who} to own the {what}", file=sys.stderr)
        return None
    return owner


def _import_session(args: argparse.Namespace, document: SessionDocument) -> int:
    with _session(args) as session:
        owner = _owner(session, args, "session")
        if owner is None:
            return 1
        try:
            snapshot = session_files.import_session(
                session, document=document, owner_id=owner.id,  # type: ignore[arg-type]
                max_participants=Settings.from_env().max_participants,
            )  # fmt: skip
        except OptionsMatrixError as error:
            print(f"optionsmatrix import: {error.message}", file=sys.stderr)
            return BAD_INPUT
        seminar = snapshot.seminar
        print(
            f"imported session {seminar.id} \"{seminar.title}\" (closed) for {owner.email}: "
            f"{len(document.rounds)} round(s), {len(document.participants)} participant(s), "
            f"{len(document.ballots)} ballot revision(s); its matrix is {seminar.matrix_id}"
        )
    return 0


def read_session_document(name: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> SessionDocument | None:
    """The checked session document FILE holds, or None when it holds something else (a matrix, a spreadsheet)."""
    try:
        with Path(name).open("rb") as file:
            content = file.read(max_bytes + 1)
    except OSError:
        return None  # the matrix reader explains it
    if content.startswith(XLSX_MAGIC) or not content.lstrip(BOM + b" \t\r\n").startswith(b"{"):
        return None
    try:
        raw = parse_json(content)
    except OptionsMatrixError:
        return None
    if not is_session_document(raw):
        return None
    try:
        return session_files.read_session_file(content, max_bytes=max_bytes)
    except OptionsMatrixError as error:
        raise _problem(name, error) from None


class InvalidFileProblem(Exception):
    """The file cannot be read as a matrix; the message says why (several lines for several cells)."""


def read_matrix_file(name: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> MatrixData:
    try:
        with Path(name).open("rb") as file:
            content = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise InvalidFileProblem(f"cannot read {name}: no such file") from None
    except IsADirectoryError:
        raise InvalidFileProblem(f"cannot read {name}: it is a directory") from None
    except OSError as error:
        raise InvalidFileProblem(f"cannot read {name}: {error.strerror or error}") from None
    try:
        return matrix_files.read_file(content, filename=Path(name).name, max_bytes=max_bytes)
    except OptionsMatrixError as error:
        raise _problem(name, error) from None


def read_matrix_document(raw: object, *, name: str) -> MatrixData:
    try:
        return matrix_from_document(raw)
    except OptionsMatrixError as error:
        raise _problem(name, error) from None


def _problem(name: str, error: OptionsMatrixError) -> InvalidFileProblem:
    messages = [e.msg for e in error.errors] if isinstance(error, InvalidInput) else [error.message]
    if len(messages) == 1:
        return InvalidFileProblem(f"{name}: {messages[0]}")
    return InvalidFileProblem("\n  ".join([f"{name}:", *messages]))


def looks_like_spreadsheet(name: str) -> bool:
    """An XLSX workbook, a .csv file, or text whose first cell is "option": the grid layout."""
    if name == "-":
        return False
    if name.lower().endswith((".csv", ".xlsx")):
        return True
    try:
        with Path(name).open("rb") as file:
            start = file.read(256)
    except OSError:
        return False  # the JSON reader explains it
    return start.startswith(XLSX_MAGIC) or _SPREADSHEET_HEADER.match(start) is not None


def problem_from_matrix(data: MatrixData, *, name: str) -> dict[str, object]:
    """The body of POST /api/v1/analyze from a matrix file; every score must be there (method: wsm unless given)."""
    missing = [
        f'"{o.name}" on "{c.name}"' for o in data.options for c in data.criteria
        if c.name not in data.scores.get(o.name, {})
    ]  # fmt: skip
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise InvalidFileProblem(
            f"{name}: ranking needs every score; missing: {', '.join(missing[:3])}{more}"
        )
    return {
        "options": [o.name for o in data.options],
        "criteria": [
            {"name": c.name, "direction": c.direction, "weight": c.weight, "scale_min": c.scale_min,
             "scale_max": c.scale_max}
            for c in data.criteria
        ],  # fmt: skip
        "scores": [[data.scores[o.name][c.name] for c in data.criteria] for o in data.options],
        "method": "wsm",
    }
