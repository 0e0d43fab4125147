"""Comparisons for an instructor's debrief: two or more sessions of one matrix, the rounds of one, or its methods.

Each column is one session's round ranked by one method, from the group
result the dashboard shows (`session_results`). Options are matched across
sessions by the matrix option each was copied from (`source_option_id`);
options that not every session has are listed apart, never dropped in
silence, and the others are ranked again among themselves so the extra ones
do not shift their places.

What is compared when the query leaves it open:
- `sessions=3,5`: each session's latest round that has ballots (else its
  current round), each by its own method unless `method` names one;
- `session=3`: its rounds (`rounds=1,2`; default: all of them, the last six at
  most), by the session's method unless `method` names one;
- `session=3&method=all`: every ranking method on one round (`rounds=2`;
  default as for sessions).

A column with nothing to rank (a round without ballots, scores not yet
complete, a method that cannot rank them) stays in the comparison, marked
empty with the reason; only the columns with a ranking are compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, col, select

from optionsmatrix.analysis import METHOD_NAMES, METHODS, AnalysisError, Ranking, rank
from optionsmatrix.analysis.comparison import RankingComparison, compare_rankings
from optionsmatrix.errors import InvalidInput
from optionsmatrix.models import SeminarSession
from optionsmatrix.schemas.comparisons import MAX_COLUMNS, ComparisonKind, ComparisonQuery
from optionsmatrix.services.access import Actor
from optionsmatrix.services.seminars import SessionSnapshot, check_runs, get_snapshot
from optionsmatrix.services.session_ranking import snapshot_problem
from optionsmatrix.services.session_results import GroupResult, group_result
from optionsmatrix.services.session_views import round_list


@dataclass(frozen=True)
class Column:
    snapshot: SessionSnapshot
    round: int
    method: str
    normalization: str | None
    label: str
    ballots: int
    complete_ballots: int
    ranking: Ranking | None
    empty_reason: str | None

    @property
    def method_label(self) -> str:
        return METHODS[self.method].label

    @property
    def higher_is_better(self) -> bool:
        return self.ranking.higher_is_better if self.ranking is not None else METHODS[self.method].higher_is_better


@dataclass(frozen=True)
class OptionRow:
    key: int | None
    name: str
    short_name: str
    option_ids: tuple[int | None, ...]  # per column
    ranks: tuple[int | None, ...]
    scores: tuple[float | None, ...]
    spread: int | None


@dataclass(frozen=True)
class PairAgreement:
    first: int
    second: int
    tau_b: float | None
    words: str


@dataclass(frozen=True)
class Comparison:
    kind: ComparisonKind
    aggregation: str
    columns: list[Column]
    options: list[OptionRow]  # in every column; the largest difference in position first
    only_in_some: list[OptionRow]  # ranks: the place in its own session's full ranking
    agreement: list[PairAgreement]
    notes: list[str]

    @property
    def largest_spread(self) -> int:
        return max((o.spread or 0 for o in self.options), default=0)

    @property
    def seminars(self) -> list[SeminarSession]:
        """The sessions compared, each once, in the columns' order."""
        seen: dict[int, SeminarSession] = {}
        for column in self.columns:
            seen.setdefault(column.snapshot.seminar.id, column.snapshot.seminar)  # type: ignore[arg-type]
        return list(seen.values())

    @property
    def titles(self) -> list[str]:
        return [s.title for s in self.seminars]


def agreement_words(tau: float | None) -> str:
    """τ-b in a neutral sentence: how closely two rankings agree, never which is right."""
    if tau is None or math.isnan(tau):
        return "Agreement cannot be measured here (τ-b is undefined: a ranking is missing or ties every option)."
    figure = f"{tau:.2f}".replace("-", "−")
    if tau >= 0.999:
        how = "are identical"
    elif tau >= 0.7:
        how = "agree strongly"
    elif tau >= 0.4:
        how = "agree moderately"
    elif tau >= 0.1:
        how = "agree weakly"
    elif tau > -0.1:
        how = "show no clear agreement"
    elif tau > -0.4:
        how = "disagree somewhat"
    elif tau > -0.999:
        how = "largely run in opposite orders"
    else:
        how = "are exactly reversed"
    return f"The two rankings {how} (τ-b {figure})."


def compare(session: Session, *, actor: Actor, query: ComparisonQuery) -> Comparison:
    """The comparison asked for, of sessions `actor` runs (404 for any other, as if absent)."""
    actor.require_instructor()
    snapshots = [_runs(session, actor, i) for i in query.session_ids]
    kind = query.kind
    if kind == "sessions":
        _check_same_matrix(snapshots)
        plan = [(s, _default_round(session, s), query.method or s.seminar.method) for s in snapshots]
    elif kind == "methods":
        snapshot = snapshots[0]
        number = _existing_rounds(session, snapshot, query.rounds)[0] if query.rounds else None
        number = number or _default_round(session, snapshot)
        plan = [(snapshot, number, method) for method in METHOD_NAMES]
    else:
        snapshot = snapshots[0]
        numbers = _existing_rounds(session, snapshot, query.rounds)
        if len(numbers) < 2:
            raise InvalidInput.on(
                "rounds",
                "this session has one round so far: compare rounds once a second has started, or compare the "
                "methods on it with method=all" if query.rounds is None else
                "name two or more rounds to compare, such as rounds=1,2",
            )  # fmt: skip
        plan = [(snapshot, n, query.method or snapshot.seminar.method) for n in numbers]
    results: dict[tuple[int, int], GroupResult] = {}
    columns = []
    for snapshot, number, method in plan:
        key = (snapshot.seminar.id, number)  # type: ignore[assignment]
        if key not in results:  # methods share one round's group result
            results[key] = group_result(session, snapshot, aggregation=query.aggregation, round_number=number)  # type: ignore[index]
        columns.append(_column(snapshot, results[key], method, _label(kind, snapshot, number, method, snapshots)))  # type: ignore[index]
    return _assemble(kind, query.aggregation, columns)


def _runs(session: Session, actor: Actor, session_id: int) -> SessionSnapshot:
    """The session if `actor` runs it; a NotFound (404) exactly as for one that does not exist."""
    snapshot = get_snapshot(session, session_id)
    check_runs(actor, snapshot.seminar)
    return snapshot


def _check_same_matrix(snapshots: list[SessionSnapshot]) -> None:
    matrices = {s.seminar.matrix_id for s in snapshots if s.seminar.matrix_id is not None}
    if len(matrices) > 1:
        raise InvalidInput.on(
            "sessions",
            "these sessions were started from different matrices; only sessions of the same matrix can be "
            "compared (their options are matched through it)",
        )


def _default_round(session: Session, snapshot: SessionSnapshot) -> int:
    """The latest round with a ballot in it, else the current round."""
    with_ballots = [r.number for r in round_list(session, snapshot).items if r.ballots]
    return max(with_ballots) if with_ballots else snapshot.round.number


def _existing_rounds(session: Session, snapshot: SessionSnapshot, asked: tuple[int, ...] | None) -> list[int]:
    numbers = [r.number for r in round_list(session, snapshot).items]
    if asked is None:
        return numbers[-MAX_COLUMNS:]
    missing = [n for n in asked if n not in numbers]
    if missing:
        held = "round 1 only" if len(numbers) == 1 else f"rounds 1 to {numbers[-1]}"
        raise InvalidInput.on("rounds", f"this session has no round {', '.join(map(str, missing))}; it has {held}")
    return list(asked)


def _label(kind: ComparisonKind, snapshot: SessionSnapshot, number: int, method: str,
           snapshots: list[SessionSnapshot]) -> str:  # fmt: skip
    if kind == "rounds":
        return f"Round {number}"
    if kind == "methods":
        return METHODS[method].label
    title = snapshot.seminar.title
    if sum(s.seminar.title == title for s in snapshots) > 1:  # two groups both called "Library site"
        title = f"{title} (session {snapshot.seminar.id})"
    return f"{title}, round {number}"


def _column(snapshot: SessionSnapshot, result: GroupResult, method: str, label: str) -> Column:
    normalization = snapshot.seminar.normalization if method == snapshot.seminar.method else None
    ranking, reason = None, None
    if result.ballots == 0:
        reason = f"no ballots in round {result.round} yet"
    elif np.isnan(result.group_scores).any():
        reason = "not every option has been scored on every criterion yet"
    elif result.group_weights is None:
        reason = "every criterion weighs 0, so nothing can be ranked"
    else:
        try:
            problem = snapshot_problem(snapshot, result.group_scores, result.group_weights)
            ranking = rank(problem, method, normalization)
        except AnalysisError as error:
            reason = f"{METHODS[method].label} cannot rank these scores: {error.message}"
    return Column(
        snapshot=snapshot, round=result.round, method=method,
        normalization=ranking.normalization if ranking is not None else normalization, label=label,
        ballots=result.ballots, complete_ballots=result.complete_ballots, ranking=ranking, empty_reason=reason,
    )  # fmt: skip


def _option_key(kind: ComparisonKind, option) -> int | None:  # noqa: ANN001 - a SessionOption
    return option.source_option_id if kind == "sessions" else option.id


def _assemble(kind: ComparisonKind, aggregation: str, columns: list[Column]) -> Comparison:
    # Per column: option key -> (index in its snapshot, the option).
    present = [
        {key: (i, o) for i, o in enumerate(c.snapshot.options) if (key := _option_key(kind, o)) is not None}
        for c in columns
    ]
    first = columns[0].snapshot.options
    shared = [k for o in first if (k := _option_key(kind, o)) is not None and all(k in p for p in present)]
    if kind == "sessions" and not shared:
        raise InvalidInput.on("sessions", "these sessions have no option in common, so their rankings cannot be "
                              "compared")  # fmt: skip
    k, m = len(columns), len(shared)
    scores = np.full((k, m), np.nan)
    for c, column in enumerate(columns):
        if column.ranking is not None:
            index = np.array([present[c][key][0] for key in shared], dtype=np.int64)
            scores[c] = column.ranking.scores[index]
    ranked = np.array([c.ranking is not None for c in columns])
    found = compare_rankings(scores, [c.higher_is_better for c in columns], ranked)
    options = [_shared_row(key, j, columns, present, scores, found) for j, key in
               ((int(j), shared[int(j)]) for j in found.order)]  # fmt: skip
    return Comparison(
        kind=kind, aggregation=aggregation, columns=columns, options=options,
        only_in_some=_only_in_some(kind, columns, present, set(shared)), agreement=_pairs(found),
        notes=_notes(kind, columns),
    )  # fmt: skip


def _shared_row(key, j, columns, present, scores, found: RankingComparison) -> OptionRow:  # noqa: ANN001
    option = present[0][key][1]
    ranked = found.present
    return OptionRow(
        key=key, name=option.name, short_name=option.short_name,
        option_ids=tuple(p[key][1].id for p in present),
        ranks=tuple(int(found.ranks[c, j]) if ranked[c] else None for c in range(len(columns))),
        scores=tuple(float(scores[c, j]) if ranked[c] else None for c in range(len(columns))),
        spread=int(found.spread[j]) if ranked.sum() >= 2 else None,
    )  # fmt: skip


def _only_in_some(kind: ComparisonKind, columns: list[Column], present, shared: set[int]) -> list[OptionRow]:  # noqa: ANN001
    """Options some sessions lack (the matrix changed between them), each with its place in its own session."""
    if kind != "sessions":
        return []
    rows: list[OptionRow] = []
    seen: set[object] = set()
    for column in columns:
        for index, option in enumerate(column.snapshot.options):
            key = option.source_option_id
            mark = key if key is not None else ("own", option.id)
            if (key is not None and key in shared) or mark in seen:
                continue
            seen.add(mark)
            ids: list[int | None] = []
            places: list[int | None] = []
            for other, where in zip(columns, present, strict=True):
                hit = where.get(key) if key is not None else ((index, option) if other is column else None)
                ids.append(hit[1].id if hit else None)
                places.append(int(other.ranking.ranks[hit[0]]) if hit and other.ranking is not None else None)
            rows.append(OptionRow(key, option.name, option.short_name, tuple(ids), tuple(places), (), None))
    return rows


def _pairs(found: RankingComparison) -> list[PairAgreement]:
    k = len(found.present)
    pairs = []
    for a in range(k):
        for b in range(a + 1, k):
            value = float(found.tau_b[a, b])
            tau = None if math.isnan(value) else round(value, 6)
            pairs.append(PairAgreement(a, b, tau, agreement_words(tau)))
    return pairs


def _notes(kind: ComparisonKind, columns: list[Column]) -> list[str]:
    notes = []
    if kind == "sessions":
        methods = {c.method for c in columns}
        if len(methods) > 1:
            named = ", ".join(sorted(METHODS[m].label for m in methods))
            notes.append(f"The sessions rank by different methods ({named}); choose one method to compare like "
                         "with like.")  # fmt: skip
        criteria = {tuple(sorted(c.source_criterion_id or 0 for c in col.snapshot.criteria)) for col in columns}
        weights = {tuple(c.weight for c in col.snapshot.criteria) for col in columns
                   if col.snapshot.seminar.weight_mode == "fixed"}  # fmt: skip
        if len(criteria) > 1:
            notes.append("The sessions were started from different versions of the matrix: their criteria differ.")
        elif len(weights) > 1:
            notes.append("The sessions were started with different weights on the criteria.")
    ranked = [c for c in columns if c.ranking is not None]
    if len(ranked) < 2:
        notes.append("Fewer than two columns have a ranking, so there is nothing to compare yet.")
    return notes


def comparable_sessions(session: Session, snapshot: SessionSnapshot) -> list[SeminarSession]:
    """The same instructor's other sessions of the same matrix, newest first: what the dashboard offers to compare."""
    seminar = snapshot.seminar
    if seminar.matrix_id is None:
        return []
    return list(
        session.exec(
            select(SeminarSession)
            .where(SeminarSession.matrix_id == seminar.matrix_id, SeminarSession.owner_id == seminar.owner_id,
                   col(SeminarSession.id) != seminar.id)
            .order_by(col(SeminarSession.created_at).desc(), col(SeminarSession.id).desc())
            .limit(20)
        )
    )  # fmt: skip
