"""`optionsmatrix admin-link | instructor create | token create`: accounts from a shell or a script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlmodel import Session

from optionsmatrix.core.security import password_hasher
from optionsmatrix.errors import InvalidInput
from optionsmatrix.limits import MAX_TOKEN_DAYS
from optionsmatrix.models import TokenKind
from optionsmatrix.services import accounts, app_settings, tokens
from optionsmatrix.settings import Settings

SETUP_PATH = "/setup/"


def add_commands(commands: argparse._SubParsersAction) -> None:
    link = commands.add_parser("admin-link", help="print a fresh one-time link to set the admin's password")
    _database_option(link)
    link.add_argument(
        "--base-url",
        default=None,
        help="where the app is reachable (default: the address `optionsmatrix serve` stored, else "
        "http://127.0.0.1:8000)",
    )
    link.set_defaults(run=_admin_link)

    instructor = commands.add_parser("instructor", help="manage instructor accounts")
    instructor_commands = instructor.add_subparsers(title="instructor commands", required=True)
    create = instructor_commands.add_parser("create", help="create an instructor account")
    create.add_argument("email")
    create.add_argument("--admin", action="store_true", help="also an admin")
    create.add_argument("--password-stdin", action="store_true", required=True, help="read the password from stdin")
    _database_option(create)
    create.set_defaults(run=_instructor_create)

    token = commands.add_parser("token", help="manage API tokens")
    token_commands = token.add_subparsers(title="token commands", required=True)
    make = token_commands.add_parser("create", help="create an API token and print it (alone) on stdout")
    make.add_argument("email")
    make.add_argument("--name", default="command line")
    make.add_argument("--expires-days", type=int, default=None)
    _database_option(make)
    make.set_defaults(run=_token_create)


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="default: $OPTIONSMATRIX_DATABASE_URL, else sqlite:///optionsmatrix.db")


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[Session]:
    from optionsmatrix.app import prepare_database
    from optionsmatrix.core.db import create_db_engine

    settings = Settings.from_env(database_url=args.database_url)
    engine = create_db_engine(settings.database_url)
    prepare_database(engine, seed=True, admin_email=settings.admin_email)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def _admin_link(args: argparse.Namespace) -> int:
    with _session(args) as session:
        admin = accounts.first_admin(session)
        if admin is None:
            print("optionsmatrix: no active admin account", file=sys.stderr)
            return 1
        secret = accounts.issue_password_link(session, instructor=admin, hours=Settings().password_link_hours)
        base_url = args.base_url or app_settings.stored_base_url(session) or app_settings.DEFAULT_BASE_URL
    print(f"Set the password for {admin.email} (valid 24 hours, once): {base_url.rstrip('/')}{SETUP_PATH}{secret}")
    return 0


def _instructor_create(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    with _session(args) as session:
        try:
            instructor = accounts.create_instructor(
                session, email=args.email, is_admin=args.admin, password=password, hasher=password_hasher()
            )
        except InvalidInput as error:
            print(f"optionsmatrix: {error.message}", file=sys.stderr)
            return 2
    print(f"created {'admin' if instructor.is_admin else 'instructor'} {instructor.email}")
    return 0


def _token_create(args: argparse.Namespace) -> int:
    if args.expires_days is not None and not 1 <= args.expires_days <= MAX_TOKEN_DAYS:
        print(f"optionsmatrix: --expires-days must be between 1 and {MAX_TOKEN_DAYS}", file=sys.stderr)
        return 2
    with _session(args) as session:
        instructor = accounts.find_by_email(session, email=args.email)
        if instructor is None or not instructor.is_active:
            print(f"optionsmatrix: no active instructor {args.email}", file=sys.stderr)
            return 1
        lifetime = timedelta(days=args.expires_days) if args.expires_days else None
        issued = tokens.issue(session, instructor=instructor, kind=TokenKind.API, name=args.name, lifetime=lifetime)
    print(issued.secret)
    return 0
