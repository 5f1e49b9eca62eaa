"""What an instructor sees of a cohort: each learner's readiness by domain, mock exams, last
activity and due reviews, and the cohort's weakest domains and topics.

Readiness is `prep.core.readiness` (the learner's own dashboard rule), fed with the same
evidence as `prep.review.progress` (answers of finished attempts and practice sets, question
cards' retrievability), loaded here for all members at once: a fixed number of queries
whatever the cohort's size. Only current members count.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from prep.core import cohort as rules
from prep.core import readiness
from prep.core.blueprint import Blueprint
from prep.instructor.services import member_ids, members
from prep.models.attempt import Attempt, AttemptItem
from prep.models.cohort import Cohort
from prep.models.question import Question, QuestionTopic
from prep.models.review import ReviewCard, ReviewLog
from prep.models.user import User
from prep.review import scheduler
from prep.review.services import due_clause, of_active_questions

TOPIC_LIMIT = 5
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExamRow:
    attempt_id: int
    started_at: datetime
    finished_at: datetime | None
    timing: str
    correct: int | None
    total: int | None

    @property
    def percent(self) -> float | None:
        return rules.percent(self.correct, self.total)


@dataclass
class LearnerProgress:
    user: User
    joined_at: datetime
    readiness: readiness.Readiness
    exams: list[ExamRow] = field(default_factory=list)
    last_activity: datetime | None = None
    due_reviews: int = 0

    @property
    def mastery(self) -> dict[str, float | None]:
        return {d.domain: d.mastery for d in self.readiness.domains}


@dataclass(frozen=True)
class CohortProgress:
    learners: list[LearnerProgress]
    domains: list[rules.DomainSummary]
    weakest_domains: list[rules.DomainSummary]
    weakest_topics: list[readiness.TopicAccuracy]


def _counted(query, users, since: datetime):
    # The same evidence as prep/review/progress.py: answered, and never from an exam still open.
    return (
        query.join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Attempt.user_id.in_(users),
            AttemptItem.answered_at.is_not(None),
            AttemptItem.answered_at >= since,
            AttemptItem.correct.is_not(None),
            or_(Attempt.mode == "practice", Attempt.status != "open"),
        )
        .order_by(AttemptItem.answered_at)
    )


def _answers(db: Session, users, since: datetime) -> dict[int, list[readiness.Answer]]:
    found: dict[int, list[readiness.Answer]] = defaultdict(list)
    query = _counted(
        select(Attempt.user_id, AttemptItem.domain, AttemptItem.correct, AttemptItem.answered_at), users, since
    )
    for r in db.execute(query):
        found[r.user_id].append(readiness.Answer(r.domain, bool(r.correct), r.answered_at))
    return found


def _topic_answers(db: Session, users, since: datetime) -> list[readiness.Answer]:
    query = _counted(
        select(QuestionTopic.topic, AttemptItem.correct, AttemptItem.answered_at).join(
            QuestionTopic, QuestionTopic.question_id == AttemptItem.question_id
        ),
        users,
        since,
    )
    return [readiness.Answer(r.topic, bool(r.correct), r.answered_at) for r in db.execute(query)]


def _reviewed(db: Session, users, now: datetime) -> dict[int, list[readiness.ReviewedItem]]:
    found: dict[int, list[readiness.ReviewedItem]] = defaultdict(list)
    rows = db.execute(
        select(ReviewCard, Question.domain)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(
            ReviewCard.user_id.in_(users),
            ReviewCard.kind == "question",
            ReviewCard.last_review.is_not(None),
            Question.retired_at.is_(None),
        )
    ).all()
    for card, domain in rows:
        found[card.user_id].append(readiness.ReviewedItem(domain, scheduler.retrievability(card, now)))
    return found


def _due(db: Session, users, now: datetime) -> dict[int, int]:
    query = of_active_questions(select(ReviewCard.user_id, func.count(ReviewCard.id))).where(
        ReviewCard.user_id.in_(users), due_clause(now)
    )
    return dict(db.execute(query.group_by(ReviewCard.user_id)).all())


def _exams(db: Session, users) -> dict[int, list[ExamRow]]:
    found: dict[int, list[ExamRow]] = defaultdict(list)
    rows = db.scalars(
        select(Attempt)
        .where(Attempt.user_id.in_(users), Attempt.mode == "exam", Attempt.status != "open")
        .order_by(Attempt.started_at)
    )
    for a in rows:
        found[a.user_id].append(ExamRow(a.id, a.started_at, a.finished_at, a.timing, a.score_correct, a.score_total))
    return found


def _last_activity(db: Session, users) -> dict[int, datetime]:
    latest: dict[int, datetime] = {}
    queries = (
        select(Attempt.user_id, func.max(Attempt.started_at))
        .where(Attempt.user_id.in_(users))
        .group_by(Attempt.user_id),
        select(Attempt.user_id, func.max(AttemptItem.answered_at))
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id.in_(users))
        .group_by(Attempt.user_id),
        select(ReviewLog.user_id, func.max(ReviewLog.reviewed_at))
        .where(ReviewLog.user_id.in_(users))
        .group_by(ReviewLog.user_id),
    )
    for query in queries:
        for user_id, moment in db.execute(query):
            if moment is not None and (user_id not in latest or moment > latest[user_id]):
                latest[user_id] = moment
    return latest


def _progress(db: Session, users, rows: list[tuple[User, datetime]], blueprint: Blueprint, now: datetime):
    since = readiness.evidence_since(now)
    answers, reviewed = _answers(db, users, since), _reviewed(db, users, now)
    exams, due, last = _exams(db, users), _due(db, users, now), _last_activity(db, users)
    weights = {d.slug: d.items for d in blueprint.domains}
    return [
        LearnerProgress(
            user=user,
            joined_at=joined,
            readiness=readiness.readiness(weights, answers.get(user.id, []), reviewed.get(user.id, []), now),
            exams=exams.get(user.id, []),
            last_activity=last.get(user.id),
            due_reviews=due.get(user.id, 0),
        )
        for user, joined in rows
    ]


def cohort_progress(db: Session, cohort: Cohort, blueprint: Blueprint, now: datetime) -> CohortProgress:
    """Every current member's progress and the cohort's weak spots."""
    users = member_ids(cohort.id)
    learners = _progress(db, users, members(db, cohort), blueprint, now)
    domains = rules.cohort_domains((lp.readiness for lp in learners), blueprint.domain_slugs)
    topics = _topic_answers(db, users, readiness.evidence_since(now))
    return CohortProgress(
        learners=learners,
        domains=domains,
        weakest_domains=rules.weakest_domains(domains),
        weakest_topics=readiness.weakest_topics(topics, now, limit=TOPIC_LIMIT),
    )


def learner_progress(
    db: Session, user: User, joined_at: datetime, blueprint: Blueprint, now: datetime
) -> LearnerProgress:
    """One member's progress (the caller has checked that they belong to the instructor's cohort)."""
    return _progress(db, [user.id], [(user, joined_at)], blueprint, now)[0]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f}"


def progress_csv(progress: CohortProgress, blueprint: Blueprint) -> str:
    """One row per learner; mastery in percent; cells a spreadsheet would run are quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    slugs = blueprint.domain_slugs
    writer.writerow(
        ["name", "email", "joined", "last_activity", "readiness_percent"]
        + [f"mastery_{s}_percent" for s in slugs]
        + ["mock_exams", "last_mock_exam_percent", "best_mock_exam_percent", "due_reviews"]
    )
    for lp in progress.learners:
        scores = [e.percent for e in lp.exams if e.percent is not None]
        writer.writerow(
            [_cell(lp.user.name), _cell(lp.user.email), lp.joined_at.date().isoformat()]
            + [lp.last_activity.isoformat() if lp.last_activity else "", _pct(lp.readiness.overall)]
            + [_pct(lp.mastery.get(s)) for s in slugs]
            + [len(lp.exams), scores[-1] if scores else "", max(scores) if scores else "", lp.due_reviews]
        )
    return out.getvalue()
