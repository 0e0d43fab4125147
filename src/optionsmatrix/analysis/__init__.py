"""The pure analysis core: decision problems in, rankings and weights out.

Imports numpy only — no web framework, database or templates — so it can be
used from the API, the CLI, a notebook or a test alike.

    problem = Problem.build(options, criteria, scores, directions, weights)
    ranking = rank(problem, "topsis", explain=True)
    ranking.to_dict()            # JSON-ready
    compute_weights("roc", ranks=[1, 2, 2, 4])

Formulas, conventions and references: docs/methods.md.
"""

from .errors import AnalysisError
from .methods import (
    METHOD_NAMES,
    METHODS,
    BatchRanking,
    MethodSpec,
    allowed_normalizations,
    method_spec,
    rank,
    rank_batch,
)
from .normalize import NORMALIZATIONS, Normalized, normalize
from .problem import PREFERENCE_FUNCTIONS, Direction, PreferenceFunction, Problem
from .ranks import TIE_TOLERANCE, Ranking, competition_ranks, competition_ranks_batch
from .weights import (
    WEIGHTING_SCHEMES,
    Consistency,
    WeightResult,
    ahp,
    compute_weights,
    direct,
    equal,
    rank_sum,
    roc,
    swing,
)

__all__ = [
    "METHODS",
    "METHOD_NAMES",
    "NORMALIZATIONS",
    "PREFERENCE_FUNCTIONS",
    "TIE_TOLERANCE",
    "WEIGHTING_SCHEMES",
    "AnalysisError",
    "BatchRanking",
    "Consistency",
    "Direction",
    "MethodSpec",
    "Normalized",
    "PreferenceFunction",
    "Problem",
    "Ranking",
    "WeightResult",
    "ahp",
    "allowed_normalizations",
    "competition_ranks",
    "competition_ranks_batch",
    "compute_weights",
    "direct",
    "equal",
    "method_spec",
    "normalize",
    "rank",
    "rank_batch",
    "rank_sum",
    "roc",
    "swing",
]
