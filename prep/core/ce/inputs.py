"""Checks of what a user enters for certifications, activities and renewals.

Each `*_problems` function returns `{field: message}` (empty when all is well), so the API and
the forms can name every field at fault at once. `today` is always a parameter; a date up to
one day ahead of it is accepted, because the server's day (UTC) can be behind the user's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from prep.core.ce.catalog import Catalog, Credential
from prep.core.ce.dates import add_months

MAX_CONTACT_HOURS = Decimal("200")
MAX_CYCLE_YEARS = 10
EARLIEST_DATE = date(1970, 1, 1)
FUTURE_TOLERANCE = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(value) -> date:
    """A `YYYY-MM-DD` string as a date; ValueError with a message otherwise."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError("Enter a date as YYYY-MM-DD.")
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError("That date does not exist.") from exc


def parse_hours(value) -> Decimal:
    """A positive number of hours with at most two decimals; ValueError with a message otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("Enter the number of contact hours, for example 1.5.")
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError("Enter the number of contact hours, for example 1.5.") from exc
    if not hours.is_finite():
        raise ValueError("Enter the number of contact hours, for example 1.5.")
    if hours <= 0:
        raise ValueError("Contact hours must be more than 0.")
    if hours > MAX_CONTACT_HOURS:
        raise ValueError(f"Contact hours must be at most {MAX_CONTACT_HOURS} for one activity.")
    if hours != hours.quantize(Decimal("0.01")):
        raise ValueError("Use at most two decimal places.")
    return hours.quantize(Decimal("0.01"))


def _date_problem(value: date | None, today: date, label: str) -> str | None:
    if value is None:
        return None
    if value < EARLIEST_DATE:
        return f"The {label} is too far in the past."
    if value > today + FUTURE_TOLERANCE:
        return f"The {label} cannot be in the future."
    return None


def _text_problem(value: str | None, label: str, max_length: int, required: bool, lines: bool = False) -> str | None:
    """A problem with a text field; control characters (line breaks too, unless `lines`) are refused.

    One-line values end up in email subjects and calendar summaries, where a line break could
    start a new header.
    """
    value = (value or "").strip()
    if required and not value:
        return f"Enter the {label}."
    if len(value) > max_length:
        return f"The {label} must be at most {max_length} characters."
    allowed = "\n\r\t" if lines else ""
    if any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in value):
        what = "control characters" if lines else "line breaks or control characters"
        return f"The {label} must not contain {what}."
    return None


def certification_problems(
    *,
    credential: Credential | None,
    number: str | None,
    cycle_start: date,
    expires_on: date | None,
    provisional: bool,
    test_date: date | None,
    credentials_held: int | None,
    today: date,
) -> dict[str, str]:
    """Problems with a certification as entered (dates already parsed)."""
    problems: dict[str, str] = {}
    if credential is None:
        problems["credential"] = "Choose a credential from the catalog."
    text = _text_problem(number, "certificate number", 80, required=True)
    if text:
        problems["number"] = text
    start = _date_problem(cycle_start, today, "cycle start")
    if start:
        problems["cycle_start"] = start
    if expires_on is not None and not start:
        if expires_on <= cycle_start:
            problems["expires_on"] = "The expiration date must be after the cycle start."
        elif expires_on > add_months(cycle_start, 12 * MAX_CYCLE_YEARS):
            problems["expires_on"] = f"The expiration date must be within {MAX_CYCLE_YEARS} years of the cycle start."
    if provisional:
        if credential is not None and credential.provisional_window_months is None:
            problems["provisional"] = f"{credential.abbreviation} has no provisional certification in our catalog."
        elif test_date is None:
            problems["test_date"] = "Enter the test date of a provisional certification."
    problem = _date_problem(test_date, today, "test date")
    if problem:
        problems["test_date"] = problem
    if credentials_held is not None and not 1 <= credentials_held <= 20:
        problems["credentials_held"] = "Enter a number of credentials between 1 and 20."
    return problems


def activity_problems(
    *,
    catalog: Catalog,
    title: str | None,
    provider: str | None,
    completed_on: date,
    category: str | None,
    format: str | None,
    accreditation: str | None,
    notes: str | None,
    today: date,
) -> dict[str, str]:
    """Problems with an activity as entered (the date and hours already parsed)."""
    problems: dict[str, str] = {}
    for field, value, label, limit, required in (
        ("title", title, "title", 200, True),
        ("provider", provider, "provider", 200, True),
        ("accreditation", accreditation, "accreditation or approval number", 120, False),
        ("notes", notes, "notes", 2000, False),
    ):
        text = _text_problem(value, label, limit, required, lines=field == "notes")
        if text:
            problems[field] = text
    problem = _date_problem(completed_on, today, "completion date")
    if problem:
        problems["completed_on"] = problem
    if category is not None and category not in catalog.category_slugs:
        problems["category"] = f"Choose one of: {', '.join(catalog.category_slugs)}."
    if format is not None and format not in catalog.format_slugs:
        problems["format"] = f"Choose one of: {', '.join(catalog.format_slugs)}."
    return problems


def sharing_problem(credentials: list[Credential]) -> str | None:
    """A message when an activity may not be applied to all these credentials at once."""
    if len(credentials) > 1:
        for credential in credentials:
            if not credential.shared_activities:
                return f"An activity applied to {credential.abbreviation} cannot also count for another certification."
    return None


def renewal_problems(
    *, cycle_start: date, provisional: bool, renewed_on: date, lapsed: bool, today: date
) -> dict[str, str]:
    """Problems with recording a renewal on `renewed_on` (`lapsed`: exam required by then)."""
    if provisional:
        return {"renewed_on": "A provisional certification cannot be renewed until it is converted."}
    problem = _date_problem(renewed_on, today, "renewal date")
    if problem:
        return {"renewed_on": problem}
    if renewed_on < cycle_start:
        return {"renewed_on": "The renewal date must be on or after the cycle start."}
    if lapsed:
        return {
            "renewed_on": "By that date the credential had lapsed: the exam must be retaken. "
            "Add the certification again with the new exam date."
        }
    return {}
