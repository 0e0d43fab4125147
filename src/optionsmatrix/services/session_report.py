"""A session as one printable HTML page: the matrix, the group ranking, disagreement, how sure, round changes.

Self-contained, so it prints and archives anywhere: inline CSS, inline SVG,
no script, no link to anything outside the file. Wide matrices are split
into tables of at most MAX_COLUMNS criteria each, so no table is wider than
an A4 or Letter page in portrait. Everything the page says is escaped by
Jinja's autoescape. The wording describes, it never recommends an option.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import jinja2
import numpy as np
from sqlmodel import Session

from optionsmatrix import __version__
from optionsmatrix.analysis import METHODS, AnalysisError
from optionsmatrix.analysis.explain import significant
from optionsmatrix.core.resources import TEMPLATES_DIR
from optionsmatrix.errors import InvalidInput
from optionsmatrix.models import SeminarSession
from optionsmatrix.services.labels import display_name
from optionsmatrix.services.ranking_chart import BarChart
from optionsmatrix.services.sensitivity import HowSure
from optionsmatrix.services.session_export_data import SessionExport, as_utc, gather_session_export
from optionsmatrix.services.session_sensitivity import HOW_SURE_SEED, how_sure
from optionsmatrix.services.session_tables import HEAT_LEVELS, group_chart, normalisation_words

MAX_COLUMNS = 6  # criteria per table: about 30 mm each beside the option column on A4 portrait
CHART_WIDTH = 640


def write_session_report(db: Session, seminar: SeminarSession) -> bytes:
    """The report as UTF-8 HTML."""
    data = gather_session_export(db, seminar)
    return render_session_report(data, _how_sure(db, data)).encode("utf-8")


def _how_sure(db: Session, data: SessionExport) -> HowSure | str | None:
    """The dashboard's "How sure is this?" for the latest round: the reason when it cannot run, None with no ranking."""
    try:
        return how_sure(db, data.snapshot, seed=HOW_SURE_SEED)
    except (InvalidInput, AnalysisError) as error:
        return str(error) if isinstance(error, InvalidInput) else error.message


@dataclass(frozen=True)
class Column:
    """A criterion as the report's table headers show it."""

    number: int
    label: str
    name: str
    direction: str
    weight: float
    share: float | None  # of the weights the group used, None when there are none yet
    scale: str
    low_label: str
    high_label: str


@dataclass(frozen=True)
class MethodCell:
    rank: int | None
    score: float | None


@dataclass(frozen=True)
class SureView:
    sentences: list[str]
    first_shares: list[tuple[str, float]]  # option label, share of SMAA samples ranking it first
    samples: int
    seed: int
    ballots_sampled: int | None
    dominated: list[tuple[str, tuple[str, ...]]]  # option, the options that dominate it


def render_session_report(data: SessionExport, sure: HowSure | str | None) -> str:
    snapshot = data.snapshot
    latest = data.latest
    weights = latest.result.group_weights
    columns = [
        Column(
            number=j + 1, label=display_name(c), name=c.name, direction=c.direction, weight=c.weight,
            share=float(weights[j]) if weights is not None else None,
            scale=f"{significant(c.scale_min)}–{significant(c.scale_max)}",
            low_label=c.scale_low_label, high_label=c.scale_high_label,
        )
        for j, c in enumerate(snapshot.criteria)
    ]  # fmt: skip
    n = len(columns)
    chunks = [list(range(k, min(k + MAX_COLUMNS, n))) for k in range(0, n, MAX_COLUMNS)]
    context = {
        "data": data,
        "seminar": data.seminar,
        "snapshot": snapshot,
        "latest": latest,
        "columns": columns,
        "chunks": chunks,
        "option_labels": [display_name(o) for o in snapshot.options],
        "chart": _chart(data),
        "methods": list(latest.methods.values()),
        "method_cells": _method_cells(data),
        "method_label": METHODS[data.seminar.method].label,
        "normalisation": normalisation_words(latest.result.normalization),
        "sure": _sure_view(data, sure) if isinstance(sure, HowSure) else None,
        "sure_problem": sure if isinstance(sure, str) else None,
        "heat_levels": HEAT_LEVELS,
        "version": __version__,
        "isnan": lambda value: value is None or (isinstance(value, float) and math.isnan(value)),
    }
    return _environment().get_template("reports/session.html").render(context)


@functools.cache
def _environment() -> jinja2.Environment:
    """Its own environment (no request, no web layer): the CLI writes reports too."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, auto_reload=False,
        undefined=jinja2.StrictUndefined,
    )  # fmt: skip
    environment.filters["sig"] = significant
    environment.filters["utc"] = lambda moment: f"{as_utc(moment):%Y-%m-%d %H:%M}"
    return environment


def _chart(data: SessionExport) -> BarChart | None:
    return group_chart(data.latest.result, data.snapshot, width=CHART_WIDTH)


def _method_cells(data: SessionExport) -> list[list[MethodCell]]:
    """Per option, per method of the latest round: its rank and score, or nothing where the method cannot rank."""
    rows = []
    for i in range(len(data.snapshot.options)):
        row = []
        for found in data.latest.methods.values():
            ranking = found.result.core_ranking
            cell = MethodCell(int(ranking.ranks[i]), float(ranking.scores[i])) if ranking else MethodCell(None, None)
            row.append(cell)
        rows.append(row)
    return rows


def _sure_view(data: SessionExport, sure: HowSure) -> SureView:
    smaa = sure.smaa.result
    first = smaa.acceptability[:, 0]
    order = np.argsort(-first, kind="stable")
    labels = [display_name(o) for o in data.snapshot.options]
    dominated = [(labels[b], by) for b, by in enumerate(sure.dominance.dominated_by) if by]
    return SureView(
        sentences=sure.sentences,
        first_shares=[(labels[i], float(first[i])) for i in order],
        samples=smaa.samples,
        seed=sure.smaa.seed,
        ballots_sampled=sure.smaa.ballots_sampled,
        dominated=dominated,
    )
