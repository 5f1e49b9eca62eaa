"""The question aggregate: a question, its immutable versions, its topics, and collections.

A question's `key` is its public id: the bank item id for bank questions, or a generated key
for questions imported into a collection. Every change of content makes a new
`QuestionVersion`; attempts point at the version the learner saw, so history never changes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime


class Collection(Base):
    """A named set of imported questions, owned by a user (an instructor) or by nobody."""

    __tablename__ = "collection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[Question]] = relationship(back_populates="collection", passive_deletes=True)


class Question(Base):
    __tablename__ = "question"
    __table_args__ = (Index("ix_question_active_domain", "retired_at", "domain"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), index=True, nullable=True
    )
    # Copied from the current version so that draws and filters need no join.
    domain: Mapped[str] = mapped_column(String(60))
    difficulty: Mapped[int] = mapped_column(SmallInteger)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_version.id", use_alter=True, ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    collection: Mapped[Collection | None] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)
    versions: Mapped[list[QuestionVersion]] = relationship(
        foreign_keys="QuestionVersion.question_id", back_populates="question", order_by="QuestionVersion.version"
    )
    topics: Mapped[list[QuestionTopic]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def active(self) -> bool:
        return self.retired_at is None


class QuestionVersion(Base):
    """One immutable content version of a question."""

    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str] = mapped_column(String(60))
    topics: Mapped[list] = mapped_column(JSON)
    difficulty: Mapped[int] = mapped_column(SmallInteger)
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON)
    rationales: Mapped[list] = mapped_column(JSON)
    answer: Mapped[int] = mapped_column(SmallInteger)
    references: Mapped[list] = mapped_column(JSON)
    test_plan: Mapped[str] = mapped_column(String(40))
    review: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(foreign_keys=[question_id], back_populates="versions")


class QuestionTopic(Base):
    """The topics of a question's current version, for filtering practice sets."""

    __tablename__ = "question_topic"

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class BankSyncState(Base):
    """What the last `bank sync` saw, so an unchanged bank is recognised without parsing."""

    __tablename__ = "bank_sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    files_digest: Mapped[str] = mapped_column(String(64))
    active_items: Mapped[int] = mapped_column(Integer)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
