"""Run-time settings, read once from the environment and passed explicitly.

Nothing here connects to anything: `create_app(settings)` does that, so tests
build their own settings and nothing happens at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from optionsmatrix.core.db import DatabaseLimits
from optionsmatrix.limits import MAX_BODY_BYTES, MAX_PARTICIPANTS, MAX_UPLOAD_BYTES

DEFAULT_DATABASE_URL = "sqlite:///optionsmatrix.db"
# Set by `serve` to the database it has just prepared in a child process (cli/prepare.py)
# before starting its workers, which then skip the same check: each would otherwise take
# the migration lock again and configure every ORM mapper before any request needs them.
PREPARED_BY_SERVE = "OPTIONSMATRIX_PREPARED_BY_SERVE"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Bring the schema to head (under a lock) and load the case study when the
    # app starts. Tests migrate once per run and switch both off.
    migrate_on_start: bool = True
    seed_on_start: bool = True
    # `serve` has just prepared this database (PREPARED_BY_SERVE): a worker only checks that it is at head.
    prepared_by_serve: bool = False
    max_body_bytes: int = MAX_BODY_BYTES
    max_upload_bytes: int = MAX_UPLOAD_BYTES  # only the routes that import a file (see app.py)
    # Signs CSRF tokens. Unset: generated once and kept in the database, so
    # restarts and every worker share it.
    secret_key: str | None = None
    # Failed logins per window for one email from one client address (and
    # attempts per address for joining sessions); then failed logins per
    # client address whatever the email, generous because a classroom behind
    # one NAT shares it. See services/rate_limits.py: LoginLimits.
    rate_limit_attempts: int = 10
    rate_limit_address_attempts: int = 100
    rate_limit_window_seconds: int = 60
    admin_email: str = "admin@localhost"
    session_days: int = 14
    login_token_minutes: int = 60
    password_link_hours: int = 24
    # Mark cookies Secure always (True), never (False), or when the request
    # came over HTTPS (None). Behind a TLS proxy that does not forward the
    # scheme, set OPTIONSMATRIX_SECURE_COOKIES=1.
    secure_cookies: bool | None = None
    # Cheap argon2 parameters; for tests only.
    fast_password_hashing: bool = False
    # Requests of one worker doing database work at once (the pool holds as
    # many connections), and how long a request may queue or wait for a lock
    # before it is answered 503 with Retry-After. See db.py.
    # Seminar sessions: participants per session, and wrong join codes allowed
    # per client address and window (right ones never count, so a class behind
    # one NAT joins at once).
    max_participants: int = MAX_PARTICIPANTS
    join_failures_per_address: int = 20
    db_concurrency: int = 10
    db_admission_wait_seconds: float = 6.0
    db_read_admission_wait_seconds: float = 9.0
    db_lock_wait_seconds: float = 3.0

    def database_limits(self) -> DatabaseLimits:
        return DatabaseLimits(
            concurrency=self.db_concurrency,
            admission_wait=self.db_admission_wait_seconds,
            read_admission_wait=self.db_read_admission_wait_seconds,
            lock_wait=self.db_lock_wait_seconds,
        )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "database_url": os.environ.get("OPTIONSMATRIX_DATABASE_URL") or DEFAULT_DATABASE_URL,
            "secret_key": os.environ.get("OPTIONSMATRIX_SECRET_KEY") or None,
        }
        if os.environ.get("OPTIONSMATRIX_ADMIN_EMAIL"):
            values["admin_email"] = os.environ["OPTIONSMATRIX_ADMIN_EMAIL"]
        if os.environ.get("OPTIONSMATRIX_SECURE_COOKIES"):
            values["secure_cookies"] = os.environ["OPTIONSMATRIX_SECURE_COOKIES"].lower() in ("1", "true", "yes")
        if os.environ.get("OPTIONSMATRIX_RATE_LIMIT"):
            values["rate_limit_attempts"] = int(os.environ["OPTIONSMATRIX_RATE_LIMIT"])
        if os.environ.get("OPTIONSMATRIX_MAX_PARTICIPANTS"):
            values["max_participants"] = int(os.environ["OPTIONSMATRIX_MAX_PARTICIPANTS"])
        if os.environ.get("OPTIONSMATRIX_DB_CONCURRENCY"):
            values["db_concurrency"] = int(os.environ["OPTIONSMATRIX_DB_CONCURRENCY"])
        if os.environ.get("OPTIONSMATRIX_RATE_LIMIT_PER_ADDRESS"):
            values["rate_limit_address_attempts"] = int(os.environ["OPTIONSMATRIX_RATE_LIMIT_PER_ADDRESS"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["prepared_by_serve"] = os.environ.get(PREPARED_BY_SERVE) == values["database_url"]
        return cls(**values)  # type: ignore[arg-type]
