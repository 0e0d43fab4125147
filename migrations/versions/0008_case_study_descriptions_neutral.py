"""the case study's option descriptions say what an option does, not what it achieves

Revision ID: 0008
Revises: 0007

The case study shipped the logistics option with "freeing civilian agencies
for other work": an argument for it, in the tool's own voice. Wherever that
description stands exactly as shipped (the case study, and any copy of it
whose owner left it alone), it becomes the neutral one the case study now
ships with, and the matrix's version counts the edit. A description anyone
changed is left as they wrote it. Create Date: 2026-12-01 13:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPTION = "Military transport and facilities for detention and repatriation"
SHIPPED = (
    "Military aircraft, vehicles and bases are used to hold and return people who crossed illegally, "
    "freeing civilian agencies for other work."
)
NEUTRAL = (
    "Military aircraft, vehicles and bases are used to detain people who crossed the border illegally "
    "and to return them to their countries."
)


def upgrade() -> None:
    _replace(SHIPPED, NEUTRAL)


def downgrade() -> None:
    _replace(NEUTRAL, SHIPPED)


def _replace(old: str, new: str) -> None:
    connection = op.get_bind()
    where = "name = :name AND description = :old"
    values = {"name": OPTION, "old": old, "new": new}
    connection.execute(
        sa.text(f"UPDATE matrix SET version = version + 1 WHERE id IN (SELECT matrix_id FROM option WHERE {where})"),
        values,
    )
    connection.execute(sa.text(f"UPDATE option SET description = :new WHERE {where}"), values)
