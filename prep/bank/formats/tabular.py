"""JSON and CSV exports: the whole item, for scripts and spreadsheets (export only)."""

from __future__ import annotations

import csv
import io
import json

from prep.bank.formats.common import ExportItem
from prep.core.items import LETTERS

CSV_HEADER = [
    "id",
    "version",
    "domain",
    "topics",
    "difficulty",
    "stem",
    *(f"option_{c}" for c in LETTERS.lower()),
    "answer",
    *(f"rationale_{c}" for c in LETTERS.lower()),
    "references",
    "test_plan",
]


def export_json(items: list[ExportItem]) -> str:
    """A JSON array with one object per item; `answer` is the 0-based index of the key."""
    records = [
        {
            "id": e.item.id,
            "version": e.version,
            "domain": e.item.domain,
            "topics": list(e.item.topics),
            "difficulty": e.item.difficulty,
            "stem": e.item.stem,
            "options": list(e.item.options),
            "answer": e.item.answer,
            "rationales": list(e.item.rationales),
            "references": list(e.item.references),
            "test_plan": e.item.test_plan,
        }
        for e in items
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Defuse spreadsheet formulas (CSV injection): a leading ' makes the cell plain text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_csv(items: list[ExportItem]) -> str:
    """CSV (RFC 4180, CRLF line ends) with a header row and one row per item.

    Topics are joined with ";", references with " | ", and `answer` is the key's letter.
    Text cells that a spreadsheet would run as a formula are prefixed with "'".
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for e in items:
        item = e.item
        writer.writerow(
            [
                item.id,
                e.version,
                item.domain,
                ";".join(item.topics),
                item.difficulty,
                _cell(item.stem),
                *map(_cell, item.options),
                item.answer_letter,
                *map(_cell, item.rationales),
                _cell(" | ".join(item.references)),
                item.test_plan,
            ]
        )
    return buffer.getvalue()
