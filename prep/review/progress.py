"""Loading a learner's evidence for readiness and progress (one query each, whatever the history).

Answers of an exam still in progress never count: their correctness must not show anywhere
before the exam is submitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from prep.core import progress, readiness
from prep.core.blueprint import Blueprint
from prep.core.review import REVIEW
from prep.models.attempt import Attempt, AttemptItem
from prep.models.question import Question, QuestionTopic
from prep.models.review import ReviewCard, ReviewLog
from prep.review import scheduler

STUDY_DAYS_LOOKBACK = timedelta(days=400)


def _counted_answers(query, user_id: int, since: datetime):
    return (
        query.join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id == user_id,
            AttemptItem.answered_at.is_not(None),
            AttemptItem.answered_at >= since,
            AttemptItem.correct.is_not(None),
            or_(Attempt.mode == "practice", Attempt.status != "open"),
        )
        .order_by(AttemptItem.answered_at)
    )


def answers_since(db: Session, user_id: int, since: datetime) -> list[readiness.Answer]:
    """The learner's answers since `since`, by domain."""
    rows = db.execute(
        _counted_answers(select(AttemptItem.domain, AttemptItem.correct, AttemptItem.answered_at), user_id, since)
    ).all()
    return [readiness.Answer(r.domain, bool(r.correct), r.answered_at) for r in rows]


def topic_answers_since(db: Session, user_id: int, since: datetime) -> list[readiness.Answer]:
    """The same answers once per topic of the question (the topic in the `domain` field)."""
    rows = db.execute(
        _counted_answers(
            select(QuestionTopic.topic, AttemptItem.correct, AttemptItem.answered_at).join(
                QuestionTopic, QuestionTopic.question_id == AttemptItem.question_id
            ),
            user_id,
            since,
        )
    ).all()
    return [readiness.Answer(r.topic, bool(r.correct), r.answered_at) for r in rows]


def reviewed_items(db: Session, user_id: int, now: datetime) -> list[readiness.ReviewedItem]:
    """Retrievability now of each reviewed question card (and whether it is learned), with its domain."""
    rows = db.execute(
        select(ReviewCard, Question.domain)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(
            ReviewCard.user_id == user_id,
            ReviewCard.kind == "question",
            ReviewCard.last_review.is_not(None),
            Question.retired_at.is_(None),
        )
    ).all()
    return [
        readiness.ReviewedItem(domain, scheduler.retrievability(card, now), learned=card.state == REVIEW)
        for card, domain in rows
    ]


def blueprint_items(blueprint: Blueprint) -> Mapping[str, int]:
    return {d.slug: d.items for d in blueprint.domains}


def readiness_for(
    db: Session, user_id: int, blueprint: Blueprint, now: datetime, answers: list | None = None
) -> readiness.Readiness:
    if answers is None:
        answers = answers_since(db, user_id, readiness.evidence_since(now))
    return readiness.readiness(blueprint_items(blueprint), answers, reviewed_items(db, user_id, now), now)


def study_days(db: Session, user_id: int, now: datetime, answers: list | None = None) -> set[date]:
    """Days with a review, a flashcard or an answer (answers also count from before reviews existed)."""
    since = now - STUDY_DAYS_LOOKBACK
    moments = list(
        db.scalars(select(ReviewLog.reviewed_at).where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= since))
    )
    if answers is None:
        answers = answers_since(db, user_id, since)
    moments += [a.answered_at for a in answers]
    return progress.study_days(moments)


def streak_days(db: Session, user_id: int, now: datetime) -> int:
    return progress.current_streak(study_days(db, user_id, now), progress.utc_day(now))
