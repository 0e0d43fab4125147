"""The matrix page's new data: short names and scale meanings in the editor, stale saves, and Sharing."""

import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import log_in

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
STALE = "Someone else changed this matrix; reload to see their change."


def test_the_criterion_form_edits_short_name_and_scale_meanings(client, make_matrix):
    matrix = make_matrix()
    criterion = matrix["criteria"][0]

    response = client.post(
        f"/matrices/{matrix['id']}/criteria/{criterion['id']}",
        data={"name": "Cost of the building works", "short_name": "Cost", "direction": "cost", "weight": "2",
              "scale_min": "1", "scale_max": "5", "scale_low_label": "cheap", "scale_high_label": "dear",
              "version": str(matrix["version"])},
        headers=HTMX,
    )  # fmt: skip

    assert response.status_code == 200
    saved = client.get(f"/api/v1/matrices/{matrix['id']}").json()["criteria"][0]
    assert (saved["short_name"], saved["scale_low_label"], saved["scale_high_label"]) == ("Cost", "cheap", "dear")
    assert "1 = cheap, 5 = dear" in response.text
    assert "Short name:</span> Cost" in response.text
    form = client.get(f"/matrices/{matrix['id']}/criteria/{criterion['id']}/edit", headers=HTMX).text
    for field in ("short_name", "scale_low_label", "scale_high_label"):
        assert f'name="{field}"' in form
    assert f'name="version" value="{matrix["version"] + 1}"' in form


def test_the_option_form_edits_the_short_name(client, make_matrix):
    matrix = make_matrix()
    option = matrix["options"][0]

    response = client.post(
        f"/matrices/{matrix['id']}/options/{option['id']}",
        data={"name": option["name"], "short_name": "River", "escalation_level": "1"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"][0]["short_name"] == "River"
    assert f'title="{option["name"]}">River</a>' in response.text  # the ladder: short name, full name as tooltip


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_save_against_an_older_version_is_refused_and_keeps_what_was_typed(client, make_matrix, htmx):
    matrix = make_matrix()
    option = matrix["options"][0]
    client.patch(f"/api/v1/matrices/{matrix['id']}", json={"description": "someone else's change"})

    response = client.post(
        f"/matrices/{matrix['id']}/options/{option['id']}",
        data={"name": "My careful rewording", "escalation_level": "1", "version": str(matrix["version"])},
        headers=HTMX if htmx else {},
    )

    assert response.status_code == 409
    assert STALE in response.text
    assert 'value="My careful rewording"' in response.text  # nothing lost
    assert f'name="version" value="{matrix["version"]}"' in response.text  # saving again needs a reload
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"][0]["name"] == option["name"]


def test_a_stale_move_or_removal_says_so_and_changes_nothing(client, make_matrix):
    matrix = make_matrix()
    option = matrix["options"][1]
    client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "Renamed elsewhere"})

    moved = client.post(
        f"/matrices/{matrix['id']}/options/{option['id']}/move", data={"direction": "up", "version": "1"}, headers=HTMX
    )
    removed = client.post(
        f"/matrices/{matrix['id']}/options/{option['id']}/delete", data={"version": "1"}, headers=HTMX
    )

    for response in (moved, removed):
        assert response.status_code == 409 and STALE in response.text
        assert response.headers["HX-Retarget"] == "#page-alert"
    assert [o["id"] for o in client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]] == [
        o["id"] for o in matrix["options"]
    ]


def test_a_refused_move_or_removal_without_htmx_answers_a_page_not_a_server_error(client, make_matrix):
    """A form sent with JavaScript off (or from a second tab) is refused inside the write, which rolls
    the request back; the error page drawn afterwards still shows who is logged in."""
    matrix = make_matrix()
    option = matrix["options"][1]
    client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "Renamed elsewhere"})
    base = f"/matrices/{matrix['id']}"

    moved = client.post(f"{base}/options/{option['id']}/move", data={"direction": "down", "version": "1"})
    removed = client.post(f"{base}/criteria/{matrix['criteria'][0]['id']}/delete", data={"version": "1"})
    missing = client.post(f"{base}/options/999999/delete", data={"version": "2"})

    for response, status in ((moved, 409), (removed, 409), (missing, 404)):
        assert response.status_code == status, response.text[:200]
        assert "<!doctype html>" in response.text.lower()[:200]
        assert "Log out" in response.text  # the header still knows who is at the browser
    assert STALE in moved.text and STALE in removed.text
    after = client.get(f"/api/v1/matrices/{matrix['id']}").json()
    assert [o["id"] for o in after["options"]] == [o["id"] for o in matrix["options"]]
    assert len(after["criteria"]) == len(matrix["criteria"])


def test_an_edit_names_the_step_it_took_the_version_by_and_a_refused_form_keeps_its_own(client, make_matrix):
    matrix = make_matrix()
    base = f"/matrices/{matrix['id']}"
    first = [o["id"] for o in matrix["options"]][0]

    added = client.post(f"{base}/options", data={"name": "Harbour", "escalation_level": "1", "version": "1"},
                        headers=HTMX)  # fmt: skip
    public = client.post(f"{base}/sharing/visibility", data={"visibility": "public", "version": "2"}, headers=HTMX)
    link = client.post(f"{base}/sharing/link", headers=HTMX)
    unmoved = client.post(f"{base}/options/{first}/move", data={"direction": "up", "version": "3"}, headers=HTMX)
    unversioned = client.post(f"{base}/options/{first}/move", data={"direction": "down"}, headers=HTMX)
    stale = client.post(f"{base}/criteria", data={"name": "Noise", "version": "1"}, headers=HTMX)

    assert added.status_code == 200 and public.status_code == 200, (added.text[:300], public.text[:300])
    assert list(json.loads(added.headers["HX-Trigger"])) == ["matrix-version", "matrix-changed"]  # in that order
    assert json.loads(added.headers["HX-Trigger"])["matrix-version"] == {"from": 1, "to": 2}
    assert json.loads(public.headers["HX-Trigger"]) == {"matrix-version": {"from": 2, "to": 3}}
    assert link.status_code == 200 and "HX-Trigger" not in link.headers  # a link counts no version
    assert json.loads(unmoved.headers["HX-Trigger"]) == {"matrix-changed": {}}  # the first cannot go up
    assert json.loads(unversioned.headers["HX-Trigger"]) == {"matrix-changed": {}}  # no version sent, none named
    assert 'name="version" value="2" data-matrix-version' in added.text  # follows later steps
    assert stale.status_code == 409 and "HX-Trigger" not in stale.headers
    kept = re.search(r'<input type="hidden" name="version" value="1"[^>]*>', stale.text).group(0)
    assert "data-matrix-version" not in kept  # waits for a reload that shows the other change


def test_every_edit_form_on_the_page_carries_the_version(client, make_matrix):
    matrix = make_matrix()
    page = client.get(f"/matrices/{matrix['id']}").text

    edit_actions = r"<form[^>]*action=\"[^\"]*/(?:options|criteria|sharing/visibility)[^\"]*\".*?</form>"
    forms = re.findall(edit_actions, page, re.S)

    assert forms and all('name="version" value="1"' in form for form in forms)


def test_a_damaged_version_field_is_a_clear_4xx(client, make_matrix):
    matrix = make_matrix()

    response = client.post(f"/matrices/{matrix['id']}", data={"title": "T", "version": "abc"}, headers=HTMX)

    assert response.status_code == 422
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["title"] == "Library site"


# Sharing ------------------------------------------------------------------------------------


def test_the_owner_sees_a_sharing_section_and_others_do_not(client, app, session, make_matrix, make_instructor):
    matrix = make_matrix()
    client.patch(f"/api/v1/matrices/{matrix['id']}", json={"is_public": True})

    assert 'id="sharing"' in client.get(f"/matrices/{matrix['id']}").text
    with TestClient(app) as other:
        log_in(other, session, make_instructor("other@example.org"))
        assert 'id="sharing"' not in other.get(f"/matrices/{matrix['id']}").text


def test_the_owner_makes_the_matrix_public_and_private_from_the_page(client, anonymous, make_matrix):
    matrix = make_matrix()

    response = client.post(
        f"/matrices/{matrix['id']}/sharing/visibility", data={"visibility": "public", "version": "1"}, headers=HTMX
    )

    assert response.status_code == 200 and '<section id="sharing"' in response.text
    assert "Make it private" in response.text
    assert anonymous.get(f"/matrices/{matrix['id']}").status_code == 200
    client.post(f"/matrices/{matrix['id']}/sharing/visibility", data={"visibility": "private"})
    assert anonymous.get(f"/matrices/{matrix['id']}").status_code == 404


def test_the_owner_makes_replaces_and_revokes_a_link_from_the_page(client, anonymous, make_matrix):
    matrix = make_matrix()

    made = client.post(f"/matrices/{matrix['id']}/sharing/link", headers=HTMX)

    url = re.search(r'id="share-url" class="secret share-url" type="text" readonly value="([^"]+)"', made.text).group(1)
    path = url.split("testserver", 1)[1]
    assert anonymous.get(path).status_code == 200
    replaced = client.post(f"/matrices/{matrix['id']}/sharing/link", follow_redirects=False)
    assert replaced.status_code == 303 and replaced.headers["location"].endswith("#sharing")
    assert anonymous.get(path).status_code == 404
    new_path = client.get(f"/api/v1/matrices/{matrix['id']}/share-link").json()["url"].split("testserver", 1)[1]
    revoked = client.post(f"/matrices/{matrix['id']}/sharing/link/delete", headers=HTMX)
    assert revoked.status_code == 200 and "Make a read-only link" in revoked.text
    assert anonymous.get(new_path).status_code == 404


def test_sharing_forms_need_the_csrf_token(client, make_matrix):
    from optionsmatrix.web.guard import CSRF_HEADER

    matrix = make_matrix()
    del client.headers[CSRF_HEADER]

    for action in ("sharing/link", "sharing/visibility"):
        response = client.post(f"/matrices/{matrix['id']}/{action}", data={"visibility": "public"})
        assert response.status_code == 403, action
    assert client.get(f"/api/v1/matrices/{matrix['id']}/share-link").status_code == 404
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["is_public"] is False
