"""The dashboard after real study: readiness, what to study next, charts, exports."""

import csv
import io
import json
import re
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import genanki
import pytest
import time_machine
from sqlalchemy import event

from prep.extensions import db
from prep.models import Attempt
from prep.review import anki
from prep.review.terminology import word_parts
from tests.conftest import csrf_token
from tests.learning import answer, question_key, start
from tests.quizbank import seed_bank

OPTION_RE = re.compile(
    r'id="choice-(\d)" value="\d"[^>]*>\s*<label[^>]*><span class="option-letter">.\.</span> ([^<]+)</label>'
)


@pytest.fixture
def learner(app, auth):
    seed_bank(app)
    auth.login_as()
    return {"Authorization": f"Bearer {auth.api_token()}"}


def _choice(page: str, right: bool) -> str:
    options = OPTION_RE.findall(page)
    key = next(i for i, text in options if text.startswith("key "))
    return key if right else str((int(key) + 1) % 4)


def take_mock_exam_through_the_pages(client, answers: list[bool]) -> str:
    token = csrf_token(client, "/quiz/")
    started = client.post("/quiz/start", data={"csrf_token": token, "mode": "exam", "timing": "standard"})
    base = started.headers["Location"].rsplit("/q/", 1)[0]
    for position, right in enumerate(answers, start=1):
        page = client.get(f"{base}/q/{position}").get_data(as_text=True)
        client.post(
            f"{base}/q/{position}", data={"csrf_token": token, "choice": _choice(page, right), "action": "next"}
        )
    assert client.post(f"{base}/submit", data={"csrf_token": token}).status_code == 302
    return base


def test_after_a_mock_exam_the_learner_sees_due_reviews_and_charts(client, learner):
    before = client.get("/dashboard").get_data(as_text=True)
    assert "No mock exam yet" in before and "no evidence yet" in before
    take_mock_exam_through_the_pages(client, [True, False, False, True])

    page = client.get("/dashboard").get_data(as_text=True)
    assert "Welcome, Lee Learner" in page
    assert "Review (2 due)" in page and "Review 2 due questions" in page
    assert "An estimate, not a prediction." in page and "does not predict your NHA score" in page
    assert "based on 4 answers from the last 112 days and 4 reviewed questions" in page
    for title in ("Mock exam scores over time", "Reviews due per day", "Study days over the last 12 weeks"):
        assert f">{title}</title>" in page
    assert page.count('role="img"') == 7 + 3  # accuracy per domain (7), exams, due, study days
    assert "<summary>Mock exam scores as a table</summary>" in page
    assert re.search(r"<td>[012] of 110</td><td>[01]\.[089]%</td>", page)  # pretest items are unscored
    assert '<circle class="chart-point"' in page and 'class="cal-on"' in page
    assert "1-day streak" in page
    # What to study next: one click to a targeted practice set.
    assert len(re.findall(r'<input type="hidden" name="domains" value="[a-z-]+">', page)) == 3
    assert "style=" not in page

    review = client.get("/review/").get_data(as_text=True)
    assert "Due for review (2)" in review


def test_one_click_targeted_practice(app, client, learner):
    page = client.get("/dashboard").get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="/quiz/start" class="inline-form">.*?name="domains" value="([^"]+)".*?</form>',
        page,
        re.S,
    )
    domain = form.group(1)
    response = client.post(
        "/quiz/start",
        data={"csrf_token": csrf_token(client, "/dashboard"), "mode": "practice", "domains": domain, "count": "10"},
    )
    assert response.status_code == 302 and "/q/1" in response.headers["Location"]
    with app.app_context():
        attempt = db.session.query(Attempt).one()
        assert attempt.settings["domains"] == [domain] and attempt.item_count == 10


def test_weak_topics_appear_with_a_practice_button(app, client, learner):
    attempt = start(client, learner, mode="practice", domains=["law-ethics-compliance"], count=5)
    for position in range(1, 6):
        answer(client, learner, attempt, position, correct=position == 1)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'name="topics" value="hipaa"' in page and "weak topic: 14% recent accuracy over 5 answers" in page


def count_queries(app, client, path: str) -> int:
    statements = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_the_dashboard_runs_a_fixed_number_of_queries(app, client, learner):
    attempt = start(client, learner, mode="practice", count=5)
    answer(client, learner, attempt, 1, correct=False)
    few = count_queries(app, client, "/dashboard")
    for _ in range(3):
        attempt = start(client, learner, mode="practice", count=20)
        for position in range(1, 21):
            answer(client, learner, attempt, position, correct=position % 3 == 0)
    exam = start(client, learner, mode="exam")
    answer(client, learner, exam, 1, correct=True)
    client.post(f"/api/v1/attempts/{exam['id']}/submit", headers=learner)
    assert count_queries(app, client, "/dashboard") == few


def test_attempts_csv_hides_the_key_of_an_exam_in_progress(app, client, learner):
    practice = start(client, learner, mode="practice", count=5)
    answer(client, learner, practice, 1, correct=False)
    exam = start(client, learner, mode="exam")
    answer(client, learner, exam, 1, correct=True)
    response = client.get("/dashboard/attempts.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5 + 135
    first = rows[0]
    assert first["mode"] == "practice" and first["question_id"] == question_key(app, practice, 1)
    assert first["correct"] == "no" and first["choice"] and first["answer"] and first["choice"] != first["answer"]
    in_exam = next(r for r in rows if r["mode"] == "exam" and r["position"] == "1")
    assert in_exam["choice"] and in_exam["answer"] == "" and in_exam["correct"] == "" and in_exam["domain"] == ""


def read_apkg(data: bytes, folder) -> dict:
    """Open an .apkg as Anki would: a zip holding the collection as an SQLite database."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        assert json.loads(archive.read("media")) == {}
        collection = archive.read("collection.anki2")
    path = folder / f"collection-{len(list(folder.iterdir()))}.anki2"
    path.write_bytes(collection)
    connection = sqlite3.connect(path)
    try:
        notes = connection.execute("select guid, mid, flds from notes").fetchall()
        models = json.loads(connection.execute("select models from col").fetchone()[0])
        decks = json.loads(connection.execute("select decks from col").fetchone()[0])
        cards = connection.execute("select count(*) from cards").fetchone()[0]
    finally:
        connection.close()
    return {"notes": notes, "models": models, "decks": decks, "cards": cards}


def test_the_anki_export_is_a_valid_package_with_stable_note_ids(app, client, learner, tmp_path):
    attempt = start(client, learner, mode="practice", domains=["scheduling"], count=5)
    answer(client, learner, attempt, 1, correct=False)
    answer(client, learner, attempt, 2, correct=False)
    answer(client, learner, attempt, 3, correct=True)
    missed = sorted(question_key(app, attempt, p) for p in (1, 2))
    parts = word_parts(app.config["QUESTION_BANK_PATH"])

    with time_machine.travel(datetime.now(UTC) + timedelta(days=1)):
        first = client.get("/review/export/cmaa-prep.apkg")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=9)):
        second = client.get("/review/export/cmaa-prep.apkg")
    assert first.status_code == 200 and "attachment" in first.headers["Content-Disposition"]
    one, two = read_apkg(first.data, tmp_path), read_apkg(second.data, tmp_path)

    assert len(one["notes"]) == len(missed) + len(parts) == one["cards"]
    assert {g for g, _, _ in one["notes"]} == {g for g, _, _ in two["notes"]}
    guids = {g for g, _, _ in one["notes"]}
    assert {genanki.guid_for("cmaa-prep", "question", key) for key in missed} <= guids
    assert genanki.guid_for("cmaa-prep", "word-part", "prefix:a-") in guids
    assert set(one["models"]) == set(two["models"]) == {str(anki.MODEL_QUESTION_ID), str(anki.MODEL_TERM_ID)}
    assert {str(anki.DECK_MISSED_ID), str(anki.DECK_TERMS_ID)} <= set(one["decks"])
    question_fields = [f for _, mid, f in one["notes"] if mid == anki.MODEL_QUESTION_ID]
    assert len(question_fields) == 2 and all("Test question" in f for f in question_fields)
