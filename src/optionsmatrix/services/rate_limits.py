"""Attempt counters kept in the database, so a limit holds across every worker."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from sqlmodel import Session, col, delete, func, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.core.security import digest
from optionsmatrix.errors import InvalidInput, NotFound
from optionsmatrix.models import RateLimitEvent, as_utc, utcnow
from optionsmatrix.services.accounts import normalize_email

Account = TypeVar("Account")


def record_attempt(session: Session, *, key: str, limit: int, window_seconds: int) -> int | None:
    """Count this attempt; return the seconds to wait when it is over the limit, else None.

    The attempt is written before counting, so concurrent attempts from
    several workers cannot all slip under the limit together.
    """
    now = utcnow()
    window_start = now - timedelta(seconds=window_seconds)
    with write_transaction(session):
        _forget_before(session, window_start)
        session.add(RateLimitEvent(key=key, at=now))
    count = _count(session, key, window_start)
    return _wait(session, key, window_start, window_seconds, count - limit) if count > limit else None


# Logging in ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed per window, counted two ways.

    - `per_account_and_address` (strict, 10 by default): failures for one
      email address from one client address. It stops password guessing
      against one account, and it cannot lock anyone else out: not another
      instructor behind the same classroom NAT, and not this instructor
      from anywhere else.
    - `per_address` (generous, 100): failures from one client address
      whatever the email, so that one address cannot try password after
      password across every account. A classroom behind one NAT shares it,
      so it is set well above what a room of people mistyping can reach.

    Only failures count: a classroom logging in together uses none of it,
    and a success forgives that account's failures from that address.

    There is deliberately no limit per account across addresses: whoever
    could reach it (a botnet, or a class that knows an instructor's email)
    would lock that instructor out everywhere. Guessing from many addresses
    is slowed instead by argon2id and by the per-address limit of each.
    """

    per_account_and_address: int
    per_address: int
    window_seconds: int

    @classmethod
    def from_settings(cls, settings) -> LoginLimits:  # noqa: ANN001
        return cls(
            settings.rate_limit_attempts, settings.rate_limit_address_attempts, settings.rate_limit_window_seconds
        )


@dataclass(frozen=True)
class LoginOutcome(Generic[Account]):
    account: Account | None  # whom `authenticate` returned, on success
    retry_after: int | None  # seconds, when refused without checking the password


def limited_login(
    session: Session, *, limits: LoginLimits, email: str, client: str, authenticate: Callable[[], Account | None]
) -> LoginOutcome[Account]:
    """Run `authenticate` unless this email from this address, or this address, has failed too often.

    A failure is written *before* the password is checked, and withdrawn if
    the check succeeds, so simultaneous guesses from several workers all
    see each other; an attempt refused by the limit is withdrawn too, so
    waiting the announced Retry-After is enough.
    """
    now = utcnow()
    window_start = now - timedelta(seconds=limits.window_seconds)
    account_key, address_key = _login_keys(email, client)
    pending = [RateLimitEvent(key=account_key, at=now), RateLimitEvent(key=address_key, at=now)]
    with write_transaction(session):
        _forget_before(session, window_start)
        session.add_all(pending)

    waits = []
    for key, limit in ((account_key, limits.per_account_and_address), (address_key, limits.per_address)):
        count = _count(session, key, window_start)
        if count > limit:
            waits.append(_wait(session, key, window_start, limits.window_seconds, count - limit, excluding=pending))
    if waits:
        _withdraw(session, pending)
        return LoginOutcome(account=None, retry_after=max(waits))

    account = authenticate()
    if account is not None:
        _withdraw(session, pending, also_key=account_key)  # forgiven: the owner knows the password
    return LoginOutcome(account=account, retry_after=None)


def _login_keys(email: str, client: str) -> tuple[str, str]:
    try:
        account = normalize_email(email)
    except InvalidInput:
        account = email.strip().casefold()  # no such account; still counted, as guesses at one
    # Digests keep keys short (the column holds 200) and the table free of addresses.
    return (f"login:account+address:{digest(account + chr(10) + client)}", f"login:address:{digest(client)}")


def _withdraw(session: Session, events: list[RateLimitEvent], *, also_key: str | None = None) -> None:
    ids = [event.id for event in events]
    condition = col(RateLimitEvent.id).in_(ids)
    if also_key is not None:
        condition = condition | (col(RateLimitEvent.key) == also_key)
    with write_transaction(session):
        session.exec(delete(RateLimitEvent).where(condition))  # type: ignore[call-overload]


# Counting --------------------------------------------------------------------------


def _forget_before(session: Session, moment: datetime) -> None:
    session.exec(delete(RateLimitEvent).where(col(RateLimitEvent.at) < moment))  # type: ignore[call-overload]


def _count(session: Session, key: str, window_start: datetime) -> int:
    return session.exec(
        select(func.count()).where(RateLimitEvent.key == key, col(RateLimitEvent.at) >= window_start)
    ).one()


def _wait(
    session: Session,
    key: str,
    window_start: datetime,
    window_seconds: int,
    over: int,
    *,
    excluding: list[RateLimitEvent] | None = None,
) -> int:
    """Seconds until `over` of the key's events have left the window, so that one more attempt fits.

    `excluding` are events about to be withdrawn, which do not count.
    """
    skipped = [event.id for event in excluding or []]
    query = select(RateLimitEvent.at).where(RateLimitEvent.key == key, col(RateLimitEvent.at) >= window_start)
    if skipped:
        query = query.where(col(RateLimitEvent.id).not_in(skipped))
    remaining = over - (1 if skipped else 0)  # our own attempt is among the `over`, and will be withdrawn
    releasing = session.exec(
        query.order_by(col(RateLimitEvent.at), col(RateLimitEvent.id)).offset(remaining).limit(1)
    ).first()
    if releasing is None:  # withdrawn meanwhile by a success; retry at once
        return 1
    wait = (as_utc(releasing) + timedelta(seconds=window_seconds) - utcnow()).total_seconds()
    return max(1, math.ceil(wait))


# Joining a session ----------------------------------------------------------------


class JoinLimited(Exception):  # noqa: N818 - a refusal, raised to the route
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many wrong codes; retry in {retry_after} s")
        self.retry_after = retry_after


def limited_join(session: Session, *, settings, client: str, join: Callable[[], Account]) -> Account:  # noqa: ANN001
    """Run `join` unless this address has sent too many wrong codes lately; a wrong code (NotFound) counts.

    Only failures count, so a whole class behind one NAT joins at once, while
    guessing codes from one address stops after a few tries a minute.
    """
    window = settings.rate_limit_window_seconds
    window_start = utcnow() - timedelta(seconds=window)
    key = f"join:address:{digest(client)}"
    count = _count(session, key, window_start)
    if count >= settings.join_failures_per_address:
        raise JoinLimited(_wait(session, key, window_start, window, count - settings.join_failures_per_address + 1))
    try:
        return join()
    except NotFound:
        with write_transaction(session):
            _forget_before(session, window_start)
            session.add(RateLimitEvent(key=key, at=utcnow()))
        raise
