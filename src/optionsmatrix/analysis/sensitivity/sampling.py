"""Weight vectors for SMAA: uniform on the simplex, or on the part of it that bounds and an order allow.

Samples come in blocks of BLOCK, block b drawn from its own stream
(SeedSequence(seed, spawn_key=(b,))), so sample s is the same number whatever
chunk it is computed in: a seed gives the same answer however the work is cut.

- No constraint: w = e / Σe with e standard exponential, i.e. Dirichlet(1, …, 1),
  uniform on the simplex.
- An importance order (competition ranks, ties allowed): a uniform simplex
  sample sorted from largest to smallest, the largest values given to the
  criteria ranked 1 (in random order among tied criteria), and so on. By
  symmetry this is uniform on {w : w_a ≥ w_b whenever a ranks above b};
  tied criteria are not ordered among themselves.
- Bounds lo ≤ w ≤ hi (with or without an order): rejection from the above
  when a pilot of PILOT draws accepts at least MIN_ACCEPTANCE of them —
  exactly uniform, and bounded time since the expected number of draws is at
  most 1/MIN_ACCEPTANCE per sample. Otherwise hit-and-run (Smith 1984): per
  block, CHAINS chains from a feasible centre point, a burn-in of
  hit_and_run_steps(n), then one state recorded every n steps —
  approximately uniform, in time linear in the samples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import AnalysisError, number

BLOCK = 500
CHAINS = 50  # hit-and-run chains per block, each recording BLOCK / CHAINS states
PILOT = 4000
MIN_ACCEPTANCE = 0.02
MAX_REJECTION_ROUNDS = 100
BOUND_SLACK = 1e-12


def hit_and_run_steps(n: int) -> int:
    return 50 + 10 * n


# What `WeightSampler.cost` counts, in units of roughly 10 ns of numpy on one core: a hit-and-run step
# costs as much as HIT_AND_RUN_STEP_OVERHEAD numbers per chain before it touches any (numpy's per-call
# overhead), and each number (a criterion or an order pair) about twice a drawn number.
HIT_AND_RUN_STEP_OVERHEAD = 170


class WeightSampler:
    """Draws sample weight vectors (rows summing to 1) for criteria under optional bounds and order."""

    def __init__(
        self,
        n: int,
        seed: int,
        bounds: np.ndarray | None = None,
        order: np.ndarray | None = None,
    ) -> None:
        self.n = n
        self.seed = seed
        self.order = order
        self.bounds = bounds
        self.method = "exact"
        if bounds is not None:
            self.low, self.high = _tightened(bounds, order)
            pilot = self._unbounded(self._stream("pilot"), PILOT)
            self.acceptance = float(self._inside(pilot).mean())
            if self.acceptance < MIN_ACCEPTANCE:
                self.method = "hit_and_run"

    def cost(self, samples: int) -> int:
        """The work of drawing `samples` weight vectors, in numbers drawn (see HIT_AND_RUN_STEP_OVERHEAD).

        Unbounded draws cost samples × n (more with an order); rejection divides that by the acceptance; hit-and-run
        restarts its chains in every block of BLOCK samples, so it costs per block, not per sample.
        """
        if self.method == "exact":
            per_number = 1 if self.order is None else 3  # an order sorts every draw, and shuffles its ties
            if self.bounds is None:
                return samples * self.n * per_number
            return int(samples * self.n * per_number * 1.25 / max(self.acceptance, MIN_ACCEPTANCE))
        blocks = -(-samples // BLOCK)
        steps = hit_and_run_steps(self.n) + (BLOCK // CHAINS) * self.n
        pairs = self._order_pairs()[0].size
        return blocks * steps * CHAINS * 2 * (self.n + pairs + HIT_AND_RUN_STEP_OVERHEAD)

    def _stream(self, key: int | str) -> np.random.Generator:
        spawn_key = (0, key) if isinstance(key, int) else (1,)
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=spawn_key))

    def take(self, start: int, stop: int) -> np.ndarray:
        """Samples start … stop − 1, (stop − start) × n."""
        first, last = start // BLOCK, (stop - 1) // BLOCK
        blocks = np.concatenate([self.block(b) for b in range(first, last + 1)])
        return blocks[start - first * BLOCK : stop - first * BLOCK]

    def block(self, index: int) -> np.ndarray:
        rng = self._stream(index)
        if self.bounds is None:
            return self._unbounded(rng, BLOCK)
        if self.method == "hit_and_run":
            return self._hit_and_run(rng, BLOCK)
        kept: list[np.ndarray] = []
        have = 0
        draws = int(np.ceil(1.25 * BLOCK / max(self.acceptance, MIN_ACCEPTANCE))) + 16
        for _ in range(MAX_REJECTION_ROUNDS):  # about 1.25 rounds expected; the cap only bounds bad luck
            proposals = self._unbounded(rng, draws)
            accepted = proposals[self._inside(proposals)]
            kept.append(accepted)
            have += accepted.shape[0]
            if have >= BLOCK:
                return np.concatenate(kept)[:BLOCK]
        return np.concatenate([*kept, self._hit_and_run(rng, BLOCK - have)])

    def _inside(self, weights: np.ndarray) -> np.ndarray:
        return ((weights >= self.low - BOUND_SLACK) & (weights <= self.high + BOUND_SLACK)).all(axis=1)

    def _unbounded(self, rng: np.random.Generator, count: int) -> np.ndarray:
        e = rng.standard_exponential((count, self.n))
        weights = e / e.sum(axis=1, keepdims=True)
        if self.order is None:
            return weights
        largest_first = -np.sort(-weights, axis=1)
        # Slots in order of importance; tied criteria take their slots in random order.
        slots = np.argsort(self.order[None, :] + rng.random((count, self.n)), axis=1)
        ordered = np.empty_like(weights)
        np.put_along_axis(ordered, slots, largest_first, axis=1)
        return ordered

    def _order_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(above, below) index pairs between adjacent importance groups; the rest follow by transitivity."""
        if self.order is None:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        levels = np.unique(self.order)
        above: list[np.ndarray] = []
        below: list[np.ndarray] = []
        for upper, lower in zip(levels[:-1], levels[1:], strict=True):
            a, b = np.meshgrid(np.flatnonzero(self.order == upper), np.flatnonzero(self.order == lower))
            above.append(a.ravel())
            below.append(b.ravel())
        if not above:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        return np.concatenate(above), np.concatenate(below)

    def _hit_and_run(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """CHAINS chains from the feasible centre; after a burn-in of HIT_AND_RUN_STEPS(n), each records its
        state every n steps. Each step moves to a uniform point of the region on a random line (a direction
        on the plane Σw = 1) through the current point."""
        above, below = self._order_pairs()
        span = self.high - self.low
        share = (1.0 - self.low.sum()) / span.sum() if span.sum() > 0 else 0.0
        chains = min(CHAINS, count)
        records = -(-count // chains)
        weights = np.tile(self.low + share * span, (chains, 1))  # feasible (see _tightened)
        kept: list[np.ndarray] = []
        for step in range(hit_and_run_steps(self.n) + records * self.n):
            direction = rng.standard_normal((chains, self.n))
            direction -= direction.mean(axis=1, keepdims=True)  # stay on Σw = 1
            with np.errstate(divide="ignore", invalid="ignore"):
                # Box: w + t d within [low, high] on each criterion.
                to_high = np.maximum(self.high - weights, 0.0) / direction
                to_low = np.minimum(self.low - weights, 0.0) / direction
                forward = np.where(direction > 0, to_high, np.where(direction < 0, to_low, np.inf)).min(axis=1)
                backward = np.where(direction > 0, to_low, np.where(direction < 0, to_high, -np.inf)).max(axis=1)
                if above.size:
                    # Order: w_above − w_below ≥ 0 along the line.
                    gap = np.maximum(weights[:, above] - weights[:, below], 0.0)
                    closing = direction[:, above] - direction[:, below]
                    limit = -gap / closing
                    forward = np.minimum(forward, np.where(closing < 0, limit, np.inf).min(axis=1))
                    backward = np.maximum(backward, np.where(closing > 0, limit, -np.inf).max(axis=1))
            forward, backward = np.clip(forward, 0.0, 1.0), np.clip(backward, -1.0, 0.0)
            weights = weights + (backward + rng.random(chains) * (forward - backward))[:, None] * direction
            burnt = step - hit_and_run_steps(self.n) + 1
            if burnt > 0 and burnt % self.n == 0:
                kept.append(weights)
        weights = np.clip(np.concatenate(kept)[:count], self.low, self.high)
        return weights / weights.sum(axis=1, keepdims=True)


def _tightened(bounds: np.ndarray, order: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Bounds implied by the order as well: a criterion ranked above b weighs at least b's lower bound,
    one ranked below a at most a's upper bound. With them, a feasible weight vector exists exactly when
    low ≤ high, Σlow ≤ 1 ≤ Σhigh, and low + share × (high − low) is one."""
    low, high = bounds[:, 0].copy(), bounds[:, 1].copy()
    if order is not None:
        above = order[:, None] < order[None, :]  # above[a, b]: a ranks above b
        low = np.maximum(low, np.where(above, low[None, :], 0.0).max(axis=1))
        high = np.minimum(high, np.where(above, high[:, None], 1.0).min(axis=0))
    return low, high


def validated_bounds(
    bounds: object, criteria: Sequence[str], order: np.ndarray | None = None, field: str = "weight_bounds"
) -> np.ndarray:
    """Check per-criterion [lo, hi] bounds on normalised weights; (n, 2)."""
    n = len(criteria)
    try:
        array = np.array(bounds, dtype=float)
    except (TypeError, ValueError):
        array = np.empty(0)
    if array.shape != (n, 2):
        raise AnalysisError(
            f"'{field}' must give [lower, upper] for each of the {n} criteria", field, code="bounds_wrong_shape"
        )
    for j, (low, high) in enumerate(array):
        if not (np.isfinite(low) and np.isfinite(high) and 0.0 <= low <= high <= 1.0):
            raise AnalysisError(
                f"criterion '{criteria[j]}' has weight bounds [{number(low)}, {number(high)}]; "
                "they must satisfy 0 ≤ lower ≤ upper ≤ 1",
                f"{field}[{j}]",
                code="bounds_invalid",
            )
    if array[:, 0].sum() > 1.0 + BOUND_SLACK:
        raise AnalysisError(
            f"the lower weight bounds add up to {number(array[:, 0].sum())}; weights sum to 1, so they "
            "must add up to at most 1",
            field,
            code="bounds_lower_above_one",
        )
    if array[:, 1].sum() < 1.0 - BOUND_SLACK:
        raise AnalysisError(
            f"the upper weight bounds add up to {number(array[:, 1].sum())}; weights sum to 1, so they "
            "must add up to at least 1",
            field,
            code="bounds_upper_below_one",
        )
    if order is not None:
        low, high = _tightened(array, order)
        if (low > high + BOUND_SLACK).any() or low.sum() > 1.0 + BOUND_SLACK or high.sum() < 1.0 - BOUND_SLACK:
            raise AnalysisError(
                "no weights satisfy both the weight bounds and the criteria order: a criterion ranked more "
                "important must be able to weigh at least as much as one ranked below it",
                field,
                code="bounds_conflict_with_order",
            )
    return array
