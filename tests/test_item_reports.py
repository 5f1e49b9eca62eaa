"""Item statistics over the API, learners' item reports, and the admins' queue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from prep.extensions import db
from prep.models import Attempt, ItemReport, Question
from prep.models.base import utcnow
from tests.classroom import answered_attempt, attempt_score, question_id, store_small_collection
from tests.conftest import csrf_token, make_user
from tests.quizbank import seed_bank


@pytest.fixture
def bank(app):
    items = seed_bank(app)
    return [i.id for i in items if i.domain == "scheduling"][:6]


def _bearer(auth, email):
    return {"Authorization": f"Bearer {auth.api_token(email)}"}


def _dataset_a(app, keys):
    """Dataset A of tests/test_core_item_stats.py through real attempts of 5 questions.

    Target = keys[0] (key: option 0). Learners 1-4 score 5, 3, 2, 0 of 5 and get the target
    right, right, wrong (chose option 2), wrong (chose option 3): n 4, facility 0.5,
    discrimination 1/sqrt(2) = 0.7071, options chosen 2/0/1/1.
    """
    target, others = keys[0], keys[1:5]
    plans = [
        (0, [0, 0, 0, 0]),
        (0, [0, 0, 1, 1]),
        (2, [0, 0, 1, 1]),
        (3, [1, 1, 1, 1]),
    ]
    learners = []
    for n, (chosen, rest) in enumerate(plans, start=1):
        uid = make_user(app, email=f"stat{n}@example.com", name=f"Stat {n}")
        learners.append(uid)
        attempt = answered_attempt(app, uid, {target: chosen, **dict(zip(others, rest, strict=True))}, seed=n)
        assert attempt_score(app, attempt)[1] == 5
    return learners


def test_item_stats_api_matches_the_hand_computed_values(app, client, auth, bank):
    learners = _dataset_a(app, bank)
    # A later attempt is not a first attempt: it does not count.
    later = utcnow() - timedelta(minutes=5)
    answered_attempt(app, learners[0], {k: 1 for k in bank[:5]}, started=later, seed=9)
    # An open attempt does not count either.
    with app.app_context():
        db.session.add(Attempt(user_id=learners[1], mode="practice", status="open", started_at=utcnow()))
        db.session.commit()
    auth.user(email="admin@example.com", role="admin", name="Ada Admin")
    response = client.get(f"/api/v1/items/{bank[0]}/stats", headers=_bearer(auth, "admin@example.com"))
    assert response.status_code == 200
    body = response.json
    assert body["discrimination"] == pytest.approx(0.7071, abs=1e-4)
    assert body == {
        "question_id": bank[0],
        "version": 1,
        "n": 4,
        "facility": 0.5,
        "discrimination": body["discrimination"],
        "options": [
            {"index": 0, "chosen": 2},
            {"index": 1, "chosen": 0},
            {"index": 2, "chosen": 1},
            {"index": 3, "chosen": 1},
        ],
        "flags": [],
    }
    missing = client.get(f"/api/v1/items/{bank[0]}/stats?version=2", headers=_bearer(auth, "admin@example.com"))
    assert missing.status_code == 404
    bad = client.get(f"/api/v1/items/{bank[0]}/stats?version=x", headers=_bearer(auth, "admin@example.com"))
    assert bad.status_code == 422 and bad.json["error"]["fields"] == {"version": "Must be a number."}
    assert client.get("/api/v1/items/nope/stats", headers=_bearer(auth, "admin@example.com")).status_code == 404


def test_item_stats_api_is_for_admins_only(client, auth, bank):
    auth.user(role="instructor", email="teacher@example.com")
    auth.user()
    for email in ("teacher@example.com", "learner@example.com"):
        response = client.get(f"/api/v1/items/{bank[0]}/stats", headers=_bearer(auth, email))
        assert response.status_code == 403
        assert response.json["error"]["code"] == "forbidden"
    assert client.get(f"/api/v1/items/{bank[0]}/stats").status_code == 401


def test_report_an_item_over_the_api(app, client, auth, bank):
    uid = auth.user()
    headers = _bearer(auth, "learner@example.com")
    answered_attempt(app, uid, {k: 0 for k in bank[:5]})
    response = client.post(
        f"/api/v1/items/{bank[0]}/reports", json={"kind": "wrong_key", "message": " B is right. "}, headers=headers
    )
    assert response.status_code == 201
    body = response.json
    assert {k: body[k] for k in ("question_id", "version", "kind", "message", "status")} == {
        "question_id": bank[0],
        "version": 1,
        "kind": "wrong_key",
        "message": "B is right.",
        "status": "open",
    }
    with app.app_context():
        report = db.session.get(ItemReport, body["id"])
        assert (report.user_id, report.source, report.question.key) == (uid, "api", bank[0])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "typo", "message": "x"}, "kind"),
        ({"kind": "unclear"}, "message"),
        ({"kind": "unclear", "message": "   "}, "message"),
        ({"kind": "unclear", "message": "x" * 2001}, "message"),
        ({"kind": "unclear", "message": "x", "severity": 3}, "severity"),
    ],
)
def test_bad_reports_name_the_field(client, auth, bank, body, field):
    auth.user()
    response = client.post(f"/api/v1/items/{bank[0]}/reports", json=body, headers=_bearer(auth, "learner@example.com"))
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_collection_questions_are_reportable_only_by_those_who_saw_them(app, client, auth):
    owner = auth.user(email="teacher@example.com", role="instructor")
    key = store_small_collection(app, owner)[0]
    auth.user()
    outsider = client.post(
        f"/api/v1/items/{key}/reports",
        json={"kind": "unclear", "message": "?"},
        headers=_bearer(auth, "learner@example.com"),
    )
    assert outsider.status_code == 404
    mine = client.post(
        f"/api/v1/items/{key}/reports",
        json={"kind": "unclear", "message": "?"},
        headers=_bearer(auth, "teacher@example.com"),
    )
    assert mine.status_code == 201


def _practice_page(client):
    token = csrf_token(client, "/quiz/")
    start = client.post(
        "/quiz/start", data={"csrf_token": token, "mode": "practice", "domains": "scheduling", "count": "5"}
    )
    return start.headers["Location"]


def test_report_from_a_practice_question_after_feedback(app, client, auth, bank):
    uid = auth.login_as()
    url = _practice_page(client)
    before = client.get(url).get_data(as_text=True)
    assert "Report a problem with this question" not in before
    attempt_id = int(url.split("/")[2])
    token = csrf_token(client, url)
    # Before feedback the report route is not available either.
    early = client.post(
        f"/reports/attempts/{attempt_id}/items/1", data={"csrf_token": token, "kind": "unclear", "message": "?"}
    )
    assert early.status_code == 404
    client.post(url, data={"csrf_token": token, "choice": "0", "action": "next"})
    page = client.get(url).get_data(as_text=True)
    assert "Report a problem with this question" in page
    assert f'action="/reports/attempts/{attempt_id}/items/1"' in page
    empty = client.post(
        f"/reports/attempts/{attempt_id}/items/1",
        data={"csrf_token": token, "kind": "unclear", "message": "", "source": "practice"},
    )
    assert empty.status_code == 422
    assert "Describe the problem in a few words." in empty.get_data(as_text=True)
    sent = client.post(
        f"/reports/attempts/{attempt_id}/items/1",
        data={"csrf_token": token, "kind": "outdated", "message": "The rule changed in 2025.", "source": "practice"},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/quiz/{attempt_id}/q/1")
    with app.app_context():
        report = db.session.query(ItemReport).one()
        item = db.session.get(Attempt, attempt_id).items[0]
        assert (report.user_id, report.kind, report.source) == (uid, "outdated", "practice")
        assert (report.question_id, report.version_id) == (item.question_id, item.version_id)


def test_report_from_the_result_review_and_not_during_an_exam(app, client, auth, bank):
    uid = auth.login_as()
    attempt_id = answered_attempt(app, uid, {k: 1 for k in bank[:5]})
    result = client.get(f"/quiz/{attempt_id}/result").get_data(as_text=True)
    assert result.count("Report a problem with this question") == 5
    assert len(set(re.findall(r'id="(report-message-\d+)"', result))) == 5
    token = csrf_token(client, f"/quiz/{attempt_id}/result")
    sent = client.post(
        f"/reports/attempts/{attempt_id}/items/3?from=review",
        data={"csrf_token": token, "kind": "wrong_key", "message": "Key?", "source": "review"},
    )
    assert sent.headers["Location"].endswith(f"/quiz/{attempt_id}/result#review-3")
    with app.app_context():
        open_exam = Attempt(user_id=uid, mode="exam", status="open", started_at=utcnow())
        db.session.add(open_exam)
        db.session.commit()
        open_id = open_exam.id
    other_attempt = answered_attempt(app, make_user(app, email="other@example.com"), {k: 0 for k in bank[:5]})
    assert client.get(f"/reports/attempts/{open_id}/items/1").status_code == 404
    assert client.get(f"/reports/attempts/{other_attempt}/items/1").status_code == 404


def test_admin_queue_shows_stats_and_resolves_or_retires(app, client, auth, bank):
    learners = _dataset_a(app, bank)
    with app.app_context():
        qid = question_id(app, bank[0])
        version_id = db.session.get(Question, qid).current_version_id
        for n, uid in enumerate(learners[:2]):
            db.session.add(
                ItemReport(
                    question_id=qid,
                    version_id=version_id,
                    user_id=uid,
                    kind="wrong_key",
                    message=f"msg {n}",
                    source="review",
                )
            )
        db.session.commit()
    auth.login_as(email="learner@example.com")
    assert client.get("/admin/reports").status_code == 403
    assert client.get("/admin/items").status_code == 403
    auth.logout()
    auth.login_as(email="admin@example.com", role="admin", name="Ada Admin")
    page = client.get("/admin/reports").get_data(as_text=True)
    assert page.count('class="report-card"') == 2
    assert "msg 0" in page and "First attempts (n)</dt><dd>4</dd>" in page and "0.71" in page
    assert "next <code>bank sync</code>" in page
    items = client.get("/admin/items?show=all").get_data(as_text=True)
    assert f"{bank[0]} v1" in items
    token = csrf_token(client, "/admin/reports")
    with app.app_context():
        first, second = (r.id for r in db.session.query(ItemReport).order_by(ItemReport.id))
    client.post(f"/admin/reports/{first}/resolve", data={"csrf_token": token})
    retired = client.post(f"/admin/questions/{qid}/retire", data={"csrf_token": token}, follow_redirects=True)
    text = retired.get_data(as_text=True)
    assert "1 open report(s) closed" in text and "the next bank sync restores it" in text
    with app.app_context():
        assert db.session.get(Question, qid).retired_at is not None
        statuses = {r.id: r.status for r in db.session.query(ItemReport)}
        assert statuses == {first: "resolved", second: "retired"}
    assert client.get("/admin/reports").get_data(as_text=True).count('class="report-card"') == 0
    assert client.get("/admin/reports?show=closed").get_data(as_text=True).count('class="report-card"') == 2
    assert client.post("/admin/reports/999999/resolve", data={"csrf_token": token}).status_code == 404


def test_report_from_a_flashcard_or_a_review_by_public_id(app, client, auth, bank):
    uid = auth.login_as()
    answered_attempt(app, uid, {k: 0 for k in bank[:5]})
    page = client.get(f"/reports/questions/{bank[0]}?from=flashcards")
    assert page.status_code == 200 and 'value="flashcards"' in page.get_data(as_text=True)
    token = csrf_token(client, f"/reports/questions/{bank[0]}")
    sent = client.post(
        f"/reports/questions/{bank[0]}",
        data={"csrf_token": token, "kind": "unclear", "message": "The back is confusing.", "source": "flashcards"},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/review/flashcards")
    bad_source = client.post(
        f"/reports/questions/{bank[0]}", data={"csrf_token": token, "kind": "unclear", "message": "x", "source": "x"}
    )
    assert bad_source.status_code == 422
    assert client.get("/reports/questions/no-such-question").status_code == 404
    with app.app_context():
        report = db.session.query(ItemReport).one()
        assert (report.source, report.user_id, report.question.key) == ("flashcards", uid, bank[0])
