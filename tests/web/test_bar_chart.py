"""web.bar_chart: the geometry of the ranking chart — bars from zero, values beside them, names wrapped."""

import pytest

from optionsmatrix.analysis import Problem, rank
from optionsmatrix.analysis.explain import ranked_options
from optionsmatrix.services.ranking_chart import ranking_chart


def _chart(options, scores, method="wsm", directions=("benefit",)):
    problem = Problem.build(options, ["C"], [[s] for s in scores], list(directions), [1])
    ranking = rank(problem, method)
    return ranking_chart(ranking, ranked_options(ranking))


def test_net_flows_are_drawn_from_minus_one_so_a_longer_bar_is_always_better():
    chart = _chart(["A", "B", "C"], [3, 2, 1], method="promethee2")  # net flows 1, 0, −1

    assert [bar.value_text for bar in chart.bars] == ["1", "0", "-1"]
    widths = [bar.width for bar in chart.bars]
    assert widths == sorted(widths, reverse=True) and widths[-1] == 0 and widths[1] == pytest.approx(widths[0] / 2)
    assert all(bar.x == chart.zero_x for bar in chart.bars)
    assert "bars start at -1" in " ".join(chart.axis_lines)


def test_long_names_wrap_whole_and_are_never_shortened():
    long_name = (
        "Bolster CBP capacity with military support (infrastructure construction, logistics support, surveillance)"
    )
    chart = _chart([long_name, "B"], [1, 2])

    lines = chart.bars[1].name_lines
    assert len(lines) > 2 and lines[0].startswith("2. Bolster CBP") and " ".join(lines) == f"2. {long_name}"
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
    assert [bar.value_text for bar in chart.bars] == ["1 (Q 0)", "0.5 (Q 0.5)", "0 (Q 1)"]  # 1 − Q, and Q
    assert " ".join(chart.axis_lines) == "Longer bar = better: each bar is 1 − Q, and a lower Q ranks first."


def test_every_label_fits_inside_the_drawing():
    chart = _chart(["A", "B", "C"], [3, 1, 2], method="vikor")

    for bar in chart.bars:
        assert bar.value_x + len(bar.value_text) * chart.font_size * 0.58 <= chart.width
    assert all(len(line) * chart.font_size * 0.58 <= chart.width for line in chart.axis_lines)
    assert chart.axis_y + chart.line_height * (len(chart.axis_lines) - 1) <= chart.height
