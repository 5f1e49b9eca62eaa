"""CE rules as tables: cycle dates, counting, caps, minimums, pace, states, inputs, the catalog."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from prep.ce.catalog import load_catalog
from prep.core.ce import inputs
from prep.core.ce.catalog import CatalogError, catalog_from_mapping
from prep.core.ce.dates import add_months, deadline_after, default_expiry, end_of_month, next_expiry
from prep.core.ce.status import (
    AFTER_DATE,
    BEHIND_PACE,
    CLOSED_CYCLE,
    COMPLETE,
    EXPIRED_REINSTATABLE,
    LAPSED,
    NOT_APPLIED,
    ON_TRACK,
    OUTSIDE_CYCLE,
    OVER_CAP,
    PROVISIONAL,
    ActivityFacts,
    CycleFacts,
    evaluate,
)

CATALOG = load_catalog()
CMAA = CATALOG.get("nha-cmaa")
AAMA = CATALOG.get("aama-cma")
PTCB = CATALOG.get("ptcb-cpht")
NHA_CPHT = CATALOG.get("nha-cpht")
AAPC = CATALOG.get("aapc-cpc")
AMT = CATALOG.get("amt-rma")


def act(i, day, hours, category="general", fmt=None, accreditation="", applied=True, closed=False):
    return ActivityFacts(i, day, D(str(hours)), category, fmt, accreditation, applied, closed)


CMAA_CYCLE = CycleFacts(date(2024, 3, 15), date(2026, 3, 15))


# Dates


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day, no leap year after
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # leap day to leap day
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2024, 3, 31), 24, date(2026, 3, 31)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 1, 1), 0, date(2024, 1, 1)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2020, 11, 30), 60, date(2025, 11, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2023, 2, 28), date(2023, 2, 28)),
        (date(2024, 12, 1), date(2024, 12, 31)),
    ],
)
def test_end_of_month(day, expected):
    assert end_of_month(day) == expected


@pytest.mark.parametrize(
    ("credential", "start", "expected"),
    [
        ("nha-cmaa", date(2024, 3, 15), date(2026, 3, 15)),
        ("nha-cmaa", date(2024, 2, 29), date(2026, 2, 28)),  # leap day start
        ("nha-cmaa", date(2023, 12, 31), date(2025, 12, 31)),
        ("aama-cma", date(2020, 3, 15), date(2025, 3, 31)),  # from the end of the month of certification
        ("aama-cma", date(2020, 2, 1), date(2025, 2, 28)),
        ("aama-cma", date(2019, 2, 28), date(2024, 2, 29)),  # lands in a leap February
        ("amt-rma", date(2024, 2, 29), date(2027, 2, 28)),
        ("aapc-cpc", date(2025, 1, 1), date(2027, 1, 1)),
    ],
)
def test_default_expiry_by_credential(credential, start, expected):
    c = CATALOG.get(credential)
    assert default_expiry(start, c.cycle_months, c.expiry_rule) == expected


@pytest.mark.parametrize(
    ("old_expiry", "renewed_on", "rule", "months", "expected"),
    [
        (date(2026, 3, 15), date(2026, 1, 10), "anniversary", 24, date(2028, 3, 15)),  # early: no time lost
        (date(2026, 3, 15), date(2026, 3, 15), "anniversary", 24, date(2028, 3, 15)),  # on the last day
        (date(2026, 3, 15), date(2026, 6, 1), "anniversary", 24, date(2028, 6, 1)),  # reinstated late
        (date(2025, 3, 31), date(2025, 2, 1), "end-of-month", 60, date(2030, 3, 31)),
        (date(2026, 2, 28), date(2026, 2, 1), "anniversary", 24, date(2028, 2, 28)),
    ],
)
def test_next_expiry(old_expiry, renewed_on, rule, months, expected):
    assert next_expiry(old_expiry, renewed_on, months, rule) == expected


def test_deadline_after_months_days_or_unknown():
    assert deadline_after(date(2026, 3, 15), months=12) == date(2027, 3, 15)
    assert deadline_after(date(2024, 2, 29), months=12) == date(2025, 2, 28)
    assert deadline_after(date(2025, 3, 31), days=90) == date(2025, 6, 29)
    assert deadline_after(date(2025, 3, 31)) is None


# Counting: the cycle window


@pytest.mark.parametrize(
    ("completed_on", "counts", "reason"),
    [
        (date(2024, 3, 15), True, None),  # first day of the cycle
        (date(2026, 3, 15), True, None),  # last day
        (date(2024, 3, 14), False, OUTSIDE_CYCLE),  # one day before
        (date(2026, 3, 16), False, AFTER_DATE),  # one day after, and after the status date
        (date(2025, 1, 1), True, None),
    ],
)
def test_cycle_window_edges(completed_on, counts, reason):
    status = evaluate(CMAA, CMAA_CYCLE, [act(1, completed_on, 4)], on=date(2026, 3, 15))
    assert (status.counted == [1]) is counts
    assert status.excluded == ([] if counts else [(1, reason)])


def test_activity_one_day_after_expiry_is_outside_when_viewed_later():
    status = evaluate(CMAA, CMAA_CYCLE, [act(1, date(2026, 3, 16), 4)], on=date(2026, 4, 1))
    assert status.excluded == [(1, OUTSIDE_CYCLE)]


def test_leap_day_cycle_counts_its_first_and_last_days():
    cycle = CycleFacts(date(2024, 2, 29), default_expiry(date(2024, 2, 29), 24))
    acts = [act(1, date(2024, 2, 29), 2), act(2, date(2026, 2, 28), 2), act(3, date(2026, 3, 1), 2)]
    status = evaluate(CMAA, cycle, acts, on=date(2026, 2, 28))
    assert status.counted == [1, 2]
    assert status.earned == D("2.00")


@pytest.mark.parametrize(
    ("applied", "closed", "completed_on", "expected"),
    [
        (False, False, date(2025, 1, 1), [(1, NOT_APPLIED)]),
        (False, False, date(2023, 1, 1), []),  # not applied and outside: concerns another certification
        (True, True, date(2025, 1, 1), [(1, CLOSED_CYCLE)]),
        (True, True, date(2023, 1, 1), []),  # closed and outside: history, not news
        (True, False, date(2025, 1, 1), []),
    ],
)
def test_not_applied_and_closed_activities(applied, closed, completed_on, expected):
    status = evaluate(CMAA, CMAA_CYCLE, [act(1, completed_on, 2, applied=applied, closed=closed)], on=date(2025, 6, 1))
    assert status.excluded == expected


# Conversion, pace and states


@pytest.mark.parametrize(
    ("credential", "hours", "amount"),
    [
        ("nha-cmaa", "20", D("10.00")),  # 20 hours show as 10 NHA credits
        ("nha-cmaa", "3", D("1.50")),
        ("nha-cmaa", "0.25", D("0.12")),  # rounded down: never over-credit
        ("nha-cpht", "1.5", D("1.50")),
        ("aama-cma", "2", D("2.00")),
    ],
)
def test_contact_hours_convert_to_the_unit(credential, hours, amount):
    assert CATALOG.get(credential).to_units(D(hours)) == amount


@pytest.mark.parametrize(
    ("on", "hours", "state", "expected"),
    [
        (date(2024, 3, 15), 0, ON_TRACK, D("0.00")),  # first day: nothing expected yet
        (date(2025, 3, 15), 8, BEHIND_PACE, D("5.00")),  # halfway (365 of 730 days): 4 < 5
        (date(2025, 3, 15), 10, ON_TRACK, D("5.00")),
        (date(2025, 3, 15), 20, COMPLETE, D("5.00")),
        (date(2026, 3, 15), 18, BEHIND_PACE, D("10.00")),  # last day, short
        (date(2026, 3, 15), 20, COMPLETE, D("10.00")),
        (date(2026, 3, 16), 20, EXPIRED_REINSTATABLE, D("10.00")),  # complete but not renewed
        (date(2027, 3, 15), 0, EXPIRED_REINSTATABLE, D("10.00")),  # last day to reinstate
        (date(2027, 3, 16), 0, LAPSED, D("10.00")),
    ],
)
def test_cmaa_pace_and_state(on, hours, state, expected):
    acts = [act(1, date(2024, 3, 15), hours)] if hours else []
    status = evaluate(CMAA, CMAA_CYCLE, acts, on=on)
    assert status.state == state
    assert status.expected_by_now == expected
    assert status.required == D("10")
    assert status.reinstate_until == (date(2027, 3, 15) if state == EXPIRED_REINSTATABLE else None)
    assert status.days_left == (date(2026, 3, 15) - on).days


def test_remaining_never_negative():
    status = evaluate(CMAA, CMAA_CYCLE, [act(1, date(2025, 1, 1), 30)], on=date(2025, 2, 1))
    assert (status.earned, status.remaining, status.state) == (D("15.00"), D("0"), COMPLETE)


@pytest.mark.parametrize(
    ("on", "state"),
    [(date(2025, 5, 31), PROVISIONAL), (date(2025, 6, 1), PROVISIONAL), (date(2025, 6, 2), LAPSED)],
)
def test_provisional_until_its_conversion_deadline(on, state):
    deadline = deadline_after(date(2024, 6, 1), months=CMAA.provisional_window_months)
    cycle = CycleFacts(date(2024, 6, 1), deadline, provisional=True)
    assert deadline == date(2025, 6, 1)
    status = evaluate(CMAA, cycle, [act(1, date(2024, 7, 1), 20)], on=on)
    assert status.state == state
    assert status.expires_on == date(2025, 6, 1)


@pytest.mark.parametrize(
    ("credential", "on", "state", "until"),
    [
        (AAMA, date(2025, 6, 29), EXPIRED_REINSTATABLE, date(2025, 6, 29)),  # 90 days after 31 March
        (AAMA, date(2025, 6, 30), LAPSED, None),  # expired > 90 days: exam only
        (AMT, date(2025, 4, 1), LAPSED, None),  # no known window: lapsed, with the rule unknown
    ],
)
def test_expiry_windows_differ_by_credential(credential, on, state, until):
    cycle = CycleFacts(date(2020, 3, 15), date(2025, 3, 31))
    status = evaluate(credential, cycle, [], on=on)
    assert (status.state, status.reinstate_until) == (state, until)


# Caps and minimums


def test_ptcb_caps_fill_in_completion_order_and_cut_the_last_activity():
    cycle = CycleFacts(date(2024, 1, 1), date(2026, 1, 1))
    acts = [
        act(1, date(2024, 2, 1), 6, fmt="college"),
        act(2, date(2024, 3, 1), 6, fmt="college"),  # 4 of 6 fit under the 10-hour cap
        act(3, date(2024, 4, 1), 3, fmt="college"),  # nothing left
        act(4, date(2024, 5, 1), 4, fmt="in-service"),
        act(5, date(2024, 6, 1), 4, fmt="in-service"),  # 1 of 4 under the 5-hour cap
        act(6, date(2024, 7, 1), 2, fmt="online"),
    ]
    status = evaluate(PTCB, cycle, acts, on=date(2025, 1, 1))
    counted = {o.id: (o.counted, o.reason) for o in status.outcomes}
    assert counted == {
        1: (D("6.00"), None),
        2: (D("4.00"), OVER_CAP),
        3: (D("0.00"), OVER_CAP),
        4: (D("4.00"), None),
        5: (D("1.00"), OVER_CAP),
        6: (D("2.00"), None),
    }
    assert status.counted == [1, 2, 4, 5, 6]
    assert status.excluded == [(3, OVER_CAP)]
    assert status.earned == D("17.00")


def test_caps_only_count_activities_inside_the_cycle():
    cycle = CycleFacts(date(2024, 1, 1), date(2026, 1, 1))
    acts = [act(1, date(2023, 12, 31), 10, fmt="college"), act(2, date(2024, 1, 1), 10, fmt="college")]
    status = evaluate(PTCB, cycle, acts, on=date(2025, 1, 1))
    assert status.counted == [2]
    assert status.excluded == [(1, OUTSIDE_CYCLE)]


@pytest.mark.parametrize(
    ("law", "safety", "general", "state", "remaining", "minimums_met"),
    [
        (1, 1, 18, COMPLETE, D("0"), True),
        (0, 1, 19, ON_TRACK, D("1"), False),  # 20 hours but no law hour: not complete
        (0, 0, 25, ON_TRACK, D("2"), False),
        (1, 1, 10, ON_TRACK, D("8"), True),
        (0.5, 1, 18.5, ON_TRACK, D("0.50"), False),
    ],
)
def test_cpht_law_and_patient_safety_minimums(law, safety, general, state, remaining, minimums_met):
    cycle = CycleFacts(date(2024, 1, 1), date(2026, 1, 1))
    acts = [act(1, date(2024, 1, 2), general)]
    if law:
        acts.append(act(2, date(2024, 1, 2), law, category="pharmacy-law"))
    if safety:
        acts.append(act(3, date(2024, 1, 2), safety, category="patient-safety"))
    status = evaluate(NHA_CPHT, cycle, acts, on=date(2024, 2, 1))
    assert status.state == state
    assert status.remaining == remaining
    assert status.minimums_met is minimums_met


@pytest.mark.parametrize(
    ("admin", "clinical", "general", "approved", "remaining", "complete"),
    [
        (20, 20, 20, 30, D("0"), True),
        (0, 0, 60, 60, D("20"), False),  # 60 points but no administrative or clinical
        (0, 0, 40, 40, D("20"), False),
        (5, 0, 30, 35, D("25"), False),  # 35 earned: 25 short overall, 15 short in categories
        (20, 20, 20, 10, D("20"), False),  # 60 points, only 10 AAMA-approved
        (10, 10, 10, 30, D("30"), False),
    ],
)
def test_aama_category_and_approval_minimums(admin, clinical, general, approved, remaining, complete):
    cycle = CycleFacts(date(2020, 3, 15), date(2025, 3, 31))
    acts, n = [], 0
    for category, points in (("administrative", admin), ("clinical", clinical), ("general", general)):
        if points:
            take = min(points, approved)
            approved -= take
            for hours, mark in ((take, "AAMA 12345"), (points - take, "ACCME")):
                if hours:
                    n += 1
                    acts.append(act(n, date(2021, 1, 1), hours, category=category, accreditation=mark))
    status = evaluate(AAMA, cycle, acts, on=date(2022, 1, 1))
    assert status.remaining == remaining
    assert (status.state == COMPLETE) is complete


@pytest.mark.parametrize(("held", "required"), [(1, 36), (2, 40), (3, 44), (4, 48), (5, 52), (9, 52)])
def test_aapc_requirement_scales_with_credentials_held(held, required):
    cycle = CycleFacts(date(2024, 1, 1), date(2026, 1, 1), credentials_held=held)
    status = evaluate(AAPC, cycle, [act(1, date(2024, 6, 1), 36)], on=date(2024, 7, 1))
    assert status.required == D(required)
    assert status.state == (COMPLETE if held == 1 else ON_TRACK)


def test_one_activity_counts_for_several_credentials_in_their_own_units():
    cmaa = evaluate(CMAA, CMAA_CYCLE, [act(1, date(2025, 1, 1), 6)], on=date(2025, 2, 1))
    aama = evaluate(
        AAMA, CycleFacts(date(2024, 1, 1), date(2029, 1, 31)), [act(1, date(2025, 1, 1), 6)], date(2025, 2, 1)
    )
    assert (cmaa.earned, cmaa.unit) == (D("3.00"), "credits")
    assert (aama.earned, aama.unit) == (D("6.00"), "points")


def test_renewal_sequence_activity_never_counts_twice():
    """After a renewal on day R, an activity on day R that the closed cycle counted is excluded."""
    renewed = date(2026, 1, 10)
    new_cycle = CycleFacts(renewed, next_expiry(date(2026, 3, 15), renewed, 24))
    acts = [act(1, renewed, 4, closed=True), act(2, renewed, 4), act(3, date(2026, 1, 9), 4)]
    status = evaluate(CMAA, new_cycle, acts, on=date(2026, 2, 1))
    assert status.counted == [2]
    assert dict(status.excluded) == {1: CLOSED_CYCLE, 3: OUTSIDE_CYCLE}
    assert new_cycle.expires_on == date(2028, 3, 15)


def test_carry_over_allowed_only_when_the_credential_says_so():
    lenient = replace(CMAA, within_cycle_only=False)
    acts = [act(1, date(2023, 1, 1), 4)]
    assert evaluate(CMAA, CMAA_CYCLE, acts, on=date(2025, 1, 1)).counted == []
    assert evaluate(lenient, CMAA_CYCLE, acts, on=date(2025, 1, 1)).counted == [1]


# Inputs


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1.5", True),
        (2, True),
        ("0.25", True),
        (200, True),
        ("0", False),
        (-1, False),
        ("200.01", False),
        ("1e9", False),
        ("NaN", False),
        ("abc", False),
        (True, False),
        ("1.005", False),
        (None, False),
    ],
)
def test_parse_hours(value, ok):
    if ok:
        assert inputs.parse_hours(value) > 0
    else:
        with pytest.raises(ValueError):
            inputs.parse_hours(value)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("20240101", False),
        ("2024-1-1", False),
        (20240101, False),
        ("", False),
    ],
)
def test_parse_iso_date_is_strict(value, ok):
    if ok:
        assert inputs.parse_iso_date(value) == date(2024, 2, 29)
    else:
        with pytest.raises(ValueError):
            inputs.parse_iso_date(value)


TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({}, set()),
        ({"credential": None}, {"credential"}),
        ({"number": " "}, {"number"}),
        ({"expires_on": date(2024, 3, 15)}, {"expires_on"}),  # not after the start
        ({"expires_on": date(2040, 1, 1)}, {"expires_on"}),
        ({"cycle_start": date(2026, 11, 29)}, {"cycle_start"}),  # future
        ({"cycle_start": date(9999, 12, 31), "expires_on": date(9999, 12, 31)}, {"cycle_start"}),
        ({"cycle_start": date(2026, 11, 28), "expires_on": None}, set()),  # tomorrow: time zones
        ({"provisional": True}, {"test_date"}),
        ({"provisional": True, "test_date": date(2026, 1, 1)}, set()),
        ({"credentials_held": 0}, {"credentials_held"}),
    ],
)
def test_certification_problems(changes, fields):
    values = {
        "credential": CMAA,
        "number": "123",
        "cycle_start": date(2024, 3, 15),
        "expires_on": None,
        "provisional": False,
        "test_date": None,
        "credentials_held": None,
        "today": TODAY,
    }
    assert set(inputs.certification_problems(**{**values, **changes})) == fields


def test_provisional_refused_for_credentials_without_it():
    problems = inputs.certification_problems(
        credential=AAMA,
        number="1",
        cycle_start=date(2024, 1, 1),
        expires_on=None,
        provisional=True,
        test_date=date(2024, 1, 1),
        credentials_held=None,
        today=TODAY,
    )
    assert set(problems) == {"provisional"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({}, set()),
        ({"title": ""}, {"title"}),
        ({"provider": "x" * 201}, {"provider"}),
        ({"completed_on": date(2026, 12, 1)}, {"completed_on"}),
        ({"category": "fun"}, {"category"}),
        ({"format": "podcast"}, {"format"}),
        ({"format": "in-service", "category": "clinical"}, set()),
    ],
)
def test_activity_problems(changes, fields):
    values = {
        "catalog": CATALOG,
        "title": "HIPAA update",
        "provider": "Provider",
        "completed_on": date(2026, 1, 1),
        "category": None,
        "format": None,
        "accreditation": None,
        "notes": None,
        "today": TODAY,
    }
    assert set(inputs.activity_problems(**{**values, **changes})) == fields


@pytest.mark.parametrize(
    ("provisional", "renewed_on", "lapsed", "refused"),
    [
        (False, date(2026, 1, 10), False, False),
        (True, date(2026, 1, 10), False, True),  # provisional: convert first
        (False, date(2024, 1, 1), False, True),  # before the cycle start
        (False, date(2026, 12, 1), False, True),  # future
        (False, date(2026, 1, 10), True, True),  # lapsed: exam required
    ],
)
def test_renewal_problems(provisional, renewed_on, lapsed, refused):
    problems = inputs.renewal_problems(
        cycle_start=date(2024, 3, 15), provisional=provisional, renewed_on=renewed_on, lapsed=lapsed, today=TODAY
    )
    assert bool(problems) is refused
    assert set(problems) <= {"renewed_on"}


def test_sharing_is_a_per_credential_rule():
    assert inputs.sharing_problem([CMAA, AAMA]) is None
    assert "cannot also count" in inputs.sharing_problem([replace(CMAA, shared_activities=False), AAMA])
    assert inputs.sharing_problem([replace(CMAA, shared_activities=False)]) is None


# The catalog file


def test_catalog_holds_every_required_credential_with_sources_and_confidence():
    slugs = {c.slug for c in CATALOG.credentials}
    assert {
        "nha-cmaa",
        "nha-ccma",
        "nha-cpt",
        "nha-cbcs",
        "nha-cet",
        "nha-cehrs",
        "nha-cpcta",
        "nha-cpht",
        "aama-cma",
        "amt-rma",
        "aapc-cpc",
        "ptcb-cpht",
    } <= slugs
    for c in CATALOG.credentials:
        assert c.sources and all(s["url"].startswith("https://") for s in c.sources)
        assert {"cycle", "requirement", "fee"} <= set(c.confidence)
        assert "check" in c.fee["note"].lower()
    assert (CMAA.required, CMAA.unit, CMAA.cycle_months, CMAA.contact_hours_per_unit) == (D(10), "credits", 24, D(2))
    assert (AAMA.cycle_months, AAMA.expiry_rule, AAMA.reinstatement_window_days) == (60, "end-of-month", 90)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["credentials"][0]["requirement"].update(unit="stars"), "requirement.unit"),
        (lambda d: d["credentials"][0].update(cycle_months=0), "cycle_months"),
        (lambda d: d["credentials"][0].update(expiry_rule="whenever"), "expiry_rule"),
        (lambda d: d["credentials"][0]["confidence"].update(fee="sure"), "confidence.fee"),
        (lambda d: d["credentials"].append(dict(d["credentials"][0])), "duplicate slug"),
        (lambda d: d["credentials"][0].update(caps=[{"format": "tv", "amount": 1}]), "caps[tv].format"),
    ],
)
def test_catalog_errors_name_the_field(mutate, message):
    import copy

    import yaml

    from prep.ce.catalog import CATALOG_FILE

    data = copy.deepcopy(yaml.safe_load(CATALOG_FILE.read_text()))
    mutate(data)
    with pytest.raises(CatalogError, match=message.replace("[", r"\[").replace("]", r"\]")):
        catalog_from_mapping(data)
