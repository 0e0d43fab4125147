"""'How sure is this?' as the page draws it: percentages, rows and sentences from the four analyses.

Bars are drawn in percent of their own small SVG (0–100 across), with every
number also written as text beside them, so they scale from a phone to a
projector and never rely on colour or on the SVG alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optionsmatrix.analysis import METHODS
from optionsmatrix.services.sensitivity import HowSure

RANK_BANDS = 3  # ranks 1, 2 and 3 get their own shade; the rest share one


@dataclass(frozen=True)
class WeightRow:
    criterion: str
    now: float  # percentage points of weight
    lower: float
    upper: float
    holds_everywhere: bool

    @property
    def width(self) -> float:
        return self.upper - self.lower


@dataclass(frozen=True)
class Band:
    rank: str  # "1", "2", "3" or "4+"
    start: float  # percent of samples
    share: float
    css: str


@dataclass(frozen=True)
class AcceptabilityRow:
    option: str
    first: float  # percent of samples in first place
    bands: list[Band]
    confidence: float | None  # percent
    dominated_by: list[str]


@dataclass(frozen=True)
class MethodsTable:
    labels: list[str]
    short_labels: list[str]  # column headers a phone can hold: WSM, TOPSIS, PROMETHEE II
    rows: list[tuple[str, list[int]]]  # option, its rank under each method
    lowest_tau: tuple[float, str, str] | None  # the least agreeing pair of methods
    skipped: dict[str, str]


@dataclass(frozen=True)
class LadderStep:
    level: int
    options: list[tuple[str, list[str]]]  # an option on this level, and the options that dominate it


@dataclass(frozen=True)
class HowSureView:
    round: int | None
    sentences: list[str]
    weight_rows: list[WeightRow]  # the most sensitive criterion first
    exact: bool
    samples: int
    seed: int
    ballots_sampled: int | None  # a session's SMAA draws whole ballots; None: the scores as given
    own_weights: bool
    acceptability: list[AcceptabilityRow]  # in order of first-place share
    efficient: list[str]
    methods: MethodsTable
    ladder: list[LadderStep]  # highest level first, each option marked where it is dominated


def how_sure_view(found: HowSure, levels: list[int]) -> HowSureView:
    """`levels`: each option's escalation level, in the problem's option order (for the ladder's marks)."""
    return HowSureView(
        round=found.round,
        sentences=found.sentences,
        weight_rows=_weight_rows(found),
        exact=found.weights.tolerance == 0,
        samples=found.smaa.result.samples,
        seed=found.smaa.seed,
        ballots_sampled=found.smaa.ballots_sampled,
        own_weights=found.smaa.own_weights,
        acceptability=_acceptability(found),
        efficient=list(found.dominance.efficient),
        methods=_methods(found),
        ladder=_ladder(found, levels),
    )


def _ladder(found: HowSure, levels: list[int]) -> list[LadderStep]:
    options, dominated_by = found.dominance.options, found.dominance.dominated_by
    return [
        LadderStep(level, [(options[i], list(dominated_by[i])) for i in range(len(options)) if levels[i] == level])
        for level in sorted(set(levels), reverse=True)
    ]


def _weight_rows(found: HowSure) -> list[WeightRow]:
    rows = [
        WeightRow(c.name, 100 * c.weight, 100 * c.lower, 100 * c.upper, c.top_below is None and c.top_above is None)
        for c in found.weights.criteria
    ]
    return sorted(rows, key=lambda r: (r.width, r.criterion))


def _acceptability(found: HowSure) -> list[AcceptabilityRow]:
    shares = 100 * found.smaa.result.acceptability
    dominated_by = found.dominance.dominated_by
    rows = []
    for i, option in enumerate(found.smaa.result.options):
        bands, start = [], 0.0
        for rank in range(min(RANK_BANDS, shares.shape[1])):
            bands.append(Band(str(rank + 1), start, float(shares[i, rank]), f"rank-{rank + 1}"))
            start += float(shares[i, rank])
        rest = float(shares[i, RANK_BANDS:].sum())
        if shares.shape[1] > RANK_BANDS:
            bands.append(Band(f"{RANK_BANDS + 1}+", start, rest, "rank-rest"))
        confidence = found.smaa.result.confidence[i]
        rows.append(
            AcceptabilityRow(
                option=option,
                first=float(shares[i, 0]),
                bands=[b for b in bands if b.share > 0],
                confidence=None if np.isnan(confidence) else 100 * float(confidence),
                dominated_by=list(dominated_by[i]),
            )
        )
    return sorted(rows, key=lambda r: -r.first)


def _methods(found: HowSure) -> MethodsTable:
    comparison = found.methods
    options = found.dominance.options
    rows = [(option, [int(r) for r in comparison.ranks[:, i]]) for i, option in enumerate(options)]
    tau = comparison.kendall_tau
    lowest = None
    for a in range(len(comparison.methods)):
        for b in range(a + 1, len(comparison.methods)):
            if not np.isnan(tau[a, b]) and (lowest is None or tau[a, b] < lowest[0]):
                lowest = (float(tau[a, b]), METHODS[comparison.methods[a]].label, METHODS[comparison.methods[b]].label)
    return MethodsTable(
        labels=[METHODS[m].label for m in comparison.methods],
        short_labels=[_short(m) for m in comparison.methods],
        rows=rows,
        lowest_tau=lowest,
        skipped={METHODS[m].label: why for m, why in comparison.skipped.items()},
    )


def _short(method: str) -> str:
    """The acronym a label ends with, e.g. "Weighted sum (WSM)" → WSM; else the label's first words."""
    label = METHODS[method].label
    inner = label[label.find("(") + 1 : label.find(")")] if "(" in label else ""
    return inner if inner.isupper() else label.split(" (")[0]
