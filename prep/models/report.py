"""The item-report aggregate: a learner's report of a problem with a question version.

A report stays attached to the exact version the learner saw. Admins resolve it, or retire the
question (which resolves every open report on it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.question import Question, QuestionVersion
from prep.models.types import UTCDateTime

REPORT_KINDS = ("wrong_key", "unclear", "outdated", "other")
REPORT_SOURCES = ("practice", "review", "flashcards", "api")
REPORT_STATUSES = ("open", "resolved", "retired")


class ItemReport(Base):
    __tablename__ = "item_report"
    __table_args__ = (
        CheckConstraint("kind IN ('wrong_key', 'unclear', 'outdated', 'other')", name="kind"),
        CheckConstraint("source IN ('practice', 'review', 'flashcards', 'api')", name="source"),
        CheckConstraint("status IN ('open', 'resolved', 'retired')", name="status"),
        Index("ix_item_report_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    question: Mapped[Question] = relationship()
    version: Mapped[QuestionVersion] = relationship()
