"""`url_for` for templates, from a table of route names built once instead of a walk of the router.

Starlette's `request.url_for` asks every route in turn, and each one that
does not match raises `NoMatchFound`: 90–300 µs a call here, nine calls a
page, a third of the CPU of `GET /`. The routes never change once the app is
built, so the first call lists every named route's path template and
convertors (in the router's order, as Starlette would try them) and every
call after that formats one template. The answer is the same `URL` Starlette
gives (tests/web/test_urls.py compares them for every named route), and an
unknown name or a wrong set of parameters raises the same `NoMatchFound`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.routing import iter_route_contexts
from jinja2 import pass_context
from starlette.datastructures import URL, URLPath
from starlette.requests import Request
from starlette.routing import Mount, NoMatchFound, replace_params

# Addresses remembered per app (a few per matrix and session); past this the table starts again. The
# base URL comes from the client's Host header: a long one is not remembered, so at most about 2 MB is.
MAX_REMEMBERED = 4_096
MAX_REMEMBERED_BASE = 100


@dataclass(frozen=True)
class _Template:
    params: frozenset[str]
    path_format: str
    convertors: dict[str, Any]
    protocol: str  # "http" for a route, "" for a mount, as Starlette's URLPath has them
    mount: bool


class UrlTable:
    """Every named route of an app: name → its path templates, in the router's order."""

    def __init__(self, routes: list[Any]) -> None:
        self._by_name: dict[str, list[_Template]] = {}
        self._absolute: dict[tuple[Any, ...], URL] = {}
        for context in iter_route_contexts(routes):
            name, path_format = context.name, context.path_format
            if not name or path_format is None:
                continue
            mount = isinstance(context.original_route, Mount)
            convertors = dict(context.param_convertors)
            template = _Template(frozenset(convertors), path_format, convertors, "" if mount else "http", mount)
            self._by_name.setdefault(name, []).append(template)

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    def templates(self, name: str) -> list[_Template]:
        return list(self._by_name.get(name, ()))

    def absolute(self, base_url: URL, name: str, /, **path_params: Any) -> URL:  # noqa: ANN401
        """`path_for` made absolute, remembered: a page asks for the same dozen addresses every time."""
        base = str(base_url)
        if len(base) > MAX_REMEMBERED_BASE:  # a Host header no browser sends: answer, remember nothing
            return self.path_for(name, **path_params).make_absolute_url(base_url=base_url)
        try:
            # With each value's type: 1, 1.0 and True are equal keys but may not format alike.
            key = (base, name, *sorted((k, type(v), v) for k, v in path_params.items()))
            return self._absolute[key]
        except TypeError:  # a parameter that cannot be a key: answer without remembering
            return self.path_for(name, **path_params).make_absolute_url(base_url=base_url)
        except KeyError:
            pass
        if len(self._absolute) >= MAX_REMEMBERED:  # the Host header is the client's: keep the table bounded
            self._absolute.clear()
        url = self._absolute[key] = self.path_for(name, **path_params).make_absolute_url(base_url=base_url)
        return url

    def path_for(self, name: str, /, **path_params: Any) -> URLPath:  # noqa: ANN401
        for template in self._by_name.get(name, ()):
            params = dict(path_params)
            if template.mount:  # Starlette's Mount: any "path" parameter, without its leading slash
                if "path" not in params:
                    continue
                params["path"] = params["path"].lstrip("/")
            elif params.keys() != template.params:
                continue
            path, remaining = replace_params(template.path_format, template.convertors, params)
            if not remaining:
                return URLPath(path=path, protocol=template.protocol)
        raise NoMatchFound(name, path_params)


def url_table(request: Request) -> UrlTable:
    """The app's table, built on first use (from any thread: building it twice is harmless)."""
    state = request.app.state
    table = getattr(state, "url_table", None)
    if table is None:
        table = state.url_table = UrlTable(request.app.routes)
    return table


def url_for(request: Request, name: str, /, **path_params: Any) -> URL:  # noqa: ANN401
    """What `request.url_for(name, **path_params)` answers, without walking the router."""
    return url_table(request).absolute(request.base_url, name, **path_params)


@pass_context
def template_url_for(context: Any, name: str, /, **path_params: Any) -> URL:  # noqa: ANN401
    return url_for(context["request"], name, **path_params)
