"""The user aggregate: accounts and their personal API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime

ROLES = ("learner", "instructor", "admin")


class User(UserMixin, Base):
    __tablename__ = "user"
    __table_args__ = (CheckConstraint("role IN ('learner', 'instructor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        # Flask-Login keeps this in the session; the nonce changes with the password, which
        # ends every session started before the change.
        return f"{self.id}:{self.session_nonce}"


class ApiToken(Base):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(back_populates="tokens")


def email_key(email: str) -> str:
    """The canonical form under which an email address is unique (case-insensitive)."""
    return email.strip().lower()
