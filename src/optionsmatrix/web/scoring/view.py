"""The "Score it yourself" section of a matrix page: GET only, so it needs no CSRF token; nothing is stored.

The form works as a plain GET with JavaScript off (the whole page comes back
with the result) and, with htmx, refreshes the section in place as the
visitor types. Anyone who may read the matrix may score it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from optionsmatrix.analysis import METHODS, Ranking, explain
from optionsmatrix.analysis.explain import significant
from optionsmatrix.models import Matrix
from optionsmatrix.web.context import matrix_context
from optionsmatrix.web.deps import PageMatrix
from optionsmatrix.web.guard import WebActor
from optionsmatrix.web.rendering import render, templates
from optionsmatrix.web.scoring.form import (
    NORMALIZATION_NAMES,
    SAATY_CHOICES,
    WEIGHTING_MODES,
    ScoringState,
    evaluate,
    field_id,
    score_field,
)

router = APIRouter()


def score_label(ranking: Ranking) -> str:
    """What the method calls its score: "closeness", "Q", "net flow"…"""
    return explain.score_label(ranking.method)


def blank_scoring(matrix: Matrix) -> ScoringState:
    """The section's first view: no scores, the matrix's own weights."""
    return evaluate(matrix, {})


# Helpers for the scoring partials. With `blank_scoring` the partial builds its
# own first view, so the matrix page's handler need know nothing of this section.
templates.env.globals.update(
    blank_scoring=blank_scoring,
    scoring_field_id=field_id,
    score_field=score_field,
    score_label=score_label,
    saaty_choices=SAATY_CHOICES,
    weighting_modes=WEIGHTING_MODES,
    method_labels={name: spec.label for name, spec in METHODS.items()},
    normalization_names=NORMALIZATION_NAMES,
)
templates.env.filters["sig"] = significant


@router.get("/matrices/{matrix_id}/score", name="matrix_score")
def matrix_score(request: Request, matrix: PageMatrix, actor: WebActor) -> Response:
    scoring = evaluate(matrix, request.query_params)
    context = {**matrix_context(matrix, actor), "scoring": scoring}
    return render(
        request, "matrices/detail.html", context, fragment="matrices/_scoring.html", status_code=scoring.status_code
    )
