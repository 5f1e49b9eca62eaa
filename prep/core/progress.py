"""Progress over time: study days and streaks, weekly accuracy, reviews due per day.

Days are UTC days; a week starts on Monday. The callers pass `today`/`now`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from prep.core.readiness import Answer


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def study_days(moments: Iterable[datetime]) -> set[date]:
    """The UTC days on which something was studied."""
    return {utc_day(m) for m in moments}


def current_streak(days: set[date], today: date) -> int:
    """Consecutive study days ending today, or ending yesterday while today is still open."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(days: set[date]) -> int:
    best = 0
    for day in days:
        if day - timedelta(days=1) in days:
            continue  # not the first day of a run
        length = 1
        while day + timedelta(days=length) in days:
            length += 1
        best = max(best, length)
    return best


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar(days: set[date], today: date, weeks: int) -> list[list[tuple[date, bool]]]:
    """`weeks` Monday-first weeks ending with the current one: (day, studied), future days left out."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    grid = []
    for w in range(weeks):
        start = first + timedelta(weeks=w)
        week = [(start + timedelta(days=d), start + timedelta(days=d) in days) for d in range(7)]
        grid.append([(day, studied) for day, studied in week if day <= today])
    return grid


@dataclass(frozen=True)
class WeekAccuracy:
    week: date  # its Monday
    correct: int
    answered: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.correct / self.answered if self.answered else None


def weekly_accuracy(
    answers: Iterable[Answer], domains: Sequence[str], today: date, weeks: int
) -> dict[str, list[WeekAccuracy]]:
    """Per domain, plain accuracy in each of the last `weeks` weeks (oldest first)."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    starts = [first + timedelta(weeks=w) for w in range(weeks)]
    tally: Counter = Counter()
    for a in answers:
        week = week_start(utc_day(a.answered_at))
        if week >= first:
            tally[a.domain, week, "n"] += 1
            tally[a.domain, week, "c"] += int(a.correct)
    return {d: [WeekAccuracy(w, tally[d, w, "c"], tally[d, w, "n"]) for w in starts] for d in domains}


def due_per_day(dues: Iterable[datetime], now: datetime, days: int) -> list[tuple[date, int]]:
    """Cards due on each of the next `days` UTC days; overdue cards count on today."""
    today = utc_day(now)
    counts: Counter = Counter()
    for due in dues:
        counts[max(today, utc_day(due))] += 1
    return [(today + timedelta(days=n), counts[today + timedelta(days=n)]) for n in range(days)]
