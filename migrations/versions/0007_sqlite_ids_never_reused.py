"""ids never reused on SQLite

Revision ID: 0007
Revises: 0006

SQLite gives a new row the highest id in its table plus one, so deleting
the newest option and adding another gave the new one the old one's id. A
session's snapshot names the matrix option and criterion it froze by that
id (`source_option_id`, `source_criterion_id`), and comparisons match the
options and criteria of several sessions by it: a later session's new
option passed for the deleted one. AUTOINCREMENT makes SQLite never hand
out an id again, as PostgreSQL's sequences never do (nothing changes
there). The tables whose ids outlive their rows in other rows, files or
links get it: matrices, options, criteria, sessions and participants.

Each table is rebuilt with its rows, constraints and indexes (Alembic's
batch copy, foreign keys off meanwhile: migrate.py), and its counter starts
above every id a session snapshot still names, so not even an id deleted
before this upgrade comes back. Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("matrix", "option", "criterion", "seminar_session", "participant")
# Ids that rows elsewhere still name after the row itself is gone.
REMEMBERED = {
    "matrix": (),
    "option": (("session_option", "source_option_id"),),
    "criterion": (("session_criterion", "source_criterion_id"),),
    "seminar_session": (),
    "participant": (),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
        highest = [f"(SELECT max(id) FROM {table})"]
        highest += [f"(SELECT max({column}) FROM {other})" for other, column in REMEMBERED[table]]
        # sqlite_sequence holds a row for the table once one id has been given out: replace it either way.
        op.execute(f"DELETE FROM sqlite_sequence WHERE name = '{table}'")
        op.execute(
            f"INSERT INTO sqlite_sequence (name, seq) "
            f"SELECT '{table}', max({', '.join(f'coalesce({h}, 0)' for h in highest)}, 0)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in reversed(TABLES):
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
