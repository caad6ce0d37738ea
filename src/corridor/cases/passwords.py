"""Password hashing with argon2id (argon2-cffi), the winner of the Password Hashing Competition.

The hash string carries its own parameters and salt, so stronger parameters later apply to
each user at their next login (:func:`needs_rehash`). Nothing here logs or keeps a password.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from corridor.errors import CaseError

#: Long enough to resist guessing once rate limiting and argon2 slow each try down; long
#: passphrases welcome (the upper bound only keeps a request's work bounded).
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()


def check_password(password: str) -> None:
    """Refuse a password too short or too long to accept, saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CaseError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise CaseError(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise CaseError("a password cannot be only spaces")


def hash_password(password: str) -> str:
    """The argon2id hash to store (a PHC string: ``$argon2id$v=19$m=…,t=…,p=…$salt$hash``)."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when ``password`` is the one ``stored`` was made from; False for a wrong password
    or a damaged hash (never an exception: a login just fails)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password of anyone's")


def burn_verify_time(password: str) -> None:
    """Spend the time of one verification for an unknown user name, so that how long a failed
    login takes does not tell whether the name exists."""
    verify_password(_dummy_hash(), password)
