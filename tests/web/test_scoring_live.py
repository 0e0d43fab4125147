"""A score typed or tapped in "Score it yourself" is answered with only what scores change (issue 14).

static/js/scoring.js names the cells changed since the last answer in the Scoring-Edited header; the
answer is a set of htmx 4 <hx-partial> pieces, each the same markup the whole section draws there.
"""

import re

import pytest

HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


@pytest.fixture
def library(make_matrix):
    """Riverside, Old town, Campus against Cost (cost, weight 2) and Access (benefit, weight 1), both 1–5."""
    return make_matrix()


def _grid(library, grid=((3, 4), (2, 5), (4, 3))):
    return {
        f"s.{o['id']}.{c['id']}": str(grid[i][j])
        for i, o in enumerate(library["options"])
        for j, c in enumerate(library["criteria"])
        if grid[i][j] is not None
    }


def _name(library, option, criterion):
    return f"s.{library['options'][option]['id']}.{library['criteria'][criterion]['id']}"


def _pieces(html):
    """hx-target -> (hx-swap, content) of every <hx-partial> in an answer, and what is left outside them."""
    found = re.findall(r'<hx-partial hx-target="([^"]+)" hx-swap="([^"]+)">(.*?)</hx-partial>', html, re.S)
    outside = re.sub(r"<hx-partial .*?</hx-partial>", "", html, flags=re.S)
    return {target: (swap, content) for target, swap, content in found}, outside


def _element(html, tag, element_id):
    """The element `<tag ... id="element_id">…</tag>` (no nesting of the same tag inside)."""
    match = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>.*?</{tag}>', html, re.S)
    assert match, element_id
    return match.group(0)


def _score(client, library, params, edited=None, drawn=None):
    """As htmx asks: with `edited`, as static/js/scoring.js does for a score, from a grid drawn at `drawn`."""
    headers = dict(HTMX)
    if edited is not None:
        drawn = library["version"] if drawn is None else drawn
        headers.update({"Scoring-Edited": edited, "Scoring-Drawn": str(drawn)})
    return client.get(f"/matrices/{library['id']}/score", params=params, headers=headers)


def test_a_changed_score_is_answered_with_the_ranking_that_cell_and_the_counts_only(client, library):
    params = _grid(library)
    edited = _name(library, 0, 0)

    answer = _score(client, library, params, edited)

    pieces, outside = _pieces(answer.text)
    option_ids = [o["id"] for o in library["options"]]
    assert answer.status_code == 200
    assert outside.strip() == ""  # nothing for the main target: the section itself stays
    assert list(pieces) == [
        "#scoring-result",
        f"#sc-{edited.replace('.', '-')}-cell",
        *[f"#sc-progress-{o}" for o in option_ids],
        "#sc-caption-count",
        "#sc-bar-progress",
        "#sc-save",  # the owner's "Save these scores"
        "#sc-after",
    ]
    assert pieces["#scoring-result"][0] == "innerMorph"
    assert "Old town" in pieces["#scoring-result"][1] and "0.8333" in pieces["#scoring-result"][1]
    assert answer.headers["vary"] == "HX-Request, Scoring-Edited, Scoring-Drawn"
    assert len(answer.text) * 3 < len(_score(client, library, params).text)


def test_every_piece_is_the_markup_the_whole_section_draws_in_its_place(client, library):
    params = _grid(library, ((3, 4), (2, None), (4, 3)))  # one cell empty: the counts say so
    edited = _name(library, 1, 1)

    pieces, _ = _pieces(_score(client, library, params, edited).text)
    section = _score(client, library, params).text

    cell_id = f"sc-{edited.replace('.', '-')}-cell"
    assert pieces[f"#{cell_id}"][1].strip() == _element(section, "td", cell_id)
    for option in library["options"]:
        progress = pieces[f"#sc-progress-{option['id']}"][1]
        assert progress == _element(section, "span", f"sc-progress-{option['id']}")
    assert pieces["#sc-caption-count"][1] == '<span id="sc-caption-count">5 of 6 scored</span>'
    assert pieces["#sc-bar-progress"][1] == _element(section, "span", "sc-bar-progress")
    assert "5 of 6 cells filled" in pieces["#scoring-result"][1]


def test_a_typed_score_outside_the_scale_is_422_with_the_message_in_its_cell_and_the_summary(client, library):
    params = _grid(library)
    edited = _name(library, 2, 0)
    params[edited] = "7"

    answer = _score(client, library, params, edited)

    pieces, _ = _pieces(answer.text)
    field_id = f"sc-{edited.replace('.', '-')}"
    assert answer.status_code == 422
    cell = pieces[f"#{field_id}-cell"][1]
    assert 'class="sc-cell has-error"' in cell or "has-error" in cell.split(">", 1)[0]
    assert f'<p class="field-error" id="{field_id}-error">Enter a whole number from 1 to 5.</p>' in cell
    assert f'<a href="#{field_id}">Campus — Cost</a>: Enter a whole number from 1 to 5.' in pieces["#scoring-result"][1]


def test_every_cell_named_since_the_last_answer_comes_back(client, library):
    names = [_name(library, 0, 1), _name(library, 2, 0)]

    pieces, _ = _pieces(_score(client, library, _grid(library), " ".join(names)).text)

    cells = [target for target in pieces if target.endswith("-cell")]
    assert cells == [f"#sc-{name.replace('.', '-')}-cell" for name in reversed(names)]  # the grid's order


@pytest.mark.parametrize(
    "edited",
    [
        "",  # nothing named
        "s.999999.1",  # no such cell in this grid
        "w.1",  # a weight: the settings panel changes
        "method",
        "s.1.1.1",
        "<script>",
        " ".join(["s.1.1"] * 7),  # more names than cells
    ],
)
def test_a_change_the_grid_cannot_vouch_for_gets_the_whole_section(client, library, edited):
    if edited == "w.1":
        edited = f"w.{library['criteria'][0]['id']}"

    answer = _score(client, library, _grid(library), edited)

    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section id="scoring"')
    assert "<hx-partial" not in answer.text


def test_a_grid_drawn_before_the_matrix_changed_is_drawn_again_whole(client, library):
    params = _grid(library)
    drawn = library["version"]
    added = client.post(f"/api/v1/matrices/{library['id']}/options", json={"name": "Harbour"})
    assert added.status_code == 201

    stale = _score(client, library, params, _name(library, 0, 0), drawn=drawn)
    current = client.get(f"/api/v1/matrices/{library['id']}").json()["version"]
    fresh = _score(client, library, params, _name(library, 0, 0), drawn=current)

    assert stale.text.lstrip().startswith('<section id="scoring"') and "Harbour" in stale.text
    assert "<hx-partial" in fresh.text
    page = client.get(f"/matrices/{library['id']}").text
    assert f'data-sc-drawn="{current}"' in page  # what scoring.js sends back


def test_without_htmx_the_header_changes_nothing(client, library):
    page = client.get(
        f"/matrices/{library['id']}/score",
        params=_grid(library),
        headers={"Scoring-Edited": _name(library, 0, 0), "Scoring-Drawn": str(library["version"])},
    )

    assert "<html" in page.text and "<hx-partial" not in page.text


def test_the_owner_gets_save_these_scores_back_and_the_working_follows_the_scores(client, library):
    params = {**_grid(library), "method": "topsis", "explain": "1"}

    pieces, _ = _pieces(_score(client, library, params, _name(library, 0, 0)).text)

    assert pieces["#sc-save"][0] == "outerMorph" and ">Save these scores</button>" in pieces["#sc-save"][1]
    assert "Step 1. Normalised scores r" in pieces["#sc-after"][1]


def test_a_reader_who_may_not_save_gets_no_save_panel(anonymous, case_study_id):
    matrix = anonymous.get(f"/api/v1/matrices/{case_study_id}").json()
    option, criterion = matrix["options"][0]["id"], matrix["criteria"][0]["id"]

    answer = anonymous.get(
        f"/matrices/{case_study_id}/score",
        params={f"s.{option}.{criterion}": "3"},
        headers={**HTMX, "Scoring-Edited": f"s.{option}.{criterion}", "Scoring-Drawn": str(matrix["version"])},
    )

    pieces, _ = _pieces(answer.text)
    assert "#sc-save" not in pieces
    assert "1 of 40 cells filled" in pieces["#scoring-result"][1]


def test_user_text_in_a_changed_cell_is_escaped(client, make_matrix):
    matrix = make_matrix(
        options=[{"name": "<b>Bold</b> & co"}], criteria=[{"name": "<i>x</i>", "direction": "benefit"}]
    )
    name = f"s.{matrix['options'][0]['id']}.{matrix['criteria'][0]['id']}"

    answer = client.get(
        f"/matrices/{matrix['id']}/score",
        params={name: "3"},
        headers={**HTMX, "Scoring-Edited": name, "Scoring-Drawn": str(matrix["version"])},
    )

    assert "<b>Bold</b>" not in answer.text and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in answer.text
    assert "<i>x</i>" not in answer.text
