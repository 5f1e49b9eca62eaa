"""Flashcards: word parts from the terminology table and key facts of questions.

Self-graded (again, hard, good, easy) and scheduled by the same FSRS cards as questions; the
card kind tells them apart. A deck shows due cards first, then up to NEW_FLASHCARDS_PER_DAY new
ones a day, then learning cards due within the learn-ahead window. New key-fact cards come
from questions the learner has answered, the most often missed first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from prep.core import review as rules
from prep.models.question import Question, QuestionVersion
from prep.models.review import ReviewCard
from prep.review import services
from prep.review.terminology import WordPart, word_part_index, word_parts

DECKS = {"word-parts": "word-part", "key-facts": "fact"}
DECK_TITLES = {"word-parts": "Word parts", "key-facts": "Key facts"}


@dataclass(frozen=True)
class Flashcard:
    deck: str
    key: str
    front: str
    back: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    card: ReviewCard | None = None

    @property
    def reps(self) -> int:
        return self.card.reps if self.card else 0

    @property
    def leech(self) -> bool:
        return self.card is not None and rules.is_leech(self.card.misses)


def word_part_card(part: WordPart, deck: str = "word-parts", card: ReviewCard | None = None) -> Flashcard:
    back = [("Meaning", "; ".join(part.meanings)), ("Type", part.type_label), ("Example", part.example)]
    return Flashcard(deck, part.key, part.part, back, card)


def fact_card(key: str, version: QuestionVersion, card: ReviewCard | None = None) -> Flashcard:
    back = [("Answer", version.options[version.answer]), ("Why", version.rationales[version.answer])]
    return Flashcard("key-facts", key, version.stem, back, card)


def _kind(deck: str) -> str:
    if deck not in DECKS:
        raise services.ReviewError(404, "not_found", "No such deck.")
    return DECKS[deck]


def _due_cards(db: Session, user_id: int, kind: str, now: datetime, strictly: bool) -> list[ReviewCard]:
    clause = and_(ReviewCard.suspended.is_(False), ReviewCard.due <= now) if strictly else services.due_clause(now)
    return list(
        db.scalars(
            services.of_active_questions(select(ReviewCard))
            .where(ReviewCard.user_id == user_id, ReviewCard.kind == kind, clause)
            .order_by(ReviewCard.due, ReviewCard.id)
            .limit(50)
        )
    )


def _new_today(db: Session, user_id: int, kind: str, now: datetime) -> int:
    return (
        db.scalar(
            select(func.count(ReviewCard.id)).where(
                ReviewCard.user_id == user_id, ReviewCard.kind == kind, ReviewCard.created_at >= rules.day_start(now)
            )
        )
        or 0
    )


def _version_of(db: Session, key: str) -> QuestionVersion | None:
    return db.scalar(
        select(QuestionVersion)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .where(Question.key == key, Question.retired_at.is_(None))
    )


def _present(db: Session, deck: str, card: ReviewCard, parts: dict[str, WordPart]) -> Flashcard | None:
    if deck == "word-parts":
        part = parts.get(card.key)
        return word_part_card(part, card=card) if part else None
    version = _version_of(db, card.key)
    return fact_card(card.key, version, card) if version else None


def _new_fact_keys(db: Session, user_id: int, limit: int) -> list[str]:
    fact = aliased(ReviewCard)
    return list(
        db.scalars(
            services.of_active_questions(select(ReviewCard.key))
            .outerjoin(fact, and_(fact.user_id == user_id, fact.kind == "fact", fact.key == ReviewCard.key))
            .where(ReviewCard.user_id == user_id, ReviewCard.kind == "question", fact.id.is_(None))
            .order_by(ReviewCard.misses.desc(), ReviewCard.last_review.desc(), ReviewCard.key)
            .limit(limit)
        )
    )


def _new_card(db: Session, user_id: int, deck: str, bank_path: str | Path) -> Flashcard | None:
    if deck == "word-parts":
        carded = set(
            db.scalars(select(ReviewCard.key).where(ReviewCard.user_id == user_id, ReviewCard.kind == "word-part"))
        )
        return next((word_part_card(p) for p in word_parts(bank_path) if p.key not in carded), None)
    for key in _new_fact_keys(db, user_id, 1):
        version = _version_of(db, key)
        if version is not None:
            return fact_card(key, version)
    return None


def next_flashcard(db: Session, user_id: int, deck: str, bank_path: str | Path, now: datetime) -> Flashcard | None:
    """The deck's next card for the learner, or None when there is nothing to study now."""
    kind = _kind(deck)
    parts = word_part_index(bank_path) if deck == "word-parts" else {}
    for card in _due_cards(db, user_id, kind, now, strictly=True):
        shown = _present(db, deck, card, parts)
        if shown:
            return shown
    if _new_today(db, user_id, kind, now) < rules.NEW_FLASHCARDS_PER_DAY:
        shown = _new_card(db, user_id, deck, bank_path)
        if shown:
            return shown
    for card in _due_cards(db, user_id, kind, now, strictly=False):
        shown = _present(db, deck, card, parts)
        if shown:
            return shown
    return None


def deck_summary(db: Session, user_id: int, bank_path: str | Path, now: datetime) -> dict[str, dict]:
    """Per deck: cards due, cards studied so far, and new cards left today."""
    due = services.due_counts(db, user_id, now)
    rows = db.execute(
        select(ReviewCard.kind, func.count(ReviewCard.id))
        .where(ReviewCard.user_id == user_id, ReviewCard.kind.in_(DECKS.values()))
        .group_by(ReviewCard.kind)
    ).all()
    studied = dict(rows)
    today = dict(
        db.execute(
            select(ReviewCard.kind, func.count(ReviewCard.id))
            .where(
                ReviewCard.user_id == user_id,
                ReviewCard.kind.in_(DECKS.values()),
                ReviewCard.created_at >= rules.day_start(now),
            )
            .group_by(ReviewCard.kind)
        ).all()
    )
    available = {
        "word-part": len(word_parts(bank_path)) - studied.get("word-part", 0),
        "fact": len(_new_fact_keys(db, user_id, rules.NEW_FLASHCARDS_PER_DAY)),
    }
    return {
        deck: {
            "title": DECK_TITLES[deck],
            "due": due.get(kind, 0),
            "studied": studied.get(kind, 0),
            "new_today": max(0, min(available[kind], rules.NEW_FLASHCARDS_PER_DAY - today.get(kind, 0))),
        }
        for deck, kind in DECKS.items()
    }


def grade_flashcard(
    db: Session,
    user_id: int,
    deck: str,
    key: str,
    rating: object,
    now: datetime,
    bank_path: str | Path,
    expected_reps: int | None = None,
) -> ReviewCard:
    """Record a self-graded flashcard review (creating the card on its first review)."""
    kind = _kind(deck)
    try:
        rating = rules.parse_rating(rating)
    except rules.RatingError as exc:
        raise services.ReviewError(422, "invalid_input", str(exc), "rating") from None
    card = db.scalar(
        select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.kind == kind, ReviewCard.key == key)
    )
    if expected_reps is not None and (card.reps if card else 0) != expected_reps:
        raise services.ReviewError(409, "already_reviewed", "This card was already graded.")
    if card is None:
        question_id = None
        if kind == "word-part":
            if key not in word_part_index(bank_path):
                raise services.ReviewError(404, "not_found", "No such word part.")
        else:
            item = services.question_for_review(db, user_id, key)
            if item is None:
                raise services.ReviewError(404, "not_found", "No such question.")
            question_id = item.question.id
        card = services.new_card(db, user_id, kind, key, "flashcard", now, question_id)
    services.apply_review(db, card, rating, now, services.desired_retention(db, user_id), "flashcard")
    db.flush()
    return card
