"""The daily review session: due questions first, then a few new ones from the weakest domains.

Stateless: each page asks for the next question; the one just reviewed is passed back (in the
URL) so that it goes last while it stays due.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prep.core import review as rules
from prep.models.question import Question
from prep.models.review import ReviewCard
from prep.review.services import due_clause, of_active_questions


def new_questions_today(db: Session, user_id: int, now: datetime) -> int:
    """Questions the daily session has introduced today (cards it created)."""
    return (
        db.scalar(
            select(func.count(ReviewCard.id)).where(
                ReviewCard.user_id == user_id,
                ReviewCard.kind == "question",
                ReviewCard.origin == "review",
                ReviewCard.created_at >= rules.day_start(now),
            )
        )
        or 0
    )


def _first_due_key(db: Session, user_id: int, now: datetime, skip: str | None = None) -> str | None:
    query = (
        of_active_questions(select(ReviewCard.key))
        .where(ReviewCard.user_id == user_id, ReviewCard.kind == "question", due_clause(now))
        .order_by(ReviewCard.due, ReviewCard.id)
        .limit(1)
    )
    if skip is not None:
        query = query.where(ReviewCard.key != skip)
    return db.scalar(query)


def _new_question_key(db: Session, user_id: int, domains: Sequence[str]) -> str | None:
    """A question the learner has no card for, from the first of `domains` that has one."""
    if not domains:
        return None
    carded = select(ReviewCard.question_id).where(
        ReviewCard.user_id == user_id, ReviewCard.kind == "question", ReviewCard.question_id.is_not(None)
    )
    rows = db.execute(
        select(Question.key, Question.domain).where(
            Question.domain.in_(domains),
            Question.retired_at.is_(None),
            Question.collection_id.is_(None),
            Question.current_version_id.is_not(None),
            Question.id.not_in(carded),
        )
    ).all()
    rank = {d: n for n, d in enumerate(domains)}

    def order(row):  # weakest domain first; a stable order of its own for each learner
        return rank[row.domain], hashlib.sha256(f"{user_id}:{row.key}".encode()).hexdigest()

    return min(rows, key=order).key if rows else None


@dataclass(frozen=True)
class SessionPick:
    key: str
    new: bool


def next_session_question(
    db: Session,
    user_id: int,
    now: datetime,
    weak_domains: Callable[[], Sequence[str]],
    just_reviewed: str | None = None,
) -> SessionPick | None:
    """The daily session's next question: due ones first (earliest first, the one just reviewed
    last), then up to NEW_PER_SESSION_DAY new ones a day from the weakest domains."""
    key = _first_due_key(db, user_id, now, skip=just_reviewed)
    if key:
        return SessionPick(key, False)
    if new_questions_today(db, user_id, now) < rules.NEW_PER_SESSION_DAY:
        key = _new_question_key(db, user_id, weak_domains())
        if key:
            return SessionPick(key, True)
    key = _first_due_key(db, user_id, now) if just_reviewed else None
    return SessionPick(key, False) if key else None
