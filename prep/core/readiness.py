"""Readiness: how well a learner knows each blueprint domain, as an honest estimate.

Per domain, two kinds of evidence:

- Recent accuracy: every answered question counts with a weight that halves every
  HALF_LIFE_DAYS days (an answer from today weighs 1, from two weeks ago 0.5, from four
  weeks ago 0.25). Answers older than EVIDENCE_WINDOW_DAYS are ignored. Thin evidence is
  pulled towards zero: the accuracy is computed as if the learner had also answered
  PRIOR_ANSWERS more questions wrong today, so one lucky answer is not "100 %".
- Memory: the mean FSRS retrievability (the scheduler's probability of recalling an item
  now) of the domain's reviewed questions. A question still being learned or relearned
  (missed, and not recalled since) counts as 0: FSRS rates it near 1 just after the learner
  saw the answer, which says nothing about knowing it. The same prior applies: the mean is
  taken as if PRIOR_ANSWERS more questions had retrievability 0.

Mastery is the mean of the two (ACCURACY_SHARE) when both exist, otherwise whichever exists,
and None without any evidence. Overall readiness weights each domain's mastery by its number
of scored items in the blueprint; a domain without evidence counts as 0. None of this predicts
an NHA score: it says how much of the blueprint the learner has recently shown they know.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

HALF_LIFE_DAYS = 14.0
EVIDENCE_WINDOW_DAYS = 112  # eight half-lives: older answers weigh under 0.4 %
PRIOR_ANSWERS = 2.0
ACCURACY_SHARE = 0.5
MIN_TOPIC_ANSWERS = 3


@dataclass(frozen=True)
class Answer:
    """One answered question: its domain (or topic), whether it was right, and when."""

    domain: str
    correct: bool
    answered_at: datetime


@dataclass(frozen=True)
class ReviewedItem:
    domain: str
    retrievability: float
    learned: bool = True  # False while the card is in (re)learning

    @property
    def memory(self) -> float:
        return self.retrievability if self.learned else 0.0


@dataclass(frozen=True)
class DomainReadiness:
    domain: str
    blueprint_items: int
    mastery: float | None
    accuracy: float | None
    retrievability: float | None
    answers: int
    reviewed_items: int

    @property
    def points_to_gain(self) -> float:
        """Blueprint items not yet mastered: where study raises overall readiness most."""
        return self.blueprint_items * (1.0 - (self.mastery or 0.0))


@dataclass(frozen=True)
class Readiness:
    overall: float
    domains: tuple[DomainReadiness, ...]

    @property
    def answers(self) -> int:
        return sum(d.answers for d in self.domains)

    @property
    def reviewed_items(self) -> int:
        return sum(d.reviewed_items for d in self.domains)


@dataclass(frozen=True)
class TopicAccuracy:
    topic: str
    accuracy: float
    answers: int


def evidence_since(now: datetime) -> datetime:
    """The oldest answer that still counts."""
    return now - timedelta(days=EVIDENCE_WINDOW_DAYS)


def recency_weight(answered_at: datetime, now: datetime) -> float:
    """1 for an answer given now, halving every HALF_LIFE_DAYS; 0 outside the window."""
    age_days = max(0.0, (now - answered_at).total_seconds() / 86400)
    if age_days > EVIDENCE_WINDOW_DAYS:
        return 0.0
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def recent_accuracy(answers: Iterable[Answer], now: datetime) -> tuple[float | None, int]:
    """(recency-weighted accuracy with the prior, number of answers counted)."""
    hits = weight = 0.0
    count = 0
    for a in answers:
        w = recency_weight(a.answered_at, now)
        if w <= 0.0:
            continue
        count += 1
        weight += w
        hits += w if a.correct else 0.0
    if count == 0:
        return None, 0
    return hits / (weight + PRIOR_ANSWERS), count


def combine(accuracy: float | None, retrievability: float | None) -> float | None:
    if accuracy is None:
        return retrievability
    if retrievability is None:
        return accuracy
    return ACCURACY_SHARE * accuracy + (1.0 - ACCURACY_SHARE) * retrievability


def readiness(
    blueprint_items: Mapping[str, int],
    answers: Iterable[Answer],
    reviewed: Iterable[ReviewedItem],
    now: datetime,
) -> Readiness:
    """Mastery per blueprint domain (in blueprint order) and the blueprint-weighted overall."""
    by_domain: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        by_domain[a.domain].append(a)
    recall: dict[str, list[float]] = defaultdict(list)
    for r in reviewed:
        recall[r.domain].append(r.memory)
    domains = []
    for slug, items in blueprint_items.items():
        accuracy, count = recent_accuracy(by_domain.get(slug, ()), now)
        values = recall.get(slug, [])
        retrievability = sum(values) / (len(values) + PRIOR_ANSWERS) if values else None
        domains.append(
            DomainReadiness(
                domain=slug,
                blueprint_items=items,
                mastery=combine(accuracy, retrievability),
                accuracy=accuracy,
                retrievability=retrievability,
                answers=count,
                reviewed_items=len(values),
            )
        )
    total = sum(blueprint_items.values())
    overall = sum(d.blueprint_items * (d.mastery or 0.0) for d in domains) / total if total else 0.0
    return Readiness(overall=overall, domains=tuple(domains))


def study_next(result: Readiness, limit: int = 3) -> list[DomainReadiness]:
    """The domains where the most blueprint points are to be gained, most first."""
    ranked = sorted(result.domains, key=lambda d: (-d.points_to_gain, d.domain))
    return [d for d in ranked if d.points_to_gain > 0][:limit]


def weakest_topics(answers: Iterable[Answer], now: datetime, limit: int = 3) -> list[TopicAccuracy]:
    """Topics (passed in the `domain` field) with enough recent answers, lowest accuracy first."""
    by_topic: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        by_topic[a.domain].append(a)
    found = []
    for topic, group in by_topic.items():
        accuracy, count = recent_accuracy(group, now)
        if accuracy is not None and count >= MIN_TOPIC_ANSWERS:
            found.append(TopicAccuracy(topic, accuracy, count))
    found.sort(key=lambda t: (t.accuracy, -t.answers, t.topic))
    return found[:limit]
