"""instructors, tokens and matrix ownership

Revision ID: 0002
Revises: 0001

Accounts arrive: instructors, bearer tokens and browser sessions (stored as
digests), one-time password links, rate-limit counters and a place for the
generated secret key. Matrices gain an owner and a public flag. A database
that already holds matrices gets an admin account (no password yet: `serve`
prints a link to set one) who owns them, and the case study stays public.
Create Date: 2026-11-25 15:20:45.958392
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders AutoString through it)
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting'))
    )
    op.create_table('instructor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('is_admin', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instructor')),
    sa.UniqueConstraint('email', name=op.f('uq_instructor_email'))
    )
    op.create_table('rate_limit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_event'))
    )
    with op.batch_alter_table('rate_limit_event', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_event_key_at', ['key', 'at'], unique=False)

    op.create_table('auth_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instructor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('api', 'login', 'session')", name=op.f('ck_auth_token_kind_known')),
    sa.ForeignKeyConstraint(['instructor_id'], ['instructor.id'], name=op.f('fk_auth_token_instructor_id_instructor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_token')),
    sa.UniqueConstraint('digest', name=op.f('uq_auth_token_digest'))
    )
    with op.batch_alter_table('auth_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_token_instructor_id'), ['instructor_id'], unique=False)

    op.create_table('password_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instructor_id', sa.Integer(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['instructor_id'], ['instructor.id'], name=op.f('fk_password_link_instructor_id_instructor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_link')),
    sa.UniqueConstraint('digest', name=op.f('uq_password_link_digest'))
    )
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_link_instructor_id'), ['instructor_id'], unique=False)

    with op.batch_alter_table('matrix', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_matrix_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_matrix_owner_id_instructor'), 'instructor', ['owner_id'], ['id'], ondelete='SET NULL')

    _adopt_existing_matrices()


# Fixed here rather than imported: a revision must keep meaning what it meant
# when it was written, whatever the package later calls things.
CASE_STUDY_TITLE = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"
DEFAULT_ADMIN_EMAIL = "admin@localhost"


def _adopt_existing_matrices() -> None:
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT count(*) FROM matrix")).scalar():
        return
    config = op.get_context().config
    email = (config.attributes.get("admin_email") if config is not None else None) or DEFAULT_ADMIN_EMAIL
    email = email.strip().lower()  # logins look addresses up lower-cased
    instructor = sa.table(
        "instructor",
        sa.column("id", sa.Integer), sa.column("email", sa.String), sa.column("is_admin", sa.Boolean),
        sa.column("is_active", sa.Boolean), sa.column("created_at", sa.DateTime(timezone=True)),
    )
    bind.execute(
        instructor.insert().values(email=email, is_admin=True, is_active=True, created_at=datetime.now(UTC))
    )
    admin_id = bind.execute(sa.select(instructor.c.id).where(instructor.c.email == email)).scalar_one()
    matrix = sa.table("matrix", sa.column("owner_id", sa.Integer), sa.column("is_public", sa.Boolean), sa.column("title", sa.String))
    bind.execute(matrix.update().values(owner_id=admin_id))
    bind.execute(matrix.update().where(matrix.c.title == CASE_STUDY_TITLE).values(is_public=True))



def downgrade() -> None:
    with op.batch_alter_table('matrix', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_matrix_owner_id_instructor'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_matrix_owner_id'))
        batch_op.drop_column('is_public')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_link_instructor_id'))

    op.drop_table('password_link')
    with op.batch_alter_table('auth_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_token_instructor_id'))

    op.drop_table('auth_token')
    with op.batch_alter_table('rate_limit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_rate_limit_event_key_at')

    op.drop_table('rate_limit_event')
    op.drop_table('instructor')
    op.drop_table('app_setting')
