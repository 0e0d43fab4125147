"""short names, scale meanings, matrix versions and share links

Revision ID: 0005
Revises: 0004

Options and criteria get an optional short name (for table headers and
charts) and criteria the meaning of their scale's ends; matrices carry a
version that every change bumps (a write sent with a stale one is refused);
a matrix may have one read-only share link.

Data: an existing installation's case study, if nobody has edited it, gets
the short names and scale meanings the shipped case study now carries. It is
recognised the way `casestudy/` defines it: its title, and a fingerprint of
everything the shipped definition set at revision 0004 (texts, levels,
directions, weights, scales, in order). One changed word and it is left alone.
The values are written out here, not read from the package's data file, so
this revision keeps doing the same thing whatever the file says later.
Create Date: 2026-11-30 18:50:00
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders AutoString through it)
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_STUDY_TITLE = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"
# sha256 of _fingerprint_content() for the case study as shipped up to 0004.
CASE_STUDY_FINGERPRINT = "de21819851b4b85f023565a742302fdbfc718cf9afb548041cc2d5c2e12a5114"

OPTION_SHORT_NAMES = {
    "Bolster CBP capacity with military support (infrastructure construction, logistics support, surveillance)":
        "CBP support",
    "Military transport and facilities for detention and repatriation": "Logistics",
    "Interception of cartel drones around the border": "Drone interception",
    "Joint military action against cartels, with Mexico's approval": "Joint action",
    "Unilateral U.S. military action on Mexican territory": "Unilateral action",
}
# name: (short name, what 1 means, what 5 means)
CRITERION_LABELS = {
    "Disruption of cartel supply chains": ("Supply-chain disruption", "little disruption", "major disruption"),
    "Leverage over the Mexican government and cartels": ("Leverage", "little leverage", "great leverage"),
    "Risk of an undesirable response (Mexican government, cartels)": ("Risk", "low risk", "high risk"),
    "Cost to military readiness elsewhere": ("Readiness cost", "low cost", "high cost"),
    "Funding and resources required": ("Funding", "little needed", "much needed"),
    "Legal authority and precedent": ("Legal basis", "weak basis", "strong basis"),
    "Scalability of the response": ("Scalability", "hard to scale", "easy to scale"),
    "Progress toward the stated end state (Mexico re-assumes the primary role against the cartels)":
        ("End state", "little progress", "great progress"),
}  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table('matrix', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('option', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_name', sa.String(length=40), server_default='', nullable=False))
        batch_op.create_index('uq_option_matrix_id_short_name', ['matrix_id', 'short_name'], unique=True,
                              sqlite_where=sa.text("short_name <> ''"), postgresql_where=sa.text("short_name <> ''"))

    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_name', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('scale_low_label', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('scale_high_label', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_index('uq_criterion_matrix_id_short_name', ['matrix_id', 'short_name'], unique=True,
                              sqlite_where=sa.text("short_name <> ''"), postgresql_where=sa.text("short_name <> ''"))

    op.create_table('share_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matrix_id', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['matrix_id'], ['matrix.id'], name=op.f('fk_share_link_matrix_id_matrix'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_link')),
    sa.UniqueConstraint('matrix_id', name=op.f('uq_share_link_matrix_id')),
    sa.UniqueConstraint('secret', name=op.f('uq_share_link_secret'))
    )

    _fill_the_unedited_case_study(op.get_bind())


def downgrade() -> None:
    op.drop_table('share_link')
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.drop_index('uq_criterion_matrix_id_short_name')
        batch_op.drop_column('scale_high_label')
        batch_op.drop_column('scale_low_label')
        batch_op.drop_column('short_name')
    with op.batch_alter_table('option', schema=None) as batch_op:
        batch_op.drop_index('uq_option_matrix_id_short_name')
        batch_op.drop_column('short_name')
    with op.batch_alter_table('matrix', schema=None) as batch_op:
        batch_op.drop_column('version')


def _fill_the_unedited_case_study(connection: sa.Connection) -> None:
    candidates = connection.execute(
        sa.text("SELECT id, title, description, source FROM matrix WHERE title = :title"),
        {"title": CASE_STUDY_TITLE},
    ).all()
    for matrix_id, title, description, source in candidates:
        options = connection.execute(
            sa.text("SELECT id, name, description, escalation_level, evidence FROM option "
                    "WHERE matrix_id = :m ORDER BY position, id"), {"m": matrix_id}
        ).all()  # fmt: skip
        criteria = connection.execute(
            sa.text("SELECT id, name, description, direction, weight, scale_min, scale_max, evidence FROM criterion "
                    "WHERE matrix_id = :m ORDER BY position, id"), {"m": matrix_id}
        ).all()  # fmt: skip
        content = {
            "title": title, "description": description, "source": source,
            "options": [[o.name, o.description, o.escalation_level, o.evidence] for o in options],
            "criteria": [
                [c.name, c.description, c.direction, float(c.weight), float(c.scale_min), float(c.scale_max),
                 c.evidence]
                for c in criteria
            ],
        }  # fmt: skip
        digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        if digest != CASE_STUDY_FINGERPRINT:
            continue  # edited (or only named like it): leave it as its owner made it
        for option in options:
            connection.execute(
                sa.text("UPDATE option SET short_name = :short WHERE id = :id"),
                {"short": OPTION_SHORT_NAMES[option.name], "id": option.id},
            )
        for criterion in criteria:
            short, low, high = CRITERION_LABELS[criterion.name]
            connection.execute(
                sa.text("UPDATE criterion SET short_name = :short, scale_low_label = :low, "
                        "scale_high_label = :high WHERE id = :id"),
                {"short": short, "low": low, "high": high, "id": criterion.id},
            )  # fmt: skip
        connection.execute(sa.text("UPDATE matrix SET version = version + 1 WHERE id = :m"), {"m": matrix_id})
