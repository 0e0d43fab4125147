"""/api/v1/sessions/{id}/export and /api/v1/sessions/import: a whole session as a file, and back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response, status

from optionsmatrix.api.deps import InstructorDep
from optionsmatrix.api.errors import API_PREFIX
from optionsmatrix.api.files import BAD_FILE, FILE_TOO_LARGE, MULTIPART_FILE, Upload, uploaded
from optionsmatrix.api.responses import (
    NOT_THE_INSTRUCTOR,
    SESSION_NOT_FOUND,
    UNAUTHENTICATED,
    UNPROCESSABLE,
    responses,
)
from optionsmatrix.api.routing import api_router
from optionsmatrix.api.session_deps import RunSession
from optionsmatrix.api.session_shapes import session_public
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.schemas.sessions import SessionPublic
from optionsmatrix.services import session_files
from optionsmatrix.services.session_documents import CSV_COLUMNS, SessionDocument
from optionsmatrix.services.session_files import SESSION_CONTENT_TYPES, SessionExportFormat

router = api_router(prefix="/sessions", tags=["files"])

IMPORT_PATH = f"{API_PREFIX}/sessions/import"  # takes files up to the upload limit, like the matrix import

_EXAMPLE = SessionDocument.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment named after the session's title",
        "model": SessionDocument,
        "headers": {
            "Content-Disposition": {
                "description": "`attachment; filename=\"<slug>.<ext>\"; filename*=UTF-8''<title>.<ext>`",
                "schema": {"type": "string"},
            }
        },
        "content": {
            "application/json": {"example": _EXAMPLE},
            "text/csv": {
                "schema": {"type": "string"},
                "example": ",".join(CSV_COLUMNS) + "\r\n1,1,Ann,Riverside,Cost,4,2,Cheapest first,"
                "2026-11-30T09:05:00+00:00\r\n",
            },
            SESSION_CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    **responses(UNAUTHENTICATED, SESSION_NOT_FOUND, NOT_THE_INSTRUCTOR, UNPROCESSABLE),
}
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A session document as exported with `format=json`: as a file (multipart field `file`, "
        "at most 5 MiB), or as the body itself.",
        "content": {
            **MULTIPART_FILE,
            "application/json": {"schema": {"$ref": "#/components/schemas/SessionDocument"}, "example": _EXAMPLE},
        },
    }
}
BAD_SESSION_FILE = {
    422: {
        **BAD_FILE[422],
        "description": "The file is not a session document, or a part of it breaks a rule: a score outside its "
        "scale, a ballot whose shape does not match the snapshot, a reference to an unknown participant or round, "
        "a version repeated. Each message names the JSON path; nothing is created.",
        "content": {
            "application/json": {
                "example": {
                    "detail": [
                        {"loc": ["body", "ballots", 3, "scores", 1, 0],
                         "msg": "ballots[3].scores[1][0]: 7 is outside the scale of 'Cost', 1 to 5",
                         "type": "value_error"}
                    ]
                }
            }
        },
    }
}  # fmt: skip


@router.get(
    "/{session_id:digits}/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    summary="Download a session you run: JSON, CSV, XLSX or a print-ready report",
)
def export_session(
    snapshot: RunSession,
    session: SessionDep,
    format: Annotated[  # noqa: A002
        SessionExportFormat, Query(description="json (complete), csv (tidy long form), xlsx, or html (to print)")
    ] = "json",
) -> Response:
    """The session's instructor only (and admins): the file holds every participant's ballots.

    `json` is the complete document: settings, the snapshot (also as a matrix, so it imports as one), rounds,
    participants' display names under ids of the document's own, and every ballot revision; it imports back
    with `POST /api/v1/sessions/import`. `csv` has one row per round, participant, option and criterion of
    each participant's latest ballot in that round, with the columns `round, participant_id, participant,
    option, criterion, score, weight, rationale, submitted_at` (`participant_id` as in the JSON document).
    """
    download = session_files.export_session(session, snapshot.seminar, format=format)
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": download.content_disposition, "Cache-Control": "no-store"},
    )


@router.post(
    "/import",
    response_model=SessionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UNAUTHENTICATED, FILE_TOO_LARGE, BAD_SESSION_FILE),
    openapi_extra=IMPORT_BODY,
    summary="Recreate a session from its JSON document (closed, yours, with a new private matrix)",
)
def import_session(
    upload: Annotated[Upload, Depends(uploaded)],
    session: SessionDep,
    instructor: InstructorDep,
    request: Request,
) -> SessionPublic:
    """All of it or nothing: a new private matrix made from the snapshot, and the session, closed, with its rounds,
    participants (who cannot log in to it) and every ballot revision, so its results are those of the original.
    """
    if upload.problem is not None:
        raise upload.problem
    if upload.content is not None:
        limit = request.app.state.settings.max_upload_bytes
        document = session_files.read_session_file(upload.content, max_bytes=limit)
    else:
        document = session_files.read_session_body(upload.document)
    snapshot = session_files.import_session(
        session, document=document, owner_id=instructor.id,  # type: ignore[arg-type]
        max_participants=request.app.state.settings.max_participants,
    )  # fmt: skip
    return session_public(request, session, snapshot)
