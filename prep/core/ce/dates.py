"""Calendar rules of renewal cycles: month arithmetic, default expiry, deadlines.

Every function takes its dates as parameters; nothing here knows today's date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

ANNIVERSARY = "anniversary"
END_OF_MONTH = "end-of-month"
EXPIRY_RULES = (ANNIVERSARY, END_OF_MONTH)


def end_of_month(day: date) -> date:
    """The last day of `day`'s month (29 February in a leap year)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, clamped to the last day of the target month.

    31 January + 1 month is 28 (or 29) February; 29 February 2024 + 12 months is 28 February 2025.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def default_expiry(cycle_start: date, cycle_months: int, rule: str = ANNIVERSARY) -> date:
    """The expiration date a cycle gets unless the user enters the certifying body's date.

    `anniversary`: the same day `cycle_months` later (clamped to the month's end).
    `end-of-month`: the last day of that month (AAMA: the period runs from the end of the
    month of certification, so certified 15 March 2020 means valid through 31 March 2025).
    """
    if rule not in EXPIRY_RULES:
        raise ValueError(f"unknown expiry rule {rule!r}")
    moved = add_months(cycle_start, cycle_months)
    return end_of_month(moved) if rule == END_OF_MONTH else moved


def next_expiry(old_expires_on: date, renewed_on: date, cycle_months: int, rule: str = ANNIVERSARY) -> date:
    """The expiration date of the cycle that a renewal on `renewed_on` starts.

    Renewed on or before the old expiry: the old expiration date moves by one cycle (renewing
    early loses no time). Renewed later (a reinstatement): a full cycle from the renewal date.
    """
    if renewed_on <= old_expires_on:
        return default_expiry(old_expires_on, cycle_months, rule)
    return default_expiry(renewed_on, cycle_months, rule)


def deadline_after(day: date, months: int | None = None, days: int | None = None) -> date | None:
    """`day` plus a window given in months or days; None when no window is known."""
    if months is not None:
        return add_months(day, months)
    if days is not None:
        return day + timedelta(days=days)
    return None


def in_window(day: date, start: date, end: date) -> bool:
    """True when `start <= day <= end`: both the first and the last day belong to the cycle."""
    return start <= day <= end
