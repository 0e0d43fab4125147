"""The HTML pages: what they show, and in-place editing through form posts (plain and htmx)."""

import re

import pytest

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _listed_names(html):
    """The options' list, in list order (position)."""
    start = html.index('id="options"')
    section = html[start:html.index('id="criteria"')] if 'id="criteria"' in html else html[start:]
    return re.findall(r'<h3 class="option-name">(.*?)</h3>', section)


def _ladder_steps(html):
    """The ladder view: (level, [labels]) from the top step down."""
    figure = html[html.index('class="escalation-ladder"'):html.index("</figure>")]
    steps = re.findall(r'<li class="ladder-step [^"]*" data-level="(\d+)">(.*?)</ul>', figure, flags=re.S)
    return [(int(level), re.findall(r'class="option-label"[^>]*>(.*?)</a>', body)) for level, body in steps]


def test_list_page_shows_each_matrix_with_a_copy_button(client, make_matrix):
    make_matrix(title="Library site")

    page = client.get("/")

    assert page.status_code == 200
    assert "Library site" in page.text
    assert "3 options · 2 criteria" in page.text
    assert "Copy" in page.text


def test_the_ladder_view_groups_by_level_and_the_list_keeps_position(client, make_matrix):
    matrix = make_matrix(
        options=[
            {"name": "Top", "escalation_level": 3},
            {"name": "Bottom", "escalation_level": 1, "short_name": "Btm"},
            {"name": "Middle A", "escalation_level": 2},
            {"name": "Middle B", "escalation_level": 2},
        ]
    )

    page = client.get(f"/matrices/{matrix['id']}")

    assert _ladder_steps(page.text) == [(3, ["Top"]), (2, ["Middle A", "Middle B"]), (1, ["Btm"])]
    assert 'title="Bottom">Btm</a>' in page.text  # the full name in a tooltip
    assert _listed_names(page.text) == ["Top", "Bottom", "Middle A", "Middle B"]
    # The level is written, not only coloured.
    assert '<span class="level-badge level-3"><span class="level-word">Level</span> 3</span>' in page.text


def test_matrix_page_shows_evidence_as_quotations(client, case_study_id):
    page = client.get(f"/matrices/{case_study_id}")

    assert page.text.count('<div class="evidence">') == 5 + 8
    assert page.text.count("<p>“") == 5 + 1 + 8 + 1  # two items quote twice
    assert "there are high risks of undesirable response from the Mexican government and drug cartels" in page.text
    assert "Cost — lower is better" in page.text


def test_user_text_is_escaped(client, make_matrix):
    matrix = make_matrix(title="<script>alert(1)</script>", options=[{"name": "<b>bold</b>"}])

    page = client.get(f"/matrices/{matrix['id']}")

    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page.text


def test_renaming_a_criterion_with_htmx_returns_the_criteria_section(client, make_matrix):
    matrix = make_matrix()
    criterion = matrix["criteria"][0]

    response = client.post(
        f"/matrices/{matrix['id']}/criteria/{criterion['id']}",
        data={"name": "Price", "direction": "cost", "weight": "2", "scale_min": "1", "scale_max": "5"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert '<section id="criteria"' in response.text and "<html" not in response.text
    assert "Price" in response.text
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["criteria"][0]["name"] == "Price"


def test_a_plain_form_post_redirects_back_to_the_section(client, make_matrix):
    matrix = make_matrix()

    response = client.post(
        f"/matrices/{matrix['id']}/options", data={"name": "Harbour", "escalation_level": "1"}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/matrices/{matrix['id']}#options")
    assert "Harbour" in client.get(f"/matrices/{matrix['id']}").text


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"scale_min": "5", "scale_max": "1"}, "scale_max", "must be less than"),
        ({"weight": "-1"}, "weight", "Enter 0 or more."),
        ({"weight": "abc"}, "weight", "Enter a number."),
        ({"weight": "nan"}, "weight", "Enter a finite number."),
        ({"name": "   "}, "name", "Must not be empty"),
        ({"name": "Access"}, "name", "already has a criterion named"),
        ({"direction": "sideways"}, "direction", "benefit"),
        ({"short_name": "x" * 41}, "short_name", "at most 40 characters"),
        ({"short_name": "access"}, "short_name", "is already the name of a criterion"),
        ({"scale_low_label": "a\u200bb"}, "scale_low_label", "Remove the invisible character"),
    ],
)
def test_an_invalid_criterion_edit_shows_an_inline_message_and_changes_nothing(
    client, make_matrix, htmx, form, field, message
):
    matrix = make_matrix()
    criterion = matrix["criteria"][0]
    data = {"name": "Cost", "direction": "cost", "weight": "2", "scale_min": "1", "scale_max": "5", **form}

    response = client.post(
        f"/matrices/{matrix['id']}/criteria/{criterion['id']}", data=data, headers=HTMX if htmx else {}
    )

    assert response.status_code == 422
    assert f'id="criterion-{criterion["id"]}-{field}-error"' in response.text
    assert message in response.text
    assert ('<html' in response.text) is not htmx
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == matrix


def test_an_invalid_new_option_keeps_the_add_form_open_with_the_values(client, make_matrix):
    matrix = make_matrix()

    response = client.post(
        f"/matrices/{matrix['id']}/options", data={"name": "Harbour", "escalation_level": "0"}, headers=HTMX
    )

    assert response.status_code == 422
    assert '<details class="add-item" open>' in response.text
    assert 'value="Harbour"' in response.text
    assert 'id="new-option-escalation_level-error"' in response.text


def test_edit_link_works_without_javascript(client, make_matrix):
    matrix = make_matrix()
    option = matrix["options"][1]

    page = client.get(f"/matrices/{matrix['id']}/options/{option['id']}/edit")

    assert page.status_code == 200 and "<html" in page.text
    assert f'id="option-{option["id"]}-name"' in page.text


def test_moving_an_option_swaps_it_with_its_neighbour_in_the_list(client, make_matrix):
    matrix = make_matrix()
    first, second, third = matrix["options"]

    client.post(f"/matrices/{matrix['id']}/options/{second['id']}/move", data={"direction": "up"}, headers=HTMX)

    names = [o["name"] for o in client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]]
    assert names == [second["name"], first["name"], third["name"]]


def test_an_option_moves_above_one_of_a_lower_level_and_keeps_its_level(client, make_matrix):
    matrix = make_matrix(options=[{"name": "Low", "escalation_level": 1}, {"name": "High", "escalation_level": 4}])
    low, high = matrix["options"]
    before = client.get(f"/matrices/{matrix['id']}").text
    assert f'id="option-{high["id"]}-move-up"' in before  # offered across levels

    response = client.post(
        f"/matrices/{matrix['id']}/options/{high['id']}/move", data={"direction": "up"}, headers=HTMX
    )

    assert response.status_code == 200
    options = client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]
    assert [(o["name"], o["escalation_level"], o["position"]) for o in options] == [("High", 4, 0), ("Low", 1, 1)]
    assert _listed_names(response.text) == ["High", "Low"]
    assert _ladder_steps(response.text) == [(4, ["High"]), (1, ["Low"])]


def test_moving_past_the_end_changes_nothing(client, make_matrix):
    matrix = make_matrix()
    first = matrix["options"][0]

    client.post(f"/matrices/{matrix['id']}/options/{first['id']}/move", data={"direction": "up"}, headers=HTMX)

    after = client.get(f"/api/v1/matrices/{matrix['id']}").json()
    assert [o["id"] for o in after["options"]] == [o["id"] for o in matrix["options"]]
    assert after["version"] == matrix["version"]


def test_removing_a_criterion_from_the_page(client, make_matrix):
    matrix = make_matrix()

    response = client.post(f"/matrices/{matrix['id']}/criteria/{matrix['criteria'][0]['id']}/delete", headers=HTMX)

    assert response.status_code == 200
    assert [c["name"] for c in client.get(f"/api/v1/matrices/{matrix['id']}").json()["criteria"]] == ["Access"]


def test_all_zero_weights_are_flagged(client, make_matrix):
    matrix = make_matrix(criteria=[{"name": "A", "weight": 0}])

    assert "All weights are zero" in client.get(f"/matrices/{matrix['id']}").text


def test_copying_from_the_page_opens_the_copy(client, make_matrix):
    matrix = make_matrix()

    response = client.post(f"/matrices/{matrix['id']}/copy", follow_redirects=False)

    assert response.status_code == 303
    copy_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/api/v1/matrices/{copy_id}").json()["title"] == "Library site (copy)"


def test_creating_a_matrix_from_the_list_page(client):
    response = client.post("/matrices", data={"title": "Budget 2027", "description": ""}, follow_redirects=False)

    assert response.status_code == 303
    assert client.get("/api/v1/matrices").json()["items"][0]["title"] == "Budget 2027"


def test_creating_a_matrix_without_a_title_shows_the_message(client):
    response = client.post("/matrices", data={"title": " "})

    assert response.status_code == 422
    assert "Must not be empty" in response.text
    assert client.get("/api/v1/matrices").json()["total"] == 0


def test_an_unknown_matrix_page_is_a_404_page(client):
    page = client.get("/matrices/999")

    assert page.status_code == 404
    assert "Matrix 999 not found" in page.text and "<html" in page.text


def test_editing_the_matrix_header(client, make_matrix):
    matrix = make_matrix()

    response = client.post(
        f"/matrices/{matrix['id']}", data={"title": "Renamed", "description": "d", "source": "s"}, headers=HTMX
    )

    assert response.status_code == 200 and "<h1>Renamed</h1>" in response.text


def test_pages_load_htmx_from_our_own_static_files(client):
    page = client.get("/")

    assert "/static/vendor/htmx-4.0.1.min.js" in page.text
    assert client.get("/static/vendor/htmx-4.0.1.min.js").status_code == 200


def test_log_in_links_point_at_the_login_page(anonymous):
    page = anonymous.get("/").text

    assert 'href="http://testserver/login"' in page
    assert "/api/v1/auth/login" not in page


def test_an_instructor_s_evidence_note_is_not_dressed_up_as_a_quotation(client, make_matrix):
    matrix = make_matrix(options=[{"name": "New idea", "evidence": "Instructor-added option; not in the report."}])

    page = client.get(f"/matrices/{matrix['id']}").text

    assert "<p>Instructor-added option; not in the report.</p>" in page
    assert "“Instructor-added" not in page


def test_an_admin_editing_a_public_matrix_is_warned_that_everyone_sees_the_change(
    app, session, make_instructor, case_study_id
):
    from fastapi.testclient import TestClient

    from tests.conftest import log_in

    with TestClient(app) as admin:
        log_in(admin, session, make_instructor("admin@example.org", is_admin=True))
        page = admin.get(f"/matrices/{case_study_id}").text

    assert "every visitor and every future copy will see your changes" in page


def test_copy_sits_in_the_page_header(client, case_study_id):
    page = client.get(f"/matrices/{case_study_id}").text

    header = page[page.index('<section id="header"'):page.index('<section id="options"')]
    assert "Copy this matrix" in header


def test_an_htmx_error_goes_to_the_page_alert_not_into_the_section(client, make_matrix):
    matrix = make_matrix()

    response = client.post(f"/matrices/{matrix['id']}/options/999999/delete", headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#page-alert", "innerHTML show:top")
    assert 'id="page-alert"' in client.get(f"/matrices/{matrix['id']}").text


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"name": "Co\u200bst"}, "name", "Remove the invisible character U+200B (zero width space)"),
        ({"name": "\ufeff"}, "name", "Remove the invisible character U+FEFF"),
        ({"name": "Access\u202e"}, "name", "U+202E (right-to-left override)"),
        ({"name": "Acce\u0301s"}, "name", "already has an option named"),  # "Accés" typed both ways below
        ({"name": "\uff21\uff43\uff43\uff45\uff53\uff53"}, "name", "already has an option named"),  # full-width
        ({"evidence": "p. 4\u0085more"}, "evidence", "U+0085"),
        ({"description": "left \u202eright"}, "description", "direction overrides"),
    ],
    ids=["zero-width-space", "bom", "rtl-override", "decomposed-accent", "full-width", "c1-control", "bidi-in-text"],
)
def test_a_form_refuses_invisible_characters_and_lookalike_names(client, make_matrix, form, field, message):
    matrix = make_matrix(options=[{"name": "Acc\u00e9s"}, {"name": "Access"}, {"name": "Harbour"}])
    option = matrix["options"][2]

    response = client.post(
        f"/matrices/{matrix['id']}/options/{option['id']}", data={"name": "Harbour", "escalation_level": "1", **form},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert f'id="option-{option["id"]}-{field}-error"' in response.text
    assert message in response.text
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == matrix


def test_a_form_stores_names_normalised_and_text_with_plain_newlines(client, make_matrix):
    matrix = make_matrix()

    client.post(
        f"/matrices/{matrix['id']}/options",
        data={"name": "Caf\u0065\u0301", "escalation_level": "1", "evidence": "line one\r\nline two"},
    )

    added = client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"][-1]
    assert (added["name"], added["evidence"]) == ("Caf\u00e9", "line one\nline two")


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"weight": "1_000"}, "weight", "Enter the number without separators, like 1000."),
        ({"weight": "1 000"}, "weight", "Enter the number without separators, like 1000."),
        ({"weight": "2,5"}, "weight", "with a point for decimals and no commas"),
        ({"weight": "\uff12"}, "weight", "Enter the number in the digits 0 to 9, like 2."),
        ({"weight": "inf"}, "weight", "Enter a finite number."),
        ({"weight": "Infinity"}, "weight", "Enter a finite number."),
        ({"weight": "1e999"}, "weight", "Enter a finite number."),
        ({"weight": "0x10"}, "weight", "Enter a number."),
        ({"scale_max": "1_0"}, "scale_max", "without separators"),
    ],
)
def test_a_form_reads_numbers_in_plain_decimal_notation_only(client, make_matrix, form, field, message):
    matrix = make_matrix()
    criterion = matrix["criteria"][0]
    data = {"name": "Cost", "direction": "cost", "weight": "2", "scale_min": "1", "scale_max": "5", **form}

    response = client.post(f"/matrices/{matrix['id']}/criteria/{criterion['id']}", data=data, headers=HTMX)

    assert response.status_code == 422
    assert f'id="criterion-{criterion["id"]}-{field}-error"' in response.text
    assert message in response.text
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == matrix


@pytest.mark.parametrize(("text", "weight"), [("1e3", 1000.0), ("+2", 2.0), (".5", 0.5), (" 3 ", 3.0)])
def test_a_form_takes_what_the_api_s_json_takes(client, make_matrix, text, weight):
    matrix = make_matrix()
    criterion = matrix["criteria"][0]
    data = {"name": "Cost", "direction": "cost", "weight": text, "scale_min": "1", "scale_max": "5"}

    response = client.post(f"/matrices/{matrix['id']}/criteria/{criterion['id']}", data=data, headers=HTMX)

    assert response.status_code == 200
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json()["criteria"][0]["weight"] == weight


@pytest.mark.parametrize("text", ["1_0", "2.0", "2e0", "\uff12"])
def test_an_escalation_level_is_a_whole_number_in_digits_as_in_the_api(client, make_matrix, text):
    matrix = make_matrix()

    response = client.post(
        f"/matrices/{matrix['id']}/options", data={"name": "Harbour", "escalation_level": text}, headers=HTMX
    )

    assert response.status_code == 422
    assert 'id="new-option-escalation_level-error"' in response.text
    assert len(client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]) == 3


def _form_over_the_limit_in_chunks():
    yield b"name=Harbour&escalation_level=1&evidence="
    for _ in range(20):
        yield b"x" * (64 * 1024)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("sent_as", ["with-a-length", "streamed"])
def test_a_form_over_the_limit_gets_a_413_message_with_the_security_headers(client, make_matrix, sent_as, htmx):
    matrix = make_matrix()
    body = (
        b"name=Harbour&evidence=" + b"x" * (1024 * 1024)
        if sent_as == "with-a-length"
        else _form_over_the_limit_in_chunks()
    )
    headers = {"content-type": "application/x-www-form-urlencoded", **(HTMX if htmx else {})}

    response = client.post(f"/matrices/{matrix['id']}/options", content=body, headers=headers)

    assert response.status_code == 413
    assert "this site accepts at most 1 MiB" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get("hx-retarget") == ("#page-alert" if htmx else None)
    assert len(client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]) == 3


def test_the_matrices_address_leads_to_the_list_and_errors_speak_plainly(anonymous):
    """GET /matrices answered "Method Not Allowed"; a mistyped address "Not Found": HTTP's words, not a reader's."""
    listed = anonymous.get("/matrices", follow_redirects=False)
    missing = anonymous.get("/no-such-page")
    get_a_form_target = anonymous.get("/sessions/1/reveal")

    assert listed.status_code == 303 and listed.headers["location"] == "/"
    assert missing.status_code == 404 and "There is no page at this address." in missing.text
    assert get_a_form_target.status_code == 405 and "Method Not Allowed" not in get_a_form_target.text
    assert anonymous.get("/api/v1/no-such-thing").headers["content-type"].startswith("application/")


def test_a_ladder_with_one_level_does_not_call_it_both_least_and_most_escalatory(client, make_matrix):
    """An imported CSV puts every option on level 1: the caption read "level 1 is the least …, level 1 the most"."""
    matrix = make_matrix()

    page = client.get(f"/matrices/{matrix['id']}").text

    assert "Escalation ladder: every option is on level 1." in page and "level 1 the most" not in page
