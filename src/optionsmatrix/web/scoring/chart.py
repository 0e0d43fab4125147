"""The geometry of a ranking's bar chart, computed here so the SVG template only places shapes.

One horizontal bar per option, best first, each with its rank, name and value
as text: the chart reads in print, on a projector and with a screen reader,
and never relies on colour. Bars start at zero, so PROMETHEE's negative net
flows extend to the left of a zero line. Long names wrap onto two lines and
are then shortened; the full name stays in the bar's tooltip and the table.

Sizes are in SVG user units; CSS scales the whole drawing to its column.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from optionsmatrix.analysis import Ranking
from optionsmatrix.analysis.explain import RankedOption, method_label, score_label, significant

WIDTH = 340  # about a phone's column, so text prints near its nominal size there
FONT_SIZE = 13
LINE_HEIGHT = 16
BAR_HEIGHT = 18
ROW_GAP = 12
VALUE_ROOM = 56  # beside a bar's end, for its value
NAME_CHARS_PER_LINE = 46
NAME_LINES = 2


@dataclass(frozen=True)
class Bar:
    name: str
    name_lines: tuple[str, ...]
    name_y: float  # baseline of the first name line
    value_text: str
    x: float
    y: float
    width: float
    value_x: float
    value_anchor: str  # "start" right of a bar, "end" left of a negative one

    @property
    def value_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + FONT_SIZE / 2 - 2


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    zero_x: float
    bars: tuple[Bar, ...]
    bar_height: int = BAR_HEIGHT
    font_size: int = FONT_SIZE
    line_height: int = LINE_HEIGHT


def _name_lines(rank: int, name: str) -> tuple[str, ...]:
    lines = textwrap.wrap(f"{rank}. {name}", NAME_CHARS_PER_LINE, break_long_words=True) or [f"{rank}."]
    if len(lines) > NAME_LINES:
        lines = [
            *lines[: NAME_LINES - 1],
            textwrap.shorten(" ".join(lines[NAME_LINES - 1 :]), NAME_CHARS_PER_LINE - 1, placeholder="…"),
        ]
    return tuple(lines)


def ranking_chart(ranking: Ranking, rows: list[RankedOption]) -> BarChart:
    """One bar per row of `rows` (best first), on an axis that always includes zero.

    Where lower scores are better (VIKOR's Q), a bar's length is the option's
    distance below the worst score, so the longest bar is still the first
    ranked: on a projector nobody should read the worst option's long bar as
    the winner. The printed value stays the method's own score.
    """
    worst = max(row.score for row in rows)
    lengths = [row.score if ranking.higher_is_better else worst - row.score for row in rows]
    scores = lengths
    low, high = min(0.0, *scores), max(0.0, *scores)
    if high == low:  # every score 0: draw empty bars on a unit axis
        high = low + 1.0
    left = VALUE_ROOM if low < 0 else 2
    plot_width = WIDTH - left - VALUE_ROOM

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * plot_width

    zero_x = x_of(0.0)
    bars = []
    y = 0.0
    for row, length in zip(rows, lengths, strict=True):
        lines = _name_lines(row.rank, row.name)
        name_y = y + FONT_SIZE
        bar_y = y + len(lines) * LINE_HEIGHT + 4
        end = x_of(length)
        negative = length < 0
        bars.append(
            Bar(
                name=row.name,
                name_lines=lines,
                name_y=round(name_y, 2),
                value_text=significant(row.score),
                x=round(min(zero_x, end), 2),
                y=round(bar_y, 2),
                width=round(abs(end - zero_x), 2),
                value_x=round(end - 4 if negative else end + 4, 2),
                value_anchor="end" if negative else "start",
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    better = "higher" if ranking.higher_is_better else "lower"
    title = f"{method_label(ranking.method)}: {score_label(ranking.method)} per option, {better} ranks first"
    if not ranking.higher_is_better:
        title += f"; each bar is the worst {score_label(ranking.method)} minus the option's, so longer is better"
    return BarChart(
        title=title, width=WIDTH, height=max(int(y - ROW_GAP + 2), 1), zero_x=round(zero_x, 2), bars=tuple(bars)
    )
