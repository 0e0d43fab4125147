"""/api/v1/comparisons — sessions of one matrix, the rounds of a session, or its methods, side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from fastapi.exceptions import RequestValidationError

from optionsmatrix.api.deps import ActorDep, InstructorDep
from optionsmatrix.api.responses import SESSION_NOT_FOUND, UNAUTHENTICATED, UNPROCESSABLE, responses
from optionsmatrix.api.routing import api_router
from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.schemas.comparisons import ALL_METHODS, MAX_COLUMNS, Comparison, parse_query
from optionsmatrix.services import comparison_files
from optionsmatrix.services.comparison_files import ComparisonFormat
from optionsmatrix.services.comparisons import compare

router = api_router(prefix="/comparisons", tags=["comparisons"])

_SESSIONS = Query(
    description=f"Two to {MAX_COLUMNS} session ids of the same matrix, comma-separated (3,5); not with `session`",
    examples=["3,5"],
)
_SESSION = Query(
    alias="session", description="One session: compare its rounds, or its methods with method=all", examples=["3"]
)
_ROUNDS = Query(
    description="With `session`: the round numbers to compare (1,2); default every round (the last "
    f"{MAX_COLUMNS}). With method=all: the one round to rank (default: the latest with ballots)",
    examples=["1,2"],
)
_METHOD = Query(
    description=f"A ranking method for every column (default: each session's own), or `{ALL_METHODS}` with "
    "`session`: one column per method"
)
_AGGREGATION = Query(description="How participants' scores are combined: mean, median or geometric")
NOT_FOUND = {404: {**SESSION_NOT_FOUND[404], "description": "A session named is unknown or not one you run"}}
ANSWERS: dict[int | str, dict[str, Any]] = responses(UNAUTHENTICATED, NOT_FOUND, UNPROCESSABLE)


def _query_problem(error: InvalidInput) -> RequestValidationError:
    """The service names query parameters; in the API's answer they sit under "query"."""
    return RequestValidationError([{"loc": ("query", *e.loc), "msg": e.msg, "type": e.type} for e in error.errors])


def _compare(session, actor, sessions, session_id, rounds, method, aggregation):  # noqa: ANN001, ANN202, PLR0913
    try:
        query = parse_query(sessions=sessions, session=session_id, rounds=rounds, method=method,
                            aggregation=aggregation)  # fmt: skip
        return compare(session, actor=actor, query=query)
    except InvalidInput as error:
        raise _query_problem(error) from None


@router.get("", response_model=Comparison, responses=ANSWERS, summary="Compare sessions, rounds or methods")
def comparison(
    _: InstructorDep,
    actor: ActorDep,
    session: SessionDep,
    sessions: Annotated[str | None, _SESSIONS] = None,
    session_id: Annotated[str | None, _SESSION] = None,
    rounds: Annotated[str | None, _ROUNDS] = None,
    method: Annotated[str | None, _METHOD] = None,
    aggregation: Annotated[str | None, _AGGREGATION] = None,
) -> Comparison:
    """Rankings side by side, Kendall's τ-b for each pair, and the options whose place differs most first.

    Sessions are matched option by option through the matrix they were started from; options that not every
    session has are listed in `only_in_some`. A column with nothing to rank yet (no ballots, incomplete scores)
    is kept and marked `empty`, with the reason. Only the sessions' own instructor (or an admin) may compare
    them; any other session id is a 404, as if it did not exist.
    """
    found = _compare(session, actor, sessions, session_id, rounds, method, aggregation)
    return comparison_files.comparison_public(found)


EXPORT_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The comparison as an attachment: JSON (the same document as GET /comparisons, with "
        "`format` and `version`), CSV (UTF-8 with a byte order mark; sections separated by a blank line: the "
        "options with each column's rank and score, the options only some sessions have, τ-b for each pair) or "
        "XLSX (one sheet per section)",
        "headers": {
            "Content-Disposition": {
                "description": "`attachment; filename=\"<slug>.<ext>\"; filename*=UTF-8''<title>.<ext>`",
                "schema": {"type": "string"},
            }
        },
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Comparison"}},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "option,Seminar A: rank,Seminar A: score,Seminar B: rank,Seminar B: score,largest "
                "difference in rank\r\nRiverside,1,0.71,3,0.52,2\r\n...\r\n\r\nfirst,second,kendall_tau_b,"
                "in words\r\nSeminar A,Seminar B,-0.333333,The two rankings disagree somewhat (τ-b −0.33).\r\n",
            },
            comparison_files.CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **ANSWERS,
}


@router.get("/export", response_class=Response, responses=EXPORT_ANSWERS, summary="Download a comparison")
def export_comparison(
    _: InstructorDep,
    actor: ActorDep,
    session: SessionDep,
    sessions: Annotated[str | None, _SESSIONS] = None,
    session_id: Annotated[str | None, _SESSION] = None,
    rounds: Annotated[str | None, _ROUNDS] = None,
    method: Annotated[str | None, _METHOD] = None,
    aggregation: Annotated[str | None, _AGGREGATION] = None,
    format: Annotated[ComparisonFormat, Query(description="csv, json or xlsx")] = "csv",  # noqa: A002
) -> Response:
    """The comparison asked for as GET /comparisons takes it, as a file to keep."""
    found = _compare(session, actor, sessions, session_id, rounds, method, aggregation)
    download = comparison_files.export_comparison(found, format=format)
    headers = {"Content-Disposition": download.content_disposition, "Cache-Control": "no-store"}
    return Response(download.content, media_type=download.media_type, headers=headers)
