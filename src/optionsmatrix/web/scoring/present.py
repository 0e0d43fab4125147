"""The presentation view of a ranking: full width, large type, nothing else on screen, for a projector.

`templates/present/ranking.html` draws a `Presentation`; any page can offer
one (the matrix page does at `?present=1`; the sessions dashboard can for
its group ranking) by building one and rendering that template::

    render(request, "present/ranking.html", {"presentation": Presentation(...)})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from optionsmatrix.analysis import Ranking
from optionsmatrix.analysis.explain import RankedOption, describe_method
from optionsmatrix.services.ranking_chart import PRESENT_FONT_SIZE, PRESENT_WIDTH, BarChart, ranking_chart


@dataclass(frozen=True)
class Presentation:
    title: str  # what was ranked, e.g. the matrix's title
    back_url: str  # where "Leave the presentation" goes
    chart: BarChart | None = None
    method: str = ""  # the method and normalisation, in words
    note: str = ""  # one more line: stale, or how many ballots it rests on
    empty_text: str = "There is no ranking to show yet."


def present_ranking(
    ranking: Ranking | None,
    rows: Sequence[RankedOption],
    *,
    title: str,
    back_url: str,
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> Presentation:
    if ranking is None:
        return Presentation(title=title, back_url=back_url, note=note)
    chart = ranking_chart(ranking, list(rows), labels=labels, width=PRESENT_WIDTH, font_size=PRESENT_FONT_SIZE)
    return Presentation(title=title, back_url=back_url, chart=chart, method=describe_method(ranking), note=note)
