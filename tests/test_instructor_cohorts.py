"""Cohorts: create, join with a (rotatable) code or an emailed invitation, leave; the instructor's
view of progress and its CSV; and every authorisation boundary (404 outside one's reach)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from prep.extensions import db
from prep.models import CohortMember
from prep.models.base import utcnow
from tests.classroom import answered_attempt, new_cohort, person, post
from tests.mailbox import body_text
from tests.quizbank import seed_bank


@pytest.fixture
def teacher(app):
    return person(app, "teacher@example.com", role="instructor", name="Tess Teacher")


def test_learners_join_with_the_code_until_it_rotates_and_can_leave(app, teacher):
    instructor, _ = teacher
    cohort_id, code = new_cohort(app, instructor)
    page = instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    assert f"{code[:4]}-{code[4:]}" in page and "No learner has joined yet" in page

    learner, learner_id = person(app, "lee@example.com", name="Lee Learner")
    joined = post(learner, "/cohorts/join", {"code": f"{code[:4].lower()} {code[4:].lower()}"}, page="/cohorts/")
    assert joined.status_code == 302
    assert "Lee Learner" in instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    assert post(learner, "/cohorts/join", {"code": code}, page="/cohorts/").status_code == 302  # harmless twice

    rotated = post(instructor, f"/instructor/cohorts/{cohort_id}/code", page="/instructor/", follow_redirects=True)
    assert "The old code no longer works." in rotated.get_data(as_text=True)
    late, _ = person(app, "late@example.com")
    refused = post(late, "/cohorts/join", {"code": code}, page="/cohorts/")
    assert refused.status_code == 422
    assert "No cohort has this code." in refused.get_data(as_text=True)
    assert post(instructor, "/cohorts/join", {"code": "ZZZZ-ZZZZ"}, page="/cohorts/").status_code == 422

    mine = learner.get("/cohorts/").get_data(as_text=True)
    assert "Evening class" in mine and "Tess Teacher" in mine
    left = post(learner, f"/cohorts/{cohort_id}/leave", page="/cohorts/", follow_redirects=True)
    assert "no longer sees your progress" in left.get_data(as_text=True)
    assert "Lee Learner" not in instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    assert instructor.get(f"/instructor/cohorts/{cohort_id}/learners/{learner_id}").status_code == 404
    assert post(learner, f"/cohorts/{cohort_id}/leave", page="/cohorts/").status_code == 404


def test_the_instructor_cannot_join_their_own_cohort(app, teacher):
    instructor, _ = teacher
    _, code = new_cohort(app, instructor)
    refused = post(instructor, "/cohorts/join", {"code": code}, page="/cohorts/")
    assert refused.status_code == 422 and "You teach this cohort" in refused.get_data(as_text=True)


def test_invitations_by_email_work_once(app, teacher, mailbox):
    instructor, _ = teacher
    cohort_id, _ = new_cohort(app, instructor)
    bad = post(instructor, f"/instructor/cohorts/{cohort_id}/invites", {"emails": "ok@example.com, not-an-address"})
    assert bad.status_code == 422 and "not-an-address is not a valid email address." in bad.get_data(as_text=True)
    sent = post(
        instructor,
        f"/instructor/cohorts/{cohort_id}/invites",
        {"emails": "Ana@Example.com\nben@example.com, ana@example.com"},
        follow_redirects=True,
    )
    assert "Invitation sent to 2 address(es)." in sent.get_data(as_text=True)
    message = mailbox.last_to("ana@example.com")
    assert "Tess Teacher invites you to Evening class" in message["Subject"]
    link = re.search(r"http://\S+/cohorts/invites/\S+", body_text(message)).group(0)
    path = urlsplit(link).path

    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    ana, ana_id = person(app, "ana.personal@example.com", name="Ana")  # another address: the link is the proof
    assert "Join Evening class" in ana.get(path).get_data(as_text=True)
    assert post(ana, path, page=path).status_code == 302
    with app.app_context():
        assert db.session.get(CohortMember, (cohort_id, ana_id)) is not None
    reused, _ = person(app, "someone@example.com")
    assert reused.get(path).status_code == 404

    page = instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    assert "ben@example.com" in page and "ana@example.com (sent" not in page
    invite_id = re.search(r"/invites/(\d+)/revoke", page).group(1)
    ben_link = urlsplit(
        re.search(r"http://\S+/cohorts/invites/\S+", body_text(mailbox.last_to("ben@example.com"))).group(0)
    )
    assert post(instructor, f"/instructor/cohorts/{cohort_id}/invites/{invite_id}/revoke").status_code == 302
    ben, _ = person(app, "ben@example.com")
    assert ben.get(ben_link.path).status_code == 404


def test_progress_readiness_exams_activity_and_csv(app, teacher):
    items = seed_bank(app)
    instructor, _ = teacher
    cohort_id, code = new_cohort(app, instructor)
    learner, learner_id = person(app, "lee@example.com", name="=Lee Learner")
    post(learner, "/cohorts/join", {"code": code}, page="/cohorts/")
    idle, _ = person(app, "idle@example.com", name="Ida Idle")
    post(idle, "/cohorts/join", {"code": code}, page="/cohorts/")
    scheduling = [i.id for i in items if i.domain == "scheduling"][:5]
    billing = [i.id for i in items if i.domain == "billing-revenue-cycle"][:5]
    answered_attempt(app, learner_id, {k: 0 for k in scheduling})  # all right
    answered_attempt(app, learner_id, {k: 1 for k in billing}, mode="exam", started=utcnow() - timedelta(hours=2))

    page = instructor.get(f"/instructor/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Learners (2)" in page
    weakest = re.search(r"<strong>Domains</strong>(.*?)</p>", page, re.S).group(1)
    assert weakest.index("Billing and Revenue Cycle") < weakest.index("Scheduling")  # 0 of 5 right vs 5 of 5
    assert "Claims" in re.search(r"<strong>Topics</strong>(.*?)</p>", page, re.S).group(1)
    row = re.search(r"=Lee Learner</a></th>(.*?)</tr>", page, re.S).group(1)
    assert 'data-label="Mock exams">1 (0.0%)' in row
    assert utcnow().date().isoformat() in row
    assert "no data" in re.search(r"Ida Idle</a></th>(.*?)</tr>", page, re.S).group(1)

    detail = instructor.get(f"/instructor/cohorts/{cohort_id}/learners/{learner_id}").get_data(as_text=True)
    assert "lee@example.com" in detail and "0 of 5 (0.0%)" in detail

    export = instructor.get(f"/instructor/cohorts/{cohort_id}/export.csv")
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["'=Lee Learner", "Ida Idle"]
    assert rows[0]["mock_exams"] == "1" and rows[0]["last_mock_exam_percent"] == "0.0"
    assert int(rows[0]["mastery_billing-revenue-cycle_percent"]) < int(rows[0]["mastery_scheduling_percent"])
    assert rows[1]["readiness_percent"] == "0" and rows[1]["mastery_scheduling_percent"] == ""
    assert rows[0]["email"] == "lee@example.com" and rows[0]["due_reviews"] == "5"  # the 5 missed come back at once

    items_page = instructor.get(f"/instructor/cohorts/{cohort_id}/items").get_data(as_text=True)
    assert scheduling[0] in items_page


def test_roles_gate_the_instructor_pages(app):
    assert app.test_client().get("/instructor/").status_code == 302
    learner, _ = person(app, "lee@example.com")
    assert learner.get("/instructor/").status_code == 403
    assert learner.get("/instructor/collections/").status_code == 403
    admin, _ = person(app, "ada@example.com", role="admin")
    assert admin.get("/instructor/").status_code == 200
    nav = learner.get("/dashboard").get_data(as_text=True)
    assert ">Cohorts</a>" not in nav and ">Reports</a>" not in nav
    admin_nav = admin.get("/dashboard").get_data(as_text=True)
    assert ">Cohorts</a>" in admin_nav and ">Reports</a>" in admin_nav


def test_instructors_see_only_their_own_cohorts_and_learners(app, teacher):
    instructor, _ = teacher
    cohort_a, code = new_cohort(app, instructor, "Class A")
    learner, learner_id = person(app, "lee@example.com", name="Lee Learner")
    post(learner, "/cohorts/join", {"code": code}, page="/cohorts/")
    other, _ = person(app, "other@example.com", role="instructor", name="Otto Other")
    cohort_b, _ = new_cohort(app, other, "Class B")
    assert "Class A" not in other.get("/instructor/").get_data(as_text=True)
    for path in (
        f"/instructor/cohorts/{cohort_a}",
        f"/instructor/cohorts/{cohort_a}/export.csv",
        f"/instructor/cohorts/{cohort_a}/items",
        f"/instructor/cohorts/{cohort_a}/learners/{learner_id}",
        f"/instructor/cohorts/{cohort_a}/assignments/new",
        f"/instructor/cohorts/{cohort_b}/learners/{learner_id}",  # their own cohort, someone else's learner
    ):
        assert other.get(path).status_code == 404, path
    for path in (
        f"/instructor/cohorts/{cohort_a}/code",
        f"/instructor/cohorts/{cohort_a}/learners/{learner_id}/remove",
    ):
        assert post(other, path, page="/instructor/").status_code == 404, path
    assert (
        post(other, f"/instructor/cohorts/{cohort_b}/learners/{learner_id}/remove", page="/instructor/").status_code
        == 404
    )
    assert instructor.get(f"/instructor/cohorts/{cohort_a}/learners/{learner_id}").status_code == 200


def test_a_learner_never_sees_another_learner(app, teacher):
    instructor, _ = teacher
    cohort_id, code = new_cohort(app, instructor)
    first, first_id = person(app, "first@example.com", name="Fay First")
    second, _ = person(app, "second@example.com", name="Sam Second")
    for client in (first, second):
        post(client, "/cohorts/join", {"code": code}, page="/cohorts/")
    page = second.get("/cohorts/").get_data(as_text=True)
    assert "Fay First" not in page and "first@example.com" not in page
    assert second.get(f"/instructor/cohorts/{cohort_id}").status_code == 403
    assert second.get(f"/instructor/cohorts/{cohort_id}/learners/{first_id}").status_code == 403


def test_the_instructor_removes_a_learner(app, teacher):
    instructor, _ = teacher
    cohort_id, code = new_cohort(app, instructor)
    learner, learner_id = person(app, "lee@example.com", name="Lee Learner")
    post(learner, "/cohorts/join", {"code": code}, page="/cohorts/")
    removed = post(instructor, f"/instructor/cohorts/{cohort_id}/learners/{learner_id}/remove", follow_redirects=True)
    assert "Lee Learner is no longer in Evening class." in removed.get_data(as_text=True)
    learner.get("/cohorts/")  # shows the flash of joining
    assert "You are not in a cohort." in learner.get("/cohorts/").get_data(as_text=True)
