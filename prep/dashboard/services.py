"""What the dashboard shows, loaded in a fixed number of queries whatever the learner's history.

Answers: one query (readiness, weekly accuracy and study days share it); topic answers,
reviewed cards, finished mock exams, cards due in the next 14 days, due counts per kind and
study-day logs: one query each.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from prep.core import progress as rules
from prep.core import readiness
from prep.core.blueprint import Blueprint
from prep.core.review import day_start
from prep.models.attempt import Attempt, AttemptItem
from prep.models.question import Question, QuestionVersion
from prep.models.review import ReviewCard
from prep.review import progress, services

CHART_WEEKS = 8
CALENDAR_WEEKS = 12
DUE_DAYS = 14
EXAMS_SHOWN = 20


@dataclass(frozen=True)
class ExamScore:
    attempt_id: int
    finished_at: datetime
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Dashboard:
    readiness: readiness.Readiness
    study_next: list[readiness.DomainReadiness]
    weak_topics: list[readiness.TopicAccuracy]
    weekly: dict[str, list[rules.WeekAccuracy]]
    exams: list[ExamScore]
    due_days: list[tuple[date, int]]
    calendar: list[list[tuple[date, bool]]]
    streak: int
    longest_streak: int
    days_studied_recently: int
    due_counts: dict[str, int]


def _exam_scores(db: Session, user_id: int) -> list[ExamScore]:
    rows = db.execute(
        select(Attempt.id, Attempt.finished_at, Attempt.score_correct, Attempt.score_total)
        .where(
            Attempt.user_id == user_id,
            Attempt.mode == "exam",
            Attempt.status != "open",
            Attempt.score_total.is_not(None),
            Attempt.finished_at.is_not(None),
        )
        .order_by(Attempt.finished_at.desc())
        .limit(EXAMS_SHOWN)
    ).all()
    return [ExamScore(r.id, r.finished_at, r.score_correct, r.score_total) for r in reversed(rows)]


def _due_dates(db: Session, user_id: int, now: datetime) -> list[datetime]:
    horizon = day_start(now) + timedelta(days=DUE_DAYS)
    return list(
        db.scalars(
            services.of_active_questions(select(ReviewCard.due)).where(
                ReviewCard.user_id == user_id, ReviewCard.suspended.is_(False), ReviewCard.due < horizon
            )
        )
    )


def dashboard(db: Session, user_id: int, blueprint: Blueprint, now: datetime) -> Dashboard:
    since = readiness.evidence_since(now)
    answers = progress.answers_since(db, user_id, since)
    result = progress.readiness_for(db, user_id, blueprint, now, answers=answers)
    today = rules.utc_day(now)
    days = progress.study_days(db, user_id, now, answers=answers)
    calendar = rules.calendar(days, today, CALENDAR_WEEKS)
    return Dashboard(
        readiness=result,
        study_next=readiness.study_next(result),
        weak_topics=readiness.weakest_topics(progress.topic_answers_since(db, user_id, since), now),
        weekly=rules.weekly_accuracy(answers, blueprint.domain_slugs, today, CHART_WEEKS),
        exams=_exam_scores(db, user_id),
        due_days=rules.due_per_day(_due_dates(db, user_id, now), now, DUE_DAYS),
        calendar=calendar,
        streak=rules.current_streak(days, today),
        longest_streak=rules.longest_streak(days),
        days_studied_recently=sum(studied for week in calendar for _, studied in week),
        due_counts=services.due_counts(db, user_id, now),
    )


CSV_COLUMNS = (
    "attempt_id",
    "mode",
    "status",
    "started_at",
    "finished_at",
    "position",
    "question_id",
    "version",
    "domain",
    "scored",
    "answered_at",
    "choice",
    "answer",
    "correct",
    "flagged",
)
LETTERS = "ABCD"


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat().replace("+00:00", "Z")


def _cell(text: str) -> str:
    """Defuse spreadsheet formulas (CSV injection) in a text cell."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def attempts_csv(db: Session, user_id: int) -> str:
    """Every item of the learner's attempts, one row each (one query).

    Choices and answers are letters in the order the learner saw the options. An exam still in
    progress shows the choices saved so far, but not the key or whether they are right.
    """
    rows = db.execute(
        select(Attempt, AttemptItem, Question.key, QuestionVersion.version, QuestionVersion.answer)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(Question, Question.id == AttemptItem.question_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at, Attempt.id, AttemptItem.position)
    ).all()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for attempt, item, key, version, answer in rows:
        hidden = attempt.mode == "exam" and attempt.status == "open"
        writer.writerow(
            [
                attempt.id,
                attempt.mode,
                attempt.status,
                _iso(attempt.started_at),
                _iso(attempt.finished_at),
                item.position,
                _cell(key),
                version,
                "" if hidden else item.domain,
                "" if hidden else ("yes" if item.scored else "no"),
                _iso(item.answered_at),
                "" if item.choice is None else LETTERS[item.choice],
                "" if hidden else LETTERS[item.option_order.index(answer)],
                "" if hidden or item.choice is None else ("yes" if item.correct else "no"),
                "yes" if item.flagged else "no",
            ]
        )
    return out.getvalue()
