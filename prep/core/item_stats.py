"""Item analysis: how each question version performs, from learners' first attempts at it.

What counts as a response (`counts_as_response`): an item of a finished attempt that the
learner answered, or that was left unanswered in a mock exam (it scores 0 there, as in Moodle).
An unanswered item of a practice set was not attempted and does not count.

First attempts only (`first_responses`): for each learner and question, only the response from
the earliest attempt that holds a counted response to it (any version of the question); later
meetings with the same question measure memory, not the item. That first response counts
towards the version the learner saw.

Per question version (`item_statistics`):

- `n`: the number of first responses.
- `facility`: the proportion of them that were correct (Moodle's "facility index" / 100).
- `options`: how often each option was chosen, in the question's ORIGINAL option order (the
  stored choice is a displayed position; `original_option` maps it back through the attempt
  item's `option_order`). Unanswered responses choose no option.
- `discrimination`: Moodle's discrimination index divided by 100, i.e. the Pearson
  product-moment correlation between the item score x (1 correct, 0 not) and the rest-of-test
  score y of the same attempt (the attempt's total on scored items minus this item's score):

      r = sum((x - mean x) * (y - mean y)) / sqrt(sum((x - mean x)^2) * sum((y - mean y)^2))

  Because x is 0/1 this is the point-biserial correlation r_pb = (M1 - M0) / s_y * sqrt(p q)
  with population standard deviation s_y; the two formulas give the same number. The rest
  score is expressed as the proportion correct of the attempt's OTHER scored items (an
  unscored pretest item's rest is the whole scored total). For attempts of one length, as on a
  Moodle quiz or our mock exams, this is a linear transform of Moodle's raw rest total, so r is
  identical; it also lets practice sets of different lengths be pooled. A response whose
  attempt has no other scored item has no rest score and is left out of r. With fewer than two
  usable responses, or zero variance in x or y (everyone right, everyone wrong, everyone with
  the same rest score), the correlation is undefined: None.

Flags, only once `n >= MIN_SAMPLE` (smaller samples are noise):

- `too_easy`: facility > TOO_EASY (0.95); `too_hard`: facility < TOO_HARD (0.20).
- `low_discrimination`: discrimination < LOW_DISCRIMINATION (0.10), negative included. Moodle's
  guidance calls an index under 20 weak and a negative one a sign of a wrong key or a
  misleading item; under 10 the item separates stronger from weaker learners barely or not at
  all. Not raised when discrimination is None.
- `unused_distractor`: a wrong option nobody chose.
- `distractor_over_key`: a wrong option chosen more often than the key.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

MIN_SAMPLE = 30
TOO_EASY = 0.95
TOO_HARD = 0.20
LOW_DISCRIMINATION = 0.10
OPTION_COUNT = 4

TOO_EASY_FLAG = "too_easy"
TOO_HARD_FLAG = "too_hard"
LOW_DISCRIMINATION_FLAG = "low_discrimination"
UNUSED_DISTRACTOR_FLAG = "unused_distractor"
DISTRACTOR_OVER_KEY_FLAG = "distractor_over_key"
FLAGS = (TOO_EASY_FLAG, TOO_HARD_FLAG, LOW_DISCRIMINATION_FLAG, UNUSED_DISTRACTOR_FLAG, DISTRACTOR_OVER_KEY_FLAG)


@dataclass(frozen=True)
class Response:
    """One counted response to a question version, with the score of the attempt it was in."""

    learner_id: int
    attempt_id: int
    attempt_started: datetime
    question_id: int
    version: int
    option: int | None  # the ORIGINAL index of the option chosen; None when unanswered
    correct: bool
    scored: bool  # False for an unscored pretest item of a mock exam
    attempt_correct: int  # the attempt's correct answers on scored items (this one included)
    attempt_total: int  # the attempt's number of scored items

    @property
    def item_score(self) -> int:
        return 1 if self.correct else 0

    @property
    def rest_score(self) -> float | None:
        """The proportion correct of the attempt's other scored items; None if there are none."""
        own = self.item_score if self.scored else 0
        others = self.attempt_total - (1 if self.scored else 0)
        if others <= 0:
            return None
        return (self.attempt_correct - own) / others


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    version: int
    answer: int  # the key's original index
    n: int
    facility: float | None
    discrimination: float | None
    options: tuple[int, ...]  # times chosen, original option order
    flags: tuple[str, ...]


def counts_as_response(mode: str, answered: bool) -> bool:
    """An answered item counts; an unanswered one only in a mock exam (where it scores 0)."""
    return answered or mode == "exam"


def original_option(choice: int | None, order: Sequence[int]) -> int | None:
    """The original index of the option shown at displayed position `choice`."""
    return None if choice is None else order[choice]


def first_responses(responses: Iterable[Response]) -> list[Response]:
    """Each learner's response from their earliest attempt at each question (any version)."""
    first: dict[tuple[int, int], Response] = {}
    for r in responses:
        key = (r.learner_id, r.question_id)
        seen = first.get(key)
        if seen is None or (r.attempt_started, r.attempt_id) < (seen.attempt_started, seen.attempt_id):
            first[key] = r
    return list(first.values())


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The Pearson correlation of two equally long sequences; None if undefined."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    if n < 2:
        return None
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sxx <= 0.0 or syy <= 0.0:
        return None
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def discrimination(responses: Sequence[Response]) -> float | None:
    """r(item score, rest-of-test score) over the responses that have a rest score."""
    pairs = [(r.item_score, r.rest_score) for r in responses if r.rest_score is not None]
    return pearson([p[0] for p in pairs], [p[1] for p in pairs])


def flags_for(
    n: int, facility: float | None, discrimination: float | None, options: Sequence[int], answer: int
) -> tuple[str, ...]:
    """The flags an item earns; none below MIN_SAMPLE responses."""
    if n < MIN_SAMPLE or facility is None:
        return ()
    flags = []
    if facility > TOO_EASY:
        flags.append(TOO_EASY_FLAG)
    if facility < TOO_HARD:
        flags.append(TOO_HARD_FLAG)
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(LOW_DISCRIMINATION_FLAG)
    distractors = [count for index, count in enumerate(options) if index != answer]
    if any(count == 0 for count in distractors):
        flags.append(UNUSED_DISTRACTOR_FLAG)
    if any(count > options[answer] for count in distractors):
        flags.append(DISTRACTOR_OVER_KEY_FLAG)
    return tuple(flags)


def item_statistics(
    question_id: int, version: int, answer: int, responses: Sequence[Response], option_count: int = OPTION_COUNT
) -> ItemStats:
    """Statistics of one version from its (already first-only) responses."""
    n = len(responses)
    facility = sum(r.item_score for r in responses) / n if n else None
    counts = [0] * option_count
    for r in responses:
        if r.option is not None:
            counts[r.option] += 1
    disc = discrimination(responses)
    return ItemStats(
        question_id=question_id,
        version=version,
        answer=answer,
        n=n,
        facility=facility,
        discrimination=disc,
        options=tuple(counts),
        flags=flags_for(n, facility, disc, counts, answer),
    )


def analyse(responses: Iterable[Response], answers: Mapping[tuple[int, int], int]) -> dict[tuple[int, int], ItemStats]:
    """Statistics per (question_id, version) in `answers` (its key index) from all responses.

    `responses` may hold every counted response of the learners concerned; the first-attempt
    rule is applied here. A version in `answers` without responses gets n = 0.
    """
    grouped: dict[tuple[int, int], list[Response]] = defaultdict(list)
    for r in first_responses(responses):
        grouped[(r.question_id, r.version)].append(r)
    return {
        key: item_statistics(key[0], key[1], answer, grouped.get(key, [])) for key, answer in sorted(answers.items())
    }
