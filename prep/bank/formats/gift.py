"""GIFT, Moodle's text format, read and written the way Moodle's own qformat_gift does.

Reading: questions are separated by blank lines; lines starting with `//` are comments;
`$CATEGORY:` lines switch category (ignored here); `::title::` names a question; `[html]`,
`[moodle]`, `[plain]` or `[markdown]` before a text gives its format (the question's format is
the default for its answers and feedback); `\\~ \\= \\# \\{ \\} \\: \\\\` are literal characters and
`\\n` a line break. In the answer block `{...}`, `=` marks the key, `~` a wrong option, `~%N%` a
weighted option, `#` the feedback of the option before it and `####` the general feedback. The
question type follows from the answer block as in Moodle (empty: essay; `#...`: numerical; any
`~`: multiple choice; `=` and `->`: matching; T/F: true/false; otherwise short answer).

Writing: see the package docstring for how our metadata rides along.
"""

from __future__ import annotations

import re

from prep.bank.formats.common import (
    CATEGORY_ROOT,
    META_PREFIX,
    Choice,
    ExportItem,
    ImportFormatError,
    ImportResult,
    ImportWarning,
    Question,
    collect,
    decode_text,
    display_name,
    metadata_json,
    read_metadata,
    references_feedback,
    skipped,
    split_lines,
)
from prep.bank.formats.html_text import HTML, MARKDOWN, MOODLE_AUTO, PLAIN, to_plain_text

_ESCAPABLE = ":#={}~"
# Escaped characters become private-use placeholders while the structure is parsed.
_PLACEHOLDER = {c: chr(0xE000 + ord(c)) for c in _ESCAPABLE + "\\"}
_NEWLINE_PLACEHOLDER = chr(0xE000 + ord("n"))
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()} | {_NEWLINE_PLACEHOLDER: "\n"}
_FORMATS = {"html": HTML, "moodle": MOODLE_AUTO, "plain": PLAIN, "markdown": MARKDOWN}
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]*)?)%")
_TRUE_FALSE = {"T", "TRUE", "F", "FALSE"}


def _escape_pre(text: str) -> str:
    def placeholder(match: re.Match) -> str:
        char = match.group(1)
        return _NEWLINE_PLACEHOLDER if char == "n" else _PLACEHOLDER[char]

    return re.sub(r"\\([:#={}~n\\])", placeholder, text)


def _escape_post(text: str) -> str:
    return "".join(_RESTORE.get(c, c) for c in text)


def _with_format(text: str, default: str) -> tuple[str, str]:
    """(format, plain text) of a GIFT text that may start with a [format] marker."""
    text = text.strip()
    text_format = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end > 0 else ""
        if name in _FORMATS:
            text_format, text = _FORMATS[name], text[end + 1 :]
    return text_format, to_plain_text(_escape_post(text), text_format)


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines, each line with its 1-based number, trimmed as Moodle does."""
    blocks, current = [], []
    for number, line in enumerate(split_lines(text), start=1):
        if line.strip():
            current.append((number, line.strip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_gift(text: bytes | str) -> ImportResult:
    """Import a GIFT file (UTF-8 bytes, or str). Raises ImportFormatError when malformed."""
    parsed: list[Question | ImportWarning] = []
    for block in _blocks(decode_text(text)):
        entry = _read_block(block)
        if entry is not None:
            parsed.append(entry)
    return collect(parsed)


def _read_block(block: list[tuple[int, str]]) -> Question | ImportWarning | None:
    metadata: dict = {}
    body: list[str] = []
    first_line = None
    for number, line in block:
        if line.startswith("//"):
            comment = line[2:].strip()
            if comment.startswith(META_PREFIX):
                metadata = read_metadata(comment[len(META_PREFIX) :], number)
            body.append("")
        elif line.startswith("$CATEGORY:") and first_line is None:
            body.append("")
        else:
            first_line = first_line or number
            body.append(line)
    if first_line is None:
        return None
    raw = _escape_pre("\n".join(body))
    return _read_question(raw, block[0][0], first_line, metadata)


def _read_question(raw: str, block_line: int, first_line: int, metadata: dict) -> Question | ImportWarning:
    position = len(raw) - len(raw.lstrip())
    title = None
    if raw.startswith("::", position):
        end = raw.find("::", position + 2)
        if end == -1:
            position += 2
        else:
            title = " ".join(_escape_post(raw[position + 2 : end]).split()) or None
            position = end + 2
    if "{" not in raw[position:] and "}" not in raw[position:]:
        # Moodle exports descriptions (text without an answer block) in GIFT: not an error.
        text = _with_format(raw[position:], MOODLE_AUTO)[1]
        return ImportWarning(first_line, display_name(title, text), "skipped: a description, not a question")
    start, finish = _answer_block(raw, position, block_line, first_line)
    after = raw[finish + 1 :]
    question_text = raw[position:start] + ("_____" + after if after.strip() else "")
    answers = raw[start + 1 : finish].strip()
    general = ""
    separator = answers.rfind("####")
    if separator != -1:
        answers, general = answers[:separator].strip(), answers[separator + 4 :]
    text_format, stem = _with_format(question_text, MOODLE_AUTO)
    kind = _kind(answers)
    if kind != "multiple choice":
        return ImportWarning(first_line, display_name(title, stem), skipped(kind))
    general_feedback = _with_format(general, text_format)[1]
    return Question(first_line, title, stem, _choices(answers, text_format), general_feedback, metadata)


def _answer_block(raw: str, position: int, block_line: int, first_line: int) -> tuple[int, int]:
    """Where the one answer block {...} of a question opens and closes; raise if there is not one."""

    def line_at(offset: int) -> int:
        return block_line + raw.count("\n", 0, offset)

    start, finish = raw.find("{", position), raw.find("}", position)
    if start == -1 and finish == -1:
        raise ImportFormatError(
            first_line, "the question has no answer block {...} (descriptions without answers cannot be imported)"
        )
    if start == -1 or -1 < finish < start:
        raise ImportFormatError(line_at(finish), "'}' without an opening '{' (write \\} for a literal brace)")
    if finish == -1:
        raise ImportFormatError(
            line_at(start), "'{' is never closed: the answer block must end with '}' before the next blank line"
        )
    nested = raw.find("{", start + 1, finish)
    if nested != -1:
        raise ImportFormatError(line_at(nested), "'{' inside an answer block (write \\{ for a literal brace)")
    extra = [i for i in (raw.find("{", finish), raw.find("}", finish + 1)) if i != -1]
    if extra:
        raise ImportFormatError(line_at(min(extra)), "a second answer block: separate questions with a blank line")
    return start, finish


def _kind(answers: str) -> str:
    if not answers:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multiple choice"
    if "=" in answers and "->" in answers:
        return "matching"
    if answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        return "true/false"
    return "short-answer"


def _choices(answers: str, text_format: str) -> list[Choice]:
    choices = []
    for part in answers.replace("=", "~=").split("~"):
        part = part.strip()
        if not part:
            continue
        fraction = 0.0
        if part.startswith("="):
            fraction, part = 100.0, part[1:]
        elif weight := _WEIGHT.match(part):
            fraction, part = float(weight.group(1)), part[weight.end() :]
        text, _, feedback = part.partition("#")
        choices.append(Choice(_with_format(text, text_format)[1], fraction, _with_format(feedback, text_format)[1]))
    return choices


def _escape(text: str) -> str:
    """GIFT text with the special characters escaped and line breaks written as \\n."""
    out = text.replace("\\", "\\\\")
    for char in _ESCAPABLE:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _plain(text: str) -> str:
    """An answer or feedback text; marked [plain] again when it starts like a format marker."""
    escaped = _escape(text)
    starts_with_marker = any(text.startswith(f"[{name}]") for name in _FORMATS)
    return "[plain]" + escaped if starts_with_marker else escaped


def export_gift(items: list[ExportItem]) -> str:
    """GIFT that Moodle imports, and that `parse_gift` reads back without loss."""
    out = [
        "// CMAA Prep question bank export (GIFT).",
        f"// The '{META_PREFIX}' comment before each question carries the fields GIFT has no place for.",
        "",
    ]
    domain = None
    for export in items:
        item = export.item
        if item.domain != domain:
            domain = item.domain
            out += [f"$CATEGORY: {CATEGORY_ROOT}/{domain}", ""]
        out.append(f"// {META_PREFIX} {metadata_json(export)}")
        out.append(f"::{_escape(item.id)}::[plain]{_escape(item.stem)}{{")
        for i, (option, rationale) in enumerate(zip(item.options, item.rationales, strict=True)):
            # A wrong option starting with "%" could read as a weight, so it gets an explicit zero one.
            mark = "=" if i == item.answer else ("~%0%" if option.startswith("%") else "~")
            feedback = f"#{_plain(rationale)}" if rationale else ""
            out.append(f"\t{mark}{_plain(option)}{feedback}")
        out.append(f"\t####{_plain(references_feedback(item))}")
        out += ["}", ""]
    return "\n".join(out)
