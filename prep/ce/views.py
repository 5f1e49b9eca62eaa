"""Presentation helpers for CE pages: labels for states, amounts, certification choices."""

from __future__ import annotations

from decimal import Decimal

from prep.ce import services
from prep.core.ce.status import (
    BEHIND_PACE,
    COMPLETE,
    EXPIRED_REINSTATABLE,
    LAPSED,
    ON_TRACK,
    PROVISIONAL,
    REASONS,
)
from prep.models.ce import Certification

STATE_LABELS = {
    ON_TRACK: "On track",
    BEHIND_PACE: "Behind pace",
    COMPLETE: "Requirement complete",
    EXPIRED_REINSTATABLE: "Expired: can still be reinstated",
    LAPSED: "Lapsed: the exam must be retaken",
    PROVISIONAL: "Provisional: convert it before its deadline",
}
REASON_LABELS = REASONS


def amount(value) -> str:
    """A Decimal amount without useless zeros: 10, 1.5, 0.25."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return str(value.to_integral())
    return f"{value:.2f}".rstrip("0")


def certification_choices(certifications: list[Certification], with_slug: bool = False) -> list[tuple]:
    """(id, label) pairs, or (id, label, credential slug) with `with_slug`, for the user's certifications."""
    choices = []
    for c in certifications:
        label = f"{services.credential_for(c).abbreviation} {c.number}"
        choices.append((c.id, label, c.credential) if with_slug else (c.id, label))
    return choices
