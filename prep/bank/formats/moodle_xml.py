"""Moodle XML: reading a <quiz> file safely, and writing one Moodle imports.

The file is parsed with defusedxml: entity declarations (the "billion laughs" and friends) and
external references are refused as malformed input. Every text is converted to plain text
according to its `format` attribute (html, moodle_auto_format, plain_text, markdown); HTML is
sanitised with nh3 on the way. Category and description pseudo-questions are passed over
silently; every other question that is not a single-answer multiple choice with four options
is skipped with a warning.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # builds XML only; parsing is done by defusedxml
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

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
    display_name,
    metadata_json,
    read_metadata,
    references_feedback,
    skipped,
)
from prep.bank.formats.html_text import HTML, MARKDOWN, MOODLE_AUTO, PLAIN, to_plain_text

_FORMATS = {"html": HTML, "moodle_auto_format": MOODLE_AUTO, "plain_text": PLAIN, "markdown": MARKDOWN}
_PSEUDO_TYPES = {"category", "description"}
_TYPE_NAMES = {
    "essay": "essay",
    "matching": "matching",
    "truefalse": "true/false",
    "shortanswer": "short-answer",
    "numerical": "numerical",
    "multianswer": "cloze (embedded answers)",
    "calculated": "calculated",
    "calculatedsimple": "calculated",
    "calculatedmulti": "calculated multiple-choice",
    "ddwtos": "drag-and-drop",
    "gapselect": "select-missing-words",
    "randomsamatch": "random short-answer matching",
}
TAG_PREFIX = "cmaa-"


class _LocatingBuilder:
    """A TreeBuilder target that records each element's line and the comments inside it."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[ET.Element, int] = {}
        self.comments: dict[ET.Element, list[tuple[int, str]]] = {}
        self._open: list[ET.Element] = []

    def line(self) -> int:
        return self.parser.parser.CurrentLineNumber if self.parser else 1

    def start(self, tag, attrs):
        element = self.builder.start(tag, attrs)
        self.lines[element] = self.line()
        self._open.append(element)
        return element

    def end(self, tag):
        self._open.pop()
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def comment(self, text):
        if self._open:
            self.comments.setdefault(self._open[-1], []).append((self.line(), text))

    def close(self):
        return self.builder.close()


def _parse(data: bytes) -> tuple[ET.Element, _LocatingBuilder]:
    target = _LocatingBuilder()
    parser = DefusedXMLParser(target=target)
    target.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as exc:
        line, _column = exc.position
        reason = expat.errors.messages.get(exc.code, "not well-formed")
        raise ImportFormatError(line, f"not well-formed XML: {reason}") from None
    except LookupError as exc:
        raise ImportFormatError(target.line(), f"unknown text encoding ({exc})") from None
    except DefusedXmlException as exc:
        raise ImportFormatError(
            target.line(), f"refused: the file declares XML entities or external references ({type(exc).__name__})"
        ) from None
    return root, target


def parse_moodle_xml(data: bytes | str) -> ImportResult:
    """Import a Moodle XML file: raw bytes (encoding from the XML declaration, UTF-8 by default).

    A str is encoded as UTF-8 first, so it must not declare another encoding. Raises
    ImportFormatError when the file is not well-formed, declares entities, or is not a <quiz>.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    root, located = _parse(data)
    if root.tag != "quiz":
        raise ImportFormatError(located.lines.get(root, 1), f"the root element must be <quiz>, not <{root.tag}>")
    parsed: list[Question | ImportWarning] = []
    for element in root.findall("question"):
        entry = _read_question(element, located)
        if entry is not None:
            parsed.append(entry)
    return collect(parsed)


def _text(element: ET.Element | None) -> str:
    """Plain text of an element holding <text>, converted by its format (Moodle's default: auto)."""
    if element is None:
        return ""
    return to_plain_text(element.findtext("text") or "", _FORMATS.get(element.get("format", ""), MOODLE_AUTO))


def _read_question(element: ET.Element, located: _LocatingBuilder) -> Question | ImportWarning | None:
    kind = element.get("type", "")
    if kind in _PSEUDO_TYPES:
        return None
    line = located.lines[element]
    title = " ".join((element.findtext("name/text") or "").split()) or None
    stem = _text(element.find("questiontext"))
    if kind != "multichoice":
        name = _TYPE_NAMES.get(kind, kind or "untyped")
        return ImportWarning(line, display_name(title, stem), skipped(name))
    if (element.findtext("single") or "true").strip().lower() in {"false", "0"}:
        return ImportWarning(
            line,
            display_name(title, stem),
            "skipped: multiple-response questions (<single>false</single>) are not supported",
        )
    choices = []
    for answer in element.findall("answer"):
        fraction = _fraction(answer, located)
        choices.append(Choice(_text(answer), fraction, _text(answer.find("feedback"))))
    general = _text(element.find("generalfeedback"))
    return Question(line, title, stem, choices, general, _metadata(element, located))


def _fraction(answer: ET.Element, located: _LocatingBuilder) -> float:
    raw = answer.get("fraction", "0")
    try:
        fraction = float(raw)
    except ValueError:
        fraction = math.nan
    if not math.isfinite(fraction):
        raise ImportFormatError(located.lines[answer], f"answer fraction {raw!r} is not a number")
    return fraction


def _metadata(element: ET.Element, located: _LocatingBuilder) -> dict:
    """Our metadata comment if present; else what our cmaa- tags and <idnumber> still say."""
    for line, comment in located.comments.get(element, []):
        comment = comment.strip()
        if comment.startswith(META_PREFIX):
            return read_metadata(comment[len(META_PREFIX) :], line)
    tags = [(t.findtext("text") or "").strip() for t in element.findall("tags/tag")]
    ours = [t[len(TAG_PREFIX) :].partition(":") for t in tags if t.startswith(TAG_PREFIX)]
    if not ours:
        return {}
    metadata: dict = {"topics": []}
    idnumber = (element.findtext("idnumber") or "").strip()
    if idnumber:
        metadata["id"] = idnumber
    for key, _, value in ours:
        if key == "topic":
            metadata["topics"].append(value)
        elif key == "difficulty" and value.isdigit():
            metadata["difficulty"] = int(value)
        elif key in {"domain", "test-plan"}:
            metadata[key.replace("-", "_")] = value
    return metadata


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _plain_text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = _sub(parent, tag, format="plain_text", **attrs)
    _sub(element, "text", text)
    return element


def _comment(text: str) -> ET.Element:
    # "--" may not appear in an XML comment; in our JSON it can only occur inside strings,
    # where "\u002d" is the same hyphen.
    return ET.Comment(" " + text.replace("--", "-\\u002d") + " ")


def _category(quiz: ET.Element, domain: str) -> None:
    question = _sub(quiz, "question", type="category")
    _sub(_sub(question, "category"), "text", f"{CATEGORY_ROOT}/{domain}")
    _sub(_sub(question, "info", format="moodle_auto_format"), "text", "")
    _sub(question, "idnumber", "")


def _question(quiz: ET.Element, export: ExportItem) -> None:
    item = export.item
    question = _sub(quiz, "question", type="multichoice")
    question.append(_comment(f"{META_PREFIX} {metadata_json(export)}"))
    _sub(_sub(question, "name"), "text", item.id)
    _plain_text(question, "questiontext", item.stem)
    _plain_text(question, "generalfeedback", references_feedback(item))
    for tag, value in (("defaultgrade", "1.0000000"), ("penalty", "0.3333333"), ("hidden", "0")):
        _sub(question, tag, value)
    _sub(question, "idnumber", item.id)
    for tag, value in (("single", "true"), ("shuffleanswers", "false"), ("answernumbering", "ABCD")):
        _sub(question, tag, value)
    for i, (option, rationale) in enumerate(zip(item.options, item.rationales, strict=True)):
        answer = _plain_text(question, "answer", option, fraction="100" if i == item.answer else "0")
        _plain_text(answer, "feedback", rationale)
    tags = _sub(question, "tags")
    labels = [f"domain:{item.domain}", *(f"topic:{t}" for t in item.topics), f"difficulty:{item.difficulty}"]
    for label in [*labels, f"test-plan:{item.test_plan}"]:
        _sub(_sub(tags, "tag"), "text", TAG_PREFIX + label)


def export_moodle_xml(items: list[ExportItem]) -> str:
    """Moodle XML that Moodle imports, and that `parse_moodle_xml` reads back without loss."""
    quiz = ET.Element("quiz")
    quiz.append(
        ET.Comment(
            f" CMAA Prep question bank export. The '{META_PREFIX}' comment in each question "
            "carries our metadata; the cmaa- tags repeat part of it where Moodle keeps it. "
        )
    )
    domain = None
    for export in items:
        if export.item.domain != domain:
            domain = export.item.domain
            _category(quiz, domain)
        _question(quiz, export)
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
