"""The geometry of a ranking's bar chart, computed here so the SVG template only places shapes.

One horizontal bar per option, best first, each with its rank, name and value
as text: the chart reads in print, on a projector and with a screen reader,
and never relies on colour. A longer bar is always a better option, and a
line under the bars says what the length means. Long names wrap onto as many
lines as it needs (a short name keeps it to one); the full name is in the
bar's tooltip and the table.

Sizes are in SVG user units; CSS scales the whole drawing to its column.
It sits below the web layer because the printable session report, which the
CLI writes too, draws the same chart as the pages.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from optionsmatrix.analysis import Ranking
from optionsmatrix.analysis.explain import RankedOption, method_label, score_label, significant

WIDTH = 280  # a ranking column beside the grid (about 17rem): 17-unit text prints at 16 px or more there
FONT_SIZE = 17
PRESENT_WIDTH = 1400  # the presentation view: a whole 16:10 screen, names on one line
PRESENT_FONT_SIZE = 30
CHAR_WIDTH = 0.58  # an average character's advance, in ems, to keep value labels inside the drawing


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
    value_anchor: str  # always "start": right of the bar's end
    bar_height: float = 0.0
    font_size: float = FONT_SIZE

    @property
    def value_y(self) -> float:
        return self.y + self.bar_height / 2 + self.font_size / 2 - 2


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    zero_x: float
    bars: tuple[Bar, ...]
    bar_height: float = 0.0
    font_size: float = FONT_SIZE
    line_height: float = 0.0
    axis_lines: tuple[str, ...] = ()  # what a bar's length means, written under the bars
    axis_y: float = 0.0  # baseline of the first axis line


@lru_cache(maxsize=4096)  # the same few names come back with every answer to the scoring form
def _name_lines(rank: int, name: str, chars_per_line: int) -> tuple[str, ...]:
    """The whole label, wrapped: a shortened name could hide what tells two options apart."""
    return tuple(textwrap.wrap(f"{rank}. {name}", chars_per_line, break_long_words=True) or [f"{rank}."])


def ranking_chart(
    ranking: Ranking,
    rows: list[RankedOption],
    *,
    labels: Mapping[str, str] | None = None,
    width: int = WIDTH,
    font_size: int = FONT_SIZE,
) -> BarChart:
    """One bar per row of `rows` (best first); a longer bar always means a better option.

    Higher-is-better scores are drawn from zero (or from the lowest score, if
    one is below zero; PROMETHEE II's net flows from −1, the lowest possible),
    so the first ranked option has the longest bar. Where lower is better
    (VIKOR's Q, between 0 and 1) the bar is 1 − Q and both numbers are written:
    "0.93 (Q 0.073)". A line under the bars says so in words. `labels` maps an
    option's name to what the page calls it (its short name).
    """
    labels = labels or {}
    label = score_label(ranking.method)
    scores = [row.score for row in rows]
    if ranking.higher_is_better:
        base = -1.0 if ranking.method == "promethee2" else min(0.0, *scores)
        lengths = [score - base for score in scores]
        texts = [significant(score) for score in scores]
        axis = f"Longer bar = better: a higher {label} ranks first"
        if base != 0:
            axis += f"; bars start at {significant(base)}"
    elif all(0.0 <= score <= 1.0 for score in scores):
        lengths = [1.0 - score for score in scores]
        texts = [f"{significant(1.0 - score)} ({label} {significant(score)})" for score in scores]
        axis = f"Longer bar = better: each bar is 1 − {label}, and a lower {label} ranks first"
    else:
        worst = max(scores)
        lengths = [worst - score for score in scores]
        texts = [f"{significant(worst - score)} ({label} {significant(score)})" for score in scores]
        axis = f"Longer bar = better: each bar is the worst {label} minus the option's; a lower {label} ranks first"
    line_height = round(font_size * 1.25, 2)
    bar_height = round(font_size * 1.2, 2)
    gap = round(font_size * 0.75, 2)
    value_room = max(len(text) for text in texts) * font_size * CHAR_WIDTH + 8
    left = 2.0
    plot_width = max(width - left - value_room, width * 0.35)
    high = max(lengths) if max(lengths) > 0 else 1.0
    chars_per_line = max(12, int(width / (font_size * CHAR_WIDTH)))
    bars = []
    y = 0.0
    for row, length, text in zip(rows, lengths, texts, strict=True):
        lines = _name_lines(row.rank, labels.get(row.name, row.name), chars_per_line)
        bar_y = y + len(lines) * line_height + font_size * 0.3
        bar_width = round(max(length, 0.0) / high * plot_width, 2)
        bars.append(
            Bar(
                name=row.name,
                name_lines=lines,
                name_y=round(y + font_size, 2),
                value_text=text,
                x=left,
                y=round(bar_y, 2),
                width=bar_width,
                value_x=round(left + bar_width + 4, 2),
                value_anchor="start",
                bar_height=bar_height,
                font_size=font_size,
            )
        )
        y = bar_y + bar_height + gap
    axis_lines = tuple(textwrap.wrap(axis + ".", chars_per_line))
    axis_y = y + font_size * 0.2
    better = "higher" if ranking.higher_is_better else "lower"
    title = f"{method_label(ranking.method)}: {label} per option, {better} ranks first; {axis[0].lower()}{axis[1:]}"
    return BarChart(
        title=title,
        width=width,
        height=max(int(axis_y + line_height * len(axis_lines) + font_size * 0.4), 1),
        zero_x=left,
        bars=tuple(bars),
        bar_height=bar_height,
        font_size=font_size,
        line_height=line_height,
        axis_lines=axis_lines,
        axis_y=round(axis_y + font_size, 2),
    )
