"""A comparison as the API answers it, and as a file to take away: JSON, CSV (UTF-8 with a BOM) or XLSX.

The CSV is one table per section, a blank line between them: the options
with each column's rank and score, then (if any) the options only some
sessions have, then Kendall's τ-b for each pair of columns. Text that a
spreadsheet would run as a formula is written as text (see spreadsheet.py).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Literal

from optionsmatrix.schemas import comparisons as shapes
from optionsmatrix.services.cell_text import neutralise_formula
from optionsmatrix.services.comparisons import Comparison
from optionsmatrix.services.documents import BOM, number_text
from optionsmatrix.services.matrix_files import Download, _safe_file_name, slug

ComparisonFormat = Literal["csv", "json", "xlsx"]
CONTENT_TYPES: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def comparison_public(comparison: Comparison) -> shapes.Comparison:
    columns = [
        shapes.ComparisonColumn(
            session_id=c.snapshot.seminar.id, session_title=c.snapshot.seminar.title, round=c.round,  # type: ignore[arg-type]
            method=c.method, method_label=c.method_label, normalization=c.normalization,
            higher_is_better=c.higher_is_better, label=c.label, ballots=c.ballots,
            complete_ballots=c.complete_ballots, empty=c.ranking is None, empty_reason=c.empty_reason,
        )
        for c in comparison.columns
    ]  # fmt: skip
    return shapes.Comparison(
        kind=comparison.kind,
        aggregation=comparison.aggregation,
        columns=columns,
        options=[
            shapes.ComparedOption(
                key=o.key,
                name=o.name,
                short_name=o.short_name,
                option_ids=list(o.option_ids),  # type: ignore[arg-type]
                ranks=list(o.ranks),
                scores=list(o.scores),
                spread=o.spread,
            )
            for o in comparison.options
        ],  # fmt: skip
        only_in_some=[
            shapes.OnlyInSome(
                key=o.key, name=o.name, short_name=o.short_name, option_ids=list(o.option_ids), ranks=list(o.ranks)
            )
            for o in comparison.only_in_some
        ],  # fmt: skip
        agreement=[
            shapes.Agreement(columns=[p.first, p.second], tau_b=p.tau_b, words=p.words) for p in comparison.agreement
        ],  # fmt: skip
        notes=list(comparison.notes),
    )


def file_title(comparison: Comparison) -> str:
    titles = comparison.titles
    if comparison.kind == "sessions":
        return "Comparison of " + " and ".join(titles)
    return f"Comparison of the {comparison.kind} of {titles[0]}"


def export_comparison(comparison: Comparison, *, format: ComparisonFormat) -> Download:  # noqa: A002
    writer = {"json": write_json, "csv": write_csv, "xlsx": write_xlsx}[format]
    title = file_title(comparison)
    return Download(
        content=writer(comparison),
        media_type=CONTENT_TYPES[format],
        filename=f"{slug(title)}.{format}",
        filename_utf8=f"{_safe_file_name(title)}.{format}",
    )


def write_json(comparison: Comparison) -> bytes:
    document = {"format": "optionsmatrix-comparison", "version": 1,
                **comparison_public(comparison).model_dump(mode="json")}  # fmt: skip
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | int):
        return number_text(value)
    return neutralise_formula(str(value))


def sections(comparison: Comparison) -> list[list[list[object]]]:
    """The tables of the file, each a header row and its rows (values, not yet text)."""
    labels = [c.label for c in comparison.columns]
    header: list[object] = ["option"]
    for label in labels:
        header += [f"{label}: rank", f"{label}: score"]
    header.append("largest difference in rank")
    options: list[list[object]] = [header]
    for o in comparison.options:
        row: list[object] = [o.name]
        for r, s in zip(o.ranks, o.scores, strict=True):
            row += [r, s]
        options.append([*row, o.spread])
    tables = [options]
    if comparison.only_in_some:
        only = [["option only in some sessions", *(f"{label}: rank in its own session" for label in labels)]]
        only += [[o.name, *o.ranks] for o in comparison.only_in_some]
        tables.append(only)
    agreement: list[list[object]] = [["first", "second", "kendall_tau_b", "in words"]]
    agreement += [[labels[p.first], labels[p.second], p.tau_b, p.words] for p in comparison.agreement]
    tables.append(agreement)
    empty = [[c.label, c.empty_reason] for c in comparison.columns if c.empty_reason]
    if empty:
        tables.append([["column without a ranking", "why"], *empty])
    return tables


def write_csv(comparison: Comparison) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for n, table in enumerate(sections(comparison)):
        if n:
            writer.writerow([])
        writer.writerows([[_cell(v) for v in row] for row in table])
    return BOM + buffer.getvalue().encode("utf-8")


def write_xlsx(comparison: Comparison) -> bytes:
    """One sheet per section; openpyxl is imported here, only when a workbook is asked for."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    names = ["Rankings", "Only in some", "Agreement", "Without a ranking"]
    tables = sections(comparison)
    kept = names if comparison.only_in_some else [n for n in names if n != "Only in some"]
    if not any(c.empty_reason for c in comparison.columns):
        kept = [n for n in kept if n != "Without a ranking"]
    for index, (name, table) in enumerate(zip(kept, tables, strict=True)):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        for row in table:
            # Text stays text: openpyxl would store a name starting with "=" as a formula.
            sheet.append([v if v is None or isinstance(v, int | float) else str(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 32
    workbook.properties.title = file_title(comparison)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
