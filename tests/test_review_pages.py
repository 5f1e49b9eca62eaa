"""Review pages without JavaScript: queue, nav count, session, grading, leeches, flashcards, settings."""

import re

import pytest
from sqlalchemy import select, update

from prep.extensions import db
from prep.models import ReviewCard, ReviewSettings
from tests.conftest import csrf_token
from tests.learning import answer, card, key_position, logs, question_key, start
from tests.quizbank import seed_bank


@pytest.fixture
def learner(app, auth):
    """A logged-in learner (the test client) with a Bearer token for setting things up."""
    seed_bank(app)
    auth.login_as()
    return {"Authorization": f"Bearer {auth.api_token()}"}


def missed_one(app, client, headers) -> str:
    attempt = start(client, headers, mode="practice", domains=["scheduling"], count=5)
    answer(client, headers, attempt, 1, correct=False)
    return question_key(app, attempt, 1)


def options_of(page: str) -> dict[str, str]:
    """Radio value (original option index) -> option text, as shown on a review page."""
    found = re.findall(
        r'<input type="radio" name="choice" id="choice-\d" value="(\d)">\s*<label[^>]*><span class="option-letter">.\.</span> ([^<]+)</label>',
        page,
    )
    return dict(found)


def test_nav_shows_the_due_count_and_the_queue_lists_missed_items(app, client, learner):
    assert "Review (0 due)" in client.get("/dashboard").get_data(as_text=True)
    key = missed_one(app, client, learner)
    page = client.get("/review/").get_data(as_text=True)
    assert "Review (1 due)" in page and f'href="/review/q/{key}"' in page
    assert "Due for review (1)" in page


def test_practice_form_has_an_i_guessed_box_that_rates_hard(app, client, learner):
    attempt = start(client, learner, mode="practice", domains=["scheduling"], count=5)
    url = f"/quiz/{attempt['id']}/q/1"
    page = client.get(url).get_data(as_text=True)
    assert 'name="guessed"' in page and "I guessed" in page
    key = key_position(attempt["items"][0])
    client.post(url, data={"csrf_token": csrf_token(client, url), "choice": str(key), "guessed": "y"})
    saved = card(app, question_key(app, attempt, 1))
    assert [log.rating for log in logs(app, saved.id)] == [2]
    assert 'name="guessed"' not in client.get(url).get_data(as_text=True)  # answered: feedback shown


def test_exam_pages_have_no_i_guessed_box(client, learner):
    exam = start(client, learner, mode="exam")
    assert 'name="guessed"' not in client.get(f"/quiz/{exam['id']}/q/1").get_data(as_text=True)


def test_session_reviews_a_missed_item_wrong_then_right(app, client, learner):
    key = missed_one(app, client, learner)
    page = client.get("/review/session").get_data(as_text=True)
    assert f'action="/review/q/{key}"' in page and "Check answer" in page
    options = options_of(page)
    assert len(options) == 4
    right = next(v for v, text in options.items() if text.startswith("key "))
    wrong = next(v for v in options if v != right)
    token = csrf_token(client, "/review/session")

    checked = client.post(f"/review/q/{key}", data={"csrf_token": token, "choice": wrong})
    text = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Not correct" in text
    assert 'value="again"' in text and 'value="easy"' not in text  # wrong: again only
    refused = client.post(
        f"/review/q/{key}/grade", data={"csrf_token": token, "choice": wrong, "rating": "easy", "reps": "1"}
    )
    assert refused.status_code == 422 and card(app, key).reps == 1
    graded = client.post(
        f"/review/q/{key}/grade", data={"csrf_token": token, "choice": wrong, "rating": "again", "reps": "1"}
    )
    assert graded.status_code == 302 and graded.headers["Location"].endswith(f"/review/session?after={key}")
    assert card(app, key).reps == 2 and card(app, key).misses == 2
    # The same form sent again is recognised and not counted twice.
    again = client.post(
        f"/review/q/{key}/grade", data={"csrf_token": token, "choice": wrong, "rating": "again", "reps": "1"}
    )
    assert again.status_code == 302 and card(app, key).reps == 2

    checked = client.post(f"/review/q/{key}", data={"csrf_token": token, "choice": right})
    text = checked.get_data(as_text=True)
    assert "Correct" in text and 'value="easy"' in text and "Hard: I guessed" in text
    client.post(f"/review/q/{key}/grade", data={"csrf_token": token, "choice": right, "rating": "easy", "reps": "2"})
    assert card(app, key).state == 2  # review: out of the queue for days
    assert "Review (0 due)" in client.get("/review/").get_data(as_text=True)


def test_check_without_a_choice_names_the_problem_and_i_dont_know_is_a_miss(app, client, learner):
    key = missed_one(app, client, learner)
    token = csrf_token(client, "/review/")
    empty = client.post(f"/review/q/{key}", data={"csrf_token": token, "action": "check"})
    assert empty.status_code == 422 and "Choose an answer" in empty.get_data(as_text=True)
    unknown = client.post(f"/review/q/{key}", data={"csrf_token": token, "action": "dont-know"})
    assert unknown.status_code == 200 and 'value="again"' in unknown.get_data(as_text=True)
    assert client.post(f"/review/q/{key}", data={"action": "check"}).status_code == 400  # CSRF
    assert client.get("/review/q/no-such-question").status_code == 404


def test_session_adds_new_questions_from_weak_domains_then_is_done(app, client, learner):
    token = csrf_token(client, "/review/")
    keys = []
    for _ in range(5):
        page = client.get("/review/session").get_data(as_text=True)
        assert "New question" in page
        key = re.search(r'action="/review/q/([^"]+)"', page).group(1)
        keys.append(key)
        client.post(f"/review/q/{key}/grade", data={"csrf_token": token, "choice": "0", "rating": "good", "reps": "0"})
    assert len(set(keys)) == 5
    # Nothing due yet, today's five new questions are in: the session is done.
    assert "You are done for now" in client.get("/review/session").get_data(as_text=True)
    assert all(card(app, k).origin == "review" for k in keys)
    # With no evidence, the weakest domain is the one with the most blueprint items (21; a tie
    # broken by name); as each gains evidence, the next new question comes from another.
    assert keys[0].startswith("t-comm-") and keys[1].startswith("t-pati-")


def test_a_leech_is_noted_and_can_be_suspended_and_restored(app, client, learner):
    key = missed_one(app, client, learner)
    with app.app_context():
        db.session.execute(update(ReviewCard).where(ReviewCard.key == key).values(misses=4))
        db.session.commit()
    page = client.get(f"/review/q/{key}").get_data(as_text=True)
    assert "Leech:" in page and "missed this 4 times" in page
    card_id = card(app, key).id
    token = csrf_token(client, "/review/")
    assert client.post(f"/review/cards/{card_id}/suspend", data={"csrf_token": token}).status_code == 302
    assert card(app, key).suspended
    index = client.get("/review/").get_data(as_text=True)
    assert "Due for review (0)" in index and "Suspended (1)" in index and f"/review/cards/{card_id}/restore" in index
    assert client.get("/api/v1/reviews/due", headers=learner).json["count"] == 0
    client.post(f"/review/cards/{card_id}/restore", data={"csrf_token": token})
    assert not card(app, key).suspended
    assert "Leeches (1)" in client.get("/review/").get_data(as_text=True)


def test_word_part_flashcards_are_self_graded_and_scheduled(app, client, learner):
    page = client.get("/review/flashcards/word-parts").get_data(as_text=True)
    assert '<p class="flashcard-front">a-</p>' in page and "<summary>Show the answer</summary>" in page
    assert "without; not; absence of" in page and "apnea" in page
    token = csrf_token(client, "/review/flashcards")
    response = client.post(
        "/review/flashcards/word-parts", data={"csrf_token": token, "key": "prefix:a-", "rating": "good", "reps": "0"}
    )
    assert response.status_code == 302
    saved = card(app, "prefix:a-", kind="word-part")
    assert saved.reps == 1 and saved.origin == "flashcard"
    assert '<p class="flashcard-front">an-</p>' in client.get("/review/flashcards/word-parts").get_data(as_text=True)
    bad = client.post(
        "/review/flashcards/word-parts", data={"csrf_token": token, "key": "prefix:zz-", "rating": "good", "reps": "0"}
    )
    assert bad.status_code == 404
    bad = client.post(
        "/review/flashcards/word-parts", data={"csrf_token": token, "key": "prefix:an-", "rating": "meh", "reps": "0"}
    )
    assert bad.status_code == 422 and "rating must be one of" in bad.get_data(as_text=True)
    assert client.get("/review/flashcards/nope").status_code == 404


def test_ten_new_flashcards_a_day(app, client, learner):
    token = csrf_token(client, "/review/flashcards")
    for _ in range(10):
        page = client.get("/review/flashcards/word-parts").get_data(as_text=True)
        key = re.search(r'name="key" value="([^"]+)"', page).group(1)
        client.post(
            "/review/flashcards/word-parts", data={"csrf_token": token, "key": key, "rating": "easy", "reps": "0"}
        )
    assert "Nothing to study in this deck" in client.get("/review/flashcards/word-parts").get_data(as_text=True)
    assert "0 new today · 10 studied" in client.get("/review/flashcards").get_data(as_text=True)


def test_key_fact_flashcards_come_from_answered_questions(app, client, learner):
    assert "Nothing to study" in client.get("/review/flashcards/key-facts").get_data(as_text=True)
    key = missed_one(app, client, learner)
    page = client.get("/review/flashcards/key-facts").get_data(as_text=True)
    assert f'name="key" value="{key}"' in page and "<dt>Answer</dt><dd>key " in page and "<dt>Why</dt>" in page
    token = csrf_token(client, "/review/flashcards")
    client.post("/review/flashcards/key-facts", data={"csrf_token": token, "key": key, "rating": "hard", "reps": "0"})
    assert card(app, key, kind="fact").reps == 1
    assert card(app, key).reps == 1  # the question card is a separate card


def test_desired_retention_setting(app, client, learner):
    page = client.get("/review/settings").get_data(as_text=True)
    assert 'selected value="0.90"' in page and "Desired retention" in page
    token = csrf_token(client, "/review/settings")
    saved = client.post("/review/settings", data={"csrf_token": token, "desired_retention": "0.85"})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ReviewSettings.desired_retention)) == 0.85
    refused = client.post("/review/settings", data={"csrf_token": token, "desired_retention": "0.99"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.get_data(as_text=True)


def test_another_learner_never_sees_or_changes_my_cards(app, client, learner, auth):
    key = missed_one(app, client, learner)
    card_id = card(app, key).id
    other = app.test_client()
    auth.user(email="other@example.com")
    other.post(
        "/login",
        data={"email": "other@example.com", "password": "a long passphrase for tests", "csrf_token": csrf_token(other)},
    )
    page = other.get("/review/").get_data(as_text=True)
    assert "Review (0 due)" in page and key not in page
    token = csrf_token(other, "/review/")
    assert other.post(f"/review/cards/{card_id}/suspend", data={"csrf_token": token}).status_code == 404
    assert not card(app, key).suspended
    assert other.get("/api/v1/reviews/due").json == {"count": 0, "items": []}
    # Reviewing the same bank question makes the other learner a card of their own.
    assert other.get(f"/review/q/{key}").status_code == 200
    other.post(f"/review/q/{key}/grade", data={"csrf_token": token, "choice": "", "rating": "again", "reps": "0"})
    assert card(app, key).reps == 1 and card(app, key, email="other@example.com").reps == 1


def test_review_pages_need_login(client):
    for path in ("/review/", "/review/session", "/review/flashcards", "/review/settings", "/dashboard/attempts.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
