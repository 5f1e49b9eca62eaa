"""Exam and practice rules: the blueprint draw, option shuffling, timing and scoring.

Everything here is pure: callers pass the candidate pools, the learner's history, a random
generator and `now`. The blueprint's numbers come in as a `Blueprint`; nothing here knows them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from prep.core.blueprint import Blueprint

OPTION_COUNT = 4
# Time allowed as a multiple of the standard limit; None means untimed (WCAG 2.2.1).
ACCOMMODATIONS: dict[str, float | None] = {"standard": 1.0, "1.5x": 1.5, "2x": 2.0, "untimed": None}


class PoolTooSmall(ValueError):
    """The bank cannot supply the items a draw needs; the message names the domain."""

    def __init__(self, domain: str, needed: int, available: int):
        super().__init__(f"{domain}: needs {needed} items, the bank has {available}")
        self.domain, self.needed, self.available = domain, needed, available


class Candidate(NamedTuple):
    """A question that may be drawn: its id, domain, and when the learner last saw it.

    A named tuple rather than a dataclass: a draw from the whole bank builds ten thousand.
    """

    question_id: int
    domain: str
    last_seen: datetime | None = None


@dataclass(frozen=True)
class DrawnItem:
    question_id: int
    domain: str
    scored: bool


def _freshest(candidates: Sequence[Candidate], count: int, rng: random.Random) -> list[Candidate]:
    """Up to `count` candidates: never-seen ones first (a random choice of them), then the
    longest-unseen, oldest first (ties in random order).

    Linear in the pool when enough items are unseen (the usual case): no random key per
    candidate and no sort of a 10,000-item bank.
    """
    unseen = [c for c in candidates if c.last_seen is None]
    if len(unseen) >= count:
        return rng.sample(unseen, count)
    rng.shuffle(unseen)
    seen = [c for c in candidates if c.last_seen is not None]
    rng.shuffle(seen)
    seen.sort(key=lambda c: c.last_seen)  # stable: equal times keep the shuffled order
    return (unseen + seen)[:count]


def pretest_quota(blueprint: Blueprint) -> dict[str, int]:
    """Spread the pretest items over domains in blueprint proportion (largest remainder)."""
    total, scored = blueprint.pretest_items, blueprint.scored_items
    exact = {d.slug: total * d.items / scored for d in blueprint.domains}
    quota = {slug: math.floor(v) for slug, v in exact.items()}
    leftover = total - sum(quota.values())
    for slug in sorted(exact, key=lambda s: (-(exact[s] - quota[s]), s))[:leftover]:
        quota[slug] += 1
    return quota


def draw_exam(blueprint: Blueprint, candidates: Iterable[Candidate], rng: random.Random) -> list[DrawnItem]:
    """The blueprint draw: exactly each domain's scored count plus the pretest items, shuffled.

    Items the learner has not seen come first; then those seen longest ago. Raises
    PoolTooSmall when a domain cannot supply its scored and pretest items.
    """
    pools: dict[str, list[Candidate]] = {d.slug: [] for d in blueprint.domains}
    for c in candidates:
        if c.domain in pools:
            pools[c.domain].append(c)
    quota = pretest_quota(blueprint)
    drawn: list[DrawnItem] = []
    for domain in blueprint.domains:
        needed = domain.items + quota[domain.slug]
        if len(pools[domain.slug]) < needed:
            raise PoolTooSmall(domain.slug, needed, len(pools[domain.slug]))
        picked = _freshest(pools[domain.slug], needed, rng)
        # Which of the picked items are unscored is random, so freshness says nothing about it.
        rng.shuffle(picked)
        drawn += [DrawnItem(c.question_id, c.domain, True) for c in picked[: domain.items]]
        drawn += [DrawnItem(c.question_id, c.domain, False) for c in picked[domain.items :]]
    rng.shuffle(drawn)
    return drawn


def draw_practice(candidates: Sequence[Candidate], count: int, rng: random.Random) -> list[DrawnItem]:
    """Up to `count` items, freshest first, in random order; all scored."""
    picked = _freshest(candidates, count, rng)
    rng.shuffle(picked)
    return [DrawnItem(c.question_id, c.domain, True) for c in picked]


def option_order(rng: random.Random) -> list[int]:
    """A display order: position i shows the original option option_order[i]."""
    order = list(range(OPTION_COUNT))
    rng.shuffle(order)
    return order


def displayed_key(order: Sequence[int], answer: int) -> int:
    """Where the key (an original index) appears in the displayed order."""
    return list(order).index(answer)


def in_display_order(values: Sequence, order: Sequence[int]) -> list:
    return [values[i] for i in order]


def time_limit_seconds(base_minutes: int, accommodation: str) -> int | None:
    """The time allowed for an exam under an accommodation; None when untimed."""
    if accommodation not in ACCOMMODATIONS:
        raise ValueError(f"unknown accommodation {accommodation!r}")
    factor = ACCOMMODATIONS[accommodation]
    return None if factor is None else round(base_minutes * 60 * factor)


def deadline_for(started_at: datetime, limit_seconds: int | None) -> datetime | None:
    return None if limit_seconds is None else started_at + timedelta(seconds=limit_seconds)


def is_past_deadline(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now >= deadline


def seconds_left(deadline: datetime | None, now: datetime) -> int | None:
    if deadline is None:
        return None
    return max(0, math.floor((deadline - now).total_seconds()))


@dataclass(frozen=True)
class AnsweredItem:
    domain: str
    scored: bool
    correct: bool


@dataclass(frozen=True)
class DomainScore:
    domain: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    domains: tuple[DomainScore, ...]

    @property
    def percent(self) -> float:
        return round(100.0 * self.correct / self.total, 1) if self.total else 0.0


def score(items: Iterable[AnsweredItem], domain_order: Sequence[str]) -> Score:
    """Raw score on scored items only (unanswered counts as wrong), overall and per domain."""
    per: dict[str, list[int]] = {}
    for item in items:
        if item.scored:
            tally = per.setdefault(item.domain, [0, 0])
            tally[0] += int(item.correct)
            tally[1] += 1
    order = [d for d in domain_order if d in per] + sorted(set(per) - set(domain_order))
    domains = tuple(DomainScore(d, per[d][0], per[d][1]) for d in order)
    return Score(sum(d.correct for d in domains), sum(d.total for d in domains), domains)


def weakest_domains(result: Score, weights: Mapping[str, int], limit: int = 3) -> list[str]:
    """Domains to work on next: lowest percent first, ties broken by exam weight."""
    ranked = sorted(result.domains, key=lambda d: (d.percent, -weights.get(d.domain, 0), d.domain))
    return [d.domain for d in ranked if d.percent < 100.0][:limit]
