"""Password rules and hashing (Argon2id).

Rules follow the NCSC/NIST advice: a minimum length, no composition rules, and a check
against a list of common passwords (the 30,000 most common from the zxcvbn project).
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str | None = None, name: str | None = None) -> str | None:
    """The reason a new password is not acceptable, or None if it is."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    common = _common_passwords()
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    if lowered in common or (len(stem) >= 4 and stem in common and len(stem) >= len(lowered) // 2):
        return "That password is too common and easy to guess. Choose a different password"
    if len(set(lowered)) <= 2:
        return "That password is too easy to guess. Choose a different password"
    if email:
        local = email.split("@")[0].lower()
        if len(local) >= 4 and local in lowered:
            return "Your password must not contain your email address"
    if name:
        for part in name.lower().split():
            if len(part) >= 4 and lowered.startswith(part) and len(lowered) - len(part) < 6:
                return "Your password must not be mostly your name"
    return None


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


# A real hash of a random value, checked when no account matches, so a sign-in attempt
# takes the same time whether or not the address has an account.
_DUMMY: dict[str, str] = {}


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    if not password_hash:
        key = f"{hasher.time_cost}:{hasher.memory_cost}"
        if key not in _DUMMY:
            _DUMMY[key] = hasher.hash("not-a-real-password-0123456789")
        with contextlib.suppress(VerificationError):
            hasher.verify(_DUMMY[key], password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
