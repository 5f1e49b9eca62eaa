"""CE cycles: the status of a certification's current cycle, renewals, closed cycles. They flush only.

The rules are in `prep.core.ce`; this module loads the rows they need and records renewals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prep.ce.catalog import load_catalog
from prep.ce.services import CeError, credential_for
from prep.core.ce import inputs
from prep.core.ce.dates import next_expiry
from prep.core.ce.status import LAPSED, ActivityFacts, CycleFacts, Status, evaluate
from prep.models.ce import CeActivity, CeApplication, CeCycle, Certification


def credentials_held(db: Session, certification: Certification) -> int:
    """How many credentials of this body the user holds (entered, or counted from the tracker)."""
    if certification.credentials_held:
        return certification.credentials_held
    body = credential_for(certification).body
    catalog = load_catalog()
    slugs = [c.slug for c in catalog.credentials if c.body == body]
    count = db.scalar(
        select(func.count())
        .select_from(Certification)
        .where(Certification.user_id == certification.user_id, Certification.credential.in_(slugs))
    )
    return max(int(count or 0), 1)


def _facts(db: Session, certification: Certification) -> tuple[CycleFacts, list[ActivityFacts]]:
    applications = {
        a.activity_id: a
        for a in db.scalars(select(CeApplication).where(CeApplication.certification_id == certification.id))
    }
    activities = db.scalars(select(CeActivity).where(CeActivity.user_id == certification.user_id))
    facts = [
        ActivityFacts(
            id=a.id,
            completed_on=a.completed_on,
            contact_hours=Decimal(a.contact_hours),
            category=a.category,
            format=a.format,
            accreditation=a.accreditation,
            applied=a.id in applications,
            closed=a.id in applications and applications[a.id].closed_cycle_id is not None,
        )
        for a in activities
    ]
    cycle = CycleFacts(
        cycle_start=certification.cycle_start,
        expires_on=certification.expires_on,
        provisional=certification.provisional,
        credentials_held=credentials_held(db, certification),
    )
    return cycle, facts


def certification_status(db: Session, certification: Certification, on: date) -> Status:
    """The status of the certification's current cycle on day `on`."""
    cycle, facts = _facts(db, certification)
    return evaluate(credential_for(certification), cycle, facts, on)


def record_renewal(db: Session, certification: Certification, renewed_on: date, today: date) -> CeCycle:
    """Close the current cycle with the activities that count on `renewed_on`; start the next.

    The closed cycle keeps its totals and the amount each activity counted; those activities
    never count again for this certification. The next cycle starts on the renewal date and
    expires one cycle after the old expiry (or after the renewal date, when renewed late).
    """
    credential = credential_for(certification)
    status = certification_status(db, certification, renewed_on)
    problems = inputs.renewal_problems(
        cycle_start=certification.cycle_start,
        provisional=certification.provisional,
        renewed_on=renewed_on,
        lapsed=status.state == LAPSED,
        today=today,
    )
    if problems:
        raise CeError(problems, problems["renewed_on"])
    cycle = CeCycle(
        certification=certification,
        cycle_start=certification.cycle_start,
        expires_on=certification.expires_on,
        renewed_on=renewed_on,
        unit=status.unit,
        required=status.required,
        earned=status.earned,
        requirement_met=status.earned >= status.required and status.minimums_met,
    )
    db.add(cycle)
    counted = {o.id: o.counted for o in status.outcomes if not o.excluded}
    for application in db.scalars(select(CeApplication).where(CeApplication.certification_id == certification.id)):
        if application.activity_id in counted and application.closed_cycle_id is None:
            application.closed_cycle = cycle
            application.counted_amount = counted[application.activity_id]
    certification.expires_on = next_expiry(
        certification.expires_on, renewed_on, credential.cycle_months, credential.expiry_rule
    )
    certification.cycle_start = renewed_on
    db.flush()
    return cycle


def get_cycle(db: Session, certification: Certification, cycle_id: int) -> CeCycle | None:
    cycle = db.get(CeCycle, cycle_id)
    return cycle if cycle is not None and cycle.certification_id == certification.id else None
