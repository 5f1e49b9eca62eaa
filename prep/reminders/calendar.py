"""The calendar feed (RFC 5545): each certification's deadlines as all-day events with alarms.

The dates come from `prep.core.reminders.calendar_events`; this module only writes them as
iCalendar with the `icalendar` library. No routes, no database: callers load the rows.

Choices a calendar app cares about:

- UID `certification-<id>-<key>@<domain>`: the key ("expiry", "reinstatement", "pace-6m",
  "conversion") stays the same when a renewal moves the dates, so a subscribed calendar moves
  the event instead of adding a second one. The emailed invite uses the same UID.
- SEQUENCE is the number of days from 2000-01-01 to the event's date: the same on every fetch
  while nothing changes (no spurious updates), and higher after a renewal moves the date
  forward, which is what iTIP clients need to accept an emailed invite as an update. A
  correction to an earlier date lowers it; subscribed feeds are replaced wholesale on refresh,
  so only an old emailed invite could stay stale, and the feed still shows the right day.
- DTSTAMP is `now` (when this copy was generated), as RFC 5545 asks when METHOD is present
  (the feed is METHOD:PUBLISH; the emailed copy has no METHOD).
- Events are all-day (DTSTART;VALUE=DATE, DTEND the next day) and TRANSPARENT: a deadline is
  not a meeting and must not show the user as busy. Dates are floating, so each alarm fires at
  the start of the day in the user's own time zone.
- Alarms: on expiry, conversion and reinstatement events, one DISPLAY alarm per day-offset the
  user chose for expiry emails (TRIGGER -P<N>D). On the reinstatement event only the offsets
  that fall after expiry: before expiry the credential can still be renewed and a "last day to
  reinstate" alarm would be noise. Pace checkpoints get a single alarm on the day: they are
  prompts to look at progress, not deadlines, and the feed cannot know whether the user will
  be behind then (the email nudge is sent only if they are). A user who turned reminders off
  keeps the events (the deadlines are still facts) but gets no alarms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard, vDuration

from prep.ce.services import credential_for
from prep.core.reminders import (
    AFTER_EXPIRY,
    EXPIRY,
    PACE,
    PROVISIONAL,
    CalendarEvent,
    CertificationDates,
    ReminderPolicy,
    calendar_events,
)
from prep.models.ce import Certification
from prep.models.user import User
from prep.reminders.services import certification_dates

PRODID = "-//CMAA Prep//Renewal reminders//EN"
CALENDAR_NAME = "CMAA Prep: certification deadlines"
REFRESH = timedelta(days=1)
SEQUENCE_EPOCH = date(2000, 1, 1)
DEADLINE_KEYS = ("expiry", "conversion", "reinstatement")
DEADLINES_ONLY = ReminderPolicy(expiry_offsets=(), pace_months=(), provisional_offsets=(), reinstatement_offsets=())

LinkFor = Callable[[Certification], str]


def event_uid(certification_id: int, key: str, domain: str) -> str:
    """The event's UID: the same for every cycle of the certification, so apps update it."""
    return f"certification-{certification_id}-{key}@{domain}"


def event_key_for_series(series: str, dates: CertificationDates) -> str:
    """The calendar event a reminder of `series` is about (for the invite in its email)."""
    if series not in (EXPIRY, PACE, PROVISIONAL, AFTER_EXPIRY):
        raise ValueError(f"unknown reminder series {series!r}")
    if dates.provisional:
        return "conversion"
    if series == AFTER_EXPIRY and dates.reinstate_until is not None:
        return "reinstatement"
    return "expiry"


def certification_label(certification: Certification) -> str:
    """How events name a certification, e.g. "CMAA 123456"."""
    return f"{credential_for(certification).abbreviation} {certification.number}"


def build_feed(
    user: User,
    certifications: Iterable[Certification],
    policy: ReminderPolicy,
    domain: str,
    now: datetime,
    *,
    alarms: bool = True,
    link_for: LinkFor | None = None,
) -> bytes:
    """The user's whole feed: every event of every certification they hold, by day.

    Certifications of other users are refused (ValueError) rather than skipped: passing them
    is a bug in the caller. `alarms=False` (reminders turned off) leaves out every VALARM.
    `link_for(certification)` gives the page where CE is logged; it goes in DESCRIPTION and URL.
    """
    events = []
    for certification in certifications:
        if certification.user_id != user.id:
            raise ValueError(f"certification {certification.id} does not belong to user {user.id}")
        events.extend(_events(certification, policy, domain, now, link_for, alarms=alarms))
    calendar = _calendar(feed=True)
    for event in sorted(events, key=lambda e: (e.decoded("DTSTART"), str(e["UID"]))):
        calendar.add_component(event)
    if not calendar.subcomponents:
        calendar.add_component(_utc_timezone())  # RFC 5545 wants at least one component
    return calendar.to_ical()


def build_deadline_invite(
    certification: Certification,
    key: str,
    domain: str,
    now: datetime,
    *,
    policy: ReminderPolicy | None = None,
    link_for: LinkFor | None = None,
) -> bytes:
    """One event of the feed on its own, for attaching to a reminder email.

    A plain iCalendar object to import, without METHOD: an iTIP PUBLISH would need an ORGANIZER
    (RFC 5546), and the deadline is nobody's meeting.

    Same UID, summary and dates as in the feed, so importing it updates the subscribed event.
    With `policy` the event carries the same alarms as in the feed; without it, none (and no
    pace checkpoints: use `event_key_for_series`, which only names deadlines). LookupError
    when the certification has no event `key` (e.g. "reinstatement" without a window).
    """
    events = _events(certification, policy or DEADLINES_ONLY, domain, now, link_for, alarms=policy is not None)
    for event in events:
        if str(event["UID"]) == event_uid(certification.id, key, domain):
            calendar = _calendar(feed=False)
            calendar.add_component(event)
            return calendar.to_ical()
    raise LookupError(f"certification {certification.id} has no {key!r} event")


def _calendar(*, feed: bool) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if feed:
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", CALENDAR_NAME)
        calendar.add("name", CALENDAR_NAME)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def _utc_timezone() -> Timezone:
    timezone = Timezone()
    timezone.add("tzid", "UTC")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    timezone.add_component(standard)
    return timezone


def _events(
    certification: Certification,
    policy: ReminderPolicy,
    domain: str,
    now: datetime,
    link_for: LinkFor | None,
    *,
    alarms: bool,
) -> list[Event]:
    dates = certification_dates(certification)
    label = certification_label(certification)
    link = link_for(certification) if link_for else None
    stamp = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    found = []
    for item in calendar_events(dates, policy, label):
        event = Event()
        event.add("uid", event_uid(certification.id, item.key, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("sequence", (item.on - SEQUENCE_EPOCH).days)
        event.add("summary", item.title)
        event.add("description", _description(item, dates, label, link))
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["CMAA Prep"])
        if link:
            event.add("url", link)
        for days, text in _alarms(item, dates, label, policy) if alarms else ():
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", text)
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        found.append(event)
    return found


def _day(on: date) -> str:
    return f"{on:%B} {on.day}, {on.year}"


def _in(days: int) -> str:
    return "in 1 day" if days == 1 else f"in {days} days"


def _description(item: CalendarEvent, dates: CertificationDates, label: str, link: str | None) -> str:
    where = f"CMAA Prep: {link}" if link else "CMAA Prep, under Credentials"
    where = f"Log CE and record the renewal in {where}"
    if item.key == "expiry":
        what = f"{label} expires on {_day(item.on)}. Earn and log the required CE and renew before then."
    elif item.key == "conversion":
        what = f"{label} is provisional: it must be converted to a full certification by {_day(item.on)}."
    elif item.key == "reinstatement":
        what = (
            f"{label} expired on {_day(dates.expires_on)}. {_day(item.on)} is the last day it can be"
            " reinstated; after that the credential lapses. Check the certifying body's reinstatement"
            " requirements."
        )
    else:
        what = (
            f"Pace check: {label} expires on {_day(dates.expires_on)}. Check that your CE credits are on"
            " pace to meet the requirement in time."
        )
    return f"{what}\n\n{where}"


def _alarms(
    item: CalendarEvent, dates: CertificationDates, label: str, policy: ReminderPolicy
) -> list[tuple[int, str]]:
    """(days before the event, alarm text) for each alarm of the event."""
    if item.key not in DEADLINE_KEYS:
        return [(0, f"{label}: CE pace check today.")]
    offsets = policy.expiry_offsets
    if item.key == "reinstatement":
        offsets = tuple(n for n in offsets if item.on - timedelta(days=n) > dates.expires_on)
    return [(n, f"{item.title} {_in(n)}, on {_day(item.on)}.") for n in offsets]
