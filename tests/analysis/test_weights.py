"""Weighting schemes: formulas, tie handling, AHP consistency, error messages."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from optionsmatrix.analysis import (
    AnalysisError,
    ahp,
    compute_weights,
    direct,
    equal,
    rank_sum,
    roc,
    swing,
)


def test_direct_weights_are_scaled_to_sum_to_one():
    result = direct([2, 1, 1, 0])
    assert_allclose(result.weights, [0.5, 0.25, 0.25, 0.0])
    assert result.consistency is None and result.warnings == ()
    assert not result.weights.flags.writeable


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ([1, -1], "values[1]", "'values[1]' is -1; weights must be finite numbers >= 0"),
        ([1, float("inf")], "values[1]", "finite"),
        ([0, 0], "values", "weights must not all be zero"),
        ([], "values", "empty"),
        ([[1, 2]], "values", "flat list"),
        (["a"], "values", "list of numbers"),
    ],
)
def test_direct_rejects_what_problem_rejects(values, field, fragment):
    with pytest.raises(AnalysisError) as caught:
        direct(values)
    assert caught.value.field == field
    assert fragment in caught.value.message


def test_equal_weights():
    assert_allclose(equal(4).weights, [0.25] * 4)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(AnalysisError) as caught:
            equal(bad)  # type: ignore[arg-type]
        assert caught.value.field == "n"


def test_roc_follows_the_centroid_formula_for_any_order_of_criteria():
    n = 5
    expected_by_position = [sum(1 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
    assert_allclose(roc([3, 1, 5, 2, 4]).weights, [expected_by_position[r - 1] for r in [3, 1, 5, 2, 4]])


def test_tied_ranks_share_the_mean_weight_of_the_positions_they_occupy():
    roc_positions = roc([1, 2, 3, 4]).weights
    tied = roc([1, 2, 2, 4]).weights
    assert_allclose(tied, [roc_positions[0], *[(roc_positions[1] + roc_positions[2]) / 2] * 2, roc_positions[3]])
    assert_allclose(rank_sum([2, 1, 2]).weights, [(2 / 6 + 1 / 6) / 2, 3 / 6, (2 / 6 + 1 / 6) / 2])
    assert_allclose(roc([1, 1, 1]).weights, [1 / 3] * 3)


@pytest.mark.parametrize(
    ("ranks", "field", "fragment"),
    [
        ([1, 1, 2], "ranks", "a criterion ranked 2 has 2 criteria above it, so its rank should be 3"),
        ([1, 2, 2, 3], "ranks", "ranked 3 has 3 criteria above it"),
        ([2, 2, 3], "ranks", "ranked 2 has 0 criteria above it, so its rank should be 1"),
        ([1, 0], "ranks[1]", "whole numbers from 1 (most important) to 2"),
        ([1, 3], "ranks[1]", "to 2"),
        ([1, 1.5], "ranks[1]", "whole numbers"),
        ([], "ranks", "empty"),
    ],
)
@pytest.mark.parametrize("scheme", [roc, rank_sum])
def test_ranks_must_be_competition_ranks(scheme, ranks, field, fragment):
    with pytest.raises(AnalysisError) as caught:
        scheme(ranks)
    assert caught.value.field == field
    assert fragment in caught.value.message


def test_integral_float_ranks_are_accepted():
    assert_allclose(roc([1.0, 2.0]).weights, roc([1, 2]).weights)


def test_swing_weights_are_points_over_their_sum():
    assert_allclose(swing([100, 50, 50, 0]).weights, [0.5, 0.25, 0.25, 0.0])


def test_swing_without_a_hundred_explains_the_convention():
    with pytest.raises(AnalysisError) as caught:
        swing([80, 40])
    assert caught.value.field == "points"
    assert "most important criterion at exactly 100" in caught.value.message
    assert "the largest is 80" in caught.value.message


@pytest.mark.parametrize("points", [[100, 120], [100, -5], [100, float("nan")]])
def test_swing_points_must_lie_between_zero_and_a_hundred(points):
    with pytest.raises(AnalysisError) as caught:
        swing(points)
    assert caught.value.field == "points[1]"


def test_ahp_consistent_matrix_has_exact_ratio_weights_and_zero_cr():
    weights = np.array([4.0, 2.0, 1.0])
    matrix = weights[:, None] / weights[None, :]
    for priority in ("eigenvector", "geometric_mean"):
        result = ahp(matrix, priority)
        assert_allclose(result.weights, weights / weights.sum())
        assert result.consistency is not None
        assert_allclose([result.consistency.lambda_max, result.consistency.cr], [3.0, 0.0], atol=1e-12)
        assert result.warnings == ()


def test_ahp_consistency_is_the_same_for_both_priority_methods():
    matrix = [[1, 3, 1 / 5], [1 / 3, 1, 1 / 7], [5, 7, 1]]
    eigen, geometric = ahp(matrix, "eigenvector"), ahp(matrix, "geometric_mean")
    assert eigen.consistency == geometric.consistency
    row_means = np.exp(np.log(matrix).mean(axis=1))
    assert_allclose(geometric.weights, row_means / row_means.sum())
    assert_allclose(eigen.weights, geometric.weights, atol=0.02)  # close, not equal, on an inconsistent matrix


@pytest.mark.parametrize("n", [1, 2])
def test_ahp_with_at_most_two_criteria_is_consistent_by_definition(n):
    matrix = [[1.0]] if n == 1 else [[1, 5], [1 / 5, 1]]
    result = ahp(matrix)
    assert result.consistency is not None
    c = result.consistency
    assert (c.lambda_max, c.ci, c.ri, c.cr) == (float(n), 0.0, 0.0, 0.0)
    if n == 2:
        assert_allclose(result.weights, [5 / 6, 1 / 6])


def test_ahp_uses_saatys_random_index_up_to_fifteen():
    expected = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48,
                13: 1.56, 14: 1.57, 15: 1.59}  # fmt: skip
    for n, ri in expected.items():
        consistency = ahp(np.ones((n, n))).consistency
        assert consistency is not None and consistency.ri == ri


@pytest.mark.parametrize(
    ("matrix", "field", "fragment"),
    [
        ([[1, 2, 3], [1 / 2, 1, 4]], "pairwise", "square n×n table; got 2×3"),
        (np.ones((16, 16)), "pairwise", "AHP is limited to 15"),
        (
            [[1, 3], [1 / 2, 1]],
            "pairwise[1][0]",
            "'pairwise[0][1]' is 3 but 'pairwise[1][0]' is 0.5; it must be the reciprocal, 0.333333",
        ),
        ([[1, 12], [1 / 12, 1]], "pairwise[0][1]", "Saaty's scale from 1/9 to 9"),
        ([[1, 0], [0, 1]], "pairwise[0][1]", "Saaty's scale"),
        ([[2, 1], [1, 1]], "pairwise[0][0]", "compared with itself must be 1"),
        ([[1, float("nan")], [1, 1]], "pairwise[0][1]", "is nan"),
        ("matrix", "pairwise", "square table of numbers"),
    ],
)
def test_ahp_rejects_a_malformed_matrix_naming_the_cell(matrix, field, fragment):
    with pytest.raises(AnalysisError) as caught:
        ahp(matrix)
    assert caught.value.field == field
    assert fragment in caught.value.message


def test_ahp_forgives_rounding_in_typed_reciprocals():
    assert ahp([[1, 3], [0.3333333333, 1]]).weights.shape == (2,)


def test_ahp_unknown_priority_method():
    with pytest.raises(AnalysisError) as caught:
        ahp([[1.0]], "arithmetic")
    assert caught.value.field == "priority"


def test_compute_weights_dispatches_by_name():
    assert_allclose(compute_weights("roc", ranks=[1, 2]).weights, [0.75, 0.25])
    assert_allclose(compute_weights("equal", n=2).weights, [0.5, 0.5])
    assert compute_weights("ahp", pairwise=[[1, 3], [1 / 3, 1]], priority="geometric_mean").consistency is not None


@pytest.mark.parametrize(
    ("scheme", "kwargs", "field"),
    [
        ("entropy", {}, "scheme"),
        ("roc", {}, "ranks"),
        ("roc", {"ranks": [1], "points": [100]}, "points"),
    ],
)
def test_compute_weights_names_a_bad_scheme_or_argument(scheme, kwargs, field):
    with pytest.raises(AnalysisError) as caught:
        compute_weights(scheme, **kwargs)
    assert caught.value.field == field


def test_weight_result_to_dict_is_plain_json():
    data = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]).to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert set(data["consistency"]) == {"lambda_max", "ci", "ri", "cr"}
    assert direct([1, 1]).to_dict() == {"weights": [0.5, 0.5], "consistency": None, "warnings": []}
