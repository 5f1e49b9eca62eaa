"""Where a certification stands on a given day: what counts, what is missing, and its state.

`evaluate(credential, cycle, activities, on)` is the single rule the pages, the API and the
exports share. Amounts are Decimals in the credential's unit (credits, hours, points, CEUs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from prep.core.ce.catalog import CENT, Credential
from prep.core.ce.dates import deadline_after, in_window

ON_TRACK = "on-track"
BEHIND_PACE = "behind-pace"
COMPLETE = "complete"
EXPIRED_REINSTATABLE = "expired-reinstatable"
LAPSED = "lapsed"
PROVISIONAL = "provisional"
STATES = (ON_TRACK, BEHIND_PACE, COMPLETE, EXPIRED_REINSTATABLE, LAPSED, PROVISIONAL)

# Why an activity does not count (fully) towards a cycle.
OUTSIDE_CYCLE = "outside-cycle"
OVER_CAP = "over-cap"
NOT_APPLIED = "not-applied"
CLOSED_CYCLE = "counted-in-closed-cycle"
AFTER_DATE = "after-status-date"
REASONS = {
    OUTSIDE_CYCLE: "completed outside this cycle",
    OVER_CAP: "over the cap for its format",
    NOT_APPLIED: "not applied to this certification",
    CLOSED_CYCLE: "already counted in a closed cycle",
    AFTER_DATE: "completed after the date of this status",
}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ActivityFacts:
    """What the rules need to know about one activity, seen from one certification."""

    id: int
    completed_on: date
    contact_hours: Decimal
    category: str = "general"
    format: str | None = None
    accreditation: str = ""
    applied: bool = True
    closed: bool = False  # counted in a closed cycle of this certification


@dataclass(frozen=True)
class CycleFacts:
    cycle_start: date
    expires_on: date
    provisional: bool = False
    credentials_held: int = 1


@dataclass(frozen=True)
class ActivityOutcome:
    id: int
    amount: Decimal  # the whole activity in the credential's unit
    counted: Decimal  # the part that counts (less when a cap cut it)
    reason: str | None  # why it counts only partly or not at all

    @property
    def excluded(self) -> bool:
        return self.counted == 0


@dataclass(frozen=True)
class MinimumProgress:
    key: str
    label: str
    required: Decimal
    earned: Decimal
    dimension: str = "category"

    @property
    def met(self) -> bool:
        return self.earned >= self.required


@dataclass(frozen=True)
class Status:
    unit: str
    required: Decimal
    earned: Decimal
    remaining: Decimal
    expected_by_now: Decimal
    cycle_start: date
    expires_on: date
    days_left: int
    state: str
    reinstate_until: date | None
    outcomes: tuple[ActivityOutcome, ...]
    minimums: tuple[MinimumProgress, ...]

    @property
    def counted(self) -> list[int]:
        return [o.id for o in self.outcomes if not o.excluded]

    @property
    def excluded(self) -> list[tuple[int, str]]:
        return [(o.id, o.reason or OUTSIDE_CYCLE) for o in self.outcomes if o.excluded]

    @property
    def minimums_met(self) -> bool:
        return all(m.met for m in self.minimums)


def _reason_before_caps(credential: Credential, cycle: CycleFacts, activity: ActivityFacts, on: date) -> str | None:
    inside = in_window(activity.completed_on, cycle.cycle_start, cycle.expires_on)
    if not credential.within_cycle_only and activity.completed_on < cycle.cycle_start:
        inside = True
    if not activity.applied:
        return NOT_APPLIED
    if activity.closed:
        return CLOSED_CYCLE
    if activity.completed_on > on:
        return AFTER_DATE
    return None if inside else OUTSIDE_CYCLE


def count_activities(
    credential: Credential, cycle: CycleFacts, activities: list[ActivityFacts], on: date
) -> tuple[ActivityOutcome, ...]:
    """Each activity's counted amount and reason, in completion order (caps fill up in that order).

    Activities not applied to this certification, or counted in one of its closed cycles, are
    reported only when they fall inside this cycle (where they could otherwise count); the
    others concern other certifications or past cycles.
    """
    caps = {cap.format: cap.amount for cap in credential.caps}
    used: dict[str, Decimal] = defaultdict(lambda: ZERO)
    outcomes = []
    for activity in sorted(activities, key=lambda a: (a.completed_on, a.id)):
        amount = credential.to_units(activity.contact_hours)
        reason = _reason_before_caps(credential, cycle, activity, on)
        if reason in (NOT_APPLIED, CLOSED_CYCLE) and not in_window(
            activity.completed_on, cycle.cycle_start, cycle.expires_on
        ):
            continue
        counted = ZERO if reason else amount
        if not reason and activity.format in caps:
            room = max(caps[activity.format] - used[activity.format], ZERO)
            counted = min(amount, room)
            used[activity.format] += counted
            if counted < amount:
                reason = OVER_CAP
        outcomes.append(ActivityOutcome(activity.id, amount, counted, reason))
    return tuple(outcomes)


def minimum_progress(
    credential: Credential, activities: list[ActivityFacts], outcomes: tuple[ActivityOutcome, ...]
) -> tuple[MinimumProgress, ...]:
    by_id = {a.id: a for a in activities}
    progress = []
    for minimum in credential.minimums:
        earned = sum(
            (o.counted for o in outcomes if minimum.matches(by_id[o.id].category, by_id[o.id].accreditation)),
            ZERO,
        )
        progress.append(MinimumProgress(minimum.key, minimum.label, minimum.amount, earned, minimum.dimension))
    return tuple(progress)


def remaining_amount(required: Decimal, earned: Decimal, minimums: tuple[MinimumProgress, ...]) -> Decimal:
    """What is still needed: the larger of the total shortfall and the minimums' shortfalls.

    Minimums of one dimension (categories) are disjoint, so their shortfalls add up; another
    dimension (e.g. AAMA-approved) can be met by the same activities, so dimensions take the max.
    """
    shortfalls: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for m in minimums:
        shortfalls[m.dimension] += max(m.required - m.earned, ZERO)
    return max([required - earned, ZERO, *shortfalls.values()])


def expected_by(required: Decimal, cycle: CycleFacts, on: date) -> Decimal:
    """The amount earned by `on` at an even pace from the first to the last day of the cycle."""
    total = (cycle.expires_on - cycle.cycle_start).days
    elapsed = min(max((on - cycle.cycle_start).days, 0), total)
    if total <= 0:
        return required
    return (required * elapsed / total).quantize(CENT, rounding=ROUND_HALF_UP)


def evaluate(credential: Credential, cycle: CycleFacts, activities: list[ActivityFacts], on: date) -> Status:
    """The status of one certification's current cycle on day `on`.

    State, in order: a provisional certification is `provisional` until its expiry (the
    conversion deadline, test date + the credential's provisional window), then `lapsed`.
    After expiry: `expired-reinstatable` until the reinstatement deadline (`reinstate_until`),
    then `lapsed` (exam required; also when the catalog knows no reinstatement window).
    Before: `complete` when the requirement and every minimum are met, `behind-pace` when
    the amount earned is under the even-pace expectation, else `on-track`.
    """
    required = credential.required_for(cycle.credentials_held)
    outcomes = count_activities(credential, cycle, activities, on)
    earned = sum((o.counted for o in outcomes), ZERO)
    minimums = minimum_progress(credential, activities, outcomes)
    expected = expected_by(required, cycle, on)
    reinstate_until = None
    if cycle.provisional:
        state = PROVISIONAL if on <= cycle.expires_on else LAPSED
    elif on > cycle.expires_on:
        deadline = deadline_after(
            cycle.expires_on, credential.reinstatement_window_months, credential.reinstatement_window_days
        )
        if deadline is not None and on <= deadline:
            state, reinstate_until = EXPIRED_REINSTATABLE, deadline
        else:
            state = LAPSED
    elif earned >= required and all(m.met for m in minimums):
        state = COMPLETE
    elif earned < expected:
        state = BEHIND_PACE
    else:
        state = ON_TRACK
    return Status(
        unit=credential.unit,
        required=required,
        earned=earned,
        remaining=remaining_amount(required, earned, minimums),
        expected_by_now=expected,
        cycle_start=cycle.cycle_start,
        expires_on=cycle.expires_on,
        days_left=(cycle.expires_on - on).days,
        state=state,
        reinstate_until=reinstate_until,
        outcomes=outcomes,
        minimums=minimums,
    )
