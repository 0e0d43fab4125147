"""the matrix owner's own scores

Revision ID: 0006
Revises: 0005

A matrix may keep its owner's scores: one row per option × criterion that
has a score (no row = not scored). Each row goes with its option or its
criterion (ON DELETE CASCADE). Existing matrices start with none, as the
case study ships.
Create Date: 2026-11-30 22:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders AutoString through it)
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_score_criterion_id_criterion'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['option.id'], name=op.f('fk_score_option_id_option'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score')),
    sa.UniqueConstraint('option_id', 'criterion_id', name='uq_score_option_id_criterion_id')
    )
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_criterion_id'), ['criterion_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_criterion_id'))
    op.drop_table('score')
