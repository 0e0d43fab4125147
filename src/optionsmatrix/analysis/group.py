"""A group's judgements as arrays: ballots stacked, aggregated, compared.

A session's ballots are one array of shape participants × options × criteria
(NaN where a ballot left a cell empty) and, when participants set weights,
one of participants × criteria. Everything here is a vectorised operation on
those arrays — no loop over participants or cells — so a room of 500 costs
about what a room of 5 does.

Conventions (docs/methods.md §8):
- a cell is aggregated over the ballots that scored it; a cell nobody scored
  is NaN;
- weights: each ballot's weights scaled to sum 1, aggregated per criterion,
  then scaled to sum 1 again;
- spread: the sample standard deviation (ddof 1) and the interquartile range
  (numpy's default linear percentiles), NaN below two scores;
- Kendall's W over complete ballots' rankings, with tied options given their
  average rank and the usual tie correction Σ(t³ − t).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import AnalysisError

AGGREGATIONS = ("mean", "median", "geometric")


@dataclass(frozen=True, eq=False)
class Spread:
    """Per cell (m × n): how many scored it, and how far apart they were."""

    counts: np.ndarray  # int
    sd: np.ndarray  # NaN below 2 scores
    iqr: np.ndarray  # NaN below 2 scores


def _check_aggregation(how: str) -> None:
    if how not in AGGREGATIONS:
        raise AnalysisError(
            f"unknown aggregation {how!r}; choose one of {', '.join(AGGREGATIONS)}",
            "aggregation",
            code="unknown_aggregation",
        )


def aggregate(values: np.ndarray, how: str = "mean") -> np.ndarray:
    """Aggregate over the first axis, ignoring NaN; NaN where every value is NaN.

    `geometric` needs values > 0 (a scale that starts above 0).
    """
    _check_aggregation(how)
    if values.shape[0] == 0:  # no ballots yet: nothing scored anywhere
        return np.full(values.shape[1:], np.nan)
    present = ~np.isnan(values)
    counts = present.sum(axis=0)
    empty = counts == 0
    if how == "geometric":
        if (values[present] <= 0).any():
            raise AnalysisError(
                "the geometric mean multiplies scores, so every score must be above 0; choose a scale that starts "
                "above 0, or the mean or median",
                "aggregation",
                code="geometric_needs_positive",
            )
        logs = np.log(np.where(present, values, 1.0))
        result = np.exp(logs.sum(axis=0) / np.where(empty, 1, counts))
    elif how == "mean":
        result = np.where(present, values, 0.0).sum(axis=0) / np.where(empty, 1, counts)
    else:
        # nanmedian warns on an all-NaN slice; give such cells a placeholder first.
        result = np.nanmedian(np.where(empty, 0.0, values), axis=0)
    return np.where(empty, np.nan, result)


def aggregate_weights(weights: np.ndarray, how: str = "mean") -> np.ndarray | None:
    """Group weights (n,) from ballots' weights (p × n, NaN where missing), summing to 1.

    Ballots whose weights are incomplete or all zero are left out. None when
    no ballot remains or the aggregate is zero everywhere.
    """
    _check_aggregation(how)
    totals = np.nansum(weights, axis=1)
    usable = ~np.isnan(weights).any(axis=1) & (totals > 0)
    if not usable.any():
        return None
    shares = weights[usable] / totals[usable, None]
    if how == "geometric":
        # A zero share makes the geometric mean zero; that is its meaning here.
        with np.errstate(divide="ignore"):
            combined = np.exp(np.log(shares).mean(axis=0))
    elif how == "mean":
        combined = shares.mean(axis=0)
    else:
        combined = np.median(shares, axis=0)
    total = combined.sum()
    return combined / total if total > 0 else None


def spread(values: np.ndarray) -> Spread:
    """Per cell over the first axis: count, sample sd (ddof 1) and IQR, NaN below 2 values."""
    if values.shape[0] == 0:
        empty = np.full(values.shape[1:], np.nan)
        return Spread(counts=np.zeros(values.shape[1:], dtype=np.int64), sd=empty, iqr=empty.copy())
    present = ~np.isnan(values)
    counts = present.sum(axis=0)
    enough = counts >= 2
    filled = np.where(present, values, 0.0)
    mean = filled.sum(axis=0) / np.maximum(counts, 1)
    squares = (np.where(present, values - mean, 0.0) ** 2).sum(axis=0)
    sd = np.sqrt(squares / np.maximum(counts - 1, 1))
    # nanpercentile warns on an all-NaN slice, as nanmedian does.
    safe = np.where(counts == 0, 0.0, values)
    q1, q3 = np.nanpercentile(safe, [25, 75], axis=0)
    return Spread(counts=counts, sd=np.where(enough, sd, np.nan), iqr=np.where(enough, q3 - q1, np.nan))


def complete_ballots(scores: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Which ballots (p,) score every cell and, when `weights` is given, weight every criterion, not all zero."""
    complete = ~np.isnan(scores).any(axis=(1, 2))
    if weights is not None:
        complete &= ~np.isnan(weights).any(axis=1) & (np.nansum(weights, axis=1) > 0)
    return complete


def rank_distribution(ranks: np.ndarray) -> np.ndarray:
    """counts[i, r] = how many rankings (rows of `ranks`, q × m) put option i at rank r + 1."""
    m = ranks.shape[1]
    return (ranks[:, :, None] == np.arange(1, m + 1)).sum(axis=0)


def average_ranks(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks (q × m) as average ranks, and the size of each option's tie group.

    Options tied at competition rank r with t in the group share the average
    of ranks r … r + t − 1, that is r + (t − 1)/2.
    """
    group_size = (ranks[:, :, None] == ranks[:, None, :]).sum(axis=2)
    return ranks + (group_size - 1) / 2, group_size


def kendall_w(ranks: np.ndarray) -> float | None:
    """Kendall's coefficient of concordance of q rankings (rows) of m options, from competition ranks.

    W = 12 S / (q² (m³ − m) − q Σ_j Σ_groups (t³ − t)), S the sum of squared
    deviations of the options' rank sums from their mean. None below two
    rankings, or when W is undefined (one option, or every ranking all tied).
    """
    q, m = ranks.shape
    if q < 2 or m < 2:
        return None
    averaged, group_size = average_ranks(ranks)
    rank_sums = averaged.sum(axis=0)
    s = ((rank_sums - rank_sums.mean()) ** 2).sum()
    # Each group of t tied options contributes t³ − t = Σ over its t options of (t² − 1).
    ties = (group_size**2 - 1).sum()
    denominator = q**2 * (m**3 - m) - q * ties
    if denominator <= 0:
        return None
    return float(12 * s / denominator)
