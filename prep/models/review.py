"""The review-card aggregate: one spaced-repetition card per learner and item, and its log.

A card is identified by (user, kind, key): `question` cards (key: the bank question key) are
reviewed by answering the question; `fact` cards (key: the question key) show its key fact as
a flashcard; `word-part` cards (key: "<type>:<part>", e.g. "prefix:brady-") come from the
terminology table. The columns hold the FSRS card state; `misses` counts every "again" for
leech detection. Each review leaves a ReviewLog row with the FSRS log as JSON.

ReviewSettings holds a learner's scheduling settings (a row only once they change a default).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime

DEFAULT_RETENTION = 0.9
CARD_KINDS = ("question", "fact", "word-part")
SOURCES = ("practice", "exam", "review", "flashcard", "api")


class ReviewCard(Base):
    __tablename__ = "review_card"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "key"),
        CheckConstraint("kind IN ('question', 'fact', 'word-part')", name="kind"),
        CheckConstraint("state IN (1, 2, 3)", name="state"),
        Index("ix_review_card_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(120))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True, nullable=True
    )
    state: Mapped[int] = mapped_column(SmallInteger)
    step: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(10))  # where the card was first reviewed: a SOURCES value
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    logs: Mapped[list[ReviewLog]] = relationship(
        back_populates="card", cascade="all, delete-orphan", passive_deletes=True, order_by="ReviewLog.id"
    )


class ReviewLog(Base):
    __tablename__ = "review_log"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),
        Index("ix_review_log_user_reviewed", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_card.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(10))
    log: Mapped[dict] = mapped_column(JSON)

    card: Mapped[ReviewCard] = relationship(back_populates="logs")


class ReviewSettings(Base):
    __tablename__ = "review_settings"
    __table_args__ = (CheckConstraint("desired_retention BETWEEN 0.8 AND 0.95", name="desired_retention"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    # The share of due reviews the scheduler aims to have recalled (FSRS desired retention).
    desired_retention: Mapped[float] = mapped_column(Float, default=DEFAULT_RETENTION)
