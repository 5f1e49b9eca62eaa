"""The weekly summary for office managers: claim, send, release on failure. Flush only.

At most once per office, manager and week (the Monday of `today`): the job first inserts an
`OfficeSummary` row, whose unique constraint lets only one host claim it, and commits that
claim before sending; if sending fails, the claim is deleted so the next run retries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from prep.models.office import Office, OfficeMember, OfficeSummary
from prep.models.user import User
from prep.office.services import SharedCertification, shared_certifications


@dataclass(frozen=True)
class Summary:
    office: Office
    manager: User
    rows: list[SharedCertification]

    @property
    def attention(self) -> list[SharedCertification]:
        return [r for r in self.rows if r.needs_attention]

    @property
    def by_state(self) -> dict[str, int]:
        return dict(Counter(r.status.state for r in self.rows))


def subscribed_managers(db: Session) -> list[OfficeMember]:
    """Managers who asked for the weekly summary, by office."""
    return list(
        db.scalars(
            select(OfficeMember)
            .where(OfficeMember.role == "manager", OfficeMember.weekly_summary.is_(True))
            .order_by(OfficeMember.office_id, OfficeMember.user_id)
        )
    )


def claim(db: Session, office_id: int, user_id: int, week: date, now: datetime) -> bool:
    """Claim this week's summary for one manager; False if it was already claimed (sent)."""
    try:
        with db.begin_nested():
            db.add(OfficeSummary(office_id=office_id, user_id=user_id, week_of=week, sent_at=now))
    except IntegrityError:
        return False
    return True


def release(db: Session, office_id: int, user_id: int, week: date) -> None:
    """Undo a claim whose email could not be sent, so that the next run retries."""
    db.execute(
        delete(OfficeSummary).where(
            OfficeSummary.office_id == office_id, OfficeSummary.user_id == user_id, OfficeSummary.week_of == week
        )
    )


def summary_for(db: Session, member: OfficeMember, today: date) -> Summary:
    return Summary(member.office, member.user, shared_certifications(db, member.office, today))
