"""The weights of the "Score it yourself" form: typed, equal, ranked (ROC, rank sum), swing points or AHP.

Each helper's inputs are echoed back whichever is active (the inactive ones
travel as hidden fields), and the active one's weights are computed as
POST /api/v1/weights computes them. An incomplete ranking of the criteria is
not an error: `state.stale_reason` says what is left, and the last valid
weights (`lw.<criterion id>`) keep the ranking on screen, marked stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from optionsmatrix.analysis import AnalysisError, competition_ranks
from optionsmatrix.analysis.weights import MAX_AHP_SIZE
from optionsmatrix.schemas.analysis import (
    AhpWeightsIn,
    DirectWeightsIn,
    EqualWeightsIn,
    RankWeightsIn,
    SwingWeightsIn,
    WeightsRequest,
)
from optionsmatrix.schemas.numbers import NotANumber, parse_decimal, parse_whole
from optionsmatrix.services.analysis import weights_request
from optionsmatrix.web.scoring.component import label_of
from optionsmatrix.web.scoring.messages import PageWords, as_sentence, plain_message

if TYPE_CHECKING:
    from optionsmatrix.web.scoring.form import ScoringState

WEIGHTING_MODES = {
    "direct": "Type the weights",
    "equal": "Equal weights",
    "roc": "Rank the criteria (rank order centroid)",
    "rank_sum": "Rank the criteria (rank sum)",
    "swing": "Swing points (0–100)",
    "ahp": "Compare pairs (AHP)",
}
# Saaty's scale, strongest preference for the first criterion first.
SAATY_CHOICES: tuple[tuple[str, str], ...] = (
    ("9", "9 — first extremely more important"),
    ("8", "8"),
    ("7", "7 — first very strongly more important"),
    ("6", "6"),
    ("5", "5 — first strongly more important"),
    ("4", "4"),
    ("3", "3 — first moderately more important"),
    ("2", "2"),
    ("1", "1 — equally important"),
    ("1/2", "1/2"),
    ("1/3", "1/3 — second moderately more important"),
    ("1/4", "1/4"),
    ("1/5", "1/5 — second strongly more important"),
    ("1/6", "1/6"),
    ("1/7", "1/7 — second very strongly more important"),
    ("1/8", "1/8"),
    ("1/9", "1/9 — second extremely more important"),
)
_SAATY_VALUES = {text: (1 / float(text[2:]) if text.startswith("1/") else float(text)) for text, _ in SAATY_CHOICES}


def number_or_none(text: str) -> float | None:
    """The same grammar as the other forms and the API (numbers.py): float() alone would
    also take "nan", "inf", "1_0" and full-width digits."""
    try:
        return parse_decimal(text)
    except NotANumber:
        return None


def _whole(text: str) -> int | None:
    try:
        return parse_whole(text)
    except NotANumber:
        return None


def page_words(state: ScoringState) -> PageWords:
    return PageWords(
        options=list(state.frame.option_labels),
        criteria=list(state.frame.criterion_labels),
        scales=[(c.scale_min, c.scale_max) for c in state.criteria],
    )


def last_valid_weights(state: ScoringState, query: Mapping[str, str]) -> np.ndarray | None:
    values = [number_or_none(query.get(f"lw.{c.id}", "")) for c in state.criteria]
    if any(v is None or not np.isfinite(v) or v < 0 for v in values):
        return None
    weights = np.array(values, dtype=float)
    return weights / weights.sum() if weights.sum() > 0 else None


# The field prefix of the inputs each per-criterion weighting mode reads.
_HELPER_PREFIX = {"direct": "w", "roc": "r", "rank_sum": "r", "swing": "p"}


def _read_per_criterion(state: ScoringState, query: Mapping[str, str], prefix: str) -> dict[int, str]:
    """Echo one helper's inputs (absent → the matrix's value) and return the filled ones by criterion position."""
    active = _HELPER_PREFIX.get(state.weighting) == prefix
    filled = {}
    names, defaults = state.frame.helpers[prefix]
    for j, (name, default) in enumerate(zip(names, defaults, strict=True)):
        text = state.values[name] = query.get(name, default).strip()
        if text:
            filled[j] = text
        elif active and prefix != "r":
            state.weights_missing.append(state.frame.criterion_labels[j])
    return filled


def read_weights(state: ScoringState, query: Mapping[str, str]) -> np.ndarray | None:
    """Echo every helper's inputs (inactive ones travel as hidden fields) and compute the active one's weights."""
    criteria, n = state.criteria, len(state.criteria)
    entries = {prefix: _read_per_criterion(state, query, prefix) for prefix in ("w", "r", "p")}
    judgements = {}
    for _, _, name in state.frame.ahp_pairs:
        judgements[name] = state.values[name] = query.get(name, "1")

    mode = state.weighting
    if mode == "equal":
        return _weights_from(state, EqualWeightsIn(scheme="equal", n=n))
    if mode == "ahp":
        return _ahp_weights(state, judgements)
    if mode in ("roc", "rank_sum"):
        return _rank_weights(state, entries["r"], query)
    prefix = _HELPER_PREFIX[mode]
    numbers: list[float] = []
    for j, text in entries[prefix].items():
        value = number_or_none(text)  # only the syntax here; the analysis core judges the values
        if value is None:
            state.errors[f"{prefix}.{criteria[j].id}"] = "Enter a number."
        else:
            numbers.append(value)
    if len(numbers) < n:  # something empty or not a number: said above, next to the field
        return None
    if mode == "direct":
        return _weights_from(state, DirectWeightsIn(scheme="direct", weights=[float(x) for x in numbers]))
    return _weights_from(state, SwingWeightsIn(scheme="swing", points=[float(x) for x in numbers]))


def _rank_weights(state: ScoringState, entries: dict[int, str], query: Mapping[str, str]) -> np.ndarray | None:
    """ROC / rank sum from one chosen place per criterion (1 = most important).

    Places come from selects, so the only ways to be wrong are to leave one
    unchosen or to put two criteria in one place without saying it is a tie:
    both leave the input *incomplete* (status 200, the last valid ranking kept
    and marked stale), never an error. With "ties" on, criteria in one place
    share it and the next criterion takes the next competition rank (1, 1, 3).
    """
    criteria, n = state.criteria, len(state.criteria)
    default_ties = len(set(state.values[f"r.{c.id}"] for c in criteria)) < n
    state.ties = query.get("ties", "1" if default_ties else "0") == "1"
    positions: dict[int, int] = {}
    for j, text in entries.items():
        name = f"r.{criteria[j].id}"
        value = _whole(text)
        if value is None or not 1 <= value <= n:
            state.errors[name] = f"Give {label_of(criteria[j])} a place from 1 to {n}."
        else:
            positions[j] = value
    if state.errors:
        return None
    unplaced = [label_of(c) for j, c in enumerate(criteria) if j not in positions]
    if unplaced:
        state.stale_reason = "Give every criterion a place; still without one: " + ", ".join(unplaced) + "."
        return None
    order = np.array([positions[j] for j in range(n)], dtype=float)
    if not state.ties:
        taken = sorted(positions.values())
        shared = next((p for p in taken if taken.count(p) > 1), None)
        if shared is not None:
            free = next(p for p in range(1, n + 1) if p not in taken)
            count = _COUNT_WORDS.get(taken.count(shared), str(taken.count(shared)))
            state.stale_reason = (
                f"{count} criteria share rank {shared} and none is ranked {free}: "
                "give each criterion its own place, or mark a tie."
            )
            return None
    ranks = competition_ranks(order, higher_is_better=False).ranks
    return _weights_from(state, RankWeightsIn(scheme=state.weighting, ranks=[int(r) for r in ranks]))


_COUNT_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}


def _ahp_weights(state: ScoringState, judgements: dict[str, str]) -> np.ndarray | None:
    n = len(state.criteria)
    if not state.ahp_allowed:
        state.errors["weighting"] = (
            f"Pairwise comparison (AHP) handles at most {MAX_AHP_SIZE} criteria; this matrix has {n}."
        )
        return None
    pairwise = np.ones((n, n))
    index = {c.id: j for j, c in enumerate(state.criteria)}
    complete = True
    for first, second, name in state.ahp_pairs():
        value = _SAATY_VALUES.get(judgements[name])
        if value is None:
            state.errors[name] = "Choose a judgement from the list."
            complete = False
            continue
        i, j = index[first.id], index[second.id]
        pairwise[i, j], pairwise[j, i] = value, 1 / value
    if not complete:
        return None
    return _weights_from(state, AhpWeightsIn(scheme="ahp", pairwise=pairwise.tolist()))


def _weights_from(state: ScoringState, body: WeightsRequest) -> np.ndarray | None:
    """The weights by the chosen scheme, computed as POST /api/v1/weights computes them."""
    try:
        result = weights_request(body)
    except AnalysisError as error:
        state.errors[_weights_field(state, error)] = plain_message(error, page_words(state))
        return None
    state.weights, state.consistency = result.weights, result.consistency
    state.warnings += [as_sentence(w) for w in result.warnings]
    return result.weights


def _weights_field(state: ScoringState, error: AnalysisError) -> str:
    """The input a weighting error is about: one criterion's entry, or the weighting as a whole."""
    loc = error.loc
    prefix = {"ranks": "r", "points": "p", "weights": "w"}.get(str(loc[0])) if loc else None
    if prefix is not None and len(loc) == 2 and isinstance(loc[1], int) and loc[1] < len(state.criteria):
        return f"{prefix}.{state.criteria[loc[1]].id}"
    return {"r": "ranks", "p": "points", "w": "weights"}.get(prefix or "", "weighting")
