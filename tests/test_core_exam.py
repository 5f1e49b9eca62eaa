"""The exam rules as tables: draw, pretest quota, timing, deadlines, scoring."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from prep.bank.blueprint_file import load_blueprint
from prep.core import exam
from tests.bankfiles import BLUEPRINT

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def blueprint():
    return load_blueprint(BLUEPRINT.parent)


def pool(blueprint, per_domain_extra=5, seen=None):
    seen = seen or {}
    quota = exam.pretest_quota(blueprint)
    candidates, n = [], 0
    for d in blueprint.domains:
        for _ in range(d.items + quota[d.slug] + per_domain_extra):
            n += 1
            candidates.append(exam.Candidate(n, d.slug, seen.get(n)))
    return candidates


def test_pretest_quota_follows_the_blueprint(blueprint):
    quota = exam.pretest_quota(blueprint)
    assert sum(quota.values()) == blueprint.pretest_items == 25
    assert quota == {
        "foundational-knowledge": 2,
        "communication-professionalism": 5,
        "law-ethics-compliance": 4,
        "scheduling": 4,
        "patient-encounter": 5,
        "billing-revenue-cycle": 2,
        "administrative-procedures": 3,
    }


@pytest.mark.parametrize("seed", range(5))
def test_draw_has_exact_domain_counts_and_hidden_pretest(blueprint, seed):
    drawn = exam.draw_exam(blueprint, pool(blueprint), random.Random(seed))
    assert len(drawn) == 135 and len({d.question_id for d in drawn}) == 135
    scored = Counter(d.domain for d in drawn if d.scored)
    assert scored == {d.slug: d.items for d in blueprint.domains}
    assert sum(not d.scored for d in drawn) == 25
    # Shuffled together: unscored items are not bunched at the end.
    positions = [i for i, d in enumerate(drawn) if not d.scored]
    assert positions != list(range(110, 135))


def test_draw_prefers_unseen_then_longest_unseen(blueprint):
    seen = {n: NOW - timedelta(days=n) for n in range(1, 400)}  # every item seen; lower ids more recently
    candidates = pool(blueprint, per_domain_extra=5, seen=seen)
    unseen_ids = {c.question_id for c in candidates[:3]}
    candidates = [
        exam.Candidate(c.question_id, c.domain, None if c.question_id in unseen_ids else c.last_seen)
        for c in candidates
    ]
    drawn = {d.question_id for d in exam.draw_exam(blueprint, candidates, random.Random(1))}
    assert unseen_ids <= drawn
    fk = [c for c in candidates if c.domain == "foundational-knowledge" and c.question_id not in unseen_ids]
    most_recent = min(fk, key=lambda c: NOW - c.last_seen)
    assert most_recent.question_id not in drawn


def test_a_small_pool_names_the_domain(blueprint):
    candidates = [c for c in pool(blueprint, 0) if not (c.domain == "scheduling" and c.question_id % 2)]
    with pytest.raises(exam.PoolTooSmall, match="scheduling"):
        exam.draw_exam(blueprint, candidates, random.Random(0))


@pytest.mark.parametrize(
    "accommodation,expected", [("standard", 8100), ("1.5x", 12150), ("2x", 16200), ("untimed", None)]
)
def test_time_limits(accommodation, expected):
    assert exam.time_limit_seconds(135, accommodation) == expected


def test_unknown_accommodation():
    with pytest.raises(ValueError):
        exam.time_limit_seconds(135, "3x")


@pytest.mark.parametrize(
    "offset,past,left",
    [(-1, False, 1), (0, True, 0), (1, True, 0), (-3600.5, False, 3600)],
)
def test_deadline_edges(offset, past, left):
    deadline = NOW
    now = NOW + timedelta(seconds=offset)
    assert exam.is_past_deadline(deadline, now) is past
    assert exam.seconds_left(deadline, now) == left


def test_untimed_has_no_deadline():
    assert exam.deadline_for(NOW, None) is None
    assert not exam.is_past_deadline(None, NOW + timedelta(days=400))
    assert exam.seconds_left(None, NOW) is None


def test_option_order_and_key_position():
    rng = random.Random(3)
    orders = {tuple(exam.option_order(rng)) for _ in range(200)}
    assert len(orders) == 24  # every permutation occurs
    order = [2, 0, 3, 1]
    assert exam.displayed_key(order, 3) == 2
    assert exam.in_display_order(["a", "b", "c", "d"], order) == ["c", "a", "d", "b"]


def test_score_counts_scored_items_only_and_unanswered_as_wrong():
    items = [
        exam.AnsweredItem("scheduling", True, True),
        exam.AnsweredItem("scheduling", True, False),
        exam.AnsweredItem("scheduling", False, True),  # pretest: not scored
        exam.AnsweredItem("billing-revenue-cycle", True, True),
    ]
    result = exam.score(items, ["billing-revenue-cycle", "scheduling"])
    assert (result.correct, result.total, result.percent) == (2, 3, 66.7)
    assert [(d.domain, d.correct, d.total) for d in result.domains] == [
        ("billing-revenue-cycle", 1, 1),
        ("scheduling", 1, 2),
    ]
    assert exam.weakest_domains(result, {"scheduling": 16, "billing-revenue-cycle": 11}) == ["scheduling"]


def test_practice_draw_respects_count_and_freshness():
    candidates = [exam.Candidate(n, "scheduling", NOW if n < 5 else None) for n in range(20)]
    drawn = exam.draw_practice(candidates, 10, random.Random(0))
    assert len(drawn) == 10 and all(d.question_id >= 5 for d in drawn)
