"""Column normalisations: formulas, direction handling, degenerate columns."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optionsmatrix.analysis import AnalysisError, normalize

SCORES = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 30.0]])
BENEFIT_COST = np.array([True, False])


def test_scale_places_each_score_on_its_declared_scale_and_turns_cost_around():
    bounds = np.array([[0.0, 4.0], [10.0, 50.0]])
    result = normalize(SCORES, BENEFIT_COST, "scale", bounds=bounds)
    assert_allclose(result.values, [[0.25, 1.0], [0.5, 0.75], [1.0, 0.5]])
    assert result.warnings == ()


def test_scale_values_do_not_depend_on_the_other_options():
    bounds = np.array([[0.0, 4.0], [10.0, 50.0]])
    before = normalize(SCORES, BENEFIT_COST, "scale", bounds=bounds).values
    more = np.vstack([SCORES, [[0.0, 50.0]]])
    after = normalize(more, BENEFIT_COST, "scale", bounds=bounds).values
    assert_allclose(after[:3], before)


def test_scale_without_a_scale_names_the_criterion():
    with pytest.raises(AnalysisError) as caught:
        normalize(SCORES, BENEFIT_COST, "scale", criteria=["Cost", "Speed"], has_scale=[True, False])
    assert caught.value.field == "normalization"
    assert "criterion 'Speed' has none" in caught.value.message


def test_scale_with_a_score_outside_names_option_and_criterion():
    bounds = np.array([[0.0, 3.0], [10.0, 50.0]])
    with pytest.raises(AnalysisError) as caught:
        normalize(SCORES, BENEFIT_COST, "scale", bounds=bounds, criteria=["Q", "Cost"], options=["A", "B", "C"])
    assert caught.value.message == "criterion 'Q' has score 4 outside its scale 0–3 for option 'C'"
    assert caught.value.field == "scores[2][0]"


def test_minmax_uses_the_observed_range_and_turns_cost_around():
    result = normalize(SCORES, BENEFIT_COST, "minmax")
    assert_allclose(result.values, [[0.0, 1.0], [1 / 3, 0.5], [1.0, 0.0]])


def test_minmax_gives_one_and_a_warning_on_a_constant_criterion():
    scores = np.array([[1.0, 7.0], [2.0, 7.0]])
    result = normalize(scores, BENEFIT_COST, "minmax", criteria=["Q", "Cost"])
    assert_allclose(result.values[:, 1], [1.0, 1.0])
    assert result.warnings == (
        "criterion 'Cost' has the same value for every option, so min–max normalisation cannot separate them; "
        "every option gets 1 on it",
    )


def test_minmax_with_a_single_option_leaves_the_warning_to_the_single_option_rule():
    result = normalize(np.array([[1.0, 7.0]]), BENEFIT_COST, "minmax")
    assert_allclose(result.values, [[1.0, 1.0]])
    assert result.warnings == ()


def test_sum_uses_reciprocals_for_a_cost_criterion_not_negation():
    result = normalize(np.array([[1.0, 1.0], [3.0, 2.0], [4.0, 4.0]]), BENEFIT_COST, "sum")
    assert_allclose(result.values[:, 0], [1 / 8, 3 / 8, 4 / 8])
    assert_allclose(result.values[:, 1], [4 / 7, 2 / 7, 1 / 7])


def test_max_divides_by_the_best_and_uses_min_over_x_for_cost():
    result = normalize(SCORES, BENEFIT_COST, "max")
    assert_allclose(result.values, [[0.25, 1.0], [0.5, 0.5], [1.0, 1 / 3]])


@pytest.mark.parametrize("method", ["sum", "max"])
@pytest.mark.parametrize("bad", [0.0, -2.0])
def test_ratio_normalisations_need_positive_scores(method, bad):
    scores = np.array([[1.0, 2.0], [3.0, bad]])
    with pytest.raises(AnalysisError) as caught:
        normalize(scores, BENEFIT_COST, method, criteria=["Q", "Cost"])
    assert caught.value.field == "normalization"
    assert f"normalization '{method}' needs strictly positive scores; criterion 'Cost'" in caught.value.message


def test_sum_of_tiny_cost_scores_does_not_overflow():
    with np.errstate(all="raise"):
        result = normalize(np.array([[1e-100], [2e-100]]), np.array([False]), "sum")
    assert_allclose(result.values[:, 0], [2 / 3, 1 / 3])


def test_vector_divides_by_the_column_length_and_ignores_direction():
    result = normalize(np.array([[3.0, 1.0], [4.0, 1.0]]), BENEFIT_COST, "vector")
    assert_allclose(result.values, [[0.6, 2**-0.5], [0.8, 2**-0.5]])


def test_vector_of_an_all_zero_column_names_the_criterion():
    with pytest.raises(AnalysisError) as caught:
        normalize(np.array([[3.0, 0.0], [4.0, 0.0]]), BENEFIT_COST, "vector", criteria=["Q", "Risk"])
    assert "criterion 'Risk' is 0 for every option" in caught.value.message
    assert caught.value.field == "normalization"


def test_none_returns_the_raw_values():
    assert normalize(SCORES, BENEFIT_COST, "none").values is SCORES


def test_unknown_normalisation_lists_the_choices():
    with pytest.raises(AnalysisError) as caught:
        normalize(SCORES, BENEFIT_COST, "zscore")
    assert caught.value.field == "normalization"
    assert "scale, minmax, sum, max, vector, none" in caught.value.message
