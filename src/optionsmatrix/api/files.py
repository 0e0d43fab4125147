"""/api/v1/matrices/{id}/export and /api/v1/matrices/import: matrices as JSON, CSV and XLSX files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response, status
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from optionsmatrix.api.deps import TOKEN_OPTIONAL, InstructorDep, ReadableMatrix
from optionsmatrix.api.errors import API_PREFIX
from optionsmatrix.api.responses import BAD_TOKEN, MATRIX_NOT_FOUND, UNAUTHENTICATED, UNPROCESSABLE, _message, responses
from optionsmatrix.api.routing import api_router
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.limits import MAX_UPLOAD_BYTES
from optionsmatrix.schemas.matrices import MatrixPublic
from optionsmatrix.services import matrix_files
from optionsmatrix.services.documents import InvalidFile, MatrixDocument, file_problem
from optionsmatrix.services.matrix_files import ExportFormat

router = api_router(prefix="/matrices", tags=["files"])

IMPORT_PATH = f"{API_PREFIX}/matrices/import"  # the one API route that takes more than 1 MiB (see app.py)
_MIB = MAX_UPLOAD_BYTES // (1024 * 1024)


FILE_TOO_LARGE = {
    413: _message(
        f"The file is over {_MIB} MiB (this route alone accepts files up to {_MIB} MiB; other requests 1 MiB)",
        f"The request is too large: this site accepts at most {_MIB} MiB.",
    )
}
BAD_FILE = {
    422: {
        **UNPROCESSABLE[422],
        "description": "The file cannot become a matrix: not CSV, XLSX or an optionsmatrix JSON document, or a "
        "header, name or cell breaks a rule. Each message names the row and column (or the JSON path); nothing "
        "is created.",
        "content": {
            "application/json": {
                "example": {
                    "detail": [
                        {"loc": ["body", "file"], "msg": 'row 6, column "Leverage": "high" is not a number',
                         "type": "value_error"}
                    ]
                }
            }
        },
    }
}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment named after the matrix's title",
        "model": MatrixDocument,
        "headers": {
            "Content-Disposition": {
                "description": "`attachment; filename=\"<slug>.<ext>\"; filename*=UTF-8''<title>.<ext>`",
                "schema": {"type": "string"},
            }
        },
        "content": {
            "application/json": {"example": MatrixDocument.model_config["json_schema_extra"]["examples"][0]},  # type: ignore[index]
            "text/csv": {
                "schema": {"type": "string"},
                "example": "option,Cost,Access by public transport\r\ndirection,cost,benefit\r\nweight,2,1\r\n"
                "scale_min,1,1\r\nscale_max,5,5\r\nshort_name,,\r\nscale_low_label,,\r\nscale_high_label,,\r\n"
                "Riverside,4,2\r\nOld town,,\r\n",
            },
            matrix_files.CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **responses(BAD_TOKEN, MATRIX_NOT_FOUND, UNPROCESSABLE),
}
# The multipart half of an import's request body (matrices and sessions alike).
MULTIPART_FILE = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}},
        }
    }
}
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": f"A file (multipart field `file`, at most {_MIB} MiB): CSV or XLSX in the grid layout, or an "
        "optionsmatrix JSON document; or that JSON document as the body itself. The type is read from the content "
        "(an XLSX workbook is a zip archive; JSON starts with `{`; anything else is read as CSV, comma- or "
        "semicolon-separated, UTF-8 with or without a byte order mark).",
        "content": {
            **MULTIPART_FILE,
            "application/json": {
                "schema": {"$ref": "#/components/schemas/MatrixDocument"},
                "example": MatrixDocument.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
            },
        },
    }
}


@router.get(
    "/{matrix_id}/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    openapi_extra=TOKEN_OPTIONAL,
)
def export_matrix(
    matrix: ReadableMatrix,
    format: Annotated[ExportFormat, Query(description="json (complete), csv or xlsx")] = "json",  # noqa: A002
) -> Response:
    """Download a matrix you may read: a complete JSON document, or the grid layout as CSV or XLSX.

    The JSON document holds every field and imports back unchanged. The CSV and the XLSX's first sheet hold
    the grid: `option` and the criteria's names in row 1, the criteria's attributes in the rows under it, then
    one row per option. The XLSX adds sheets with every option's and criterion's details.
    """
    download = matrix_files.export_matrix(matrix, format=format)
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": download.content_disposition},
    )


@dataclass(frozen=True)
class Upload:
    """What the request carried, read but not yet parsed."""

    content: bytes | None = None  # a file's bytes
    filename: str | None = None
    document: object = None  # a JSON body, parsed
    problem: InvalidFile | None = None  # the request carried no usable file; raised once the caller is known


async def uploaded(request: Request) -> Upload:
    """Read the multipart `file`, or a JSON document sent as the body.

    Declared before the caller's identity, so the body is read before a
    database slot is taken (a slow upload must not hold one); FastAPI reads
    the bodies of ordinary routes at that point too. Parsing waits until the
    caller is known: an anonymous request is a 401 whatever it sends.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = request.app.state.settings.max_upload_bytes
    if kind == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=5)
        except StarletteHTTPException as malformed:  # Starlette's 400: too many parts, a broken boundary...
            return Upload(problem=file_problem(f"the multipart body cannot be read: {malformed.detail}"))
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                return Upload(problem=file_problem("send the file as the multipart field 'file'"))
            return Upload(content=await upload.read(limit + 1), filename=upload.filename)
        finally:
            await form.close()  # its temporary files; FastAPI closes only the forms it parsed itself
    if kind == "application/json" or kind.endswith("+json"):
        body = await request.body()
        if len(body) > limit:
            return Upload(content=body)  # refused as too large by read_file
        try:
            return Upload(document=json.loads(body))
        except (ValueError, RecursionError):
            return Upload(problem=file_problem("the body is not valid JSON", ()))
    return Upload(
        problem=file_problem(
            "send the file as multipart/form-data (field 'file') or an optionsmatrix JSON document as "
            "application/json",
            (),
        )
    )


@router.post(
    "/import",
    response_model=MatrixPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UNAUTHENTICATED, FILE_TOO_LARGE, BAD_FILE),
    openapi_extra=IMPORT_BODY,
)
def import_matrix(
    upload: Annotated[Upload, Depends(uploaded)],
    session: SessionDep,
    instructor: InstructorDep,
    request: Request,
) -> MatrixPublic:
    """Create a private matrix of yours from a file (CSV, XLSX or JSON), all of it or nothing.

    The title comes from the JSON document (or the workbook's title property), else from the file's name
    without its extension. Scores in the file are checked against each criterion's scale and stored as the
    matrix's own (`scores` in the response).
    """
    if upload.problem is not None:
        raise upload.problem
    if upload.content is not None:
        limit = request.app.state.settings.max_upload_bytes
        data = matrix_files.read_file(upload.content, filename=upload.filename, max_bytes=limit)
    else:
        data = matrix_files.read_document(upload.document)
    imported = matrix_files.import_matrix(session, data=data, owner_id=instructor.id)
    return MatrixPublic.model_validate(imported, from_attributes=True)
