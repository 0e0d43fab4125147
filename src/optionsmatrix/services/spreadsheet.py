"""A matrix as a grid, for CSV and the first sheet of an XLSX workbook.

    option      | Cost    | Access  | ...     ← row 1: "option", then each criterion's full name
    direction   | cost    | benefit |         ← attribute rows, in any order, directly under it;
    weight      | 2       | 1       |           each optional (defaults: benefit, 1, 1, 5)
    scale_min   | 1       | 1       |
    scale_max   | 5       | 5       |
    short_name  |         |         |
    scale_low_label / scale_high_label
    Riverside   | 4       |         | ...     ← every later row: an option and its scores (blank allowed)

Pure: no database, no HTTP. Every problem is reported with the row and the
column a spreadsheet program shows for it (`row 6, column "Leverage": "high"
is not a number`), and nothing else happens: the caller creates nothing from
a file that did not read cleanly.

Workbooks are untrusted zip files. Before openpyxl sees one, the archive's
directory is checked: at most MAX_UNZIPPED_BYTES in all, at most
MAX_SHEET_XML_BYTES for an XML part such as a sheet (parsed cell by cell),
and no member that compresses suspiciously well (a zip bomb). Python's zipfile never inflates a
member past the size its directory declares, so those checks bound the work.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from optionsmatrix.limits import MAX_CRITERIA, MAX_OPTIONS
from optionsmatrix.models import NAME_MAX
from optionsmatrix.schemas.matrices import Name, ScaleBound, Weight
from optionsmatrix.schemas.numbers import NotANumber, parse_decimal
from optionsmatrix.schemas.text import TextRuleBroken, clean_label, comparison_key
from optionsmatrix.services.cell_text import neutralise_formula, restore_formula
from optionsmatrix.services.documents import (
    BOM,
    CriterionData,
    InvalidFile,
    MatrixData,
    OptionData,
    Problems,
    Scores,
    file_problem,
    number_text,
    outside_scale,
)

HEADER = "option"
# Written in this order; read in any order, the words in any case.
ATTRIBUTES = (
    "direction", "weight", "scale_min", "scale_max", "short_name", "scale_low_label", "scale_high_label",
)  # fmt: skip
DIRECTIONS = ("benefit", "cost")

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
# Worksheet XML compresses well, but not like this: past this ratio a member is refused (when over 1 MiB).
MAX_COMPRESSION_RATIO = 100
# Blank rows count too: a sheet formatted down to row 1,048,576 is refused rather than walked.
MAX_SHEET_ROWS = 5000
# Any XML part: openpyxl parses the first sheet cell by cell (all its columns, even past the 52 read)
# and the shared strings whole, and the sheet may sit at any path the workbook's relations name. A
# 200 × 50 matrix's sheet is well under 1 MiB; a 50 MiB sheet of cells beyond column AZ took 20 s to
# walk. At about 0.4 s per MiB, this keeps a workbook under 2 s.
MAX_SHEET_XML_BYTES = 4 * 1024 * 1024
_PARSED_PART = re.compile(r".*\.(xml|rels)", re.IGNORECASE)
XLSX_SHEET_TITLE = "Matrix"

_WEIGHT = TypeAdapter(Weight)
_SCALE_BOUND = TypeAdapter(ScaleBound)
_NAME = TypeAdapter(Name)
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")


def column_letter(number: int) -> str:
    """1 → A, 27 → AA: how spreadsheet programs label column `number`."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text: numbers as typed (2030, not 2030.0)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number_text(value)
    return str(value).strip()


@dataclass
class _Column:
    number: int  # 1-based, as spreadsheets count
    name: str
    values: dict[str, object]

    @property
    def where(self) -> str:
        return f'column "{self.name}"'


class _GridReader:
    def __init__(self, *, decimal_comma: bool) -> None:
        self.decimal_comma = decimal_comma
        self.problems = Problems()

    def number(self, value: object) -> float:
        """A cell's number, or NotANumber with the cell's text quoted."""
        if isinstance(value, float | int) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise NotANumber(f"{value} is not a finite number")
            return float(value)
        if not isinstance(value, str):
            raise NotANumber(f'"{value}" is not a number')
        text = value.strip()
        if self.decimal_comma and _DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        try:
            return parse_decimal(text)
        except NotANumber:
            raise NotANumber(f'"{text}" is not a number') from None

    def read(self, rows: Iterable[tuple[int, Sequence[object]]]) -> MatrixData:
        """`rows` as (row number, cells); blank rows may be left out or included."""
        nonblank = ((n, cells) for n, cells in rows if not all(_is_blank(c) for c in cells))
        first = next(nonblank, None)
        if first is None:
            raise file_problem("the file is empty: the first row must be \"option\" followed by the criteria's names")
        header_row, header = first
        columns = self._header(header_row, header)
        options: list[tuple[int, str]] = []
        scores: Scores = {}
        seen_attributes: dict[str, int] = {}
        seen_options: dict[str, int] = {}
        in_attributes = True
        for number, cells in nonblank:
            first_cell = _text(cells[0]).casefold() if cells and not _is_blank(cells[0]) else ""
            if in_attributes and first_cell in ATTRIBUTES:
                if first_cell in seen_attributes:
                    raise file_problem(
                        f'row {number}, column A: "{first_cell}" appears twice (also row {seen_attributes[first_cell]})'
                    )
                seen_attributes[first_cell] = number
                self._attribute(number, first_cell, cells, columns)
                continue
            in_attributes = False
            self._extra_cells(number, cells, columns)
            name = self._option_name(number, cells, seen_options)
            if name is None:
                continue
            if len(options) == MAX_OPTIONS:
                raise file_problem(f"row {number}: a matrix holds at most {MAX_OPTIONS} options; this file has more")
            options.append((number, name))
            for column in columns:
                cell = cells[column.number - 1] if column.number - 1 < len(cells) else None
                if not _is_blank(cell):
                    self._score(number, name, column, cell, scores)
        criteria = self._criteria(columns)
        self.problems.raise_any()
        return MatrixData(
            title=None,
            options=tuple(OptionData(name=name) for _, name in options),
            criteria=criteria,
            scores=scores,
        )

    # The header row -------------------------------------------------------------

    def _header(self, row: int, cells: Sequence[object]) -> list[_Column]:
        cells = list(cells)
        while cells and _is_blank(cells[-1]):
            cells.pop()
        if _text(cells[0]).casefold() != HEADER:
            found = "is blank" if _is_blank(cells[0]) else f'holds "{_text(cells[0])}"'
            raise file_problem(
                f'row {row}, column A: the first cell must be "{HEADER}" (then one column per criterion); it {found}'
            )
        if len(cells) - 1 > MAX_CRITERIA:
            raise file_problem(
                f"row {row}: a matrix holds at most {MAX_CRITERIA} criteria; this file has {len(cells) - 1} columns "
                "after the first"
            )
        columns: list[_Column] = []
        seen: dict[str, str] = {}
        for index, cell in enumerate(cells[1:], start=2):
            where = f"row {row}, column {column_letter(index)}"
            if _is_blank(cell):
                raise file_problem(f"{where}: the criterion's name is blank")
            name = _valid_label(_text(cell), where)
            key = comparison_key(name)
            if key in seen:
                raise file_problem(f'{where}: criterion "{name}" appears more than once (also column {seen[key]})')
            seen[key] = column_letter(index)
            columns.append(_Column(number=index, name=name, values={}))
        return columns

    # Attribute rows ---------------------------------------------------------------

    def _attribute(self, row: int, attribute: str, cells: Sequence[object], columns: list[_Column]) -> None:
        self._extra_cells(row, cells, columns)
        for column in columns:
            cell = cells[column.number - 1] if column.number - 1 < len(cells) else None
            if _is_blank(cell):
                continue
            where = f"row {row}, {column.where}"
            try:
                column.values[attribute] = self._attribute_value(attribute, cell)
            except (NotANumber, TextRuleBroken) as error:
                self.problems.add(f"{where}: {error}")
            except ValidationError as error:
                self.problems.add(f"{where}: {_text(cell)} is not a valid {attribute}: {error.errors()[0]['msg']}")

    def _attribute_value(self, attribute: str, cell: object) -> object:
        if attribute == "direction":
            direction = _text(cell).casefold()
            if direction not in DIRECTIONS:
                raise TextRuleBroken(f'"{_text(cell)}" is not a direction: use benefit or cost')
            return direction
        if attribute == "weight":
            return _WEIGHT.validate_python(self.number(cell))
        if attribute in ("scale_min", "scale_max"):
            return _SCALE_BOUND.validate_python(self.number(cell))
        return clean_label(_text(cell), max_length=NAME_MAX)

    def _criteria(self, columns: list[_Column]) -> tuple[CriterionData, ...]:
        criteria = []
        for column in columns:
            criterion = CriterionData(name=column.name, **column.values)  # type: ignore[arg-type]
            if not criterion.scale_min < criterion.scale_max:
                self.problems.add(
                    f"{column.where}: the scale must run from a lower to a higher number: scale_min "
                    f"({number_text(criterion.scale_min)}) must be less than scale_max "
                    f"({number_text(criterion.scale_max)})"
                )
            criteria.append(criterion)
        return tuple(criteria)

    # Option rows --------------------------------------------------------------------

    def _option_name(self, row: int, cells: Sequence[object], seen: dict[str, int]) -> str | None:
        where = f"row {row}, column A"
        if not cells or _is_blank(cells[0]):
            self.problems.add(f"{where}: the option's name is blank")
            return None
        try:
            name = _valid_label(_text(cells[0]), where)
        except InvalidFile as error:  # collected with the rest
            self.problems.add(error.message)
            return None
        key = comparison_key(name)
        if key in seen:
            self.problems.add(f'{where}: option "{name}" appears more than once (also row {seen[key]})')
            return None
        seen[key] = row
        return name

    def _score(self, row: int, option: str, column: _Column, cell: object, scores: Scores) -> None:
        where = f"row {row}, {column.where}"
        try:
            value = self.number(cell)
        except NotANumber as error:
            self.problems.add(f"{where}: {error}")
            return
        scale = CriterionData(
            name=column.name,
            scale_min=column.values.get("scale_min", 1.0),  # type: ignore[arg-type]
            scale_max=column.values.get("scale_max", 5.0),  # type: ignore[arg-type]
        )
        outside = outside_scale(value, scale)
        if outside:
            self.problems.add(f"{where}: {outside}")
            return
        scores.setdefault(option, {})[column.name] = value

    def _extra_cells(self, row: int, cells: Sequence[object], columns: list[_Column]) -> None:
        for index in range(len(columns) + 1, len(cells)):
            if not _is_blank(cells[index]):
                self.problems.add(
                    f"row {row}, column {column_letter(index + 1)}: this value has no criterion above it in row 1"
                )
                return


def _valid_label(text: str, where: str) -> str:
    try:
        return _NAME.validate_python(text)
    except ValidationError as error:
        raise file_problem(f"{where}: {error.errors()[0]['msg']}") from None


def read_grid(rows: Iterable[Sequence[object]], *, decimal_comma: bool = False) -> MatrixData:
    """A matrix from rows of cells (row 1 first), or InvalidFile naming each bad row and column."""
    return _GridReader(decimal_comma=decimal_comma).read(enumerate(rows, start=1))


def grid_rows(data: MatrixData) -> list[list[object]]:
    """The matrix as rows: the header, all seven attribute rows, then one row per option (scores if any)."""
    rows: list[list[object]] = [[HEADER, *(c.name for c in data.criteria)]]
    for attribute in ATTRIBUTES:
        rows.append([attribute, *(asdict(c)[attribute] for c in data.criteria)])
    for option in data.options:
        scored = data.scores.get(option.name, {})
        rows.append([option.name, *(scored.get(c.name) for c in data.criteria)])
    return rows


# CSV --------------------------------------------------------------------------------


def read_csv(content: bytes) -> MatrixData:
    """Comma- or semicolon-separated UTF-8, with or without a byte order mark."""
    text = _decode(content)
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # A semicolon file comes from a spreadsheet set to a language with a decimal comma ("2,5").
    grid = _GridReader(decimal_comma=delimiter == ";")
    return grid.read(_csv_records(reader))


def _csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:  # noqa: ANN401 (csv's reader type is private)
    record = 0
    try:
        for record, cells in enumerate(reader, start=1):  # noqa: B007 (read in the except clause)
            yield record, [restore_formula(cell) for cell in cells]
    except csv.Error as error:
        raise file_problem(f"row {record + 1}: the CSV cannot be read here: {error}") from None


def _decode(content: bytes) -> str:
    try:
        text = content.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise file_problem(
            "the file is neither an XLSX workbook nor UTF-8 text (a CSV); in a spreadsheet program, save it as "
            "\"CSV UTF-8\" or as an Excel workbook (.xlsx)"
        ) from None
    if "\x00" in text:
        raise file_problem("the file is not a spreadsheet: it holds binary data")
    return text


_HEADER_DELIMITER = re.compile(r'\s*"?\s*option\s*"?\s*([,;])', re.IGNORECASE)


def _delimiter(header_line: str) -> str:
    """Comma or semicolon, judged from the header line only (option names hold commas often enough).

    The header starts with the word "option", so whatever follows it is the
    delimiter; csv.Sniffer alone prefers the comma whenever both appear.
    """
    found = _HEADER_DELIMITER.match(header_line)
    if found:
        return found.group(1)
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;").delimiter
    except csv.Error:
        return ","


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    return number_text(value) if isinstance(value, float | int) else neutralise_formula(str(value))


def write_csv(data: MatrixData) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows accents right; commas, points for decimals.

    Names and labels that a spreadsheet would run as formulas are written with a leading
    apostrophe (a matrix may be someone else's: a public or shared one); importing the file
    takes it off again. Numbers are written as they are ("-2" is a number, not a formula).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in grid_rows(data):
        writer.writerow([_csv_cell(v) for v in row])
    return BOM + buffer.getvalue().encode("utf-8")


# XLSX -------------------------------------------------------------------------------


def check_zip(content: bytes) -> None:
    """Refuse archives that would unpack to far more than they weigh, before anything unpacks them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise file_problem("the file looks like an XLSX workbook but is not a readable zip archive") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise file_problem(f"the workbook holds {len(members)} parts; at most {MAX_ZIP_MEMBERS} are accepted")
        total = sum(m.file_size for m in members)
        if total > MAX_UNZIPPED_BYTES:
            raise file_problem(
                f"the workbook would unpack to {total / 1024 / 1024:.0f} MiB; "
                f"at most {MAX_UNZIPPED_BYTES // 1024 // 1024} MiB are accepted"
            )
        for member in members:
            if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(
                member.compress_size, 1
            ):
                raise file_problem(
                    f"the workbook part {member.filename} compresses {member.file_size // max(member.compress_size, 1)}"
                    " times over, which only a zip bomb does; it was not opened"
                )
        for member in members:
            if member.file_size > MAX_SHEET_XML_BYTES and _PARSED_PART.fullmatch(member.filename):
                raise file_problem(
                    f"the workbook part {member.filename} unpacks to {member.file_size / 1024 / 1024:.0f} MiB; at "
                    f"most {MAX_SHEET_XML_BYTES // 1024 // 1024} MiB are read (a matrix's sheet is far smaller: "
                    "is there a sheet full of other data or formatting?)"
                )
        if "xl/workbook.xml" not in archive.namelist():
            raise file_problem("the file is a zip archive but not an XLSX workbook (it has no xl/workbook.xml)")


def read_xlsx(content: bytes) -> MatrixData:
    """The first sheet of a workbook, in the grid layout; the title from the workbook's properties, if any."""
    check_zip(content)
    import openpyxl  # only when a workbook comes in: it takes a while to import

    try:
        with warnings.catch_warnings():
            # Workbooks from other programs make openpyxl warn (no default style, unknown extensions);
            # none of that concerns the person uploading.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 (openpyxl raises a dozen kinds for a malformed workbook)
        raise file_problem("the file is not a readable XLSX workbook") from None
    try:
        if not workbook.worksheets:
            raise file_problem("the workbook has no sheet")
        sheet = workbook.worksheets[0]
        data = _GridReader(decimal_comma=False).read(_sheet_rows(sheet))
        title = workbook.properties.title if workbook.properties is not None else None
    finally:
        workbook.close()
    return replace(data, title=_title_or_none(title))


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[object, ...]]]:  # noqa: ANN401
    try:
        # One column past the most a matrix may have, so a 51st criterion is seen and refused.
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_CRITERIA + 2, values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise file_problem(f"the first sheet has more than {MAX_SHEET_ROWS} rows; is it the right file?")
            yield number, cells
    except InvalidFile:
        raise
    except Exception:  # noqa: BLE001 (a damaged sheet makes openpyxl raise IndexError, KeyError, parse errors…)
        raise file_problem("the first sheet of the workbook cannot be read") from None


def _title_or_none(title: object) -> str | None:
    if not isinstance(title, str) or not title.strip():
        return None
    try:
        return clean_label(title, max_length=NAME_MAX)
    except TextRuleBroken:
        return None


def write_xlsx(data: MatrixData) -> bytes:
    """The grid on a first sheet, then the options' and criteria's full details on two more."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    if data.title:
        workbook.properties.title = data.title
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    attribute_font = Font(italic=True, color="555555")

    sheet = workbook.active
    sheet.title = XLSX_SHEET_TITLE
    rows = grid_rows(data)
    for row in rows:
        sheet.append(row)
    _as_text(sheet)
    for cell in sheet[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(ATTRIBUTES), max_col=1):
        row[0].font = attribute_font
    # The header, the attribute rows and the option names stay in view while scrolling.
    sheet.freeze_panes = f"B{2 + len(ATTRIBUTES)}"
    sheet.column_dimensions["A"].width = min(max([len(o.name) for o in data.options] + [16]) + 2, 60)
    for index, criterion in enumerate(data.criteria, start=2):
        sheet.column_dimensions[column_letter(index)].width = min(max(len(criterion.name), 12) + 2, 40)

    _detail_sheet(workbook, "Options", ["name", "short_name", "escalation_level", "description", "evidence"],
                  [asdict(o) for o in data.options], header_font, header_fill)  # fmt: skip
    criterion_fields = [
        "name", "short_name", "direction", "weight", "scale_min", "scale_max", "scale_low_label",
        "scale_high_label", "description", "evidence",
    ]  # fmt: skip
    _detail_sheet(workbook, "Criteria", criterion_fields, [asdict(c) for c in data.criteria], header_font, header_fill)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _detail_sheet(workbook: Any, title: str, fields: list[str], items: list[dict], font: Any, fill: Any) -> None:  # noqa: ANN401
    sheet = workbook.create_sheet(title)
    sheet.append(fields)
    for item in items:
        sheet.append([item[f] for f in fields])
    _as_text(sheet)
    for cell in sheet[1]:
        cell.font = font
        cell.fill = fill
    sheet.freeze_panes = "B2"
    for index, name in enumerate(fields, start=1):
        wide = name in ("description", "evidence")
        sheet.column_dimensions[column_letter(index)].width = 60 if wide else max(len(name) + 2, 14)


def _as_text(sheet: Any) -> None:  # noqa: ANN401
    """Names are text, even one that starts with "=": openpyxl would store it as a formula,
    which a spreadsheet program would then run."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
