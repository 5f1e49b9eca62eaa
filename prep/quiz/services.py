"""Starting, answering, finishing and reading attempts. Services flush; routes commit.

The server keeps the deadline: every read or write of an open attempt first finalises it if
its time is up, so answers saved before the deadline are scored and later ones refused.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.orm import Session, defaultload, joinedload, selectinload

from prep.core import exam
from prep.core.blueprint import Blueprint
from prep.models.attempt import Attempt, AttemptItem
from prep.models.question import Question, QuestionTopic
from prep.quiz.errors import QuizError, bad_input, closed
from prep.quiz.options import StartOptions
from prep.review import services as review_services

UNSET = object()


def _last_seen(db: Session, user_id: int) -> dict[int, datetime]:
    rows = db.execute(
        select(AttemptItem.question_id, func.max(Attempt.started_at))
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id)
        .group_by(AttemptItem.question_id)
    )
    return dict(rows.all())


def _bank_questions(db: Session, options: StartOptions | None = None):
    source = options.collection_id if options is not None else None
    query = select(Question.id, Question.domain, Question.current_version_id).where(
        Question.retired_at.is_(None),
        Question.collection_id.is_(None) if source is None else Question.collection_id == source,
        Question.current_version_id.is_not(None),
    )
    if options is not None:
        if options.domains:
            query = query.where(Question.domain.in_(options.domains))
        if options.difficulty:
            query = query.where(Question.difficulty.in_(options.difficulty))
        if options.topics:
            query = query.where(
                Question.id.in_(select(QuestionTopic.question_id).where(QuestionTopic.topic.in_(options.topics)))
            )
        if options.question_keys:
            query = query.where(Question.key.in_(options.question_keys))
    return db.execute(query).all()


def _candidates(rows, last_seen: dict[int, datetime]) -> list[exam.Candidate]:
    # Unpacking the rows, not reading them by name: an exam draw goes through the whole bank.
    return [exam.Candidate(question_id, domain, last_seen.get(question_id)) for question_id, domain, _ in rows]


def _history_filter(db: Session, user_id: int, name: str) -> set[int]:
    """Question ids the learner has missed (latest answer wrong) or flagged."""
    rows = db.execute(
        select(AttemptItem.question_id, AttemptItem.correct, AttemptItem.flagged, AttemptItem.answered_at)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user_id)
    ).all()
    if name == "flagged":
        return {r.question_id for r in rows if r.flagged}
    latest: dict[int, tuple[datetime, bool]] = {}
    for r in rows:
        if r.answered_at is not None and (r.question_id not in latest or r.answered_at > latest[r.question_id][0]):
            latest[r.question_id] = (r.answered_at, bool(r.correct))
    return {qid for qid, (_, correct) in latest.items() if not correct}


def _create(
    db: Session,
    user_id: int,
    options: StartOptions,
    drawn: Sequence[exam.DrawnItem],
    versions: dict[int, int],
    now: datetime,
    limit: int | None,
    rng: random.Random,
) -> Attempt:
    attempt = Attempt(
        user_id=user_id,
        mode=options.mode,
        status="open",
        timing=options.timing,
        started_at=now,
        deadline=exam.deadline_for(now, limit),
        item_count=len(drawn),
        settings={
            "topics": list(options.topics),
            "domains": list(options.domains),
            "count": options.count,
            "difficulty": list(options.difficulty),
            "filter": options.filter,
            "time_limit_seconds": limit,
            **({"collection_id": options.collection_id} if options.collection_id else {}),
        },
    )
    db.add(attempt)
    db.flush()
    db.execute(
        insert(AttemptItem),
        [
            {
                "attempt_id": attempt.id,
                "position": n,
                "question_id": d.question_id,
                "version_id": versions[d.question_id],
                "domain": d.domain,
                "scored": d.scored,
                "option_order": exam.option_order(rng),
                "flagged": False,
            }
            for n, d in enumerate(drawn, start=1)
        ],
    )
    return attempt


def start_attempt(
    db: Session,
    user_id: int,
    options: StartOptions,
    blueprint: Blueprint,
    now: datetime,
    rng: random.Random | None = None,
) -> Attempt:
    """Draw and store a new attempt; raise QuizError when the bank cannot supply it."""
    rng = rng or random.SystemRandom()
    last_seen = _last_seen(db, user_id)
    if options.mode == "exam":
        rows = _bank_questions(db)
        candidates = _candidates(rows, last_seen)
        try:
            drawn = exam.draw_exam(blueprint, candidates, rng)
        except exam.PoolTooSmall as exc:
            raise QuizError(409, "pool_too_small", f"The question bank is too small for a full exam: {exc}.") from exc
        limit = exam.time_limit_seconds(blueprint.minutes, options.timing)
    else:
        rows = _bank_questions(db, options)
        if options.filter == "unseen":
            rows = [r for r in rows if r.id not in last_seen]
        elif options.filter in ("missed", "flagged"):
            wanted = _history_filter(db, user_id, options.filter)
            rows = [r for r in rows if r.id in wanted]
        if not rows:
            raise bad_input(
                "filter" if options.filter else "topics", "No questions match these choices. Widen them and try again."
            )
        candidates = _candidates(rows, last_seen)
        drawn = exam.draw_practice(candidates, options.count, rng)
        limit = options.time_limit_seconds
    versions = {question_id: version_id for question_id, _domain, version_id in rows}
    return _create(db, user_id, options, drawn, versions, now, limit, rng)


def get_attempt(db: Session, user_id: int, attempt_id: int, now: datetime) -> Attempt | None:
    """The user's attempt (None if it is not theirs), up to date.

    Its items load on first use of `attempt.items`, all with their versions in two queries; a
    request about one item (the question page, autosave) uses `item_at` and never loads them.
    """
    attempt = db.scalar(
        select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id)
        .options(defaultload(Attempt.items).selectinload(AttemptItem.version))
        # An attempt already in the session (just started) takes these loader options too.
        .execution_options(populate_existing=True)
    )
    if attempt is not None:
        expire_if_due(db, attempt, now)
    return attempt


def expire_if_due(db: Session, attempt: Attempt, now: datetime) -> bool:
    """Finalise an open attempt whose deadline has passed; True when it did."""
    if attempt.status == "open" and exam.is_past_deadline(attempt.deadline, now):
        finalise(db, attempt, now, "expired")
        return True
    return False


def item_at(db: Session, attempt: Attempt, position: int) -> AttemptItem:
    """The attempt's item at a 1-based position, with its version (one query unless the items are loaded)."""
    if not isinstance(position, int) or not 1 <= position <= attempt.item_count:
        raise bad_input("position", f"position must be between 1 and {attempt.item_count}.")
    if "items" not in inspect(attempt).unloaded:
        return attempt.items[position - 1]
    return db.scalars(
        select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
        .options(joinedload(AttemptItem.version))
    ).one()


def item_marks(db: Session, attempt: Attempt) -> Sequence[tuple[int, int | None, bool]]:
    """(position, choice, flagged) of every item, in order: what the question navigator shows."""
    return db.execute(
        select(AttemptItem.position, AttemptItem.choice, AttemptItem.flagged)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
    ).all()


def save_answer(
    db: Session, attempt: Attempt, position: int, now: datetime, choice=UNSET, flagged=UNSET, guessed=UNSET
) -> AttemptItem:
    """Save a choice (0-3, or None to clear) and/or the flag of one item.

    Refused with 409 once the attempt is finished or past its deadline. In practice mode the
    first answer is final (the key has been shown); saving the same answer again is harmless.
    A practice answer updates the learner's review card at once (`guessed`: right but guessed
    rates it hard); exam answers update cards when the attempt is finalised.
    """
    if expire_if_due(db, attempt, now) or attempt.finished:
        raise closed()
    item = item_at(db, attempt, position)
    if guessed is not UNSET and (not isinstance(guessed, bool) or (guessed and attempt.mode != "practice")):
        raise bad_input("guessed", "guessed must be true or false, and only in practice.")
    if choice is not UNSET:
        if choice is not None and (isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < 4):
            raise bad_input("choice", "choice must be 0, 1, 2, 3 or null.")
        if attempt.mode == "practice" and item.choice is not None and choice != item.choice:
            raise QuizError(409, "already_answered", "This practice question is already answered.", "choice")
        if choice != item.choice:
            item.choice = choice
            item.correct = None if choice is None else item.option_order[choice] == item.version.answer
            item.answered_at = None if choice is None else now
            if attempt.mode == "practice" and choice is not None:
                review_services.record_answer(
                    db, attempt.user_id, item.question_id, item.correct, guessed is True, now, "practice"
                )
    if flagged is not UNSET:
        if not isinstance(flagged, bool):
            raise bad_input("flagged", "flagged must be true or false.")
        item.flagged = flagged
    db.flush()
    return item


def finalise(db: Session, attempt: Attempt, now: datetime, status: str = "submitted") -> bool:
    """Close an open attempt and store its score; harmless if it is already closed.

    The status change is one conditional UPDATE, so two simultaneous submissions close it once,
    and only the one that closed it updates the review cards of an exam's answered items.
    """
    if attempt.status != "open":
        return False
    result = score_of(attempt)
    finished_at = min(now, attempt.deadline) if status == "expired" and attempt.deadline else now
    changed = db.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "open")
        .values(status=status, finished_at=finished_at, score_correct=result.correct, score_total=result.total)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.refresh(attempt, ["status", "finished_at", "score_correct", "score_total"])
    if changed == 1 and attempt.mode == "exam":
        answered = [
            review_services.AnsweredQuestion(i.question_id, bool(i.correct))
            for i in attempt.items
            if i.choice is not None
        ]
        review_services.record_answers(db, attempt.user_id, answered, now, "exam")
    return changed == 1


def score_of(attempt: Attempt, domain_order: Sequence[str] = ()) -> exam.Score:
    return exam.score((exam.AnsweredItem(i.domain, i.scored, bool(i.correct)) for i in attempt.items), domain_order)


def list_attempts(db: Session, user_id: int, now: datetime, limit: int = 200) -> list[Attempt]:
    """The learner's attempts, newest first, with overdue ones finalised first."""
    overdue = db.scalars(
        select(Attempt)
        .where(
            Attempt.user_id == user_id, Attempt.status == "open", Attempt.deadline.is_not(None), Attempt.deadline <= now
        )
        .options(selectinload(Attempt.items))
    ).all()
    for attempt in overdue:
        finalise(db, attempt, now, "expired")
    return list(
        db.scalars(select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.started_at.desc()).limit(limit))
    )
