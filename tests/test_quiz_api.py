"""The attempts API contract: start, save, deadline, submit, result, authorisation, bad input."""

from collections import Counter

import pytest
import time_machine

from prep.extensions import db
from prep.models import Attempt, AttemptItem
from tests.quizbank import seed_bank


@pytest.fixture
def learner(app, auth):
    seed_bank(app)
    auth.user()
    token = auth.api_token()
    return {"Authorization": f"Bearer {token}"}


def start(client, headers, **body):
    return client.post("/api/v1/attempts", json=body, headers=headers)


def test_exam_draw_is_exact_and_hides_domain_key_and_scored(app, client, learner):
    response = start(client, learner, mode="exam")
    assert response.status_code == 201
    data = response.json
    assert set(data) == {"id", "mode", "deadline", "items", "status", "seconds_left"}
    assert data["mode"] == "exam" and data["deadline"].endswith("Z")
    assert len(data["items"]) == 135
    assert set(data["items"][0]) == {"position", "stem", "options", "choice", "flagged"}
    assert [i["position"] for i in data["items"]] == list(range(1, 136))
    with app.app_context():
        items = db.session.query(AttemptItem).filter_by(attempt_id=data["id"]).all()
        assert Counter(i.domain for i in items if i.scored) == {
            "foundational-knowledge": 10,
            "communication-professionalism": 21,
            "law-ethics-compliance": 17,
            "scheduling": 16,
            "patient-encounter": 21,
            "billing-revenue-cycle": 11,
            "administrative-procedures": 14,
        }
        assert sum(not i.scored for i in items) == 25
        assert 134 * 60 < data["seconds_left"] <= 135 * 60


@pytest.mark.parametrize("timing,minutes", [("standard", 135), ("1.5x", 202.5), ("2x", 270)])
def test_accommodations_extend_the_deadline(client, learner, timing, minutes):
    data = start(client, learner, mode="exam", timing=timing).json
    assert abs(data["seconds_left"] - minutes * 60) <= 2


def test_untimed_exam_has_no_deadline(client, learner):
    data = start(client, learner, mode="exam", timing="untimed").json
    assert data["deadline"] is None and data["seconds_left"] is None


def test_options_are_shuffled_per_attempt_and_review_shows_what_was_seen(app, client, learner):
    first = start(client, learner, mode="exam").json
    orders = set()
    with app.app_context():
        for item in db.session.query(AttemptItem).filter_by(attempt_id=first["id"]):
            orders.add(tuple(item.option_order))
    assert len(orders) > 1
    item = first["items"][0]
    key_text = next(o for o in item["options"] if o.startswith("key "))
    key_index = item["options"].index(key_text)
    assert (
        client.put(f"/api/v1/attempts/{first['id']}/items/1", json={"choice": key_index}, headers=learner).status_code
        == 200
    )
    result = client.post(f"/api/v1/attempts/{first['id']}/submit", headers=learner).json
    reviewed = result["items"][0]
    assert reviewed["options"] == item["options"] and reviewed["answer"] == key_index and reviewed["correct"] is True


def test_answers_and_flags_are_saved_and_survive_a_reload(client, learner):
    attempt = start(client, learner, mode="exam").json
    url = f"/api/v1/attempts/{attempt['id']}"
    assert client.put(f"{url}/items/3", json={"choice": 2}, headers=learner).json == {
        "position": 3,
        "choice": 2,
        "flagged": False,
        "saved": True,
    }
    client.put(f"{url}/items/3", json={"flagged": True}, headers=learner)
    client.put(f"{url}/items/5", json={"choice": 1, "flagged": True}, headers=learner)
    again = client.get(url, headers=learner).json
    assert again["status"] == "open"
    assert (again["items"][2]["choice"], again["items"][2]["flagged"]) == (2, True)
    assert (again["items"][4]["choice"], again["items"][4]["flagged"]) == (1, True)
    cleared = client.put(f"{url}/items/5", json={"choice": None}, headers=learner).json
    assert cleared["choice"] is None


def test_server_keeps_the_deadline(app, client, learner):
    with time_machine.travel("2026-05-01 09:00:00Z", tick=False):
        attempt = start(client, learner, mode="exam").json
        key = next(i for i, o in enumerate(attempt["items"][0]["options"]) if o.startswith("key "))
        client.put(f"/api/v1/attempts/{attempt['id']}/items/1", json={"choice": key}, headers=learner)
    url = f"/api/v1/attempts/{attempt['id']}"
    with time_machine.travel("2026-05-01 11:14:59Z", tick=False):
        assert client.put(f"{url}/items/2", json={"choice": 0}, headers=learner).status_code == 200
        assert client.get(f"{url}/result", headers=learner).status_code == 409
    with time_machine.travel("2026-05-01 11:15:00Z", tick=False):
        late = client.put(f"{url}/items/3", json={"choice": 0}, headers=learner)
        assert late.status_code == 409
        assert late.json["error"]["code"] == "attempt_closed"
        state = client.get(url, headers=learner).json
        assert state["status"] == "expired" and state["seconds_left"] == 0
        assert state["items"][2]["choice"] is None
        result = client.get(f"{url}/result", headers=learner).json
    assert result["status"] == "expired"
    assert result["time_used_seconds"] == 135 * 60
    first = next(i for i in result["items"] if i["position"] == 1)
    assert first["correct"] is True


def test_expired_attempt_is_finalised_on_next_access_with_saved_answers_scored(app, client, learner):
    with time_machine.travel("2026-05-01 09:00:00Z", tick=False):
        attempt = start(client, learner, mode="exam").json
        for item in attempt["items"][:20]:
            key = next(i for i, o in enumerate(item["options"]) if o.startswith("key "))
            client.put(
                f"/api/v1/attempts/{attempt['id']}/items/{item['position']}", json={"choice": key}, headers=learner
            )
    with time_machine.travel("2026-05-02 09:00:00Z", tick=False):
        listing = client.get("/api/v1/attempts", headers=learner).json["attempts"]
    assert listing[0]["status"] == "expired"
    with app.app_context():
        stored = db.session.get(Attempt, attempt["id"])
        scored_right = (
            db.session.query(AttemptItem).filter_by(attempt_id=attempt["id"], scored=True, correct=True).count()
        )
        assert stored.score_correct == scored_right and stored.score_total == 110


def test_submit_is_idempotent_and_then_answers_are_refused(client, learner):
    attempt = start(client, learner, mode="exam").json
    url = f"/api/v1/attempts/{attempt['id']}"
    first = client.post(f"{url}/submit", headers=learner)
    second = client.post(f"{url}/submit", headers=learner)
    assert first.status_code == second.status_code == 200
    assert first.json["finished_at"] == second.json["finished_at"]
    assert client.put(f"{url}/items/1", json={"choice": 1}, headers=learner).status_code == 409
    result = client.get(f"{url}/result", headers=learner).json
    assert set(result) >= {"score", "domains", "items"}
    assert result["score"] == {"correct": 0, "total": 110, "percent": 0.0}
    assert set(result["items"][0]) >= {
        "position",
        "question_id",
        "version",
        "domain",
        "scored",
        "choice",
        "answer",
        "correct",
        "rationales",
    }
    assert sum(d["total"] for d in result["domains"]) == 110


def test_practice_gives_feedback_and_locks_the_answer(client, learner):
    data = start(client, learner, mode="practice", topics=["billing-coding"], count=5).json
    assert len(data["items"]) == 5 and data["deadline"] is None
    item = data["items"][0]
    wrong = next(i for i, o in enumerate(item["options"]) if not o.startswith("key "))
    url = f"/api/v1/attempts/{data['id']}/items/1"
    feedback = client.put(url, json={"choice": wrong}, headers=learner).json
    assert feedback["correct"] is False
    assert item["options"][feedback["answer"]].startswith("key ")
    assert feedback["rationales"][feedback["answer"]] == "Correct."
    assert feedback["references"] == ["Ref"]
    assert client.put(url, json={"choice": feedback["answer"]}, headers=learner).status_code == 409
    assert client.put(url, json={"choice": wrong}, headers=learner).status_code == 200  # same answer again: harmless
    assert client.put(url, json={"flagged": True}, headers=learner).status_code == 200


def test_practice_filters_topics_domains_difficulty(app, client, learner):
    data = start(client, learner, mode="practice", domains=["scheduling"], difficulty=[3], count=100).json
    with app.app_context():
        items = db.session.query(AttemptItem).filter_by(attempt_id=data["id"]).all()
        assert items and all(i.domain == "scheduling" and i.version.difficulty == 3 for i in items)


def test_practice_missed_unseen_and_flagged_filters(client, learner):
    first = start(client, learner, mode="practice", domains=["billing-revenue-cycle"], count=5).json
    url = f"/api/v1/attempts/{first['id']}/items"
    wrong = next(i for i, o in enumerate(first["items"][0]["options"]) if not o.startswith("key "))
    client.put(f"{url}/1", json={"choice": wrong}, headers=learner)
    client.put(f"{url}/2", json={"flagged": True}, headers=learner)
    missed = start(client, learner, mode="practice", filter="missed", count=5).json
    assert [i["stem"] for i in missed["items"]] == [first["items"][0]["stem"]]
    flagged = start(client, learner, mode="practice", filter="flagged", count=5).json
    assert [i["stem"] for i in flagged["items"]] == [first["items"][1]["stem"]]
    unseen = start(client, learner, mode="practice", domains=["billing-revenue-cycle"], filter="unseen", count=100).json
    seen_stems = {i["stem"] for i in first["items"]}
    assert unseen["items"] and not seen_stems & {i["stem"] for i in unseen["items"]}


def test_custom_time_limit_for_practice(client, learner):
    data = start(client, learner, mode="practice", count=5, time_limit_seconds=600).json
    assert 598 <= data["seconds_left"] <= 600


@pytest.mark.parametrize(
    "body,field",
    [
        ({"mode": "practice", "topics": ["astrology"]}, "topics"),
        ({"mode": "practice", "count": 4}, "count"),
        ({"mode": "practice", "count": 101}, "count"),
        ({"mode": "practice", "count": "ten"}, "count"),
        ({"mode": "practice", "difficulty": [4]}, "difficulty"),
        ({"mode": "practice", "filter": "hardest"}, "filter"),
        ({"mode": "practice", "time_limit_seconds": 30}, "time_limit_seconds"),
        ({"mode": "exam", "timing": "3x"}, "timing"),
        ({"mode": "quiz"}, "mode"),
        ({"mode": "practice", "domains": "scheduling!"}, "domains"),
    ],
)
def test_bad_start_input_names_the_field(client, learner, body, field):
    response = start(client, learner, **body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_bad_item_input(client, learner):
    attempt = start(client, learner, mode="exam").json
    url = f"/api/v1/attempts/{attempt['id']}/items"
    for body, field in [
        ({"choice": 7}, "choice"),
        ({"choice": "1"}, "choice"),
        ({"flagged": "yes"}, "flagged"),
        ({"colour": 1}, "colour"),
        ({}, "choice"),
    ]:
        response = client.put(f"{url}/1", json=body, headers=learner)
        assert response.status_code == 422, body
        assert field in response.json["error"]["fields"]
    assert client.put(f"{url}/136", json={"choice": 1}, headers=learner).json["error"]["fields"] == {
        "position": "position must be between 1 and 135."
    }
    assert client.put(f"{url}/1", data="not json", headers=learner).status_code == 422


def test_another_users_attempt_is_404(app, client, learner, auth):
    attempt = start(client, learner, mode="exam").json
    auth.user(email="other@example.com")
    other = {"Authorization": f"Bearer {auth.api_token('other@example.com')}"}
    base = f"/api/v1/attempts/{attempt['id']}"
    assert client.get(base, headers=other).status_code == 404
    assert client.put(f"{base}/items/1", json={"choice": 1}, headers=other).status_code == 404
    assert client.post(f"{base}/submit", headers=other).status_code == 404
    assert client.get(f"{base}/result", headers=other).status_code == 404
    assert client.get("/api/v1/attempts", headers=other).json == {"attempts": []}
    assert client.get(base).status_code == 401


def test_pool_too_small_is_a_clear_409(app, client, auth):
    auth.user()
    headers = {"Authorization": f"Bearer {auth.api_token()}"}
    response = start(client, headers, mode="exam")
    assert response.status_code == 409
    assert "too small" in response.json["error"]["message"]
