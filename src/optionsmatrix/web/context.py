"""What every matrix template needs, built in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from optionsmatrix.models import Matrix
from optionsmatrix.services.access import Actor, can_edit
from optionsmatrix.services.labels import display_name, has_short_name
from optionsmatrix.services.matrices import all_weights_zero, ladder, options_in_order
from optionsmatrix.web.scoring.form import TEMPLATE_HELPERS, ScoringState, evaluate


@dataclass
class EditState:
    """Which form on the matrix page is open, and what it holds after a failed save."""

    section: str | None = None  # "options", "criteria" or "header"
    item_id: int | None = None  # None with section set means the "add" form
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    stale: bool = False  # the matrix changed since the form was rendered (errors["form"] says so)

    def editing(self, section: str, item_id: int | None) -> bool:
        return self.section == section and self.item_id == item_id


def matrix_context(
    matrix: Matrix,
    actor: Actor,
    edit: EditState | None = None,
    *,
    scoring: ScoringState | None = None,
    with_scoring: bool = True,
) -> dict[str, object]:
    """The matrix page's context; its scoring section shows `scoring`, or the blank form.

    `with_scoring` False skips the scoring section's first view for answers
    that do not show it (an htmx fragment of another section).
    """
    total_weight = sum(c.weight for c in matrix.criteria)
    shares = {c.id: (c.weight / total_weight if total_weight else 0.0) for c in matrix.criteria}
    options = ladder(matrix)
    return {
        "matrix": matrix,
        "ladder": options,  # by level: the ladder view only
        "options": options_in_order(matrix),  # by position: the list, and everything else
        "levels": sorted({o.escalation_level for o in options}),
        "display_name": display_name,
        "has_short_name": has_short_name,
        "shared": False,  # True on /shared/{secret}: read-only, whoever looks
        "criteria": list(matrix.criteria),
        "weight_shares": shares,
        "weights_all_zero": all_weights_zero(matrix),
        "edit": edit or EditState(),
        "can_edit": can_edit(actor, matrix),
        "can_copy": actor.instructor is not None,
        **TEMPLATE_HELPERS,
        **({"scoring": scoring or evaluate(matrix, {})} if with_scoring or scoring is not None else {}),
    }
