"""TOPSIS on a 1,000 × 50 matrix: ours against pymcdm and a bare-numpy floor.

Run:  PYTHONPATH=src .venv/bin/python benchmarks/analysis.py [--options 1000 --criteria 50 --repeats 200]

`rank(problem, "topsis")` is timed on a Problem built once, because input is
validated once in `Problem.build`; the build is timed separately. The floor is
the same formula written as plainly as numpy allows, with no checks, no
ranking and no result object: what the arithmetic alone costs. Targets: ours
at least 5× faster than pymcdm, and within 2× of the floor.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from optionsmatrix.analysis import Problem, rank


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    function()  # warm caches and lazy imports outside the timing
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def numpy_floor(scores: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray) -> np.ndarray:
    weighted = scores / np.sqrt((scores**2).sum(axis=0)) * weights
    ideal = np.where(is_benefit, weighted.max(axis=0), weighted.min(axis=0))
    anti_ideal = np.where(is_benefit, weighted.min(axis=0), weighted.max(axis=0))
    to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
    to_anti = np.sqrt(((weighted - anti_ideal) ** 2).sum(axis=1))
    return to_anti / (to_ideal + to_anti)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", type=int, default=1000)
    parser.add_argument("--criteria", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    m, n = args.options, args.criteria

    rng = np.random.default_rng(20240601)
    scores = rng.uniform(1.0, 100.0, size=(m, n))
    weights = rng.uniform(0.1, 1.0, size=n)
    weights /= weights.sum()
    is_benefit = rng.random(n) < 0.6
    directions = ["benefit" if b else "cost" for b in is_benefit]
    options = [f"option {i}" for i in range(m)]
    criteria = [f"criterion {j}" for j in range(n)]

    def build() -> Problem:
        return Problem.build(options, criteria, scores, directions, weights)

    problem = build()
    ours = rank(problem, "topsis").scores
    floor = numpy_floor(scores, weights, is_benefit)
    np.testing.assert_allclose(ours, floor, rtol=1e-12)

    rows: list[tuple[str, float]] = [
        ("Problem.build (validation, once)", median_seconds(build, args.repeats)),
        ('rank(problem, "topsis")', median_seconds(lambda: rank(problem, "topsis"), args.repeats)),
        ("numpy floor (same formula)", median_seconds(lambda: numpy_floor(scores, weights, is_benefit), args.repeats)),
    ]
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS
    except ImportError:
        pymcdm_time = None
    else:
        types = np.where(is_benefit, 1, -1)
        topsis = TOPSIS(normalizations.vector_normalization)
        np.testing.assert_allclose(topsis(scores, weights, types), ours, rtol=1e-9)
        pymcdm_time = median_seconds(lambda: topsis(scores, weights, types), args.repeats)
        rows.append(("pymcdm TOPSIS (vector normalisation)", pymcdm_time))

    ours_time, floor_time = rows[1][1], rows[2][1]
    print(f"TOPSIS, {m} options × {n} criteria, median of {args.repeats} runs")
    for label, seconds in rows:
        print(f"  {label:<40} {seconds * 1e3:9.3f} ms")
    print(f"  ours / floor     = {ours_time / floor_time:5.2f}×   (target ≤ 2×)")
    if pymcdm_time is not None:
        print(f"  pymcdm / ours    = {pymcdm_time / ours_time:5.2f}×   (target ≥ 5×)")
    else:
        print("  pymcdm not installed; skipped")


if __name__ == "__main__":
    main()
