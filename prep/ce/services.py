"""CE operations: certifications, activities, status and renewals. They flush; callers commit.

Every function that takes an id also takes the user and returns None for someone else's row,
so that callers answer 404 without telling whether it exists. Refused input raises `CeError`
with `{field: message}` and changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from prep.ce.catalog import load_catalog
from prep.core.ce import inputs
from prep.core.ce.catalog import Credential
from prep.core.ce.dates import deadline_after, default_expiry
from prep.models.ce import CeActivity, CeApplication, Certification
from prep.models.user import User
from prep.storage import Storage


class CeError(ValueError):
    """Refused input; `fields` maps each field at fault to a message for the user."""

    def __init__(self, fields: dict[str, str], message: str = "Some of what you entered needs to be corrected."):
        super().__init__(message)
        self.fields = fields
        self.message = message


def credential_for(certification: Certification) -> Credential:
    credential = load_catalog().get(certification.credential)
    if credential is None:  # the catalog lost a slug that rows still use
        raise LookupError(f"credential {certification.credential!r} is not in the catalog")
    return credential


# Certifications


def list_certifications(db: Session, user: User) -> list[Certification]:
    return list(db.scalars(select(Certification).where(Certification.user_id == user.id).order_by(Certification.id)))


def get_certification(db: Session, user: User, certification_id: int) -> Certification | None:
    certification = db.get(Certification, certification_id)
    return certification if certification is not None and certification.user_id == user.id else None


def default_expires_on(credential: Credential, cycle_start: date, provisional: bool, test_date: date | None) -> date:
    """The expiry a new certification gets unless the user enters one.

    Provisional: the conversion deadline (test date + the provisional window); otherwise one
    cycle from the cycle start by the credential's expiry rule.
    """
    if provisional and test_date is not None and credential.provisional_window_months:
        return deadline_after(test_date, months=credential.provisional_window_months)
    return default_expiry(cycle_start, credential.cycle_months, credential.expiry_rule)


def add_certification(
    db: Session,
    user: User,
    *,
    credential: str,
    number: str,
    cycle_start: date,
    today: date,
    expires_on: date | None = None,
    provisional: bool = False,
    test_date: date | None = None,
    credentials_held: int | None = None,
) -> Certification:
    """Add a certification; its expiry defaults from the credential's cycle rule."""
    rules = load_catalog().get(credential)
    problems = inputs.certification_problems(
        credential=rules,
        number=number,
        cycle_start=cycle_start,
        expires_on=expires_on,
        provisional=provisional,
        test_date=test_date,
        credentials_held=credentials_held,
        today=today,
    )
    if problems:
        raise CeError(problems)
    certification = Certification(
        user_id=user.id,
        credential=credential,
        number=number.strip(),
        cycle_start=cycle_start,
        expires_on=expires_on or default_expires_on(rules, cycle_start, provisional, test_date),
        provisional=provisional,
        test_date=test_date,
        credentials_held=credentials_held if rules.scales_with_credentials_held else None,
    )
    db.add(certification)
    db.flush()
    return certification


def update_certification(
    db: Session,
    certification: Certification,
    *,
    number: str,
    cycle_start: date,
    expires_on: date,
    provisional: bool,
    test_date: date | None,
    credentials_held: int | None,
    today: date,
) -> None:
    """Change a certification (e.g. match the body's record, or convert a provisional one)."""
    rules = credential_for(certification)
    problems = inputs.certification_problems(
        credential=rules,
        number=number,
        cycle_start=cycle_start,
        expires_on=expires_on,
        provisional=provisional,
        test_date=test_date,
        credentials_held=credentials_held,
        today=today,
    )
    if problems:
        raise CeError(problems)
    certification.number = number.strip()
    certification.cycle_start = cycle_start
    certification.expires_on = expires_on
    certification.provisional = provisional
    certification.test_date = test_date
    certification.credentials_held = credentials_held if rules.scales_with_credentials_held else None
    db.flush()


def delete_certification(db: Session, certification: Certification) -> None:
    """Delete a certification and its history; the activities stay (they may count elsewhere)."""
    db.delete(certification)
    db.flush()


# Activities


def list_activities(db: Session, user: User) -> list[CeActivity]:
    return list(
        db.scalars(
            select(CeActivity)
            .where(CeActivity.user_id == user.id)
            .order_by(CeActivity.completed_on.desc(), CeActivity.id.desc())
        )
    )


def get_activity(db: Session, user: User, activity_id: int) -> CeActivity | None:
    activity = db.get(CeActivity, activity_id)
    return activity if activity is not None and activity.user_id == user.id else None


def _certifications_by_id(db: Session, user: User, ids: list[int]) -> list[Certification]:
    found = []
    for certification_id in dict.fromkeys(ids):
        certification = get_certification(db, user, certification_id)
        if certification is None:
            raise CeError({"certifications": f"There is no certification with id {certification_id} in your account."})
        found.append(certification)
    problem = inputs.sharing_problem([credential_for(c) for c in found])
    if problem:
        raise CeError({"certifications": problem})
    return found


def log_activity(
    db: Session,
    user: User,
    *,
    title: str,
    provider: str,
    completed_on: date,
    contact_hours: Decimal,
    today: date,
    category: str | None = None,
    format: str | None = None,
    accreditation: str | None = None,
    notes: str | None = None,
    certification_ids: list[int] | tuple[int, ...] = (),
) -> CeActivity:
    """Log an activity (hours already parsed) and apply it to the given certifications."""
    problems = inputs.activity_problems(
        catalog=load_catalog(),
        title=title,
        provider=provider,
        completed_on=completed_on,
        category=category,
        format=format,
        accreditation=accreditation,
        notes=notes,
        today=today,
    )
    if problems:
        raise CeError(problems)
    certifications = _certifications_by_id(db, user, list(certification_ids))
    activity = CeActivity(
        user_id=user.id,
        title=title.strip(),
        provider=provider.strip(),
        completed_on=completed_on,
        contact_hours=contact_hours,
        category=category or "general",
        format=format or None,
        accreditation=(accreditation or "").strip(),
        notes=(notes or "").strip(),
    )
    activity.applications = [CeApplication(certification_id=c.id) for c in certifications]
    db.add(activity)
    db.flush()
    return activity


def apply_activity(db: Session, user: User, activity: CeActivity, certification_ids: list[int]) -> None:
    """Set the certifications an activity applies to; applications in closed cycles stay."""
    wanted = {c.id for c in _certifications_by_id(db, user, certification_ids)}
    closed = {a.certification_id for a in activity.applications if a.closed_cycle_id is not None}
    keep = [a for a in activity.applications if a.certification_id in wanted or a.closed_cycle_id is not None]
    have = {a.certification_id for a in keep}
    activity.applications = keep + [CeApplication(certification_id=i) for i in sorted(wanted - have - closed)]
    db.flush()


def delete_activity(db: Session, storage: Storage, activity: CeActivity) -> None:
    """Delete an activity, its applications and its certificate files (bytes included)."""
    for file in list(activity.files):
        storage.delete(file.storage_key)
    db.delete(activity)
    db.flush()
