"""`optionsmatrix export matrix ID` and `optionsmatrix import FILE`: matrix files on the configured database,
without a running server; and the spreadsheet reading `optionsmatrix rank` shares.

The same codecs and the same create path as the API (services/matrix_files.py), so a file the
command accepts is one the API accepts, with the same messages.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from optionsmatrix.cli.accounts import _database_option, _session
from optionsmatrix.errors import InvalidInput, NotFound, OptionsMatrixError
from optionsmatrix.limits import MAX_UPLOAD_BYTES
from optionsmatrix.services import accounts, matrix_files
from optionsmatrix.services.documents import MatrixData, matrix_from_document
from optionsmatrix.services.matrices import get_matrix
from optionsmatrix.services.spreadsheet import XLSX_MAGIC

BAD_INPUT = 2
_SPREADSHEET_HEADER = re.compile(rb'(\xef\xbb\xbf)?\s*"?option"?\s*([,;\r\n]|$)', re.IGNORECASE)


def add_commands(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a stored matrix to a file (JSON, CSV or XLSX)")
    what = export.add_subparsers(title="what to export", required=True)
    matrix = what.add_parser("matrix", help="one matrix, by id")
    matrix.add_argument("matrix_id", metavar="ID", type=int)
    matrix.add_argument(
        "--format", choices=matrix_files.EXPORT_FORMATS, help="default: from the output file's extension, else json"
    )
    matrix.add_argument("-o", "--output", metavar="FILE", required=True, help="where to write ('-' for stdout)")
    _database_option(matrix)
    matrix.set_defaults(run=_export_matrix)

    load = commands.add_parser(
        "import",
        help="create a matrix from a file (CSV, XLSX or optionsmatrix JSON)",
        description="Create a private matrix from FILE, all of it or nothing. The title comes from a JSON "
        "document (or an XLSX's title property), else from the file's name.",
    )
    load.add_argument("file", metavar="FILE")
    load.add_argument("--owner", metavar="EMAIL", help="the instructor who will own it (default: the first admin)")
    _database_option(load)
    load.set_defaults(run=_import)


def _export_matrix(args: argparse.Namespace) -> int:
    chosen = args.format or _format_of(args.output)
    with _session(args) as session:
        try:
            matrix = get_matrix(session, matrix_id=args.matrix_id)
        except NotFound as error:
            print(f"optionsmatrix: {error.message}", file=sys.stderr)
            return 1
        download = matrix_files.export_matrix(matrix, format=chosen)
    if args.output == "-":
        sys.stdout.buffer.write(download.content)
        sys.stdout.flush()
    else:
        Path(args.output).write_bytes(download.content)
        print(f"wrote matrix {args.matrix_id} as {chosen} to {args.output}", file=sys.stderr)
    return 0


def _format_of(output: str) -> matrix_files.ExportFormat:
    extension = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    return extension if extension in matrix_files.EXPORT_FORMATS else "json"  # type: ignore[return-value]


def _import(args: argparse.Namespace) -> int:
    try:
        data = read_matrix_file(args.file)
    except InvalidFileProblem as problem:
        print(f"optionsmatrix import: {problem}", file=sys.stderr)
        return BAD_INPUT
    with _session(args) as session:
        owner = accounts.find_by_email(session, email=args.owner) if args.owner else accounts.first_admin(session)
        if owner is None or not owner.is_active:
            who = args.owner or "an active admin"
            print(f"optionsmatrix import: no active instructor {who} to own the matrix", file=sys.stderr)
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
