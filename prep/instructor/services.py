"""Cohorts and membership: create, rotate the join code, invite, join, leave. Services flush; routes commit.

Reach: `cohort_for_instructor` returns a cohort only to its instructor, `membership` a learner
only while they belong to that cohort; callers answer 404 to everything else.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prep.core import cohort as rules
from prep.models.cohort import Cohort, CohortInvite, CohortMember
from prep.models.user import User, email_key

NAME_MAX = 120
INVITES_PER_REQUEST = 50


class CohortError(ValueError):
    """Refused input; `fields` maps the field at fault to a message."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(fields.values()))
        self.fields = fields


def unused_join_code(db: Session, model, rng: random.Random | None = None) -> str:
    """A join code no row of `model` (Cohort or Office) uses; the unique constraint backs it up."""
    rng = rng or random.SystemRandom()
    for _ in range(20):
        code = rules.new_join_code(rng)
        if db.scalar(select(model.id).where(model.join_code == code)) is None:
            return code
    raise RuntimeError("could not find an unused join code")  # 20 collisions in 8.5e11 codes: not happening


def check_name(name) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise CohortError({"name": "Enter a name."})
    if len(name) > NAME_MAX:
        raise CohortError({"name": f"Keep the name under {NAME_MAX} characters."})
    return name


def create_cohort(db: Session, instructor: User, name: str, now: datetime, rng: random.Random | None = None) -> Cohort:
    cohort = Cohort(
        instructor_id=instructor.id, name=check_name(name), join_code=unused_join_code(db, Cohort, rng), created_at=now
    )
    db.add(cohort)
    db.flush()
    return cohort


def instructor_cohorts(db: Session, instructor: User) -> list[tuple[Cohort, int]]:
    """The instructor's cohorts with their member counts, newest first."""
    counts = select(CohortMember.cohort_id, func.count().label("n")).group_by(CohortMember.cohort_id).subquery("counts")
    rows = db.execute(
        select(Cohort, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .where(Cohort.instructor_id == instructor.id)
        .order_by(Cohort.created_at.desc(), Cohort.id.desc())
    ).all()
    return [(c, n) for c, n in rows]


def cohort_for_instructor(db: Session, instructor: User, cohort_id: int) -> Cohort | None:
    cohort = db.get(Cohort, cohort_id)
    return cohort if cohort is not None and cohort.instructor_id == instructor.id else None


def rotate_join_code(db: Session, cohort: Cohort, rng: random.Random | None = None) -> str:
    """A new join code; the old one stops working at once."""
    cohort.join_code = unused_join_code(db, Cohort, rng)
    db.flush()
    return cohort.join_code


def member_ids(cohort_id: int):
    """A select of the cohort's current members' user ids (for IN clauses)."""
    return select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)


def members(db: Session, cohort: Cohort) -> list[tuple[User, datetime]]:
    """(user, joined_at) of every current member, by name."""
    rows = db.execute(
        select(User, CohortMember.joined_at)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(func.lower(User.name), User.id)
    ).all()
    return [(u, joined) for u, joined in rows]


def membership(db: Session, cohort: Cohort, user_id: int) -> CohortMember | None:
    """The user's current membership of the cohort (with `.user` and `.joined_at`), else None."""
    return db.get(CohortMember, (cohort.id, user_id))


def _add_member(db: Session, cohort: Cohort, user: User, now: datetime) -> None:
    if cohort.instructor_id == user.id:
        raise CohortError({"code": "You teach this cohort; learners join it."})
    if db.get(CohortMember, (cohort.id, user.id)) is None:
        db.add(CohortMember(cohort_id=cohort.id, user_id=user.id, joined_at=now))
        db.flush()


def join_with_code(db: Session, user: User, code: str, now: datetime) -> Cohort:
    """Join the cohort whose current code is `code` (joining twice is harmless)."""
    normal = rules.normalise_join_code(code)
    cohort = None if normal is None else db.scalar(select(Cohort).where(Cohort.join_code == normal))
    if cohort is None:
        raise CohortError({"code": "No cohort has this code. Check it with your instructor; codes can change."})
    _add_member(db, cohort, user, now)
    return cohort


def learner_cohorts(db: Session, user: User) -> list[Cohort]:
    return list(
        db.scalars(
            select(Cohort)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id)
            .order_by(Cohort.name, Cohort.id)
        )
    )


def leave(db: Session, user: User, cohort_id: int) -> Cohort | None:
    """Leave a cohort; None if the user is not in it. The instructor no longer sees the learner."""
    membership = db.get(CohortMember, (cohort_id, user.id))
    if membership is None:
        return None
    cohort = membership.cohort
    db.delete(membership)
    db.flush()
    return cohort


def remove_member(db: Session, cohort: Cohort, user_id: int) -> bool:
    membership = db.get(CohortMember, (cohort.id, user_id))
    if membership is None:
        return False
    db.delete(membership)
    db.flush()
    return True


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_emails(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; raise CohortError naming the bad one."""
    raw = [p for p in (text or "").replace(",", " ").replace(";", " ").split() if p]
    if not raw:
        raise CohortError({"emails": "Enter at least one email address."})
    if len(raw) > INVITES_PER_REQUEST:
        raise CohortError({"emails": f"Invite at most {INVITES_PER_REQUEST} people at a time."})
    found = []
    for address in raw:
        try:
            found.append(email_key(validate_email(address, check_deliverability=False).normalized))
        except EmailNotValidError:
            raise CohortError({"emails": f"{address} is not a valid email address."}) from None
    return list(dict.fromkeys(found))


def create_invites(db: Session, cohort: Cohort, emails: list[str], now: datetime) -> list[tuple[str, str]]:
    """One invitation per address; returns (email, secret) pairs to send after the commit."""
    sent = []
    for email in emails:
        secret = secrets.token_urlsafe(24)
        db.add(
            CohortInvite(
                cohort_id=cohort.id,
                email=email,
                token_digest=_digest(secret),
                created_at=now,
                expires_at=rules.invite_expires(now),
            )
        )
        sent.append((email, secret))
    db.flush()
    return sent


def pending_invites(db: Session, cohort: Cohort, now: datetime) -> list[CohortInvite]:
    return list(
        db.scalars(
            select(CohortInvite)
            .where(
                CohortInvite.cohort_id == cohort.id, CohortInvite.accepted_at.is_(None), CohortInvite.expires_at > now
            )
            .order_by(CohortInvite.created_at.desc())
        )
    )


def revoke_invite(db: Session, cohort: Cohort, invite_id: int) -> bool:
    invite = db.get(CohortInvite, invite_id)
    if invite is None or invite.cohort_id != cohort.id or invite.accepted_at is not None:
        return False
    db.delete(invite)
    db.flush()
    return True


def invite_for_secret(db: Session, secret: str, now: datetime) -> CohortInvite | None:
    """The unused, unexpired invitation this link carries, else None."""
    invite = db.scalar(select(CohortInvite).where(CohortInvite.token_digest == _digest(secret)))
    if invite is None or invite.accepted_at is not None or invite.expires_at <= now:
        return None
    return invite


def accept_invite(db: Session, invite: CohortInvite, user: User, now: datetime) -> Cohort:
    """Whoever holds the emailed link joins (the link proves access to the mailbox); it works once."""
    _add_member(db, invite.cohort, user, now)
    invite.accepted_at, invite.accepted_by_id = now, user.id
    db.flush()
    return invite.cohort
