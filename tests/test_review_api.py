"""The reviews and progress API contract."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from prep.extensions import db
from prep.models import Question
from tests.learning import answer, bearer, question_key, start
from tests.quizbank import seed_bank


@pytest.fixture
def learner(app, auth):
    seed_bank(app)
    return bearer(auth)


def missed(app, client, headers, count: int = 1) -> list[str]:
    attempt = start(client, headers, mode="practice", domains=["billing-revenue-cycle"], count=5)
    for position in range(1, count + 1):
        answer(client, headers, attempt, position, correct=False)
    return [question_key(app, attempt, p) for p in range(1, count + 1)]


def test_due_reviews_shape(app, client, learner):
    empty = client.get("/api/v1/reviews/due", headers=learner)
    assert empty.status_code == 200 and empty.json == {"count": 0, "items": []}
    keys = missed(app, client, learner, count=2)
    data = client.get("/api/v1/reviews/due", headers=learner).json
    assert set(data) == {"count", "items"} and data["count"] == 2
    item = data["items"][0]
    assert set(item) == {"question_id", "due", "stem", "options"}
    assert {i["question_id"] for i in data["items"]} == set(keys)
    assert item["due"].endswith("Z") and datetime.fromisoformat(item["due"]).tzinfo is not None
    assert item["stem"].startswith("Test question") and len(item["options"]) == 4
    assert item["options"][0].startswith("key ")  # the bank's order


def test_post_a_rating_returns_the_next_due_and_state(app, client, learner):
    key = missed(app, client, learner)[0]
    response = client.post(f"/api/v1/reviews/{key}", json={"rating": "easy"}, headers=learner)
    assert response.status_code == 200
    assert set(response.json) == {"due", "state"}
    assert response.json["state"] == "review"
    assert datetime.fromisoformat(response.json["due"]) > datetime.now(UTC)
    assert client.get("/api/v1/reviews/due", headers=learner).json["count"] == 0


def test_rating_a_question_never_answered_starts_its_card(client, learner):
    response = client.post("/api/v1/reviews/t-sche-0", json={"rating": "again"}, headers=learner)
    assert response.status_code == 200 and response.json["state"] == "learning"
    assert client.get("/api/v1/reviews/due", headers=learner).json["items"][0]["question_id"] == "t-sche-0"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"rating": "perfect"}, "rating"),
        ({"rating": 3}, "rating"),
        ({}, "rating"),
        ({"rating": "good", "extra": 1}, "extra"),
    ],
)
def test_bad_rating_is_422_naming_the_field(client, learner, body, field):
    response = client.post("/api/v1/reviews/t-sche-0", json=body, headers=learner)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_input" and field in error["fields"]


def test_a_body_that_is_not_json_is_422(client, learner):
    response = client.post("/api/v1/reviews/t-sche-0", data="rating=good", headers=learner)
    assert response.status_code == 422 and "body" in response.json["error"]["fields"]


def test_unknown_or_retired_question_is_404(app, client, learner):
    response = client.post("/api/v1/reviews/no-such-item", json={"rating": "good"}, headers=learner)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    key = missed(app, client, learner)[0]
    with app.app_context():
        db.session.execute(update(Question).where(Question.key == key).values(retired_at=datetime.now(UTC)))
        db.session.commit()
    assert client.post(f"/api/v1/reviews/{key}", json={"rating": "good"}, headers=learner).status_code == 404
    assert client.get("/api/v1/reviews/due", headers=learner).json["count"] == 0  # retired: out of the queue


def test_progress_shape_and_evidence(app, client, learner):
    data = client.get("/api/v1/progress", headers=learner).json
    assert set(data) == {"readiness", "due_count", "streak_days"}
    assert set(data["readiness"]) == {"overall", "domains"}
    assert data["readiness"]["overall"] == 0 and data["due_count"] == 0 and data["streak_days"] == 0
    domains = data["readiness"]["domains"]
    assert [d["domain"] for d in domains][:2] == ["foundational-knowledge", "communication-professionalism"]
    assert len(domains) == 7 and set(domains[0]) == {"domain", "mastery", "evidence"}
    assert domains[0]["mastery"] is None and domains[0]["evidence"] == {"answers": 0, "reviewed_items": 0}

    attempt = start(client, learner, mode="practice", domains=["billing-revenue-cycle"], count=5)
    for position in range(1, 6):
        answer(client, learner, attempt, position, correct=position != 1)
    data = client.get("/api/v1/progress", headers=learner).json
    billing = next(d for d in data["readiness"]["domains"] if d["domain"] == "billing-revenue-cycle")
    assert billing["evidence"] == {"answers": 5, "reviewed_items": 5}
    assert 0 < billing["mastery"] < 1
    assert 0 < data["readiness"]["overall"] < billing["mastery"]
    assert data["due_count"] == 1 and data["streak_days"] == 1


def test_the_api_needs_credentials_and_shows_only_the_callers_cards(app, client, learner, auth):
    for path in ("/api/v1/reviews/due", "/api/v1/progress"):
        response = client.get(path)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    wrong = {"Authorization": "Bearer cmaa_not-a-token"}
    response = client.post("/api/v1/reviews/t-sche-0", json={"rating": "good"}, headers=wrong)
    assert response.status_code == 401
    missed(app, client, learner, count=2)
    other = bearer(auth, email="other@example.com")
    assert client.get("/api/v1/reviews/due", headers=other).json == {"count": 0, "items": []}
    assert client.get("/api/v1/progress", headers=other).json["due_count"] == 0


def test_a_collection_question_is_reviewable_only_by_a_learner_who_met_it(app, client, learner, auth):
    from prep.bank.importing import store_collection
    from prep.models import User
    from prep.models.base import utcnow
    from prep.review import services
    from tests.quizbank import make_item

    with app.app_context():
        collection = store_collection(db.session, "Assigned set", [make_item(1, "scheduling")], utcnow())
        key = f"c{collection.id}-0001"
        question_id = db.session.query(Question).filter_by(key=key).one().id
        user_id = db.session.query(User).filter_by(email="learner@example.com").one().id
        services.record_answer(db.session, user_id, question_id, False, False, utcnow())  # as an assigned practice does
        db.session.commit()
    due = client.get("/api/v1/reviews/due", headers=learner).json
    assert [i["question_id"] for i in due["items"]] == [key]
    assert client.post(f"/api/v1/reviews/{key}", json={"rating": "good"}, headers=learner).status_code == 200
    other = bearer(auth, email="other@example.com")
    assert client.post(f"/api/v1/reviews/{key}", json={"rating": "good"}, headers=other).status_code == 404
