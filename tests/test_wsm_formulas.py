"""The weighted sum's spreadsheet formulas equal the analysis core's normalisations and ranks, cell for cell."""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from optionsmatrix.analysis import Problem, rank
from optionsmatrix.analysis.normalize import normalize
from optionsmatrix.services.spreadsheet import column_letter
from optionsmatrix.services.wsm_formulas import normalised_formula, rank_formula, weighted_sum_formula
from tests.support.formulas import Evaluator

FIRST = 6  # as on the session workbook's Aggregated sheet: rows 3–5 direction, scale_min, scale_max


def _workbook(scores: np.ndarray, cost: np.ndarray, low: np.ndarray, high: np.ndarray, kind: str, weights):
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Data"
    m, n = scores.shape
    for j in range(n):
        data.cell(row=3, column=j + 2, value="cost" if cost[j] else "benefit")
        data.cell(row=4, column=j + 2, value=float(low[j]))
        data.cell(row=5, column=j + 2, value=float(high[j]))
        for i in range(m):
            data.cell(row=FIRST + i, column=j + 2, value=float(scores[i, j]))
    out = workbook.create_sheet("Out")
    for j, weight in enumerate(weights):
        out.cell(row=1, column=j + 2, value=float(weight))
    last = column_letter(n + 1)
    for i in range(m):
        for j in range(n):
            text = normalised_formula(kind, "Data", column_letter(j + 2), FIRST + i, FIRST, FIRST + m - 1)
            out.cell(row=FIRST + i, column=j + 2, value=text)
        out.cell(row=FIRST + i, column=1,
                 value=weighted_sum_formula(f"Out!$B$1:${last}$1", f"Out!B{FIRST + i}:{last}{FIRST + i}"))  # fmt: skip
        out.cell(row=FIRST + i, column=n + 3, value=rank_formula(f"$A${FIRST}:$A${FIRST + m - 1}", f"A{FIRST + i}"))
    return workbook


@pytest.mark.parametrize("kind", ["scale", "minmax", "sum", "max", "none"])
def test_each_normalisation_and_the_weighted_sum_match_the_core(kind):
    rng = np.random.default_rng(11)
    m, n = 6, 5
    scores = rng.integers(1, 8, size=(m, n)).astype(float)
    scores[:, 1] = 4.0  # a flat column: min–max gives every option 1
    scores[1] = scores[4]  # two options tied
    cost = np.array([False, True, False, True, False]) if kind != "none" else np.zeros(n, dtype=bool)
    low, high = np.zeros(n) + 1, np.zeros(n) + 7
    weights = rng.integers(1, 5, size=n).astype(float)
    evaluate = Evaluator(_workbook(scores, cost, low, high, kind, weights))

    cells = np.array([[evaluate.cell("Out", FIRST + i, j + 2) for j in range(n)] for i in range(m)])
    expected = normalize(scores, ~cost, kind, bounds=np.column_stack([low, high])).values
    np.testing.assert_allclose(cells, expected, atol=1e-12)
    problem = Problem.build(options=[f"O{i}" for i in range(m)], criteria=[f"C{j}" for j in range(n)], scores=scores,
                            directions=["cost" if c else "benefit" for c in cost], weights=weights,
                            scales=list(zip(low, high, strict=True)))  # fmt: skip
    ranking = rank(problem, "wsm", kind)
    np.testing.assert_allclose([evaluate.cell("Out", FIRST + i, 1) for i in range(m)], ranking.scores, atol=1e-12)
    assert [evaluate.cell("Out", FIRST + i, n + 3) for i in range(m)] == ranking.ranks.tolist()
