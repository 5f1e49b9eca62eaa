"""The quiz pages work without JavaScript: start, answer, navigate, review, submit, results."""

import re

import pytest

from prep.extensions import db
from prep.models import Attempt
from tests.conftest import csrf_token
from tests.quizbank import seed_bank


@pytest.fixture
def learner(app, auth):
    seed_bank(app)
    auth.login_as()


def _start(client, **form):
    token = csrf_token(client, "/quiz/")
    return client.post("/quiz/start", data={"csrf_token": token, **form})


def _key_position(page: str) -> str:
    labels = re.findall(
        r'id="choice-(\d)" value="\d"[^>]*>\s*<label[^>]*><span class="option-letter">.\.</span> ([^<]+)</label>', page
    )
    return next(i for i, text in labels if text.startswith("key "))


def test_start_page_lists_topics_domains_and_exam(client, learner):
    page = client.get("/quiz/").get_data(as_text=True)
    assert "Full mock exam" in page and "135 questions" in page and "135 minutes" in page
    assert 'value="billing-coding"' in page and 'value="scheduling"' in page


def test_practice_flow_with_feedback(app, client, learner):
    response = _start(client, mode="practice", topics="billing-coding", count="5")
    assert response.status_code == 302
    question_url = response.headers["Location"]
    page = client.get(question_url).get_data(as_text=True)
    assert "Question 1 of 5" in page and "Check answer" in page
    key = _key_position(page)
    token = csrf_token(client, question_url)
    answered = client.post(question_url, data={"csrf_token": token, "choice": key, "action": "next"})
    assert answered.headers["Location"].endswith("/q/1")
    page = client.get(question_url).get_data(as_text=True)
    assert '<h2 id="feedback-heading">Correct</h2>' in page
    assert "References:" in page and "Next question" in page


def test_exam_flow_answer_flag_navigate_review_submit_result(app, client, learner):
    response = _start(client, mode="exam", timing="standard")
    base = response.headers["Location"].rsplit("/q/", 1)[0]
    page = client.get(f"{base}/q/1").get_data(as_text=True)
    assert "Question 1 of 135" in page and "Time left:" in page
    assert "scored" not in page.lower().replace("unscored", "")
    token = csrf_token(client, f"{base}/q/1")
    key = _key_position(page)
    nxt = client.post(f"{base}/q/1", data={"csrf_token": token, "choice": key, "flagged": "y", "action": "next"})
    assert nxt.headers["Location"].endswith("/q/2")
    client.post(f"{base}/q/2", data={"csrf_token": token, "choice": "0", "action": "goto-10"})
    client.post(f"{base}/q/10", data={"csrf_token": token, "choice": "1", "action": "prev"})
    client.post(f"{base}/q/10", data={"csrf_token": token, "action": "clear"})
    navigator = client.get(f"{base}/q/1?show=flagged").get_data(as_text=True)
    assert re.search(r">1<span class=\"visually-hidden\">, answered, flagged</span>", navigator)
    review = client.get(f"{base}/review").get_data(as_text=True)
    assert "Unanswered (133)" in review and "Flagged for review (1)" in review
    submitted = client.post(f"{base}/submit", data={"csrf_token": token})
    assert submitted.headers["Location"].endswith("/result")
    result = client.get(f"{base}/result").get_data(as_text=True)
    assert "on scored questions" in result and "NHA does not publish" in result
    wrong_only = client.get(f"{base}/result?show=unanswered").get_data(as_text=True)
    assert wrong_only.count('class="review-item"') == 133
    # After submission the question pages lead to the result and answers are refused.
    assert client.get(f"{base}/q/1").headers["Location"].endswith("/result")
    late = client.post(f"{base}/q/1", data={"csrf_token": token, "choice": "0"})
    assert late.headers["Location"].endswith("/result")
    history = client.get("/quiz/history").get_data(as_text=True)
    assert "Mock exam" in history and "Submitted" in history


def test_practice_missed_items_in_one_click(app, client, learner):
    response = _start(client, mode="practice", domains="scheduling", count="5")
    base = response.headers["Location"].rsplit("/q/", 1)[0]
    token = csrf_token(client, f"{base}/q/1")
    client.post(f"{base}/submit", data={"csrf_token": token})
    again = client.post(f"{base}/practice-missed", data={"csrf_token": token})
    assert again.status_code == 302
    new_id = int(again.headers["Location"].split("/quiz/")[1].split("/")[0])
    with app.app_context():
        assert db.session.get(Attempt, new_id).item_count == 5


def test_bad_start_form_shows_the_field_error(client, learner):
    response = _start(client, mode="practice", count="500")
    assert response.status_code == 422
    assert "count must be between 5 and 100" in response.get_data(as_text=True)


def test_pages_of_another_learners_attempt_are_404(app, client, learner, auth):
    response = _start(client, mode="exam")
    base = response.headers["Location"].rsplit("/q/", 1)[0]
    other = app.test_client()
    auth.user(email="other@example.com")
    other.post(
        "/login",
        data={"email": "other@example.com", "password": "a long passphrase for tests", "csrf_token": csrf_token(other)},
    )
    token = csrf_token(other, "/quiz/")
    for path in (f"{base}/q/1", f"{base}/review", f"{base}/result"):
        assert other.get(path).status_code == 404
    assert other.post(f"{base}/submit", data={"csrf_token": token}).status_code == 404
    assert other.post(f"{base}/q/1", data={"csrf_token": token, "choice": "1"}).status_code == 404


def test_quiz_forms_need_csrf(client, learner):
    assert client.post("/quiz/start", data={"mode": "exam"}).status_code == 400
