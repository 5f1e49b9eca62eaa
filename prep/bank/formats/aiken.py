"""Aiken, the plain multiple-choice format Moodle documents.

    What is the correct answer to this question?
    A. Is it this one?
    B) Maybe this answer?
    C. Possibly this one?
    D. Must be this one!
    ANSWER: D

The question text (one or more lines), then one option a line, lettered in order from A with
"A." or "A)" and a space, then "ANSWER: X". Blank lines between questions are optional. Text is
plain (Moodle escapes it), there is no feedback, no title and no metadata, so an export is lossy:
only the stem, the options and the key survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prep.bank.formats.common import (
    Choice,
    ExportItem,
    ImportFormatError,
    ImportResult,
    Question,
    collect,
    decode_text,
    split_lines,
)
from prep.core.items import LETTERS

_OPTION = re.compile(r"^([A-Z])[.)](?:[ \t]+(.*))?$")
_ANSWER = re.compile(r"^ANSWER:(.*)$")
_ANSWER_LETTER = re.compile(r"^\s*([A-Za-z])[.)]?\s*$")


@dataclass
class _Draft:
    line: int
    stem: list[str]
    options: list[str] = field(default_factory=list)
    last_line: int = 0


def parse_aiken(text: bytes | str) -> ImportResult:
    """Import an Aiken file (UTF-8 bytes, or str). Raises ImportFormatError when malformed."""
    questions: list[Question] = []
    draft: _Draft | None = None
    lines = split_lines(decode_text(text))
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        option, answer = _OPTION.match(line), _ANSWER.match(line)
        if answer:
            if draft is None or not draft.options:
                raise ImportFormatError(number, "'ANSWER:' line before any options (write options as 'A. text')")
            questions.append(_finish(draft, answer.group(1), number))
            draft = None
        elif option:
            if draft is None:
                raise ImportFormatError(number, "option line before any question text")
            expected = chr(ord("A") + len(draft.options))
            if option.group(1) != expected:
                raise ImportFormatError(number, f"option {option.group(1)} is out of order: expected {expected}")
            if not (option.group(2) or "").strip():
                raise ImportFormatError(number, f"option {expected} has no text")
            draft.options.append(option.group(2).strip())
            draft.last_line = number
        elif draft is None:
            draft = _Draft(number, [line])
        elif draft.options:
            _missing_answer(draft)
        else:
            draft.stem.append(line)
    if draft is not None:
        if not draft.options:
            raise ImportFormatError(draft.line, "the question has no options and no 'ANSWER:' line")
        _missing_answer(draft)
    return collect(list(questions))


def _missing_answer(draft: _Draft) -> None:
    raise ImportFormatError(
        draft.last_line + 1, f"missing 'ANSWER: X' line after the options of the question at line {draft.line}"
    )


def _finish(draft: _Draft, answer: str, number: int) -> Question:
    letters = "".join(chr(ord("A") + i) for i in range(len(draft.options)))
    match = _ANSWER_LETTER.match(answer)
    letter = match.group(1).upper() if match else None
    if letter is None or letter not in letters:
        raise ImportFormatError(number, f"ANSWER {answer.strip()!r} is not one of the option letters {letters}")
    key = letters.index(letter)
    choices = [Choice(text, 100.0 if i == key else 0.0) for i, text in enumerate(draft.options)]
    return Question(draft.line, None, "\n".join(draft.stem), choices)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export_aiken(items: list[ExportItem]) -> str:
    """Aiken text: stem, options and key only (rationales, references and metadata are lost)."""
    out: list[str] = []
    for export in items:
        item = export.item
        out.append(_one_line(item.stem))
        out += [f"{LETTERS[i]}. {_one_line(option)}" for i, option in enumerate(item.options)]
        out += [f"ANSWER: {item.answer_letter}", ""]
    return "\n".join(out)
