"""The templates' url_for looks names up in a table; it must answer exactly what Starlette's router walk answers."""

import pytest
from starlette.convertors import FloatConvertor, IntegerConvertor, PathConvertor
from starlette.requests import Request
from starlette.routing import NoMatchFound

from optionsmatrix.app import create_app
from optionsmatrix.web.urls import UrlTable, url_for


def _request(app, *, scheme="http", host=b"seminar.example.org:8443", root_path=""):
    scope = {
        "type": "http", "method": "GET", "path": "/", "query_string": b"", "scheme": scheme,
        "headers": [(b"host", host)], "server": ("seminar.example.org", 8443), "root_path": root_path,
        "app": app, "router": app.router,
    }  # fmt: skip
    return Request(scope)


def _sample(convertor):
    if isinstance(convertor, IntegerConvertor):
        return 42
    if isinstance(convertor, FloatConvertor):
        return 1.5
    if isinstance(convertor, PathConvertor):
        return "/css/site.css"
    return "1234"  # string-like convertors, the digits-only one included


@pytest.fixture(scope="module")
def bare_routes_app(tmp_path_factory):
    from optionsmatrix.settings import Settings

    folder = tmp_path_factory.mktemp("urls")
    return create_app(Settings(database_url=f"sqlite:///{folder / 'urls.db'}", migrate_on_start=False))


def test_every_named_route_gives_starlettes_url(bare_routes_app):
    app = bare_routes_app
    table = UrlTable(app.routes)
    assert len(table.names) > 50  # the whole app, pages, API and the static mount
    assert "static" in table.names and "matrix_page" in table.names
    for request in (_request(app), _request(app, scheme="https", root_path="/om")):
        for name in table.names:
            for template in table.templates(name):
                params = {key: _sample(convertor) for key, convertor in template.convertors.items()}
                expected = request.url_for(name, **params)
                assert url_for(request, name, **params) == expected, name
                assert str(url_for(request, name, **params)) == str(expected), name


def test_unknown_names_and_wrong_parameters_raise_as_starlette_does(bare_routes_app):
    request = _request(bare_routes_app)
    for name, params in (("no_such_page", {}), ("matrix_page", {}), ("matrix_page", {"matrix_id": 1, "extra": 2})):
        with pytest.raises(NoMatchFound):
            request.url_for(name, **params)
        with pytest.raises(NoMatchFound):
            url_for(request, name, **params)


def test_pages_render_their_links_through_the_table(client, case_study_id):
    page = client.get(f"/matrices/{case_study_id}")

    assert page.status_code == 200
    assert f'action="http://testserver/matrices/{case_study_id}/score#scoring"' in page.text
    assert 'href="http://testserver/static/' in page.text


def test_templates_use_the_table():
    from optionsmatrix.web.rendering import templates
    from optionsmatrix.web.urls import template_url_for

    assert templates.env.globals["url_for"] is template_url_for


def test_remembered_addresses_follow_the_host_and_stay_bounded(bare_routes_app, monkeypatch):
    import optionsmatrix.web.urls as urls

    monkeypatch.setattr(urls, "MAX_REMEMBERED", 8)
    table = UrlTable(bare_routes_app.routes)
    hosts = [f"host{i}.example.org".encode() for i in range(30)]
    for host in hosts:  # a client may send any Host header: each answer is its own, the table never grows past 8
        request = _request(bare_routes_app, host=host)
        for matrix_id in (1, 1.0, True, "1"):
            expected = request.url_for("matrix_page", matrix_id=matrix_id)
            assert table.absolute(request.base_url, "matrix_page", matrix_id=matrix_id) == expected
        assert len(table._absolute) <= 8
