"""web.bar_chart: the geometry of the ranking chart — bars from zero, values beside them, names wrapped."""

import pytest

from optionsmatrix.analysis import Problem, rank
from optionsmatrix.analysis.explain import ranked_options
from optionsmatrix.web.scoring.chart import ranking_chart


def _chart(options, scores, method="wsm", directions=("benefit",)):
    problem = Problem.build(options, ["C"], [[s] for s in scores], list(directions), [1])
    ranking = rank(problem, method)
    return ranking_chart(ranking, ranked_options(ranking))


def test_negative_bars_grow_left_from_the_zero_line_and_carry_their_value():
    chart = _chart(["A", "B", "C"], [3, 2, 1], method="promethee2")  # net flows 1, 0, −1

    last = chart.bars[-1]
    assert [bar.value_text for bar in chart.bars] == ["1", "0", "-1"]
    assert last.x + last.width == pytest.approx(chart.zero_x)
    assert last.value_anchor == "end" and last.value_x < last.x
    assert chart.bars[0].x == pytest.approx(chart.zero_x) and chart.bars[0].value_anchor == "start"
    assert chart.bars[1].width == 0


def test_long_names_wrap_to_two_lines_and_are_shortened_after():
    long_name = (
        "Bolster CBP capacity with military support (infrastructure construction, logistics support, surveillance)"
    )
    chart = _chart([long_name, "B"], [1, 2])

    lines = chart.bars[1].name_lines
    assert len(lines) == 2 and lines[0].startswith("2. Bolster CBP") and lines[1].endswith("…")
    assert chart.bars[1].name == long_name


def test_bars_stay_in_the_drawing_and_rows_do_not_overlap():
    chart = _chart(["A", "B", "C"], [5, 2.5, 0])

    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width
    pairs = zip(chart.bars, chart.bars[1:], strict=False)
    assert all(a.y + chart.bar_height <= b.name_y - chart.font_size for a, b in pairs)
    assert chart.bars[-1].y + chart.bar_height <= chart.height


def test_where_lower_is_better_the_first_ranked_option_has_the_longest_bar():
    chart = _chart(["A", "B", "C"], [3, 1, 2], method="vikor")  # Q: lower is better

    widths = [bar.width for bar in chart.bars]
    assert widths == sorted(widths, reverse=True) and widths[0] > 0 and widths[-1] == 0
    assert [bar.value_text for bar in chart.bars] == ["0", "0.5", "1"]  # the values stay Q
    assert "longer is better" in chart.title
