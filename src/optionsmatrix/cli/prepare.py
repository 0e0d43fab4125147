"""`serve`'s first step, the database's preparation, done in a process of its own.

Migrating a new database loads Alembic, Mako and Pygments, and seeding it the
case study: about 12 MiB that would stay in the serving process for its whole
life. A short-lived child does the work (`python -m optionsmatrix.cli.prepare`)
and answers with one line of JSON; the worker then finds the schema at head and
never loads Alembic (core/migrate.py).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Prepared:
    base_url: str  # the one stored for `admin-link`
    admin_email: str | None = None
    link_secret: str | None = None  # a one-time link for an admin who cannot log in yet


class PreparationFailed(Exception):
    """The database could not be prepared; the message says why."""


def prepare_in_child(base_url: str, *, replace: bool) -> Prepared:
    """Prepare the database named by $OPTIONSMATRIX_DATABASE_URL in a child process; what `serve` prints.

    The child inherits the environment, so it reads the same settings. Its
    stderr is this process's, so migration logs and any traceback show as they happen.
    """
    options = ["--replace"] if replace else []
    command = [sys.executable, "-m", "optionsmatrix.cli.prepare", *options, "--", base_url]  # whatever it starts with
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    try:
        answer = json.loads(child.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise PreparationFailed(f"the preparing process ended with status {child.returncode}") from None
    if "error" in answer:
        raise PreparationFailed(answer["error"])
    return Prepared(**answer)


def prepare(base_url: str, *, replace: bool) -> Prepared:
    """Migrate, make sure an admin exists, load the case study on a new installation, remember the base URL."""
    from sqlmodel import Session

    from optionsmatrix.app import prepare_database
    from optionsmatrix.core.db import create_db_engine
    from optionsmatrix.services.app_settings import remember_base_url
    from optionsmatrix.settings import Settings

    settings = Settings.from_env()
    engine = create_db_engine(settings.database_url)
    try:
        first_run = prepare_database(
            engine, seed=settings.seed_on_start, admin_email=settings.admin_email, issue_link=True
        )
        with Session(engine) as session:
            # An explicit --base-url always wins; otherwise the first start's address stays.
            stored = remember_base_url(session, base_url, replace=replace)
    finally:
        engine.dispose()
    if first_run is None or first_run.link_secret is None:
        return Prepared(base_url=stored)
    return Prepared(base_url=stored, admin_email=first_run.admin.email, link_secret=first_run.link_secret)


def main(argv: Sequence[str]) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    parser = argparse.ArgumentParser(prog="python -m optionsmatrix.cli.prepare", description=prepare.__doc__)
    parser.add_argument("base_url", help="the address to store, unless one is stored already")
    parser.add_argument("--replace", action="store_true", help="store it even if one is stored already")
    args = parser.parse_args(argv)
    answer_to = sys.stdout
    sys.stdout = sys.stderr  # the last line on stdout is the answer; anything else printed goes to stderr
    try:
        answer = asdict(prepare(args.base_url, replace=args.replace))
    except (SQLAlchemyError, ValueError, OSError) as error:  # OSError: e.g. no folder for the SQLite file
        answer, status = {"error": str(error)}, 1
    else:
        status = 0
    print(json.dumps(answer), file=answer_to, flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
