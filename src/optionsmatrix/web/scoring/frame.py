"""What the scoring form reads of a matrix besides the request, as plain data: names, labels, scales, stored scores.

Evaluating the form read the options' and criteria's columns through the ORM
some 700 times a request, and built the same field names and labels again on
every keystroke. A matrix kept between requests (services/page_matrices.py)
never changes, so its frame is built once and kept with it
(`Matrix.kept_memo`); any other matrix, which a handler may just have
changed, gets a fresh frame each time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
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
# Criterion rows differ only in the weight each shows: typing scores redraws them under one weighting again and
# again, typing weights under a new one each time.
_ROWS_KEPT = 8

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


class FieldLabels(Mapping[str, str]):
    """Every field's name → what a person calls it ("Campus — Cost", "Weight of Cost"), for messages.

    Worked out when a message asks, not kept per cell: a 200 × 50 grid has 10,000 cells and a message is rare.
    """

    def __init__(self, options: Mapping[str, str], criteria: Mapping[str, str], pairs: frozenset[str]) -> None:
        self._options, self._criteria, self._pairs = options, criteria, pairs  # id (as text) → label

    def __getitem__(self, name: str) -> str:
        if name in FIXED_LABELS:
            return FIXED_LABELS[name]
        prefix, _, rest = name.partition(".")
        first, _, second = rest.partition(".")
        if prefix == "s" and first in self._options and second in self._criteria:
            return f"{self._options[first]} — {self._criteria[second]}"
        if prefix in HELPER_LABELS and not second and first in self._criteria:
            return f"{HELPER_LABELS[prefix]} of {self._criteria[first]}"
        if prefix == "a" and name in self._pairs:
            return f"{self._criteria[first]} against {self._criteria[second]}"
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield from FIXED_LABELS
        yield from (f"s.{o}.{c}" for o in self._options for c in self._criteria)
        yield from (f"{prefix}.{c}" for prefix in HELPER_LABELS for c in self._criteria)
        yield from sorted(self._pairs)

    def __len__(self) -> int:
        n = len(self._criteria)
        return len(FIXED_LABELS) + len(self._options) * n + len(HELPER_LABELS) * n + len(self._pairs)


@dataclass(frozen=True)
class ScoringFrame:
    options: tuple[Option, ...]  # in the matrix's order
    criteria: tuple[Criterion, ...]
    option_labels: tuple[str, ...]
    option_labels_by_name: Mapping[str, str]  # the full name (as a ranking knows it) → the label
    criterion_labels: tuple[str, ...]
    cell_names: tuple[tuple[str, ...], ...]  # [option][criterion]: s.<option id>.<criterion id>
    kept: tuple[tuple[str, ...], ...]  # [option][criterion]: the stored score as the grid shows it, "" if none
    scales: tuple[tuple[float, float, bool], ...]  # per criterion: its ends, and whether both are whole numbers
    helpers: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # prefix → (field names, the matrix's values)
    ahp_pairs: tuple[tuple[Criterion, Criterion, str], ...]  # the upper triangle, a.<id>.<id>
    labels: FieldLabels
    option_ids: frozenset[str]
    criterion_ids: frozenset[str]
    columns: tuple[OptionColumn, ...]
    _rows: tuple[CriterionRow, ...]
    _rows_by_weights: dict[tuple[str, ...], list[CriterionRow]] = field(default_factory=dict, compare=False)

    def criterion_rows(self, shares: Sequence[float] | None) -> list[CriterionRow]:
        """The grid's criterion rows, each showing its share of `shares` ("—" where there is none)."""
        if shares is None:
            return list(self._rows)
        texts = tuple(f"{s * 100:.1f}%" for s in shares[: len(self._rows)])
        found = self._rows_by_weights.get(texts)
        if found is None:
            if len(self._rows_by_weights) >= _ROWS_KEPT:
                self._rows_by_weights.clear()
            found = [replace(row, weight_text=text) for row, text in zip(self._rows, texts, strict=False)]
            found += self._rows[len(texts) :]
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
    names, kept = [], []
    for option in options:
        saved = stored.get(option.id, {})  # type: ignore[arg-type]
        names.append(tuple(score_name(option.id, c.id) for c in criteria))  # type: ignore[arg-type]
        kept.append(tuple(stored_text(saved[c.id]) if c.id in saved else "" for c in criteria))
    ends = [(float(c.scale_min), float(c.scale_max)) for c in criteria]
    helpers = {
        prefix: (tuple(f"{prefix}.{c.id}" for c in criteria), defaults)
        for prefix, defaults in _helper_defaults(criteria).items()
    }
    pairs = tuple(
        (first, second, f"a.{first.id}.{second.id}") for i, first in enumerate(criteria) for second in criteria[i + 1 :]
    )
    return ScoringFrame(
        options=options,
        criteria=criteria,
        option_labels=option_labels,
        option_labels_by_name=MappingProxyType(dict(zip([o.name for o in options], option_labels, strict=True))),
        criterion_labels=criterion_labels,
        cell_names=tuple(names),
        kept=tuple(kept),
        scales=tuple((low, high, low == int(low) and high == int(high)) for low, high in ends),
        helpers=MappingProxyType(helpers),
        ahp_pairs=pairs,
        labels=FieldLabels(
            {str(o.id): label for o, label in zip(options, option_labels, strict=True)},
            {str(c.id): label for c, label in zip(criteria, criterion_labels, strict=True)},
            frozenset(name for _, _, name in pairs),
        ),
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
