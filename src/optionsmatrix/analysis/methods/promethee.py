"""PROMETHEE II (Brans & Vincke 1985): net outranking flows.

For every ordered pair (a, b) and criterion j, the difference d in the
criterion's own units (f(a) − f(b) for a benefit, f(b) − f(a) for a cost)
goes through the criterion's preference function to a degree P_j(a, b) in
[0, 1]. π(a, b) = Σ_j w_j P_j(a, b); φ⁺(a) = Σ_b π(a, b)/(m − 1),
φ⁻(a) = Σ_b π(b, a)/(m − 1), and the score is φ = φ⁺ − φ⁻ in [−1, 1].

The pairs are one (m × m × n) difference tensor: memory grows with m²·n.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..problem import PREFERENCE_FUNCTIONS, PreferenceFunction
from .spec import MethodInput, MethodOutput, MethodSpec, weighted_sum

if TYPE_CHECKING:  # not at run time: defining it would load numpy before anything ranks (deferred.py)
    Kernel = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _usual(d: np.ndarray, _q: np.ndarray, _p: np.ndarray, _s: np.ndarray) -> np.ndarray:
    return (d > 0).astype(float)


def _u_shape(d: np.ndarray, q: np.ndarray, _p: np.ndarray, _s: np.ndarray) -> np.ndarray:
    return (d > q).astype(float)


def _v_shape(d: np.ndarray, _q: np.ndarray, p: np.ndarray, _s: np.ndarray) -> np.ndarray:
    return np.clip(d / p, 0.0, 1.0)


def _level(d: np.ndarray, q: np.ndarray, p: np.ndarray, _s: np.ndarray) -> np.ndarray:
    return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))


def _linear(d: np.ndarray, q: np.ndarray, p: np.ndarray, _s: np.ndarray) -> np.ndarray:
    # Brans type V: 0 up to q, a straight line to 1 at p.
    return np.clip((d - q) / (p - q), 0.0, 1.0)


def _gaussian(d: np.ndarray, _q: np.ndarray, _p: np.ndarray, s: np.ndarray) -> np.ndarray:
    # (d/s)² may overflow for a tiny s; exp(−inf) = 0 then gives the right limit, 1.
    with np.errstate(over="ignore"):
        z = (d / s) ** 2
    return np.where(d > 0, -np.expm1(-0.5 * z), 0.0)


KERNELS: dict[str, Kernel] = {
    "usual": _usual,
    "u_shape": _u_shape,
    "v_shape": _v_shape,
    "level": _level,
    "linear": _linear,
    "gaussian": _gaussian,
}
if tuple(KERNELS) != PREFERENCE_FUNCTIONS:  # a kernel per function the Problem accepts
    raise ImportError("promethee.KERNELS and problem.PREFERENCE_FUNCTIONS disagree")


def preference_degrees(
    scores: np.ndarray, is_benefit: np.ndarray, preferences: tuple[PreferenceFunction | None, ...]
) -> np.ndarray:
    """P[…, a, b, j] for every ordered pair of options and every criterion; scores are (…, m, n)."""
    # Signing the scores before subtracting gives the same differences exactly (negation is exact,
    # and rounding symmetric) with m·n multiplications instead of m²·n.
    signed = scores * np.where(is_benefit, 1.0, -1.0)
    differences = signed[..., :, None, :] - signed[..., None, :, :]
    # Plain lists: numpy string arrays and np.unique cost more than the kernels at a seminar's sizes.
    functions = [pf.function if pf is not None else "usual" for pf in preferences]

    def thresholds(name: str, columns: Sequence[int]) -> np.ndarray:
        values = [getattr(preferences[j], name) if preferences[j] is not None else None for j in columns]
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    present = dict.fromkeys(functions)
    if len(present) == 1:
        # The common case (often every criterion 'usual'): no column gathering.
        columns = range(len(functions))
        return KERNELS[functions[0]](
            differences, thresholds("q", columns), thresholds("p", columns), thresholds("s", columns)
        )
    degrees = np.empty_like(differences)
    for name in present:
        columns = [j for j, function in enumerate(functions) if function == name]
        degrees[..., columns] = KERNELS[name](
            differences[..., columns], thresholds("q", columns), thresholds("p", columns), thresholds("s", columns)
        )
    return degrees


def run(given: MethodInput) -> MethodOutput:
    problem = given.problem
    m = given.scores.shape[-2]
    degrees = preference_degrees(given.scores, problem.is_benefit, problem.preferences)  # (1 or k, m, m, n)
    pairs = max(m - 1, 1)  # one option: no pairs, π is 0 and so are the flows
    # Unicriterion net flows φ_j(a) = Σ_b (P_j(a, b) − P_j(b, a)) / (m − 1) do
    # not depend on the weights, and the net flow is their weighted sum: one
    # matrix product ranks any number of weight vectors.
    unicriterion = (degrees.sum(axis=-2) - degrees.sum(axis=-3)) / pairs  # (1 or k, m, n)
    net = weighted_sum(unicriterion, given.weights)  # (k, m)
    if not given.single:
        return MethodOutput(net)
    weights, unicriterion = given.weights[0], unicriterion[0]
    preference = degrees[0] @ weights  # π(a, b)
    phi_plus = preference.sum(axis=1) / pairs
    phi_minus = preference.sum(axis=0) / pairs
    details = {"phi_plus": phi_plus, "phi_minus": phi_minus}
    steps: dict[str, np.ndarray] = {}
    if given.explain:
        steps = {
            "normalized": unicriterion,
            "weighted": unicriterion * weights,
            "preference": preference,
            "phi_plus": phi_plus,
            "phi_minus": phi_minus,
        }
    return MethodOutput(net, details, steps)


SPEC = MethodSpec(
    name="promethee2",
    label="PROMETHEE II (net outranking flow)",
    score_label="net flow",
    higher_is_better=True,
    run=run,
    order=50,
    pairwise=True,
    raw_scores_note="on the raw scores, comparing every pair of options criterion by criterion",
    step_titles={
        "normalized": (
            "Single-criterion net flows φⱼ",
            "What each criterion alone says about an option, from −1 to 1.",
        ),
        "weighted": ("Weighted flows w × φⱼ", "Each row adds up to the option's net flow."),
        "preference": (
            "Preference matrix π(row, column)",
            "How strongly the row option is preferred to the column option, weighted over all criteria.",
        ),
        "per_option": ("Leaving and entering flows", "Net flow = φ⁺ − φ⁻."),
    },
)
