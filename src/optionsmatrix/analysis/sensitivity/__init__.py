"""Sensitivity analysis: how sure is a ranking?

    weight_sensitivity(problem, "wsm")      one-way weight intervals (exact for linear methods)
    smaa(problem, "topsis", samples=10_000, seed=1)   SMAA-2 acceptabilities, central weights, confidence
    dominance(problem)                      dominated options and the efficient set
    compare_methods(problem)                every method's ranks and Kendall's τ-b between them
    weight_sentences(result)                the intervals in plain words

Pure numpy like the rest of the core; definitions and references in docs/methods.md.
"""

from .dominance import benefit_and_cost, dominance
from .methods import compare_methods, kendall_tau_b
from .results import CriterionInterval, Dominance, MethodComparison, SmaaResult, WeightSensitivity
from .sampling import WeightSampler, validated_bounds
from .sentences import weight_sentences
from .smaa import DEFAULT_SAMPLES, MAX_SEED, new_seed, rank_shares, smaa, validated_order
from .weights import TOLERANCE, WeightSweep, path_weights, weight_sensitivity, weight_sweep

__all__ = [
    "DEFAULT_SAMPLES",
    "MAX_SEED",
    "TOLERANCE",
    "CriterionInterval",
    "Dominance",
    "MethodComparison",
    "SmaaResult",
    "WeightSampler",
    "WeightSensitivity",
    "WeightSweep",
    "benefit_and_cost",
    "compare_methods",
    "dominance",
    "kendall_tau_b",
    "new_seed",
    "path_weights",
    "rank_shares",
    "smaa",
    "validated_bounds",
    "validated_order",
    "weight_sentences",
    "weight_sensitivity",
    "weight_sweep",
]
