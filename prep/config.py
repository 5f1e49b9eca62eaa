"""Settings read from the environment (12-factor). Every setting the app reads is here.

`load_config(instance_path)` returns a plain dict for `app.config`. In production
(`APP_ENV=production`) a missing `SECRET_KEY` stops the app at start-up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def _offsets(env: dict, name: str, default: str) -> tuple[int, ...]:
    from prep.core.reminders import parse_offsets

    try:
        return parse_offsets(env.get(name) or default)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from exc


def _dev_secret_key(instance_path: Path) -> str:
    """A random key kept in the instance folder so development sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: Path, env: dict | None = None) -> dict:
    """Build the configuration from `env` (default: os.environ)."""
    env = dict(os.environ if env is None else env)
    app_env = env.get("APP_ENV", "development")
    if app_env not in {"development", "production", "testing"}:
        raise ConfigError(f"APP_ENV must be development, production or testing, got {app_env!r}")
    production = app_env == "production"
    secret = env.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY must be set when APP_ENV=production")
        secret = _dev_secret_key(instance_path)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'prep.sqlite3'}"
    scheme = env.get("PREFERRED_URL_SCHEME", "https" if production else "http")
    secure_cookies = _bool(env.get("SESSION_COOKIE_SECURE"), default=scheme == "https")
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PREFERRED_URL_SCHEME": scheme,
        "SERVER_NAME": env.get("SERVER_NAME") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 12 * 1024 * 1024),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_CHECK_DEFAULT": False,
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _int(env, "MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "CMAA Prep <no-reply@localhost>"),
        "MAIL_SUPPRESS_SEND": _bool(env.get("MAIL_SUPPRESS_SEND")),
        "MAIL_TIMEOUT": _int(env, "MAIL_TIMEOUT", 30),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute; 100 per hour"),
        "RESET_RATE_LIMIT": env.get("RESET_RATE_LIMIT", "5 per minute; 20 per hour"),
        "PASSWORD_RESET_MAX_AGE": _int(env, "PASSWORD_RESET_MAX_AGE", 3600),
        "QUESTION_BANK_PATH": env.get("QUESTION_BANK_PATH", str(PROJECT_ROOT / "question_bank")),
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        # Renewal reminders: days before expiry (users can change theirs), months before expiry
        # for pace nudges, days before a provisional conversion deadline and before the end of
        # the reinstatement window. Comma-separated whole numbers.
        "REMINDER_EXPIRY_OFFSETS": _offsets(env, "REMINDER_EXPIRY_OFFSETS", "90,60,30,14,7,1"),
        "REMINDER_PACE_MONTHS": _offsets(env, "REMINDER_PACE_MONTHS", "12,6,3"),
        "REMINDER_PROVISIONAL_OFFSETS": _offsets(env, "REMINDER_PROVISIONAL_OFFSETS", "60,30,7"),
        "REMINDER_REINSTATEMENT_OFFSETS": _offsets(env, "REMINDER_REINSTATEMENT_OFFSETS", "30,7"),
    }
