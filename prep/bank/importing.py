"""Between the file formats (prep.bank.formats) and the bank: prepare, store, write, export."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from prep.bank import formats
from prep.bank.services import active_bank_items
from prep.core.blueprint import Blueprint
from prep.core.items import LETTERS, Item
from prep.models.question import Collection, Question, QuestionTopic, QuestionVersion

EXPORT_FORMATS = tuple(formats.EXPORTERS)
IMPORT_FORMATS = tuple(formats.IMPORTERS)
DEFAULT_DIFFICULTY = 2


class ImportRefused(ValueError):
    """The file or the options cannot be imported; nothing was stored."""


def parse_file(data: bytes, fmt: str) -> formats.ImportResult:
    """Parse an upload or file in `fmt`; raise ImportRefused with the line on malformed input."""
    try:
        return formats.IMPORTERS[fmt](data)
    except formats.ImportFormatError as exc:
        raise ImportRefused(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40] or "import"


def prepare(
    result: formats.ImportResult,
    blueprint: Blueprint,
    *,
    domain: str | None,
    topics: tuple[str, ...] = (),
    source_name: str = "import",
) -> list[Item]:
    """Turn parsed items into bank Items, taking metadata from the file when it carries it."""
    if domain is not None and domain not in blueprint.domain_slugs:
        raise ImportRefused(f"--domain: unknown domain {domain!r}")
    for topic in topics:
        if topic not in blueprint.topic_slugs:
            raise ImportRefused(f"--topic: unknown topic {topic!r}")
    items, prefix = [], _slug(source_name)
    for n, parsed in enumerate(result.items, start=1):
        meta = parsed.metadata or {}
        item_domain = meta.get("domain") if meta.get("domain") in blueprint.domain_slugs else domain
        if item_domain is None:
            raise ImportRefused(f"line {parsed.line}: the item has no domain; give --domain SLUG")
        item_topics = [t for t in meta.get("topics", []) if t in blueprint.topic_slugs]
        item_topics += [t for t in topics if t not in item_topics]
        difficulty = meta.get("difficulty")
        references = meta.get("references") or []
        items.append(
            Item(
                id=str(meta.get("id") or f"{prefix}-{n:03d}"),
                domain=item_domain,
                topics=tuple(item_topics),
                difficulty=difficulty if difficulty in (1, 2, 3) else DEFAULT_DIFFICULTY,
                stem=parsed.stem,
                options=tuple(parsed.options),
                rationales=tuple(parsed.rationales),
                answer=parsed.answer,
                references=tuple(str(r) for r in references),
                test_plan=str(meta.get("test_plan") or blueprint.version),
            )
        )
    return items


def store_collection(
    db: Session, name: str, items: list[Item], now: datetime, owner_id: int | None = None
) -> Collection:
    """Store `items` as a new named collection (version 1 of each question)."""
    collection = Collection(name=name.strip()[:200] or "Imported questions", owner_id=owner_id, created_at=now)
    db.add(collection)
    db.flush()
    keys = [f"c{collection.id}-{n:04d}" for n in range(1, len(items) + 1)]
    if not items:
        return collection
    db.execute(
        insert(Question),
        [
            {
                "key": k,
                "collection_id": collection.id,
                "domain": i.domain,
                "difficulty": i.difficulty,
                "created_at": now,
            }
            for k, i in zip(keys, items, strict=True)
        ],
    )
    ids = dict(db.execute(select(Question.key, Question.id).where(Question.collection_id == collection.id)).all())
    for key, item in zip(keys, items, strict=True):
        version = QuestionVersion(
            question_id=ids[key],
            version=1,
            content_hash=item.content_hash,
            domain=item.domain,
            topics=list(item.topics),
            difficulty=item.difficulty,
            stem=item.stem,
            options=list(item.options),
            rationales=list(item.rationales),
            answer=item.answer,
            references=list(item.references),
            test_plan=item.test_plan,
            review={"source": "import"},
            created_at=now,
        )
        db.add(version)
        db.flush()
        db.get(Question, ids[key]).current_version_id = version.id
    if any(i.topics for i in items):
        db.execute(
            insert(QuestionTopic),
            [{"question_id": ids[k], "topic": t} for k, i in zip(keys, items, strict=True) for t in i.topics],
        )
    db.flush()
    return collection


def write_bank_file(items: list[Item], directory: Path, stem: str) -> Path:
    """Write items as a bank YAML file for authors to complete (missing fields left empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{_slug(stem)}.yaml"
    data = {
        "items": [
            {
                "id": i.id,
                "domain": i.domain,
                "topics": list(i.topics),
                "difficulty": i.difficulty,
                "stem": i.stem,
                "options": [{"text": o, "rationale": r} for o, r in zip(i.options, i.rationales, strict=True)],
                "answer": LETTERS[i.answer],
                "references": list(i.references),
                "test_plan": i.test_plan,
                "review": {"source": f"imported from {stem}", "reviewed_by": "pending"},
            }
            for i in items
        ]
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return path


def export_active_bank(db: Session, fmt: str) -> str:
    """The active bank in `fmt` (json, gift, aiken, moodle-xml, csv)."""
    rows = active_bank_items(db)
    return formats.EXPORTERS[fmt]([formats.ExportItem(item=item, version=version) for item, version in rows])
