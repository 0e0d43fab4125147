"""What an instructor's dashboard shows, built from a session's state: code and QR, who is in, the results.

Everything here is presentation: the numbers come from services; this turns
them into rows a template writes out (the disagreement heatmap's shades, the
movement between rounds), never deciding anything itself.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from markupsafe import Markup

from optionsmatrix.analysis import METHODS
from optionsmatrix.analysis.explain import ranked_options
from optionsmatrix.services.labels import display_name
from optionsmatrix.services.seminars import SessionSnapshot
from optionsmatrix.services.session_results import GroupResult
from optionsmatrix.web.scoring.chart import BarChart, ranking_chart
from optionsmatrix.web.scoring.form import NORMALIZATION_NAMES

HEAT_LEVELS = 5  # shades of disagreement, 0 (agree) to 4 (far apart)


label = display_name  # the name templates of session pages call it by


def qr_svg(url: str) -> Markup:
    """The join link as a QR code: inline SVG drawn with attributes only (the CSP forbids inline styles)."""
    import segno  # only the dashboard draws one: kept out of every worker's memory until then

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, svgclass="qr-code", title=f"QR code for {url}",
        dark="#000", light="#fff",
    )  # fmt: skip
    return Markup(buffer.getvalue().decode())  # noqa: S704 - segno's own SVG, the URL escaped by segno


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
        rows.append(HeatRow(label(option), option.name, cells))
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
                label(option),
                b.ranks[key] if b else None, b.scores[key] if b else None,
                a.ranks[key] if a else None, a.scores[key] if a else None,
            )
        )  # fmt: skip
    return sorted(rows, key=lambda m: (m.after_rank is None, m.after_rank or 0))


def group_chart(result: GroupResult, snapshot: SessionSnapshot) -> BarChart | None:
    """The group ranking's bars, labelled with short names as the heatmap is: the whole ranking fits a projector."""
    if result.core_ranking is None:
        return None
    labels = {o.name: label(o) for o in snapshot.options}
    return ranking_chart(result.core_ranking, ranked_options(result.core_ranking), labels=labels)


def method_words(result: GroupResult) -> str:
    """The method (and normalisation) in the words the rest of the app uses, not their API identifiers."""
    words = METHODS[result.method].label
    if result.normalization:
        words += f", normalisation: {NORMALIZATION_NAMES.get(result.normalization, result.normalization).lower()}"
    return words


@dataclass(frozen=True)
class Standing:
    """Where one participant's own ranking puts each option, against the group's."""

    option: str
    own_rank: int
    group_rank: int
