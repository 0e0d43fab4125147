"""'How sure is this?' as the page draws it: percentages, rows and sentences from the four analyses.

Bars are drawn in percent of their own small SVG (0–100 across), with every
number also written as text beside them, so they scale from a phone to a
projector and never rely on colour or on the SVG alone.
"""

from __future__ import annotations

from collections.abc import Mapping
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


# Okabe & Ito's colour-blind-safe palette, and a dash pattern each, so lines differ without colour too.
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")


@dataclass(frozen=True)
class SweepLine:
    option: str
    points: str  # SVG polyline points in the chart's 0–100 × 0–60 box (up is better)
    colour: str
    dash: str
    now: str  # the score at today's weight, as text


@dataclass(frozen=True)
class SweepChart:
    criterion: str
    criterion_index: int
    lines: list[SweepLine]
    now: float  # today's weight, 0–100
    breaks: list[float]  # where first place changes, 0–100
    better: str  # "higher" or "lower": what the scores mean (the chart always puts better up)
    choices: list[tuple[int, str]]  # the criteria one can sweep instead


@dataclass(frozen=True)
class ScatterPoint:
    number: int  # the marker's label; the legend names the option
    option: str
    x: float  # in the chart's 0–120 × 0–80 box: cost to the right, benefit up
    y: float
    benefit: str
    cost: str
    efficient: bool


@dataclass(frozen=True)
class Scatter:
    points: list[ScatterPoint]
    frontier: str  # polyline through the efficient options, cheapest first
    has_cost: bool  # False when no criterion is a cost: every point sits on the left edge


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
    sweep: SweepChart
    scatter: Scatter


def chosen_sweep(query: Mapping[str, str]) -> int | None:
    """`?sweep=<criterion index>`: the criterion the sweep chart follows; anything else means the default."""
    text = query.get("sweep", "")
    return int(text) if text.isdigit() and len(text) <= 3 else None


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
        sweep=_sweep(found),
        scatter=_scatter(found),
    )


def _scatter(found: HowSure) -> Scatter:
    """Weighted benefit against weighted cost per option (up and to the left is better), the efficient set joined."""
    d = found.dominance
    benefit, cost = np.asarray(d.benefit, dtype=float), np.asarray(d.cost, dtype=float)
    top_b, top_c = float(benefit.max()) or 1.0, float(cost.max()) or 1.0
    efficient = set(d.efficient)
    points = [
        ScatterPoint(
            number=i + 1, option=option,
            x=10 + 100 * float(cost[i]) / top_c, y=72 - 64 * float(benefit[i]) / top_b,
            benefit=f"{benefit[i]:.2f}", cost=f"{cost[i]:.2f}", efficient=option in efficient,
        )
        for i, option in enumerate(d.options)
    ]  # fmt: skip
    frontier = sorted((p for p in points if p.efficient), key=lambda p: (p.x, p.y))
    return Scatter(points, " ".join(f"{p.x:.2f},{p.y:.2f}" for p in frontier), bool(cost.max() > 0))


def _sweep(found: HowSure) -> SweepChart:
    sweep = found.sweep
    scores = sweep.scores if sweep.higher_is_better else -sweep.scores  # better is always up
    low, high = float(scores.min()), float(scores.max())
    span = high - low or 1.0
    y = 58 - 56 * (scores - low) / span  # 0 at the top of the box; a margin of 2 each side
    x = 100 * sweep.t
    criteria = found.weights.criteria
    j = next(i for i, c in enumerate(criteria) if c.name == sweep.criterion)
    interval = criteria[j]
    now_index = int(np.abs(sweep.t - interval.weight).argmin())
    lines = [
        SweepLine(
            option=option,
            points=" ".join(f"{a:.2f},{b:.2f}" for a, b in zip(x, y[:, i], strict=True)),
            colour=LINE_COLOURS[i % len(LINE_COLOURS)],
            dash=LINE_DASHES[i % len(LINE_DASHES)],
            now=f"{sweep.scores[now_index, i]:.3g}",
        )
        for i, option in enumerate(found.dominance.options)
    ]
    ends = ((interval.lower, interval.top_below), (interval.upper, interval.top_above))
    breaks = [100 * b for b, moved in ends if moved]
    return SweepChart(
        criterion=sweep.criterion,
        criterion_index=j,
        lines=lines,
        now=100 * interval.weight,
        breaks=breaks,
        better="higher" if sweep.higher_is_better else "lower",
        choices=[(i, c.name) for i, c in enumerate(criteria) if i != j],
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
