"""`optionsmatrix rank FILE`: rank a decision problem offline.

The file holds the same body that POST /api/v1/analyze takes, or a matrix
file with every score filled in: an optionsmatrix JSON document, or the CSV
or XLSX grid layout (see services/spreadsheet.py). Either way it goes
through the same schema and the same service, so the command and the API
never disagree. No server and no database are involved. Any problem with the
file or its content is one line on stderr and exit status 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from optionsmatrix.analysis import (
    METHOD_NAMES,
    NORMALIZATIONS,
    AnalysisError,
    Ranking,
    allowed_normalizations,
)
from optionsmatrix.analysis.explain import (
    StepTable,
    describe_method,
    ranked_options,
    score_label,
    significant,
    step_tables,
)
from optionsmatrix.cli import files as cli_files
from optionsmatrix.schemas.analysis import AnalyzeRequest
from optionsmatrix.services.analysis import rank_request

PROG = "optionsmatrix rank"
BAD_INPUT = 2
# Offline there is no body-size limit to lean on; this keeps a stray large file
# from being read whole. It is far above the largest problem the schema allows.
MAX_FILE_BYTES = 16 * 1024 * 1024


class InputProblem(Exception):
    """The file cannot be read as a problem; the message says why, for the person at the terminal."""


def add_command(commands: argparse._SubParsersAction) -> None:
    rank = commands.add_parser(
        "rank",
        help="rank a decision problem from a JSON, CSV or XLSX file, offline",
        description="Rank the problem in FILE, which holds the body POST /api/v1/analyze takes (options, "
        "criteria, scores, method and optionally normalization, params and explain), or a matrix with every score "
        "filled in: an exported JSON document, or the CSV/XLSX layout of `optionsmatrix export` (ranked with wsm "
        "unless --method says otherwise). Nothing is stored.",
    )
    rank.add_argument(
        "file", metavar="FILE", help="the problem as JSON, CSV or XLSX ('-' reads JSON from standard input)"
    )
    rank.add_argument(
        "--method",
        choices=METHOD_NAMES,
        help="use this method instead of the file's; the file's normalization and params are kept only if the "
        "method accepts them",
    )
    rank.add_argument("--normalization", choices=NORMALIZATIONS, help="instead of the file's (or the default)")
    rank.add_argument("--explain", action="store_true", help="also print every intermediate table")
    rank.add_argument("--format", choices=("table", "json"), default="table", help="default: table")
    rank.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        body = _request(_read_problem(args.file), args)
        ranking = rank_request(body)
    except (InputProblem, cli_files.InvalidFileProblem) as problem:
        print(f"{PROG}: {problem}", file=sys.stderr)
        return BAD_INPUT
    except AnalysisError as error:
        where = f"{_path(error.loc)}: " if error.loc else ""
        print(f"{PROG}: {where}{error.message}", file=sys.stderr)
        return BAD_INPUT
    if args.format == "json":
        result = ranking.to_dict()
        if not body.explain:
            del result["steps"]
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_ranking(ranking, explain=body.explain))
    return 0


def _read_problem(name: str) -> Any:  # noqa: ANN401 (JSON)
    """The analyze body in the file; a matrix file (grid layout or JSON document) becomes one."""
    if cli_files.looks_like_spreadsheet(name):
        data = cli_files.read_matrix_file(name, max_bytes=MAX_FILE_BYTES)
        return cli_files.problem_from_matrix(data, name=name)
    raw = _read_json(name)
    if isinstance(raw, dict) and raw.get("format") == "optionsmatrix":
        return cli_files.problem_from_matrix(cli_files.read_matrix_document(raw, name=name), name=name)
    return raw


def _read_json(name: str) -> Any:
    try:
        if name == "-":
            text = sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            with Path(name).open(encoding="utf-8") as file:
                text = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputProblem(f"cannot read {name}: no such file") from None
    except IsADirectoryError:
        raise InputProblem(f"cannot read {name}: it is a directory") from None
    except UnicodeDecodeError:
        raise InputProblem(f"cannot read {name}: it is not UTF-8 text") from None
    except OSError as error:
        raise InputProblem(f"cannot read {name}: {error.strerror or error}") from None
    if len(text) > MAX_FILE_BYTES:
        raise InputProblem(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; is it the right file?")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputProblem(
            f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except (ValueError, RecursionError) as error:  # e.g. an integer with thousands of digits, absurd nesting
        raise InputProblem(f"{name} is not usable JSON: {error}") from None


def _request(data: Any, args: argparse.Namespace) -> AnalyzeRequest:
    if not isinstance(data, dict):
        raise InputProblem("the file must hold a JSON object like the body of POST /api/v1/analyze")
    if args.method is not None and args.method != data.get("method"):
        data["method"] = args.method
        if data.get("normalization") not in allowed_normalizations(args.method):
            data.pop("normalization", None)
        if args.method != "vikor":  # the only method with params
            data.pop("params", None)
    if args.normalization is not None:
        data["normalization"] = args.normalization
    if args.explain:
        data["explain"] = True
    try:
        return AnalyzeRequest.model_validate(data)
    except ValidationError as error:
        lines = [f"{_path(e['loc']) or 'the file'}: {e['msg']}" for e in error.errors()]
        raise InputProblem("the problem is not valid:\n  " + "\n  ".join(lines)) from None


def _path(loc: Sequence[str | int]) -> str:
    """("criteria", 2, "weight") → "criteria[2].weight", the way the core names fields."""
    text = ""
    for part in loc:
        if part == "body":
            continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def format_ranking(ranking: Ranking, *, explain: bool = False) -> str:
    """The ranking as aligned text: what was computed, the table, warnings, and with `explain` the working."""
    score_header = score_label(ranking.method).capitalize()
    rows = [[str(r.rank), r.name, significant(r.score)] for r in ranked_options(ranking)]
    parts = [describe_method(ranking), _aligned(["Rank", "Option", score_header], rows, numeric={0, 2})]
    compromise = ranking.details.get("compromise_set")
    if compromise:
        parts.append("VIKOR compromise set: " + ", ".join(compromise))
    if ranking.warnings:
        parts.append("Warnings:\n" + "\n".join(f"  - {warning}" for warning in ranking.warnings))
    if explain:
        parts += [_step_text(number, table) for number, table in enumerate(step_tables(ranking), start=1)]
    return "\n\n".join(parts)


def _step_text(number: int, table: StepTable) -> str:
    heading = f"Step {number}. {table.title}"
    if table.explanation:
        heading += f"\n{table.explanation}"
    rows = [[label, *(significant(v) for v in values)] for label, values in table.rows]
    numeric = set(range(1, len(table.columns) + 1))
    return heading + "\n" + _aligned([table.corner, *table.columns], rows, numeric=numeric)


def _aligned(header: list[str], rows: list[list[str]], *, numeric: set[int]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        padded = [
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)])
