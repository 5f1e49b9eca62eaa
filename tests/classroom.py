"""Factories for cohorts, offices and attempts answered on purpose (for item statistics)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from prep.bank.blueprint_file import load_blueprint
from prep.extensions import db
from prep.models.attempt import Attempt
from prep.models.base import utcnow
from prep.models.question import Question
from prep.quiz import services as quiz
from prep.quiz.options import StartOptions
from tests.bankfiles import BLUEPRINT


def question_id(app, key: str) -> int:
    with app.app_context():
        return db.session.query(Question.id).filter(Question.key == key).scalar()


def answered_attempt(
    app,
    user_id: int,
    answers: dict[str, int | None],
    *,
    mode: str = "practice",
    started: datetime | None = None,
    seed: int = 1,
) -> int:
    """A finished practice attempt over exactly the questions in `answers`.

    Each value is the ORIGINAL option index to choose (None: leave unanswered); the displayed
    position is found through the attempt item's shuffled option order.
    """
    started = started or utcnow() - timedelta(hours=1)
    keys = tuple(answers)
    with app.app_context():
        options = StartOptions(mode="practice", count=max(5, len(keys)), question_keys=keys)
        attempt = quiz.start_attempt(
            db.session, user_id, options, load_blueprint(BLUEPRINT.parent), started, random.Random(seed)
        )
        if mode == "exam":
            attempt.mode = "exam"
        db.session.flush()
        attempt = quiz.get_attempt(db.session, user_id, attempt.id, started)
        for item in attempt.items:
            original = answers[item.question.key]
            if original is not None:
                quiz.save_answer(db.session, attempt, item.position, started, choice=item.option_order.index(original))
        quiz.finalise(db.session, attempt, started + timedelta(minutes=10))
        db.session.commit()
        return attempt.id


def attempt_score(app, attempt_id: int) -> tuple[int, int]:
    with app.app_context():
        a = db.session.get(Attempt, attempt_id)
        return a.score_correct, a.score_total


SMALL_GIFT = """// Two questions CMAA Prep can hold, one it cannot.
::q1:: Which form gives consent for treatment? {
=The signed consent form
~The encounter form
~The superbill
~The ledger card
}

::q2:: Which code set describes diagnoses? {
=ICD-10-CM
~CPT
~HCPCS Level II
~NDC
}

::essay:: Describe your front-desk routine. {}
"""


def store_small_collection(app, owner_id: int, name: str = "Front desk basics") -> list[str]:
    """Store the two holdable questions of SMALL_GIFT as a collection of `owner_id`; their keys."""
    from prep.bank.importing import parse_file, prepare, store_collection

    with app.app_context():
        result = parse_file(SMALL_GIFT.encode(), "gift")
        items = prepare(result, load_blueprint(BLUEPRINT.parent), domain="patient-encounter", source_name=name)
        collection = store_collection(db.session, name, items, utcnow(), owner_id=owner_id)
        db.session.commit()
        return [q.key for q in sorted(collection.questions, key=lambda q: q.key)]


def person(app, email: str, role: str = "learner", name: str | None = None):
    """A new user logged in on a client of their own: (client, user_id)."""
    from tests.conftest import AuthActions

    client = app.test_client()
    user_id = AuthActions(app, client).login_as(email=email, role=role, name=name or email.split("@")[0].title())
    return client, user_id


def post(client, path: str, data: dict | None = None, page: str = "/dashboard", **kwargs):
    """POST a form with the CSRF token read from `page`, as a browser would."""
    from tests.conftest import csrf_token

    return client.post(path, data={"csrf_token": csrf_token(client, page), **(data or {})}, **kwargs)


def new_cohort(app, client, name: str = "Evening class") -> tuple[int, str]:
    """Create a cohort through the instructor page: (cohort id, join code)."""
    from prep.models.cohort import Cohort

    response = post(client, "/instructor/", {"name": name}, page="/instructor/")
    assert response.status_code == 302, response.get_data(as_text=True)
    cohort_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        return cohort_id, db.session.get(Cohort, cohort_id).join_code
