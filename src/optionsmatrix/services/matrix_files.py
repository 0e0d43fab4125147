"""Matrices to and from files: which codec, what the download is called, and the one way in.

The codecs (documents.py for JSON, spreadsheet.py for CSV and XLSX) are
pure; this module connects them to stored matrices. An import goes through
`create_matrix`, one transaction, so a file either becomes a whole matrix or
nothing at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from typing import Literal
from urllib.parse import quote

from pydantic import ValidationError
from sqlmodel import Session

from optionsmatrix.errors import FieldError
from optionsmatrix.limits import MAX_UPLOAD_BYTES
from optionsmatrix.models import TITLE_MAX, Matrix
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.schemas.text import TextRuleBroken, clean_label
from optionsmatrix.services import documents
from optionsmatrix.services.cell_text import XLSX_MAGIC
from optionsmatrix.services.documents import (
    CriterionData,
    FileTooLarge,
    InvalidFile,
    MatrixData,
    OptionData,
    Scores,
    file_problem,
    json_path,
)
from optionsmatrix.services.matrices import create_matrix

ExportFormat = Literal["json", "csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "csv", "xlsx")
CONTENT_TYPES: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNTITLED = "Imported matrix"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) format


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str  # ASCII
    filename_utf8: str  # the title as it is, for `filename*`

    @property
    def content_disposition(self) -> str:
        return f"attachment; filename=\"{self.filename}\"; filename*=UTF-8''{quote(self.filename_utf8, safe='')}"


# Export -------------------------------------------------------------------------------


def export_matrix(matrix: Matrix, *, format: ExportFormat) -> Download:  # noqa: A002
    from optionsmatrix.services import spreadsheet  # the CSV and XLSX codec, loaded when a file is made (cell_text.py)

    data = matrix_data(matrix)
    writer = {"json": documents.write_json, "csv": spreadsheet.write_csv, "xlsx": spreadsheet.write_xlsx}[format]
    return Download(
        content=writer(data),
        media_type=CONTENT_TYPES[format],
        filename=f"{slug(matrix.title)}.{format}",
        filename_utf8=f"{_safe_file_name(matrix.title)}.{format}",
    )


def matrix_data(matrix: Matrix) -> MatrixData:
    """A stored matrix as the codecs see it, with its owner's scores keyed by full names."""
    criterion_names = {c.id: c.name for c in matrix.criteria}
    options = {o.id: o.name for o in matrix.options}
    scores: Scores = {
        options[option_id]: {criterion_names[c]: value for c, value in row.items()}
        for option_id, row in matrix.stored_scores.items()
    }
    return MatrixData(
        title=matrix.title,
        description=matrix.description,
        source=matrix.source,
        options=tuple(OptionData(**_stored_fields(OptionData, o)) for o in matrix.options),
        criteria=tuple(CriterionData(**_stored_fields(CriterionData, c)) for c in matrix.criteria),
        scores=scores,
    )


def slug(title: str) -> str:
    """An ASCII file name from a title: "Café — Options (2025)" → "cafe-options-2025"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return words[:80].rstrip("-") or "matrix"


def _safe_file_name(title: str) -> str:
    """The title as a file name in any script: only what file systems refuse is replaced."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "-", title).strip(" .-")[:120] or "matrix"


# Import -------------------------------------------------------------------------------


def read_file(content: bytes, *, filename: str | None, max_bytes: int = MAX_UPLOAD_BYTES) -> MatrixData:
    """Parse an uploaded file, deciding its type by its content first and its extension second."""
    if len(content) > max_bytes:
        size = f"{max_bytes // (1024 * 1024)} MiB" if max_bytes % (1024 * 1024) == 0 else f"{max_bytes:,} bytes"
        raise FileTooLarge(f"The file is too large: at most {size} may be imported.")
    from optionsmatrix.services import spreadsheet  # loaded when a file is read (cell_text.py)

    extension = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if content.startswith(XLSX_MAGIC):
        data = spreadsheet.read_xlsx(content)
    elif content.startswith(_OLE_MAGIC):
        raise file_problem("this is an old-style Excel file (.xls); save it as an Excel workbook (.xlsx) or as CSV")
    elif extension in ("xlsx", "xlsm"):
        raise file_problem("the file is named .xlsx but is not an XLSX workbook")
    elif content.lstrip(documents.BOM + b" \t\r\n").startswith(b"{"):
        data = documents.read_json(content)
    elif extension == "json":
        raise file_problem("the file is named .json but does not hold a JSON object")
    else:
        data = spreadsheet.read_csv(content)
    if data.title is None:
        data = replace(data, title=title_from_file_name(filename))
    return data


def read_document(raw: object) -> MatrixData:
    """A matrix from a JSON document already parsed (the JSON body of the import route)."""
    return documents.matrix_from_document(raw)


def import_matrix(session: Session, *, data: MatrixData, owner_id: int | None) -> Matrix:
    """Create the matrix a file holds, with its scores, private and owned by `owner_id`, in one transaction."""
    option_at = {o.name: i for i, o in enumerate(data.options)}
    criterion_at = {c.name: j for j, c in enumerate(data.criteria)}
    # The codecs key scores by the names as they stored them, after checking each against its scale.
    scores = {
        (option_at[option], criterion_at[criterion]): value
        for option, row in data.scores.items()
        for criterion, value in row.items()
    }
    return create_matrix(session, data=matrix_create(data), owner_id=owner_id, is_public=False, scores=scores)


def matrix_create(data: MatrixData) -> MatrixCreate:
    """What `create_matrix` takes; a rule the codecs did not check is reported with its path."""
    try:
        return MatrixCreate.model_validate(
            {
                "title": data.title or UNTITLED,
                "description": data.description,
                "source": data.source,
                "options": [asdict(o) for o in data.options],
                "criteria": [asdict(c) for c in data.criteria],
            }
        )
    except ValidationError as error:
        raise InvalidFile(
            [FieldError(("file",), f"{json_path(e['loc']) or 'the matrix'}: {e['msg']}") for e in error.errors()]
        ) from None


def title_from_file_name(filename: str | None) -> str:
    """ "Border options.csv" → "Border options"; a name that makes no title gives UNTITLED."""
    base = re.split(r"[\\/]", filename or "")[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    try:
        return clean_label(stem, max_length=TITLE_MAX)
    except TextRuleBroken:
        return UNTITLED


def _stored_fields(kind: type[OptionData | CriterionData], item: object) -> dict[str, object]:
    """The fields a file carries, read from a stored option or criterion."""
    return {field.name: getattr(item, field.name) for field in fields(kind)}
