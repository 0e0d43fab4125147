"""Pages' side of matrix files: the Export links on a matrix's page and the import form on the list."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from optionsmatrix.errors import OptionsMatrixError
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.services import matrix_files
from optionsmatrix.services.matrix_files import ExportFormat
from optionsmatrix.web.deps import LoggedIn, PageMatrix
from optionsmatrix.web.forms import SubmittedForm
from optionsmatrix.web.guard import WebActor, page_router
from optionsmatrix.web.pages import _list_context
from optionsmatrix.web.rendering import PRIVATE, render

router = page_router()

IMPORT_PATH = "/matrices/import"  # takes files up to the upload limit (see app.py)


@router.get("/matrices/{matrix_id}/export", name="matrix_export")
def matrix_export(
    matrix: PageMatrix,
    actor: WebActor,
    format: Annotated[ExportFormat, Query()] = "json",  # noqa: A002
) -> Response:
    download = matrix_files.export_matrix(matrix, format=format)
    headers = {"Content-Disposition": download.content_disposition}
    if actor.instructor is not None:  # a logged-in instructor's export may be a private matrix
        headers.update(PRIVATE)
    return Response(download.content, media_type=download.media_type, headers=headers)


@router.post(IMPORT_PATH, name="matrix_import")
def matrix_import(
    request: Request, session: SessionDep, instructor: LoggedIn, actor: WebActor, submitted: SubmittedForm
) -> Response:
    """A file in, a new private matrix out; a file that cannot be read is explained beside the form."""
    upload = submitted.get("file")
    limit = request.app.state.settings.max_upload_bytes
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise matrix_files.file_problem("Choose a file to import.")
        content = upload.file.read(limit + 1)
        data = matrix_files.read_file(content, filename=upload.filename, max_bytes=limit)
        imported = matrix_files.import_matrix(session, data=data, owner_id=instructor.id)
    except OptionsMatrixError as error:  # InvalidFile (422) or FileTooLarge (413)
        context = _list_context(session, actor, import_error=error.message)
        return render(request, "matrices/list.html", context, status_code=error.status_code)
    finally:
        # The spooled temporary file. (The CSRF check closes a form it parsed itself; an htmx
        # request sends its token as a header, and then only this handler sees the form.)
        if isinstance(upload, UploadFile):
            upload.file.close()
    return RedirectResponse(request.url_for("matrix_page", matrix_id=imported.id), status_code=303)
