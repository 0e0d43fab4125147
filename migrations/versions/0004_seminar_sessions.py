"""seminar sessions

Revision ID: 0004
Revises: 0002

A room scores a matrix together: a session freezes the matrix's options and
criteria into rows of its own (each remembering its source), has rounds, and
participants who join with a code; every ballot revision is kept. Only
sessions that are open hold a join code uniquely (a partial unique index).
Create Date: 2026-11-30 16:35:06.877630
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders AutoString through it)
from alembic import op

revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('seminar_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('matrix_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('join_code', sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('weight_mode', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('normalization', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('reveal_new_rounds', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('current_round', sa.Integer(), nullable=False),
    sa.Column('max_participants', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_seminar_session_status_known')),
    sa.CheckConstraint("weight_mode IN ('fixed', 'participant')", name=op.f('ck_seminar_session_weight_mode_known')),
    sa.ForeignKeyConstraint(['matrix_id'], ['matrix.id'], name=op.f('fk_seminar_session_matrix_id_matrix'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['instructor.id'], name=op.f('fk_seminar_session_owner_id_instructor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seminar_session'))
    )
    with op.batch_alter_table('seminar_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seminar_session_matrix_id'), ['matrix_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seminar_session_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('uq_seminar_session_open_join_code', ['join_code'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['seminar_session.id'], name=op.f('fk_participant_session_id_seminar_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('digest', name=op.f('uq_participant_digest'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_session_id'), ['session_id'], unique=False)

    op.create_table('session_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('source_criterion_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('short_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('scale_min', sa.Float(), nullable=False),
    sa.Column('scale_max', sa.Float(), nullable=False),
    sa.Column('scale_low_label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('scale_high_label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['seminar_session.id'], name=op.f('fk_session_criterion_session_id_seminar_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_criterion'))
    )
    with op.batch_alter_table('session_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_criterion_session_id'), ['session_id'], unique=False)

    op.create_table('session_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('source_option_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('short_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['seminar_session.id'], name=op.f('fk_session_option_session_id_seminar_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_option'))
    )
    with op.batch_alter_table('session_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_option_session_id'), ['session_id'], unique=False)

    op.create_table('session_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('revealed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['seminar_session.id'], name=op.f('fk_session_round_session_id_seminar_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_round')),
    sa.UniqueConstraint('session_id', 'number', name='uq_session_round_session_id_number')
    )
    with op.batch_alter_table('session_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_round_session_id'), ['session_id'], unique=False)

    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.Column('weights', sa.Text(), nullable=True),
    sa.Column('rationales', sa.Text(), nullable=False),
    sa.Column('scored_cells', sa.Integer(), nullable=False),
    sa.Column('complete', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_ballot_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['session_round.id'], name=op.f('fk_ballot_round_id_session_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
    sa.UniqueConstraint('participant_id', 'round_id', 'version', name='uq_ballot_participant_id_round_id_version')
    )
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_round_id'), ['round_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_round_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_participant_id'))

    op.drop_table('ballot')
    with op.batch_alter_table('session_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_round_session_id'))

    op.drop_table('session_round')
    with op.batch_alter_table('session_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_option_session_id'))

    op.drop_table('session_option')
    with op.batch_alter_table('session_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_criterion_session_id'))

    op.drop_table('session_criterion')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_session_id'))

    op.drop_table('participant')
    with op.batch_alter_table('seminar_session', schema=None) as batch_op:
        batch_op.drop_index('uq_seminar_session_open_join_code', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_seminar_session_owner_id'))
        batch_op.drop_index(batch_op.f('ix_seminar_session_matrix_id'))

    op.drop_table('seminar_session')
