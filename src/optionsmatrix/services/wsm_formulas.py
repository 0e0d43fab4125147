"""The engine's weighted sum written as spreadsheet formulas, so a workbook recomputes it when a weight changes.

Each formula is the cell-by-cell equivalent of analysis/normalize.py and
analysis/methods/wsm.py: the same normalisations (cost criteria turned around
by their own formula, never negated), weights divided by their total, and
competition ranks with the engine's tie tolerance. Only functions that Excel
and LibreOffice both know: IF, MIN, MAX, SUM, SUMPRODUCT, ABS.
"""

from __future__ import annotations

from optionsmatrix.analysis.ranks import TIE_TOLERANCE


def normalised_formula(kind: str, sheet: str, letter: str, row: int, first: int, last: int) -> str:
    """One normalised cell: column `letter` of `sheet`, whose rows 3, 4 and 5 hold direction, scale_min, scale_max
    and rows `first`–`last` the options' scores; `row` is this option's."""
    x = f"{sheet}!{letter}{row}"
    cost = f'{sheet}!{letter}$3="cost"'
    low, high = f"{sheet}!{letter}$4", f"{sheet}!{letter}$5"
    column = f"{sheet}!{letter}${first}:{letter}${last}"
    least, most = f"MIN({column})", f"MAX({column})"
    if kind == "scale":
        return f"=IF({cost},({high}-{x})/({high}-{low}),({x}-{low})/({high}-{low}))"
    if kind == "minmax":  # a column where every option is equal separates nobody: 1 for all
        return f"=IF({most}={least},1,IF({cost},({most}-{x})/({most}-{least}),({x}-{least})/({most}-{least})))"
    if kind == "sum":  # cost: (min/x)/Σ(min/x), which equals (1/x)/Σ(1/x)
        return f"=IF({cost},({least}/{x})/SUMPRODUCT({least}/{column}),{x}/SUM({column}))"
    if kind == "max":
        return f"=IF({cost},{least}/{x},{x}/{most})"
    if kind == "none":
        return f"={x}"
    raise ValueError(f"the weighted sum has no normalisation {kind!r}")


def weighted_sum_formula(weights: str, normalised: str) -> str:
    """Σ w·r over the row, the weights scaled to sum 1 as the engine does: any weights may be typed in."""
    return f"=SUMPRODUCT({weights},{normalised})/SUM({weights})"


def rank_formula(scores: str, cell: str) -> str:
    """Competition rank among `scores` (higher first): 1 + how many score more than `cell` beyond the tie rule."""
    return f"=SUMPRODUCT(--({scores}>{cell}+{TIE_TOLERANCE:.0E}*MAX(1,ABS({cell}))))+1"
