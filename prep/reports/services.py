"""Filing item reports and working through the admin queue. Services flush; routes commit.

Who may report what: any logged-in user may report a bank question; a collection question only
its owner or a learner who has been shown it in an attempt. Anything else is "not found".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from prep.models.attempt import Attempt, AttemptItem
from prep.models.question import Collection, Question, QuestionVersion
from prep.models.report import REPORT_KINDS, ItemReport
from prep.models.user import User

MESSAGE_MAX = 2000
KIND_LABELS = {
    "wrong_key": "The marked answer is wrong",
    "unclear": "The question or an option is unclear",
    "outdated": "The content is outdated",
    "other": "Something else",
}
QUEUE_FILTERS = ("open", "closed", "all")


class ReportError(ValueError):
    """Refused input; `fields` maps each field at fault to a message."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(fields.values()))
        self.fields = fields


def check_report(kind, message) -> dict[str, str]:
    """Problems with a report's fields, by field name (empty when it is fine)."""
    problems = {}
    if kind not in REPORT_KINDS:
        problems["kind"] = f"kind must be one of: {', '.join(REPORT_KINDS)}."
    if not isinstance(message, str) or not message.strip():
        problems["message"] = "Describe the problem in a few words."
    elif len(message.strip()) > MESSAGE_MAX:
        problems["message"] = f"Keep the description under {MESSAGE_MAX} characters."
    return problems


def _has_seen(db: Session, user_id: int, question_id: int) -> bool:
    return (
        db.scalar(
            select(AttemptItem.id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.user_id == user_id, AttemptItem.question_id == question_id)
            .limit(1)
        )
        is not None
    )


def reportable_question(db: Session, user: User, key: str) -> Question | None:
    """The question with public id `key` if `user` may report it, else None."""
    question = db.scalar(select(Question).where(Question.key == key))
    if question is None or question.current_version_id is None:
        return None
    if question.collection_id is None:
        return question
    owner = db.scalar(select(Collection.owner_id).where(Collection.id == question.collection_id))
    return question if owner == user.id or _has_seen(db, user.id, question.id) else None


def last_seen_version(db: Session, user_id: int, question: Question) -> int:
    """The id of the version the user saw most recently, else the current version."""
    seen = db.scalar(
        select(AttemptItem.version_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id, AttemptItem.question_id == question.id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
    )
    return seen or question.current_version_id


def reportable_item(attempt: Attempt, position: int) -> AttemptItem | None:
    """The attempt item a learner may report: after practice feedback, or once the attempt is over."""
    if not 1 <= position <= len(attempt.items):
        return None
    item = attempt.items[position - 1]
    if attempt.finished or (attempt.mode == "practice" and item.choice is not None):
        return item
    return None


def file_report(
    db: Session, user: User, question_id: int, version_id: int, kind, message, source: str, now: datetime
) -> ItemReport:
    """Store a report; raise ReportError naming the field for bad input."""
    problems = check_report(kind, message)
    if problems:
        raise ReportError(problems)
    report = ItemReport(
        question_id=question_id,
        version_id=version_id,
        user_id=user.id,
        kind=kind,
        message=message.strip(),
        source=source,
        status="open",
        created_at=now,
    )
    db.add(report)
    db.flush()
    return report


def queue(db: Session, which: str = "open", limit: int = 200) -> list[ItemReport]:
    """Reports to work on, oldest open first; closed ones newest first."""
    query = select(ItemReport).options(
        selectinload(ItemReport.question).selectinload(Question.collection),
        selectinload(ItemReport.version),
    )
    if which == "open":
        query = query.where(ItemReport.status == "open").order_by(ItemReport.created_at, ItemReport.id)
    elif which == "closed":
        query = query.where(ItemReport.status != "open").order_by(ItemReport.resolved_at.desc(), ItemReport.id.desc())
    else:
        query = query.order_by(ItemReport.created_at.desc(), ItemReport.id.desc())
    return list(db.scalars(query.limit(limit)))


def open_counts(db: Session, question_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for (qid,) in db.execute(
        select(ItemReport.question_id).where(ItemReport.question_id.in_(question_ids), ItemReport.status == "open")
    ):
        counts[qid] = counts.get(qid, 0) + 1
    return counts


def get_report(db: Session, report_id: int) -> ItemReport | None:
    return db.get(ItemReport, report_id)


def resolve(db: Session, report: ItemReport, admin: User, now: datetime) -> None:
    """Mark a report resolved (the item was fixed in the bank files, or nothing was wrong)."""
    if report.status == "open":
        report.status, report.resolved_at, report.resolved_by_id = "resolved", now, admin.id
        db.flush()


def retire_question(db: Session, question: Question, admin: User, now: datetime) -> int:
    """Retire a question (out of every new draw; history keeps it) and close its open reports.

    Returns how many reports were closed. A bank question comes back at the next `bank sync`
    that parses a bank file still listing it.
    """
    if question.retired_at is None:
        question.retired_at = now
    closed = db.execute(
        update(ItemReport)
        .where(ItemReport.question_id == question.id, ItemReport.status == "open")
        .values(status="retired", resolved_at=now, resolved_by_id=admin.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.flush()
    return closed


def version_by_id(db: Session, version_id: int) -> QuestionVersion | None:
    return db.get(QuestionVersion, version_id)
