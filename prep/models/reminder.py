"""The reminder aggregate: a user's reminder settings, and one row per reminder occurrence.

- `ReminderSettings`: channels, the days before expiry, and the private calendar feed token.
  A user without a row has the defaults from config.
- `Reminder`: one reminder (certification, cycle, kind) that reached the user: emailed, being
  emailed, or dismissed in the app. The unique constraint on (certification, cycle start,
  kind) is what makes sending at-most-once even when several hosts run the job at once: a host
  must first claim the row (`email_claimed_at` from NULL to a time, in one UPDATE) and commit.
  Keyed on the cycle rather than the due day, so correcting the expiration date does not send
  a kind that this cycle already had again; a renewal starts a new cycle and new reminders.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime


class ReminderSettings(Base):
    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    expiry_offsets: Mapped[str] = mapped_column(String(80))  # "90, 60, 30, 14, 7, 1"
    calendar_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Reminder(Base):
    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("certification_id", "cycle_start", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certification.id", ondelete="CASCADE"))
    cycle_start: Mapped[date] = mapped_column(Date)
    series: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    due_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    email_error: Mapped[str] = mapped_column(Text, default="")
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
