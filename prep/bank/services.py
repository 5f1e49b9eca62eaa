"""Syncing the bank files into the database, and reading the active bank back.

`sync_bank` is the only writer of bank questions: new items are added, changed items get a new
version, items gone from the files are retired (never deleted), and everything else is left
alone. It flushes; the `bank sync` command commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from prep.bank.validate import bank_files
from prep.core.items import Item
from prep.models.question import BankSyncState, Question, QuestionTopic, QuestionVersion


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped_parse: bool = False

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, changed {len(self.changed)}, retired {len(self.retired)}, "
            f"restored {len(self.restored)}, unchanged {self.unchanged}"
        )


def files_digest(bank_path: Path) -> str:
    """One digest over the blueprint and every item file (names and bytes)."""
    digest = hashlib.sha256()
    root = bank_path
    for path in [bank_path / "blueprint.yaml", *bank_files(bank_path)]:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def unchanged_since_last_sync(db: Session, digest: str) -> BankSyncState | None:
    """The stored sync state when the files are byte-for-byte what the last sync saw."""
    state = db.get(BankSyncState, 1)
    if state is not None and state.files_digest == digest:
        return state
    return None


def _version_row(question_id: int, version: int, item: Item, now: datetime) -> dict:
    return {
        "question_id": question_id,
        "version": version,
        "content_hash": item.content_hash,
        "domain": item.domain,
        "topics": list(item.topics),
        "difficulty": item.difficulty,
        "stem": item.stem,
        "options": list(item.options),
        "rationales": list(item.rationales),
        "answer": item.answer,
        "references": list(item.references),
        "test_plan": item.test_plan,
        "review": dict(item.review),
        "created_at": now,
    }


def sync_bank(db: Session, items: Iterable[Item], now: datetime, digest: str | None = None) -> SyncReport:
    """Upsert validated bank `items` as versioned questions; retire bank questions not listed."""
    report = SyncReport()
    items = list(items)
    existing = {
        row.key: row
        for row in db.execute(
            select(
                Question.id, Question.key, Question.retired_at, QuestionVersion.content_hash, QuestionVersion.version
            )
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id, isouter=True)
            .where(Question.collection_id.is_(None))
        )
    }
    new_items = [item for item in items if item.id not in existing]
    if new_items:
        db.execute(
            insert(Question),
            [
                {"key": i.id, "domain": i.domain, "difficulty": i.difficulty, "created_at": now, "collection_id": None}
                for i in new_items
            ],
        )
        ids = {}
        for chunk in _chunks([i.id for i in new_items]):
            ids.update(db.execute(select(Question.key, Question.id).where(Question.key.in_(chunk))).all())
    else:
        ids = {}
    pending: list[tuple[int, Item, int]] = []  # (question id, item, version number)
    for item in items:
        row = existing.get(item.id)
        if row is None:
            pending.append((ids[item.id], item, 1))
            report.added.append(item.id)
            continue
        if row.retired_at is not None:
            report.restored.append(item.id)
        if row.content_hash == item.content_hash:
            if row.retired_at is None:
                report.unchanged += 1
            else:
                db.execute(update(Question).where(Question.id == row.id).values(retired_at=None))
            continue
        pending.append((row.id, item, (row.version or 0) + 1))
        if row.retired_at is None:
            report.changed.append(item.id)
    _store_versions(db, pending, now)
    listed = {item.id for item in items}
    to_retire = [row for key, row in existing.items() if key not in listed and row.retired_at is None]
    if to_retire:
        for chunk in _chunks([r.id for r in to_retire]):
            db.execute(update(Question).where(Question.id.in_(chunk)).values(retired_at=now))
        report.retired = sorted(r.key for r in to_retire)
    if digest is not None:
        state = db.get(BankSyncState, 1) or BankSyncState(id=1)
        state.files_digest, state.active_items, state.synced_at = digest, len(items), now
        db.add(state)
    db.flush()
    return report


def _chunks(values: list, size: int = 2000):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _store_versions(db: Session, pending: list[tuple[int, Item, int]], now: datetime) -> None:
    """Insert new versions, point questions at them, and refresh their topic rows.

    Set-based statements (one per chunk, not one per question) keep a 10,000-item sync fast.
    """
    if not pending:
        return
    db.execute(insert(QuestionVersion), [_version_row(qid, v, item, now) for qid, item, v in pending])
    question_ids = [qid for qid, _, _ in pending]
    for chunk in _chunks(question_ids):
        # UPDATE ... FROM a grouped subquery, not a correlated max() per row: right after the
        # insert PostgreSQL has no statistics for the new rows and ran that subquery as a scan of
        # the whole version table per question (3 s for a first sync of 10,000 items).
        latest = (
            select(QuestionVersion.question_id, func.max(QuestionVersion.id).label("version_id"))
            .where(QuestionVersion.question_id.in_(chunk))
            .group_by(QuestionVersion.question_id)
            .subquery()
        )
        db.execute(
            update(Question)
            .where(Question.id == latest.c.question_id)
            .values(current_version_id=latest.c.version_id, retired_at=None)
        )
        current = QuestionVersion.id == Question.current_version_id
        db.execute(
            update(Question)
            .where(Question.id.in_(chunk))
            .values(
                domain=select(QuestionVersion.domain).where(current).scalar_subquery(),
                difficulty=select(QuestionVersion.difficulty).where(current).scalar_subquery(),
            )
        )
        db.execute(delete(QuestionTopic).where(QuestionTopic.question_id.in_(chunk)))
    db.execute(
        insert(QuestionTopic), [{"question_id": qid, "topic": t} for qid, item, _ in pending for t in item.topics]
    )


def active_bank_items(db: Session, collection_id: int | None = None) -> list[tuple[Item, int]]:
    """The active questions (bank by default) as (Item, version number), ordered by key."""
    rows = db.execute(
        select(Question.key, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(
            Question.retired_at.is_(None),
            Question.collection_id.is_(collection_id)
            if collection_id is None
            else Question.collection_id == collection_id,
        )
        .order_by(Question.key)
    ).all()
    return [(version_to_item(key, v), v.version) for key, v in rows]


def version_to_item(key: str, v: QuestionVersion) -> Item:
    return Item(
        id=key,
        domain=v.domain,
        topics=tuple(v.topics),
        difficulty=v.difficulty,
        stem=v.stem,
        options=tuple(v.options),
        rationales=tuple(v.rationales),
        answer=v.answer,
        references=tuple(v.references),
        test_plan=v.test_plan,
        review=dict(v.review or {}),
    )
