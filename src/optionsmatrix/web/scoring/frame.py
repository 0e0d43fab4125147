"""What the scoring form reads of a matrix besides the request, as plain data: names, labels, scales, stored scores.

Evaluating the form read the options' and criteria's columns through the ORM
some 700 times a request, and built the same field names and labels again on
every keystroke. A matrix kept between requests (services/page_matrices.py)
never changes, so its frame is built once and kept with it
(`Matrix.kept_memo`); any other matrix, which a handler may just have
changed, gets a fresh frame each time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np

from optionsmatrix.analysis.ranks import competition_ranks
from optionsmatrix.models import Criterion, Matrix, Option
from optionsmatrix.services.matrices import options_in_order
from optionsmatrix.web.scoring.component import (
    CriterionRow,
    OptionColumn,
    criterion_rows,
    label_of,
    option_columns,
    score_name,
)

_MEMO_KEY = "scoring_frame"
# Criterion rows differ only in the weight each shows; a grid redrawn under this many weightings keeps them all.
_ROWS_KEPT = 64

# The per-criterion weighting helpers: field prefix → what its input is called.
HELPER_LABELS = {"w": "Weight", "r": "Importance rank", "p": "Swing points"}
# Fields that are not per option or criterion, and the form's groups that a message can be about.
FIXED_LABELS = {
    "method": "Method",
    "normalization": "Normalisation",
    "v": "VIKOR's v",
    "weighting": "Weighting",
    "weights": "Weights",
    "ranks": "Importance ranks",
    "points": "Swing points",
    "pairwise": "Comparisons",
    "ties": "Let criteria share a place",
}


def stored_text(value: float) -> str:
    """A stored score as the grid shows it: 4.0 → "4", 2.5 → "2.5" (every digit kept)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True, slots=True)
class FrameCell:
    """One score field of the grid."""

    name: str  # s.<option id>.<criterion id>
    kept: str  # the stored score as the grid shows it; "" when the cell is not scored
    low: float
    high: float
    whole_ends: bool  # a scale of points: both ends whole numbers
    criterion_label: str


@dataclass(frozen=True)
class ScoringFrame:
    options: tuple[Option, ...]  # in the matrix's order
    criteria: tuple[Criterion, ...]
    option_labels: tuple[str, ...]
    option_labels_by_name: Mapping[str, str]  # the full name (as a ranking knows it) → the label
    criterion_labels: tuple[str, ...]
    cells: tuple[tuple[FrameCell, ...], ...]  # [option][criterion]
    helpers: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # prefix → (field names, the matrix's values)
    ahp_pairs: tuple[tuple[Criterion, Criterion, str], ...]  # the upper triangle, a.<id>.<id>
    labels: Mapping[str, str]  # every field's name → what a person calls it (read-only)
    option_ids: frozenset[str]
    criterion_ids: frozenset[str]
    columns: tuple[OptionColumn, ...]
    _rows: tuple[CriterionRow, ...]
    _rows_by_weights: dict[tuple[str, ...], list[CriterionRow]] = field(default_factory=dict, compare=False)

    def criterion_rows(self, shares: Sequence[float] | None) -> list[CriterionRow]:
        """The grid's criterion rows, each showing its share of `shares` (or "—" without weights)."""
        if shares is None:
            return list(self._rows)
        texts = tuple(f"{s * 100:.1f}%" for s in shares)
        found = self._rows_by_weights.get(texts)
        if found is None:
            if len(self._rows_by_weights) >= _ROWS_KEPT:
                self._rows_by_weights.clear()
            found = [replace(row, weight_text=text) for row, text in zip(self._rows, texts, strict=True)]
            self._rows_by_weights[texts] = found
        return list(found)


def scoring_frame(matrix: Matrix) -> ScoringFrame:
    """The frame of `matrix`: the one kept with it when the matrix is kept, else a new one."""
    memo = matrix.kept_memo
    if memo is None:
        return _build(matrix)
    frame = memo.get(_MEMO_KEY)
    if frame is None:  # two requests may both build it; either copy is the same
        frame = memo[_MEMO_KEY] = _build(matrix)
    return frame  # type: ignore[return-value]


def _build(matrix: Matrix) -> ScoringFrame:
    options, criteria = tuple(options_in_order(matrix)), tuple(matrix.criteria)
    option_labels = tuple(label_of(o) for o in options)
    criterion_labels = tuple(label_of(c) for c in criteria)
    stored = matrix.stored_scores
    scales = [(float(c.scale_min), float(c.scale_max)) for c in criteria]
    cells = []
    labels = dict(FIXED_LABELS)
    for option, option_label in zip(options, option_labels, strict=True):
        saved = stored.get(option.id, {})  # type: ignore[arg-type]
        row = []
        for criterion, criterion_label, (low, high) in zip(criteria, criterion_labels, scales, strict=True):
            name = score_name(option.id, criterion.id)  # type: ignore[arg-type]
            kept = stored_text(saved[criterion.id]) if criterion.id in saved else ""
            row.append(FrameCell(name, kept, low, high, low == int(low) and high == int(high), criterion_label))
            labels[name] = f"{option_label} — {criterion_label}"
        cells.append(tuple(row))
    helpers = {}
    for prefix, defaults in _helper_defaults(criteria).items():
        names = tuple(f"{prefix}.{c.id}" for c in criteria)
        helpers[prefix] = (names, defaults)
        words = HELPER_LABELS[prefix]
        labels.update((n, f"{words} of {label}") for n, label in zip(names, criterion_labels, strict=True))
    pairs = []
    for i, first in enumerate(criteria):
        for second in criteria[i + 1 :]:
            name = f"a.{first.id}.{second.id}"
            pairs.append((first, second, name))
            labels[name] = f"{label_of(first)} against {label_of(second)}"
    return ScoringFrame(
        options=options,
        criteria=criteria,
        option_labels=option_labels,
        option_labels_by_name=MappingProxyType(dict(zip([o.name for o in options], option_labels, strict=True))),
        criterion_labels=criterion_labels,
        cells=tuple(cells),
        helpers=MappingProxyType(helpers),
        ahp_pairs=tuple(pairs),
        labels=MappingProxyType(labels),
        option_ids=frozenset(str(o.id) for o in options),
        criterion_ids=frozenset(str(c.id) for c in criteria),
        columns=tuple(option_columns(options)),
        _rows=tuple(criterion_rows(criteria, None)),
    )


def _helper_defaults(criteria: Sequence[Criterion]) -> dict[str, tuple[str, ...]]:
    """What each helper's inputs show before anyone types: the matrix's own weights, as each helper reads them."""
    weights = [float(c.weight) for c in criteria]
    largest = max(weights, default=0.0)
    return {
        "w": tuple(f"{w:g}" for w in weights),
        "r": tuple(str(r) for r in competition_ranks(np.array(weights)).ranks) if weights else (),
        "p": tuple(f"{round(100 * w / largest) if largest > 0 else 100:g}" for w in weights),
    }
