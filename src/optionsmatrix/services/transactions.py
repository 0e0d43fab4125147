"""One write, one transaction: commit, or roll back and explain."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from optionsmatrix.errors import InvalidInput


def commit(session: Session, *, conflict: InvalidInput) -> None:
    """Commit; a unique-constraint race lost to another worker becomes `conflict`.

    Services check uniqueness before writing, so this only fires when two
    requests insert the same name at the same moment.
    """
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise conflict from error
