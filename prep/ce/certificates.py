"""Certificate files: checked by content, stored under a random key, read back only by the owner.

The client's filename is kept only as a sanitised display name; the content type is the one
detected from the bytes; the SHA-256 is recorded at upload and checked again on every read.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from prep.core.uploads import UploadRefused, display_filename, filename_problem, sniff_certificate
from prep.models.ce import CeActivity, CertificateFile
from prep.models.user import User
from prep.storage import Storage

MAX_FILES_PER_ACTIVITY = 10


class CertificateRefused(ValueError):
    """An upload that is not accepted; `status` is 413 for a file over the limit, else 400."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class CertificateMissing(RuntimeError):
    """The stored bytes are gone or no longer match their recorded SHA-256."""


def attach_certificate(
    db: Session, storage: Storage, activity: CeActivity, data: bytes, client_name: str | None
) -> CertificateFile:
    """Check `data` by its content and attach it to the activity; raise CertificateRefused."""
    problem = filename_problem(client_name)
    if problem:
        raise CertificateRefused(problem)
    try:
        kind = sniff_certificate(data)
    except UploadRefused as exc:
        raise CertificateRefused(exc.message, 413 if exc.too_large else 400) from exc
    if len(activity.files) >= MAX_FILES_PER_ACTIVITY:
        raise CertificateRefused(f"An activity can have at most {MAX_FILES_PER_ACTIVITY} certificate files.")
    key = storage.put(data, owner_id=activity.user_id)
    file = CertificateFile(
        activity=activity,
        user_id=activity.user_id,
        storage_key=key,
        filename=display_filename(client_name, kind),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    db.add(file)
    db.flush()
    return file


def get_certificate(db: Session, user: User, file_id: int) -> CertificateFile | None:
    file = db.get(CertificateFile, file_id)
    return file if file is not None and file.user_id == user.id else None


def read_certificate(storage: Storage, file: CertificateFile) -> bytes:
    """The file's bytes, verified against the SHA-256 recorded at upload."""
    data = storage.get(file.storage_key)
    if data is None or hashlib.sha256(data).hexdigest() != file.sha256:
        raise CertificateMissing(f"certificate file {file.id} is missing or damaged in storage")
    return data


def delete_certificate(db: Session, storage: Storage, file: CertificateFile) -> None:
    storage.delete(file.storage_key)
    db.delete(file)
    db.flush()
