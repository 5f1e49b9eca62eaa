"""Cohort and office rules: join codes, assignment states, weak spots, urgency order, summary week."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest

from prep.core import cohort as c
from prep.core import office as o
from prep.core.readiness import DomainReadiness, Readiness

TODAY = date(2026, 6, 10)  # a Wednesday


def test_new_join_codes_use_only_unambiguous_characters():
    rng = random.Random(7)
    codes = {c.new_join_code(rng) for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set(c.JOIN_CODE_ALPHABET) for code in codes)
    assert not set("01ILO") & set(c.JOIN_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCD-2345", "ABCD2345"),
        ("abcd2345", "ABCD2345"),
        ("  ab cd-23 45 ", "ABCD2345"),
        ("ABCD-234", None),  # too short
        ("ABCD-23456", None),  # too long
        ("ABCD-2340", None),  # 0 is not in the alphabet
        ("ABCI-2345", None),  # nor is I
        ("", None),
        (None, None),
    ],
)
def test_normalise_join_code(typed, stored):
    assert c.normalise_join_code(typed) == stored


def test_display_join_code():
    assert c.display_join_code("ABCD2345") == "ABCD-2345"


def test_invites_last_fourteen_days():
    assert c.invite_expires(datetime(2026, 6, 10, 12, tzinfo=UTC)) == datetime(2026, 6, 24, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due_on", "started", "finished_on", "state"),
    [
        (date(2026, 6, 12), False, None, c.NOT_STARTED),
        (date(2026, 6, 10), False, None, c.NOT_STARTED),  # due today: not yet late
        (date(2026, 6, 12), True, None, c.IN_PROGRESS),
        (date(2026, 6, 9), False, None, c.OVERDUE),
        (date(2026, 6, 9), True, None, c.OVERDUE),
        (date(2026, 6, 12), True, date(2026, 6, 10), c.COMPLETED),
        (date(2026, 6, 10), True, date(2026, 6, 10), c.COMPLETED),  # finished on the due day
        (date(2026, 6, 9), True, date(2026, 6, 10), c.COMPLETED_LATE),
    ],
)
def test_assignment_state(due_on, started, finished_on, state):
    assert c.assignment_state(due_on, TODAY, started, finished_on) == state


@pytest.mark.parametrize(
    ("timing", "accommodation", "result"),
    [("standard", None, "standard"), ("standard", "2x", "2x"), ("1.5x", "untimed", "untimed")],
)
def test_learner_timing(timing, accommodation, result):
    assert c.learner_timing(timing, accommodation) == result


def _readiness(**mastery):
    domains = tuple(DomainReadiness(d, 10, m, m, None, 5 if m is not None else 0, 0) for d, m in mastery.items())
    return Readiness(0.0, domains)


def test_cohort_domains_average_each_learner_once_and_skip_missing_evidence():
    """a: (0.2 + 0.6) / 2 = 0.4 over 2 learners; b: 0.9 from one learner; c: nobody."""
    learners = [_readiness(a=0.2, b=None, c=None), _readiness(a=0.6, b=0.9, c=None)]
    summaries = c.cohort_domains(learners, ("a", "b", "c"))
    assert [(s.domain, s.learners) for s in summaries] == [("a", 2), ("b", 1), ("c", 0)]
    assert summaries[0].mastery == pytest.approx(0.4)
    assert summaries[2].mastery is None
    assert [s.domain for s in c.weakest_domains(summaries)] == ["a", "b"]
    assert [s.domain for s in c.weakest_domains(summaries, limit=1)] == ["a"]


@pytest.mark.parametrize(
    ("correct", "total", "result"), [(3, 4, 75.0), (1, 3, 33.3), (0, 0, None), (None, 5, None), (2, None, None)]
)
def test_percent(correct, total, result):
    assert c.percent(correct, total) == result


def test_urgency_order():
    """Lapsed (longest lapsed first), reinstatable (nearest deadline), open work (nearest
    expiry, behind pace first at equal expiry), complete last."""
    rows = {
        "complete soon": o.urgency_key("complete", 10, None, TODAY),
        "on track soon": o.urgency_key("on-track", 20, None, TODAY),
        "behind later": o.urgency_key("behind-pace", 300, None, TODAY),
        "on track same day": o.urgency_key("on-track", 300, None, TODAY),
        "provisional same day": o.urgency_key("provisional", 300, None, TODAY),
        "reinstatable late": o.urgency_key("expired-reinstatable", -10, date(2027, 5, 1), TODAY),
        "reinstatable soon": o.urgency_key("expired-reinstatable", -300, date(2026, 7, 1), TODAY),
        "lapsed recently": o.urgency_key("lapsed", -400, None, TODAY),
        "lapsed long ago": o.urgency_key("lapsed", -900, None, TODAY),
    }
    assert sorted(rows, key=rows.get) == [
        "lapsed long ago",
        "lapsed recently",
        "reinstatable soon",
        "reinstatable late",
        "on track soon",
        "behind later",
        "provisional same day",
        "on track same day",
        "complete soon",
    ]


@pytest.mark.parametrize(
    ("state", "days_left", "attention"),
    [
        ("lapsed", -500, True),
        ("expired-reinstatable", -5, True),
        ("behind-pace", 600, True),
        ("on-track", 90, True),
        ("on-track", 91, False),
        ("provisional", 30, True),
        ("provisional", 200, False),
        ("complete", 5, False),
    ],
)
def test_needs_attention(state, days_left, attention):
    assert o.needs_attention(state, days_left) is attention


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 6, 8), date(2026, 6, 8)),
        (date(2026, 6, 10), date(2026, 6, 8)),
        (date(2026, 6, 14), date(2026, 6, 8)),
    ],
)
def test_week_of(day, monday):
    assert o.week_of(day) == monday
