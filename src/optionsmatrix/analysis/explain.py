"""A Ranking in words and labelled tables, for people rather than programs.

The analysis core names its intermediate tables (`Ranking.steps`) but leaves
their axes implicit. Here each table gets its row and column labels (options,
criteria, or named quantities), a title and a one-line explanation for the
method at hand; per-option vectors (d⁺ and d⁻, or S, R and Q) are gathered
into one table, and so are per-criterion vectors (ideal and anti-ideal).
Numbers print to four significant digits. The web page's "show the working"
and the `optionsmatrix rank` command both print from here, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .methods import METHODS
from .ranks import Ranking

SIGNIFICANT_DIGITS = 4


def method_label(method: str) -> str:
    return METHODS[method].label


def score_label(method: str) -> str:
    return METHODS[method].score_label


NORMALIZATION_LABELS = {
    "scale": "scale — each score's position on its criterion's declared scale",
    "minmax": "min–max — each score's position between the worst and best score given",
    "sum": "sum — each score's share of its criterion's total",
    "max": "max — each score as a fraction of the best score given",
    "vector": "vector — each score divided by its criterion's column length √Σx²",
    "none": "none — raw scores",
}

# Steps that hold one value per criterion, and their row labels; every other
# 1-D step holds one value per option.
_PER_CRITERION = {"ideal": "Ideal", "anti_ideal": "Anti-ideal", "best": "Best value f*", "worst": "Worst value f⁻"}
_PER_OPTION_COLUMNS = {
    "distance_to_ideal": "d⁺ (to ideal)",
    "distance_to_anti_ideal": "d⁻ (to anti-ideal)",
    "S": "S (group utility)",
    "R": "R (individual regret)",
    "Q": "Q",
    "phi_plus": "φ⁺ (leaving flow)",
    "phi_minus": "φ⁻ (entering flow)",
}
# Tables whose columns are options as well as their rows.
_OPTION_BY_OPTION = {"preference"}


@dataclass(frozen=True)
class StepTable:
    """One labelled table of the working: `rows` pairs a row label with its values under `columns`."""

    key: str
    title: str
    explanation: str
    corner: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True)
class RankedOption:
    rank: int
    name: str
    score: float


NOISE = 1e-12


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """A number to `digits` significant digits, without "-0" or trailing zeros: 0.5625 → 0.5625, 2/3 → 0.6667.

    Below 1e-12 in size it is rounding left over from a sum that cancels (a PROMETHEE net flow
    of 6.9e-18 for an exact 0), shown as 0 rather than in scientific notation.
    """
    if abs(value) < NOISE:
        return "0"
    return format(float(value), f".{digits}g")


def ranked_options(ranking: Ranking) -> list[RankedOption]:
    """Options best first, with their rank and the method's own score."""
    index = {name: i for i, name in enumerate(ranking.options)}
    return [
        RankedOption(int(ranking.ranks[index[name]]), name, float(ranking.scores[index[name]]))
        for name in ranking.order
    ]


def describe_method(ranking: Ranking) -> str:
    """One sentence saying what was computed: method, normalisation and which way is better."""
    spec = METHODS[ranking.method]
    text = spec.label
    if ranking.normalization is not None:
        text += f", normalisation {NORMALIZATION_LABELS[ranking.normalization]}"
    elif spec.raw_scores_note:
        text += f", {spec.raw_scores_note}"
    better = "Higher" if ranking.higher_is_better else "Lower"
    return f"{text}. {better} {spec.score_label} ranks first."


def _title(method: str, key: str) -> tuple[str, str]:
    return METHODS[method].step_titles.get(key, (key.replace("_", " ").capitalize(), ""))


def step_tables(ranking: Ranking) -> list[StepTable]:
    """The ranking's steps as labelled tables, in the order the method computes them."""
    options, criteria, method = ranking.options, ranking.criteria, ranking.method
    tables: list[StepTable] = []
    per_criterion: dict[str, np.ndarray] = {}
    per_option: dict[str, np.ndarray] = {}
    for key, values in ranking.steps.items():
        array = np.asarray(values, dtype=float)
        if array.ndim == 2:
            columns = options if key in _OPTION_BY_OPTION else criteria
            title, explanation = _title(method, key)
            rows = tuple((name, tuple(row.tolist())) for name, row in zip(options, array, strict=True))
            tables.append(StepTable(key, title, explanation, "Option", tuple(columns), rows))
        elif key in _PER_CRITERION:
            per_criterion[key] = array
        else:
            per_option[key] = array
    if per_criterion:
        title, explanation = _title(method, "per_criterion")
        rows = tuple((_PER_CRITERION[key], tuple(v.tolist())) for key, v in per_criterion.items())
        tables.append(StepTable("per_criterion", title, explanation, "", tuple(criteria), rows))
    if per_option:
        title, explanation = _title(method, "per_option")
        stacked = np.column_stack(list(per_option.values()))
        rows = tuple((name, tuple(row.tolist())) for name, row in zip(options, stacked, strict=True))
        columns = tuple(_PER_OPTION_COLUMNS.get(key, key) for key in per_option)
        tables.append(StepTable("per_option", title, explanation, "Option", columns, rows))
    return tables
