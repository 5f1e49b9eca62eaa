"""The file-storage aggregate: blobs kept in the database, so every app server sees them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from prep.models.base import Base, utcnow
from prep.models.types import UTCDateTime


class StoredFile(Base):
    """One stored blob under a random key; deleted with its owner (ON DELETE CASCADE)."""

    __tablename__ = "stored_file"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
