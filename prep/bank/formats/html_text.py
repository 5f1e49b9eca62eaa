"""Text from an LMS file, in whatever format it declares, as the plain text the bank stores.

HTML is first sanitised with nh3 (only a few block tags survive, with no attributes; script and
style elements go with their content), then turned into text: <br> becomes a line break, block
elements start a new line, other tags are dropped and entities unescaped. The result is plain
text that the app renders with autoescaping, so a "<" left in it is harmless.
"""

from __future__ import annotations

import html
import re

import nh3

HTML = "html"
MOODLE_AUTO = "moodle"
PLAIN = "plain"
MARKDOWN = "markdown"

_PARAGRAPH_TAGS = {"p", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_LINE_TAGS = {"div", "li", "tr"}
_DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "noscript", "object", "textarea", "title"}
_PARA_MARK, _LINE_MARK = "\x02", "\x01"
_BOUNDARIES = re.compile(r"[\x01\x02][\x01\x02 ]*")
_BREAK = re.compile(r"<br\s*/?>")
_PARAGRAPH = re.compile(r"</?(?:" + "|".join(sorted(_PARAGRAPH_TAGS)) + r")\s*/?>")
_LINE = re.compile(r"</?(?:" + "|".join(sorted(_LINE_TAGS)) + r")\s*/?>")
_ANY_TAG = re.compile(r"<[^>]*>")
_WHITESPACE = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (sanitised first; see the module docstring)."""
    clean = nh3.clean(
        markup,
        tags=_PARAGRAPH_TAGS | _LINE_TAGS | {"br"},
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes={},
        link_rel=None,
    )
    # Only the tags above, without attributes, are left, so these patterns see every one.
    text = _WHITESPACE.sub(" ", clean.replace(_PARA_MARK, "").replace(_LINE_MARK, ""))
    text = _PARAGRAPH.sub(_PARA_MARK, text)
    text = _LINE.sub(_LINE_MARK, text)
    # A run of block boundaries is one break: a blank line if any of them is a paragraph's.
    text = _BOUNDARIES.sub(lambda m: "\n\n" if _PARA_MARK in m.group() else "\n", text)
    text = _BREAK.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def to_plain_text(text: str, text_format: str) -> str:
    """Plain text of `text` written in `text_format` (one of the constants above).

    Moodle's auto-format is HTML in which line breaks count; plain text and Markdown are kept
    as written, since Markdown source reads as text and nothing is rendered unescaped.
    """
    if text_format == HTML:
        return html_to_text(text)
    if text_format == MOODLE_AUTO:
        return html_to_text(re.sub(r"\r\n|\r|\n", "<br>", text))
    return text.strip()
