"""Sharing a matrix: public or private, and one revocable read-only link for people without an account.

Co-instructors are not part of this: a link only ever lets its holder read.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.errors import NotFound
from optionsmatrix.models import Matrix, ShareLink
from optionsmatrix.services.matrix_rows import get_matrix, lock_matrix

# 24 random bytes, 32 URL-safe characters: unguessable, and short enough to paste.
SHARE_SECRET_BYTES = 24


def current_link(session: Session, *, matrix: Matrix) -> ShareLink | None:
    return session.exec(select(ShareLink).where(ShareLink.matrix_id == matrix.id)).first()


def create_link(session: Session, *, matrix: Matrix) -> ShareLink:
    """A new link; any earlier one stops working in the same transaction.

    Not a change of the matrix itself, so its version stays as it is.
    """
    with write_transaction(session):
        matrix = lock_matrix(session, matrix)  # two owners' tabs replacing at once take turns
        earlier = current_link(session, matrix=matrix)
        if earlier is not None:
            session.delete(earlier)
            session.flush()  # the unique matrix_id must be free before the new row goes in
        link = ShareLink(matrix_id=matrix.id, secret=secrets.token_urlsafe(SHARE_SECRET_BYTES))  # type: ignore[arg-type]
        session.add(link)
    return link


def revoke_link(session: Session, *, matrix: Matrix) -> None:
    """Stop the current link working; NotFound when there is none."""
    with write_transaction(session):
        matrix = lock_matrix(session, matrix)
        link = current_link(session, matrix=matrix)
        if link is None:
            raise NotFound("Share link of matrix", matrix.id)
        session.delete(link)


def shared_matrix(session: Session, *, secret: str) -> Matrix:
    """The matrix a link shows, whoever asks; an unknown or revoked secret is NotFound (nothing else is said)."""
    if not 0 < len(secret) <= 64:
        raise NotFound("Shared matrix", "link")
    link = session.exec(select(ShareLink).where(ShareLink.secret == secret)).first()
    if link is None:
        raise NotFound("Shared matrix", "link")
    return get_matrix(session, matrix_id=link.matrix_id)
