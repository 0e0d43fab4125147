"""The shape of a matrix's stored scores: option id → criterion id → score (or null: not scored).

Ids are decimal strings as JSON map keys, as in a ballot
(`{"11": {"21": 4, "22": null}}`). Reading gives only the scored cells;
writing replaces the whole set, and null (or leaving a cell out) means
"not scored".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, RootModel

IdKey = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,9}$")]
ScoreValue = Annotated[float, Field(allow_inf_nan=False)]
ScoreMap = dict[str, dict[str, float]]

SCORES_DESCRIPTION = (
    "The owner's own scores: option id → criterion id → score on that criterion's scale. Only scored cells "
    "appear; `{}` when there are none. Every reader's scoring grid opens with them."
)
SCORES_EXAMPLE = {"11": {"21": 4, "22": 2.5}, "12": {"21": 1}}


class MatrixScores(RootModel[dict[IdKey, dict[IdKey, ScoreValue | None]]]):
    """Every score of the matrix, replacing what was stored: a cell left out or null is not scored."""

    model_config = ConfigDict(
        strict=True,
        json_schema_extra={"examples": [{"11": {"21": 4, "22": None}, "12": {"21": 1, "22": 5}}]},
    )


def score_map(stored: dict[int, dict[int, float]]) -> ScoreMap:
    """`Matrix.stored_scores` keyed as JSON keys them."""
    return {str(o): {str(c): value for c, value in row.items()} for o, row in stored.items()}
