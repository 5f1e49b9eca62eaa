"""Reminder operations: settings, what is due, claiming and recording emails, dismissals.

The dates come from `prep.core.reminders`; this module loads the certifications and their CE
status, and keeps the `Reminder` rows. It flushes; routes and the CLI commit.

At most once: before emailing a reminder the job claims its row with one conditional UPDATE
(`email_claimed_at` from NULL to now) and commits; the row's unique key (certification, cycle
start, kind) means two hosts can never both hold the claim. A failed send releases the claim.

A certification whose credential is no longer in the catalog has no reminders (its rules are
unknown); it is logged, not allowed to stop everyone else's reminders.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from prep.ce.catalog import load_catalog
from prep.ce.cycles import certification_status
from prep.ce.services import credential_for
from prep.core.ce.dates import deadline_after
from prep.core.ce.status import BEHIND_PACE, Status
from prep.core.reminders import (
    PACE,
    CertificationDates,
    PlannedReminder,
    ReminderPolicy,
    due,
    format_offsets,
    needs_pace_nudge,
    parse_offsets,
)
from prep.models.base import utcnow
from prep.models.ce import Certification
from prep.models.reminder import Reminder, ReminderSettings
from prep.models.user import User

log = logging.getLogger(__name__)


class ReminderError(ValueError):
    """Refused settings; `fields` maps each field at fault to a message for the user."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("Some of what you entered needs to be corrected.")
        self.fields = fields


# Settings


def default_settings(user: User, config: Mapping) -> ReminderSettings:
    """The settings of a user who never saved any (not added to the session)."""
    return ReminderSettings(
        user_id=user.id,
        enabled=True,
        email=True,
        in_app=True,
        expiry_offsets=format_offsets(config["REMINDER_EXPIRY_OFFSETS"]),
        calendar_token=None,
    )


def settings_for(db: Session, user: User, config: Mapping) -> ReminderSettings:
    """The user's saved settings, or the defaults (not saved)."""
    return db.get(ReminderSettings, user.id) or default_settings(user, config)


def _saved_settings(db: Session, user: User, config: Mapping) -> ReminderSettings:
    """The user's settings row, created with the defaults if missing.

    Two first requests at once (two tabs, a repeated one-click POST) may both try to create it;
    the loser takes the winner's row instead of failing.
    """
    settings = db.get(ReminderSettings, user.id)
    if settings is not None:
        return settings
    try:
        with db.begin_nested():
            settings = default_settings(user, config)
            db.add(settings)
    except IntegrityError:
        settings = db.get(ReminderSettings, user.id, populate_existing=True)
    return settings


def policy_for(settings: ReminderSettings, config: Mapping) -> ReminderPolicy:
    """The dates of a user's reminders: their days before expiry, the configured checkpoints."""
    return ReminderPolicy(
        expiry_offsets=parse_offsets(settings.expiry_offsets),
        pace_months=tuple(config["REMINDER_PACE_MONTHS"]),
        provisional_offsets=tuple(config["REMINDER_PROVISIONAL_OFFSETS"]),
        reinstatement_offsets=tuple(config["REMINDER_REINSTATEMENT_OFFSETS"]),
    )


def update_settings(
    db: Session, user: User, config: Mapping, *, enabled: bool, email: bool, in_app: bool, expiry_offsets: str
) -> ReminderSettings:
    """Save the user's channels and days before expiry; refuses malformed offsets."""
    try:
        offsets = parse_offsets(expiry_offsets or "")
    except ValueError as exc:
        raise ReminderError({"expiry_offsets": str(exc)}) from exc
    settings = _saved_settings(db, user, config)
    settings.enabled = enabled
    settings.email = email
    settings.in_app = in_app
    settings.expiry_offsets = format_offsets(offsets)
    db.flush()
    return settings


def unsubscribe_email(db: Session, user: User, config: Mapping) -> None:
    """Stop reminder emails (the one-click unsubscribe); the other channels stay as they are."""
    _saved_settings(db, user, config).email = False
    db.flush()


# Calendar feed token


def calendar_token(db: Session, user: User, config: Mapping) -> str:
    """The user's calendar feed token, created on first use."""
    settings = _saved_settings(db, user, config)
    if not settings.calendar_token:
        settings.calendar_token = secrets.token_urlsafe(32)
        db.flush()
    return settings.calendar_token


def rotate_calendar_token(db: Session, user: User, config: Mapping) -> str:
    """A new feed token; the old URL stops working at once."""
    settings = _saved_settings(db, user, config)
    settings.calendar_token = secrets.token_urlsafe(32)
    db.flush()
    return settings.calendar_token


def user_for_calendar_token(db: Session, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    settings = db.scalar(select(ReminderSettings).where(ReminderSettings.calendar_token == token))
    return db.get(User, settings.user_id) if settings is not None else None


# What is due


@dataclass(frozen=True)
class DueReminder:
    """A reminder due today for one certification, with the status it reports."""

    user: User
    certification: Certification
    planned: PlannedReminder
    status: Status

    @property
    def key(self) -> tuple[int, date, str]:
        return (self.certification.id, self.certification.cycle_start, self.planned.kind)


def certification_dates(certification: Certification) -> CertificationDates:
    """The dates the reminders of a certification hang on, reinstatement deadline included."""
    credential = credential_for(certification)
    return CertificationDates(
        cycle_start=certification.cycle_start,
        expires_on=certification.expires_on,
        provisional=certification.provisional,
        reinstate_until=None
        if certification.provisional
        else deadline_after(
            certification.expires_on, credential.reinstatement_window_months, credential.reinstatement_window_days
        ),
    )


def due_for_certification(
    db: Session, user: User, certification: Certification, policy: ReminderPolicy, today: date
) -> list[DueReminder]:
    """The reminders due today for one certification (pace nudges only when behind)."""
    if load_catalog().get(certification.credential) is None:
        log.warning("certification %s: credential %r is not in the catalog", certification.id, certification.credential)
        return []
    found = []
    status: Status | None = None
    for planned in due(certification_dates(certification), policy, today):
        status = status or certification_status(db, certification, today)
        if planned.series == PACE:
            at_checkpoint = certification_status(db, certification, planned.due_on)
            if not needs_pace_nudge(at_checkpoint.state == BEHIND_PACE, status.state == BEHIND_PACE):
                continue
        found.append(DueReminder(user, certification, planned, status))
    return found


def _users_certifications(db: Session, user: User) -> list[Certification]:
    return list(db.scalars(select(Certification).where(Certification.user_id == user.id).order_by(Certification.id)))


def _rows(db: Session, certification_ids: list[int]) -> dict[tuple[int, date, str], Reminder]:
    if not certification_ids:
        return {}
    rows = db.scalars(select(Reminder).where(Reminder.certification_id.in_(certification_ids)))
    return {(r.certification_id, r.cycle_start, r.kind): r for r in rows}


@dataclass(frozen=True)
class CurrentReminder:
    """A reminder shown in the app, with its row (None until emailed or dismissed)."""

    due: DueReminder
    row: Reminder | None

    @property
    def dismissed(self) -> bool:
        return self.row is not None and self.row.dismissed_at is not None


def current_reminders(
    db: Session, user: User, config: Mapping, today: date, settings: ReminderSettings | None = None
) -> list[CurrentReminder]:
    """Every reminder due today across the user's certifications, most urgent first."""
    settings = settings or settings_for(db, user, config)
    if not settings.enabled:
        return []
    policy = policy_for(settings, config)
    certifications = _users_certifications(db, user)
    rows = _rows(db, [c.id for c in certifications])
    found = [
        CurrentReminder(d, rows.get(d.key))
        for certification in certifications
        for d in due_for_certification(db, user, certification, policy, today)
    ]
    return sorted(found, key=lambda r: r.due.planned.urgency)


def banner_reminder(
    db: Session, user: User, config: Mapping, today: date, current: list[CurrentReminder] | None = None
) -> CurrentReminder | None:
    """The most urgent reminder not dismissed, for the in-app banner (None if in-app is off).

    `current`: the user's current reminders when the caller has them already (the list page).
    """
    settings = settings_for(db, user, config)
    if not (settings.enabled and settings.in_app):
        return None
    if current is None:
        current = current_reminders(db, user, config, today, settings)
    return next((r for r in current if not r.dismissed), None)


def _row_for(db: Session, due_reminder: DueReminder) -> Reminder | None:
    """The reminder's row, inserted if missing (another host may insert it at the same time).

    None when it cannot exist any more: the certification (or account) was deleted meanwhile.
    """
    certification_id, cycle_start, kind = due_reminder.key
    query = select(Reminder).where(
        Reminder.certification_id == certification_id, Reminder.cycle_start == cycle_start, Reminder.kind == kind
    )
    row = db.scalar(query)
    if row is not None:
        return row
    try:
        with db.begin_nested():
            row = Reminder(
                user_id=due_reminder.user.id,
                certification_id=certification_id,
                cycle_start=cycle_start,
                series=due_reminder.planned.series,
                kind=kind,
                due_on=due_reminder.planned.due_on,
                deadline=due_reminder.planned.deadline,
                email_error="",
            )
            db.add(row)
    except IntegrityError:
        row = db.scalar(query)
    return row


def dismiss(db: Session, user: User, config: Mapping, certification_id: int, kind: str, today: date) -> bool:
    """Hide a reminder due today from the banner; False when there is no such reminder."""
    for current in current_reminders(db, user, config, today):
        if current.due.certification.id == certification_id and current.due.planned.kind == kind:
            row = _row_for(db, current.due)
            if row is None:
                return False
            row.dismissed_at = row.dismissed_at or utcnow()
            db.flush()
            return True
    return False


def sent_history(db: Session, user: User, limit: int = 50) -> list[Reminder]:
    """The reminders emailed to the user, newest first."""
    return list(
        db.scalars(
            select(Reminder)
            .where(Reminder.user_id == user.id, Reminder.emailed_at.is_not(None))
            .order_by(Reminder.emailed_at.desc(), Reminder.id.desc())
            .limit(limit)
        )
    )


# Sending (the `reminders send` job)


def _email_recipients(db: Session, config: Mapping) -> Iterator[tuple[User, ReminderSettings]]:
    """Users who hold a certification and accept reminder emails, with their settings."""
    holders = select(Certification.user_id).distinct()
    users = db.scalars(select(User).where(User.id.in_(holders)).order_by(User.id))
    for user in users:
        settings = settings_for(db, user, config)
        if settings.enabled and settings.email:
            yield user, settings


def pending_emails(db: Session, config: Mapping, today: date) -> Iterator[DueReminder]:
    """Every reminder due today that should be emailed and was not claimed yet."""
    for user, settings in _email_recipients(db, config):
        policy = policy_for(settings, config)
        certifications = _users_certifications(db, user)
        rows = _rows(db, [c.id for c in certifications])
        for certification in certifications:
            for due_reminder in due_for_certification(db, user, certification, policy, today):
                row = rows.get(due_reminder.key)
                if row is None or row.email_claimed_at is None:
                    yield due_reminder


def claim_email(db: Session, due_reminder: DueReminder, now: datetime) -> Reminder | None:
    """Claim the right to email this reminder; None when another run holds or used it.

    The caller commits the claim before sending, so that every other host sees it.
    """
    row = _row_for(db, due_reminder)
    if row is None:
        return None
    result = db.execute(
        update(Reminder)
        .where(Reminder.id == row.id, Reminder.email_claimed_at.is_(None))
        .values(email_claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    db.refresh(row)
    return row


def record_sent(db: Session, row: Reminder, now: datetime) -> None:
    row.emailed_at = now
    row.email_error = ""
    db.flush()


def release_claim(db: Session, row: Reminder, error: str) -> None:
    """Undo the claim of a reminder whose email failed, so that the next run retries it."""
    row.email_claimed_at = None
    row.email_error = error[:500]
    db.flush()
