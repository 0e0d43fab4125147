"""Installation-wide values stored once in the database and shared by every worker."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from optionsmatrix.core.db import write_transaction
from optionsmatrix.core.security import new_secret
from optionsmatrix.models import AppSetting

SECRET_KEY = "secret_key"


def stored_secret_key(session: Session) -> str:
    """The generated secret key; the first worker to ask creates it, the rest read it."""
    existing = session.get(AppSetting, SECRET_KEY)
    if existing is not None:
        return existing.value
    try:
        with write_transaction(session):
            if session.get(AppSetting, SECRET_KEY, populate_existing=True) is None:
                session.add(AppSetting(key=SECRET_KEY, value=new_secret()))
    except IntegrityError:  # another worker stored one first: use theirs
        pass
    return session.get(AppSetting, SECRET_KEY, populate_existing=True).value  # type: ignore[union-attr]


BASE_URL = "base_url"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def stored_base_url(session: Session) -> str | None:
    """Where the app is reachable, as `optionsmatrix serve` recorded it (for links printed elsewhere)."""
    existing = session.get(AppSetting, BASE_URL, populate_existing=True)
    return existing.value if existing is not None else None


def remember_base_url(session: Session, url: str, *, replace: bool) -> str:
    """Record `url` (without a trailing slash) if none is stored yet, or always with `replace`; the stored one."""
    url = url.rstrip("/")
    try:
        with write_transaction(session):
            existing = session.get(AppSetting, BASE_URL, populate_existing=True)
            if existing is None:
                session.add(AppSetting(key=BASE_URL, value=url))
            elif replace:
                existing.value = url
                session.add(existing)
    except IntegrityError:  # another worker stored one first
        pass
    return stored_base_url(session) or url
