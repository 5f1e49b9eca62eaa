"""Item statistics from the attempts in the database: whole bank (admins) or a cohort (instructors).

One query loads every counted response of the questions concerned (finished attempts only: an
open attempt has no final score and an open exam's answers must stay private); the rules, the
first-attempt filter included, are in `prep.core.item_stats`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from prep.core import item_stats
from prep.models.attempt import Attempt, AttemptItem
from prep.models.question import Question, QuestionVersion


@dataclass(frozen=True)
class VersionStats:
    """A question version and its statistics."""

    question: Question
    version: QuestionVersion
    stats: item_stats.ItemStats


def _responses(db: Session, question_ids: Iterable[int] | None, learners: Select | None) -> list[item_stats.Response]:
    query = (
        select(
            Attempt.user_id,
            Attempt.id,
            Attempt.started_at,
            Attempt.mode,
            Attempt.score_correct,
            Attempt.score_total,
            AttemptItem.question_id,
            QuestionVersion.version,
            AttemptItem.option_order,
            AttemptItem.choice,
            AttemptItem.correct,
            AttemptItem.scored,
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.version_id)
        .where(Attempt.status != "open")
    )
    if question_ids is not None:
        query = query.where(AttemptItem.question_id.in_(list(question_ids)))
    if learners is not None:
        query = query.where(Attempt.user_id.in_(learners))
    return [
        item_stats.Response(
            learner_id=r.user_id,
            attempt_id=r.id,
            attempt_started=r.started_at,
            question_id=r.question_id,
            version=r.version,
            option=item_stats.original_option(r.choice, r.option_order),
            correct=bool(r.correct),
            scored=r.scored,
            attempt_correct=r.score_correct or 0,
            attempt_total=r.score_total or 0,
        )
        for r in db.execute(query)
        if item_stats.counts_as_response(r.mode, r.choice is not None)
    ]


def stats_for(
    db: Session, versions: Iterable[QuestionVersion], learners: Select | None = None
) -> dict[int, item_stats.ItemStats]:
    """Statistics per question-version id; `learners` (a select of user ids) limits whose attempts count."""
    versions = list(versions)
    if not versions:
        return {}
    answers = {(v.question_id, v.version): v.answer for v in versions}
    computed = item_stats.analyse(_responses(db, {v.question_id for v in versions}, learners), answers)
    return {v.id: computed[(v.question_id, v.version)] for v in versions}


def question_stats(
    db: Session, question: Question, version: int | None = None, learners: Select | None = None
) -> VersionStats | None:
    """One version's statistics (the current version by default); None if there is no such version."""
    wanted = (
        version if version is not None else (question.current_version.version if question.current_version else None)
    )
    found = next((v for v in question.versions if v.version == wanted), None)
    if found is None:
        return None
    return VersionStats(question, found, stats_for(db, [found], learners)[found.id])


def answered_stats(db: Session, learners: Select | None = None) -> list[VersionStats]:
    """Every question version with at least one counted first response, flagged ones first.

    Without `learners` this is the whole bank and every collection (admins); with it, only the
    attempts of those learners (an instructor's cohort).
    """
    responses = _responses(db, None, learners)
    version_keys = {(r.question_id, r.version) for r in responses}
    if not version_keys:
        return []
    question_ids = {q for q, _ in version_keys}
    rows = db.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .where(Question.id.in_(question_ids))
    ).all()
    wanted = {(v.question_id, v.version): (q, v) for q, v in rows if (v.question_id, v.version) in version_keys}
    computed = item_stats.analyse(responses, {key: v.answer for key, (_, v) in wanted.items()})
    found = [VersionStats(q, v, computed[key]) for key, (q, v) in wanted.items()]
    found.sort(key=lambda s: (-len(s.stats.flags), -s.stats.n, s.question.key, s.version.version))
    return found
