"""Office rules: which shared certification needs a manager's attention first, and the summary week.

Urgency order (most urgent first):

0. `lapsed`: the credential is gone (the exam must be retaken); the longest lapsed first.
1. `expired-reinstatable`: expired, can still be reinstated; the nearest reinstatement
   deadline first.
2. An open cycle with work left (`behind-pace`, `provisional`, `on-track`): the nearest expiry
   first; at the same expiry, behind pace before provisional before on track.
3. `complete`: nothing to do before renewal; the nearest expiry first.

A certification "needs attention" when it is in group 0 or 1, behind pace, or expires within
ATTENTION_DAYS with work left.
"""

from __future__ import annotations

from datetime import date, timedelta

from prep.core.ce.status import BEHIND_PACE, COMPLETE, EXPIRED_REINSTATABLE, LAPSED, ON_TRACK, PROVISIONAL

ATTENTION_DAYS = 90
_OPEN_ORDER = {BEHIND_PACE: 0, PROVISIONAL: 1, ON_TRACK: 2}


def urgency_key(state: str, days_left: int, reinstate_until: date | None, today: date) -> tuple[int, int, int]:
    """A sort key: smaller is more urgent."""
    if state == LAPSED:
        return (0, days_left, 0)
    if state == EXPIRED_REINSTATABLE:
        days = (reinstate_until - today).days if reinstate_until is not None else days_left
        return (1, days, 0)
    if state == COMPLETE:
        return (3, days_left, 0)
    return (2, days_left, _OPEN_ORDER.get(state, 3))


def needs_attention(state: str, days_left: int) -> bool:
    if state in (LAPSED, EXPIRED_REINSTATABLE, BEHIND_PACE):
        return True
    return state in (ON_TRACK, PROVISIONAL) and days_left <= ATTENTION_DAYS


def week_of(today: date) -> date:
    """The Monday of `today`'s week: one weekly summary per manager and week."""
    return today - timedelta(days=today.weekday())
