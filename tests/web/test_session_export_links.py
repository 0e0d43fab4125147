"""Session files on the dashboard: the Export group's links, downloaded with the login cookie alone."""

import csv
import io
import re

from fastapi.testclient import TestClient

from tests.conftest import log_in


def _started(client, make_matrix):
    matrix = make_matrix()
    started = client.post(f"/matrices/{matrix['id']}/sessions", data={"weight_mode": "fixed"}, follow_redirects=False)
    assert started.status_code == 303
    return int(started.headers["location"].rsplit("/", 1)[-1])


def _browser_only(client):
    """The pages know the browser by its cookie; drop the API's bearer token so it cannot help."""
    client.headers.pop("Authorization", None)
    return client


def test_the_dashboard_has_an_export_group_with_the_four_formats(client, make_matrix):
    session_id = _started(client, make_matrix)

    page = client.get(f"/sessions/{session_id}").text

    group = page[page.index('id="export"'):]
    group = group[: group.index("</details>")]
    assert "<summary>Export</summary>" in group
    assert re.findall(r'href="([^"]+)"', group) == [
        f"http://testserver/sessions/{session_id}/export?format={f}" for f in ("xlsx", "html", "csv", "json")
    ]


def test_the_links_download_with_the_cookie_for_the_instructor_only(client, app, session, make_matrix, make_instructor):
    session_id = _started(client, make_matrix)
    _browser_only(client)

    document = client.get(f"/sessions/{session_id}/export?format=json")
    table = client.get(f"/sessions/{session_id}/export?format=csv")

    assert document.status_code == 200 and document.json()["kind"] == "session"
    assert document.headers["content-disposition"].startswith('attachment; filename="library-site.json"')
    assert document.headers["cache-control"] == "no-store"
    assert next(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))[:3] == ["round", "participant_id",
                                                                                    "participant"]  # fmt: skip
    with TestClient(app) as other:
        _browser_only(log_in(other, session, make_instructor("other@example.org")))
        assert other.get(f"/sessions/{session_id}/export?format=json").status_code == 404
    with TestClient(app) as anyone:
        refused = anyone.get(f"/sessions/{session_id}/export?format=json", follow_redirects=False)
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")


def test_an_unknown_format_is_refused_on_the_page_too(client, make_matrix):
    session_id = _started(client, make_matrix)

    assert _browser_only(client).get(f"/sessions/{session_id}/export?format=pdf").status_code == 422
