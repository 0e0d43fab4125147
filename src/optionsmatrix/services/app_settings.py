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
