"""The terminology word-part table (`question_bank/terminology/word_parts.yaml`) as flashcards.

Read on first use and cached while the file's modification time is unchanged, never at import.
A word part's card key is "<type>:<part>" (e.g. "prefix:brady-"), unique in the table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from prep.bank.yamlfile import YamlError, load_yaml

WORD_PARTS_FILE = Path("terminology") / "word_parts.yaml"
TYPE_LABELS = {"prefix": "prefix", "combining-form": "combining form", "suffix": "suffix"}


class TerminologyError(ValueError):
    """The word-part table is missing or malformed; the message names the file and entry."""


@dataclass(frozen=True)
class WordPart:
    part: str
    type: str
    meanings: tuple[str, ...]
    body_system: str
    example: str

    @property
    def key(self) -> str:
        return f"{self.type}:{self.part}"

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> tuple[WordPart, ...]:
    try:
        data = load_yaml(Path(path))
    except YamlError as exc:
        raise TerminologyError(f"{path}:{exc.line or '?'}: {exc}") from exc
    entries = data.get("word_parts") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise TerminologyError(f"{path}: expected a 'word_parts' list")
    parts = []
    for n, entry in enumerate(entries):
        try:
            meanings = entry["meanings"]
            part = WordPart(
                part=str(entry["part"]),
                type=str(entry["type"]),
                meanings=tuple(str(m) for m in (meanings if isinstance(meanings, list) else [meanings])),
                body_system=str(entry.get("body_system", "")),
                example=str(entry.get("example", "")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise TerminologyError(f"{path}: word_parts[{n}]: missing or malformed field {exc}") from exc
        parts.append(part)
    return tuple(parts)


def word_parts(bank_path: str | Path) -> tuple[WordPart, ...]:
    """Every word part in table order; an empty tuple when the bank has no table."""
    path = Path(bank_path) / WORD_PARTS_FILE
    if not path.is_file():
        return ()
    return _load(str(path), path.stat().st_mtime_ns)


def word_part_index(bank_path: str | Path) -> dict[str, WordPart]:
    return {p.key: p for p in word_parts(bank_path)}
