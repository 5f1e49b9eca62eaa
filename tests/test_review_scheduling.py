"""Every answer feeds that learner's FSRS card: practice at once, exams when finalised."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from prep.extensions import db
from prep.models import Question, ReviewCard, ReviewLog
from prep.review import services
from tests.learning import answer, bearer, card, logs, question_key, start
from tests.quizbank import seed_bank

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def learner(app, auth):
    seed_bank(app)
    return bearer(auth)


def due_keys(client, headers) -> list[str]:
    return [i["question_id"] for i in client.get("/api/v1/reviews/due", headers=headers).json["items"]]


def test_a_missed_item_is_due_within_a_day_and_a_known_one_later(app, client, learner):
    with time_machine.travel(T0, tick=False):
        attempt = start(client, learner, mode="practice", domains=["scheduling"], count=5)
        assert answer(client, learner, attempt, 1, correct=False).status_code == 200
        assert answer(client, learner, attempt, 2, correct=True).status_code == 200
        missed_key, known_key = question_key(app, attempt, 1), question_key(app, attempt, 2)
        missed, known = card(app, missed_key), card(app, known_key)
        assert missed.due <= T0 + timedelta(days=1) and missed.misses == 1 and missed.reps == 1
        assert known.due > T0 + timedelta(days=1) and known.misses == 0
        assert [log.rating for log in logs(app, missed.id)] == [1]
        assert [log.rating for log in logs(app, known.id)] == [3]
        assert logs(app, known.id)[0].log["rating"] == 3 and logs(app, known.id)[0].source == "practice"
        # A just-missed item is in the queue at once (learn-ahead); the known one is not.
        assert due_keys(client, learner) == [missed_key]

    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        assert due_keys(client, learner) == [missed_key]

    with time_machine.travel(known.due + timedelta(minutes=1), tick=False):
        assert set(due_keys(client, learner)) == {missed_key, known_key}


def test_reviewing_again_and_good_moves_the_due_date(app, client, learner):
    with time_machine.travel(T0, tick=False):
        attempt = start(client, learner, mode="practice", domains=["scheduling"], count=5)
        answer(client, learner, attempt, 1, correct=False)
        key = question_key(app, attempt, 1)
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        again = client.post(f"/api/v1/reviews/{key}", json={"rating": "again"}, headers=learner).json
        assert again["state"] == "learning"
        assert datetime.fromisoformat(again["due"]) <= T0 + timedelta(minutes=30)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        good = client.post(f"/api/v1/reviews/{key}", json={"rating": "good"}, headers=learner).json
        assert good["state"] == "review"
        assert datetime.fromisoformat(good["due"]) >= T0 + timedelta(days=1)
    assert card(app, key).misses == 2 and card(app, key).reps == 3


def test_a_right_guess_rates_hard_and_comes_back_sooner_than_good(app, client, learner):
    with time_machine.travel(T0, tick=False):
        attempt = start(client, learner, mode="practice", domains=["scheduling"], count=5)
        assert answer(client, learner, attempt, 1, correct=True, guessed=True).status_code == 200
        answer(client, learner, attempt, 2, correct=True, guessed=False)
        guessed, known = card(app, question_key(app, attempt, 1)), card(app, question_key(app, attempt, 2))
    assert [log.rating for log in logs(app, guessed.id)] == [2]
    assert guessed.due < known.due and guessed.misses == 0


def test_guessed_is_practice_only_and_boolean(client, learner):
    exam = start(client, learner, mode="exam")
    refused = answer(client, learner, exam, 1, correct=True, guessed=True)
    assert refused.status_code == 422 and "guessed" in refused.json["error"]["fields"]
    practice = start(client, learner, mode="practice", count=5)
    bad = answer(client, learner, practice, 1, correct=True, guessed="yes")
    assert bad.status_code == 422 and "guessed" in bad.json["error"]["fields"]


def test_saving_the_same_practice_answer_twice_reviews_once(app, client, learner):
    attempt = start(client, learner, mode="practice", count=5)
    answer(client, learner, attempt, 1, correct=False)
    answer(client, learner, attempt, 1, correct=False)
    assert len(logs(app, card(app, question_key(app, attempt, 1)).id)) == 1


def test_exam_answers_update_cards_only_when_the_exam_is_finalised(app, client, learner):
    exam = start(client, learner, mode="exam")
    answer(client, learner, exam, 1, correct=True)
    answer(client, learner, exam, 2, correct=False)
    answer(client, learner, exam, 3, correct=False)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewCard.id))) == 0
    assert client.get("/api/v1/reviews/due", headers=learner).json["count"] == 0
    progress = client.get("/api/v1/progress", headers=learner).json
    assert sum(d["evidence"]["answers"] for d in progress["readiness"]["domains"]) == 0

    assert client.post(f"/api/v1/attempts/{exam['id']}/submit", headers=learner).status_code == 200
    client.post(f"/api/v1/attempts/{exam['id']}/submit", headers=learner)  # idempotent: no second review
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewCard.id))) == 3
        assert db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.source == "exam")) == 3
    assert card(app, question_key(app, exam, 2)).misses == 1
    due = client.get("/api/v1/reviews/due", headers=learner).json
    assert due["count"] == 2
    assert {i["question_id"] for i in due["items"]} == {question_key(app, exam, 2), question_key(app, exam, 3)}


def test_an_expired_exam_updates_cards_when_it_is_finalised(app, client, learner):
    with time_machine.travel(T0, tick=False):
        exam = start(client, learner, mode="exam")
        answer(client, learner, exam, 1, correct=False)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        assert client.get("/api/v1/attempts", headers=learner).status_code == 200  # finalises it
        assert card(app, question_key(app, exam, 1)).misses == 1


def test_desired_retention_changes_the_interval(app, auth):
    seed_bank(app)
    low, high = auth.user(email="low@example.com"), auth.user(email="high@example.com")
    with app.app_context():
        qid = db.session.scalar(select(Question.id).order_by(Question.id).limit(1))
        assert services.desired_retention(db.session, low) == 0.9  # the default
        services.set_desired_retention(db.session, low, 0.80)
        services.set_desired_retention(db.session, high, "0.95")
        for user in (low, high):
            services.record_answer(db.session, user, qid, True, False, T0)
            first = db.session.scalar(select(ReviewCard).where(ReviewCard.user_id == user))
            services.record_answer(db.session, user, qid, True, False, first.due)
        db.session.commit()
        interval = {c.user_id: c.due - c.last_review for c in db.session.scalars(select(ReviewCard))}
        assert services.desired_retention(db.session, high) == 0.95
    assert interval[low] > interval[high]
