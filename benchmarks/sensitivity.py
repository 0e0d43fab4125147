"""Sensitivity on a 12 × 10 matrix: SMAA-2 against a pymcdm loop and a batched-numpy floor; WSM weight intervals.

Run:  PYTHONPATH=src .venv/bin/python benchmarks/sensitivity.py [--samples 10000 --repeats 5]

1. SMAA-2, TOPSIS (vector normalisation), 10,000 weight samples:
   - ours: `smaa(problem, "topsis", samples=10_000, seed=…)` — sampling, ranking,
     acceptabilities, central weights and confidence factors;
   - pymcdm: its TOPSIS called once per sampled weight vector (the same vectors), ranks
     tallied per sample — what a loop over a single-vector library costs; one run;
   - floor: the same samples drawn and ranked as plainly as numpy allows (one batched
     TOPSIS, an argsort for the ranks, a bincount for the acceptabilities; no ties shared,
     no central weights, no checks); and the same floor with the distances as matrix
     products, the shortcut our TOPSIS takes, so the comparison is with our own arithmetic too.
   Targets: pymcdm loop / ours ≥ 100×; ours / floor ≤ 2×.
2. Every weight interval of a 12 × 10 WSM, as a multiple of one `rank(problem, "wsm")`. Target ≤ 20×.
"""

from __future__ import annotations

import os

# One BLAS thread for every contender, set before numpy loads: the pymcdm loop runs on one core
# anyway, and on a small shared machine OpenBLAS threads fighting over two CPUs make the batched
# matrix products several times slower and the figures noise. Override by exporting the variable.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from optionsmatrix.analysis import Problem, rank  # noqa: E402
from optionsmatrix.analysis.sensitivity import WeightSampler, smaa, weight_sensitivity  # noqa: E402


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    function()  # warm caches and lazy imports outside the timing
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def numpy_floor(scores: np.ndarray, is_benefit: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """Batched TOPSIS over sampled weights and first-to-last acceptability counts, with nothing extra."""
    m, n = scores.shape
    e = np.random.default_rng(seed).standard_exponential((samples, n))
    weights = e / e.sum(axis=1, keepdims=True)
    weighted = (scores / np.sqrt((scores**2).sum(axis=0)))[None, :, :] * weights[:, None, :]
    high, low = weighted.max(axis=1), weighted.min(axis=1)
    ideal, anti = np.where(is_benefit, high, low), np.where(is_benefit, low, high)
    to_ideal = np.sqrt(((weighted - ideal[:, None, :]) ** 2).sum(axis=2))
    to_anti = np.sqrt(((weighted - anti[:, None, :]) ** 2).sum(axis=2))
    closeness = to_anti / (to_ideal + to_anti)
    position = np.argsort(-closeness, axis=1)  # position[s, r] = option at rank r + 1
    return np.bincount((position * m + np.arange(m)).ravel(), minlength=m * m).reshape(m, m) / samples


def numpy_floor_products(scores: np.ndarray, is_benefit: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """The same, with the distances as matrix products: d² = (w²) · (r − r*)² since w ≥ 0 — the trick ours uses."""
    m, n = scores.shape
    e = np.random.default_rng(seed).standard_exponential((samples, n))
    weights = e / e.sum(axis=1, keepdims=True)
    r = scores / np.sqrt((scores**2).sum(axis=0))
    best = np.where(is_benefit, r.max(axis=0), r.min(axis=0))
    worst = np.where(is_benefit, r.min(axis=0), r.max(axis=0))
    squared = weights**2
    to_ideal = np.sqrt(squared @ ((r - best) ** 2).T)
    to_anti = np.sqrt(squared @ ((r - worst) ** 2).T)
    closeness = to_anti / (to_ideal + to_anti)
    position = np.argsort(-closeness, axis=1)
    return np.bincount((position * m + np.arange(m)).ravel(), minlength=m * m).reshape(m, m) / samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    m, n, seed = 12, 10, 20240601

    rng = np.random.default_rng(seed)
    scores = rng.uniform(1.0, 100.0, size=(m, n))
    is_benefit = rng.random(n) < 0.6
    problem = Problem.build(
        [f"option {i}" for i in range(m)],
        [f"criterion {j}" for j in range(n)],
        scores,
        ["benefit" if b else "cost" for b in is_benefit],
        rng.uniform(0.1, 1.0, size=n),
    )

    ours = smaa(problem, "topsis", samples=args.samples, seed=seed)
    ours_time = median_seconds(lambda: smaa(problem, "topsis", samples=args.samples, seed=seed), args.repeats)
    floor_time = median_seconds(lambda: numpy_floor(scores, is_benefit, args.samples, seed), args.repeats)
    floor = numpy_floor(scores, is_benefit, args.samples, seed)
    products_time = median_seconds(lambda: numpy_floor_products(scores, is_benefit, args.samples, seed), args.repeats)
    np.testing.assert_allclose(numpy_floor_products(scores, is_benefit, args.samples, seed), floor, atol=1e-12)
    # Different streams, same distribution: the answers agree within sampling error.
    np.testing.assert_allclose(ours.acceptability, floor, atol=0.03)

    print(f"SMAA-2, TOPSIS, {m} options × {n} criteria, {args.samples:,} weight samples")
    print(f"  ours: smaa(...)                         {ours_time * 1e3:9.2f} ms   (median of {args.repeats})")
    print(f"  numpy floor (batched TOPSIS + counts)   {floor_time * 1e3:9.2f} ms   (median of {args.repeats})")
    print(f"  numpy floor, distances as products      {products_time * 1e3:9.2f} ms   (median of {args.repeats})")
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS
    except ImportError:
        loop_time = None
        print("  pymcdm not installed; loop skipped")
    else:
        weights = WeightSampler(n, seed).take(0, args.samples)  # the samples ours ranked
        topsis = TOPSIS(normalizations.vector_normalization)
        types = np.where(is_benefit, 1, -1)
        start = time.perf_counter()
        tally = np.zeros((m, m))
        for w in weights:
            order = np.argsort(-topsis(scores, w, types), kind="stable")
            tally[order, np.arange(m)] += 1
        loop_time = time.perf_counter() - start
        np.testing.assert_allclose(tally / args.samples, ours.acceptability, atol=1e-12)
        print(f"  pymcdm TOPSIS in a Python loop          {loop_time * 1e3:9.2f} ms   (one run; same answer)")
    print(f"  ours / floor      = {ours_time / floor_time:7.2f}×   (target ≤ 2×)")
    print(f"  ours / products floor = {ours_time / products_time:5.2f}×")
    if loop_time is not None:
        print(f"  pymcdm loop / ours = {loop_time / ours_time:7.1f}×   (target ≥ 100×)")

    wsm_problem = Problem.build(
        problem.options, problem.criteria, scores, problem.directions, problem.weights, scales=[(1.0, 100.0)] * n
    )
    one = median_seconds(lambda: rank(wsm_problem, "wsm"), args.repeats * 200)
    intervals = median_seconds(lambda: weight_sensitivity(wsm_problem, "wsm"), args.repeats * 20)
    bracketed = median_seconds(lambda: weight_sensitivity(wsm_problem, "topsis"), args.repeats)
    print(f"\nWeight intervals, {m} options × {n} criteria")
    print(f"  rank(problem, 'wsm'), once              {one * 1e3:9.3f} ms")
    print(f"  weight_sensitivity(problem, 'wsm')      {intervals * 1e3:9.3f} ms   (exact)")
    print(f"  weight_sensitivity(problem, 'topsis')   {bracketed * 1e3:9.3f} ms   (grid + bisection, for reference)")
    print(f"  wsm intervals / one ranking = {intervals / one:5.1f}×   (target ≤ 20×)")


if __name__ == "__main__":
    main()
