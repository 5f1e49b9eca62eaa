"""Cohort rules: join codes, invitation lifetime, assignment states, and the cohort's weak spots.

Pure: callers pass the random generator and `today`/`now`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from prep.core.readiness import Readiness

# No 0/O, 1/I/L: a code read aloud or copied from a whiteboard survives.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8
INVITE_VALID_DAYS = 14

NOT_STARTED = "not-started"
IN_PROGRESS = "in-progress"
COMPLETED = "completed"
COMPLETED_LATE = "completed-late"
OVERDUE = "overdue"
ASSIGNMENT_STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED, COMPLETED_LATE, OVERDUE)


def new_join_code(rng: random.Random) -> str:
    """A fresh code of JOIN_CODE_LENGTH characters (31^8, about 8.5e11 codes)."""
    return "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str | None) -> str | None:
    """The stored form of a typed code (case, spaces and dashes ignored), or None if it cannot be one."""
    if not isinstance(text, str):
        return None
    code = "".join(c for c in text.upper() if c not in " -\t")
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_CODE_ALPHABET for c in code):
        return None
    return code


def display_join_code(code: str) -> str:
    """ABCD-EFGH: easier to read out than eight letters in a row."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def invite_expires(now: datetime) -> datetime:
    return now + timedelta(days=INVITE_VALID_DAYS)


def assignment_state(due_on: date, today: date, started: bool, finished_on: date | None) -> str:
    """Where a learner stands with an assignment due at the end of `due_on`."""
    if finished_on is not None:
        return COMPLETED_LATE if finished_on > due_on else COMPLETED
    if today > due_on:
        return OVERDUE
    return IN_PROGRESS if started else NOT_STARTED


def learner_timing(assignment_timing: str, accommodation: str | None) -> str:
    """A learner's own accommodation replaces the assignment's timing."""
    return accommodation or assignment_timing


@dataclass(frozen=True)
class DomainSummary:
    """A domain's mean mastery over the learners with evidence in it."""

    domain: str
    mastery: float | None
    learners: int


def cohort_domains(readinesses: Iterable[Readiness], domain_order: Sequence[str]) -> list[DomainSummary]:
    """Mean mastery per domain (each learner counts once), in blueprint order."""
    values: dict[str, list[float]] = {d: [] for d in domain_order}
    for r in readinesses:
        for d in r.domains:
            if d.mastery is not None and d.domain in values:
                values[d.domain].append(d.mastery)
    return [DomainSummary(d, sum(v) / len(v) if v else None, len(v)) for d, v in values.items()]


def weakest_domains(summaries: Iterable[DomainSummary], limit: int = 3) -> list[DomainSummary]:
    """The domains with the lowest mean mastery (only those with evidence), weakest first."""
    known = [s for s in summaries if s.mastery is not None]
    return sorted(known, key=lambda s: (s.mastery, -s.learners, s.domain))[:limit]


def percent(correct: int | None, total: int | None) -> float | None:
    if not total or correct is None:
        return None
    return round(100.0 * correct / total, 1)
