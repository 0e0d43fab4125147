"""A session as an XLSX workbook: the matrix, the weights, every ballot, the group's results, disagreement, changes.

The first sheet is the spreadsheet layout matrices are imported from
(services/spreadsheet.py), holding the latest round's group scores, so the
workbook imports back as a matrix. The weighted sum on the Results sheet is
a live formula over the Weights sheet and the Aggregated sheet's latest
round, normalised on the Normalised sheet exactly as analysis/normalize.py
does: an instructor who changes a weight or a group score in Excel sees the
scores move. Our own computed values sit beside the formulas for reference.

User text (names, labels, evidence) is always a text cell, never a formula,
even when it starts with "=", "+", "-" or "@".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from sqlmodel import Session

from optionsmatrix.analysis import METHODS
from optionsmatrix.analysis.explain import NORMALIZATION_LABELS
from optionsmatrix.models import SeminarSession
from optionsmatrix.services.documents import CriterionData, MatrixData, OptionData
from optionsmatrix.services.labels import display_name
from optionsmatrix.services.session_export_data import MethodResult, SessionExport, gather_session_export
from optionsmatrix.services.session_tables import HEAT_LEVELS, normalisation_words
from optionsmatrix.services.sheet_writer import SheetWriter
from optionsmatrix.services.spreadsheet import XLSX_SHEET_TITLE, column_letter, grid_rows
from optionsmatrix.services.wsm_formulas import normalised_formula, rank_formula, weighted_sum_formula

HEAT_FILLS = ("F7F4F9", "E0D5EA", "C0A8D6", "8C62B0", "4F2477")  # the dashboard's five shades
AGGREGATED_FIRST_ROW = 6  # Aggregated sheet: caption, header, direction, scale_min, scale_max, then the options
RESULTS_FIRST_ROW = 3  # Results and Normalised sheets: caption, header, then the options


def write_session_workbook(db: Session, seminar: SeminarSession) -> bytes:
    """The whole session as XLSX bytes (the instructor's: it holds everyone's ballots)."""
    return SessionWorkbook(gather_session_export(db, seminar)).save()


class SessionWorkbook(SheetWriter):
    def __init__(self, data: SessionExport) -> None:
        super().__init__(data.seminar.title)
        self.data = data
        self.snapshot = data.snapshot
        self.n = len(self.snapshot.criteria)
        self.m = len(self.snapshot.options)
        self.last_criterion = column_letter(self.n + 1)

    def save(self) -> bytes:
        self.matrix_sheet()
        self.detail_sheets()
        self.weights_sheet()
        self.scores_sheet()
        self.aggregated_sheet()
        self.normalised_sheet()
        self.results_sheet()
        self.ranking_sheet()
        self.disagreement_sheet()
        self.changes_sheet()
        self.about_sheet()
        return self.to_bytes()

    # The sheets -------------------------------------------------------------------------

    def matrix_sheet(self) -> None:
        """The import layout, holding the latest round's group scores and the weights the group used."""
        sheet = self.workbook.active
        sheet.title = XLSX_SHEET_TITLE
        weights = self.group_weights()
        latest = self.data.latest.result.group_scores
        criteria = tuple(
            CriterionData(
                name=c.name, short_name=c.short_name, direction=c.direction, weight=float(weights[j]),
                scale_min=c.scale_min, scale_max=c.scale_max, scale_low_label=c.scale_low_label,
                scale_high_label=c.scale_high_label,
            )
            for j, c in enumerate(self.snapshot.criteria)
        )  # fmt: skip
        scored = ~np.isnan(latest)
        scores = {
            o.name: {c.name: float(latest[i, j]) for j, c in enumerate(self.snapshot.criteria) if scored[i, j]}
            for i, o in enumerate(self.snapshot.options)
        }
        data = MatrixData(self.data.seminar.title, tuple(OptionData(name=o.name) for o in self.snapshot.options),
                          criteria, scores=scores)  # fmt: skip
        for r, values in enumerate(grid_rows(data), start=1):
            self.row(sheet, r, values, header=r == 1)
        for r in range(2, 9):
            sheet.cell(row=r, column=1).font = self.caption_font
        sheet.freeze_panes = "B9"
        self.widths(sheet)

    def detail_sheets(self) -> None:
        """The options' and criteria's full details, their evidence among them."""
        option_fields = ["name", "short_name", "escalation_level", "description", "evidence"]
        criterion_fields = ["name", "short_name", "direction", "weight", "scale_min", "scale_max", "scale_low_label",
                            "scale_high_label", "description", "evidence"]  # fmt: skip
        for title, fields, items in (("Options", option_fields, self.snapshot.options),
                                     ("Criteria", criterion_fields, self.snapshot.criteria)):  # fmt: skip
            sheet = self.new_sheet(title)
            self.row(sheet, 1, fields, header=True)
            for r, item in enumerate(items, start=2):
                self.row(sheet, r, [getattr(item, f) for f in fields])
                for index, name in enumerate(fields, start=1):
                    if name in ("description", "evidence"):
                        sheet.cell(row=r, column=index).alignment = self.wrap
            sheet.freeze_panes = "B2"
            self.widths(sheet, first=20, most=60)

    def group_weights(self) -> np.ndarray:
        """Fixed weights: the instructor's as set. Participants' weights: the latest round's group weights."""
        if self.data.participant_weights:
            found = self.data.latest.result.group_weights
            return found if found is not None else np.full(self.n, np.nan)
        return np.array([c.weight for c in self.snapshot.criteria], dtype=float)

    def weights_sheet(self) -> None:
        sheet = self.new_sheet("Weights")
        self.row(sheet, 1, ["criterion", *(c.name for c in self.snapshot.criteria)], header=True)
        self.put(sheet, 2, 1, "weight")
        for j, weight in enumerate(self.group_weights(), start=2):
            self.put(sheet, 2, j, float(weight), number_format="0.####").fill = self.input_fill
        self.put(sheet, 3, 1, "share")
        for j in range(2, self.n + 2):
            letter = column_letter(j)
            self.formula(sheet, 3, j, f"={letter}2/SUM($B$2:${self.last_criterion}$2)", number_format="0.0%")
        source = (
            "the group's weights in the latest round: each participant's weights as shares, averaged"
            if self.data.participant_weights
            else "the instructor's weights, as the session froze them"
        )
        self.caption(sheet, 5, f"Row 2 holds {source}. Change them (yellow): the Results sheet's weighted sum follows.")
        if self.data.participant_weights:
            self.row(sheet, 7, ["round", "participant_id", "participant",
                                *(c.name for c in self.snapshot.criteria)], header=True)  # fmt: skip
            r = 8
            for round_ in self.data.rounds:
                weights = round_.ballots.weights
                for p, participant in enumerate(round_.ballots.participant_ids):
                    own = weights[p] if weights is not None else np.full(self.n, np.nan)
                    self.row(sheet, r, [round_.number, int(participant), self.data.participant_name(participant),
                                        *own.tolist()])  # fmt: skip
                    r += 1
        sheet.freeze_panes = "B2"
        self.widths(sheet, first=10)

    def scores_sheet(self) -> None:
        """Every participant's latest ballot in every round: one row per participant and option."""
        sheet = self.new_sheet("Scores")
        self.row(sheet, 1, ["round", "participant_id", "participant", "option",
                            *(c.name for c in self.snapshot.criteria)], header=True)  # fmt: skip
        r = 2
        for round_ in self.data.rounds:
            scores = round_.ballots.scores
            for p, participant in enumerate(round_.ballots.participant_ids):
                name = self.data.participant_name(participant)
                for i, option in enumerate(self.snapshot.options):
                    self.row(sheet, r, [round_.number, int(participant), name, option.name, *scores[p, i].tolist()])
                    r += 1
        sheet.freeze_panes = "E2"
        self.widths(sheet, first=8)

    def aggregated_sheet(self) -> None:
        """The group matrix, latest round first (the formulas read it), then each earlier round."""
        sheet = self.new_sheet("Aggregated")
        names = [c.name for c in self.snapshot.criteria]
        latest = self.data.latest
        self.caption(sheet, 1, f"Round {latest.number} (the latest): each cell the {self.data.aggregation} of the "
                               f"latest ballots that scored it ({latest.result.ballots} ballots)")  # fmt: skip
        self.row(sheet, 2, ["option", *names], header=True)
        self.row(sheet, 3, ["direction", *(c.direction for c in self.snapshot.criteria)])
        self.row(sheet, 4, ["scale_min", *(c.scale_min for c in self.snapshot.criteria)])
        self.row(sheet, 5, ["scale_max", *(c.scale_max for c in self.snapshot.criteria)])
        self.option_rows(sheet, AGGREGATED_FIRST_ROW, latest.result.group_scores)
        r = AGGREGATED_FIRST_ROW + self.m + 1
        for round_ in reversed(self.data.rounds[:-1]):
            self.caption(sheet, r, f"Round {round_.number} ({round_.result.ballots} ballots)")
            self.row(sheet, r + 1, ["option", *names], header=True)
            self.option_rows(sheet, r + 2, round_.result.group_scores)
            r += self.m + 3
        sheet.freeze_panes = "B3"
        self.widths(sheet)

    def option_rows(self, sheet: Any, first: int, values: np.ndarray) -> None:  # noqa: ANN401
        for i, option in enumerate(self.snapshot.options):
            self.put(sheet, first + i, 1, option.name)
            for j, value in enumerate(values[i].tolist(), start=2):
                self.put(sheet, first + i, j, value, number_format="0.00")

    def wsm_normalization(self) -> str | None:
        """The weighted sum's normalisation in the latest round, None when the group has no WSM ranking."""
        wsm = self.data.latest.methods["wsm"]
        return wsm.result.normalization if wsm.ranked else None

    def normalised_sheet(self) -> None:
        sheet = self.new_sheet("Normalised")
        kind = self.wsm_normalization()
        if kind is None:
            self.caption(sheet, 1, "The group has no weighted-sum ranking in the latest round yet: every option "
                                   "must be scored on every criterion by someone.")  # fmt: skip
            return
        self.caption(
            sheet, 1, f"The latest round's group scores normalised as the weighted sum does "
            f"(normalisation {NORMALIZATION_LABELS[kind]}): formulas over the Aggregated sheet",
        )  # fmt: skip
        self.row(sheet, 2, ["option", *(c.name for c in self.snapshot.criteria)], header=True)
        for i, option in enumerate(self.snapshot.options):
            r = RESULTS_FIRST_ROW + i
            self.put(sheet, r, 1, option.name)
            for j in range(self.n):
                text = normalised_formula(
                    kind, "Aggregated", column_letter(j + 2), AGGREGATED_FIRST_ROW + i, AGGREGATED_FIRST_ROW,
                    AGGREGATED_FIRST_ROW + self.m - 1,
                )  # fmt: skip
                self.formula(sheet, r, j + 2, text)
        sheet.freeze_panes = "B3"
        self.widths(sheet)

    def results_sheet(self) -> None:
        sheet = self.new_sheet("Results")
        latest = self.data.latest
        self.caption(sheet, 1, f"Round {latest.number}: every method on the group's matrix. The weighted sum's "
                               "live formula reads the Weights and Aggregated sheets; the other columns are the "
                               "values this tool computed.")  # fmt: skip
        others = [r for name, r in latest.methods.items() if name != "wsm"]
        headers = ["option", "Weighted sum (WSM): live formula", "rank: live formula",
                   "Weighted sum (WSM): computed", "rank: computed"]  # fmt: skip
        for found in others:
            headers += [f"{found.label}: {METHODS[found.method].score_label}", f"{found.label}: rank"]
        self.row(sheet, 2, headers, header=True)
        first, last = RESULTS_FIRST_ROW, RESULTS_FIRST_ROW + self.m - 1
        wsm = latest.methods["wsm"]
        weights = f"Weights!$B$2:${self.last_criterion}$2"
        for i, option in enumerate(self.snapshot.options):
            r = first + i
            self.put(sheet, r, 1, option.name)
            if self.wsm_normalization() is not None:
                self.formula(sheet, r, 2, weighted_sum_formula(weights, f"Normalised!B{r}:{self.last_criterion}{r}"))
                self.formula(sheet, r, 3, rank_formula(f"$B${first}:$B${last}", f"B{r}"), number_format="0")
            for column, found in enumerate([wsm, *others]):
                self.method_cells(sheet, r, 4 + 2 * column, found, i)
        notes = [f"{r.label}: normalisation {normalisation_words(r.result.normalization)}" + (
            f"; cannot rank: {r.problem}" if r.problem else "" if r.ranked else "; no ranking yet (empty cells)")
            for r in latest.methods.values()]  # fmt: skip
        for k, note in enumerate(notes):
            self.caption(sheet, last + 2 + k, note)
        sheet.freeze_panes = "B3"
        self.widths(sheet, rest=16, most=30)

    def method_cells(self, sheet: Any, row: int, column: int, found: MethodResult, i: int) -> None:  # noqa: ANN401
        ranking = found.result.core_ranking
        if ranking is None:
            self.put(sheet, row, column, "—")
            return
        self.put(sheet, row, column, float(ranking.scores[i]), number_format="0.0000")
        self.put(sheet, row, column + 1, int(ranking.ranks[i]))

    def ranking_sheet(self) -> None:
        """The group ranking under the session's method, best first, with a native bar chart of it."""
        from openpyxl.chart import BarChart, Reference

        sheet = self.new_sheet("Ranking")
        result = self.data.latest.result
        ranking = result.core_ranking
        spec = METHODS[result.method]
        if ranking is None:
            self.caption(sheet, 1, "The group ranking appears once every option has been scored on every "
                                   "criterion by someone.")  # fmt: skip
            return
        better = "higher" if spec.higher_is_better else "lower"
        self.caption(sheet, 1, f"Round {result.round}: the group ranking by {spec.label} ({better} "
                               f"{spec.score_label} ranks first)")  # fmt: skip
        self.row(sheet, 2, ["rank", "option", spec.score_label], header=True)
        index = {name: i for i, name in enumerate(ranking.options)}
        for r, name in enumerate(ranking.order, start=3):
            i = index[name]
            option = display_name(self.snapshot.options[i])
            self.row(sheet, r, [int(ranking.ranks[i]), option, float(ranking.scores[i])])
        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        chart.title = f"Group ranking, round {result.round} ({spec.label})"
        chart.y_axis.title = f"{spec.score_label} ({better} ranks first)"
        chart.x_axis.scaling.orientation = "maxMin"  # the first ranked at the top
        # From zero (or the lowest score, when scores go negative): an axis starting near the
        # smallest bar would make small differences look large, which a neutral tool must not do.
        chart.y_axis.scaling.min = min(0.0, float(ranking.scores.min()))
        chart.legend = None
        chart.add_data(Reference(sheet, min_col=3, min_row=2, max_row=2 + self.m), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=2, min_row=3, max_row=2 + self.m))
        chart.height = max(7.5, 1.0 * self.m + 3)
        chart.width = 18
        sheet.add_chart(chart, "E2")
        sheet.freeze_panes = "A3"
        self.widths(sheet, first=6, most=40)

    def disagreement_sheet(self) -> None:
        """Per round and cell: how many scored it, the mean, and how far apart (sd, IQR), shaded as on the dashboard."""
        sheet = self.new_sheet("Disagreement")
        self.row(sheet, 1, ["round", "option", "criterion", "scored by", "mean", "sd", "IQR",
                            f"shade (0 agree – {HEAT_LEVELS - 1} far apart)"], header=True)  # fmt: skip
        r = 2
        for round_ in self.data.rounds:
            result = round_.result
            for i, option in enumerate(self.snapshot.options):
                for j, criterion in enumerate(self.snapshot.criteria):
                    level = round_.heatmap[i].cells[j].level
                    self.row(sheet, r, [round_.number, option.name, criterion.name, int(result.counts[i, j]),
                                        result.group_scores[i, j], result.sd[i, j], result.iqr[i, j],
                                        level if level >= 0 else None])  # fmt: skip
                    for column in (5, 6, 7):
                        sheet.cell(row=r, column=column).number_format = "0.00"
                    if level >= 0:
                        shade = self.fill("solid", fgColor=HEAT_FILLS[level])
                        for column in (6, 8):
                            sheet.cell(row=r, column=column).fill = shade
                            if level >= 3:
                                sheet.cell(row=r, column=column).font = self.font(color="FFFFFF")
                    r += 1
        sheet.freeze_panes = "D2"
        self.widths(sheet, first=8, rest=10, most=40)

    def changes_sheet(self) -> None:
        sheet = self.new_sheet("Changes")
        if not self.data.changes:
            self.caption(sheet, 1, "One round so far: nothing to compare yet.")
            return
        r = 1
        label = METHODS[self.data.seminar.method].label
        for change in self.data.changes:
            a, b = change.before, change.after
            self.caption(sheet, r, f"Round {a} → round {b}: the group ranking ({label})")
            self.row(sheet, r + 1, ["option", f"rank, round {a}", f"score, round {a}", f"rank, round {b}",
                                    f"score, round {b}", "places gained"], header=True)  # fmt: skip
            r += 2
            for move in change.movement:
                self.row(sheet, r, [move.option, move.before_rank, move.before_score, move.after_rank,
                                    move.after_score, move.change])  # fmt: skip
                r += 1
            r += 1
            self.caption(sheet, r, f"Round {a} → round {b}: the group's {self.data.aggregation} per cell")
            self.row(sheet, r + 1, ["option", "criterion", f"round {a}", f"round {b}", "change"], header=True)
            r += 2
            delta = change.mean_change
            for i, option in enumerate(self.snapshot.options):
                for j, criterion in enumerate(self.snapshot.criteria):
                    self.row(sheet, r, [display_name(option), criterion.name, change.means_before[i, j],
                                        change.means_after[i, j], delta[i, j]])  # fmt: skip
                    r += 1
            r += 1
        self.widths(sheet, first=20, most=40)

    def about_sheet(self) -> None:
        sheet = self.new_sheet("About")
        seminar = self.data.seminar
        result = self.data.latest.result
        facts = [
            ("session", seminar.title),
            ("exported (UTC)", self.data.exported_at),
            ("started (UTC)", seminar.created_at),
            ("status", seminar.status),
            ("method", METHODS[seminar.method].label),
            ("normalisation", normalisation_words(result.normalization)),
            ("aggregation", f"the {self.data.aggregation} of each participant's latest ballot"),
            ("weights", "each participant's own" if self.data.participant_weights else "the instructor's, fixed"),
            ("participants joined", len(self.data.participant_names)),
            ("rounds", len(self.data.rounds)),
        ]
        for r, (key, value) in enumerate(facts, start=1):
            self.put(sheet, r, 1, key).font = self.header_font
            self.put(sheet, r, 2, value, number_format="yyyy-mm-dd hh:mm" if isinstance(value, datetime) else None)
        r = len(facts) + 2
        self.row(sheet, r, ["round", "opened (UTC)", "closed (UTC)", "ballots", "complete ballots",
                            "Kendall's W (agreement of participants' rankings, 0–1)"], header=True)  # fmt: skip
        for k, round_ in enumerate(self.data.rounds, start=1):
            summary = round_.summary
            self.row(sheet, r + k, [round_.number, summary.opened_at, summary.closed_at, summary.ballots,
                                    summary.complete_ballots, round_.result.kendall_w])  # fmt: skip
            for column in (2, 3):
                sheet.cell(row=r + k, column=column).number_format = "yyyy-mm-dd hh:mm"
        self.widths(sheet, first=20, rest=16, most=60)

