"""/api/v1/sensitivity — how sure is a ranking? Stateless, like /analyze: no login, nothing stored."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body

from optionsmatrix.api.analysis import ANALYSIS_ERRORS
from optionsmatrix.api.analysis_examples import SENSITIVITY_EXAMPLES
from optionsmatrix.api.routing import api_router
from optionsmatrix.schemas.sensitivity import SensitivityRequest, SensitivityResponse
from optionsmatrix.services.sensitivity import run_sensitivity, sensitivity_answer

router = api_router(tags=["analysis"])


@router.post("/sensitivity", response_model=SensitivityResponse, responses=ANALYSIS_ERRORS)
def sensitivity(body: Annotated[SensitivityRequest, Body(openapi_examples=SENSITIVITY_EXAMPLES)]) -> Any:
    """Run one sensitivity analysis, chosen by `analysis`, on an /analyze body.

    - `weights`: for each criterion, the interval of its weight (the others
      rescaled in proportion, weights summing to 1) within which the top
      option(s) stay first, and who is first just beyond each end. Exact
      (`tolerance` 0) for wsm, wpm and promethee2; a bracketed search within
      `tolerance` for topsis and vikor.
    - `smaa`: SMAA-2 over `samples` weight vectors (default 10,000, at most
      100,000, and samples × options × criteria — × options again for
      promethee2 — at most 20,000,000), uniform on all weights, within
      `weight_bounds`, and/or consistent with `criteria_order`; reproducible
      with `seed` (returned when omitted). Tight bounds make drawing the
      weights itself costly (rejection or hit-and-run), so that work is
      capped too: the 422 says how many samples fit.
    - `dominance`: the options each option is dominated by, and the efficient set.
    - `methods`: every method's ranks and Kendall's τ-b between each pair.

    Lists run per option or per criterion in input order; weights are
    normalised. Definitions and references: docs/methods.md.
    """
    return sensitivity_answer(body, run_sensitivity(body))
