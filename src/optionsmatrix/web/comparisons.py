"""The comparison page for a debrief: sessions, rounds or methods side by side, and its downloads.

The query is the API's (`?sessions=3,5`, `?session=3&rounds=1,2`, `method`,
`aggregation`); a form's checkboxes may send `sessions` or `rounds` once per
value instead of comma-separated, and both mean the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import Response

from optionsmatrix.analysis import METHODS
from optionsmatrix.errors import InvalidInput
from optionsmatrix.http.deps import SessionDep
from optionsmatrix.schemas.comparisons import ALL_METHODS, ComparisonQuery, parse_query
from optionsmatrix.services import comparison_files
from optionsmatrix.services.comparison_files import ComparisonFormat
from optionsmatrix.services.comparisons import Comparison, OptionRow, compare
from optionsmatrix.services.labels import display_name
from optionsmatrix.web.deps import LoggedIn
from optionsmatrix.web.forms import errors_from
from optionsmatrix.web.guard import WebActor, page_router
from optionsmatrix.web.rendering import PRIVATE, render

router = page_router()


def _joined(request: Request, name: str) -> str | None:
    """`name=3,5` or `name=3&name=5` (checkboxes) as one comma-separated value; None when not sent.

    Ticked on a list shown newest first, values come newest first; the columns read better oldest
    first, which for ids is ascending. A comma list keeps the order it was written in.
    """
    values = request.query_params.getlist(name)
    if len(values) > 1 and all(v.isascii() and v.isdigit() for v in values):
        values = sorted(values, key=int)
    return ",".join(values) if values else None


def _query(request: Request) -> ComparisonQuery:
    params = request.query_params
    return parse_query(
        sessions=_joined(request, "sessions"), session=params.get("session"), rounds=_joined(request, "rounds"),
        method=params.get("method"), aggregation=params.get("aggregation"),
    )  # fmt: skip


def query_string(query: ComparisonQuery, **extra: str) -> str:
    """The comparison's address parameters, canonical, for its links (method switch, downloads)."""
    ids = ",".join(map(str, query.session_ids))
    values = {"sessions": ids} if len(query.session_ids) > 1 else {"session": ids}
    if query.rounds:
        values["rounds"] = ",".join(map(str, query.rounds))
    if query.method:
        values["method"] = query.method
    if query.aggregation != "mean":
        values["aggregation"] = query.aggregation
    return urlencode({**values, **extra})


@dataclass(frozen=True)
class TableRow:
    option: OptionRow
    label: str
    moved_most: bool


def _table(comparison: Comparison) -> list[TableRow]:
    """The options in the first ranked column's order (ties in the matrix's), the largest movers marked."""
    ranked = next((i for i, c in enumerate(comparison.columns) if c.ranking is not None), None)
    rows = sorted(comparison.options, key=lambda o: o.ranks[ranked] or 0) if ranked is not None else comparison.options
    top = comparison.largest_spread
    return [TableRow(o, display_name(o), bool(top) and o.spread == top) for o in rows]


def _heading(comparison: Comparison) -> str:
    titles = comparison.titles
    if comparison.kind == "sessions":
        return "Comparing " + ", ".join(titles[:-1]) + " and " + titles[-1]
    if comparison.kind == "rounds":
        return f"Comparing the rounds of {titles[0]}"
    return f"Comparing the methods on {titles[0]}, round {comparison.columns[0].round}"


@router.get("/comparisons", name="comparison_page")
def comparison_page(request: Request, session: SessionDep, actor: WebActor, _: LoggedIn) -> Response:
    try:
        query = _query(request)
        comparison = compare(session, actor=actor, query=query)
    except InvalidInput as error:
        context = {"problems": errors_from(error), "heading": "Compare sessions, rounds or methods"}
        return render(request, "comparisons/page.html", context, status_code=422)
    downloads = {f: f"{request.url_for('comparison_export')}?{query_string(query, format=f)}"
                 for f in ("csv", "xlsx", "json")}  # fmt: skip
    one_session = len(query.session_ids) == 1
    context = {
        "comparison": comparison, "heading": _heading(comparison), "rows": _table(comparison),
        "query": query, "downloads": downloads, "methods": {name: spec.label for name, spec in METHODS.items()},
        "all_methods": ALL_METHODS, "one_session": one_session,
        "rounds_link": f"{request.url_for('comparison_page')}?session={query.session_ids[0]}" if one_session else None,
    }  # fmt: skip
    return render(request, "comparisons/page.html", context)


@router.get("/comparisons/export", name="comparison_export")
def comparison_export(
    request: Request, session: SessionDep, actor: WebActor, _: LoggedIn,
    format: Annotated[ComparisonFormat, Query()] = "csv",  # noqa: A002
) -> Response:  # fmt: skip
    try:
        comparison = compare(session, actor=actor, query=_query(request))
    except InvalidInput as error:
        context = {"problems": errors_from(error), "heading": "Compare sessions, rounds or methods"}
        return render(request, "comparisons/page.html", context, status_code=422)
    download = comparison_files.export_comparison(comparison, format=format)
    headers = {"Content-Disposition": download.content_disposition, **PRIVATE}
    return Response(download.content, media_type=download.media_type, headers=headers)
