"""Bearer tokens and browser sessions: issue, resolve, list, revoke."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, func, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.core.security import digest, new_secret
from optionsmatrix.errors import NotFound
from optionsmatrix.models import AuthToken, Instructor, TokenKind, as_utc, utcnow

# Recording every use would turn each API read into a write; a minute's
# precision is enough for "last used".
LAST_USED_PRECISION = timedelta(minutes=1)
BEARER_KINDS = (TokenKind.API.value, TokenKind.LOGIN.value)


@dataclass(frozen=True)
class IssuedToken:
    token: AuthToken
    secret: str  # shown once, never stored


def issue(
    session: Session, *, instructor: Instructor, kind: TokenKind, name: str = "", lifetime: timedelta | None = None
) -> IssuedToken:
    with write_transaction(session):
        return _new(session, instructor=instructor, kind=kind, name=name, lifetime=lifetime)


def _new(
    session: Session, *, instructor: Instructor, kind: TokenKind, name: str, lifetime: timedelta | None
) -> IssuedToken:
    secret = new_secret()
    token = AuthToken(
        instructor_id=instructor.id,
        kind=kind.value,
        name=name,
        digest=digest(secret),
        expires_at=utcnow() + lifetime if lifetime is not None else None,
    )
    session.add(token)
    return IssuedToken(token=token, secret=secret)


def newest_api_token_id(session: Session, *, instructor: Instructor) -> int:
    """The id of the instructor's newest API token (0 for none): what a form remembers
    so that sending it again can be told apart from asking for another token."""
    newest = session.exec(
        select(func.max(AuthToken.id)).where(
            AuthToken.instructor_id == instructor.id, AuthToken.kind == TokenKind.API.value
        )
    ).one()
    return newest or 0


def issue_api_token_once(
    session: Session, *, instructor: Instructor, name: str, lifetime: timedelta | None, seen_newest: int
) -> IssuedToken | None:
    """A new API token, unless one of this name was made since the form showed `seen_newest`.

    The tokens page answers its post with the secret itself (the secret must
    not travel in a cookie or be stored), so reloading that answer posts the
    form again. A token of the same name made after the form was shown means
    exactly that: None, and no second token. The instructor's row is locked
    first, so a double click cannot slip two tokens past the check.
    """
    with write_transaction(session):
        _lock_instructor(session, instructor)
        repeated = session.exec(
            select(AuthToken.id).where(
                AuthToken.instructor_id == instructor.id,
                AuthToken.kind == TokenKind.API.value,
                AuthToken.name == name,
                col(AuthToken.id) > seen_newest,
            )
        ).first()
        if repeated is not None:
            return None
        return _new(session, instructor=instructor, kind=TokenKind.API, name=name, lifetime=lifetime)


def _lock_instructor(session: Session, instructor: Instructor) -> None:
    # A no-op update: a row lock on PostgreSQL, held until the commit (on
    # SQLite the write transaction already holds the database's write lock).
    session.execute(
        update(Instructor).where(col(Instructor.id) == instructor.id).values(is_active=Instructor.is_active)
    )


# Built once: every API request resolves its token, and building the statement cost as much as running it.
_RESOLVE = (
    select(AuthToken, Instructor)
    .join(Instructor, col(Instructor.id) == AuthToken.instructor_id)
    .where(AuthToken.digest == bindparam("digest"), col(AuthToken.kind).in_(bindparam("kinds", expanding=True)))
)


def resolve(session: Session, *, secret: str, kinds: tuple[str, ...]) -> Instructor | None:
    """The active instructor a live token of one of `kinds` stands for, or None."""
    row = session.exec(_RESOLVE, params={"digest": digest(secret), "kinds": list(kinds)}).first()  # type: ignore[call-overload]
    if row is None:
        return None
    token, instructor = row
    now = utcnow()
    if token.revoked_at is not None or not instructor.is_active or _expired(token, now):
        return None
    if token.last_used_at is None or now - as_utc(token.last_used_at) > LAST_USED_PRECISION:
        with write_transaction(session):
            session.execute(update(AuthToken).where(col(AuthToken.id) == token.id).values(last_used_at=now))
    return instructor


def _expired(token: AuthToken, now: datetime) -> bool:
    return token.expires_at is not None and as_utc(token.expires_at) <= now


def list_api_tokens(session: Session, *, instructor: Instructor) -> list[AuthToken]:
    return list(
        session.exec(
            select(AuthToken)
            .where(AuthToken.instructor_id == instructor.id, AuthToken.kind == TokenKind.API.value)
            .order_by(col(AuthToken.created_at).desc(), col(AuthToken.id).desc())
        ).all()
    )


def revoke_api_token(session: Session, *, instructor: Instructor, token_id: int) -> None:
    token = session.get(AuthToken, token_id)
    if token is None or token.instructor_id != instructor.id or token.kind != TokenKind.API.value:
        raise NotFound("Token", token_id)  # someone else's token is as good as absent
    _revoke(session, token)


def revoke_secret(session: Session, *, secret: str) -> None:
    """End a browser session (log out)."""
    token = session.exec(select(AuthToken).where(AuthToken.digest == digest(secret))).first()
    if token is not None:
        _revoke(session, token)


def _revoke(session: Session, token: AuthToken) -> None:
    with write_transaction(session):
        session.execute(
            update(AuthToken)
            .where(col(AuthToken.id) == token.id, col(AuthToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )


def status_of(token: AuthToken) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if _expired(token, utcnow()):
        return "expired"
    return "active"
