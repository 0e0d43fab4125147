"""The scoring component (web/scoring/component.py, scoring/_component.html): ballot mode for sessions,
explore mode on the matrix page, ROC by places that is never a 422 while incomplete, and no field names."""

import re

import pytest

from optionsmatrix.models import SessionCriterion, SessionOption
from optionsmatrix.web.rendering import templates
from optionsmatrix.web.scoring.component import ballot_view

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
FIELD_NAMES = ("scale_min", "scale_max", "ranks'", "ranks[", "weights'", "points'", "pairwise'", "loc", "lw.")


def _snapshot():
    options = [
        SessionOption(id=11, session_id=1, name="Bolster CBP capacity with military support", short_name="CBP support"),
        SessionOption(id=12, session_id=1, name="Joint military action against cartels"),
    ]
    criteria = [
        SessionCriterion(id=21, session_id=1, name="Risk of an undesirable response", short_name="Risk",
                         direction="cost", weight=3, scale_low_label="low risk", scale_high_label="high risk"),
        SessionCriterion(id=22, session_id=1, name="Funding", weight=1, scale_min=0, scale_max=100),
    ]  # fmt: skip
    return options, criteria


def _render_ballot(**overrides):
    options, criteria = _snapshot()
    arguments = {
        "action_url": "/participate/7/ballot",
        "values": {"s.11.21": "4", "why.11": "Cheap & <quick>"},
        "errors": {"s.12.22": "Score Joint on Funding from 0 to 100."},
        "weights_editable": False,
        "method_label": "Weighted sum (WSM)",
    }
    view = ballot_view(options, criteria, **{**arguments, **overrides})
    page = templates.env.from_string(
        '{% from "scoring/_component.html" import scoring_component with context %}{{ scoring_component(view) }}'
    )
    return page.render(view=view, csrf_token="the-token", request=None)


def test_ballot_mode_posts_scores_rationales_and_the_csrf_token_to_the_given_action():
    html = _render_ballot()

    form = re.search(r"<form [^>]*>", html).group(0)
    assert 'method="post"' in form and 'action="/participate/7/ballot"' in form and "hx-get" not in form
    assert '<input type="hidden" name="csrf_token" value="the-token">' in html
    assert set(re.findall(r'name="(s\.\d+\.\d+)"', html)) == {"s.11.21", "s.11.22", "s.12.21", "s.12.22"}
    assert html.count('name="s.11.21" type="radio"') == 0  # radios carry type first
    assert len(re.findall(r'type="radio" name="s\.11\.21"', html)) == 5  # a 1–5 scale: five buttons
    assert re.search(r'type="radio" name="s\.11\.21" value="4" checked', html)
    assert re.search(r'<input class="sc-number" id="sc-s-11-22" name="s\.11\.22" type="number"', html)  # 0–100
    assert re.findall(r'<input id="sc-why-(\d+)" name="why\.\d+" maxlength="280"', html) == ["11", "12"]
    assert 'value="Cheap &amp; &lt;quick&gt;"' in html
    assert '<button type="submit">Submit my ballot</button>' in html


def test_ballot_mode_shows_labels_scale_meanings_and_inline_errors():
    html = _render_ballot()

    assert 'title="Bolster CBP capacity with military support"' in html and ">CBP support<" in html
    assert "1 = low risk" in html and "5 = high risk" in html and "0 = lowest" in html
    assert '<p class="field-error" id="sc-s-12-22-error">Score Joint on Funding from 0 to 100.</p>' in html
    described = 'aria-describedby="sc-s-12-22-ends sc-s-12-22-error" aria-invalid="true"'
    assert re.search(rf'id="sc-s-12-22"[^>]*{described}', html)
    assert "Weighted sum (WSM)" in html and 'name="method"' not in html  # shown, not choosable


def test_fixed_weights_are_shown_read_only_and_editable_weights_are_typed():
    fixed = _render_ballot()
    assert 'name="w.' not in fixed
    assert "weight </span>75.0%" in fixed and "weight </span>25.0%" in fixed

    editable = _render_ballot(weights_editable=True, values={"w.21": "2"}, errors={"w.22": "Enter a number."})
    assert re.search(r'name="w\.21" type="number" min="0" step="any" inputmode="decimal" value="2"', editable)
    assert re.search(r'name="w\.22"[^>]*aria-describedby="sc-w-22-error" aria-invalid="true"', editable)
    assert "weight </span>—" in editable


def test_a_closed_session_disables_every_input_and_the_submit_button():
    html = _render_ballot(disabled=True)

    assert '<button type="submit" disabled>Submit my ballot</button>' in html
    assert not re.search(r'<input (?![^>]*type="hidden")(?![^>]*disabled)[^>]*>', html)


# Explore mode on the matrix page ---------------------------------------------------------


def _library_params(library, ranks=None, **extra):
    params = {
        f"s.{o['id']}.{c['id']}": str((i + j) % 5 + 1)
        for i, o in enumerate(library["options"])
        for j, c in enumerate(library["criteria"])
    }
    params["weighting"] = "roc"
    for criterion, rank in zip(library["criteria"], ranks or (), strict=False):
        params[f"r.{criterion['id']}"] = rank
    return {**params, **extra}


@pytest.fixture
def library(make_matrix):
    return make_matrix()


def test_importance_is_chosen_from_places_not_typed(client, library):
    html = client.get(f"/matrices/{library['id']}/score", params=_library_params(library, ("1", "2")), headers=HTMX)

    assert html.status_code == 200
    cost = library["criteria"][0]["id"]
    assert re.search(rf'<select id="sc-r-{cost}" name="r\.{cost}"', html.text)
    assert 'name="r.' not in re.sub(r"<select[^>]*>", "", html.text).replace('type="hidden" name="r.', "")
    assert '<option value="1" selected>1st</option>' in html.text and ">2nd</option>" in html.text
    assert "Let criteria in the same place share it (a tie)" in html.text


def test_an_incomplete_ranking_of_the_criteria_is_200_and_keeps_the_last_ranking_marked_stale(client, library):
    url = f"/matrices/{library['id']}/score"
    valid = client.get(url, params=_library_params(library, ("1", "2"), ties="0"), headers=HTMX)
    carried = dict(re.findall(r'<input type="hidden" name="(lw\.\d+)" value="([^"]+)">', valid.text))
    assert len(carried) == 2 and "out of date" not in valid.text
    first = re.search(r'<th scope="row"[^>]*>(.*?)</th>', valid.text[valid.text.index("ranking-table") :]).group(1)

    # Both criteria put first, no tie marked: incomplete, not wrong.
    for headers in (HTMX, {}):  # with htmx, and as a plain GET without JavaScript
        stale = client.get(url, params={**_library_params(library, ("1", "1"), ties="0"), **carried}, headers=headers)

        assert stale.status_code == 200
        assert "out of date" in stale.text
        assert (
            "Two criteria share rank 1 and none is ranked 2: give each criterion its own place, or mark a tie."
            in stale.text
        )
        table = stale.text[stale.text.index("ranking-table") :]
        assert re.search(r'<th scope="row"[^>]*>(.*?)</th>', table).group(1) == first
        assert dict(re.findall(r'<input type="hidden" name="(lw\.\d+)" value="([^"]+)">', stale.text)) == carried


def test_a_criterion_without_a_place_is_named_and_is_not_an_error(client, library):
    params = _library_params(library, ("1", ""), ties="0")

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 200
    assert "Give every criterion a place; still without one: Access." in response.text
    assert "out of date" not in response.text  # no earlier ranking to keep


def test_a_tie_that_is_marked_ranks(client, library):
    response = client.get(
        f"/matrices/{library['id']}/score", params=_library_params(library, ("1", "1"), ties="1"), headers=HTMX
    )

    assert response.status_code == 200 and "ranking-table" in response.text and "out of date" not in response.text
    assert "50.0%" in response.text  # a tie at the top: equal weights


@pytest.mark.parametrize(
    "params",
    [
        {"weighting": "roc", "r.CRIT0": "9"},
        {"weighting": "rank_sum", "r.CRIT0": "x", "r.CRIT1": "0"},
        {"weighting": "swing", "p.CRIT0": "150", "p.CRIT1": "10"},
        {"weighting": "swing", "p.CRIT0": "50", "p.CRIT1": "10"},
        {"weighting": "direct", "w.CRIT0": "-1"},
        {"weighting": "direct", "w.CRIT0": "0", "w.CRIT1": "0"},
        {"method": "wpm", "SCORE0": "0"},
        {"method": "topsis", "normalization": "sum"},
        {"SCORE0": "99"},
        {"SCORE0": "abc"},
        {"method": "vikor", "v": "3"},
    ],
)
def test_no_message_shows_a_field_name(client, library, params):
    criteria = [c["id"] for c in library["criteria"]]
    base = _library_params(library, ("1", "2"))
    base.pop("weighting")
    first_score = next(iter(base))
    for key, value in params.items():
        key = key.replace("CRIT0", str(criteria[0])).replace("CRIT1", str(criteria[1]))
        base[first_score if key == "SCORE0" else key] = value

    response = client.get(f"/matrices/{library['id']}/score", params=base, headers=HTMX)

    assert response.status_code in (200, 422)
    visible = re.sub(r"<[^>]+>", " ", response.text)  # what a person reads, not the markup
    for name in FIELD_NAMES:
        assert name not in visible, (name, params)


def test_the_presentation_view_shows_the_ranking_alone(client, library):
    url = f"/matrices/{library['id']}/score"
    page = client.get(url, params=_library_params(library, ("1", "2"), present="1"))

    assert page.status_code == 200
    assert 'class="present"' in page.text and '<svg class="bar-chart"' in page.text
    assert 'class="site-header"' not in page.text and "scoring-form" not in page.text
    assert "Leave the presentation" in page.text and 'font-size="30"' in page.text

    normal = client.get(url, params=_library_params(library, ("1", "2")), headers=HTMX)
    assert "Present this ranking" in normal.text and "present=1" in normal.text
    empty = client.get(f"/matrices/{library['id']}", params={"present": "1"})
    assert "No ranking yet: 0 of 6 cells are scored." in empty.text


@pytest.mark.parametrize(
    ("message", "field", "code", "expected"),
    [
        ("criterion 'Risk' has scale 5–1; scale_min must be less than scale_max", "criteria[1].scale_max",
         "scale_reversed", "The scale of Risk must run from a lower number to a higher one"),
        ("'ranks' is empty; give one importance rank per criterion", "ranks", "ranks_empty",
         "Give every criterion a place."),
        ("'weights[2]' is nan", "weights[2]", "some_future_rule", "These inputs cannot be ranked as they stand"),
        ("every option is tied", None, "another_future_rule", "Every option is tied."),
    ],
)  # fmt: skip
def test_core_refusals_are_said_with_the_page_labels_never_field_names(message, field, code, expected):
    from optionsmatrix.analysis import AnalysisError
    from optionsmatrix.web.scoring.messages import PageWords, plain_message

    words = PageWords(options=["CBP support"], criteria=["Leverage", "Risk"], scales=[(1, 5), (1, 5)])
    sentence = plain_message(AnalysisError(message, field, code=code), words)

    assert sentence.startswith(expected)
    assert not any(name in sentence for name in FIELD_NAMES)


def test_an_edit_is_never_served_from_the_rendered_cells(client, make_matrix):
    """The grid's cells are kept rendered; editing the matrix must show in them at once."""
    matrix = make_matrix(
        options=[{"name": "Riverside"}],
        criteria=[{"name": "Cost", "direction": "cost", "scale_low_label": "cheap", "scale_high_label": "dear"}],
    )
    option, criterion = matrix["options"][0], matrix["criteria"][0]
    page = f"/matrices/{matrix['id']}"
    first = client.get(page).text
    assert "1 = cheap" in first and '<span class="sc-cell-option">Riverside</span>' in first

    renamed = client.patch(f"/api/v1/matrices/{matrix['id']}/options/{option['id']}", json={"name": "Harbour"})
    relabelled = client.patch(
        f"/api/v1/matrices/{matrix['id']}/criteria/{criterion['id']}",
        json={"scale_low_label": "affordable", "scale_max": 7},
    )
    assert renamed.status_code == relabelled.status_code == 200
    second = client.get(page).text

    assert "1 = affordable" in second and "1 = cheap" not in second
    assert "7 = dear" in second and 'value="7"' in second
    assert '<span class="sc-cell-option">Harbour</span>' in second
    assert '<span class="sc-cell-option">Riverside</span>' not in second
    # and a typed score is checked in the refreshed fragment, not the blank cell seen before
    scored = client.get(f"{page}/score?s.{option['id']}.{criterion['id']}=6", headers={"HX-Request": "true"}).text
    assert f'name="s.{option["id"]}.{criterion["id"]}" value="6" checked' in scored
