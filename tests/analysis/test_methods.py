"""`rank`: argument checks, degenerate cases and their warnings, explain steps, JSON output."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optionsmatrix.analysis import AnalysisError, Problem, rank
from optionsmatrix.analysis.methods import METHOD_NAMES
from optionsmatrix.analysis.methods.vikor import compromise_set
from optionsmatrix.analysis.ranks import SINGLE_OPTION_WARNING


def problem_of(scores, directions=None, weights=None, scales=None, options=None, preferences=None) -> Problem:
    scores = np.asarray(scores, dtype=float)
    m, n = scores.shape
    return Problem.build(
        options or [f"A{i + 1}" for i in range(m)],
        [f"C{j + 1}" for j in range(n)],
        scores,
        directions or ["benefit"] * n,
        weights or [1] * n,
        scales,
        preferences,
    )


MIXED = problem_of([[3, 200, 4], [5, 100, 2], [4, 150, 5]], ["benefit", "cost", "benefit"], [2, 1, 1],
                   scales=[(1, 5), (0, 300), (1, 5)])


# --- arguments ----------------------------------------------------------------


def test_unknown_method_lists_the_methods():
    with pytest.raises(AnalysisError) as caught:
        rank(MIXED, "electre")
    assert caught.value.field == "method"
    assert "wsm, wpm, topsis, vikor, promethee2" in caught.value.message


@pytest.mark.parametrize(
    ("method", "normalization", "fragment"),
    [
        ("wsm", "vector", "method 'wsm' accepts normalization 'scale', 'minmax', 'sum', 'max', 'none'; got 'vector'"),
        ("wpm", "minmax", "method 'wpm' accepts normalization 'none', 'sum'; got 'minmax'"),
        ("topsis", "sum", "method 'topsis' accepts normalization 'vector', 'minmax'; got 'sum'"),
        ("vikor", "minmax", "method 'vikor' works on raw scores and takes no normalization"),
        ("promethee2", "none", "method 'promethee2' works on raw scores and takes no normalization"),
    ],
)
def test_a_normalisation_the_method_does_not_accept_lists_the_allowed_ones(method, normalization, fragment):
    with pytest.raises(AnalysisError) as caught:
        rank(MIXED, method, normalization)
    assert caught.value.field == "normalization"
    assert fragment in caught.value.message


def test_wsm_on_raw_values_refuses_a_cost_criterion():
    with pytest.raises(AnalysisError) as caught:
        rank(MIXED, "wsm", "none")
    assert caught.value.field == "normalization"
    assert "criterion 'C2' is a cost" in caught.value.message


def test_default_normalisations():
    assert rank(MIXED, "wsm").normalization == "scale"
    assert rank(problem_of([[1, 2], [3, 4]]), "wsm").normalization == "minmax"
    assert rank(MIXED, "wpm").normalization == "none"
    assert rank(MIXED, "topsis").normalization == "vector"
    assert rank(MIXED, "vikor").normalization is None
    assert rank(MIXED, "promethee2").normalization is None


@pytest.mark.parametrize("v", [1.5, -0.1, "0.5", True, None, float("nan")])
def test_vikor_v_outside_zero_to_one_is_refused(v):
    with pytest.raises(AnalysisError) as caught:
        rank(MIXED, "vikor", params={"v": v})
    assert caught.value.field == "params.v"
    assert "must be a number from 0 to 1" in caught.value.message


def test_unknown_parameters_are_refused_by_name():
    with pytest.raises(AnalysisError) as caught:
        rank(MIXED, "topsis", params={"v": 0.5})
    assert caught.value.field == "params.v"
    assert "takes no parameter 'v'" in caught.value.message
    with pytest.raises(AnalysisError) as caught:
        rank(MIXED, "vikor", params=[("v", 0.5)])
    assert caught.value.field == "params"


def test_wpm_needs_positive_scores_and_names_the_cell():
    with pytest.raises(AnalysisError) as caught:
        rank(problem_of([[1, 2], [0, 3]]), "wpm")
    assert caught.value.field == "scores[1][0]"
    assert "criterion 'C1' has 0 for option 'A2'" in caught.value.message


def test_rank_needs_a_built_problem():
    with pytest.raises(TypeError):
        rank(np.ones((2, 2)), "wsm")  # type: ignore[arg-type]


# --- results ------------------------------------------------------------------


def test_wsm_contributions_are_the_weighted_normalised_matrix_and_sum_to_the_score():
    ranking = rank(MIXED, "wsm")
    contributions = ranking.details["contributions"]
    assert contributions.shape == (3, 3)
    assert_allclose(contributions.sum(axis=1), ranking.scores)
    assert_allclose(contributions[0], [0.5 * 0.5, 0.25 * (100 / 300), 0.25 * 0.75])


def test_results_are_read_only():
    ranking = rank(MIXED, "topsis", explain=True)
    assert not ranking.scores.flags.writeable
    assert not ranking.ranks.flags.writeable
    assert not ranking.steps["weighted"].flags.writeable
    with pytest.raises(TypeError):
        ranking.details["x"] = 1  # type: ignore[index]


EXPECTED_STEPS = {
    "wsm": {"normalized", "weighted"},
    "wpm": {"normalized", "weighted"},
    "topsis": {"normalized", "weighted", "ideal", "anti_ideal", "distance_to_ideal", "distance_to_anti_ideal"},
    "vikor": {"normalized", "weighted", "best", "worst", "S", "R", "Q"},
    "promethee2": {"normalized", "weighted", "preference", "phi_plus", "phi_minus"},
}


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_explain_adds_named_steps_and_only_then(method):
    assert rank(MIXED, method).steps == {}
    steps = rank(MIXED, method, explain=True).steps
    assert set(steps) == EXPECTED_STEPS[method]
    assert steps["normalized"].shape == steps["weighted"].shape == (3, 3)


def test_wpm_weighted_step_holds_factors_whose_product_is_the_score():
    for normalization in ("none", "sum"):
        ranking = rank(MIXED, "wpm", normalization, explain=True)
        assert_allclose(ranking.steps["weighted"].prod(axis=1), ranking.scores)


def test_promethee_weighted_unicriterion_flows_add_up_to_the_net_flow():
    ranking = rank(MIXED, "promethee2", explain=True)
    assert_allclose(ranking.steps["weighted"].sum(axis=1), ranking.scores)
    assert_allclose(ranking.steps["preference"].sum(axis=1) / 2, ranking.details["phi_plus"])


def test_vikor_steps_are_the_regret_terms_and_their_weighted_values():
    ranking = rank(MIXED, "vikor", explain=True)
    steps = ranking.steps
    assert_allclose(steps["weighted"].sum(axis=1), steps["S"])
    assert_allclose(steps["weighted"].max(axis=1), steps["R"])
    assert_allclose(steps["best"], [5, 100, 5])
    assert_allclose(steps["worst"], [3, 200, 2])


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_to_dict_is_plain_json(method):
    ranking = rank(MIXED, method, explain=True)
    data = ranking.to_dict()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert data["options"] == ["A1", "A2", "A3"] and data["criteria"] == ["C1", "C2", "C3"]
    assert all(isinstance(r, int) for r in data["ranks"])
    assert all(isinstance(s, float) for s in data["scores"])
    assert sorted(data["order"]) == ["A1", "A2", "A3"]


def test_vikor_compromise_set_is_plain_names_in_json():
    data = rank(problem_of([[1, 3000], [2, 3750], [5, 4500]], ["cost", "benefit"]), "vikor").to_dict()
    assert data["details"]["compromise_set"] == ["A2"]


# --- degenerate cases ---------------------------------------------------------


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_a_single_option_ranks_first_with_a_warning(method):
    ranking = rank(problem_of([[3.0, 4.0]]), method)
    assert ranking.ranks.tolist() == [1]
    assert ranking.warnings[-1] == SINGLE_OPTION_WARNING
    # Per-criterion "all options equal" warnings would only repeat it.
    assert len(ranking.warnings) == (2 if method == "vikor" else 1)


def test_single_option_vikor_is_its_own_compromise_and_warns_that_dq_is_undefined():
    ranking = rank(problem_of([[3.0, 4.0]]), "vikor")
    assert ranking.details["compromise_set"] == ("A1",)
    assert_allclose(ranking.scores, [0.0])
    assert any("DQ = 1/(m − 1) is undefined" in w for w in ranking.warnings)


def test_single_option_promethee_has_zero_flows():
    ranking = rank(problem_of([[3.0, 4.0]]), "promethee2")
    assert_allclose([ranking.scores[0], ranking.details["phi_plus"][0], ranking.details["phi_minus"][0]], 0.0)


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_a_single_criterion_works(method):
    ranking = rank(problem_of([[3.0], [1.0], [2.0]]), method)
    best_first = ["A1", "A3", "A2"]
    assert list(ranking.order) == best_first


def test_topsis_with_identical_options_gives_half_closeness_and_a_warning():
    ranking = rank(problem_of([[2, 5], [2, 5], [2, 5]]), "topsis")
    assert_allclose(ranking.scores, [0.5, 0.5, 0.5])
    assert ranking.ranks.tolist() == [1, 1, 1]
    assert "TOPSIS cannot separate them; each gets closeness 0.5" in ranking.warnings[0]


def test_topsis_minmax_on_a_constant_criterion_warns_and_ignores_it():
    ranking = rank(problem_of([[1, 5], [3, 5]]), "topsis", "minmax")
    assert_allclose(ranking.scores, [0.0, 1.0])
    assert any("criterion 'C2' has the same value for every option" in w for w in ranking.warnings)


def test_vikor_constant_criterion_adds_no_regret_and_warns():
    ranking = rank(problem_of([[1, 5], [3, 5]]), "vikor", explain=True)
    assert_allclose(ranking.steps["normalized"][:, 1], [0.0, 0.0])
    assert "criterion 'C2' has the same value for every option, so it adds no regret in VIKOR" in ranking.warnings


def test_vikor_with_all_options_identical_has_zero_q_and_warns_about_s_and_r():
    ranking = rank(problem_of([[2, 5], [2, 5], [2, 5]]), "vikor")
    assert_allclose(ranking.scores, [0.0, 0.0, 0.0])
    assert ranking.details["compromise_set"] == ("A1", "A2", "A3")
    assert any("same group utility S" in w for w in ranking.warnings)
    assert any("same individual regret R" in w for w in ranking.warnings)


def test_vikor_with_v_one_does_not_warn_about_r():
    ranking = rank(problem_of([[2, 5], [2, 5]]), "vikor", params={"v": 1})
    assert not any("regret R" in w for w in ranking.warnings)


def test_vikor_compromise_widens_when_no_option_has_an_acceptable_advantage():
    """A (10, 0), B (0, 10), C (5, 4): S = 0.5, 0.5, 0.55 and R = 0.5, 0.5, 0.3,
    so Q = 0.5 for all three; C1 fails and every option is within DQ = 0.5."""
    ranking = rank(problem_of([[10, 0], [0, 10], [5, 4]], options=["A", "B", "C"]), "vikor")
    assert_allclose(ranking.scores, [0.5, 0.5, 0.5])
    assert ranking.details["compromise_set"] == ("A", "B", "C")


def test_compromise_set_rules_of_opricovic_and_tzeng():
    q = np.array([0.0, 0.1, 0.2, 0.6, 1.0])  # m = 5, DQ = 0.25
    s = np.array([0.1, 0.3, 0.2, 0.5, 0.9])
    r = np.array([0.2, 0.1, 0.3, 0.4, 0.5])
    # C1 fails: everyone with Q − Q(a') < DQ joins.
    assert compromise_set(q, s, r).tolist() == [0, 1, 2]
    # Both hold: only a'.
    q_clear = np.array([0.0, 0.3, 0.5, 0.6, 1.0])
    assert compromise_set(q_clear, s, r).tolist() == [0]
    # Only C2 fails (a' best by neither S nor R): a' and a''.
    assert compromise_set(q_clear, s + np.array([0.5, 0, 0, 0, 0]), r + np.array([0.5, 0, 0, 0, 0])).tolist() == [0, 1]
    # A gap of exactly DQ counts as an acceptable advantage despite rounding.
    assert compromise_set(np.array([0.0, 0.25 - 1e-15, 0.5, 0.8, 1.0]), s, r).tolist() == [0]


def test_promethee_zero_weight_criterion_has_no_effect():
    with_zero = problem_of([[1, 9], [2, 0]], weights=[1, 0])
    assert_allclose(rank(with_zero, "promethee2").scores, [-1.0, 1.0])


def test_promethee_gaussian_with_a_tiny_s_gives_full_preference_without_overflow():
    problem = problem_of([[0.0], [1e100]], preferences=[{"function": "gaussian", "s": 1e-100}])
    assert_allclose(rank(problem, "promethee2").scores, [-1.0, 1.0])


@pytest.mark.parametrize(
    ("function", "thresholds", "expected"),
    [
        ("usual", {}, 1.0),
        ("u_shape", {"q": 2}, 0.0),
        ("u_shape", {"q": 1}, 1.0),
        ("v_shape", {"p": 4}, 0.5),
        ("level", {"q": 1, "p": 3}, 0.5),
        ("level", {"q": 2, "p": 3}, 0.0),
        ("level", {"q": 0, "p": 1}, 1.0),
        ("linear", {"q": 1, "p": 5}, 0.25),
        ("gaussian", {"s": 2}, 1 - np.exp(-0.5)),
    ],
)
def test_preference_functions_at_a_difference_of_two(function, thresholds, expected):
    problem = problem_of([[2.0], [0.0]], preferences=[{"function": function, **thresholds}])
    ranking = rank(problem, "promethee2", explain=True)
    assert_allclose(ranking.steps["preference"], [[0.0, expected], [0.0, 0.0]], atol=1e-15)


def test_promethee_reads_cost_differences_the_other_way():
    problem = problem_of([[2.0], [0.0]], directions=["cost"])
    ranking = rank(problem, "promethee2", explain=True)
    assert_allclose(ranking.steps["preference"], [[0.0, 0.0], [1.0, 0.0]])
