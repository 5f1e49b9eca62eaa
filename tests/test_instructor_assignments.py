"""Assignments: a practice set or a mock exam for a cohort, on the learners' dashboard; starting
one links the attempt; the instructor sees who completed it and their scores."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from prep.extensions import db
from prep.models import Assignment, Attempt
from prep.models.base import utcnow
from tests.classroom import new_cohort, person, post
from tests.quizbank import seed_bank


@pytest.fixture
def cohort(app):
    seed_bank(app)
    instructor, _ = person(app, "teacher@example.com", role="instructor", name="Tess Teacher")
    cohort_id, code = new_cohort(app, instructor)
    learner, learner_id = person(app, "lee@example.com", name="Lee Learner")
    post(learner, "/cohorts/join", {"code": code}, page="/cohorts/")
    return instructor, cohort_id, learner, learner_id


def _assign(instructor, cohort_id, **form):
    data = {
        "kind": "practice",
        "title": "Scheduling drill",
        "due_on": (utcnow().date() + timedelta(days=7)).isoformat(),
    }
    data.update(form)
    return post(instructor, f"/instructor/cohorts/{cohort_id}/assignments/new", data, page="/instructor/")


def _key_choice(page: str) -> str:
    labels = re.findall(
        r'id="choice-(\d)" value="\d"[^>]*>\s*<label[^>]*><span class="option-letter">.\.</span> ([^<]+)</label>', page
    )
    return next(i for i, text in labels if text.startswith("key "))


def test_practice_assignment_from_dashboard_to_completion(app, cohort):
    instructor, cohort_id, learner, learner_id = cohort
    created = _assign(instructor, cohort_id, domains="scheduling", count="5")
    assert created.status_code == 302
    assignment_id = int(created.headers["Location"].rsplit("/", 1)[1])
    dashboard = learner.get("/dashboard").get_data(as_text=True)
    assert "Scheduling drill" in dashboard and "Not started" in dashboard
    assert f'action="/cohorts/assignments/{assignment_id}/start"' in dashboard

    started = post(learner, f"/cohorts/assignments/{assignment_id}/start")
    question_url = started.headers["Location"]
    attempt_id = int(question_url.split("/")[2])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.assignment_id == assignment_id and attempt.item_count == 5
        assert {i.domain for i in attempt.items} == {"scheduling"}
    again = post(learner, f"/cohorts/assignments/{assignment_id}/start")
    assert again.headers["Location"] == question_url  # continues the same attempt
    assert "In progress" in instructor.get(f"/instructor/assignments/{assignment_id}").get_data(as_text=True)

    for position in range(1, 6):
        url = f"/quiz/{attempt_id}/q/{position}"
        choice = _key_choice(learner.get(url).get_data(as_text=True)) if position <= 3 else "0"
        post(learner, url, {"choice": choice, "action": "next"}, page=url)
    post(learner, f"/quiz/{attempt_id}/submit", page=f"/quiz/{attempt_id}/review")
    with app.app_context():
        correct = db.session.get(Attempt, attempt_id).score_correct
    page = instructor.get(f"/instructor/assignments/{assignment_id}").get_data(as_text=True)
    assert "1 of 1 learners." in page
    assert f"{correct} of 5 ({round(100 * correct / 5, 1)}%)" in page and ">Completed<" in page
    assert (
        post(learner, f"/cohorts/assignments/{assignment_id}/start")
        .headers["Location"]
        .endswith(f"/quiz/{attempt_id}/result")
    )
    assert "See the result" in learner.get("/dashboard").get_data(as_text=True)
    cohort_page = instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    assert "completed by 1 of 1" in cohort_page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title learners will recognise."),
        ({"due_on": "2020-01-01"}, "due_on", "The due date has passed"),
        ({"count": "3"}, "count", "Number must be between 5 and 100."),
        ({"count": ""}, "count", "Choose between 5 and 100 questions."),
        ({"topics": "nonsense"}, "topics", "is not a valid choice for this field."),
    ],
)
def test_bad_assignments_name_the_field(app, cohort, form, field, message):
    instructor, cohort_id, *_ = cohort
    response = _assign(instructor, cohort_id, **{"count": "10", **form})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert db.session.query(Assignment).count() == 0


def test_mock_exam_assignment_with_a_learners_accommodation(app, cohort):
    instructor, cohort_id, learner, learner_id = cohort
    other, other_id = person(app, "ola@example.com", name="Ola Other")
    code = re.search(
        r'class="join-code">([A-Z0-9-]+)<', instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    )
    post(other, "/cohorts/join", {"code": code.group(1)}, page="/cohorts/")
    created = _assign(instructor, cohort_id, kind="exam", title="Mock exam 1", timing="standard")
    assignment_id = int(created.headers["Location"].rsplit("/", 1)[1])
    page = instructor.get(f"/instructor/assignments/{assignment_id}").get_data(as_text=True)
    assert f'name="timing-{learner_id}"' in page
    saved = post(
        instructor,
        f"/instructor/assignments/{assignment_id}/accommodations",
        {f"timing-{learner_id}": "2x", f"timing-{other_id}": "standard", "timing-999999": "untimed"},
    )
    assert saved.status_code == 302
    now = utcnow()
    for client, minutes in ((learner, 270), (other, 135)):
        started = post(client, f"/cohorts/assignments/{assignment_id}/start")
        attempt_id = int(started.headers["Location"].split("/")[2])
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.mode == "exam" and attempt.item_count == 135 and attempt.assignment_id == assignment_id
            assert abs((attempt.deadline - now) - timedelta(minutes=minutes)) < timedelta(minutes=1)


def test_assignments_stay_inside_the_cohort(app, cohort):
    instructor, cohort_id, learner, _ = cohort
    assignment_id = int(_assign(instructor, cohort_id, count="5").headers["Location"].rsplit("/", 1)[1])
    outsider, _ = person(app, "out@example.com")
    assert post(outsider, f"/cohorts/assignments/{assignment_id}/start").status_code == 404
    assert "Scheduling drill" not in outsider.get("/dashboard").get_data(as_text=True)
    other, _ = person(app, "other@example.com", role="instructor")
    assert other.get(f"/instructor/assignments/{assignment_id}").status_code == 404
    assert post(other, f"/instructor/assignments/{assignment_id}/accommodations").status_code == 404
    post(learner, f"/cohorts/{cohort_id}/leave", page="/cohorts/")
    assert post(learner, f"/cohorts/assignments/{assignment_id}/start").status_code == 404
    assert "0 of 0 learners." in instructor.get(f"/instructor/assignments/{assignment_id}").get_data(as_text=True)


def test_an_exam_the_bank_cannot_supply_says_so(app):
    instructor, _ = person(app, "teacher@example.com", role="instructor")
    cohort_id, code = new_cohort(app, instructor)
    learner, _ = person(app, "lee@example.com")
    post(learner, "/cohorts/join", {"code": code}, page="/cohorts/")
    assignment_id = int(_assign(instructor, cohort_id, kind="exam").headers["Location"].rsplit("/", 1)[1])
    refused = post(learner, f"/cohorts/assignments/{assignment_id}/start", follow_redirects=True)
    assert "This assignment cannot start: The question bank is too small" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Attempt).count() == 0
