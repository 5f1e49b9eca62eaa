"""Custom collections: upload in the browser, preview what is imported and skipped, confirm, and
use the collection in practice-set assignments for one's own cohorts only."""

from __future__ import annotations

import io

from prep.extensions import db
from prep.models import Attempt, Collection, CollectionDraft, Question
from tests.classroom import SMALL_GIFT, new_cohort, person, post
from tests.conftest import csrf_token

MOODLE_EXPORT = "tests/data/formats/moodle_export.xml"


def _upload(client, data: bytes, fmt: str = "gift", filename: str = "front-desk.gift.txt", **form):
    token = csrf_token(client, "/instructor/collections/")
    fields = {"csrf_token": token, "format": fmt, "name": "", "domain": "patient-encounter", **form}
    fields["file"] = (io.BytesIO(data), filename)
    return client.post("/instructor/collections/", data=fields, content_type="multipart/form-data")


def test_upload_preview_with_skipped_items_then_confirm(app):
    instructor, instructor_id = person(app, "teacher@example.com", role="instructor")
    response = _upload(instructor, SMALL_GIFT.encode(), filename="../../etc/Front desk.gift")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = instructor.get(preview_url).get_data(as_text=True)
    assert "2 questions will be imported</strong>, 1 skipped." in page
    assert "Line 16, essay: skipped: essay questions are not supported" in page
    assert "Which form gives consent for treatment?" in page and "The signed consent form" in page
    assert "Front desk.gift" in page and "etc" not in page.split("Step 2 of 2.")[1].split("</p>")[0]
    with app.app_context():
        assert db.session.query(Collection).count() == 0  # nothing stored before the confirmation
        assert db.session.query(CollectionDraft).count() == 1

    other, _ = person(app, "other@example.com", role="instructor")
    draft_id = preview_url.rsplit("/", 1)[1]
    assert other.get(preview_url).status_code == 404
    assert post(other, f"/instructor/collections/drafts/{draft_id}/confirm", page="/instructor/").status_code == 404

    confirmed = post(instructor, f"/instructor/collections/drafts/{draft_id}/confirm", page=preview_url)
    collection_url = confirmed.headers["Location"]
    with app.app_context():
        collection = db.session.query(Collection).one()
        assert collection.owner_id == instructor_id and collection.name == "Front desk.gift"
        assert sorted(q.domain for q in collection.questions) == ["patient-encounter", "patient-encounter"]
        assert db.session.query(CollectionDraft).count() == 0
    assert "Which code set describes diagnoses?" in instructor.get(collection_url).get_data(as_text=True)
    assert other.get(collection_url).status_code == 404
    assert "Front desk.gift" not in other.get("/instructor/collections/").get_data(as_text=True)


def test_a_moodle_xml_export_previews_and_a_broken_file_is_refused(app):
    instructor, _ = person(app, "teacher@example.com", role="instructor")
    with open(MOODLE_EXPORT, "rb") as handle:
        response = _upload(instructor, handle.read(), fmt="moodle-xml", filename="quiz.xml", name="Moodle quiz")
    assert response.status_code == 302
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Preview: Moodle quiz" in page and "skipped" in page

    broken = _upload(instructor, b"::q1:: An answer block that never ends {\n=right\n~wrong\n", filename="broken.gift")
    assert broken.status_code == 422
    assert "This file cannot be imported: line" in broken.get_data(as_text=True)
    no_domain = _upload(instructor, SMALL_GIFT.encode(), domain="")
    assert no_domain.status_code == 422 and "the item has no domain" in no_domain.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(CollectionDraft).count() == 1


def test_discarding_an_upload_stores_nothing(app):
    instructor, _ = person(app, "teacher@example.com", role="instructor")
    preview_url = _upload(instructor, SMALL_GIFT.encode()).headers["Location"]
    draft_id = preview_url.rsplit("/", 1)[1]
    post(instructor, f"/instructor/collections/drafts/{draft_id}/discard", page=preview_url)
    assert instructor.get(preview_url).status_code == 404
    with app.app_context():
        assert db.session.query(Collection).count() == 0


def _confirmed_collection(app, client) -> int:
    preview_url = _upload(client, SMALL_GIFT.encode()).headers["Location"]
    post(client, f"/instructor/collections/drafts/{preview_url.rsplit('/', 1)[1]}/confirm", page=preview_url)
    with app.app_context():
        return db.session.query(Collection.id).order_by(Collection.id.desc()).first()[0]


def test_a_collection_feeds_practice_assignments_of_the_owners_cohorts_only(app):
    instructor, _ = person(app, "teacher@example.com", role="instructor")
    collection_id = _confirmed_collection(app, instructor)
    cohort_id, code = new_cohort(app, instructor)
    learner, learner_id = person(app, "lee@example.com")
    post(learner, "/cohorts/join", {"code": code}, page="/cohorts/")
    form = {"kind": "practice", "title": "Front desk", "due_on": "2099-01-01", "count": "5"}
    form_page = instructor.get(f"/instructor/cohorts/{cohort_id}/assignments/new").get_data(as_text=True)
    assert "My collection: front-desk.gift.txt (2 questions)" in form_page
    created = post(
        instructor, f"/instructor/cohorts/{cohort_id}/assignments/new", {**form, "collection_id": str(collection_id)}
    )
    assignment_id = int(created.headers["Location"].rsplit("/", 1)[1])
    started = post(learner, f"/cohorts/assignments/{assignment_id}/start")
    attempt_id = int(started.headers["Location"].split("/")[2])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.item_count == 2
        assert {i.question.collection_id for i in attempt.items} == {collection_id}
        keys = [i.question.key for i in attempt.items]
    # A learner outside the cohort cannot start it, nor reach the questions by their ids.
    outsider, _ = person(app, "out@example.com")
    assert post(outsider, f"/cohorts/assignments/{assignment_id}/start").status_code == 404
    token = csrf_token(outsider, "/quiz/")
    refused = outsider.post(
        "/api/v1/attempts", json={"mode": "practice", "question_ids": keys, "count": 5}, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 422

    other, _ = person(app, "other@example.com", role="instructor")
    other_cohort, _ = new_cohort(app, other)
    stolen = post(
        other, f"/instructor/cohorts/{other_cohort}/assignments/new", {**form, "collection_id": str(collection_id)}
    )
    assert stolen.status_code == 422
    with app.app_context():
        assert db.session.query(Question).filter(Question.collection_id == collection_id).count() == 2
