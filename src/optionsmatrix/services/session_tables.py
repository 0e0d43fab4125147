"""The tables a session's results are shown in: the disagreement heatmap, the movement between rounds, the chart.

Presentation shared by the instructor's dashboard and the exported report and
workbook: the numbers come from `session_results`; this turns them into rows,
never deciding anything itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from optionsmatrix.analysis.explain import NORMALIZATION_LABELS, ranked_options
from optionsmatrix.services.labels import display_name
from optionsmatrix.services.ranking_chart import WIDTH, BarChart, ranking_chart
from optionsmatrix.services.seminars import SessionSnapshot
from optionsmatrix.services.session_results import GroupResult

HEAT_LEVELS = 5  # shades of disagreement, 0 (agree) to 4 (far apart)


@dataclass(frozen=True)
class HeatCell:
    mean: float | None
    sd: float | None
    n: int
    level: int  # 0..HEAT_LEVELS-1; -1 when fewer than 2 scores


@dataclass(frozen=True)
class HeatRow:
    option: str
    full_name: str
    cells: list[HeatCell]


def heatmap(snapshot: SessionSnapshot, result: GroupResult) -> list[HeatRow]:
    """Per cell the group's mean and standard deviation; the shade is the sd as a share of the scale's width."""
    widths = [c.scale_max - c.scale_min for c in snapshot.criteria]
    rows = []
    for i, option in enumerate(snapshot.options):
        cells = []
        for j, width in enumerate(widths):
            sd, mean, n = result.sd[i, j], result.group_scores[i, j], int(result.counts[i, j])
            level = -1 if math.isnan(sd) else min(HEAT_LEVELS - 1, int(sd / width * 2 * HEAT_LEVELS))
            cells.append(HeatCell(None if math.isnan(mean) else float(mean), None if math.isnan(sd) else float(sd),
                                  n, level))  # fmt: skip
        rows.append(HeatRow(display_name(option), option.name, cells))
    return rows


@dataclass(frozen=True)
class Movement:
    option: str
    before_rank: int | None
    before_score: float | None
    after_rank: int | None
    after_score: float | None

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost since the earlier round."""
        if self.before_rank is None or self.after_rank is None:
            return None
        return self.before_rank - self.after_rank


def movement(snapshot: SessionSnapshot, before: GroupResult, after: GroupResult) -> list[Movement]:
    """Each option's group rank and score in two rounds, in the later round's order."""
    rows = []
    for option in snapshot.options:
        key = str(option.id)
        b, a = before.ranking, after.ranking
        rows.append(
            Movement(
                display_name(option),
                b.ranks[key] if b else None, b.scores[key] if b else None,
                a.ranks[key] if a else None, a.scores[key] if a else None,
            )
        )  # fmt: skip
    return sorted(rows, key=lambda m: (m.after_rank is None, m.after_rank or 0))


def group_chart(result: GroupResult, snapshot: SessionSnapshot, *, width: int = WIDTH) -> BarChart | None:
    """The group ranking's bars, labelled with short names as the heatmap is: the whole ranking fits a projector."""
    if result.core_ranking is None:
        return None
    labels = {o.name: display_name(o) for o in snapshot.options}
    return ranking_chart(result.core_ranking, ranked_options(result.core_ranking), labels=labels, width=width)


def normalisation_words(normalization: str | None) -> str:
    """A result's normalisation as exports say it: the word and what it does."""
    if normalization is None:
        return "none: the method works on the raw scores"
    return NORMALIZATION_LABELS.get(normalization, normalization)
