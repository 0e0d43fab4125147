"""/api/v1/analyze and /api/v1/weights — rank a problem or derive weights, statelessly.

No login: nothing is read from or written to the database. Bad input is a
422 in FastAPI's shape; errors from the analysis core (AnalysisError) reach
the same shape through the handler in error_handlers.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Response
from pydantic_core import to_json
from starlette.concurrency import run_in_threadpool

from optionsmatrix.analysis import METHODS
from optionsmatrix.api.analysis_examples import ANALYZE_EXAMPLES, WEIGHTS_EXAMPLES
from optionsmatrix.api.responses import TOO_LARGE, UNPROCESSABLE, responses
from optionsmatrix.api.routing import api_router
from optionsmatrix.schemas.analysis import (
    AnalyzeRequest,
    AnalyzeResponse,
    WeightsRequest,
    WeightsResponse,
)
from optionsmatrix.services.analysis import rank_request, weights_request

router = api_router(tags=["analysis"])

# The shared 422, with an example of the analysis core's own messages.
ANALYSIS_ERRORS = responses(TOO_LARGE, UNPROCESSABLE) | {
    422: {
        **UNPROCESSABLE[422],
        "description": "The body breaks a rule; each entry names the field in `loc`",
        "content": {
            "application/json": {
                "example": {
                    "detail": [
                        {
                            "loc": ["body", "scores", 1, 0],
                            "msg": "criterion 'Cost' has score 7 outside its scale 1–5 for option 'Old town'",
                            "type": "value_error",
                        }
                    ]
                }
            }
        },
    }
}


# Ranking a problem of up to this many cells (options × criteria, once more × options for a
# method comparing every pair) takes 2 ms at most, about as long as parsing its body,
# which FastAPI does on the event loop anyway. So it runs there too, sparing the CPU of a hop to
# a worker thread and back (issue 14). Larger ones go to a thread, where a 200-option PROMETHEE
# (tens of milliseconds) cannot hold up other requests.
INLINE_CELLS = 50_000


@router.post(
    "/analyze",
    response_model=AnalyzeResponse,
    response_model_exclude_unset=True,  # `steps` appears only when explained
    responses=ANALYSIS_ERRORS,
)
async def analyze(body: Annotated[AnalyzeRequest, Body(openapi_examples=ANALYZE_EXAMPLES)]) -> Response:
    """Rank options scored against weighted criteria with one method, without storing anything.

    Methods: `wsm` (weighted sum), `wpm` (weighted product), `topsis`, `vikor`
    (lower Q is better; `params.v` from 0 to 1) and `promethee2` (per-criterion
    `preference` functions). `normalization` defaults per method (wsm: `scale`
    when every criterion has a scale, else `minmax`; wpm: `none`; topsis:
    `vector`); vikor and promethee2 take none. Weights are scaled to sum to 1.
    With `explain: true` the answer adds `steps`, every intermediate table.

    At most 200 options and 50 criteria. Formulas and references: docs/methods.md.
    """
    if _cells(body) <= INLINE_CELLS:
        return _answer(body)
    return await run_in_threadpool(_answer, body)


def _cells(body: AnalyzeRequest) -> int:
    m, n = len(body.options), len(body.criteria)
    cells = m * n * (m if METHODS[body.method].pairwise else 1)
    # Every intermediate table is sent as well: several times the numbers to write out.
    return cells * 8 if body.explain else cells


def _answer(body: AnalyzeRequest) -> Response:
    # The core's dict holds only JSON types, keyed in AnalyzeResponse's field order, and is written
    # out as it is: building and validating the model (and FastAPI's second pass over it) cost
    # as much as the ranking. tests/api/test_analyze.py checks answers against AnalyzeResponse.
    result = rank_request(body).to_dict()
    if not body.explain:
        del result["steps"]  # documented as present only when explained
    return Response(to_json(result), media_type="application/json")


@router.post("/weights", response_model=WeightsResponse, responses=ANALYSIS_ERRORS)
def weights(body: Annotated[WeightsRequest, Body(openapi_examples=WEIGHTS_EXAMPLES)]) -> WeightsResponse:
    """Criterion weights (summing to 1) from one weighting scheme, chosen by `scheme`.

    `roc` and `rank_sum` take importance `ranks` (1 = most important, ties
    share a rank: 1, 2, 2, 4); `swing` takes `points` with the most important
    at 100; `ahp` takes a reciprocal `pairwise` matrix on Saaty's 1/9…9 scale
    (at most 15 criteria) and reports its consistency ratio; `direct` scales
    typed-in `weights`; `equal` gives `n` weights of 1/n.
    """
    return WeightsResponse(**weights_request(body).to_dict())
