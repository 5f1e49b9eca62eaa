"""File storage behind one small interface: put, get and delete bytes by a random key.

The default, `DatabaseStorage`, keeps blobs in the `stored_file` table of the application's
database: several app servers sharing one database see the same files, backups include them,
and deleting a user deletes their blobs by cascade. Keys are random (never derived from a
client's filename), so no path or name from outside ever reaches storage.

Another backend (object storage, a shared volume) only has to implement `Storage`; it then
must delete a user's blobs itself when the account goes.
"""

from __future__ import annotations

import secrets
from typing import Protocol

from sqlalchemy.orm import Session

from prep.models.storage import StoredFile


class Storage(Protocol):
    def put(self, data: bytes, *, owner_id: int | None = None) -> str:
        """Store `data`; return its new random key."""

    def get(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None."""

    def delete(self, key: str) -> None:
        """Forget `key` (no error when it is unknown)."""


def new_key() -> str:
    """A random, URL-safe storage key (256 bits)."""
    return secrets.token_urlsafe(32)


class DatabaseStorage:
    """Blobs in the `stored_file` table, in the caller's session (it flushes, never commits)."""

    def __init__(self, session: Session):
        self.session = session

    def put(self, data: bytes, *, owner_id: int | None = None) -> str:
        key = new_key()
        self.session.add(StoredFile(key=key, owner_id=owner_id, size=len(data), data=data))
        self.session.flush()
        return key

    def get(self, key: str) -> bytes | None:
        row = self.session.get(StoredFile, key)
        return None if row is None else bytes(row.data)

    def delete(self, key: str) -> None:
        row = self.session.get(StoredFile, key)
        if row is not None:
            self.session.delete(row)
            self.session.flush()


def storage_for(session: Session) -> Storage:
    """The configured storage (the database one) bound to `session`."""
    return DatabaseStorage(session)
