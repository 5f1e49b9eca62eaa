"""Reminder dates: which reminders a certification has, and which one of each series is due.

Four series, each a list of dated occurrences (`PlannedReminder`) computed from the
certification's dates and a `ReminderPolicy` (the numbers come from config and the user's
settings, never from here):

- `expiry`: `expiry-<N>d`, N days before the expiration date, at the user's offsets (none
  before the cycle start);
- `pace`: `pace-<M>m`, M months before expiry, sent only when the learner was behind the even
  pace at that checkpoint and still is (`needs_pace_nudge`);
- `after-expiry`: `expired` on the first day after expiry, `expired-<K>m` every month after,
  and `reinstatement-<N>d` N days before the reinstatement window closes (the monthly
  ones stop `min_gap_days` before the first of those);
- `provisional`: `provisional-<N>d`, N days before a provisional certification's conversion
  deadline (its expiration date).

`due(...)` applies the catch-up rule: of each series only the most recent occurrence whose day
has come is due, and only while the series still applies (before expiry for `expiry`, `pace`
and `provisional`; after expiry and until the reinstatement deadline for `after-expiry`).
A job that did not run for weeks therefore sends one reminder per series, not every one it
missed. Nothing here knows today's date: it is always a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from prep.core.ce.dates import add_months

EXPIRY = "expiry"
PACE = "pace"
AFTER_EXPIRY = "after-expiry"
PROVISIONAL = "provisional"
SERIES = (AFTER_EXPIRY, PROVISIONAL, EXPIRY, PACE)  # most urgent first

MAX_OFFSET_DAYS = 730
MAX_OFFSETS = 12


@dataclass(frozen=True)
class ReminderPolicy:
    """When reminders fall: days before expiry (the user's), and the fixed checkpoints."""

    expiry_offsets: tuple[int, ...]
    pace_months: tuple[int, ...]
    provisional_offsets: tuple[int, ...]
    reinstatement_offsets: tuple[int, ...]
    # A monthly after-expiry reminder is left out when it falls within this many days of the
    # first closing reminder (they would say the same thing twice in a few days).
    min_gap_days: int = 7


@dataclass(frozen=True)
class CertificationDates:
    """The dates a certification's reminders hang on."""

    cycle_start: date
    expires_on: date
    provisional: bool = False
    reinstate_until: date | None = None  # the last day it can be reinstated; None: no window


@dataclass(frozen=True)
class PlannedReminder:
    """One occurrence of a series: sent on `due_on`, about the deadline `deadline`."""

    series: str
    kind: str
    due_on: date
    deadline: date

    @property
    def urgency(self) -> tuple[int, date]:
        """Sort key, most urgent first: an expired credential, then the nearest deadline."""
        return (SERIES.index(self.series), self.deadline)


def parse_offsets(text: str, *, maximum: int = MAX_OFFSET_DAYS, limit: int = MAX_OFFSETS) -> tuple[int, ...]:
    """Offsets written as "90, 60, 30" -> (90, 60, 30): unique whole numbers, largest first.

    Raises ValueError with a message for the user naming the offending entry. An empty text
    gives no offsets (no reminders of that series).
    """
    values = set()
    for entry in re.split(r"[\s,;]+", text):
        if not entry:
            continue
        if not (entry.isascii() and entry.isdigit()):
            raise ValueError(f"“{entry}” is not a whole number of days.")
        value = int(entry)
        if not 1 <= value <= maximum:
            raise ValueError(f"{value} is outside 1 to {maximum} days.")
        values.add(value)
    if len(values) > limit:
        raise ValueError(f"Give at most {limit} offsets.")
    return tuple(sorted(values, reverse=True))


def format_offsets(offsets: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in offsets)


def _before_expiry(dates: CertificationDates, policy: ReminderPolicy) -> list[PlannedReminder]:
    if dates.provisional:
        return [
            PlannedReminder(PROVISIONAL, f"provisional-{n}d", dates.expires_on - timedelta(days=n), dates.expires_on)
            for n in policy.provisional_offsets
        ]
    planned = [
        PlannedReminder(EXPIRY, f"expiry-{n}d", dates.expires_on - timedelta(days=n), dates.expires_on)
        for n in policy.expiry_offsets
        if dates.expires_on - timedelta(days=n) >= dates.cycle_start  # not before the cycle began
    ]
    for months in policy.pace_months:
        checkpoint = add_months(dates.expires_on, -months)
        if checkpoint > dates.cycle_start:  # a checkpoint before the cycle began has no pace to check
            planned.append(PlannedReminder(PACE, f"pace-{months}m", checkpoint, dates.expires_on))
    return planned


def _after_expiry(dates: CertificationDates, policy: ReminderPolicy) -> list[PlannedReminder]:
    if dates.provisional:
        return []
    first_day = dates.expires_on + timedelta(days=1)
    deadline = dates.reinstate_until or first_day
    planned = [PlannedReminder(AFTER_EXPIRY, "expired", first_day, deadline)]
    if dates.reinstate_until is None:
        return planned
    closing = [
        PlannedReminder(AFTER_EXPIRY, f"reinstatement-{n}d", dates.reinstate_until - timedelta(days=n), deadline)
        for n in policy.reinstatement_offsets
        if dates.reinstate_until - timedelta(days=n) > first_day
    ]
    first_closing = min((p.due_on for p in closing), default=dates.reinstate_until)
    month = 1
    # Monthly until the closing reminders take over, keeping a few days' gap before the first.
    while (monthly := add_months(dates.expires_on, month)) < first_closing - timedelta(days=policy.min_gap_days):
        if monthly > first_day:
            planned.append(PlannedReminder(AFTER_EXPIRY, f"expired-{month}m", monthly, deadline))
        month += 1
    return planned + closing


def plan(dates: CertificationDates, policy: ReminderPolicy) -> list[PlannedReminder]:
    """Every occurrence of every series for the certification's current cycle, by day."""
    planned = _before_expiry(dates, policy) + _after_expiry(dates, policy)
    return sorted(planned, key=lambda p: (p.due_on, SERIES.index(p.series), p.kind))


def series_applies(series: str, dates: CertificationDates, today: date) -> bool:
    """Whether reminders of `series` still make sense on `today`."""
    if series in (EXPIRY, PACE, PROVISIONAL):
        return today <= dates.expires_on
    if dates.reinstate_until is None:
        return today > dates.expires_on
    return dates.expires_on < today <= dates.reinstate_until


def due(dates: CertificationDates, policy: ReminderPolicy, today: date) -> list[PlannedReminder]:
    """The reminders due on `today`: the latest arrived occurrence of each series that applies.

    Earlier occurrences of a series that were never sent are skipped for good (catch-up
    without floods); sorted most urgent first.
    """
    latest: dict[str, PlannedReminder] = {}
    for reminder in plan(dates, policy):
        if reminder.due_on <= today and series_applies(reminder.series, dates, today):
            latest[reminder.series] = reminder  # plan() is in day order: the last one wins
    return sorted(latest.values(), key=lambda p: p.urgency)


def needs_pace_nudge(behind_at_checkpoint: bool, behind_today: bool) -> bool:
    """A pace nudge goes out only if the learner was behind at the checkpoint and still is."""
    return behind_at_checkpoint and behind_today


@dataclass(frozen=True)
class CalendarEvent:
    """A dated event for the calendar feed; `key` is stable across cycles (for the UID)."""

    key: str
    on: date
    title: str


def calendar_events(dates: CertificationDates, policy: ReminderPolicy, label: str) -> list[CalendarEvent]:
    """The certification's deadlines and pace checkpoints as calendar events, by day.

    `label` names the certification in the titles (e.g. "CMAA 123456"). Keys stay the same
    when a renewal moves the dates, so a calendar updates the event instead of adding one.
    """
    if dates.provisional:
        return [
            CalendarEvent("conversion", dates.expires_on, f"{label}: provisional certification conversion deadline")
        ]
    events = [CalendarEvent("expiry", dates.expires_on, f"{label} expires")]
    for months in policy.pace_months:
        checkpoint = add_months(dates.expires_on, -months)
        if checkpoint > dates.cycle_start:
            events.append(
                CalendarEvent(f"pace-{months}m", checkpoint, f"{label}: CE pace check ({months} months left)")
            )
    if dates.reinstate_until is not None:
        events.append(CalendarEvent("reinstatement", dates.reinstate_until, f"{label}: last day to reinstate"))
    return sorted(events, key=lambda e: (e.on, e.key))
