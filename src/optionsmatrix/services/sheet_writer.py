"""Writing an XLSX workbook cell by cell with openpyxl: text that stays text, styled headers, sensible widths.

openpyxl is imported only when a workbook is written: it is slow to import
and large in memory, and most requests never need it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from optionsmatrix.services.cell_text import FORMULA_STARTS
from optionsmatrix.services.session_export_data import as_utc
from optionsmatrix.services.spreadsheet import column_letter

HEADER_FILL = "DDE4EE"
INPUT_FILL = "FFF4C2"  # cells meant to be changed, such as the weights


class SheetWriter:
    def __init__(self, title: str) -> None:
        import openpyxl
        from openpyxl.styles import Alignment, Font, PatternFill

        self.workbook = openpyxl.Workbook()
        self.workbook.properties.title = title
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.input_fill = PatternFill("solid", fgColor=INPUT_FILL)
        self.caption_font = Font(italic=True, color="444444")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.fill = PatternFill
        self.font = Font

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    def new_sheet(self, title: str) -> Any:  # noqa: ANN401 (openpyxl's types are not exported)
        return self.workbook.create_sheet(title)

    def put(self, sheet: Any, row: int, column: int, value: object, *, number_format: str | None = None) -> Any:  # noqa: ANN401
        """One cell. Text stays text: openpyxl would store "=…" as a formula, which a spreadsheet would run."""
        if isinstance(value, float) and not math.isfinite(value):
            value = None  # an empty cell: nobody scored it
        elif isinstance(value, np.floating | np.integer):
            value = value.item()
        elif isinstance(value, datetime):
            value = as_utc(value)  # the headers say "(UTC)"
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.number_format = "@"  # formatted as text too, so editing it in Excel keeps it text
        if number_format:
            cell.number_format = number_format
        return cell

    def formula(self, sheet: Any, row: int, column: int, text: str, *, number_format: str = "0.0000") -> None:  # noqa: ANN401
        """A formula of ours (never user text: `put` writes that)."""
        cell = sheet.cell(row=row, column=column, value=text)
        cell.number_format = number_format

    def row(self, sheet: Any, row: int, values: Sequence[object], *, first: int = 1, header: bool = False) -> None:  # noqa: ANN401
        for offset, value in enumerate(values):
            cell = self.put(sheet, row, first + offset, value)
            if header:
                cell.font = self.header_font
                cell.fill = self.header_fill
                cell.alignment = self.wrap

    def caption(self, sheet: Any, row: int, text: str) -> None:  # noqa: ANN401
        self.put(sheet, row, 1, text).font = self.caption_font

    def widths(self, sheet: Any, first: int = 28, rest: int = 14, most: int = 50) -> None:  # noqa: ANN401
        """Each column as wide as its longest value (not formulas, nor captions in column A), within bounds."""
        for index, column in enumerate(sheet.iter_cols(), start=1):
            lengths = [len(str(c.value)) for c in column if c.value is not None and c.data_type != "f"]
            if index == 1:
                lengths = [n for n in lengths if n <= most]
            wanted = max(lengths, default=0) + 2
            sheet.column_dimensions[column_letter(index)].width = min(max(wanted, first if index == 1 else rest), most)
