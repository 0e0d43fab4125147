"""Attempt counters kept in the database, so a limit holds across every worker."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlmodel import Session, col, delete, func, select

from optionsmatrix.db import write_transaction
from optionsmatrix.models import RateLimitEvent, as_utc, utcnow


def record_attempt(session: Session, *, key: str, limit: int, window_seconds: int) -> int | None:
    """Count this attempt; return the seconds to wait when it is over the limit, else None.

    The attempt is written before counting, so concurrent attempts from
    several workers cannot all slip under the limit together.
    """
    now = utcnow()
    window_start = now - timedelta(seconds=window_seconds)
    with write_transaction(session):
        session.exec(delete(RateLimitEvent).where(col(RateLimitEvent.at) < window_start))  # type: ignore[call-overload]
        session.add(RateLimitEvent(key=key, at=now))
        session.flush()
        count, oldest = session.exec(
            select(func.count(), func.min(RateLimitEvent.at)).where(
                RateLimitEvent.key == key, col(RateLimitEvent.at) >= window_start
            )
        ).one()
    if count <= limit:
        return None
    wait = (as_utc(oldest) + timedelta(seconds=window_seconds) - now).total_seconds()
    return max(1, math.ceil(wait))


def record_client_attempt(session: Session, *, settings, action: str, client: str) -> int | None:  # noqa: ANN001
    """`record_attempt` for one action (login, join) from one client address, with the configured limit."""
    return record_attempt(
        session,
        key=f"{action}:{client}",
        limit=settings.rate_limit_attempts,
        window_seconds=settings.rate_limit_window_seconds,
    )
