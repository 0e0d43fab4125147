"""optionsmatrix.analysis.explain: a Ranking as labelled tables and words, numbers to four significant digits."""

import pytest

from optionsmatrix.analysis import Problem, rank
from optionsmatrix.analysis.explain import (
    describe_method,
    ranked_options,
    significant,
    step_tables,
)


def _ranking(method, scores=((3, 4, 5), (2, 5, 1), (4, 3, 4)), **kwargs):
    problem = Problem.build(
        options=["Riverside", "Old town", "Campus"][: len(scores)],
        criteria=["Cost", "Access", "Floor space"],
        scores=[list(row) for row in scores],
        directions=["cost", "benefit", "benefit"],
        weights=[2, 1, 1],
        scales=[(1, 5), (1, 5), (0, 10)],
    )
    return rank(problem, method, explain=True, **kwargs)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (2 / 3, "0.6667"),
        (0.5625, "0.5625"),
        (-0.75, "-0.75"),
        (12345.6, "1.235e+04"),
        (1e-5, "1e-05"),
        (7.0, "7"),
        (6.938893903907228e-18, "0"),  # a PROMETHEE net flow that should be 0, left by rounding
        (-1e-15, "0"),
    ],
)
def test_numbers_print_to_four_significant_digits(value, text):
    assert significant(value) == text


def test_promethee_preference_matrix_is_labelled_option_by_option_even_when_the_matrix_is_square():
    tables = {table.key: table for table in step_tables(_ranking("promethee2"))}

    # Three options and three criteria: the shapes alone could not tell the axes apart.
    assert tables["preference"].columns == ("Riverside", "Old town", "Campus")
    assert tables["normalized"].columns == ("Cost", "Access", "Floor space")
    assert [label for label, _ in tables["preference"].rows] == ["Riverside", "Old town", "Campus"]
    assert tables["per_option"].columns == ("φ⁺ (leaving flow)", "φ⁻ (entering flow)")
    assert tables["per_option"].rows[1] == ("Old town", (0.75, 0.25))


def test_per_criterion_vectors_are_gathered_into_one_table():
    tables = {table.key: table for table in step_tables(_ranking("vikor"))}

    assert [label for label, _ in tables["per_criterion"].rows] == ["Best value f*", "Worst value f⁻"]
    assert tables["per_criterion"].rows[0][1] == (2.0, 5.0, 5.0)
    assert tables["per_option"].columns == ("S (group utility)", "R (individual regret)", "Q")


def test_the_method_is_described_in_words_with_its_direction():
    assert describe_method(_ranking("vikor")).endswith("Lower Q ranks first.")
    assert describe_method(_ranking("topsis")).startswith(
        "TOPSIS (closeness to the ideal option), normalisation vector"
    )


def test_ranked_options_list_the_best_first_with_rank_and_score():
    rows = ranked_options(_ranking("wsm"))

    assert [(r.rank, r.name) for r in rows] == [(1, "Old town"), (2, "Riverside"), (3, "Campus")]
    assert rows[0].score == pytest.approx(0.65)
