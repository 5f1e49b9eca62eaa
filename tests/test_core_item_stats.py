"""Item analysis against values computed by hand (the arithmetic is in each docstring)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from types import EllipsisType

import pytest

from prep.core import item_stats as s

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def response(
    n: int,
    correct: bool,
    attempt_correct: int,
    attempt_total: int,
    *,
    option: int | None | EllipsisType = ...,
    scored: bool = True,
    learner: int | None = None,
    question: int = 7,
    version: int = 1,
    started: datetime | None = None,
    answer: int = 0,
) -> s.Response:
    """A response of learner `n` (by default) in attempt `n`; the key is option `answer`."""
    if option is ...:
        option = answer if correct else (answer + 1) % 4
    return s.Response(
        learner_id=n if learner is None else learner,
        attempt_id=n,
        attempt_started=started or T0 + timedelta(minutes=n),
        question_id=question,
        version=version,
        option=option,
        correct=correct,
        scored=scored,
        attempt_correct=attempt_correct,
        attempt_total=attempt_total,
    )


# Dataset A: four practice sets of 5 scored items, this item among them.
#   x (item)  total  rest = (total - x) / 4
#   1         5      4/4 = 1.0
#   1         3      2/4 = 0.5
#   0         2      2/4 = 0.5
#   0         0      0/4 = 0.0
DATASET_A = [(True, 5, 5), (True, 3, 5), (False, 2, 5), (False, 0, 5)]
# Dataset B: the same length; the weaker attempts get this item right.
#   x  total  rest:  1 1 0.00 | 0 4 1.00 | 1 2 0.25 | 0 3 0.75
DATASET_B = [(True, 1, 5), (False, 4, 5), (True, 2, 5), (False, 3, 5)]
# Dataset C: an unscored pretest item in exams of 4 scored items; its rest is the whole total.
#   x  scored total  rest:  1 4 1.0 | 0 2 0.5 | 0 0 0.0
DATASET_C = [(True, 4, 4), (False, 2, 4), (False, 0, 4)]
# Dataset D: practice sets of different lengths (5, 10 and 10 items).
#   x  total/items  rest:  1 3/5 -> 2/4 = 1/2 | 0 1/10 -> 1/9 | 1 10/10 -> 9/9 = 1
DATASET_D = [(True, 3, 5), (False, 1, 10), (True, 10, 10)]


def build(rows, scored=True, repeat=1):
    out = []
    for k in range(repeat):
        for i, (x, total, items) in enumerate(rows):
            out.append(response(k * len(rows) + i + 1, x, total, items, scored=scored))
    return out


def test_dataset_a_pearson_and_point_biserial_agree():
    """x = 1 1 0 0 (mean 0.5), y = 1 .5 .5 0 (mean 0.5).

    dx = .5 .5 -.5 -.5; dy = .5 0 0 -.5; sum dx*dy = .25 + .25 = 0.5; sum dx^2 = 1;
    sum dy^2 = .25 + .25 = 0.5; r = 0.5 / sqrt(1 * 0.5) = 1/sqrt(2) = 0.70711.
    Point-biserial: M1 = (1 + .5)/2 = .75, M0 = (.5 + 0)/2 = .25, s_y = sqrt(0.5 / 4) = .35355,
    p = q = .5: r_pb = (.75 - .25) / .35355 * sqrt(.25) = 0.70711. Facility 2/4 = 0.5.
    """
    stats = s.item_statistics(7, 1, 0, build(DATASET_A))
    assert stats.n == 4
    assert stats.facility == 0.5
    assert stats.discrimination == pytest.approx(1 / math.sqrt(2), abs=1e-12)
    assert stats.options == (2, 2, 0, 0)
    assert stats.flags == ()  # n = 4 < MIN_SAMPLE


@pytest.mark.parametrize(
    ("name", "rows", "scored", "expected"),
    [
        # Dataset A, see above: 1/sqrt(2).
        ("A", DATASET_A, True, 0.7071067811865476),
        # B: x = 1 0 1 0 (mean .5), y = 0 1 .25 .75 (mean .5); dx = .5 -.5 .5 -.5,
        # dy = -.5 .5 -.25 .25; sum dx*dy = -.25 - .25 - .125 - .125 = -.75; sum dx^2 = 1;
        # sum dy^2 = .25 + .25 + .0625 + .0625 = .625; r = -.75 / sqrt(.625) = -0.94868.
        ("B", DATASET_B, True, -0.9486832980505138),
        # C: x = 1 0 0 (mean 1/3), y = 1 .5 0 (mean .5); dx = 2/3 -1/3 -1/3, dy = .5 0 -.5;
        # sum dx*dy = 1/3 + 1/6 = .5; sum dx^2 = 6/9 = 2/3; sum dy^2 = .5;
        # r = .5 / sqrt(1/3) = sqrt(3)/2 = 0.86603.
        ("C", DATASET_C, False, 0.8660254037844387),
        # D: x = 1 0 1 (mean 2/3), y = 1/2 1/9 1 = 27/54 6/54 54/54 (mean 29/54);
        # dx = 1/3 -2/3 1/3, dy = -2/54 -23/54 25/54; sum dx*dy = (-2 + 46 + 25)/162 = 23/54;
        # sum dx^2 = 2/3; sum dy^2 = (4 + 529 + 625)/2916 = 1158/2916;
        # r = (23/54) / sqrt(2/3 * 1158/2916) = 23 / sqrt(772) = 0.82779.
        ("D", DATASET_D, True, 0.8277881133609988),
    ],
)
def test_discrimination_hand_computed(name, rows, scored, expected):
    assert s.discrimination(build(rows, scored=scored)) == pytest.approx(expected, abs=1e-12), name


def test_discrimination_is_unchanged_by_repeating_the_data():
    """Pearson's r of a dataset repeated k times equals the original's (means and ratios keep)."""
    assert s.discrimination(build(DATASET_B, repeat=8)) == pytest.approx(-0.9486832980505138, abs=1e-12)


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([(True, 5, 5), (True, 3, 5), (True, 1, 5)], "everyone right: var(x) = 0"),
        ([(False, 3, 5), (False, 1, 5)], "everyone wrong: var(x) = 0"),
        ([(True, 3, 5), (False, 2, 5)], "same rest 2/4 for both: var(y) = 0"),
        ([(True, 3, 5)], "one response"),
        ([], "no response"),
        ([(True, 1, 1), (False, 0, 1)], "no other scored item: no rest score"),
    ],
)
def test_discrimination_undefined_is_none(rows, why):
    assert s.discrimination(build(rows)) is None, why


@pytest.mark.parametrize(
    ("correct", "scored", "attempt_correct", "attempt_total", "rest"),
    [
        (True, True, 5, 5, 1.0),
        (False, True, 3, 5, 0.75),
        (True, True, 1, 5, 0.0),
        (True, False, 3, 4, 0.75),  # pretest: the scored total is all "rest"
        (False, False, 0, 4, 0.0),
        (True, True, 1, 1, None),
    ],
)
def test_rest_score(correct, scored, attempt_correct, attempt_total, rest):
    r = response(1, correct, attempt_correct, attempt_total, scored=scored)
    assert r.rest_score == rest


@pytest.mark.parametrize(
    ("choice", "order", "original"),
    [
        (0, [2, 0, 3, 1], 2),
        (1, [2, 0, 3, 1], 0),
        (3, [2, 0, 3, 1], 1),
        (None, [2, 0, 3, 1], None),
        (2, [0, 1, 2, 3], 2),
    ],
)
def test_original_option_maps_the_displayed_choice_back(choice, order, original):
    assert s.original_option(choice, order) == original


@pytest.mark.parametrize(
    ("mode", "answered", "counts"),
    [("practice", True, True), ("practice", False, False), ("exam", True, True), ("exam", False, True)],
)
def test_counts_as_response(mode, answered, counts):
    assert s.counts_as_response(mode, answered) is counts


def test_first_responses_keep_each_learners_earliest_attempt_across_versions():
    early_v1 = response(1, True, 3, 5, learner=10, started=T0, version=1)
    late_v2 = response(2, False, 3, 5, learner=10, started=T0 + timedelta(days=3), version=2)
    other = response(3, False, 3, 5, learner=11, started=T0 + timedelta(days=4), version=2)
    other_question = response(4, True, 3, 5, learner=10, started=T0 + timedelta(days=5), question=8)
    kept = s.first_responses([late_v2, other, early_v1, other_question])
    assert sorted(r.attempt_id for r in kept) == [1, 3, 4]
    stats = s.analyse([late_v2, other, early_v1, other_question], {(7, 1): 0, (7, 2): 0, (9, 1): 0})
    assert (stats[(7, 1)].n, stats[(7, 1)].facility) == (1, 1.0)
    assert (stats[(7, 2)].n, stats[(7, 2)].facility) == (1, 0.0)
    assert (stats[(9, 1)].n, stats[(9, 1)].facility, stats[(9, 1)].discrimination) == (0, None, None)
    assert (8, 1) not in stats


def test_options_are_counted_in_original_order_and_unanswered_chooses_none():
    rows = [
        response(1, True, 3, 5, option=2, answer=2),
        response(2, False, 2, 5, option=0, answer=2),
        response(3, False, 2, 5, option=0, answer=2),
        response(4, False, 0, 5, option=None, answer=2),  # unanswered exam item
    ]
    stats = s.item_statistics(7, 1, 2, rows)
    assert stats.options == (2, 0, 1, 0)
    assert stats.n == 4 and stats.facility == 0.25


@pytest.mark.parametrize(
    ("n", "facility", "disc", "options", "answer", "flags"),
    [
        # Below the minimum sample nothing is flagged, however bad it looks.
        (29, 1.0, -0.9, (29, 0, 0, 0), 0, ()),
        (30, 0.5, 0.4, (15, 5, 5, 5), 0, ()),
        (30, 29 / 30, 0.4, (29, 1, 0, 0), 0, ("too_easy", "unused_distractor")),
        (40, 0.95, 0.4, (38, 1, 1, 0), 0, ("unused_distractor",)),  # exactly 0.95 is not "> 0.95"
        (40, 0.2, 0.4, (8, 12, 10, 10), 0, ("distractor_over_key",)),  # exactly 0.20 is not "< 0.20"
        (40, 0.175, 0.4, (7, 11, 11, 11), 0, ("too_hard", "distractor_over_key")),
        (40, 0.5, 0.1, (20, 10, 5, 5), 0, ()),  # exactly 0.10 is not "< 0.10"
        (40, 0.5, 0.0999, (20, 10, 5, 5), 0, ("low_discrimination",)),
        (40, 0.5, -0.3, (20, 10, 5, 5), 0, ("low_discrimination",)),
        (40, 0.5, None, (20, 10, 5, 5), 0, ()),  # undefined discrimination is not flagged
        (40, 0.3, 0.3, (12, 12, 16, 0), 0, ("unused_distractor", "distractor_over_key")),
        (40, 0.3, 0.3, (12, 12, 16, 0), 2, ("unused_distractor",)),  # the key is option 2 here
    ],
)
def test_flags(n, facility, disc, options, answer, flags):
    assert s.flags_for(n, facility, disc, options, answer) == flags


def test_flags_from_responses_once_the_sample_is_large_enough():
    """Dataset A repeated 8 times: n = 32, facility .5, r = 0.70711; the wrong answers all
    chose option 1 (counts 16, 16, 0, 0), so options 2 and 3 are distractors nobody picks."""
    stats = s.item_statistics(7, 1, 0, build(DATASET_A, repeat=8))
    assert (stats.n, stats.facility, stats.options) == (32, 0.5, (16, 16, 0, 0))
    assert stats.discrimination == pytest.approx(0.7071067811865476)
    assert stats.flags == ("unused_distractor",)
    worse = s.item_statistics(7, 1, 0, build(DATASET_B, repeat=8))
    assert worse.flags == ("low_discrimination", "unused_distractor")
