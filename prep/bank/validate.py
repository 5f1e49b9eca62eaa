"""Reading and validating the bank files: every problem names file, item, field and line.

No Flask and no database here, so authors can run it anywhere. The ICD-10-CM check is passed
in as a callable because loading the code table is slow (see `icd.py`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prep.bank.yamlfile import Located, YamlError, load_yaml
from prep.core.blueprint import Blueprint
from prep.core.items import (
    ID_PATTERN,
    LETTERS,
    OPTION_COUNT,
    Item,
    icd_codes_in,
    normalise_stem,
)

ITEM_FIELDS = {
    "id",
    "domain",
    "topics",
    "difficulty",
    "stem",
    "options",
    "answer",
    "references",
    "test_plan",
    "review",
}
REQUIRED_FIELDS = ITEM_FIELDS - {"review"}


@dataclass(frozen=True)
class Problem:
    """One validation error, located as precisely as the file allows."""

    file: str
    line: int | None
    item_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.item_id:
            parts.append(f"item {self.item_id}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


@dataclass
class BankRead:
    """The items that parsed cleanly, and every problem found."""

    items: list[Item]
    problems: list[Problem]
    item_files: dict[str, str]


def bank_files(path: Path) -> list[Path]:
    """The YAML item files under `path` (or `path` itself), in a stable order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.yaml") if p.name != "blueprint.yaml" and "terminology" not in p.parts)


def _text(value) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


class _ItemReader:
    def __init__(self, file: str, raw: Located, blueprint: Blueprint, versions: set[str]):
        self.file, self.raw, self.blueprint, self.versions = file, raw, blueprint, versions
        self.item_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        self.problems: list[Problem] = []

    def fail(self, field: str | None, message: str, line: int | None = None) -> None:
        if line is None:
            line = self.raw.line_of(field) if field else self.raw.line
        self.problems.append(Problem(self.file, line, self.item_id, field, message))

    def read(self) -> Item | None:
        raw = self.raw
        for name in sorted(REQUIRED_FIELDS - raw.keys()):
            self.fail(name, "missing", raw.line)
        for name in sorted(raw.keys() - ITEM_FIELDS, key=str):
            self.fail(str(name), "unknown field")
        item_id = self.item_id
        if "id" in raw and (item_id is None or not ID_PATTERN.match(item_id)):
            self.fail("id", "must be lowercase letters, digits and single hyphens")
        domain = raw.get("domain")
        if "domain" in raw and domain not in self.blueprint.domain_slugs:
            self.fail("domain", f"unknown domain {domain!r}")
        topics = raw.get("topics")
        if "topics" in raw:
            if not isinstance(topics, list) or not topics:
                self.fail("topics", "must be a non-empty list")
                topics = []
            for t in topics:
                if t not in self.blueprint.topic_slugs:
                    self.fail("topics", f"unknown topic {t!r}")
            if len(set(map(str, topics))) != len(topics):
                self.fail("topics", "repeated topic")
        difficulty = raw.get("difficulty")
        if "difficulty" in raw and (type(difficulty) is not int or not 1 <= difficulty <= 3):
            self.fail("difficulty", "must be 1, 2 or 3")
        stem = _text(raw.get("stem"))
        if "stem" in raw and stem is None:
            self.fail("stem", "must be non-empty text")
        options, rationales = self._options()
        answer = raw.get("answer")
        if "answer" in raw and (not isinstance(answer, str) or answer.strip().upper() not in LETTERS):
            self.fail("answer", "must be one of A, B, C, D")
        references = raw.get("references")
        if "references" in raw:
            if not isinstance(references, list) or not any(_text(r) for r in references):
                self.fail("references", "needs at least one non-empty reference")
                references = []
            elif not all(_text(r) for r in references):
                self.fail("references", "every reference must be non-empty text")
        test_plan = _text(raw.get("test_plan"))
        if "test_plan" in raw and test_plan not in self.versions:
            self.fail("test_plan", f"unknown test-plan version {raw.get('test_plan')!r}")
        review = raw.get("review", {})
        if not isinstance(review, dict):
            self.fail("review", "must be a mapping")
        if self.problems:
            return None
        return Item(
            id=item_id,
            domain=domain,
            topics=tuple(topics),
            difficulty=difficulty,
            stem=stem,
            options=tuple(options),
            rationales=tuple(rationales),
            answer=LETTERS.index(answer.strip().upper()),
            references=tuple(_text(r) for r in references),
            test_plan=test_plan,
            review={str(k): str(v) for k, v in review.items()},
        )

    def _options(self) -> tuple[list[str], list[str]]:
        raw_options = self.raw.get("options")
        if "options" not in self.raw:
            return [], []
        if not isinstance(raw_options, list) or len(raw_options) != OPTION_COUNT:
            self.fail("options", f"must be a list of exactly {OPTION_COUNT} options")
            return [], []
        options, rationales = [], []
        for i, opt in enumerate(raw_options):
            name = f"options[{LETTERS[i]}]"
            if not isinstance(opt, Located):
                self.fail(name, "must be a mapping with text and rationale")
                continue
            line = opt.line
            for key in sorted(opt.keys() - {"text", "rationale"}, key=str):
                self.fail(f"{name}.{key}", "unknown field", line)
            text, rationale = _text(opt.get("text")), _text(opt.get("rationale"))
            if text is None:
                self.fail(f"{name}.text", "must be non-empty text", opt.line_of("text"))
            if rationale is None:
                self.fail(f"{name}.rationale", "every option needs a rationale", opt.line_of("rationale"))
            options.append(text or "")
            rationales.append(rationale or "")
        normalised = [normalise_stem(o) for o in options if o]
        if len(set(normalised)) != len(normalised):
            self.fail("options", "the four options must be distinct")
        return options, rationales


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector (reference counting still frees memory).

    Reading a bank allocates hundreds of thousands of dicts and lists that all stay alive, and
    no cycles: the collector's repeated passes over them find nothing, and took more than half
    the time of reading a 10,000-item bank (1.8 s, 0.8 s without them).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def read_bank(
    path: Path,
    blueprint: Blueprint,
    icd_is_valid: Callable[[str], bool] | None = None,
    versions: Iterable[str] = (),
    root: Path | None = None,
) -> BankRead:
    """Read and validate every item file under `path` against `blueprint`.

    `icd_is_valid` checks a code string; None skips the ICD-10-CM check. `versions` lists the
    test-plan versions items may name (the blueprint's own version is always accepted).
    """
    known_versions = {blueprint.version, *versions}
    items: list[Item] = []
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    seen_stems: dict[str, str] = {}
    item_files: dict[str, str] = {}
    files = bank_files(path)
    if not files:
        problems.append(Problem(str(path), None, None, None, "no item files found"))
    for file_path in files:
        name = str(file_path.relative_to(root)) if root and file_path.is_relative_to(root) else str(file_path)
        try:
            data = load_yaml(file_path)
        except (YamlError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, getattr(exc, "line", None), None, None, str(exc)))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            problems.append(Problem(name, 1, None, "items", "the file must be a mapping with an 'items' list"))
            continue
        for raw in data["items"]:
            if not isinstance(raw, Located):
                problems.append(Problem(name, None, None, None, "every entry of 'items' must be a mapping"))
                continue
            reader = _ItemReader(name, raw, blueprint, known_versions)
            item = reader.read()
            problems.extend(reader.problems)
            item_id = reader.item_id
            if item_id and item_id in seen_ids:
                reader.fail("id", f"duplicate id (first in {seen_ids[item_id]})")
                problems.append(reader.problems[-1])
                item = None
            elif item_id:
                seen_ids[item_id] = name
            if item is None:
                continue
            key = normalise_stem(item.stem)
            if key in seen_stems:
                problems.append(
                    Problem(name, raw.line_of("stem"), item.id, "stem", f"duplicate stem (same as {seen_stems[key]})")
                )
                continue
            seen_stems[key] = item.id
            if icd_is_valid is not None:
                problems.extend(_icd_problems(name, raw, item, icd_is_valid))
            items.append(item)
            item_files[item.id] = name
    return BankRead(items, problems, item_files)


def _icd_problems(file: str, raw: Located, item: Item, icd_is_valid: Callable[[str], bool]) -> list[Problem]:
    fields = [("stem", item.stem, raw.line_of("stem"))]
    options = raw.get("options") or []
    for i in range(OPTION_COUNT):
        line = options[i].line if i < len(options) and isinstance(options[i], Located) else raw.line
        fields.append((f"options[{LETTERS[i]}].text", item.options[i], line))
        fields.append((f"options[{LETTERS[i]}].rationale", item.rationales[i], line))
    found = []
    for field, text, line in fields:
        for code in icd_codes_in(text):
            if not icd_is_valid(code):
                found.append(Problem(file, line, item.id, field, f"{code} is not a valid FY2026 ICD-10-CM code"))
    return found
