"""Ways to arrive at criterion weights: typed in, equal, from an importance
ranking (ROC, rank sum), from swing points, or from AHP pairwise comparisons.

Every scheme returns a `WeightResult` whose weights sum to 1, so the result
can be handed straight to `Problem.build`. See docs/methods.md for formulas
and references.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import AnalysisError, number

MAX_AHP_SIZE = 15
SAATY_SCALE_MAX = 9.0
CONSISTENCY_THRESHOLD = 0.1
# Relative tolerance for "diagonal is 1", "a_ji = 1/a_ij" and "within 1/9..9":
# it forgives float noise (1/3 stored as 0.333333333) but not a typo.
PAIRWISE_RTOL = 1e-6

# Saaty's random consistency index for n = 1..15, the classic table that
# goes back to Saaty (1980); later simulations give slightly different values
# (pymcdm, for one, uses Tummala & Ling 1998). n = 1 and 2 are 0: such
# matrices are always consistent.
SAATY_RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)


@dataclass(frozen=True)
class Consistency:
    """Saaty's consistency measures of a pairwise comparison matrix."""

    lambda_max: float
    ci: float
    ri: float
    cr: float


@dataclass(frozen=True, eq=False)
class WeightResult:
    weights: np.ndarray
    consistency: Consistency | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        consistency = None
        if self.consistency is not None:
            c = self.consistency
            consistency = {"lambda_max": c.lambda_max, "ci": c.ci, "ri": c.ri, "cr": c.cr}
        return {"weights": self.weights.tolist(), "consistency": consistency, "warnings": list(self.warnings)}


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _as_vector(values: object, field: str, what: str) -> np.ndarray:
    try:
        vector = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise AnalysisError(f"'{field}' must be a list of numbers ({what})", field, code="weights_not_list") from None
    if vector.ndim != 1:
        raise AnalysisError(
            f"'{field}' must be a flat list of numbers ({what}); got {vector.ndim} dimensions",
            field,
            code="weights_not_flat",
        )
    return vector


def validated_weight_vector(values: object, field: str, labels: Sequence[str] | None = None) -> np.ndarray:
    """Check raw weights (finite, >= 0, not all zero) and scale them to sum to 1.

    Shared by `Problem.build` and `direct` so a weight is judged the same way
    wherever it comes from. `labels` (criterion names) make messages specific.
    """
    weights = _as_vector(values, field, "one non-negative weight per criterion")
    if weights.size == 0:
        raise AnalysisError(f"'{field}' is empty; give at least one weight", field, code="weights_empty")
    largest = weights.max()
    if not (weights.min() >= 0 and largest < np.inf):  # NaN fails it too
        j = int(np.argmax(~np.isfinite(weights) | (weights < 0)))
        who = f"the weight of criterion '{labels[j]}'" if labels is not None else f"'{field}[{j}]'"
        raise AnalysisError(
            f"{who} is {number(weights[j])}; weights must be finite numbers >= 0",
            f"{field}[{j}]",
            code="weight_negative",
        )
    if largest == 0:
        raise AnalysisError(
            f"weights must not all be zero (all {weights.size} are 0); give at least one criterion a positive weight",
            field,
            code="weights_all_zero",
        )
    # Divide by the largest first: the sum of huge weights could overflow, the
    # sum of values in [0, 1] cannot.
    scaled = weights / largest
    return scaled / scaled.sum()


def direct(values: Sequence[float]) -> WeightResult:
    """Weights typed in directly, scaled to sum to 1."""
    return WeightResult(_read_only(validated_weight_vector(values, "values")))


def equal(n: int) -> WeightResult:
    """n equal weights of 1/n."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise AnalysisError(f"'n' must be a whole number of criteria >= 1; got {n!r}", "n", code="count_invalid")
    return WeightResult(_read_only(np.full(int(n), 1.0 / n)))


def _importance_ranks(ranks: Sequence[int]) -> np.ndarray:
    """Validate importance ranks as competition ranks (1 = most important).

    Ties share a rank and the next rank skips the tied places: [1, 2, 2, 4] is
    valid, [1, 2, 2, 3] and [1, 1, 2] are not, because after two criteria tied
    at 1 the next criterion has two criteria above it and so is 3rd.
    """
    values = _as_vector(ranks, "ranks", "one importance rank per criterion, 1 = most important")
    n = values.size
    if n == 0:
        raise AnalysisError("'ranks' is empty; give one importance rank per criterion", "ranks", code="ranks_empty")
    bad = ~np.isfinite(values) | (values != np.round(values)) | (values < 1) | (values > n)
    if bad.any():
        j = int(np.argmax(bad))
        raise AnalysisError(
            f"'ranks[{j}]' is {number(values[j])}; ranks must be whole numbers from 1 (most important) to {n}",
            f"ranks[{j}]",
            code="rank_out_of_range",
        )
    ordered = np.sort(values)
    # In a competition ranking each rank is 1 + the number of criteria ranked above it.
    expected = np.searchsorted(ordered, ordered, side="left") + 1
    wrong = ordered != expected
    if wrong.any():
        k = int(np.argmax(wrong))
        raise AnalysisError(
            f"'ranks' {[int(r) for r in values]} are not competition ranks: a criterion ranked "
            f"{int(ordered[k])} has {int(expected[k]) - 1} criteria above it, so its rank should be "
            f"{int(expected[k])} (tied criteria share a rank and the next rank skips, e.g. 1, 2, 2, 4)",
            "ranks",
            code="ranks_not_competition",
        )
    return values.astype(int)


def _weights_from_positions(ranks: np.ndarray, position_weights: np.ndarray) -> np.ndarray:
    """Give each criterion the weight of its position; a tie group at rank r of
    size t occupies positions r..r+t-1 and every member gets their mean."""
    ordered = np.sort(ranks)
    group_size = np.searchsorted(ordered, ranks, side="right") - np.searchsorted(ordered, ranks, side="left")
    cumulative = np.concatenate(([0.0], np.cumsum(position_weights)))
    start = ranks - 1
    weights = (cumulative[start + group_size] - cumulative[start]) / group_size
    return weights / weights.sum()


def roc(ranks: Sequence[int]) -> WeightResult:
    """Rank order centroid (Barron & Barrett 1996): w_i = (1/n) sum_{k=i..n} 1/k."""
    order = _importance_ranks(ranks)
    n = order.size
    position_weights = np.cumsum((1.0 / np.arange(1, n + 1))[::-1])[::-1] / n
    return WeightResult(_read_only(_weights_from_positions(order, position_weights)))


def rank_sum(ranks: Sequence[int]) -> WeightResult:
    """Rank sum (Stillwell, Seaver & Edwards 1981): w_i = (n - i + 1) / sum_k k."""
    order = _importance_ranks(ranks)
    n = order.size
    position_weights = np.arange(n, 0, -1, dtype=float) / (n * (n + 1) / 2)
    return WeightResult(_read_only(_weights_from_positions(order, position_weights)))


def swing(points: Sequence[float]) -> WeightResult:
    """Swing weights: the most important swing scores 100, the others 0..100 relative to it."""
    values = _as_vector(points, "points", "swing points from 0 to 100, the most important criterion at 100")
    if values.size == 0:
        raise AnalysisError("'points' is empty; give one swing score per criterion", "points", code="points_empty")
    bad = ~np.isfinite(values) | (values < 0) | (values > 100)
    if bad.any():
        j = int(np.argmax(bad))
        raise AnalysisError(
            f"'points[{j}]' is {number(values[j])}; swing points must lie between 0 and 100",
            f"points[{j}]",
            code="swing_points_out_of_range",
        )
    if not (values == 100).any():
        raise AnalysisError(
            "swing weighting scores the swing of the most important criterion at exactly 100 and every other "
            f"criterion from 0 to 100 relative to it; no criterion has 100 (the largest is {number(values.max())})",
            "points",
            code="swing_without_100",
        )
    return WeightResult(_read_only(values / values.sum()))


def _pairwise_matrix(pairwise: object) -> np.ndarray:
    try:
        matrix = np.asarray(pairwise, dtype=float)
    except (TypeError, ValueError):
        raise AnalysisError(
            "'pairwise' must be a square table of numbers", "pairwise", code="pairwise_not_table"
        ) from None
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        shape = "×".join(str(s) for s in matrix.shape) or "a single number"
        raise AnalysisError(
            f"'pairwise' must be a non-empty square n×n table; got {shape}", "pairwise", code="pairwise_not_square"
        )
    n = matrix.shape[0]
    if n > MAX_AHP_SIZE:
        raise AnalysisError(
            f"'pairwise' compares {n} criteria; AHP is limited to {MAX_AHP_SIZE} (Saaty's random index table "
            "ends there, and so many comparisons are rarely consistent)",
            "pairwise",
            code="pairwise_too_large",
        )
    low, high = 1 / SAATY_SCALE_MAX, SAATY_SCALE_MAX
    bad = ~np.isfinite(matrix) | (matrix < low * (1 - PAIRWISE_RTOL)) | (matrix > high * (1 + PAIRWISE_RTOL))
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise AnalysisError(
            f"'pairwise[{i}][{j}]' is {number(matrix[i, j])}; judgements use Saaty's scale from 1/9 to 9",
            f"pairwise[{i}][{j}]",
            code="pairwise_out_of_scale",
        )
    diagonal = np.diagonal(matrix)
    off = np.abs(diagonal - 1) > PAIRWISE_RTOL
    if off.any():
        i = int(np.argmax(off))
        raise AnalysisError(
            f"'pairwise[{i}][{i}]' is {number(diagonal[i])}; a criterion compared with itself must be 1",
            f"pairwise[{i}][{i}]",
            code="pairwise_diagonal_not_one",
        )
    not_reciprocal = np.abs(matrix * matrix.T - 1) > PAIRWISE_RTOL
    if not_reciprocal.any():
        i, j = (int(k) for k in np.argwhere(np.triu(not_reciprocal))[0])
        raise AnalysisError(
            f"'pairwise[{i}][{j}]' is {number(matrix[i, j])} but 'pairwise[{j}][{i}]' is "
            f"{number(matrix[j, i])}; it must be the reciprocal, {number(1 / matrix[i, j])}",
            f"pairwise[{j}][{i}]",
            code="pairwise_not_reciprocal",
        )
    return matrix


def _consistency(matrix: np.ndarray, eigenvalues: np.ndarray) -> Consistency:
    n = matrix.shape[0]
    if n <= 2:
        # Every reciprocal 1×1 or 2×2 matrix is perfectly consistent.
        return Consistency(lambda_max=float(n), ci=0.0, ri=0.0, cr=0.0)
    lambda_max = float(np.max(eigenvalues.real))
    # lambda_max >= n in exact arithmetic; clip rounding noise so CI is never negative.
    ci = max(0.0, (lambda_max - n) / (n - 1))
    ri = SAATY_RANDOM_INDEX[n - 1]
    return Consistency(lambda_max=lambda_max, ci=ci, ri=ri, cr=ci / ri)


def ahp(pairwise: Sequence[Sequence[float]], priority: str = "eigenvector") -> WeightResult:
    """AHP priorities from a reciprocal pairwise comparison matrix (Saaty 1980).

    a_ij says how much more important criterion i is than j. Consistency is a
    property of the matrix, so it is the same whichever `priority` is used.
    """
    if priority not in ("eigenvector", "geometric_mean"):
        raise AnalysisError(
            f"'priority' must be 'eigenvector' or 'geometric_mean'; got {priority!r}",
            "priority",
            code="unknown_priority",
        )
    matrix = _pairwise_matrix(pairwise)
    if priority == "eigenvector":
        eigenvalues, eigenvectors = np.linalg.eig(matrix)
        principal = int(np.argmax(eigenvalues.real))
        # Perron-Frobenius: the principal eigenvector of a positive matrix has
        # entries of one sign; abs() removes the arbitrary sign eig() returns.
        vector = np.abs(eigenvectors[:, principal].real)
    else:
        eigenvalues = np.linalg.eigvals(matrix)
        vector = np.exp(np.log(matrix).mean(axis=1))
    consistency = _consistency(matrix, eigenvalues)
    warnings: tuple[str, ...] = ()
    if consistency.cr > CONSISTENCY_THRESHOLD:
        warnings = (
            f"the pairwise judgements are inconsistent: consistency ratio CR = {consistency.cr:.3f} exceeds "
            f"{CONSISTENCY_THRESHOLD:.2f}; consider revising the comparisons",
        )
    return WeightResult(_read_only(vector / vector.sum()), consistency, warnings)


_SCHEMES: dict[str, Callable[..., WeightResult]] = {
    "direct": direct,
    "equal": equal,
    "roc": roc,
    "rank_sum": rank_sum,
    "swing": swing,
    "ahp": ahp,
}
WEIGHTING_SCHEMES = tuple(_SCHEMES)
_ARGUMENTS = {
    "direct": (("values",), ()),
    "equal": (("n",), ()),
    "roc": (("ranks",), ()),
    "rank_sum": (("ranks",), ()),
    "swing": (("points",), ()),
    "ahp": (("pairwise",), ("priority",)),
}


def compute_weights(scheme: str, **kwargs: Any) -> WeightResult:
    """Dispatch by name, e.g. compute_weights("ahp", pairwise=[[1, 3], [1/3, 1]])."""
    if not isinstance(scheme, str) or scheme not in _SCHEMES:
        raise AnalysisError(
            f"unknown weighting scheme {scheme!r}; choose one of {', '.join(WEIGHTING_SCHEMES)}",
            "scheme",
            code="unknown_scheme",
        )
    required, optional = _ARGUMENTS[scheme]
    for name in kwargs:
        if name not in required and name not in optional:
            allowed = ", ".join(required + optional)
            raise AnalysisError(
                f"scheme '{scheme}' takes no argument '{name}'; it takes {allowed}", name, code="unknown_argument"
            )
    for name in required:
        if name not in kwargs:
            raise AnalysisError(f"scheme '{scheme}' needs '{name}'", name, code="argument_missing")
    return _SCHEMES[scheme](**kwargs)
