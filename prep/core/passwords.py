"""The password policy (NIST SP 800-63B style): length, not composition.

A password is acceptable when it has at least `min_length` characters, is not a known common
password (also with digits or symbols added around it), is not a repeated unit or a run of
consecutive characters, and is not the account's own email address or name.
"""

from __future__ import annotations

from collections.abc import Container

_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm")


_DECORATION = "0123456789!@#$%^&*()-_=+.?~ "


def _is_run(text: str) -> bool:
    """One unit repeated ("abcabcabcabc") or a keyboard/alphabet/number run."""
    n = len(text)
    if any(n % k == 0 and text[:k] * (n // k) == text for k in range(1, n // 2 + 1)):
        return True
    return any(text in seq or text in seq[::-1] for seq in _SEQUENCES)


def _is_decorated_common(text: str, common: Container[str]) -> bool:
    """A common password with only digits or symbols added around it ("password2024!")."""
    core = text.strip(_DECORATION)
    return core != text and (core in common or (len(core) >= 3 and _is_run(core)))


def password_problem(
    password: str,
    common: Container[str],
    *,
    min_length: int = 12,
    email: str = "",
    name: str = "",
) -> str | None:
    """Why `password` is refused, as a sentence for the form; None when it is acceptable."""
    if len(password) < min_length:
        return f"Use at least {min_length} characters."
    if len(password) > 1024:
        return "Use at most 1024 characters."
    lowered = password.lower()
    if lowered in common or _is_run(lowered) or _is_decorated_common(lowered, common):
        return "This password is too common. Choose one that is harder to guess."
    personal = {email.strip().lower(), email.strip().lower().split("@")[0], name.strip().lower()}
    if lowered in personal - {""}:
        return "Do not use your email address or name as your password."
    return None
