"""Secrets, digests and password hashing — the primitives access control is built on."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

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


class Passwords:
    """argon2id hashing, loaded with the first password it hashes or checks.

    A worker that serves only participants and API tokens never loads argon2
    (its bindings are about 1 MiB of memory, issue 14).
    """

    def __init__(self, *, fast: bool = False) -> None:
        self._fast = fast
        self._hasher: PasswordHasher | None = None
        self._lock = threading.Lock()

    def _argon2(self) -> PasswordHasher:
        with self._lock:
            if self._hasher is None:
                from argon2 import PasswordHasher

                # The library's defaults; `fast`: cheap parameters for tests only.
                self._hasher = (
                    PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if self._fast else PasswordHasher()
                )
            return self._hasher

    def hash(self, password: str) -> str:
        return self._argon2().hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when `password` matches; False when it does not or the stored hash is not argon2's."""
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            return self._argon2().verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def password_hasher(*, fast: bool = False) -> Passwords:
    """argon2id with the library's defaults; `fast` gives cheap parameters for tests only."""
    return Passwords(fast=fast)


def verify_password(hasher: Passwords, stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        # Spend the same effort as a real check so timing does not reveal which accounts exist.
        hasher.hash(password)
        return False
    return hasher.verify(stored_hash, password)
