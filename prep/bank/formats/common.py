"""The data every format shares: import results, the error for malformed files, the export input.

Also the few rules two or more formats apply the same way: decoding a file, naming a question
in a warning, deciding whether a choice question is one CMAA Prep can hold, and the metadata
our own exports carry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from prep.core.items import OPTION_COUNT, Item

META_PREFIX = "cmaa-meta:"
CATEGORY_ROOT = "$course$/top/cmaa"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ImportedItem:
    """One question a file holds that CMAA Prep can take: four options, one key."""

    title: str | None
    stem: str
    options: tuple[str, ...]
    answer: int
    rationales: tuple[str, ...]
    line: int
    metadata: dict
    general_feedback: str = ""


@dataclass(frozen=True)
class ImportWarning:
    """A question the file holds that was left out, and why."""

    line: int
    name: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    items: list[ImportedItem]
    skipped: list[ImportWarning]


class ImportFormatError(ValueError):
    """The file is malformed: nothing in it is imported."""

    def __init__(self, line: int | None, message: str):
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


@dataclass(frozen=True)
class ExportItem:
    """A bank item and the database version being exported."""

    item: Item
    version: int


@dataclass(frozen=True)
class Choice:
    """One answer of a choice question as a file states it; `fraction` is 100 for full credit."""

    text: str
    fraction: float
    feedback: str = ""


@dataclass
class Question:
    """A parsed question before the CMAA Prep rules decide whether it is kept."""

    line: int
    title: str | None
    stem: str
    choices: list[Choice] = field(default_factory=list)
    general_feedback: str = ""
    metadata: dict = field(default_factory=dict)


def decode_text(data: bytes | str) -> str:
    """The text of a file given as UTF-8 bytes (a byte-order mark is dropped) or as str."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(line, "the file is not UTF-8 text") from None


def split_lines(text: str) -> list[str]:
    """Lines split on LF, CRLF or CR only (not on the other characters str.splitlines uses)."""
    return _LINE_BREAK.split(text)


def display_name(title: str | None, text: str) -> str:
    """How a warning names a question: its title, else the start of its text."""
    if title:
        return title
    flat = " ".join(text.split())
    return flat[:60] or "(untitled question)"


def skipped(kind: str) -> str:
    return f"skipped: {kind} questions are not supported"


def fully_correct(fraction: float) -> bool:
    return fraction >= 99.99995


def to_item(question: Question) -> ImportedItem | str:
    """The item `question` becomes, or the reason it is skipped.

    CMAA Prep holds single-answer questions with exactly four options and one fully correct
    option. Options with no text are dropped first, as Moodle does when it saves a question.
    Wrong options may carry a zero or negative weight; any partial credit means the question
    is really multiple-response.
    """
    choices = [c for c in question.choices if c.text]
    correct = [i for i, c in enumerate(choices) if fully_correct(c.fraction)]
    if len(correct) > 1:
        return f"skipped: multiple-response questions are not supported ({len(correct)} answers are fully correct)"
    if any(c.fraction > 0 and not fully_correct(c.fraction) for c in choices):
        return "skipped: partial-credit answers (multiple response) are not supported"
    if len(choices) != OPTION_COUNT:
        return f"skipped: has {len(choices)} options; CMAA Prep items have exactly {OPTION_COUNT}"
    if not correct:
        return "skipped: no option is marked fully correct"
    if not question.stem:
        return "skipped: the question has no text"
    return ImportedItem(
        title=question.title,
        stem=question.stem,
        options=tuple(c.text for c in choices),
        answer=correct[0],
        rationales=tuple(c.feedback for c in choices),
        line=question.line,
        metadata=question.metadata,
        general_feedback=question.general_feedback,
    )


def collect(questions_and_skips: list[Question | ImportWarning]) -> ImportResult:
    """Apply the CMAA Prep rules to parsed questions, keeping warnings in file order."""
    items: list[ImportedItem] = []
    warnings: list[ImportWarning] = []
    for entry in questions_and_skips:
        if isinstance(entry, ImportWarning):
            warnings.append(entry)
            continue
        result = to_item(entry)
        if isinstance(result, str):
            warnings.append(ImportWarning(entry.line, display_name(entry.title, entry.stem), result))
        else:
            items.append(result)
    return ImportResult(items, warnings)


def metadata_of(export: ExportItem) -> dict:
    """What our exports record about an item beyond the text a quiz shows."""
    item = export.item
    return {
        "id": item.id,
        "version": export.version,
        "domain": item.domain,
        "topics": list(item.topics),
        "difficulty": item.difficulty,
        "references": list(item.references),
        "test_plan": item.test_plan,
    }


def metadata_json(export: ExportItem) -> str:
    """The metadata as one line of JSON."""
    return json.dumps(metadata_of(export), ensure_ascii=False, separators=(", ", ": "))


def read_metadata(raw: str, line: int) -> dict:
    """Parse the JSON after `cmaa-meta:`; anything but a JSON object is a malformed file."""
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImportFormatError(line, f"the {META_PREFIX} comment is not valid JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise ImportFormatError(line, f"the {META_PREFIX} comment must hold a JSON object")
    return value


def references_feedback(item: Item) -> str:
    """The general feedback our exports write: the references, one a line."""
    return "References:\n" + "\n".join(item.references)


def restore_item(imported: ImportedItem) -> Item | None:
    """The bank item an import of our own GIFT or Moodle XML export describes.

    None when the metadata lacks a field (a foreign file, or one an LMS rewrote). The result
    still has to pass the bank's validation before it is stored.
    """
    meta = imported.metadata
    try:
        return Item(
            id=str(meta["id"]),
            domain=str(meta["domain"]),
            topics=tuple(str(t) for t in meta["topics"]),
            difficulty=int(meta["difficulty"]),
            stem=imported.stem,
            options=imported.options,
            rationales=imported.rationales,
            answer=imported.answer,
            references=tuple(str(r) for r in meta["references"]),
            test_plan=str(meta["test_plan"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
