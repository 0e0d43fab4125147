"""Run the analysis core on the API's request shapes.

No database and no HTTP: the /analyze and /weights endpoints and the
`optionsmatrix rank` command all call these, so a body ranks the same way
wherever it is sent. The only translation is of error fields: the core names
what it was given ("weights[2]"), the caller needs what they sent
("criteria[2].weight").
"""

from __future__ import annotations

import re

from optionsmatrix.analysis import (
    AnalysisError,
    Problem,
    Ranking,
    WeightResult,
    compute_weights,
    rank,
)
from optionsmatrix.analysis.weights import validated_weight_vector
from optionsmatrix.schemas.analysis import (
    AhpWeightsIn,
    AnalyzeRequest,
    DirectWeightsIn,
    EqualWeightsIn,
    RankWeightsIn,
    SwingWeightsIn,
    WeightsRequest,
)

_WEIGHT_OF_CRITERION = re.compile(r"^weights\[(\d+)\]$")


def _request_field(field: str) -> str:
    """The body path of a core field: weights live on the criteria in an /analyze body."""
    if field == "weights":
        return "criteria"
    cell = _WEIGHT_OF_CRITERION.match(field)
    return f"criteria[{cell[1]}].weight" if cell else field


def problem_of(body: AnalyzeRequest) -> Problem:
    """Build (and so validate) the core's Problem from a request body."""
    criteria = body.criteria
    preferences = None  # 'usual' everywhere, without checking n empty entries
    if any(c.preference is not None for c in criteria):
        preferences = [c.preference.model_dump() if c.preference is not None else None for c in criteria]
    try:
        return Problem.build(
            options=body.options,
            criteria=[c.name for c in criteria],
            scores=body.scores,
            directions=[c.direction for c in criteria],
            weights=[c.weight for c in criteria],
            scales=[c.scale for c in criteria],
            preferences=preferences,
        )
    except AnalysisError as error:
        raise AnalysisError(error.message, _request_field(error.field or ""), code=error.code) from None


def rank_request(body: AnalyzeRequest) -> Ranking:
    """Rank the body's problem with its method; raises AnalysisError naming the body field at fault."""
    problem = problem_of(body)
    params = body.params.model_dump(exclude_none=True) if body.params is not None else None
    return rank(problem, body.method, body.normalization, params or None, body.explain)


def weights_request(body: WeightsRequest) -> WeightResult:
    """Criterion weights by the body's scheme; raises AnalysisError naming the body field at fault."""
    if isinstance(body, RankWeightsIn):
        return compute_weights(body.scheme, ranks=body.ranks)
    if isinstance(body, SwingWeightsIn):
        return compute_weights("swing", points=body.points)
    if isinstance(body, AhpWeightsIn):
        return compute_weights("ahp", pairwise=body.pairwise, priority=body.priority)
    if isinstance(body, EqualWeightsIn):
        return compute_weights("equal", n=body.n)
    if not isinstance(body, DirectWeightsIn):  # the request union has exactly these five shapes
        raise TypeError(f"no weighting scheme for {type(body).__name__}")
    # The core's `direct` calls its argument 'values'; checking under the body's
    # own name makes its messages say 'weights[1]' rather than 'values[1]'.
    return WeightResult(validated_weight_vector(body.weights, "weights"))
