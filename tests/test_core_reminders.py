"""Reminder dates (prep.core.reminders) as tables: every series, catch-up, windows, offsets."""

from datetime import date

import pytest

from prep.core.reminders import (
    AFTER_EXPIRY,
    EXPIRY,
    PACE,
    PROVISIONAL,
    CertificationDates,
    ReminderPolicy,
    calendar_events,
    due,
    format_offsets,
    needs_pace_nudge,
    parse_offsets,
    plan,
)

POLICY = ReminderPolicy(
    expiry_offsets=(90, 60, 30, 14, 7, 1),
    pace_months=(12, 6, 3),
    provisional_offsets=(60, 30, 7),
    reinstatement_offsets=(30, 7),
)
# A two-year cycle with a 12-month reinstatement window.
CMAA = CertificationDates(date(2025, 1, 10), date(2027, 1, 10), reinstate_until=date(2028, 1, 10))
NO_WINDOW = CertificationDates(date(2025, 1, 10), date(2027, 1, 10))
PROVISIONAL_CERT = CertificationDates(date(2026, 6, 1), date(2027, 6, 1), provisional=True)


def kinds(planned):
    return [(p.kind, p.due_on) for p in planned]


def test_plan_of_a_certification_with_a_reinstatement_window():
    assert kinds(plan(CMAA, POLICY)) == [
        ("pace-12m", date(2026, 1, 10)),
        ("pace-6m", date(2026, 7, 10)),
        ("pace-3m", date(2026, 10, 10)),
        ("expiry-90d", date(2026, 10, 12)),
        ("expiry-60d", date(2026, 11, 11)),
        ("expiry-30d", date(2026, 12, 11)),
        ("expiry-14d", date(2026, 12, 27)),
        ("expiry-7d", date(2027, 1, 3)),
        ("expiry-1d", date(2027, 1, 9)),
        ("expired", date(2027, 1, 11)),
        *[(f"expired-{m}m", date(2027 + (m > 11), (m % 12) + 1, 10)) for m in range(1, 11)],
        ("reinstatement-30d", date(2027, 12, 11)),
        ("reinstatement-7d", date(2028, 1, 3)),
    ]


def test_monthly_reminders_stop_a_month_before_the_closing_ones():
    short = CertificationDates(date(2025, 1, 10), date(2027, 1, 10), reinstate_until=date(2027, 4, 10))
    after = [(k, d) for k, d in kinds(plan(short, POLICY)) if d > short.expires_on]
    assert after == [
        ("expired", date(2027, 1, 11)),
        ("expired-1m", date(2027, 2, 10)),
        ("reinstatement-30d", date(2027, 3, 11)),
        ("reinstatement-7d", date(2027, 4, 3)),
    ]


def test_without_a_reinstatement_window_only_the_expiry_notice_follows():
    after = [k for k, d in kinds(plan(NO_WINDOW, POLICY)) if d > NO_WINDOW.expires_on]
    assert after == ["expired"]


def test_provisional_certifications_have_only_conversion_reminders():
    assert kinds(plan(PROVISIONAL_CERT, POLICY)) == [
        ("provisional-60d", date(2027, 4, 2)),
        ("provisional-30d", date(2027, 5, 2)),
        ("provisional-7d", date(2027, 5, 25)),
    ]


def test_pace_checkpoints_before_the_cycle_start_are_left_out():
    late_start = CertificationDates(date(2026, 3, 1), date(2027, 1, 10))
    assert [k for k, _ in kinds(plan(late_start, POLICY)) if k.startswith("pace")] == ["pace-6m", "pace-3m"]


def test_leap_day_expiry_moves_checkpoints_to_month_ends():
    leap = CertificationDates(date(2026, 2, 28), date(2028, 2, 29))
    checkpoints = {k: d for k, d in kinds(plan(leap, POLICY)) if k.startswith("pace")}
    assert checkpoints == {
        "pace-12m": date(2027, 2, 28),
        "pace-6m": date(2027, 8, 29),
        "pace-3m": date(2027, 11, 29),
    }


@pytest.mark.parametrize(
    ("dates", "today", "expected"),
    [
        (CMAA, date(2026, 1, 9), []),  # nothing has arrived yet
        (CMAA, date(2026, 1, 10), [("pace-12m", date(2026, 1, 10))]),
        # catch-up: on 20 Dec, of the expiry series only the 30-day one (the 90 and 60 are skipped)
        (CMAA, date(2026, 12, 20), [("expiry-30d", date(2026, 12, 11)), ("pace-3m", date(2026, 10, 10))]),
        (CMAA, date(2027, 1, 10), [("expiry-1d", date(2027, 1, 9)), ("pace-3m", date(2026, 10, 10))]),
        # the day after expiry: only the after-expiry series applies
        (CMAA, date(2027, 1, 11), [("expired", date(2027, 1, 11))]),
        (CMAA, date(2027, 6, 30), [("expired-5m", date(2027, 6, 10))]),
        (CMAA, date(2028, 1, 10), [("reinstatement-7d", date(2028, 1, 3))]),
        (CMAA, date(2028, 1, 11), []),  # the window has closed
        (NO_WINDOW, date(2029, 5, 1), [("expired", date(2027, 1, 11))]),
        (PROVISIONAL_CERT, date(2027, 5, 10), [("provisional-30d", date(2027, 5, 2))]),
        (PROVISIONAL_CERT, date(2027, 6, 2), []),
    ],
)
def test_due_sends_the_latest_arrived_reminder_of_each_series(dates, today, expected):
    assert kinds(due(dates, POLICY, today)) == expected


def test_due_is_most_urgent_first():
    expired = due(CMAA, POLICY, date(2027, 2, 1))[0]
    before = due(CMAA, POLICY, date(2026, 12, 20))
    assert expired.series == AFTER_EXPIRY
    assert [p.series for p in before] == [EXPIRY, PACE]
    assert expired.urgency < before[0].urgency


def test_the_users_offsets_decide_the_expiry_series():
    mine = ReminderPolicy((45, 3), POLICY.pace_months, POLICY.provisional_offsets, POLICY.reinstatement_offsets)
    assert [k for k, _ in kinds(plan(CMAA, mine)) if k.startswith("expiry")] == ["expiry-45d", "expiry-3d"]
    none = ReminderPolicy((), (), POLICY.provisional_offsets, POLICY.reinstatement_offsets)
    assert due(CMAA, none, date(2026, 12, 20)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90, 60, 30, 14, 7, 1", (90, 60, 30, 14, 7, 1)),
        ("1 7 7 30", (30, 7, 1)),
        ("14;3", (14, 3)),
        ("", ()),
    ],
)
def test_parse_offsets(text, expected):
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30, soon", "“soon” is not a whole number"),
        ("0", "outside 1 to 730"),
        ("-5", "not a whole number"),
        ("1000", "outside 1 to 730"),
        ("1.5", "not a whole number"),
        (",".join(str(n) for n in range(1, 14)), "at most 12"),
    ],
)
def test_parse_offsets_refuses_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_offsets(text)


def test_format_offsets_round_trips():
    assert parse_offsets(format_offsets((90, 7, 1))) == (90, 7, 1)


@pytest.mark.parametrize(
    ("at_checkpoint", "today", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_pace_nudge_only_when_behind_then_and_now(at_checkpoint, today, expected):
    assert needs_pace_nudge(at_checkpoint, today) is expected


def test_calendar_events_for_each_kind_of_certification():
    events = calendar_events(CMAA, POLICY, "CMAA 1")
    assert [(e.key, e.on) for e in events] == [
        ("pace-12m", date(2026, 1, 10)),
        ("pace-6m", date(2026, 7, 10)),
        ("pace-3m", date(2026, 10, 10)),
        ("expiry", date(2027, 1, 10)),
        ("reinstatement", date(2028, 1, 10)),
    ]
    assert events[3].title == "CMAA 1 expires"
    assert [e.key for e in calendar_events(NO_WINDOW, POLICY, "X")][-1] == "expiry"
    assert [(e.key, e.on) for e in calendar_events(PROVISIONAL_CERT, POLICY, "X")] == [("conversion", date(2027, 6, 1))]


def test_series_names():
    assert {p.series for p in plan(CMAA, POLICY)} == {EXPIRY, PACE, AFTER_EXPIRY}
    assert {p.series for p in plan(PROVISIONAL_CERT, POLICY)} == {PROVISIONAL}


@pytest.mark.parametrize(
    ("expires_on", "reinstate_until", "monthly"),
    [
        # 90-day reinstatement windows (AAMA CMA) in every kind of month: one monthly reminder each
        (date(2027, 1, 15), date(2027, 4, 15), [date(2027, 2, 15)]),
        (date(2027, 6, 15), date(2027, 9, 13), [date(2027, 7, 15)]),
        (date(2027, 7, 31), date(2027, 10, 29), [date(2027, 8, 31)]),
        (date(2027, 12, 31), date(2028, 3, 30), [date(2028, 1, 31)]),
    ],
)
def test_short_reinstatement_windows_keep_a_monthly_reminder(expires_on, reinstate_until, monthly):
    dates = CertificationDates(date(2025, 1, 1), expires_on, reinstate_until=reinstate_until)
    planned = plan(dates, POLICY)
    assert [p.due_on for p in planned if p.kind.startswith("expired-")] == monthly
    closing = min(p.due_on for p in planned if p.kind.startswith("reinstatement-"))
    assert all((closing - day).days >= POLICY.min_gap_days for day in monthly)


def test_no_expiry_reminder_falls_before_the_cycle_start():
    # a late renewal: the new cycle is shorter than the largest offset
    short = CertificationDates(date(2026, 11, 1), date(2027, 1, 10))
    wide = ReminderPolicy((730, 90, 30), (), (), ())
    assert [k for k, _ in kinds(plan(short, wide))] == ["expiry-30d", "expired"]


@pytest.mark.parametrize("text", ["²", "٣", "3²"])
def test_parse_offsets_refuses_non_ascii_digits(text):
    with pytest.raises(ValueError, match="is not a whole number"):
        parse_offsets(text)


def test_parse_offsets_accepts_tabs_and_new_lines():
    assert parse_offsets("90\t60\n7") == (90, 60, 7)
