"""Each method and weighting scheme reproduces a published worked example.

Where we could read the numbers only through someone else's transcription
(another library's test suite or an encyclopedia article that restates a
book's example), the docstring says so; every transcription was also checked
by recomputing it independently before it went in here.
"""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from optionsmatrix.analysis import Problem, ahp, rank, rank_sum, roc

# Triantaphyllou's three-alternative, four-criterion example (all benefit).
TRIANTAPHYLLOU_SCORES = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
TRIANTAPHYLLOU_WEIGHTS = [0.20, 0.15, 0.40, 0.25]


def _triantaphyllou() -> Problem:
    return Problem.build(
        ["A1", "A2", "A3"], ["C1", "C2", "C3", "C4"], TRIANTAPHYLLOU_SCORES, ["benefit"] * 4, TRIANTAPHYLLOU_WEIGHTS
    )


def test_wsm_on_raw_values_reproduces_triantaphyllou_and_ties_a2_with_a3():
    """Triantaphyllou, E. (2000). Multi-Criteria Decision Making Methods: A
    Comparative Study. Kluwer, ch. 2 (WSM numerical example), as restated in
    Wikipedia, "Weighted sum model" (example table): WSM scores A1 = 21.50,
    A2 = 22.00, A3 = 22.00, so A2 and A3 tie for first."""
    ranking = rank(_triantaphyllou(), "wsm", "none")
    assert_allclose(ranking.scores, [21.50, 22.00, 22.00])
    assert ranking.ranks.tolist() == [3, 1, 1]
    assert ranking.order == ("A2", "A3", "A1")


def test_wpm_reproduces_triantaphyllou_pairwise_ratios():
    """Triantaphyllou (2000), ch. 2 (WPM numerical example), as restated in
    Wikipedia, "Weighted product model": on the WSM data, P(A1/A2) = 1.007,
    P(A1/A3) = 1.067, P(A2/A3) = 1.059, so A1 > A2 > A3. The ratio of two of
    our WPM scores is exactly the published P(AK/AL)."""
    ranking = rank(_triantaphyllou(), "wpm")
    a1, a2, a3 = ranking.scores
    assert_allclose([a1 / a2, a1 / a3, a2 / a3], [1.007, 1.067, 1.059], atol=5e-4)
    assert ranking.order == ("A1", "A2", "A3")


def test_wpm_with_sum_normalisation_matches_scikit_criteria_reference():
    """Same Triantaphyllou/Wikipedia data with sum normalisation; reference
    log10 scores [-0.50128589, -0.50448471, -0.52947246] from scikit-criteria's
    test_WeightedProductModel_enwiki_1015567716 (Cabral, Luczywo & Zanazzi,
    scikit-criteria, tests/madm/test_simple.py), which scores in log10."""
    ranking = rank(_triantaphyllou(), "wpm", "sum")
    assert_allclose(np.log10(ranking.scores), [-0.50128589, -0.50448471, -0.52947246], rtol=1e-7)


def test_topsis_reproduces_tzeng_and_huang():
    """Tzeng, G.-H. & Huang, J.-J. (2011). Multiple Attribute Decision Making:
    Methods and Applications. CRC Press (TOPSIS example: four alternatives,
    three benefit criteria, w = 0.3, 0.4, 0.3, vector normalisation). Relative
    closeness 0.5037, 0.6581, 0.7482, 0.3340; transcribed from scikit-criteria's
    test_TOPSIS_tzeng2011multiple."""
    problem = Problem.build(
        ["A1", "A2", "A3", "A4"],
        ["C1", "C2", "C3"],
        [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]],
        ["benefit"] * 3,
        [0.3, 0.4, 0.3],
    )
    ranking = rank(problem, "topsis")
    assert ranking.normalization == "vector"
    assert_allclose(ranking.scores, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)
    assert ranking.ranks.tolist() == [3, 2, 1, 4]


def _opricovic_tzeng() -> Problem:
    # f1 (risk, minimised) and f2 (benefit), equal weights.
    return Problem.build(
        ["A1", "A2", "A3"], ["f1", "f2"], [[1, 3000], [2, 3750], [5, 4500]], ["cost", "benefit"], [0.5, 0.5]
    )


def test_vikor_reproduces_opricovic_and_tzeng_compromise():
    """Opricovic, S. & Tzeng, G.-H. (2004). Compromise solution by MCDM
    methods: A comparative analysis of VIKOR and TOPSIS. European Journal of
    Operational Research 156(2), 445–455, numerical example (section 5): three
    alternatives, f1 minimised, f2 maximised, w = 0.5, v = 0.5. Q = 1, 0, 1 as
    transcribed in pymcdm's test suite (test_mcdm.py, TestVIKOR); S and R below
    follow by hand from the paper's definitions (S2 = 0.5·1/4 + 0.5·750/1500).
    A2 meets both acceptance conditions, so it alone is the compromise."""
    ranking = rank(_opricovic_tzeng(), "vikor")
    assert_allclose(ranking.details["Q"], [1.0, 0.0, 1.0])
    assert_allclose(ranking.details["S"], [0.5, 0.375, 0.5])
    assert_allclose(ranking.details["R"], [0.5, 0.25, 0.5])
    assert ranking.details["compromise_set"] == ("A2",)
    assert ranking.higher_is_better is False
    assert ranking.ranks.tolist() == [2, 1, 2]


def test_vikor_reproduces_yang_and_wu():
    """Yang, W. & Wu, Y. (2020). A new improvement method to avoid rank
    reversal in VIKOR. IEEE Access 8, 21261–21271: five alternatives, four
    benefit criteria, equal weights, v = 0.5. Q = 0.5679, 0.7667, 1, 0.7493, 0,
    as transcribed in pymcdm's test suite (TestVIKOR.test_output_yang)."""
    problem = Problem.build(
        [f"A{i}" for i in range(1, 6)],
        ["C1", "C2", "C3", "C4"],
        [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]],
        ["benefit"] * 4,
        [0.25] * 4,
    )
    assert_allclose(rank(problem, "vikor").scores, [0.5679, 0.7667, 1.0, 0.7493, 0.0], atol=5e-5)


# π(a, b) for the six-alternative example below, three decimals, row a, column b.
SIX_ALTERNATIVES_PREFERENCE = [
    [0.000, 0.296, 0.250, 0.268, 0.100, 0.185],
    [0.462, 0.000, 0.389, 0.333, 0.296, 0.500],
    [0.236, 0.180, 0.000, 0.333, 0.056, 0.429],
    [0.399, 0.505, 0.305, 0.000, 0.223, 0.212],
    [0.444, 0.515, 0.487, 0.380, 0.000, 0.448],
    [0.286, 0.399, 0.250, 0.432, 0.133, 0.000],
]


def test_promethee2_reproduces_the_six_alternative_example_with_one_criterion_of_each_type():
    """Six alternatives, six equally weighted criteria, one of each preference
    function: g1 (min) u-shape q = 10, g2 (max) v-shape p = 30, g3 (min) linear
    q = 0.5 p = 5, g4 (min) level q = 1 p = 6, g5 (min) usual, g6 (max)
    Gaussian s = 5.

    Source, checked number by number: the test suite of
    WAndraszyk/Construct-your-own-PROMETHEE-with-Python-for-MCDA (a PROMETHEE
    library from Poznań University of Technology) — unit_tests/data/Example2Data.py
    (commit 40f77defb1ac6597a7edb069ec4b99b4dd1c9b10) for the evaluations,
    thresholds and directions, and unit_tests/preference/test_PrometheePreference.py
    (commit 17acb323e7ec7a0faa825f48bb738fc3767b5cf1) for the preference-index
    table π(a, b) with equal weights, to three decimals (SIX_ALTERNATIVES_PREFERENCE).

    The net flows −0.728, 0.085, −0.447, −0.102, 1.466, −0.274 are that
    table's row sums minus its column sums; ours average over the other
    m − 1 = 5 alternatives, hence the factor 5. The table was computed in
    three-decimal steps, so our unrounded π differs from it by less than 0.001.
    (This example has long been credited here to Brans & Vincke (1985),
    Management Science 31(6); we could not read that paper's tables, so it is
    not the source we name.)"""
    problem = Problem.build(
        [f"a{i}" for i in range(1, 7)],
        ["g1", "g2", "g3", "g4", "g5", "g6"],
        [
            [80, 90, 6, 5.4, 8, 5],
            [65, 58, 2, 9.7, 1, 1],
            [83, 60, 4, 7.2, 4, 7],
            [40, 80, 10, 7.5, 7, 10],
            [52, 72, 6, 2.0, 3, 8],
            [94, 96, 7, 3.6, 5, 6],
        ],
        ["cost", "benefit", "cost", "cost", "cost", "benefit"],
        [1] * 6,
        preferences=[
            {"function": "u_shape", "q": 10},
            {"function": "v_shape", "p": 30},
            {"function": "linear", "q": 0.5, "p": 5},
            {"function": "level", "q": 1, "p": 6},
            None,
            {"function": "gaussian", "s": 5},
        ],
    )
    published = np.array(SIX_ALTERNATIVES_PREFERENCE)

    ranking = rank(problem, "promethee2", explain=True)

    assert_allclose(ranking.steps["preference"], published, atol=1e-3)
    assert_allclose(published.sum(axis=1) - published.sum(axis=0), [-0.728, 0.085, -0.447, -0.102, 1.466, -0.274])
    assert_allclose(ranking.details["phi_plus"] * 5, published.sum(axis=1), atol=3e-3)
    assert_allclose(ranking.details["phi_minus"] * 5, published.sum(axis=0), atol=3e-3)
    assert_allclose(ranking.scores * 5, [-0.728, 0.085, -0.447, -0.102, 1.466, -0.274], atol=3e-3)
    assert ranking.order == ("a5", "a2", "a4", "a6", "a3", "a1")


def test_promethee2_usual_reproduces_zhao_peng_and_li():
    """Zhao, H., Peng, Y. & Li, W. (2013). Revised PROMETHEE II for improving
    efficiency in emergency response. Procedia Computer Science 17, 181–188:
    three alternatives, usual criterion, w = 0.5, 0.3, 0.2; net flows 0.1,
    −0.3, 0.2, as transcribed in pymcdm's test suite (TestPROMETHEE_II)."""
    problem = Problem.build(["A1", "A2", "A3"], ["C1", "C2", "C3"], [[4, 3, 2], [3, 2, 4], [5, 1, 3]],
                            ["benefit"] * 3, [0.5, 0.3, 0.2])
    ranking = rank(problem, "promethee2")
    assert_allclose(ranking.scores, [0.1, -0.3, 0.2], atol=1e-12)
    assert_allclose(ranking.details["phi_plus"], [0.55, 0.35, 0.6], atol=1e-12)
    assert_allclose(ranking.details["phi_minus"], [0.45, 0.65, 0.4], atol=1e-12)


def test_roc_weights_reproduce_barron_and_barrett_for_four_criteria():
    """Barron, F. H. & Barrett, B. E. (1996). Decision quality using ranked
    attribute weights. Management Science 42(11), 1515–1523: ROC weights for
    n = 4 are 0.5208, 0.2708, 0.1458, 0.0625."""
    assert_allclose(roc([1, 2, 3, 4]).weights, [0.5208, 0.2708, 0.1458, 0.0625], atol=5e-5)


def test_rank_sum_weights_follow_stillwell_seaver_and_edwards():
    """Stillwell, W. G., Seaver, D. A. & Edwards, W. (1981). A comparison of
    weight approximation techniques in multiattribute utility decision making.
    Organizational Behavior and Human Performance 28(1), 62–77. We found no
    table we could verify, so this checks the formula w_i = (n − i + 1)/Σk by
    hand for n = 4: 4/10, 3/10, 2/10, 1/10."""
    assert_allclose(rank_sum([1, 2, 3, 4]).weights, [0.4, 0.3, 0.2, 0.1])


# Saaty's house-buying example, criteria: size, transportation, neighbourhood,
# age, yard, modern facilities, general condition, financing.
SAATY_HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_ahp_reproduces_saaty_house_example_priorities_and_consistency():
    """Saaty, T. L. (1990). How to make a decision: The analytic hierarchy
    process. European Journal of Operational Research 48(1), 9–26, Table 2
    (house example, 8 criteria): priorities 0.173, 0.054, 0.188, 0.018, 0.031,
    0.036, 0.167, 0.333; λmax = 9.669, C.I. = 0.238, C.R. = 0.169. (The same
    judgements appear as "Incomplete Housing" in AHPy's tests.) CR > 0.1, so
    the result warns that the judgements are inconsistent."""
    result = ahp(SAATY_HOUSE)
    assert_allclose(result.weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], atol=5e-4)
    assert result.consistency is not None
    assert_allclose(result.consistency.lambda_max, 9.669, atol=5e-4)
    assert_allclose(result.consistency.ci, 0.238, atol=5e-4)
    assert_allclose(result.consistency.cr, 0.169, atol=5e-4)
    assert result.consistency.ri == 1.41
    assert len(result.warnings) == 1 and "CR = 0.169" in result.warnings[0]


def test_ahp_reproduces_saaty_drinks_example():
    """Saaty, T. L. (2008). Decision making with the analytic hierarchy
    process. International Journal of Services Sciences 1(1), 83–98, "which
    drink is consumed more in the U.S.?": derived priorities coffee 0.177, wine
    0.019, tea 0.042, beer 0.116, sodas 0.190, milk 0.129, water 0.327,
    CR = 0.022 — transcribed from AHPy's tests (test_drinks_*), which encode
    the paper's judgements."""
    names = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    judgements = {
        ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
        ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
        ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
        ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
        ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9, ("milk", "tea"): 3,
    }  # fmt: skip
    index = {name: k for k, name in enumerate(names)}
    matrix = np.ones((7, 7))
    for (a, b), value in judgements.items():
        matrix[index[a], index[b]] = value
        matrix[index[b], index[a]] = 1 / value
    result = ahp(matrix)
    assert_allclose(result.weights, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=5e-4)
    assert result.consistency is not None
    assert_allclose(result.consistency.cr, 0.022, atol=5e-4)
    assert result.warnings == ()
