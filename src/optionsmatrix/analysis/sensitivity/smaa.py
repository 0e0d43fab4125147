"""SMAA-2 (Lahdelma & Salminen 2001): what the rankings look like over all plausible weights.

Weights are sampled (sampling.py) — or given, one row per sample, e.g. from
participants' ballots — and, optionally, score tables with them, one per
sample (k × m × n, e.g. drawn from ballots). Each sample is ranked by the
chosen method, in chunks of at most CHUNK_ELEMENTS numbers so memory stays
bounded whatever the number of samples. Reported:

- rank-acceptability b[i, r]: the share of samples in which option i holds
  rank r + 1. Options tied in a sample share the ranks they span equally
  (two tied for 2nd each get ½ of rank 2 and ½ of rank 3), so every row and
  every column sums to 1;
- central weight vector of i: the mean of the sampled weights over the
  samples where i ranks first (each sample counted by i's share of rank 1);
  NaN when i never ranks first;
- confidence factor of i: the share of the score samples in which i ranks
  first (ties shared) when the weights are fixed at i's central weight
  vector. Without score samples the scores are exact, and this is 1, the
  tie share 1/t, or 0 (i is not first at its own central weights).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import AnalysisError, number
from ..methods import method_spec, rank_batch
from ..problem import Problem
from ..weights import _importance_ranks
from .results import SmaaResult
from .sampling import BLOCK, WeightSampler, validated_bounds

DEFAULT_SAMPLES = 10_000
CHUNK_ELEMENTS = 2_000_000  # numbers per option × criterion table chunk (16 MB of float64)
MAX_SEED = 2**53  # seeds stay exact in JSON and JavaScript


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED)


def chunk_samples(m: int, n: int, per_sample_pairs: bool = False) -> int:
    """Samples per chunk, a whole number of blocks: options × criteria (× options for pairwise
    methods with a score table per sample) numbers each."""
    per_sample = m * n * (m if per_sample_pairs else 1)
    return max(1, CHUNK_ELEMENTS // (per_sample * BLOCK)) * BLOCK


def validated_order(order: object, criteria: Sequence[str], field: str = "criteria_order") -> np.ndarray:
    """Importance order as competition ranks (1 = most important, ties share a rank), one per criterion."""
    try:
        ranks = _importance_ranks(order)  # type: ignore[arg-type]
    except AnalysisError as error:
        inner = (error.field or "ranks").replace("ranks", field, 1)
        raise AnalysisError(error.message.replace("'ranks", f"'{field}"), inner, code=error.code) from None
    if ranks.size != len(criteria):
        raise AnalysisError(
            f"'{field}' has {ranks.size} ranks; the problem has {len(criteria)} criteria",
            field,
            code="order_wrong_length",
        )
    return ranks


def rank_shares(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From competition ranks (k × m): per option, the summed share of each rank (m × m), and each
    sample's share of rank 1 per option (k × m). A group of t tied options at rank r spans ranks
    r … r + t − 1, and each of them takes 1/t of each."""
    k, m = ranks.shape
    at = ranks - 1
    group = at + (m + 1) * np.arange(k)[:, None]
    tied = np.bincount(group.ravel(), minlength=k * (m + 1))[group]  # group size of each entry
    share = 1.0 / tied
    option = (m + 1) * np.arange(m)[None, :]
    starts = np.bincount((option + at).ravel(), share.ravel(), minlength=m * (m + 1))
    ends = np.bincount((option + at + tied).ravel(), share.ravel(), minlength=m * (m + 1))
    per_rank = np.cumsum((starts - ends).reshape(m, m + 1), axis=1)[:, :m]
    return per_rank, np.where(ranks == 1, share, 0.0)


def smaa(
    problem: Problem,
    method: str,
    normalization: str | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    weight_bounds: object = None,
    criteria_order: object = None,
    weight_samples: np.ndarray | None = None,
    score_samples: np.ndarray | None = None,
    chunk_size: int | None = None,
    max_sampling_work: int | None = None,
) -> SmaaResult:
    """SMAA-2 of `problem` under `method` (see the module docstring).

    Weights are drawn (`samples` of them, from `seed`; a fresh seed is chosen
    and reported when None), within `weight_bounds` ([lo, hi] per criterion)
    and consistent with `criteria_order` when given — or taken from
    `weight_samples` (k × n, rows scaled to sum to 1). `score_samples`
    (k × m × n) gives sample s its own score table; k then sets the number of
    samples. `chunk_size` (samples per chunk, rounded up to whole blocks)
    changes memory use, never the answer. `max_sampling_work` caps `WeightSampler.cost`: drawing
    weights under bounds can cost far more than ranking them (hit-and-run), which the caller's
    samples × options × criteria cap does not see.
    """
    spec = method_spec(method)
    m, n = problem.scores.shape
    order = validated_order(criteria_order, problem.criteria) if criteria_order is not None else None
    bounds = validated_bounds(weight_bounds, problem.criteria, order) if weight_bounds is not None else None
    if score_samples is not None:
        score_samples = np.asarray(score_samples, dtype=float)
        if score_samples.ndim != 3 or score_samples.shape[1:] != (m, n):
            raise ValueError(f"score_samples must be k × {m} × {n}; got shape {score_samples.shape}")
        samples = score_samples.shape[0]
    if weight_samples is not None:
        weight_samples = np.asarray(weight_samples, dtype=float)
        expected = samples if score_samples is not None else weight_samples.shape[0]
        if weight_samples.ndim != 2 or weight_samples.shape != (expected, n):
            raise ValueError(f"weight_samples must be k × {n}, k matching score_samples; got {weight_samples.shape}")
        weight_samples = weight_samples / weight_samples.sum(axis=1, keepdims=True)
        samples = weight_samples.shape[0]
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise AnalysisError(f"'samples' must be a whole number ≥ 1; got {samples!r}", "samples", code="samples_invalid")
    if seed is None:
        seed = new_seed()
    elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < MAX_SEED:
        shown = number(seed) if isinstance(seed, (int, float)) else repr(seed)
        raise AnalysisError(
            f"'seed' must be a whole number from 0 to {MAX_SEED - 1}; got {shown}",
            "seed",
            code="seed_invalid",
        )
    sampler = None if weight_samples is not None else WeightSampler(n, int(seed), bounds, order)
    if sampler is not None and max_sampling_work is not None and sampler.cost(samples) > max_sampling_work:
        low, high = 0, samples  # cost grows with samples: the most that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if sampler.cost(middle) <= max_sampling_work else (low, middle - 1)
        most = low
        raise AnalysisError(
            f"drawing {samples:,} weight vectors within these bounds"
            + (" and this order" if order is not None else "")
            + f" is too much work for one request; at most {most:,} samples" + ("" if most else ": loosen the bounds"),
            "samples",
            code="samples_too_many",
        )
    pairwise = spec.name == "promethee2" and score_samples is not None
    step = chunk_samples(m, n, pairwise) if chunk_size is None else -(-max(1, chunk_size) // BLOCK) * BLOCK

    per_rank = np.zeros((m, m))
    first_share = np.zeros(m)
    weight_sum = np.zeros((m, n))
    chosen = normalization
    for start in range(0, samples, step):
        stop = min(start + step, samples)
        weights = weight_samples[start:stop] if sampler is None else sampler.take(start, stop)
        tables = None if score_samples is None else score_samples[start:stop]
        batch = rank_batch(problem, method, weights, normalization, params, scores=tables)
        chosen = batch.normalization
        counted, first = rank_shares(batch.ranks)
        per_rank += counted
        first_share += first.sum(axis=0)
        weight_sum += first.T @ weights

    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first_share[:, None] > 0, weight_sum / first_share[:, None], np.nan)
    confidence = _confidence(problem, method, chosen, params, central, score_samples, step)
    return SmaaResult(
        method=method,
        normalization=chosen,
        options=problem.options,
        criteria=problem.criteria,
        samples=int(samples),
        seed=None if sampler is None else int(seed),
        acceptability=per_rank / samples,
        central_weights=central,
        confidence=confidence,
    )


def _confidence(
    problem: Problem,
    method: str,
    normalization: str | None,
    params: Mapping[str, Any] | None,
    central: np.ndarray,
    score_samples: np.ndarray | None,
    step: int,
) -> np.ndarray:
    m = problem.scores.shape[0]
    confidence = np.full(m, np.nan)
    ever_first = np.flatnonzero(~np.isnan(central).any(axis=1))
    if ever_first.size == 0:
        return confidence
    if score_samples is None:
        ranks = rank_batch(problem, method, central[ever_first], normalization, params).ranks
        _, first = rank_shares(ranks)
        confidence[ever_first] = first[np.arange(ever_first.size), ever_first]
        return confidence
    total = score_samples.shape[0]
    for i in ever_first:
        won = 0.0
        for start in range(0, total, step):
            tables = score_samples[start : start + step]
            weights = np.broadcast_to(central[i], (tables.shape[0], central.shape[1]))
            ranks = rank_batch(problem, method, weights, normalization, params, scores=tables).ranks
            won += rank_shares(ranks)[1][:, i].sum()
        confidence[i] = won / total
    return confidence
