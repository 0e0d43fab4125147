"""'How sure is this?' under the scoring form's ranking: the four analyses, computed only when asked for."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_scoring import _matrix, _scores

HTMX = {"HX-Request": "true"}


def _scored(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)
    return _scores(matrix, lambda i, j: (i * 3 + j) % 5 + 1)


def test_the_ranking_offers_how_sure_without_computing_it(anonymous, case_study_id):
    page = anonymous.get(f"/matrices/{case_study_id}/score", params=_scored(anonymous, case_study_id)).text

    assert 'id="how-sure"' in page and 'hx-trigger="toggle"' in page
    assert "interval-bar" not in page  # nothing computed until it is opened


def test_how_sure_answers_with_sentences_ranges_smaa_dominance_and_methods(anonymous, case_study_id):
    params = _scored(anonymous, case_study_id)

    fragment = anonymous.get(f"/matrices/{case_study_id}/how-sure", params=params, headers=HTMX)
    page = anonymous.get(f"/matrices/{case_study_id}/how-sure", params=params)

    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.count('class="interval-bar"') == 8 and fragment.text.count('class="acceptability-bar"') == 5
    assert "weightings drawn at random from all possible ones" in fragment.text
    assert "On the ladder" in fragment.text and "Level 5" in fragment.text
    assert "PROMETHEE II" in fragment.text
    assert ("would have to weigh" in fragment.text) or ("changes which option ranks first" in fragment.text)
    assert "CBP support" in fragment.text  # short names, as the page shows them
    assert page.status_code == 200 and "How sure is this ranking?" in page.text


def test_a_dominated_option_is_marked_on_the_ladder(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)
    best = [c["scale_max"] if c["direction"] == "benefit" else c["scale_min"] for c in matrix["criteria"]]
    worst = [c["scale_min"] if c["direction"] == "benefit" else c["scale_max"] for c in matrix["criteria"]]
    params = _scores(matrix, lambda i, j: int(best[j] if i == 0 else worst[j] if i == 1 else 3))

    fragment = anonymous.get(f"/matrices/{case_study_id}/how-sure", params=params, headers=HTMX).text

    assert "(dominated by CBP support" in fragment  # option 2 is worst everywhere: everyone dominates it


def test_without_a_ranking_how_sure_says_what_it_needs(anonymous, case_study_id):
    page = anonymous.get(f"/matrices/{case_study_id}/how-sure")

    assert page.status_code == 200 and "The analysis needs a group ranking" not in page.text
    assert "needs a ranking" in page.text


def test_how_sure_of_a_private_matrix_is_not_found_for_strangers(app, client, make_matrix):
    matrix = make_matrix()

    assert TestClient(app).get(f"/matrices/{matrix['id']}/how-sure").status_code == 404


def test_the_sweep_follows_the_most_sensitive_criterion_or_the_one_chosen(anonymous, case_study_id):
    params = _scored(anonymous, case_study_id)

    default = anonymous.get(f"/matrices/{case_study_id}/how-sure", params=params, headers=HTMX).text
    chosen = anonymous.get(f"/matrices/{case_study_id}/how-sure", params={**params, "sweep": "1"}, headers=HTMX).text
    nonsense = anonymous.get(f"/matrices/{case_study_id}/how-sure", params={**params, "sweep": "x"}, headers=HTMX)

    assert default.count('class="sweep-line"') == 5 and "Sweep another criterion" in default
    assert "as the weight of Leverage goes from 0 to 100 points" in chosen
    assert nonsense.status_code == 200 and nonsense.text == default


def test_benefit_against_cost_numbers_every_option_and_joins_the_efficient_ones(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)
    best = [c["scale_max"] if c["direction"] == "benefit" else c["scale_min"] for c in matrix["criteria"]]
    worst = [c["scale_min"] if c["direction"] == "benefit" else c["scale_max"] for c in matrix["criteria"]]
    params = _scores(matrix, lambda i, j: int(best[j] if i == 0 else worst[j] if i == 1 else 3))

    fragment = anonymous.get(f"/matrices/{case_study_id}/how-sure", params=params, headers=HTMX).text

    assert fragment.count('<g class="scatter-point') == 5
    assert fragment.count('<g class="scatter-point is-efficient"') == 1  # the option best everywhere
    assert 'class="scatter-frontier"' in fragment and "cost 0.00" in fragment  # best on every cost: no cost at all


def test_a_first_place_two_options_share_reads_as_a_tie_not_a_range_from_n_to_n(anonymous, case_study_id):
    matrix = _matrix(anonymous, case_study_id)
    # The first two options tie at equal weights, one better on supply chains, the other on leverage: any change
    # to either weight decides first place. The rest score worst everywhere (criteria 3–5 are costs).
    tied = {(0, 0): 5, (0, 1): 1, (1, 0): 1, (1, 1): 5}
    params = _scores(matrix, lambda i, j: tied.get((i, j), 3) if i < 2 else (5 if j in (2, 3, 4) else 1))

    fragment = anonymous.get(f"/matrices/{case_study_id}/how-sure", params=params, headers=HTMX).text

    assert "first place holds at 12 points only" in fragment  # eight equal weights: 12.5 points, shown as 12
    assert "from 12 to 12" not in fragment and "12–12" not in fragment and "less than 1 point" not in fragment
    assert "would only have to weigh slightly" in fragment
