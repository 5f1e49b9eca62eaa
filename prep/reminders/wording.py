"""The words of a reminder, written once for the pages, the banner and the emails.

`describe(due_reminder, today)` gives a `Wording`: a `subject` (an email subject, a banner
title), a `headline` (one sentence: what, which certification, the deadline, the days left)
and `details` (what is still missing, or that the CE is complete). Every number comes from the
certification's CE `Status` or the reminder's dates; nothing here states a certifying body's
rule beyond what the catalog records (the reinstatement window), and otherwise it says to check
with the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from prep.ce.services import credential_for
from prep.ce.views import amount
from prep.core.ce.catalog import Credential
from prep.core.ce.status import Status
from prep.core.reminders import AFTER_EXPIRY, EXPIRY, PACE, PROVISIONAL
from prep.reminders.services import DueReminder


@dataclass(frozen=True)
class Wording:
    subject: str
    headline: str
    details: list[str] = field(default_factory=list)
    label: str = ""  # the certification, e.g. "CMAA 123456"


def long_date(day: date) -> str:
    """December 17, 2026."""
    return f"{day:%B} {day.day}, {day.year}"


def days_phrase(days: int) -> str:
    """When a deadline falls, seen from today: today, tomorrow, in 20 days."""
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def quantity(value, unit: str) -> str:
    """10 credits, 1 credit, 2.5 hours, 1 CEU."""
    text = amount(value)
    if text == "1" and unit.endswith("s"):
        unit = unit[:-1]
    return f"{text} {unit}"


def is_ready(status: Status) -> bool:
    return status.remaining <= 0 and status.minimums_met


def _missing(status: Status) -> list[str]:
    """What the cycle still lacks: the total, then each minimum not met."""
    lines = [
        f"You still need {quantity(status.remaining, status.unit)}: you have earned "
        f"{amount(status.earned)} of the {quantity(status.required, status.unit)} this cycle requires."
    ]
    for m in status.minimums:
        if not m.met:
            lines.append(f"Minimum not met yet: {m.label}, {amount(m.earned)} of {quantity(m.required, status.unit)}.")
    return lines


def _ready(status: Status, credential: Credential) -> list[str]:
    met = " and met every minimum" if status.minimums else ""
    return [
        f"You have earned the {quantity(status.required, status.unit)} this cycle requires{met}: "
        f"you are ready to renew with {credential.body_name}.",
        "Once it is renewed, record the renewal on the certification page so that the next cycle starts.",
    ]


def _ce_details(status: Status, credential: Credential) -> list[str]:
    return _ready(status, credential) if is_ready(status) else _missing(status)


def _expiry(label: str, due: DueReminder, credential: Credential, today: date) -> Wording:
    deadline = due.planned.deadline
    when = days_phrase((deadline - today).days)
    status = due.status
    tail = "ready to renew" if is_ready(status) else f"{quantity(status.remaining, status.unit)} still needed"
    return Wording(
        subject=f"{label} expires {when}: {tail}",
        headline=f"Your {label} certification expires on {long_date(deadline)}, {when}.",
        details=_ce_details(status, credential),
        label=label,
    )


def _pace(label: str, due: DueReminder, credential: Credential, today: date) -> Wording:
    deadline = due.planned.deadline
    when = days_phrase((deadline - today).days)
    status = due.status
    return Wording(
        subject=f"{label}: behind an even CE pace",
        headline=f"You are behind an even CE pace for {label}, which expires on {long_date(deadline)}, {when}.",
        details=[
            f"At an even pace you would have earned {quantity(status.expected_by_now, status.unit)} by today; "
            f"you have {amount(status.earned)}."
        ]
        + _missing(status),
        label=label,
    )


def _has_reinstatement_window(credential: Credential) -> bool:
    return credential.reinstatement_window_months is not None or credential.reinstatement_window_days is not None


def _after_expiry(label: str, due: DueReminder, credential: Credential, today: date) -> Wording:
    status = due.status
    expired_on = long_date(due.certification.expires_on)
    if not _has_reinstatement_window(credential):
        return Wording(
            subject=f"{label} has expired",
            headline=f"Your {label} certification expired on {expired_on}.",
            details=[
                f"The tracker knows no reinstatement window for {credential.abbreviation}: check with "
                f"{credential.body_name} what is possible now.",
                "If you have renewed or reinstated it, record that on the certification page.",
            ],
            label=label,
        )
    until = due.planned.deadline
    when = days_phrase((until - today).days)
    if due.planned.kind.startswith("reinstatement-"):
        subject = f"Reinstate {label} by {long_date(until)}"
        headline = f"The last day to reinstate your {label} certification is {long_date(until)}, {when}."
    else:
        subject = f"{label} has expired: reinstate it by {long_date(until)}"
        headline = (
            f"Your {label} certification expired on {expired_on}. "
            f"The last day to reinstate it is {long_date(until)}, {when}."
        )
    cycle = (
        [f"The CE of the cycle that ended is complete ({quantity(status.earned, status.unit)})."]
        if is_ready(status)
        else _missing(status)
    )
    return Wording(
        subject=subject,
        headline=headline,
        details=cycle
        + [
            "After that day the tracker counts it as lapsed (the exam must be retaken). "
            f"Check the conditions of reinstatement with {credential.body_name}."
        ],
        label=label,
    )


def _provisional(label: str, due: DueReminder, credential: Credential, today: date) -> Wording:
    deadline = due.planned.deadline
    when = days_phrase((deadline - today).days)
    return Wording(
        subject=f"Convert your provisional {label} by {long_date(deadline)}",
        headline=f"Your provisional {label} certification must be converted by {long_date(deadline)}, {when}.",
        details=[
            f"Check with {credential.body_name} what the conversion requires.",
            "Once it is converted, edit the certification in the tracker and untick “provisional”.",
        ],
        label=label,
    )


_BY_SERIES = {EXPIRY: _expiry, PACE: _pace, AFTER_EXPIRY: _after_expiry, PROVISIONAL: _provisional}


def describe(due: DueReminder, today: date) -> Wording:
    """The subject, headline and details of a due reminder, as of `today`."""
    credential = credential_for(due.certification)
    label = f"{credential.abbreviation} {due.certification.number}"
    return _BY_SERIES[due.planned.series](label, due, credential, today)


_KIND = re.compile(r"^(expiry|pace|expired|reinstatement|provisional)(?:-(\d+)([dm]))?$")


def kind_label(kind: str) -> str:
    """A reminder kind in words (the history of emails): `expiry-30d` -> 30 days before expiry."""
    match = _KIND.match(kind)
    if not match:
        return kind
    name, number, unit = match.group(1), match.group(2), match.group(3)
    if name == "expired" and number is None:
        return "Expired"
    if number is None:
        return kind
    n = int(number)
    span = f"{n} {'day' if unit == 'd' else 'month'}{'' if n == 1 else 's'}"
    return {
        "expiry": f"{span} before expiry",
        "pace": f"CE pace check, {span} before expiry",
        "expired": f"{span} after expiry",
        "reinstatement": f"{span} before the reinstatement window closes",
        "provisional": f"{span} before the conversion deadline",
    }[name]
