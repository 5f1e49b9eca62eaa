"""Offices: create, join, share certifications, manage members; the managers' view. Flush only.

Reach: `managed_office` returns an office only to its managers; the managers' view lists the
certifications of members who share them, and nothing of the others. Certification status is
the CE tracker's own (`prep.ce.cycles.certification_status`), so a manager sees exactly what
the member sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from prep.ce.cycles import certification_status
from prep.ce.services import credential_for, list_certifications
from prep.ce.views import amount
from prep.core import office as rules
from prep.core.ce.catalog import Credential
from prep.core.ce.status import Status
from prep.core.cohort import normalise_join_code
from prep.instructor.services import CohortError, check_name, unused_join_code
from prep.models.ce import Certification
from prep.models.office import Office, OfficeMember
from prep.models.user import User

OfficeError = CohortError
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SharedCertification:
    member: User
    certification: Certification
    credential: Credential
    status: Status
    today: date

    @property
    def urgency(self) -> tuple[int, int, int]:
        s = self.status
        return rules.urgency_key(s.state, s.days_left, s.reinstate_until, self.today)

    @property
    def needs_attention(self) -> bool:
        return rules.needs_attention(self.status.state, self.status.days_left)


def create_office(db: Session, user: User, name: str, now: datetime) -> Office:
    """A new office; its creator is its first manager."""
    office = Office(name=check_name(name), join_code=unused_join_code(db, Office), created_at=now)
    office.members = [OfficeMember(user_id=user.id, role="manager", joined_at=now)]
    db.add(office)
    db.flush()
    return office


def memberships(db: Session, user: User) -> list[OfficeMember]:
    return list(
        db.scalars(
            select(OfficeMember)
            .where(OfficeMember.user_id == user.id)
            .options(selectinload(OfficeMember.office))
            .join(Office, Office.id == OfficeMember.office_id)
            .order_by(Office.name, Office.id)
        )
    )


def membership(db: Session, user: User, office_id: int) -> OfficeMember | None:
    return db.get(OfficeMember, (office_id, user.id))


def managed_office(db: Session, user: User, office_id: int) -> Office | None:
    found = membership(db, user, office_id)
    return found.office if found is not None and found.role == "manager" else None


def join_with_code(db: Session, user: User, code: str, now: datetime) -> Office:
    normal = normalise_join_code(code)
    office = None if normal is None else db.scalar(select(Office).where(Office.join_code == normal))
    if office is None:
        raise OfficeError({"code": "No office has this code. Check it with your office manager; codes can change."})
    if db.get(OfficeMember, (office.id, user.id)) is None:
        db.add(OfficeMember(office_id=office.id, user_id=user.id, role="member", joined_at=now))
        db.flush()
    return office


def _managers(db: Session, office_id: int) -> int:
    return db.scalar(select(func.count()).where(OfficeMember.office_id == office_id, OfficeMember.role == "manager"))


def leave(db: Session, member: OfficeMember) -> None:
    """Leave an office; the last manager must first make someone else a manager (or be alone)."""
    others = db.scalar(
        select(func.count()).where(OfficeMember.office_id == member.office_id, OfficeMember.user_id != member.user_id)
    )
    if member.role == "manager" and _managers(db, member.office_id) == 1 and others:
        raise OfficeError({"office": "You are its only manager: make another member a manager first."})
    office = member.office
    db.delete(member)
    db.flush()
    if not others:
        db.delete(office)
        db.flush()


def set_sharing(db: Session, member: OfficeMember, share: bool) -> None:
    """Share (or stop sharing) the member's certifications with the office's managers."""
    member.shares_certifications = share
    db.flush()


def set_weekly_summary(db: Session, member: OfficeMember, on: bool) -> None:
    member.weekly_summary = on and member.role == "manager"
    db.flush()


def rotate_join_code(db: Session, office: Office) -> str:
    office.join_code = unused_join_code(db, Office)
    db.flush()
    return office.join_code


def office_members(db: Session, office: Office) -> list[OfficeMember]:
    return list(
        db.scalars(
            select(OfficeMember)
            .join(User, User.id == OfficeMember.user_id)
            .where(OfficeMember.office_id == office.id)
            .options(selectinload(OfficeMember.user))
            .order_by(func.lower(User.name), User.id)
        )
    )


def set_role(db: Session, office: Office, user_id: int, role: str) -> bool:
    """Make a member a manager or a member again; the last manager stays one."""
    member = db.get(OfficeMember, (office.id, user_id))
    if member is None or role not in ("manager", "member"):
        return False
    if member.role == "manager" and role == "member" and _managers(db, office.id) == 1:
        raise OfficeError({"role": "An office needs at least one manager."})
    member.role = role
    if role == "member":
        member.weekly_summary = False
    db.flush()
    return True


def remove_member(db: Session, office: Office, user_id: int) -> bool:
    member = db.get(OfficeMember, (office.id, user_id))
    if member is None:
        return False
    if member.role == "manager":
        raise OfficeError({"role": "Make a manager a member first; managers leave on their own."})
    db.delete(member)
    db.flush()
    return True


def shared_certifications(db: Session, office: Office, today: date) -> list[SharedCertification]:
    """Every certification of the members who share them, most urgent first."""
    sharing = db.scalars(
        select(User)
        .join(OfficeMember, OfficeMember.user_id == User.id)
        .where(OfficeMember.office_id == office.id, OfficeMember.shares_certifications.is_(True))
    )
    rows = [
        SharedCertification(user, c, credential_for(c), certification_status(db, c, today), today)
        for user in sharing
        for c in list_certifications(db, user)
    ]
    rows.sort(key=lambda r: (r.urgency, r.member.name.lower(), r.certification.id))
    return rows


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def shared_csv(rows: list[SharedCertification]) -> str:
    """The managers' view as CSV, in the same order; cells a spreadsheet would run are quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "email",
            "credential",
            "state",
            "earned",
            "required",
            "unit",
            "expires_on",
            "days_left",
            "reinstate_until",
        ]
    )
    for r in rows:
        s = r.status
        writer.writerow(
            [
                _cell(r.member.name),
                _cell(r.member.email),
                r.credential.abbreviation,
                s.state,
                amount(s.earned),
                amount(s.required),
            ]
            + [
                s.unit,
                s.expires_on.isoformat(),
                s.days_left,
                s.reinstate_until.isoformat() if s.reinstate_until else "",
            ]
        )
    return out.getvalue()
