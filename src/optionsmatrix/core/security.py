"""Secrets, digests and password hashing — the primitives access control is built on."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TOKEN_BYTES = 32  # 256 bits: unguessable, and the issue asks for at least 32 bytes


def new_secret() -> str:
    """A random, URL-safe secret for tokens, session cookies and one-time links."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    """What we store instead of a secret: a leaked table does not hand out working tokens."""
    return hashlib.sha256(secret.encode()).hexdigest()


def sign(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def password_hasher(*, fast: bool = False) -> PasswordHasher:
    """argon2id with the library's defaults; `fast` gives cheap parameters for tests only."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def verify_password(hasher: PasswordHasher, stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        # Spend the same effort as a real check so timing does not reveal which accounts exist.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
