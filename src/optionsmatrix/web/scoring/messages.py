"""What the analysis core's refusals mean, said to a person with the words on the page.

The core names the rule it applied (`AnalysisError.code`) and the field; here
each code becomes one plain sentence about the criterion or option it
concerns, using the labels the page shows (short names where there are
some). A code without a sentence of its own falls back to the core's message,
tidied into a sentence — unless that message speaks in field names
(`scale_min`, `'ranks'`, `scores[0][3]`), which a person never sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from optionsmatrix.analysis import AnalysisError


@dataclass(frozen=True)
class PageWords:
    """The names the page shows, in the order the core was given them."""

    options: Sequence[str]
    criteria: Sequence[str]
    scales: Sequence[tuple[float, float]]

    def criterion(self, index: int | None) -> str:
        return self.criteria[index] if index is not None and 0 <= index < len(self.criteria) else "a criterion"

    def option(self, index: int | None) -> str:
        return self.options[index] if index is not None and 0 <= index < len(self.options) else "an option"


def _index(error: AnalysisError, position: int = 1) -> int | None:
    loc = error.loc
    return loc[position] if len(loc) > position and isinstance(loc[position], int) else None


def _scale_text(words: PageWords, j: int | None) -> str:
    if j is None or not 0 <= j < len(words.scales):
        return "its scale"
    low, high = words.scales[j]
    return f"{low:g} to {high:g}"


_FIXED: dict[str, str] = {
    "weights_all_zero": "Give at least one criterion a weight above 0.",
    "ranks_not_competition": (
        "Two criteria share a place while the place after them is also taken: give each criterion its own "
        "place, or let tied criteria share one and leave the next place free (1, 2, 2, 4)."
    ),
    "swing_without_100": "Give the criterion whose swing matters most 100 points.",
    "normalization_needs_positive_scores": (
        "This normalisation divides by the scores, so every score must be above 0; choose another normalisation."
    ),
    "normalization_zero_column": (
        "One criterion is 0 for every option, so vector normalisation cannot use it; choose another normalisation."
    ),
    "normalization_needs_benefits": (
        "Adding raw scores only works when more is better on every criterion; choose another normalisation."
    ),
    "normalization_needs_scales": (
        "Every criterion needs a scale for this normalisation; choose another normalisation."
    ),
    "parameter_out_of_range": "Enter a number from 0 to 1.",
}

_SENTENCES: dict[str, Callable[[AnalysisError, PageWords], str]] = {
    "weight_negative": lambda e, w: f"Give {w.criterion(_index(e, 1))} a weight of 0 or more.",
    "rank_out_of_range": lambda e, w: f"Give {w.criterion(_index(e, 1))} a place from 1 to {len(w.criteria)}.",
    "swing_points_out_of_range": lambda e, w: f"Give {w.criterion(_index(e, 1))} from 0 to 100 points.",
    "score_outside_scale": lambda e, w: (
        f"Score {w.option(_index(e, 1))} on {w.criterion(_index(e, 2))} from {_scale_text(w, _index(e, 2))}."
    ),
    "score_not_positive": lambda e, w: (
        f"The weighted product multiplies scores, so {w.option(_index(e, 1))} needs a score above 0 on "
        f"{w.criterion(_index(e, 2))}; or choose another method."
    ),
    "scale_reversed": lambda e, w: (
        f"The scale of {w.criterion(_index(e, 1))} must run from a lower number to a higher one; "
        "the matrix's owner can correct it."
    ),
    "scale_not_finite": lambda e, w: (
        f"The scale of {w.criterion(_index(e, 1))} needs two ordinary numbers at its ends; "
        "the matrix's owner can correct it."
    ),
    "scale_not_pair": lambda e, w: (
        f"The scale of {w.criterion(_index(e, 1))} needs a lowest and a highest score; "
        "the matrix's owner can correct it."
    ),
    "pairwise_too_large": lambda _e, w: (
        f"Comparing pairs (AHP) handles at most 15 criteria; this matrix has {len(w.criteria)}."
    ),
}


_FIXED.update({
    "ranks_empty": "Give every criterion a place.",
    "weights_empty": "Give every criterion a weight.",
    "points_empty": "Give every criterion its swing points.",
    "normalization_not_allowed": "This method does not take that normalisation; choose another one from the list.",
    "unknown_normalization": "Choose one of the listed normalisations.",
    "unknown_method": "Choose one of the listed methods.",
    "unknown_scheme": "Choose one of the listed ways to set weights.",
})  # fmt: skip

# A field path or a quoted argument name: words for a program, not for a person.
_TECHNICAL = re.compile(r"\b[a-z]+_[a-z_]+\b|'[a-z_]+'|\[\d+\]")
FALLBACK = "These inputs cannot be ranked as they stand; check the scores and weights, or choose another method."


def plain_message(error: AnalysisError, words: PageWords) -> str:
    if error.code in _FIXED:
        return _FIXED[error.code]
    sentence = _SENTENCES.get(error.code)
    if sentence is not None:
        return sentence(error, words)
    return FALLBACK if _TECHNICAL.search(error.message) else as_sentence(error.message)


def as_sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
