"""Review cards: recording answers and reviews with FSRS, the due queue, the daily session.

Services flush; routes commit. Every function takes the learner's id and only ever reads or
changes that learner's cards.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from prep.core import review as rules
from prep.models.question import Question, QuestionVersion
from prep.models.review import ReviewCard, ReviewLog, ReviewSettings
from prep.review import scheduler


class ReviewError(ValueError):
    """A refused review, with the HTTP status and the field at fault."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    @property
    def fields(self) -> dict | None:
        return {self.field: self.message} if self.field else None


@dataclass(frozen=True)
class AnsweredQuestion:
    question_id: int
    correct: bool
    guessed: bool = False


@dataclass(frozen=True)
class QuestionReview:
    """An active bank question as it is reviewed, with the learner's card (None if new)."""

    question: Question
    version: QuestionVersion
    card: ReviewCard | None
    option_order: list[int]

    @property
    def reps(self) -> int:
        return self.card.reps if self.card else 0


# Settings


def desired_retention(db: Session, user_id: int) -> float:
    value = db.scalar(select(ReviewSettings.desired_retention).where(ReviewSettings.user_id == user_id))
    return rules.DEFAULT_RETENTION if value is None else float(value)


def set_desired_retention(db: Session, user_id: int, value: object) -> float:
    """Store a desired retention (ValueError outside 0.80-0.95); it applies to later reviews."""
    retention = rules.check_retention(value)
    settings = db.get(ReviewSettings, user_id)
    if settings is None:
        db.add(ReviewSettings(user_id=user_id, desired_retention=retention))
    else:
        settings.desired_retention = retention
    db.flush()
    return retention


# Cards and reviews


def new_card(
    db: Session, user_id: int, kind: str, key: str, origin: str, now: datetime, question_id=None, flush: bool = True
) -> ReviewCard:
    """Add a card never reviewed (flushed, so it has its id, unless `flush` is false)."""
    card = ReviewCard(
        user_id=user_id,
        kind=kind,
        key=key,
        question_id=question_id,
        reps=0,
        misses=0,
        suspended=False,
        origin=origin,
        created_at=now,
        **scheduler.new_state(now),
    )
    db.add(card)
    if flush:
        db.flush()
    return card


def apply_review(
    db: Session, card: ReviewCard, rating: str, now: datetime, retention: float, source: str
) -> ReviewCard:
    """Schedule the card's next review with FSRS and log this one."""
    log = scheduler.review(card, rating, now, retention)
    card.reps = (card.reps or 0) + 1
    if rules.is_miss(rating):
        card.misses = (card.misses or 0) + 1
    db.add(
        ReviewLog(
            card_id=card.id,
            user_id=card.user_id,
            rating=rules.RATING_VALUES[rating],
            reviewed_at=now,
            source=source,
            log=log,
        )
    )
    return card


def record_answers(db: Session, user_id: int, answers: Sequence[AnsweredQuestion], now: datetime, source: str) -> None:
    """Update the learner's question cards from answered questions (a fixed number of queries).

    Wrong -> again; right but guessed -> hard; right -> good.
    """
    if not answers:
        return
    ids = {a.question_id for a in answers}
    keys = dict(db.execute(select(Question.id, Question.key).where(Question.id.in_(ids))).all())
    cards = {
        c.question_id: c
        for c in db.scalars(
            select(ReviewCard).where(
                ReviewCard.user_id == user_id, ReviewCard.kind == "question", ReviewCard.question_id.in_(ids)
            )
        )
    }
    missing = sorted(ids - cards.keys())
    for qid in missing:
        cards[qid] = new_card(db, user_id, "question", keys[qid], source, now, question_id=qid, flush=False)
    if missing:
        db.flush()
    retention = desired_retention(db, user_id)
    for a in answers:
        apply_review(db, cards[a.question_id], rules.rating_for_answer(a.correct, a.guessed), now, retention, source)
    db.flush()


def record_answer(
    db: Session, user_id: int, question_id: int, correct: bool, guessed: bool, now: datetime, source="practice"
) -> None:
    record_answers(db, user_id, [AnsweredQuestion(question_id, correct, guessed)], now, source)


# The due queue


def due_clause(now, ahead=None):
    """SQL for prep.core.review.is_due, for cards that are not suspended.

    `now` is a datetime, or a bind parameter for a statement built once (then `ahead`, the bind
    parameter for `now + rules.LEARN_AHEAD`, is needed too).
    """
    return and_(
        ReviewCard.suspended.is_(False),
        or_(
            ReviewCard.due <= now,
            and_(
                ReviewCard.state != rules.REVIEW,
                ReviewCard.due <= (now + rules.LEARN_AHEAD if ahead is None else ahead),
            ),
        ),
    )


def of_active_questions(query):
    """Leave out cards of retired questions (word-part cards have no question)."""
    return query.outerjoin(Question, Question.id == ReviewCard.question_id).where(
        or_(ReviewCard.question_id.is_(None), Question.retired_at.is_(None))
    )


def due_count(db: Session, user_id: int, now: datetime, kind: str | None = None) -> int:
    """How many of the learner's cards are due (one query)."""
    query = of_active_questions(select(func.count(ReviewCard.id))).where(ReviewCard.user_id == user_id, due_clause(now))
    if kind is not None:
        query = query.where(ReviewCard.kind == kind)
    return db.scalar(query) or 0


def due_counts(db: Session, user_id: int, now: datetime) -> dict[str, int]:
    """Due cards per kind (one query)."""
    rows = db.execute(
        of_active_questions(select(ReviewCard.kind, func.count(ReviewCard.id)))
        .where(ReviewCard.user_id == user_id, due_clause(now))
        .group_by(ReviewCard.kind)
    ).all()
    counts = dict.fromkeys(("question", "fact", "word-part"), 0)
    counts.update({kind: n for kind, n in rows})
    return counts


def due_questions(db: Session, user_id: int, now: datetime, limit: int | None = None):
    """(card, current version) of the learner's due question cards, earliest due first."""
    query = (
        select(ReviewCard, QuestionVersion)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(
            ReviewCard.user_id == user_id,
            ReviewCard.kind == "question",
            Question.retired_at.is_(None),
            due_clause(now),
        )
        .order_by(ReviewCard.due, ReviewCard.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return db.execute(query).all()


def cards_with_questions(db: Session, user_id: int, suspended: bool):
    """(card, current version or None) of the learner's suspended, or leech, cards."""
    query = (
        select(ReviewCard, QuestionVersion)
        .outerjoin(Question, Question.id == ReviewCard.question_id)
        .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.suspended.is_(suspended))
        .order_by(ReviewCard.kind, ReviewCard.key)
    )
    if not suspended:
        query = query.where(ReviewCard.misses >= rules.LEECH_MISSES)
    return db.execute(query).all()


def set_suspended(db: Session, user_id: int, card_id: int, suspended: bool) -> ReviewCard | None:
    """Suspend or restore one of the learner's cards; None when it is not theirs."""
    card = db.scalar(select(ReviewCard).where(ReviewCard.id == card_id, ReviewCard.user_id == user_id))
    if card is not None:
        card.suspended = suspended
        db.flush()
    return card


# Reviewing questions


def display_order(user_id: int, key: str, reps: int) -> list[int]:
    """A shuffled option order that stays put until the card is reviewed again."""
    order = [0, 1, 2, 3]
    random.Random(f"{user_id}:{key}:{reps}").shuffle(order)
    return order


def question_for_review(db: Session, user_id: int, key: str) -> QuestionReview | None:
    """An active question by key, with the learner's card; None if there is no such question.

    Any bank question may be reviewed; a question of an instructor's collection only by a
    learner who already has a card for it (they met it in an assigned practice set).
    """
    row = db.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.key == key, Question.retired_at.is_(None))
    ).first()
    if row is None:
        return None
    card = db.scalar(
        select(ReviewCard).where(
            ReviewCard.user_id == user_id, ReviewCard.kind == "question", ReviewCard.question_id == row[0].id
        )
    )
    if card is None and row[0].collection_id is not None:
        return None
    reps = card.reps if card else 0
    return QuestionReview(row[0], row[1], card, display_order(user_id, key, reps))


def grade_question(
    db: Session,
    user_id: int,
    item: QuestionReview,
    rating: object,
    now: datetime,
    source: str,
    choice: int | None = None,
    answered: bool = False,
    expected_reps: int | None = None,
) -> ReviewCard:
    """Review a question card (creating it if new) with the learner's rating.

    With `answered`, `choice` is the original index of the option chosen (None: "I don't
    know"), and a wrong answer allows only "again". `expected_reps` guards against grading
    the same showing twice (a resubmitted form): a mismatch is a 409.
    """
    try:
        rating = rules.parse_rating(rating)
    except rules.RatingError as exc:
        raise ReviewError(422, "invalid_input", str(exc), "rating") from None
    if answered and rating not in rules.allowed_ratings(choice == item.version.answer):
        raise ReviewError(422, "invalid_input", "A wrong answer is rated again.", "rating")
    if expected_reps is not None and item.reps != expected_reps:
        raise ReviewError(409, "already_reviewed", "This review was already recorded.")
    card = item.card or new_card(db, user_id, "question", item.question.key, source, now, item.question.id)
    apply_review(db, card, rating, now, desired_retention(db, user_id), source)
    db.flush()
    return card
