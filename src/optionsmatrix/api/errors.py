"""How the API answers errors: JSON in FastAPI's shape, field paths under "body"."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from optionsmatrix.analysis import AnalysisError
from optionsmatrix.errors import InvalidInput, OptionsMatrixError
from optionsmatrix.http.errors import ErrorSurface, retry_headers
from optionsmatrix.services.access import NotAuthenticated

API_PREFIX = "/api/v1"
UNPARSEABLE_BODY = "There was an error parsing the body"


def is_api_request(request: Request) -> bool:
    return request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/")


def validation_details(error: RequestValidationError) -> list[dict[str, object]]:
    """FastAPI's usual detail list, without echoing the input back.

    The default handler repeats each bad value, and a NaN or infinity there
    cannot be encoded as JSON — the request would end in a 500.
    """
    return [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]


def _domain(_request: Request, error: OptionsMatrixError) -> Response:
    if isinstance(error, NotAuthenticated):
        return JSONResponse({"detail": error.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    if isinstance(error, InvalidInput):
        # Services name fields as the domain does; in a request they sit in the body.
        detail: object = [{"loc": ["body", *e.loc], "msg": e.msg, "type": e.type} for e in error.errors]
    else:
        detail = error.message
    return JSONResponse({"detail": detail}, status_code=error.status_code, headers=retry_headers(error))


def _analysis(_request: Request, error: AnalysisError) -> Response:
    detail = {"loc": ["body", *error.loc], "msg": error.message, "type": "value_error", "code": error.code}
    return JSONResponse({"detail": [detail]}, status_code=422)


def _invalid_request(_request: Request, error: RequestValidationError) -> Response:
    return JSONResponse({"detail": validation_details(error)}, status_code=422)


def _http(_request: Request, error: StarletteHTTPException) -> Response:
    if error.status_code == 400 and error.detail == UNPARSEABLE_BODY:
        # FastAPI answers 400 when JSON parses but Python cannot hold it (a
        # 5,000-digit number, very deep nesting); like any malformed body,
        # that is a 422 in the usual shape.
        detail = [{"loc": ["body"], "msg": "the JSON body could not be read as values", "type": "json_invalid"}]
        return JSONResponse({"detail": detail}, status_code=422)
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)


def _unexpected(_request: Request, headers: dict[str, str]) -> Response:
    return JSONResponse({"detail": "internal error"}, status_code=500, headers=headers)


def _too_large(_request: Request, message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=413)


API_ERRORS = ErrorSurface(
    claims=is_api_request,
    domain=_domain,
    analysis=_analysis,
    invalid_request=_invalid_request,
    http=_http,
    unexpected=_unexpected,
    too_large=_too_large,
)
