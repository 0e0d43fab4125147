""" "Score it yourself" on a matrix page: a GET form, a fragment for htmx, the whole page without JavaScript."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _matrix(client, matrix_id):
    return client.get(f"/api/v1/matrices/{matrix_id}").json()


def _scores(matrix, value=lambda _i, _j: 3):
    """Query parameters scoring every option (in list order) on every criterion."""
    return {
        f"s.{option['id']}.{criterion['id']}": str(value(i, j))
        for i, option in enumerate(matrix["options"])
        for j, criterion in enumerate(matrix["criteria"])
    }


def _ranking_rows(html):
    table = html[html.index('<table class="ranking-table">') :]
    table = table[: table.index("</table>")]
    cells = (
        r'<tr><td>(\d+(?: <span class="hint">tied</span>)?)</td>'
        r'<th scope="row"(?: title="[^"]*")?>(.*?)</th><td class="number">(.*?)</td></tr>'
    )
    return re.findall(cells, table)


def _scale_group(html, field_id):
    """The scale buttons' fieldset of one score cell."""
    start = html.index(f'<fieldset class="sc-scale" id="{field_id}"')
    return html[start : html.index("</fieldset>", start)]


@pytest.fixture
def library(make_matrix):
    """Riverside, Old town, Campus against Cost (cost, weight 2) and Access (benefit, weight 1), both 1–5."""
    return make_matrix()


def _library_scores(library, grid=((3, 4), (2, 5), (4, 3))):
    return _scores(library, lambda i, j: grid[i][j])


def test_the_matrix_page_offers_scoring_to_anonymous_visitors(anonymous, case_study_id):
    page = anonymous.get(f"/matrices/{case_study_id}")

    assert page.status_code == 200
    assert '<section id="scoring"' in page.text
    assert "Score every option on every criterion to see a ranking — 0 of 40 cells filled." in page.text
    assert len(set(re.findall(r'name="(s\.[0-9.]+)"', page.text))) == 5 * 8


def test_anonymous_can_score_the_public_case_study_with_a_plain_get(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)

    page = anonymous.get(f"/matrices/{case_study_id}/score", params=_scores(matrix, lambda i, j: (i + j) % 5 + 1))

    assert page.status_code == 200
    assert page.text.startswith("<!doctype html>")  # the whole page, as a browser without JavaScript needs
    assert '<section id="options"' in page.text
    rows = _ranking_rows(page.text)
    assert [rank for rank, _, _ in rows] == ["1", "2", "3", "4", "5"]
    assert "Weighted sum (WSM), normalisation scale" in page.text


def test_an_htmx_request_gets_only_the_scoring_section(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)

    response = anonymous.get(f"/matrices/{case_study_id}/score", params=_scores(matrix), headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="scoring"')
    assert "<html" not in response.text and '<section id="options"' not in response.text


def test_scores_weights_and_method_give_the_expected_ranking(client, library):
    # WSM on the 1–5 scales, weights 2/3 and 1/3: Riverside (2/4)(2/3) + (3/4)(1/3) = 7/12 = 0.5833,
    # Old town (3/4)(2/3) + 1·(1/3) = 0.8333, Campus (1/4)(2/3) + (2/4)(1/3) = 0.3333.
    page = client.get(f"/matrices/{library['id']}/score", params=_library_scores(library))

    assert _ranking_rows(page.text) == [
        ("1", "Old town", "0.8333"),
        ("2", "Riverside", "0.5833"),
        ("3", "Campus", "0.3333"),
    ]


def test_tied_options_share_a_rank_and_say_so(client, library):
    page = client.get(f"/matrices/{library['id']}/score", params=_library_scores(library, ((3, 4), (3, 4), (4, 3))))

    assert [rank for rank, _, _ in _ranking_rows(page.text)] == [
        '1 <span class="hint">tied</span>',
        '1 <span class="hint">tied</span>',
        "3",
    ]


def test_moving_a_weight_changes_the_order(client, library):
    cost, access = (c["id"] for c in library["criteria"])
    params = {**_library_scores(library, ((3, 4), (2, 2), (4, 5))), f"w.{cost}": "1", f"w.{access}": "0"}

    cost_only = _ranking_rows(client.get(f"/matrices/{library['id']}/score", params=params).text)
    params[f"w.{cost}"], params[f"w.{access}"] = "0", "1"
    access_only = _ranking_rows(client.get(f"/matrices/{library['id']}/score", params=params).text)

    assert [name for _, name, _ in cost_only] == ["Old town", "Riverside", "Campus"]
    assert [name for _, name, _ in access_only] == ["Campus", "Riverside", "Old town"]


def test_incomplete_scores_say_which_cells_are_missing_with_status_200(client, library):
    params = _library_scores(library)
    riverside, old_town = library["options"][0]["id"], library["options"][1]["id"]
    cost, access = (c["id"] for c in library["criteria"])
    params[f"s.{riverside}.{access}"] = ""
    params[f"s.{old_town}.{cost}"] = ""
    params[f"s.{old_town}.{access}"] = ""

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 200
    assert "Score every option on every criterion to see a ranking — 3 of 6 cells filled." in response.text
    assert "<li><strong>Riverside</strong>: Access</li>" in response.text
    assert "<li><strong>Old town</strong>: every criterion</li>" in response.text
    assert "ranking-table" not in response.text


def test_a_score_outside_the_scale_is_422_with_a_message_next_to_the_input(client, library):
    params = _library_scores(library)
    campus, cost = library["options"][2]["id"], library["criteria"][0]["id"]
    params[f"s.{campus}.{cost}"] = "7"

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 422
    field_id = f"sc-s-{campus}-{cost}"
    group = _scale_group(response.text, field_id)
    assert f'<p class="field-error" id="{field_id}-error">Enter a whole number from 1 to 5.</p>' in group
    assert group.count('aria-invalid="true"') == 5  # every button of the scale
    assert " checked" not in group  # 7 is no button on a 1–5 scale
    assert f'<a href="#{field_id}">Campus — Cost</a>: Enter a whole number from 1 to 5.' in response.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Enter a number."),
        ("nan", "Enter a number."),
        ("inf", "Enter a number."),
        ("1e999", "Enter a number."),
        ("3.5", "Enter a whole number from 1 to 5."),
    ],
)
def test_a_score_that_is_not_a_point_on_the_scale_is_flagged_on_its_own_input(client, library, text, message):
    params = _library_scores(library)
    old_town, access = library["options"][1]["id"], library["criteria"][1]["id"]
    params[f"s.{old_town}.{access}"] = text

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 422
    field_id = f"sc-s-{old_town}-{access}"
    assert set(re.findall(r'name="([^"]+)"[^>]*aria-invalid="true"', response.text)) == {f"s.{old_town}.{access}"}
    group = _scale_group(response.text, field_id)
    assert f'<p class="field-error" id="{field_id}-error">{message}</p>' in group
    assert f'<a href="#{field_id}">Old town — Access</a>: {message}' in response.text


def test_all_zero_weights_are_422_and_say_why(client, library):
    cost, access = (c["id"] for c in library["criteria"])
    params = {**_library_scores(library), f"w.{cost}": "0", f"w.{access}": "0"}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 422
    assert "Give at least one criterion a weight above 0." in response.text


def test_rank_order_centroid_weights_come_from_importance_ranks(client, library):
    cost, access = (c["id"] for c in library["criteria"])
    params = {**_library_scores(library), "weighting": "roc", f"r.{cost}": "2", f"r.{access}": "1"}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    # ROC for two criteria: 3/4 and 1/4.
    assert "<span>Cost</span> <strong>25.0%</strong>" in response.text
    assert "<span>Access</span> <strong>75.0%</strong>" in response.text
    # The typed weights travel along unseen, so switching back restores them.
    assert f'<input type="hidden" name="w.{cost}" value="2">' in response.text


def test_swing_points_need_one_criterion_at_100(client, library):
    cost, access = (c["id"] for c in library["criteria"])
    params = {**_library_scores(library), "weighting": "swing", f"p.{cost}": "80", f"p.{access}": "40"}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 422
    assert "Give the criterion whose swing matters most 100 points." in response.text
    assert "points[" not in response.text


def test_pairwise_comparison_shows_the_consistency_ratio(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)
    first, second, third = (c["id"] for c in matrix["criteria"][:3])
    params = {
        **_scores(matrix),
        "weighting": "ahp",
        f"a.{first}.{second}": "9",
        f"a.{second}.{third}": "9",
        f"a.{first}.{third}": "1/9",
    }

    response = anonymous.get(f"/matrices/{case_study_id}/score", params=params, headers=HTMX)

    assert response.status_code == 200
    assert response.text.count('<select id="sc-a-') == 8 * 7 // 2
    assert re.search(
        r"Consistency ratio CR = \d\.\d{3}: above 0.10, so some judgements contradict others", response.text
    )
    assert "The pairwise judgements are inconsistent" in response.text  # also among the result's notes


def test_vikor_says_lower_ranks_first_and_names_its_compromise_set(client, library):
    params = {**_library_scores(library), "method": "vikor", "v": "0.5"}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert "Lower Q ranks first." in response.text
    assert "VIKOR's compromise set" in response.text
    assert 'name="v"' in response.text and 'id="sc-normalization"' not in response.text


def test_a_normalisation_left_from_another_method_falls_back_to_the_default(client, library):
    params = {**_library_scores(library), "method": "wsm", "normalization": "vector"}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 200
    assert "normalisation scale" in response.text


def test_an_unknown_method_is_422_next_to_the_method_select(client, library):
    response = client.get(f"/matrices/{library['id']}/score", params={"method": "electre"}, headers=HTMX)

    assert response.status_code == 422
    assert '<p class="field-error" id="sc-method-error">Choose one of the listed methods.</p>' in response.text


def test_the_chart_is_svg_with_a_title_and_a_text_label_on_every_bar(client, library):
    # Old town is cheapest, Campus most accessible, Riverside between them on both: net flows 1/3, 0, −1/3.
    params = {**_library_scores(library, ((3, 4), (2, 2), (4, 5))), "method": "promethee2"}

    html = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX).text

    svg = html[html.index("<svg") : html.index("</svg>")]
    title = "PROMETHEE II (net outranking flow): net flow per option, higher ranks first"
    assert f'<title id="scoring-chart-title">{title}; longer bar = better' in svg
    names = re.findall(r'<text class="bar-name"[^>]*>(.*?)</text>', svg)
    values = re.findall(r'<text class="bar-value"[^>]*>(.*?)</text>', svg)
    assert names == ["1. Old town", "2. Riverside", "3. Campus"]
    assert values == ["0.3333", "0", "-0.3333"]
    axis = " ".join(re.findall(r'<text class="bar-axis"[^>]*>(.*?)</text>', svg))
    assert axis == "Longer bar = better: a higher net flow ranks first; bars start at -1."
    assert "style=" not in html and "<script" not in html and "hx-on" not in html


def test_show_the_working_labels_every_table(client, library):
    params = {**_library_scores(library), "method": "topsis", "explain": "1"}

    html = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX).text

    captions = re.findall(r'<p class="step-title" id="scoring-step-\d+"><strong>(.*?)</strong>', html)
    assert captions == [
        "Step 1. Normalised scores r",
        "Step 2. Weighted normalised scores v = w × r",
        "Step 3. Ideal and anti-ideal points",
        "Step 4. Distances to the ideal and anti-ideal",
    ]
    first_table = html[html.index('<table class="step-table"') :]
    first_table = first_table[: first_table.index("</table>")]
    assert '<th scope="col" class="number">Cost</th><th scope="col" class="number">Access</th>' in first_table
    # Cost column 3, 2, 4 over √29: 0.5571, 0.3714, 0.7428 to four significant digits.
    assert '<tr><th scope="row">Riverside</th><td class="number">0.5571</td>' in first_table


def test_the_form_refreshes_itself_with_htmx_and_works_as_a_plain_get(anonymous, case_study_id):
    html = anonymous.get(f"/matrices/{case_study_id}").text

    form = re.search(r'<form id="scoring-form"[^>]*>', html).group(0)
    assert 'method="get"' in form and f'action="http://testserver/matrices/{case_study_id}/score#scoring"' in form
    assert f'hx-get="http://testserver/matrices/{case_study_id}/score"' in form
    assert 'hx-trigger="input changed delay:400ms, change, submit"' in form
    assert 'hx-trigger="matrix-changed from:document"' in html
    assert 'hx-target="#scoring"' in form and 'hx-swap="outerMorph"' in form
    assert '<button type="submit" class="small">Rank</button>' in html


def test_user_text_is_escaped_everywhere_it_appears(client, make_matrix):
    matrix = make_matrix(
        options=[{"name": "<b>bold</b>"}, {"name": "B"}],
        criteria=[{"name": "<i>C</i>", "direction": "benefit"}],
    )

    html = client.get(f"/matrices/{matrix['id']}/score", params={**_scores(matrix), "explain": "1"}).text

    assert "<b>bold</b>" not in html and "<i>C</i>" not in html
    assert html.count("&lt;b&gt;bold&lt;/b&gt;") >= 5  # ladder, card, chart, table, working
    assert "&lt;i&gt;C&lt;/i&gt;" in html


def test_a_private_matrix_cannot_be_scored_by_others(anonymous, library):
    assert anonymous.get(f"/matrices/{library['id']}/score").status_code == 404


def test_scoring_stores_nothing(client, library):
    before = _matrix(client, library["id"])

    client.get(f"/matrices/{library['id']}/score", params={**_library_scores(library), "weighting": "equal"})

    assert _matrix(client, library["id"]) == before


def test_a_matrix_without_criteria_explains_it_cannot_be_scored_yet(client, make_matrix):
    matrix = make_matrix(criteria=[])

    page = client.get(f"/matrices/{matrix['id']}/score")

    assert page.status_code == 200
    assert "needs at least one option and one criterion before it can be scored" in page.text


_form_text = st.one_of(
    st.sampled_from(["", "0", "1", "3", "5", "100", "-1", "1e999", "nan", "2.5", "1/3", "9", "abc", " 4 "]),
    st.text(max_size=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_arbitrary_form_values_are_200_or_422_never_a_500(client, library, data):
    cost, access = (c["id"] for c in library["criteria"])
    names = [*_library_scores(library), *(f"{p}.{c}" for p in "wrp" for c in (cost, access)), f"a.{cost}.{access}", "v"]
    params = {name: data.draw(_form_text, label=name) for name in names}
    params["method"] = data.draw(st.sampled_from(["wsm", "wpm", "topsis", "vikor", "promethee2", "x"]))
    params["weighting"] = data.draw(st.sampled_from(["direct", "equal", "roc", "rank_sum", "swing", "ahp", "y"]))
    params["normalization"] = data.draw(st.sampled_from(["", "scale", "minmax", "sum", "max", "vector", "none", "z"]))

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code in (200, 422), response.text
    assert "nan" not in re.findall(r'<td class="number">(.*?)</td>', response.text)


@pytest.mark.parametrize("text", ["1_0", "\uff12", "\u0662", "2,5", "infinity", "0x2"])
@pytest.mark.parametrize("kind", ["score", "weight"])
def test_scoring_reads_numbers_by_the_same_grammar_as_the_forms_and_the_api(client, library, kind, text):
    params = _library_scores(library)
    cost = library["criteria"][0]["id"]
    params[next(iter(params)) if kind == "score" else f"w.{cost}"] = text

    assert client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX).status_code == 422


def test_an_importance_rank_is_a_whole_number_as_in_the_api(client, library):
    cost, access = (c["id"] for c in library["criteria"])
    params = {**_library_scores(library), "weighting": "roc", f"r.{cost}": "2.0", f"r.{access}": "1"}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    assert response.status_code == 422
    assert "Give Cost a place from 1 to 2." in response.text


@pytest.mark.parametrize(
    ("ranks", "message"),
    [
        (("3", "1"), "Give Cost a place from 1 to 2."),
        (("1", "1"), None),  # a tie is a valid ranking
    ],
)
def test_rank_messages_use_the_criterion_names_on_the_page_not_field_names(client, library, ranks, message):
    cost, access = (c["id"] for c in library["criteria"])
    params = {**_library_scores(library), "weighting": "roc", f"r.{cost}": ranks[0], f"r.{access}": ranks[1]}

    response = client.get(f"/matrices/{library['id']}/score", params=params, headers=HTMX)

    if message is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 422
        assert message in response.text
    assert "ranks[" not in response.text and "competition ranks" not in response.text


def test_the_working_labels_its_tables_with_short_names_and_full_names_in_tooltips(client, case_study_id):
    """PROMETHEE's option-by-option table had full names as column heads: eight lines tall on a phone."""
    matrix = _matrix(client, case_study_id)
    params = {**_scores(matrix, lambda i, j: 1 + (i + j) % 5), "method": "promethee2", "explain": "1"}

    html = client.get(f"/matrices/{case_study_id}/score", params=params).text
    working = html[html.index('id="scoring-working-heading"') :]

    assert '<th scope="col" class="number" title="Bolster CBP capacity' in working
    assert ">CBP support</th>" in working and ">Supply-chain disruption</th>" in working
    assert not re.search(r">Bolster CBP capacity[^<]*</th>", working)
