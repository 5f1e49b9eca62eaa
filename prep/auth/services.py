"""Account operations. They load and change rows and flush; routes and commands commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from prep.auth.passwords import hash_password, policy_problem, verify_password
from prep.models.base import utcnow
from prep.models.user import ROLES, ApiToken, User, email_key

TOKEN_PREFIX = "cmaa_"  # noqa: S105 - a public prefix, not a secret
_RESET_SALT = "password-reset"


class AccountError(ValueError):
    """A refused account operation; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == email_key(email)))


def register_user(db: Session, *, email: str, name: str, password: str, role: str = "learner") -> User:
    """Create an account; raise AccountError naming the field when refused."""
    email = email_key(email)
    if role not in ROLES:
        raise AccountError("role", f"Role must be one of: {', '.join(ROLES)}.")
    if not email or "@" not in email:
        raise AccountError("email", "Enter a valid email address.")
    name = name.strip() or email.split("@")[0]
    problem = policy_problem(password, email=email, name=name)
    if problem:
        raise AccountError("password", problem)
    if find_user_by_email(db, email) is not None:
        raise AccountError("email", "An account with this email address already exists.")
    user = User(email=email, name=name[:120], password_hash=hash_password(password), role=role)
    db.add(user)
    db.flush()
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The user whose email and password match, else None (never says which part failed)."""
    user = find_user_by_email(db, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def set_password(db: Session, user: User, new_password: str, now: datetime | None = None) -> None:
    """Change the password; this also invalidates reset links and other sessions."""
    problem = policy_problem(new_password, email=user.email, name=user.name)
    if problem:
        raise AccountError("new_password", problem)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now or utcnow()
    user.session_nonce = secrets.token_hex(16)
    db.flush()


def change_password(db: Session, user: User, current: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", "The current password is not correct.")
    set_password(db, user, new_password)


def delete_account(db: Session, user: User, password: str) -> None:
    """Delete the user and, by cascade, everything they own."""
    if not verify_password(user.password_hash, password):
        raise AccountError("password", "The password is not correct.")
    db.delete(user)
    db.flush()


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_reset_token(secret_key: str, user: User) -> str:
    """A signed token bound to the current password hash: using it once invalidates it."""
    return _reset_serializer(secret_key).dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(db: Session, secret_key: str, token: str, max_age: int) -> User | None:
    """The user a valid, unexpired, unused reset token belongs to, else None."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.get(User, data["uid"])
    if user is None or not secrets.compare_digest(str(data.get("pw")), _password_fingerprint(user)):
        return None
    return user


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_token(db: Session, user: User, name: str) -> NewToken:
    """A new personal token; the plain secret is returned once and only its digest kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=(name.strip() or "API token")[:80], digest=_digest(secret), prefix=secret[:12])
    db.add(token)
    db.flush()
    return NewToken(token, secret)


def api_token_for_secret(db: Session, secret: str) -> ApiToken | None:
    """The stored token matching a presented secret, else None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    # With its user: every API request needs both.
    return db.scalar(select(ApiToken).where(ApiToken.digest == _digest(secret)).options(joinedload(ApiToken.user)))


def note_token_use(token: ApiToken, now: datetime, resolution: timedelta) -> bool:
    """Record the token's last use when it moved on by `resolution`; True when changed.

    Keeping the resolution coarse stops every API read from becoming a write.
    """
    if token.last_used_at is not None and now - token.last_used_at < resolution:
        return False
    token.last_used_at = now
    return True


def list_api_tokens(db: Session, user: User) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)))


def revoke_api_token(db: Session, user: User, token_id: int) -> bool:
    """Delete one of the user's tokens; False when it is not theirs or does not exist."""
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return False
    db.delete(token)
    db.flush()
    return True
