"""The office aggregate: an organisation (a practice or clinic), its managers and members.

A member's certifications are visible to the office's managers only while the member shares
them (`shares_certifications`); stopping hides them at once. `OfficeSummary` records each
weekly summary sent, one per office, manager and week, so the job never sends one twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime
from prep.models.user import User

OFFICE_ROLES = ("manager", "member")


class Office(Base):
    __tablename__ = "office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[OfficeMember]] = relationship(
        back_populates="office", cascade="all, delete-orphan", passive_deletes=True
    )


class OfficeMember(Base):
    __tablename__ = "office_member"
    __table_args__ = (CheckConstraint("role IN ('manager', 'member')", name="role"),)

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    shares_certifications: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped[Office] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class OfficeSummary(Base):
    """A weekly summary claimed (and sent) for one manager of one office."""

    __tablename__ = "office_summary"
    __table_args__ = (UniqueConstraint("office_id", "user_id", "week_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    week_of: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
