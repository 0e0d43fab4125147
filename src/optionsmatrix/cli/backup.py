"""`optionsmatrix backup FILE` and `optionsmatrix restore FILE`: the whole database, to a file and back.

Exit codes: 0 done; 1 refused or failed, nothing changed; 2 the file is not a
backup this version can restore here, nothing changed.

core.backup (Alembic, psycopg) is imported by the commands themselves: every
command's parser is built when `serve` starts, and a worker runs in that process.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from optionsmatrix.cli.accounts import _database_option
from optionsmatrix.settings import Settings

REFUSED = 1
BAD_INPUT = 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    make = commands.add_parser(
        "backup",
        help="write a backup of the whole database to FILE (safe while the server runs)",
        description="SQLite: a copy made with SQLite's online backup API, itself an SQLite database. "
        "PostgreSQL: a pg_dump archive (custom format) of the app's schema; needs pg_dump.",
    )
    make.add_argument("file", metavar="FILE", type=Path)
    make.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _database_option(make)
    make.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore",
        help="restore a backup made by `optionsmatrix backup` into the database",
        description="Checks FILE first, then fills the database with it, all or nothing, and migrates it to this "
        "version's schema if it is older. A database that holds data is replaced only with --force. Stop the "
        "server while restoring. PostgreSQL: needs pg_restore and psql.",
    )
    restore.add_argument("file", metavar="FILE", type=Path)
    restore.add_argument("--force", action="store_true", help="replace a database that holds data")
    _database_option(restore)
    restore.set_defaults(run=_restore)


def _backup(args: argparse.Namespace) -> int:
    from optionsmatrix.core import backup as backups

    settings = Settings.from_env(database_url=args.database_url)
    if args.file.exists() and not args.force:
        print(f"optionsmatrix backup: {args.file} exists; choose another name, or --force to replace it",
              file=sys.stderr)  # fmt: skip
        return REFUSED
    try:
        info = backups.backup(settings.database_url, args.file)
        counts = backups.count_rows(settings.database_url)
    except (backups.BackupFailed, backups.NotABackup) as problem:
        print(f"optionsmatrix backup: {problem}", file=sys.stderr)
        return REFUSED
    except SQLAlchemyError as error:
        print(f"optionsmatrix backup: cannot read the database: {_reason(error)}", file=sys.stderr)
        return REFUSED
    print(f"wrote a backup of the {info.kind} database to {args.file}: schema revision {info.revision}, "
          f"{_counted(counts)}")  # fmt: skip
    return 0


def _restore(args: argparse.Namespace) -> int:
    from optionsmatrix.core import backup as backups

    settings = Settings.from_env(database_url=args.database_url)
    try:
        plan = backups.plan_restore(settings.database_url, args.file)
    except backups.NotABackup as problem:
        print(f"optionsmatrix restore: {problem}; nothing was changed", file=sys.stderr)
        return BAD_INPUT
    except backups.BackupFailed as problem:
        print(f"optionsmatrix restore: {problem}", file=sys.stderr)
        return REFUSED
    except SQLAlchemyError as error:
        print(f"optionsmatrix restore: cannot open the database to restore into, nothing was changed: "
              f"{_reason(error)}", file=sys.stderr)  # fmt: skip
        return REFUSED
    print(plan.describe())
    if plan.target.holds_data and not args.force:
        print("optionsmatrix restore: refused, nothing was changed: the database holds data; "
              "run again with --force to replace it", file=sys.stderr)  # fmt: skip
        return REFUSED
    try:
        counts = backups.restore(plan, force=args.force, admin_email=settings.admin_email)
    except (backups.BackupFailed, backups.RestoreRefused) as problem:
        print(f"optionsmatrix restore: {problem}", file=sys.stderr)
        return REFUSED
    except SQLAlchemyError as error:  # the restore is in; migrating it failed
        print(f"optionsmatrix restore: the backup was restored, but migrating it to this version's schema failed: "
              f"{_reason(error)}", file=sys.stderr)  # fmt: skip
        return REFUSED
    print(f"restored: {_counted(counts)}")
    return 0


def _reason(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip()


def _counted(counts: dict[str, int]) -> str:
    words = {"matrix": ("matrix", "matrices"), "seminar_session": ("session", "sessions"),
             "participant": ("participant", "participants"), "ballot": ("ballot", "ballots")}  # fmt: skip
    return ", ".join(f"{counts[table]} {word[counts[table] != 1]}" for table, word in words.items())
