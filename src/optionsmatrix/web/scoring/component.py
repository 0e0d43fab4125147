"""The scoring component: one grid of scores for "Score it yourself" and for a participant's ballot.

A `ScoringView` says what to draw; `templates/scoring/_component.html`
draws it. Wide screens get a real matrix (criteria as rows, options as
columns); phones get one option at a time with a row of scale buttons per
criterion. Every score keeps the field name `s.<option id>.<criterion id>`,
so the same markup posts a ballot or refreshes the explore form.

How the sessions page uses it (ballot mode)::

    from optionsmatrix.web.scoring.component import ballot_view

    view = ballot_view(
        snapshot.options, snapshot.criteria,            # SessionOption / SessionCriterion rows, in order
        action_url=str(request.url_for("participant_ballot", session_id=seminar.id)),
        values=form_values,                             # field name -> text: s.<o>.<c>, w.<c>, why.<o>
        errors=errors,                                  # field name -> one plain sentence ("form" for the whole)
        weights_editable=seminar.weight_mode == "participant",
        method_label="Weighted sum (WSM)",              # shown, not choosable
        fixed_weights=None,                             # or {criterion id: weight} when not editable
        ranking=None,                                   # or a RankingPanel for the participant's own result
        disabled=seminar.status != "open",
    )

and in the template (`with context`, so the form gets the `csrf_token` that
`render()` provides)::

    {% from "scoring/_component.html" import scoring_component with context %}
    {{ scoring_component(view) }}

The form POSTs `s.*`, `w.*` (only when editable), `why.*` (at most 280
characters) and the CSRF field to `action_url`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Literal

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from optionsmatrix.analysis.explain import significant
from optionsmatrix.services.ranking_chart import BarChart

# Distinct cells kept rendered: a grid is options × criteria cells, each in a few states (value, error, current).
CELL_CACHE_SIZE = 4096
MAX_SCALE_BUTTONS = 11  # a scale of at most 11 whole steps gets buttons, any other a number field
RATIONALE_MAX = 280


def label_of(item: Any) -> str:
    """What headers and charts call an option or criterion: its short name, else its name."""
    return getattr(item, "short_name", "") or item.name


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class OptionColumn:
    id: int
    label: str  # short name or name
    name: str  # the full name (tooltips, screen readers)
    evidence: str
    position: int  # 1-based, for "3 of 5 options"

    @property
    def abbreviated(self) -> bool:
        return self.label != self.name


@dataclass(frozen=True)
class CriterionRow:
    id: int
    label: str
    name: str
    direction: str  # "benefit" or "cost"
    scale_min: float
    scale_max: float
    low_text: str  # "1 = little disruption"
    high_text: str  # "5 = major disruption"
    steps: tuple[str, ...] | None  # the scale buttons, or None for a number field
    weight_text: str  # "12.5%" or "—"
    evidence: str

    @property
    def abbreviated(self) -> bool:
        return self.label != self.name

    @property
    def direction_text(self) -> str:
        return "higher is better" if self.direction == "benefit" else "lower is better"

    @property
    def scale_text(self) -> str:
        return f"{_number(self.scale_min)}–{_number(self.scale_max)}"

    @property
    def whole(self) -> bool:
        return self.scale_min == int(self.scale_min) and self.scale_max == int(self.scale_max)


@dataclass(frozen=True)
class RankingPanel:
    """A ranking to show beside the grid: its chart and, for a plain list, (rank, label, value) rows."""

    chart: BarChart | None = None
    rows: Sequence[tuple[int, str, str]] = ()
    description: str = ""


@dataclass
class ScoringView:
    mode: Literal["explore", "ballot"]
    options: list[OptionColumn]
    criteria: list[CriterionRow]
    action_url: str
    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)  # field name -> what the page calls it
    weights_editable: bool = False  # ballot: w.<id> number inputs
    method_label: str = ""  # ballot: the session's method, shown
    ranking: RankingPanel | None = None  # ballot: the participant's own ranking
    disabled: bool = False
    current: int | None = None  # the option shown first on a phone
    hidden: Mapping[str, str] = field(default_factory=dict)  # ballot: posted as they are (e.g. the version seen)
    notice: str = ""  # "saved": a ballot's in the ranking panel, explore's beside "Save these scores"
    save_url: str = ""  # explore, for whoever may change the matrix: where "Save these scores" posts
    version: int | None = None  # explore: the matrix version the grid was drawn from, posted with a save
    follows: bool = True  # explore: the save's version follows this page's own writes (static/js/matrix.js)
    restart_url: str = ""  # explore: the page with the saved scores, offered when a save was refused as stale
    drawn: int | None = None  # explore: the matrix version stored when this grid was drawn (scoring.js)
    draft: str = ""  # ballot: names this ballot as drawn (session, round, version), for static/js/ballot.js

    @property
    def method(self) -> str:
        return "get" if self.mode == "explore" else "post"

    @property
    def ballot(self) -> bool:
        return self.mode == "ballot"

    @property
    def total(self) -> int:
        return len(self.options) * len(self.criteria)

    @property
    def filled(self) -> int:
        return sum(self._filled_by_option.values())

    def filled_for(self, option: OptionColumn) -> int:
        counted = self._filled_by_option.get(option.id)
        return counted if counted is not None else self._count_filled(option.id)

    @cached_property
    def _filled_by_option(self) -> dict[int, int]:
        """Scored cells per option, counted once: the caption, the sticky bar and every option's tab show them."""
        return {o.id: self._count_filled(o.id) for o in self.options}

    def _count_filled(self, option_id: int) -> int:
        return sum(1 for c in self.criteria if self.values.get(score_name(option_id, c.id)))

    @property
    def unscored(self) -> list[tuple[str, list[str]]]:
        """Each option with criteria still to score: (its label, those criteria's labels), in the grid's order."""
        found = []
        for option in self.options:
            missing = [c.label for c in self.criteria if not self.values.get(score_name(option.id, c.id))]
            if missing:
                found.append((option.label, missing))
        return found

    @property
    def unweighted(self) -> list[str]:
        """A ballot whose participant sets the weights: the criteria that have none yet."""
        return [c.label for c in self.criteria if not self.value(f"w.{c.id}")] if self.weights_editable else []

    def value(self, name: str) -> str:
        return str(self.values.get(name, "") or "")

    def between_steps(self, name: str, criterion: CriterionRow) -> bool:
        """A valid score no scale button stands for (2.5 stored from a file): the cell shows a number field instead.

        A typed value that is refused keeps the buttons, with its message beside them.
        """
        value = self.value(name)
        return (
            bool(value) and criterion.steps is not None and value not in criterion.steps and not self.errors.get(name)
        )

    def step_of(self, name: str, criterion: CriterionRow) -> str:
        """The number field's step: 1 on a scale of points, unless the score in it lies between them."""
        return "1" if criterion.whole and "." not in self.value(name) and "e" not in self.value(name) else "any"

    def is_current(self, option: OptionColumn) -> bool:
        current = self.current if self.current is not None else (self.options[0].id if self.options else None)
        return option.id == current

    def cells_named(self, names: Iterable[str]) -> list[tuple[str, Markup]]:
        """(field id, cell) for the score fields called `names` that are in this grid, in the grid's order."""
        wanted = set(names)
        return [
            (field_id(score_name(o.id, c.id)), self.cell(o, c))
            for c in self.criteria for o in self.options if score_name(o.id, c.id) in wanted
        ]  # fmt: skip

    def cell(self, option: OptionColumn, criterion: CriterionRow) -> Markup:
        """The grid's cell for `option` on `criterion` (templates/scoring/_cell.html)."""
        name = score_name(option.id, criterion.id)
        error = str(self.errors.get(name) or "")
        return _cell_html(
            option, criterion, self.value(name), error, self.is_current(option), self.disabled,
            self.between_steps(name, criterion), self.step_of(name, criterion),
        )  # fmt: skip


@lru_cache(maxsize=CELL_CACHE_SIZE)
def _cell_html(
    option: OptionColumn,
    criterion: CriterionRow,
    value: str,
    error: str,
    current: bool,
    disabled: bool,
    between_steps: bool,
    step: str,
) -> Markup:
    """One cell, rendered once for each distinct set of inputs.

    A grid of 40 cells rendered through macros cost most of a matrix page's
    CPU, and while someone types only one cell changes at a time. The key is
    everything the cell shows — the option's and criterion's frozen rows
    (names, scale, its ends' meanings), the value, the error, the state — so
    an edit to the matrix or a new value is a new key, never a stale cell.
    """
    from optionsmatrix.web.rendering import templates  # rendering imports this module

    name = score_name(option.id, criterion.id)
    html = templates.get_template("scoring/_cell.html").render(
        o=option, c=criterion, name=name, id=field_id(name), value=value, error=error, current=current,
        disabled=disabled, between_steps=between_steps, step=step,
    )  # fmt: skip
    return Markup(html)


def score_name(option_id: int, criterion_id: int) -> str:
    return f"s.{option_id}.{criterion_id}"


def field_id(name: str) -> str:
    """The HTML id of the input (or group) called `name`; the same rule as the explore form's."""
    return "sc-" + name.replace(".", "-").replace("_", "-")


def _scale_steps(low: float, high: float) -> tuple[str, ...] | None:
    if low != int(low) or high != int(high) or high - low + 1 > MAX_SCALE_BUTTONS:
        return None
    return tuple(str(step) for step in range(int(low), int(high) + 1))


def _end_text(value: float, meaning: str, fallback: str) -> str:
    return f"{_number(value)} = {meaning.strip() or fallback}"


def option_columns(options: Iterable[Any]) -> list[OptionColumn]:
    return [
        OptionColumn(id=o.id, label=label_of(o), name=o.name, evidence=getattr(o, "evidence", "") or "", position=i)
        for i, o in enumerate(options, start=1)
    ]


def criterion_rows(criteria: Iterable[Any], shares: Sequence[float] | None) -> list[CriterionRow]:
    rows = []
    for j, c in enumerate(criteria):
        share = shares[j] if shares is not None and j < len(shares) else None
        rows.append(
            CriterionRow(
                id=c.id,
                label=label_of(c),
                name=c.name,
                direction=c.direction,
                scale_min=float(c.scale_min),
                scale_max=float(c.scale_max),
                low_text=_end_text(c.scale_min, getattr(c, "scale_low_label", "") or "", "lowest"),
                high_text=_end_text(c.scale_max, getattr(c, "scale_high_label", "") or "", "highest"),
                steps=_scale_steps(float(c.scale_min), float(c.scale_max)),
                weight_text=f"{share * 100:.1f}%" if share is not None else "—",
                evidence=getattr(c, "evidence", "") or "",
            )
        )
    return rows


def _shares(weights: Sequence[float] | None) -> list[float] | None:
    if weights is None:
        return None
    total = float(sum(weights))
    return [float(w) / total for w in weights] if total > 0 else None


def explore_view(
    state: Any,  # noqa: ANN401 (form.ScoringState; importing it here would be circular)
    *,
    action_url: str,
    current: int | None = None,
    save_url: str = "",
    notice: str = "",
    loaded_version: str | int | None = None,
    follows: bool = True,
    restart_url: str = "",
) -> ScoringView:
    """The matrix page's "Score it yourself" grid, from the evaluated GET form (`form.ScoringState`).

    `save_url` (only for whoever may change the matrix) adds "Save these scores"; `notice` says it saved.
    `loaded_version` is the matrix version the page was drawn at, which the grid's refreshes carry along
    (a hidden field): stamping the version stored now would let a save overwrite a change made
    elsewhere since, unseen, because the grid's cells still come from the page's address.
    """
    version = state.matrix.version
    if isinstance(loaded_version, int):
        version = loaded_version
    elif loaded_version and loaded_version.isascii() and loaded_version.isdigit() and len(loaded_version) < 10:
        version = int(loaded_version)
    weights = state.weights if state.weights is not None else getattr(state, "stale_weights", None)
    return ScoringView(
        mode="explore",
        options=list(state.frame.columns),
        criteria=state.frame.criterion_rows(_shares(list(weights)) if weights is not None else None),
        action_url=action_url,
        values=state.values,
        errors=state.errors,
        labels=state.labels,
        current=current,
        save_url=save_url,
        version=version if save_url else None,
        follows=follows,
        restart_url=restart_url,
        drawn=state.matrix.version,
        notice=notice,
    )


@pass_context
def section_view(context: Context) -> ScoringView | None:
    """The grid of a matrix page's scoring section, the same for its whole answer (matrices/_scoring.html)
    and its small answer (_scoring_live.html); None while the matrix cannot be scored.

    Read from the template's context, whose `url_for` the shared read-only page replaces with its own. The
    grid's save carries the version its cells were typed against: a refresh (htmx) and an address holding
    typed cells carry it along; a plain load starts from the version stored. A refused save draws the grid
    at the version it was sent with (`scores_version`, `scores_follow`: web/scoring/saving.py).
    """
    state = context["scoring"]
    if not state.ready:
        return None
    matrix_id, request = context["matrix"].id, context["request"]

    def url_for(name: str) -> Any:  # noqa: ANN401 - the page's own url_for, called as the template would
        return context.call(context["url_for"], name, matrix_id=matrix_id)

    may_save = context["can_edit"] and not context["shared"]
    query = request.query_params
    typed = request.headers.get("HX-Request") or any(name.startswith("s.") for name in query)
    return explore_view(
        state,
        action_url=url_for("matrix_score"),
        save_url=str(url_for("matrix_save_scores")) if may_save else "",
        notice=context.get("scores_notice", ""),
        loaded_version=context.get("scores_version") or (query.get("version") if typed else None),
        follows=context.get("scores_follow", True),
        restart_url=f"{url_for('matrix_page')}#scoring" if may_save else "",
    )


def ballot_view(
    snapshot_options: Sequence[Any],
    snapshot_criteria: Sequence[Any],
    *,
    action_url: str,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    weights_editable: bool,
    method_label: str,
    fixed_weights: Mapping[int, float] | None = None,
    ranking: RankingPanel | None = None,
    disabled: bool = False,
    hidden: Mapping[str, str] | None = None,
    notice: str = "",
    draft: str = "",
) -> ScoringView:
    """A participant's ballot: POST to `action_url`, method fixed, weights fixed (shown) or typed.

    `hidden` fields go with the form as they are (the sessions page sends the ballot version it showed).
    """
    if weights_editable:
        shares = None
    else:
        given = fixed_weights or {c.id: c.weight for c in snapshot_criteria}
        shares = _shares([float(given.get(c.id, c.weight)) for c in snapshot_criteria])
    options, criteria = option_columns(snapshot_options), criterion_rows(snapshot_criteria, shares)
    labels: dict[str, str] = {}
    for o in options:
        labels[f"why.{o.id}"] = f"Why, for {o.label}"
        for c in criteria:
            labels[score_name(o.id, c.id)] = f"{o.label} — {c.label}"
    for c in criteria:
        labels[f"w.{c.id}"] = f"Weight of {c.label}"
    return ScoringView(
        mode="ballot",
        options=options,
        criteria=criteria,
        action_url=action_url,
        values={k: str(v) for k, v in values.items()},
        errors=dict(errors),
        labels=labels,
        weights_editable=weights_editable,
        method_label=method_label,
        ranking=ranking,
        disabled=disabled,
        hidden=dict(hidden or {}),
        notice=notice,
        draft=draft,
    )


def ranking_panel(chart: BarChart | None, rows: Iterable[Any], description: str = "") -> RankingPanel:
    """A panel from `explain.RankedOption`-like rows (rank, name, score)."""
    return RankingPanel(
        chart=chart, rows=tuple((r.rank, r.name, significant(r.score)) for r in rows), description=description
    )
