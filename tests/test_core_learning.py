"""Pure rules of the learning loop: ratings, due-ness, leeches, readiness, streaks, progress."""

from datetime import UTC, date, datetime, timedelta

import pytest

from prep.core import progress, readiness
from prep.core import review as rules

NOW = datetime(2026, 5, 20, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    "correct,guessed,rating",
    [(False, False, "again"), (False, True, "again"), (True, True, "hard"), (True, False, "good")],
)
def test_an_answer_becomes_a_rating(correct, guessed, rating):
    assert rules.rating_for_answer(correct, guessed) == rating


@pytest.mark.parametrize("correct,allowed", [(True, ("again", "hard", "good", "easy")), (False, ("again",))])
def test_a_wrong_answer_in_review_is_always_again(correct, allowed):
    assert rules.allowed_ratings(correct) == allowed


@pytest.mark.parametrize("value,expected", [("good", "good"), (" Easy ", "easy"), ("AGAIN", "again")])
def test_ratings_parse(value, expected):
    assert rules.parse_rating(value) == expected


@pytest.mark.parametrize("value", ["", "perfect", None, 3, ["good"]])
def test_bad_ratings_are_refused(value):
    with pytest.raises(rules.RatingError, match="again, hard, good, easy"):
        rules.parse_rating(value)


@pytest.mark.parametrize(
    "state,due,expected",
    [
        (rules.REVIEW, NOW, True),
        (rules.REVIEW, NOW - DAY, True),
        (rules.REVIEW, NOW + timedelta(minutes=5), False),
        (rules.LEARNING, NOW + timedelta(minutes=10), True),  # learn-ahead
        (rules.RELEARNING, NOW + timedelta(minutes=20), True),
        (rules.RELEARNING, NOW + timedelta(minutes=21), False),
    ],
)
def test_due_with_learn_ahead_for_learning_cards(state, due, expected):
    assert rules.is_due(state, due, NOW) is expected


@pytest.mark.parametrize("misses,leech", [(0, False), (3, False), (4, True), (9, True)])
def test_leech_after_four_misses(misses, leech):
    assert rules.is_leech(misses) is leech


@pytest.mark.parametrize("value,expected", [(0.8, 0.8), ("0.95", 0.95), (0.9, 0.9), ("0.874", 0.87)])
def test_desired_retention_in_range(value, expected):
    assert rules.check_retention(value) == expected


@pytest.mark.parametrize("value", [0.79, 0.96, "abc", None, 1])
def test_desired_retention_out_of_range(value):
    with pytest.raises(ValueError, match="desired retention"):
        rules.check_retention(value)


def test_day_start_is_utc_midnight():
    assert rules.day_start(datetime(2026, 5, 20, 23, 59, tzinfo=UTC)) == datetime(2026, 5, 20, tzinfo=UTC)


# Readiness

BLUEPRINT = {"a": 30, "b": 10}


def answers(domain, right, wrong, when=NOW):
    return [readiness.Answer(domain, True, when)] * right + [readiness.Answer(domain, False, when)] * wrong


@pytest.mark.parametrize(
    "age_days,weight",
    [(0, 1.0), (14, 0.5), (28, 0.25), (56, 0.0625), (readiness.EVIDENCE_WINDOW_DAYS + 1, 0.0)],
)
def test_recency_weight_halves_every_half_life(age_days, weight):
    assert readiness.recency_weight(NOW - timedelta(days=age_days), NOW) == pytest.approx(weight)


@pytest.mark.parametrize(
    "right,wrong,expected",
    [(1, 0, 1 / 3), (8, 0, 0.8), (18, 0, 0.9), (9, 9, 9 / 20), (0, 5, 0.0)],
)
def test_accuracy_is_pulled_down_by_thin_evidence(right, wrong, expected):
    accuracy, count = readiness.recent_accuracy(answers("a", right, wrong), NOW)
    assert accuracy == pytest.approx(expected) and count == right + wrong


def test_old_answers_count_less_than_recent_ones():
    old_wrong = answers("a", 0, 10, NOW - timedelta(days=42))  # weight 1/8 each
    recent_right = answers("a", 10, 0)
    accuracy, count = readiness.recent_accuracy(old_wrong + recent_right, NOW)
    assert accuracy == pytest.approx(10 / (10 + 10 / 8 + 2)) and count == 20


def test_readiness_without_evidence_is_zero_and_says_so():
    result = readiness.readiness(BLUEPRINT, [], [], NOW)
    assert result.overall == 0.0
    assert [(d.domain, d.mastery, d.answers, d.reviewed_items) for d in result.domains] == [
        ("a", None, 0, 0),
        ("b", None, 0, 0),
    ]


def test_readiness_responds_to_new_evidence():
    before = readiness.readiness(BLUEPRINT, answers("a", 4, 4), [], NOW)
    better = readiness.readiness(BLUEPRINT, answers("a", 12, 4), [], NOW)
    worse = readiness.readiness(BLUEPRINT, answers("a", 4, 12), [], NOW)
    assert worse.overall < before.overall < better.overall
    assert better.domains[0].answers == 16


def test_readiness_is_weighted_by_blueprint_counts():
    # The same mastery in the big domain moves overall readiness three times as much.
    in_big = readiness.readiness(BLUEPRINT, answers("a", 18, 0), [], NOW)
    in_small = readiness.readiness(BLUEPRINT, answers("b", 18, 0), [], NOW)
    assert in_big.overall == pytest.approx(0.9 * 30 / 40)
    assert in_small.overall == pytest.approx(0.9 * 10 / 40)


def test_mastery_combines_accuracy_and_retrievability():
    result = readiness.readiness(
        BLUEPRINT,
        answers("a", 8, 0),
        [readiness.ReviewedItem("a", 0.6), readiness.ReviewedItem("a", 1.0), readiness.ReviewedItem("b", 0.5)],
        NOW,
    )
    a, b = result.domains
    assert (a.accuracy, a.retrievability) == (pytest.approx(0.8), pytest.approx(1.6 / 4))
    assert a.mastery == pytest.approx(0.6) and a.reviewed_items == 2
    assert b.accuracy is None and b.mastery == pytest.approx(0.5 / 3)
    assert result.overall == pytest.approx((30 * 0.6 + 10 * 0.5 / 3) / 40)


def test_a_question_still_being_learned_counts_as_not_remembered():
    reviewed = [readiness.ReviewedItem("a", 1.0, learned=False), readiness.ReviewedItem("a", 0.9)]
    result = readiness.readiness(BLUEPRINT, [], reviewed, NOW)
    assert result.domains[0].retrievability == pytest.approx(0.9 / 4) and result.domains[0].reviewed_items == 2


def test_study_next_ranks_by_blueprint_points_to_gain():
    result = readiness.readiness({"a": 30, "b": 10, "c": 20}, answers("a", 18, 0) + answers("b", 0, 5), [], NOW)
    # a: 30 * 0.1 = 3 points left; b: 10 * 1 = 10; c (no evidence): 20.
    assert [d.domain for d in readiness.study_next(result)] == ["c", "b", "a"]


def test_weakest_topics_need_enough_answers():
    topic_answers = answers("hipaa", 1, 4) + answers("claims", 5, 0) + answers("icd", 0, 2)
    weakest = readiness.weakest_topics(topic_answers, NOW)
    assert [t.topic for t in weakest] == ["hipaa", "claims"]  # icd has only 2 answers


# Progress


def days(*offsets):
    today = date(2026, 5, 20)
    return {today - timedelta(days=n) for n in offsets}


@pytest.mark.parametrize(
    "studied,current,longest",
    [
        (days(), 0, 0),
        (days(0), 1, 1),
        (days(1, 2, 3), 3, 3),  # today not yet studied: the streak is still alive
        (days(0, 1, 2, 5, 6, 7, 8), 3, 4),
        (days(2, 3), 0, 2),
    ],
)
def test_streaks(studied, current, longest):
    assert progress.current_streak(studied, date(2026, 5, 20)) == current
    assert progress.longest_streak(studied) == longest


def test_study_days_are_utc_days():
    moments = [datetime(2026, 5, 19, 23, 59, tzinfo=UTC), datetime(2026, 5, 20, 0, 1, tzinfo=UTC)]
    assert progress.study_days(moments) == {date(2026, 5, 19), date(2026, 5, 20)}


def test_calendar_has_monday_first_weeks_up_to_today():
    grid = progress.calendar(days(0, 8), date(2026, 5, 20), weeks=2)  # 2026-05-20 is a Wednesday
    assert [len(w) for w in grid] == [7, 3]
    assert grid[0][0] == (date(2026, 5, 11), False)
    assert (date(2026, 5, 12), True) in grid[0] and grid[1][-1] == (date(2026, 5, 20), True)


def test_weekly_accuracy_per_domain():
    data = (
        answers("a", 3, 1) + answers("a", 1, 1, NOW - timedelta(days=7)) + answers("b", 0, 2, NOW - timedelta(days=30))
    )
    weekly = progress.weekly_accuracy(data, ["a", "b"], NOW.date(), weeks=2)
    assert [(w.week, w.correct, w.answered) for w in weekly["a"]] == [
        (date(2026, 5, 11), 1, 2),
        (date(2026, 5, 18), 3, 4),
    ]
    assert weekly["a"][1].percent == 75.0
    assert [w.answered for w in weekly["b"]] == [0, 0] and weekly["b"][0].percent is None


def test_due_per_day_counts_overdue_today():
    dues = [NOW - 3 * DAY, NOW, NOW + timedelta(hours=10), NOW + 2 * DAY, NOW + 20 * DAY]
    assert progress.due_per_day(dues, NOW, 3) == [
        (date(2026, 5, 20), 2),
        (date(2026, 5, 21), 1),
        (date(2026, 5, 22), 1),
    ]
