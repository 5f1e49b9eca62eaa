"""Assignments: a practice set or a mock exam for a cohort, due on a day. Services flush; routes commit.

A learner starts an assignment from their dashboard: the attempt carries `assignment_id`. One
attempt per learner and assignment: starting again continues the open attempt, and once it is
finished the result stands (that is the score the instructor sees).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from prep.core import cohort as rules
from prep.core.blueprint import Blueprint
from prep.core.exam import ACCOMMODATIONS
from prep.instructor.services import CohortError, member_ids, members
from prep.models.attempt import Attempt
from prep.models.cohort import Assignment, AssignmentAccommodation, Cohort, CohortMember
from prep.models.question import Collection
from prep.models.user import User
from prep.quiz import services as quiz
from prep.quiz.options import PRACTICE_COUNT_RANGE, StartOptions

TITLE_MAX = 200


@dataclass(frozen=True)
class Standing:
    """A learner's attempt at an assignment and where that leaves them."""

    user: User
    state: str
    attempt: Attempt | None

    @property
    def percent(self) -> float | None:
        a = self.attempt
        return rules.percent(a.score_correct, a.score_total) if a is not None and a.finished else None


def create_assignment(
    db: Session,
    cohort: Cohort,
    *,
    kind: str,
    title: str,
    due_on: date | None,
    today: date,
    blueprint: Blueprint,
    topics: Sequence[str] = (),
    domains: Sequence[str] = (),
    count: int | None = None,
    collection_id: int | None = None,
    timing: str = "standard",
) -> Assignment:
    """Check and store an assignment; raise CohortError naming the field at fault."""
    problems = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = "Enter a title learners will recognise."
    elif len(title) > TITLE_MAX:
        problems["title"] = f"Keep the title under {TITLE_MAX} characters."
    if due_on is None:
        problems["due_on"] = "Enter the due date."
    elif due_on < today:
        problems["due_on"] = "The due date has passed; choose today or a later day."
    if kind == "practice":
        low, high = PRACTICE_COUNT_RANGE
        if count is None or not low <= count <= high:
            problems["count"] = f"Choose between {low} and {high} questions."
        if any(t not in blueprint.topic_slugs for t in topics):
            problems["topics"] = "Choose topics from the list."
        if any(d not in blueprint.domain_slugs for d in domains):
            problems["domains"] = "Choose domains from the list."
        if collection_id is not None:
            owner = db.scalar(select(Collection.owner_id).where(Collection.id == collection_id))
            if owner != cohort.instructor_id:
                problems["collection_id"] = "Choose one of your collections."
    elif kind == "exam":
        if timing not in ACCOMMODATIONS:
            problems["timing"] = "Choose a timing."
        topics, domains, count, collection_id = [], [], None, None
    else:
        problems["kind"] = "Choose a practice set or a mock exam."
    if problems:
        raise CohortError(problems)
    assignment = Assignment(
        cohort_id=cohort.id,
        kind=kind,
        title=title,
        topics=list(topics),
        domains=list(domains),
        count=count,
        collection_id=collection_id,
        timing=timing if kind == "exam" else "untimed",
        due_on=due_on,
    )
    db.add(assignment)
    db.flush()
    return assignment


def assignment_for_instructor(db: Session, instructor: User, assignment_id: int) -> Assignment | None:
    assignment = db.get(Assignment, assignment_id)
    return assignment if assignment is not None and assignment.cohort.instructor_id == instructor.id else None


def assignment_for_learner(db: Session, user: User, assignment_id: int) -> Assignment | None:
    """The assignment if the user currently belongs to its cohort, else None."""
    assignment = db.get(Assignment, assignment_id)
    if assignment is None or db.get(CohortMember, (assignment.cohort_id, user.id)) is None:
        return None
    return assignment


def set_accommodations(db: Session, assignment: Assignment, timings: dict[int, str | None]) -> None:
    """Per learner timing for a mock exam (None: the assignment's own); only current members."""
    allowed = set(db.scalars(member_ids(assignment.cohort_id)))
    current = {a.user_id: a for a in assignment.accommodations}
    for user_id, timing in timings.items():
        if user_id not in allowed:
            continue
        if timing not in (None, *ACCOMMODATIONS):
            raise CohortError({f"timing-{user_id}": "Choose a timing."})
        if timing is None or timing == assignment.timing:
            if user_id in current:
                db.delete(current[user_id])
        elif user_id in current:
            current[user_id].timing = timing
        else:
            db.add(AssignmentAccommodation(assignment_id=assignment.id, user_id=user_id, timing=timing))
    db.flush()


def accommodation_of(assignment: Assignment, user_id: int) -> str | None:
    return next((a.timing for a in assignment.accommodations if a.user_id == user_id), None)


def _attempts(db: Session, assignment_ids: list[int], user_ids) -> dict[tuple[int, int], Attempt]:
    """Per (assignment, user): the first finished attempt, else the open one."""
    found: dict[tuple[int, int], Attempt] = {}
    if not assignment_ids:
        return found
    rows = db.scalars(
        select(Attempt)
        .where(Attempt.assignment_id.in_(assignment_ids), Attempt.user_id.in_(user_ids))
        .order_by(Attempt.started_at, Attempt.id)
    )
    for a in rows:
        key = (a.assignment_id, a.user_id)
        seen = found.get(key)
        if seen is None or (not seen.finished and a.finished):
            found[key] = a
    return found


def _state(assignment: Assignment, attempt: Attempt | None, today: date) -> str:
    finished_on = attempt.finished_at.date() if attempt is not None and attempt.finished else None
    return rules.assignment_state(assignment.due_on, today, attempt is not None, finished_on)


def standings(db: Session, assignment: Assignment, today: date) -> list[Standing]:
    """Every current member of the cohort and how far they got, by name."""
    attempts = _attempts(db, [assignment.id], member_ids(assignment.cohort_id))
    return [
        Standing(
            user,
            _state(assignment, attempts.get((assignment.id, user.id)), today),
            attempts.get((assignment.id, user.id)),
        )
        for user, _ in members(db, assignment.cohort)
    ]


def learner_assignments(db: Session, user: User, today: date) -> list[tuple[Assignment, Standing]]:
    """The assignments of every cohort the user belongs to, soonest due first."""
    assignments = list(
        db.scalars(
            select(Assignment)
            .join(CohortMember, CohortMember.cohort_id == Assignment.cohort_id)
            .where(CohortMember.user_id == user.id)
            .options(selectinload(Assignment.cohort))
            .order_by(Assignment.due_on, Assignment.id)
        )
    )
    attempts = _attempts(db, [a.id for a in assignments], [user.id])
    found = []
    for a in assignments:
        attempt = attempts.get((a.id, user.id))
        found.append((a, Standing(user, _state(a, attempt, today), attempt)))
    return found


def start_options(assignment: Assignment, user_id: int) -> StartOptions:
    if assignment.kind == "exam":
        return StartOptions(
            mode="exam", timing=rules.learner_timing(assignment.timing, accommodation_of(assignment, user_id))
        )
    return StartOptions(
        mode="practice",
        topics=tuple(assignment.topics or ()),
        domains=tuple(assignment.domains or ()),
        count=assignment.count or PRACTICE_COUNT_RANGE[0],
        collection_id=assignment.collection_id,
    )


def start(
    db: Session,
    user: User,
    assignment: Assignment,
    blueprint: Blueprint,
    now: datetime,
    rng: random.Random | None = None,
) -> Attempt:
    """The learner's attempt at the assignment: the existing one, or a new one (QuizError if the pool is too small)."""
    existing = _attempts(db, [assignment.id], [user.id]).get((assignment.id, user.id))
    if existing is not None:
        quiz.expire_if_due(db, existing, now)
        return existing
    attempt = quiz.start_attempt(db, user.id, start_options(assignment, user.id), blueprint, now, rng)
    attempt.assignment_id = assignment.id
    db.flush()
    return attempt
