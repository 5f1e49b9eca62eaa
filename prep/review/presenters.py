"""How review cards read on pages and in the API."""

from __future__ import annotations

from datetime import datetime

from prep.core import review as rules
from prep.models.question import QuestionVersion
from prep.models.review import ReviewCard
from prep.quiz.presenters import iso

KIND_LABELS = {"question": "Question", "fact": "Key fact", "word-part": "Word part"}


def until(due: datetime, now: datetime) -> str:
    """'now', 'in 10 minutes', 'in 3 hours', 'in 4 days'."""
    seconds = (due - now).total_seconds()
    if seconds <= 60:
        return "now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = round(seconds / size)
            return f"in {n} {unit}{'' if n == 1 else 's'}"
    return "now"


def state_name(card: ReviewCard) -> str:
    return rules.STATE_NAMES[card.state]


def card_label(card: ReviewCard, version: QuestionVersion | None, limit: int = 120) -> str:
    """What a card is about, in a line: the stem of its question, or the word part."""
    if card.kind == "word-part":
        kind, _, part = card.key.partition(":")
        return f"{part} ({kind.replace('-', ' ')})"
    text = version.stem if version is not None else card.key
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def next_review_payload(card: ReviewCard) -> dict:
    """POST /api/v1/reviews/<question_id>: the card's next due time and state."""
    return {"due": iso(card.due), "state": state_name(card)}


def due_item_payload(card: ReviewCard, version: QuestionVersion) -> dict:
    """One item of GET /api/v1/reviews/due (options in the bank's order)."""
    return {"question_id": card.key, "due": iso(card.due), "stem": version.stem, "options": list(version.options)}
