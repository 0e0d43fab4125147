"""Rankings of a session's snapshot: a participant's own, or the group's, as the API reports them.

The snapshot becomes the analysis core's Problem here, in one place; a
ranking comes back keyed by the snapshot's option ids, best first, ties in
snapshot order, with competition ranks as in /api/v1/analyze.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optionsmatrix.analysis import Problem, Ranking, rank
from optionsmatrix.services.labels import display_name
from optionsmatrix.services.seminars import SessionSnapshot


@dataclass(frozen=True)
class SnapshotRanking:
    method: str
    normalization: str | None
    higher_is_better: bool
    order: list[int]
    ranks: dict[str, int]
    scores: dict[str, float]

    @classmethod
    def of(cls, snapshot: SessionSnapshot, ranking: Ranking) -> SnapshotRanking:
        ids = [o.id for o in snapshot.options]
        position = {name: i for i, name in enumerate(ranking.options)}
        return cls(
            method=ranking.method,
            normalization=ranking.normalization,
            higher_is_better=ranking.higher_is_better,
            order=[ids[position[name]] for name in ranking.order],  # type: ignore[misc]
            ranks={str(i): int(r) for i, r in zip(ids, ranking.ranks, strict=True)},
            scores={str(i): float(s) for i, s in zip(ids, ranking.scores, strict=True)},
        )


def snapshot_problem(
    snapshot: SessionSnapshot, scores: np.ndarray, weights: np.ndarray, *, short_names: bool = False
) -> Problem:
    """The core's Problem for the snapshot: scores m × n (complete), weights n (not all zero).

    `short_names`: options and criteria named by their short labels (unique within the snapshot), for
    results whose names go straight onto a page, such as the sensitivity sentences.
    """
    name = display_name if short_names else (lambda item: item.name)
    return Problem.build(
        options=[name(o) for o in snapshot.options],
        criteria=[name(c) for c in snapshot.criteria],
        scores=scores,
        directions=[c.direction for c in snapshot.criteria],
        weights=weights,
        scales=[(c.scale_min, c.scale_max) for c in snapshot.criteria],
    )


def snapshot_weights(snapshot: SessionSnapshot) -> np.ndarray:
    """The instructor's weights (fixed mode), as the matrix had them when the session started."""
    return np.array([c.weight for c in snapshot.criteria], dtype=float)


def rank_ballot(
    snapshot: SessionSnapshot, scores: np.ndarray, weights: np.ndarray | None, *, method: str | None = None
) -> SnapshotRanking:
    """One complete ballot's ranking: the session's method, the participant's weights or the snapshot's."""
    chosen = (
        weights if snapshot.seminar.weight_mode == "participant" and weights is not None else snapshot_weights(snapshot)
    )
    problem = snapshot_problem(snapshot, scores, chosen)
    return SnapshotRanking.of(
        snapshot, rank(problem, method or snapshot.seminar.method, snapshot.seminar.normalization)
    )
