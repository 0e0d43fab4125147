"""Weight intervals in plain words, for the results page and the dashboard.

    "Risk would have to weigh 12 points less before Joint action overtakes CBP support."

A point is one percentage point of the criterion's normalised weight (weights
sum to 100 points). Distances are rounded to whole points; a change closer
than half a point (first place already tied, or nearly) reads "would only
have to weigh slightly less".
"""

from __future__ import annotations

from .results import CriterionInterval, WeightSensitivity


def _listed(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _change(criterion: CriterionInterval, top: tuple[str, ...], new_top: tuple[str, ...], less: bool) -> str:
    distance = criterion.weight - criterion.lower if less else criterion.upper - criterion.weight
    points, direction = round(distance * 100), "less" if less else "more"
    if points < 1:
        would = f"would only have to weigh slightly {direction}"
    else:
        would = f"would have to weigh {'1 point' if points == 1 else f'{points} points'} {direction}"
    newcomers = tuple(name for name in new_top if name not in top)
    if not newcomers:  # a tie at the top resolves in favour of some of its members
        verb = "ranks" if len(new_top) == 1 else "rank"
        return f"{criterion.name} {would} before {_listed(new_top)} alone {verb} first."
    verb = "overtakes" if len(newcomers) == 1 else "overtake"
    if set(top) <= set(new_top):
        verb = "draws level with" if len(newcomers) == 1 else "draw level with"
    return f"{criterion.name} {would} before {_listed(newcomers)} {verb} {_listed(top)}."


def weight_sentences(result: WeightSensitivity) -> list[str]:
    """One or two sentences per criterion, in input order."""
    sentences: list[str] = []
    for criterion in result.criteria:
        said = False
        if criterion.top_below is not None:
            sentences.append(_change(criterion, result.top, criterion.top_below, less=True))
            said = True
        if criterion.top_above is not None:
            sentences.append(_change(criterion, result.top, criterion.top_above, less=False))
            said = True
        if not said:
            sentences.append(f"No weight on {criterion.name}, from 0 to 100 points, changes which option ranks first.")
    return sentences
