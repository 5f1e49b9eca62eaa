"""The credential aggregate: certifications, CE activities, their application, closed cycles, certificates.

- `Certification`: one credential a user holds, with its current cycle.
- `CeActivity`: one continuing-education activity, stored in contact hours.
- `CeApplication`: an activity applied to a certification. When a renewal closes the cycle,
  the rows that counted get `closed_cycle_id` and the amount counted: an activity never counts
  in two cycles of one certification.
- `CeCycle`: a closed cycle with the totals it had when it closed.
- `CertificateFile`: a certificate attached to an activity; its bytes live in the file storage
  (`prep/storage.py`) under a random key.

Every row hangs off the user with ON DELETE CASCADE, so deleting an account deletes it all.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime

AMOUNT = Numeric(8, 2)


class Certification(Base):
    __tablename__ = "certification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(80))
    cycle_start: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    test_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # For requirements that scale with the credentials held with one body (AAPC); None: count them.
    credentials_held: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    applications: Mapped[list[CeApplication]] = relationship(
        back_populates="certification", cascade="all, delete-orphan", passive_deletes=True
    )
    cycles: Mapped[list[CeCycle]] = relationship(
        back_populates="certification",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CeCycle.cycle_start.desc()",
    )


class CeActivity(Base):
    __tablename__ = "ce_activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    accreditation: Mapped[str] = mapped_column(String(120), default="")
    completed_on: Mapped[date] = mapped_column(Date)
    contact_hours: Mapped[Decimal] = mapped_column(AMOUNT)
    category: Mapped[str] = mapped_column(String(40), default="general")
    format: Mapped[str | None] = mapped_column(String(20), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    applications: Mapped[list[CeApplication]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", passive_deletes=True
    )
    files: Mapped[list[CertificateFile]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", passive_deletes=True, order_by="CertificateFile.id"
    )


class CeCycle(Base):
    """A closed renewal cycle, kept for history and audits."""

    __tablename__ = "ce_cycle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certification.id", ondelete="CASCADE"), index=True)
    cycle_start: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    renewed_on: Mapped[date] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(20))
    required: Mapped[Decimal] = mapped_column(AMOUNT)
    earned: Mapped[Decimal] = mapped_column(AMOUNT)
    requirement_met: Mapped[bool] = mapped_column(Boolean)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certification: Mapped[Certification] = relationship(back_populates="cycles")
    applications: Mapped[list[CeApplication]] = relationship(back_populates="closed_cycle")


class CeApplication(Base):
    """An activity applied to a certification (many to many), and the cycle it was counted in."""

    __tablename__ = "ce_application"

    activity_id: Mapped[int] = mapped_column(ForeignKey("ce_activity.id", ondelete="CASCADE"), primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certification.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    closed_cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("ce_cycle.id", ondelete="SET NULL"), nullable=True, index=True
    )
    counted_amount: Mapped[Decimal | None] = mapped_column(AMOUNT, nullable=True)

    activity: Mapped[CeActivity] = relationship(back_populates="applications")
    certification: Mapped[Certification] = relationship(back_populates="applications")
    closed_cycle: Mapped[CeCycle | None] = relationship(back_populates="applications")


class CertificateFile(Base):
    __tablename__ = "certificate_file"
    __table_args__ = (UniqueConstraint("storage_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("ce_activity.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(120))  # sanitised, for display and download only
    content_type: Mapped[str] = mapped_column(String(40))  # detected from the content
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[CeActivity] = relationship(back_populates="files")
