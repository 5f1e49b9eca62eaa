"""Spaced-repetition rules of our own; the FSRS arithmetic itself lives in prep/review/scheduler.py.

- How an answer becomes a rating: wrong -> again; right but guessed -> hard; right -> good.
  In a review the learner may also choose easy (and again, when they did not really know it).
- When a card counts as due: its due time has come, or it is a learning card (just missed or
  just learned) due within the learn-ahead window, as in Anki, so a missed item is in the
  queue at once rather than ten minutes later.
- A leech is an item missed (rated again) LEECH_MISSES times or more.
- Desired retention is a learner's setting between 0.80 and 0.95.
- Days are UTC days.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

RATINGS = ("again", "hard", "good", "easy")  # FSRS order: 1..4
RATING_VALUES = {name: value for value, name in enumerate(RATINGS, start=1)}

# Card states, with the numbers FSRS uses.
LEARNING, REVIEW, RELEARNING = 1, 2, 3
STATE_NAMES = {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}

LEARN_AHEAD = timedelta(minutes=20)
LEECH_MISSES = 4
DEFAULT_RETENTION = 0.90
RETENTION_RANGE = (0.80, 0.95)
RETENTION_CHOICES = tuple(round(0.80 + n / 100, 2) for n in range(16))
NEW_PER_SESSION_DAY = 5  # new questions the daily review session adds from weak domains
NEW_FLASHCARDS_PER_DAY = 10  # new flashcards per deck and day


class RatingError(ValueError):
    """A rating that is not one of RATINGS."""


def rating_for_answer(correct: bool, guessed: bool = False) -> str:
    """The rating an answered question gives its card."""
    if not correct:
        return "again"
    return "hard" if guessed else "good"


def allowed_ratings(correct: bool) -> tuple[str, ...]:
    """What a learner may choose after answering in a review: a wrong answer is always again."""
    return RATINGS if correct else ("again",)


def parse_rating(value: object) -> str:
    if not isinstance(value, str) or value.strip().lower() not in RATING_VALUES:
        raise RatingError(f"rating must be one of: {', '.join(RATINGS)}.")
    return value.strip().lower()


def is_miss(rating: str) -> bool:
    return rating == "again"


def is_leech(misses: int) -> bool:
    return misses >= LEECH_MISSES


def is_due(state: int, due: datetime, now: datetime) -> bool:
    """True when a card belongs in today's queue (see the module docstring)."""
    if due <= now:
        return True
    return state != REVIEW and due <= now + LEARN_AHEAD


def check_retention(value: object) -> float:
    """A desired retention, rounded to two decimals; ValueError outside 0.80-0.95."""
    try:
        number = round(float(value), 2)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError("desired retention must be a number between 0.80 and 0.95.") from None
    low, high = RETENTION_RANGE
    if not low <= number <= high:
        raise ValueError("desired retention must be between 0.80 and 0.95.")
    return number


def day_start(now: datetime) -> datetime:
    """Midnight UTC of the day `now` falls in."""
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)
