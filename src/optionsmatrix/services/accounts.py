"""Instructor accounts: creation, passwords, one-time links, the first admin."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from optionsmatrix.core.db import write_transaction
from optionsmatrix.core.security import Passwords, digest, new_secret, verify_password
from optionsmatrix.errors import FieldError, InvalidInput, NotFound
from optionsmatrix.models import AuthToken, Instructor, PasswordLink, as_utc, utcnow
from optionsmatrix.schemas.text import has_invisible_characters

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
# Deliberately loose: the address is a login name here, not a mailbox we write to.
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$")


def normalize_email(email: str, *, loc: tuple[str | int, ...] = ("email",)) -> str:
    """NFKC and lower case, so that an address typed with full-width letters is the same login;
    invisible characters are refused, or "adm\u200bin@…" could pose as "admin@…" in the accounts list."""
    email = unicodedata.normalize("NFKC", email).strip().lower()
    if not _EMAIL.match(email) or len(email) > 320 or has_invisible_characters(email):
        raise InvalidInput([FieldError(loc, "enter an email address such as name@example.org")])
    return email


def check_password(password: str, *, loc: tuple[str | int, ...] = ("password",)) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidInput([FieldError(loc, f"use at least {MIN_PASSWORD_LENGTH} characters")])


def find_by_email(session: Session, *, email: str) -> Instructor | None:
    try:
        email = normalize_email(email)
    except InvalidInput:
        return None  # no account can have a malformed address (and PostgreSQL refuses NUL bytes)
    return session.exec(select(Instructor).where(Instructor.email == email)).first()


def get_instructor(session: Session, *, instructor_id: int) -> Instructor:
    instructor = session.get(Instructor, instructor_id)
    if instructor is None:
        raise NotFound("Instructor", instructor_id)
    return instructor


def list_instructors(session: Session) -> list[Instructor]:
    return list(session.exec(select(Instructor).order_by(col(Instructor.email))).all())


def create_instructor(
    session: Session, *, email: str, is_admin: bool = False, password: str | None = None, hasher: Passwords
) -> Instructor:
    email = normalize_email(email)
    if password is not None:
        check_password(password)
    if find_by_email(session, email=email) is not None:
        raise InvalidInput.on("email", f"an account for {email} already exists")
    instructor = Instructor(
        email=email, is_admin=is_admin, password_hash=hasher.hash(password) if password is not None else None
    )
    with write_transaction(session, conflict=InvalidInput.on("email", f"an account for {email} already exists")):
        session.add(instructor)
    return instructor


def authenticate(session: Session, *, email: str, password: str, hasher: Passwords) -> Instructor | None:
    instructor = find_by_email(session, email=email)
    stored = instructor.password_hash if instructor is not None and instructor.is_active else None
    if not verify_password(hasher, stored, password):
        return None
    return instructor


def set_active(session: Session, *, instructor: Instructor, active: bool) -> Instructor:
    """Disabling an account also ends its sessions and tokens."""
    with write_transaction(session):
        instructor.is_active = active
        session.add(instructor)
        if not active:
            _revoke_all_tokens(session, instructor)
    return instructor


def newest_link_ids(session: Session) -> dict[int, int]:
    """Each instructor's newest one-time link id (absent: none yet), for the admin page's reset forms."""
    rows = session.exec(
        select(PasswordLink.instructor_id, func.max(PasswordLink.id)).group_by(PasswordLink.instructor_id)
    )
    return {instructor_id: newest for instructor_id, newest in rows.all()}


def reset_password(
    session: Session, *, instructor: Instructor, hours: int, seen_newest_link: int | None = None
) -> str | None:
    """Forget the password, end every session and token, and issue a fresh link, in one transaction.

    With `seen_newest_link` (the newest link id when the admin's page was
    shown), a link issued since means the same reset was sent twice — a
    reload of the page that showed the link: None, and the link already
    handed out stays valid. The instructor's row is locked first, so two
    simultaneous resets cannot both pass the check.
    """
    with write_transaction(session):
        if seen_newest_link is not None:
            session.execute(
                update(Instructor).where(col(Instructor.id) == instructor.id).values(is_active=Instructor.is_active)
            )
            newer = session.exec(
                select(PasswordLink.id).where(
                    PasswordLink.instructor_id == instructor.id, col(PasswordLink.id) > seen_newest_link
                )
            ).first()
            if newer is not None:
                return None
        instructor.password_hash = None
        session.add(instructor)
        _revoke_all_tokens(session, instructor)
        return _add_password_link(session, instructor=instructor, hours=hours)


def _revoke_all_tokens(session: Session, instructor: Instructor) -> None:
    now = utcnow()
    for token in session.exec(
        select(AuthToken).where(AuthToken.instructor_id == instructor.id, col(AuthToken.revoked_at).is_(None))
    ):
        token.revoked_at = now
        session.add(token)


# One-time links ------------------------------------------------------------------


def issue_password_link(session: Session, *, instructor: Instructor, hours: int) -> str:
    """Returns the secret for the link; only its digest is stored.

    A new link replaces any earlier one: a link printed in an old console log
    or mailed before a reset must not still open the account.
    """
    with write_transaction(session):
        return _add_password_link(session, instructor=instructor, hours=hours)


def _add_password_link(session: Session, *, instructor: Instructor, hours: int) -> str:
    _close_open_links(session, instructor_id=instructor.id)  # type: ignore[arg-type]
    secret = new_secret()
    session.add(
        PasswordLink(instructor_id=instructor.id, digest=digest(secret), expires_at=utcnow() + timedelta(hours=hours))
    )
    return secret


def open_password_link(session: Session, *, secret: str) -> PasswordLink | None:
    link = session.exec(select(PasswordLink).where(PasswordLink.digest == digest(secret))).first()
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= utcnow():
        return None
    return link


def use_password_link(session: Session, *, link: PasswordLink, password: str, hasher: Passwords) -> Instructor:
    """Set the password, spend the link (once, even against a simultaneous second use) and end old sessions."""
    check_password(password)
    password_hash = hasher.hash(password)  # slow on purpose: outside the write lock
    with write_transaction(session):
        spent = session.execute(
            update(PasswordLink)
            .where(col(PasswordLink.id) == link.id, col(PasswordLink.used_at).is_(None))
            .values(used_at=utcnow())
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidInput.on("password", "this link has already been used")
        instructor = get_instructor(session, instructor_id=link.instructor_id)
        instructor.password_hash = password_hash
        session.add(instructor)
        _close_open_links(session, instructor_id=instructor.id)  # type: ignore[arg-type]
        _revoke_all_tokens(session, instructor)
    return instructor


def _close_open_links(session: Session, *, instructor_id: int) -> None:
    session.execute(
        update(PasswordLink)
        .where(col(PasswordLink.instructor_id) == instructor_id, col(PasswordLink.used_at).is_(None))
        .values(used_at=utcnow())
    )


# First run -------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstRun:
    admin: Instructor
    link_secret: str | None  # set when nobody can log in yet and a link was issued


def ensure_admin(
    session: Session, *, email: str, hours: int, hasher: Passwords, issue_link: bool = True
) -> FirstRun | None:
    """With no instructor at all, create the admin; while no admin can log in, issue a link.

    The caller gives the new installation's case study to the returned admin.
    """
    if session.exec(select(func.count()).select_from(Instructor)).one() == 0:
        create_instructor(session, email=email, is_admin=True, hasher=hasher)
    admins = list(session.exec(select(Instructor).where(Instructor.is_admin, Instructor.is_active)).all())
    if not admins:
        return None
    admin = admins[0]
    if any(a.password_hash for a in admins) or not issue_link:
        return FirstRun(admin=admin, link_secret=None)
    return FirstRun(admin=admin, link_secret=issue_password_link(session, instructor=admin, hours=hours))


def first_admin(session: Session) -> Instructor | None:
    return session.exec(
        select(Instructor).where(Instructor.is_admin, Instructor.is_active).order_by(col(Instructor.id))
    ).first()
