"""The FSRS scheduler (the `fsrs` package, as used by Anki), behind three small functions.

A card here is anything with the FSRS state attributes of `prep.models.review.ReviewCard`
(state, step, stability, difficulty, due, last_review). Learning and relearning use one
10-minute step: a question answered right graduates at once to a review in days, a missed one
comes back within minutes (and counts as due at once: see prep/core/review.py).
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from prep.core import review as rules

LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
_RATINGS = {name: Rating(value) for name, value in rules.RATING_VALUES.items()}

assert {s.value for s in State} == set(rules.STATE_NAMES)  # our state numbers are FSRS's


@functools.lru_cache(maxsize=32)
def scheduler_for(desired_retention: float) -> Scheduler:
    """A scheduler for one retention (schedulers hold only their parameters)."""
    return Scheduler(
        desired_retention=desired_retention, learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS
    )


def _card(row, card_id: int) -> Card:
    return Card(
        card_id=card_id,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )


def new_state(now: datetime) -> dict:
    """The FSRS state of a card never reviewed, due now."""
    card = Card(card_id=0, due=now)
    return {
        "state": card.state.value,
        "step": card.step,
        "stability": None,
        "difficulty": None,
        "due": now,
        "last_review": None,
    }


def review(row, rating: str, now: datetime, desired_retention: float) -> dict:
    """Apply one review to `row` in place; returns the FSRS review log as a dict."""
    card, log = scheduler_for(desired_retention).review_card(
        _card(row, row.id or 0), _RATINGS[rating], review_datetime=now
    )
    row.state = card.state.value
    row.step = card.step
    row.stability = card.stability
    row.difficulty = card.difficulty
    row.due = card.due
    row.last_review = card.last_review
    return log.to_dict()


def retrievability(row, now: datetime, desired_retention: float = rules.DEFAULT_RETENTION) -> float:
    """The probability that the learner recalls the card now (0 for a card never reviewed)."""
    return float(scheduler_for(desired_retention).get_card_retrievability(_card(row, row.id or 0), now))
