"""Password hashing and the shipped common-password list."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from prep.core.passwords import password_problem

_COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"


@functools.cache
def _dummy_hash() -> str:
    """A valid hash to check against when the email is unknown, so both paths take the same time.

    Made on first use, not at import: a scrypt hash costs 70 ms of every process start.
    """
    return generate_password_hash("not a real password, only for timing")


@functools.cache
def common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip().lower() for line in fh if line.strip())


def hash_password(password: str) -> str:
    """A salted scrypt hash (Werkzeug's default KDF)."""
    return generate_password_hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check: an unknown account still costs one KDF evaluation."""
    if password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


def policy_problem(password: str, email: str = "", name: str = "") -> str | None:
    return password_problem(password, common_passwords(), email=email, name=name)
