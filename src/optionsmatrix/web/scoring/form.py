"""The scoring form of a matrix page ("Score it yourself"): read it, rank it, say what is missing.

The form is a plain GET, so its state lives in the query string; it opens
with the matrix's stored scores (its owner's), which only its owner stores
(web/scoring/saving.py). Field names carry database ids, not positions, so a value
keeps its meaning if the matrix is reordered between two requests:

    s.<option id>.<criterion id>   a score            w.<criterion id>   a typed weight
    r.<criterion id>               an importance rank (ROC, rank sum)
    p.<criterion id>               swing points       a.<id>.<id>        an AHP judgement (upper triangle)
    method, normalization, v, weighting, explain

An absent field takes the matrix's own value (the page's first view; for a
score, the stored one); a field sent empty counts as not filled in yet. Empty cells make the form
*incomplete* (status 200 and a progress message); a value that breaks a rule
is an *error* (status 422, a message next to the field).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from markupsafe import Markup, escape

from optionsmatrix.analysis import (
    METHOD_NAMES,
    METHODS,
    AnalysisError,
    Consistency,
    Ranking,
    allowed_normalizations,
    explain,
)
from optionsmatrix.analysis.explain import (
    RankedOption,
    StepTable,
    describe_method,
    ranked_options,
    step_tables,
)
from optionsmatrix.analysis.weights import MAX_AHP_SIZE
from optionsmatrix.models import Criterion, Matrix, Option
from optionsmatrix.schemas.analysis import AnalyzeRequest
from optionsmatrix.services.analysis import rank_request
from optionsmatrix.services.ranking_chart import BarChart, ranking_chart
from optionsmatrix.web.scoring.component import label_of, score_name, section_view
from optionsmatrix.web.scoring.frame import ScoringFrame, scoring_frame
from optionsmatrix.web.scoring.messages import as_sentence, plain_message
from optionsmatrix.web.scoring.weighting import (
    SAATY_CHOICES,
    WEIGHTING_MODES,
    last_valid_weights,
    number_or_none,
    page_words,
    read_weights,
)

DEFAULT_METHOD = "wsm"
DEFAULT_V = "0.5"
MISSING_LIST_LIMIT = 6  # options listed by name in "Still to score"; the rest are counted
NORMALIZATION_NAMES = {
    "scale": "Position on each criterion's scale",
    "minmax": "Min–max (range of the scores given)",
    "sum": "Share of the criterion's total",
    "max": "Fraction of the best score",
    "vector": "Vector (divide by column length)",
    "none": "None (raw scores)",
}


def score_field(option: Option, criterion: Criterion) -> str:
    return score_name(option.id, criterion.id)


@dataclass
class ScoringState:
    """Everything the scoring section shows: the inputs as typed, their messages, and the result."""

    matrix: Matrix
    frame: ScoringFrame  # what the form reads of the matrix, as plain data
    options: list[Option]
    criteria: list[Criterion]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)  # field name → what a person calls it
    method: str = DEFAULT_METHOD
    normalization: str = ""  # "" = the method's default
    weighting: str = "direct"
    explain: bool = False
    filled: int = 0
    missing: list[tuple[str, list[str]]] = field(default_factory=list)  # option → criteria not scored
    weights_missing: list[str] = field(default_factory=list)
    weights: np.ndarray | None = None  # summing to 1
    consistency: Consistency | None = None
    warnings: list[str] = field(default_factory=list)
    ranking: Ranking | None = None
    description: str = ""  # the method and normalisation used, in words
    rows: list[RankedOption] = field(default_factory=list)
    chart: BarChart | None = None
    steps: list[StepTable] = field(default_factory=list)
    ties: bool = False  # ROC / rank sum: criteria placed at the same position are meant as a tie
    stale_reason: str = ""  # the weighting input is incomplete: one plain sentence saying what is left
    stale_weights: np.ndarray | None = None  # the last valid weights, carried in lw.<id> hidden fields
    stale: bool = False  # the ranking shown rests on stale_weights, not on the input on screen
    request: AnalyzeRequest | None = None  # what was ranked, for "How sure is this?"

    @property
    def option_labels(self) -> Mapping[str, str]:
        """An option's full name (as the ranking knows it) to what the page calls it."""
        return self.frame.option_labels_by_name

    @property
    def step_labels(self) -> dict[str, str]:
        """Full names of options and criteria (as the working's tables know them) to what the page calls them."""
        return {**{c.name: label_of(c) for c in self.criteria}, **self.option_labels}

    @property
    def carried_weights(self) -> np.ndarray | None:
        """What the lw.<id> hidden fields carry: the weights in force, or the last valid ones."""
        return self.weights if self.weights is not None else self.stale_weights

    @property
    def ready(self) -> bool:
        return bool(self.options) and bool(self.criteria)

    @property
    def total(self) -> int:
        return len(self.options) * len(self.criteria)

    @property
    def status_code(self) -> int:
        return 422 if self.errors else 200

    @property
    def normalizations(self) -> tuple[str, ...]:
        return allowed_normalizations(self.method)

    @property
    def ahp_allowed(self) -> bool:
        return len(self.criteria) <= MAX_AHP_SIZE

    @property
    def tied_ranks(self) -> set[int]:
        """Ranks that more than one option shares (competition ranking: 1, 2, 2, 4)."""
        ranks = [row.rank for row in self.rows]
        return {rank for rank in ranks if ranks.count(rank) > 1}

    @property
    def missing_listed(self) -> list[tuple[str, list[str]]]:
        return self.missing[:MISSING_LIST_LIMIT]

    @property
    def missing_unlisted(self) -> int:
        return max(0, len(self.missing) - MISSING_LIST_LIMIT)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def hidden_fields(self, prefix: str) -> Markup:
        """A hidden input with the value sent for each criterion's `prefix` field ("w", "r", "p") or, for
        "a", each pair of criteria: the helpers not on screen travel with every refresh unseen (50-odd
        fields for eight criteria), built here in one pass rather than by a template loop per field."""
        names = [name for _, _, name in self.frame.ahp_pairs] if prefix == "a" else self.frame.helpers[prefix][0]
        hidden = (f'<input type="hidden" name="{escape(n)}" value="{escape(self.value(n))}">' for n in names)
        return Markup("".join(hidden))

    def ahp_pairs(self) -> list[tuple[Criterion, Criterion, str]]:
        return list(self.frame.ahp_pairs)


def evaluate(matrix: Matrix, query: Mapping[str, str]) -> ScoringState:
    """Read the form from `query` (empty for the page's first view) and rank it when it is complete."""
    frame = scoring_frame(matrix)
    state = ScoringState(matrix, frame, list(frame.options), list(frame.criteria), labels=frame.labels)
    if not state.ready:
        return state
    query = dict(query.items())  # a plain dict: a Mapping's get() costs several calls, and the form has 150 fields
    _read_choices(state, query)
    grid = _read_scores(state, query)
    raw_weights = read_weights(state, query)
    if raw_weights is None and state.stale_reason and not state.errors:
        # An incomplete ranking of the criteria is not a mistake: keep the last valid
        # weights (carried in hidden fields) and rank with them, marked stale.
        state.stale_weights = last_valid_weights(state, query)
        if state.stale_weights is not None and not state.missing:
            state.stale = True
            _rank(state, grid, state.stale_weights)
        return state
    if state.errors or state.missing or raw_weights is None:
        return state
    _rank(state, grid, raw_weights)
    return state


def _read_choices(state: ScoringState, query: Mapping[str, str]) -> None:
    method = query.get("method", DEFAULT_METHOD)
    if method not in METHOD_NAMES:
        state.errors["method"] = "Choose one of the listed methods."
        method = DEFAULT_METHOD
    state.method = method
    # A normalisation left over from another method (the select is stale after
    # the method changed) quietly falls back to the new method's default.
    normalization = query.get("normalization", "")
    state.normalization = normalization if normalization in allowed_normalizations(method) else ""
    weighting = query.get("weighting", "direct")
    if weighting not in WEIGHTING_MODES:
        state.errors["weighting"] = "Choose one of the listed ways to set weights."
        weighting = "direct"
    state.weighting = weighting
    state.explain = query.get("explain") == "1"
    state.values["v"] = query.get("v", DEFAULT_V).strip()
    if method == "vikor":
        v = number_or_none(state.values["v"])
        if v is None or not 0 <= v <= 1:
            state.errors["v"] = "Enter a number from 0 to 1."


def _read_scores(state: ScoringState, query: Mapping[str, str]) -> np.ndarray:
    grid = []
    values, errors, frame = state.values, state.errors, state.frame
    # The owner's stored scores fill every cell the address does not mention;
    # a cell it sends, even empty, is the reader's own.
    for option_label, names, kept_row in zip(frame.option_labels, frame.cell_names, frame.kept, strict=True):
        unscored = []
        row = []
        for name, kept, (low, high, whole_ends), criterion_label in zip(
            names, kept_row, frame.scales, frame.criterion_labels, strict=True
        ):
            sent = query.get(name)
            text = values[name] = (kept if sent is None else sent).strip()
            row.append(0.0)
            if not text:
                unscored.append(criterion_label)
                continue
            value = number_or_none(text)
            # A scale with whole-number ends is a scale of points (the input's
            # step is 1), as a browser with JavaScript off would also insist;
            # a stored score between the points (from the API or a file) stands.
            whole = whole_ends and text != kept
            if value is None:
                errors[name] = "Enter a number."
            elif not low <= value <= high or (whole and value != int(value)):
                kind = "a whole number" if whole else "a score"
                errors[name] = f"Enter {kind} from {low:g} to {high:g}."
            else:
                row[-1] = value
        grid.append(row)
        state.filled += len(names) - len(unscored)
        if unscored:
            state.missing.append((option_label, unscored))
    return np.array(grid, dtype=float).reshape(len(state.options), len(state.criteria))


def _rank(state: ScoringState, grid: np.ndarray, weights: np.ndarray) -> None:
    """Rank as POST /api/v1/analyze ranks: the same request shape, the same adapter into the core."""
    body = AnalyzeRequest(
        options=[o.name for o in state.options],
        criteria=[
            {"name": c.name, "direction": c.direction, "weight": float(w),
             "scale_min": float(c.scale_min), "scale_max": float(c.scale_max)}
            for c, w in zip(state.criteria, weights, strict=True)
        ],
        scores=grid.tolist(),
        method=state.method,
        normalization=state.normalization or None,
        params={"v": float(state.values["v"])} if state.method == "vikor" else None,
        explain=state.explain,
    )  # fmt: skip
    try:
        ranking = rank_request(body)
    except AnalysisError as error:
        state.errors[_form_field(state, error)] = plain_message(error, page_words(state))
        return
    state.ranking = ranking
    state.request = body
    state.description = describe_method(ranking)
    state.rows = ranked_options(ranking)
    state.chart = ranking_chart(ranking, state.rows, labels=state.option_labels)
    state.warnings += [as_sentence(w) for w in ranking.warnings]
    if state.explain:
        state.steps = step_tables(ranking)


def _form_field(state: ScoringState, error: AnalysisError) -> str:
    """The form field an /analyze error is about: a score cell, a weight, or a choice."""
    loc = error.loc
    if loc[:1] == ("scores",) and len(loc) == 3:
        return score_field(state.options[int(loc[1])], state.criteria[int(loc[2])])
    if loc[:1] == ("params",):
        return "v"
    if loc[:1] in (("method",), ("normalization",)):
        return str(loc[0])
    return "weights" if loc[:1] == ("criteria",) else "form"


def _score_label(ranking: Ranking) -> str:
    """What the method calls its score: "closeness", "Q", "net flow"…"""
    return explain.score_label(ranking.method)


# What the scoring partials call; the handlers put it in the context.
TEMPLATE_HELPERS: dict[str, object] = {
    "scoring_label": label_of,
    "scoring_section_view": section_view,
    "score_label": _score_label,
    "saaty_choices": SAATY_CHOICES,
    "weighting_modes": WEIGHTING_MODES,
    "method_labels": {name: spec.label for name, spec in METHODS.items()},
    "normalization_names": NORMALIZATION_NAMES,
}
