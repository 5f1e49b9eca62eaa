"""The cohort aggregate: an instructor's cohorts, their members and invitations, assignments
(with per-learner accommodations), and collection uploads waiting for confirmation.

Membership is current: a learner who leaves (or is removed) disappears from every view of the
cohort; their attempts stay theirs. Deleting an instructor deletes their cohorts.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.question import Collection
from prep.models.types import UTCDateTime
from prep.models.user import User

ASSIGNMENT_KINDS = ("practice", "exam")


class Cohort(Base):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instructor: Mapped[User] = relationship()
    members: Mapped[list[CohortMember]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True, order_by="Assignment.due_on"
    )


class CohortMember(Base):
    __tablename__ = "cohort_member"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class CohortInvite(Base):
    """An emailed invitation; only the SHA-256 digest of its secret link is stored."""

    __tablename__ = "cohort_invite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    cohort: Mapped[Cohort] = relationship()


class Assignment(Base):
    """A practice set (bank topics/domains or an instructor's collection) or a mock exam, due on a day."""

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint("kind IN ('practice', 'exam')", name="kind"),
        CheckConstraint("timing IN ('standard', '1.5x', '2x', 'untimed')", name="timing"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list] = mapped_column(JSON, default=list)
    domains: Mapped[list] = mapped_column(JSON, default=list)
    count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), index=True, nullable=True
    )
    timing: Mapped[str] = mapped_column(String(10), default="standard")
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="assignments")
    collection: Mapped[Collection | None] = relationship()
    accommodations: Mapped[list[AssignmentAccommodation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class AssignmentAccommodation(Base):
    """A learner's own timing for a mock-exam assignment (time and a half, double, untimed)."""

    __tablename__ = "assignment_accommodation"
    __table_args__ = (CheckConstraint("timing IN ('standard', '1.5x', '2x', 'untimed')", name="timing"),)

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    timing: Mapped[str] = mapped_column(String(10))


class CollectionDraft(Base):
    """An uploaded question file between its preview and the instructor's confirmation."""

    __tablename__ = "collection_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))
    domain: Mapped[str | None] = mapped_column(String(60), nullable=True)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
