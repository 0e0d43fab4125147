"""The `optionsmatrix` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from optionsmatrix import __version__
from optionsmatrix.cli import accounts as cli_accounts
from optionsmatrix.cli import backup as cli_backup
from optionsmatrix.cli import files as cli_files
from optionsmatrix.cli import rank as cli_rank


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="optionsmatrix", description="A decision-matrix tool for policy seminars.")
    parser.add_argument("--version", action="version", version=f"optionsmatrix {__version__}")
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="migrate the database and start the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--database-url",
        help="sqlite:///path.db or postgresql://user@host/db (default: $OPTIONSMATRIX_DATABASE_URL, "
        "else sqlite:///optionsmatrix.db in the working directory)",
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes; more than one needs PostgreSQL (refused on SQLite)"
    )
    serve.add_argument("--admin-email", default=None, help="the first admin's email (default admin@localhost)")
    serve.add_argument(
        "--base-url",
        default=None,
        help="the address people reach the app at, e.g. https://seminar.example.org behind a proxy; stored for "
        "`admin-link` (default: http://HOST:PORT, stored on the first start only)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="trust X-Forwarded-For/-Proto from these proxy addresses (comma-separated); off by default, "
        "because a trusted but spoofable header would let clients dodge the login rate limit",
    )
    serve.set_defaults(run=_serve)
    cli_accounts.add_commands(commands)
    cli_rank.add_command(commands)
    cli_files.add_commands(commands)
    cli_backup.add_commands(commands)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from optionsmatrix.cli.logs import log_config
    from optionsmatrix.cli.prepare import PreparationFailed, prepare_in_child
    from optionsmatrix.settings import PREPARED_BY_SERVE, Settings

    if args.database_url:
        # Workers are separate processes that read the environment.
        os.environ["OPTIONSMATRIX_DATABASE_URL"] = args.database_url
    if args.admin_email:
        os.environ["OPTIONSMATRIX_ADMIN_EMAIL"] = args.admin_email
    settings = Settings.from_env()
    if args.workers > 1 and settings.database_url.split(":", 1)[0].split("+", 1)[0] == "sqlite":
        # SQLite writers take turns on a lock inside one process (see core/db.py); several
        # processes would compete for the file's lock by polling again, seconds per write.
        print(
            f"optionsmatrix: --workers {args.workers} needs PostgreSQL; SQLite is served by one worker. "
            "Use --database-url postgresql://user@host/db for more workers, or leave out --workers.",
            file=sys.stderr,
        )
        return 2
    try:
        # In a child process, so that what only migrating and seeding need stays out of this one,
        # which goes on to serve (one worker runs in this process).
        prepared = prepare_in_child(
            args.base_url or f"http://{args.host}:{args.port}", replace=args.base_url is not None
        )
    except PreparationFailed as error:
        print(f"optionsmatrix: cannot prepare the database: {error}", file=sys.stderr)
        return 1
    os.environ[PREPARED_BY_SERVE] = settings.database_url  # read by the workers' Settings.from_env
    # Where this start listens, whatever an earlier one stored, unless --base-url says otherwise.
    base_url = prepared.base_url if args.base_url is not None else f"http://{args.host}:{args.port}"
    print(f"optionsmatrix {__version__} is running at {base_url}/", flush=True)
    if prepared.link_secret is not None:
        print(
            f"No instructor can log in yet. Set the password for {prepared.admin_email} here "
            f"(valid 24 hours, works once): {base_url}{cli_accounts.SETUP_PATH}{prepared.link_secret}",
            flush=True,
        )
    uvicorn.run(
        "optionsmatrix.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=args.forwarded_allow_ips is not None,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_config=log_config(),
    )
    return 0
