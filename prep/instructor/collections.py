"""Instructor collections: upload a GIFT, Aiken or Moodle XML file, preview it, then confirm.

The upload is kept as a draft row (any app server can show the preview and take the
confirmation); confirming parses the stored bytes again with the bank importer
(`prep.bank.importing`) and stores a collection owned by the instructor. Drafts older than
DRAFT_MAX_AGE are deleted whenever someone uploads. Services flush; routes commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from prep.bank import formats
from prep.bank.importing import IMPORT_FORMATS, ImportRefused, parse_file, prepare, store_collection
from prep.core.blueprint import Blueprint
from prep.core.items import Item
from prep.models.cohort import CollectionDraft
from prep.models.question import Collection, Question, QuestionVersion
from prep.models.user import User

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
DRAFT_MAX_AGE = timedelta(days=1)
FORMAT_LABELS = {"gift": "GIFT", "aiken": "Aiken", "moodle-xml": "Moodle XML"}
assert set(FORMAT_LABELS) == set(IMPORT_FORMATS)


@dataclass(frozen=True)
class Preview:
    items: list[Item]
    skipped: list[formats.ImportWarning]


def display_filename(name: str | None) -> str:
    """The last part of a client's file name, for display only (never used as a path)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    return "".join(c for c in base if c.isprintable())[:200] or "upload"


def create_draft(
    db: Session,
    owner: User,
    *,
    name: str,
    fmt: str,
    domain: str | None,
    topics: list[str],
    filename: str | None,
    data: bytes,
    blueprint: Blueprint,
    now: datetime,
) -> tuple[CollectionDraft, Preview]:
    """Store an upload for preview; raise ImportRefused (nothing stored) if it cannot be imported."""
    if fmt not in IMPORT_FORMATS:
        raise ImportRefused("choose the file's format")
    if not data:
        raise ImportRefused("the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    name = (name or "").strip()[:200] or display_filename(filename)
    preview = build_preview(data, fmt, domain, topics, blueprint, name)
    db.execute(delete(CollectionDraft).where(CollectionDraft.created_at < now - DRAFT_MAX_AGE))
    draft = CollectionDraft(
        owner_id=owner.id,
        name=name,
        format=fmt,
        domain=domain or None,
        topics=list(topics),
        filename=display_filename(filename),
        data=data,
        created_at=now,
    )
    db.add(draft)
    db.flush()
    return draft, preview


def build_preview(
    data: bytes, fmt: str, domain: str | None, topics: list[str], blueprint: Blueprint, name: str
) -> Preview:
    result = parse_file(data, fmt)
    items = prepare(result, blueprint, domain=domain or None, topics=tuple(topics), source_name=name)
    return Preview(items, list(result.skipped))


def get_draft(db: Session, owner: User, draft_id: int) -> CollectionDraft | None:
    draft = db.get(CollectionDraft, draft_id)
    return draft if draft is not None and draft.owner_id == owner.id else None


def draft_preview(draft: CollectionDraft, blueprint: Blueprint) -> Preview:
    return build_preview(draft.data, draft.format, draft.domain, draft.topics, blueprint, draft.name)


def confirm_draft(db: Session, draft: CollectionDraft, blueprint: Blueprint, now: datetime) -> Collection:
    """Store the draft's items as the owner's collection and drop the draft."""
    preview = draft_preview(draft, blueprint)
    if not preview.items:
        raise ImportRefused("the file holds no question CMAA Prep can import")
    collection = store_collection(db, draft.name, preview.items, now, owner_id=draft.owner_id)
    db.delete(draft)
    db.flush()
    return collection


def discard_draft(db: Session, draft: CollectionDraft) -> None:
    db.delete(draft)
    db.flush()


def owned_collections(db: Session, owner: User) -> list[tuple[Collection, int]]:
    """The instructor's collections with their question counts, newest first."""
    rows = db.execute(
        select(Collection, func.count(Question.id))
        .outerjoin(Question, Question.collection_id == Collection.id)
        .where(Collection.owner_id == owner.id)
        .group_by(Collection.id)
        .order_by(Collection.created_at.desc(), Collection.id.desc())
    ).all()
    return [(c, n) for c, n in rows]


def get_collection(db: Session, owner: User, collection_id: int) -> Collection | None:
    collection = db.get(Collection, collection_id)
    return collection if collection is not None and collection.owner_id == owner.id else None


def collection_questions(db: Session, collection: Collection) -> list[tuple[Question, QuestionVersion]]:
    return [
        (q, v)
        for q, v in db.execute(
            select(Question, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.collection_id == collection.id)
            .order_by(Question.key)
        ).all()
    ]
