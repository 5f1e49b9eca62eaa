"""The cast and the objects of the authorisation matrix (tests/test_authz_matrix.py).

`Cast`: one account per part, logged in once per database on a client of its own, with its
CSRF token and a Bearer token. `Scene`: the objects one test needs, created on first use, each
carrying a marker (a string unique to the test) that a refused response must never contain.
`wipe` empties every table but the cast's users and tokens; `snapshot` reads every row, so
"unchanged" means nothing in the database changed.
"""

from __future__ import annotations

import io
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import cached_property

from flask.testing import FlaskClient
from sqlalchemy import delete, select

from prep.bank.blueprint_file import load_blueprint
from prep.bank.importing import store_collection
from prep.ce import certificates
from prep.ce import services as ce
from prep.core.items import Item
from prep.extensions import db
from prep.instructor import collections
from prep.instructor import services as cohorts
from prep.models import (
    ApiToken,
    Assignment,
    CeActivity,
    CeApplication,
    CohortInvite,
    CohortMember,
    ItemReport,
    OfficeMember,
    Question,
    User,
)
from prep.models.base import utcnow
from prep.office import services as offices
from prep.quiz import services as quiz
from prep.quiz.options import StartOptions
from prep.review import services as review
from prep.storage import storage_for
from tests import ce_files
from tests.classroom import SMALL_GIFT
from tests.conftest import AuthActions, csrf_token

# Parts in the cast: who owns what. `learner` owns attempts, cards, CE records and tokens and
# belongs to the cohort and the office; `teacher` runs the cohort and owns the collection;
# `manager` manages the office. `other`, `instructor` and `admin` have no relation to anything.
PARTS = {
    "learner": ("learner", "Olive Owner"),
    "teacher": ("instructor", "Tess Teacher"),
    "manager": ("learner", "Meg Manager"),
    "other": ("learner", "Otto Other"),
    "instructor": ("instructor", "Ivan Unrelated"),
    "admin": ("admin", "Ada Admin"),
}


@dataclass
class Member:
    id: int
    email: str
    client: FlaskClient
    csrf: str
    bearer: str


class Cast:
    """The six accounts, each logged in on its own client; an anonymous client; a cookieless one."""

    def __init__(self, app):
        self.app = app
        run = secrets.token_hex(3)
        self.members: dict[str, Member] = {}
        for part, (role, name) in PARTS.items():
            client = app.test_client()
            actions = AuthActions(app, client)
            email = f"{part}.{run}@example.com"
            user_id = actions.login_as(email=email, role=role, name=name)
            self.members[part] = Member(
                user_id, email, client, csrf_token(client, "/account"), actions.api_token(email)
            )
        self.anonymous = app.test_client()
        self.anonymous_csrf = csrf_token(self.anonymous, "/login")
        self.bare = app.test_client()  # no cookies: for Bearer requests
        with app.app_context():
            self.token_ids = list(db.session.scalars(select(ApiToken.id)))

    def __getitem__(self, part: str) -> Member:
        return self.members[part]

    @property
    def owner_emails(self) -> list[str]:
        return [self.members[p].email for p in ("learner", "teacher", "manager")]


def wipe(app, keep_token_ids) -> None:
    """Delete every row but the users and the cast's own API tokens."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name == "user":
                    continue
                if table.name == "api_token":
                    conn.execute(delete(table).where(table.c.id.not_in(keep_token_ids)))
                else:
                    conn.execute(table.delete())


VOLATILE = {("api_token", "last_used_at")}


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table (minus columns that change on any authenticated API call)."""
    state = {}
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            rows = conn.execute(select(*columns)).all()
            state[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return state


def _item(n: int, stem: str) -> Item:
    return Item(
        id=f"authz-{n}",
        domain="billing-revenue-cycle",
        topics=("billing-coding", "claims"),
        difficulty=2,
        stem=stem,
        options=(f"key {n}", f"wrong one {n}", f"wrong two {n}", f"wrong three {n}"),
        rationales=("Correct.", "Incorrect 1.", "Incorrect 2.", "Incorrect 3."),
        answer=0,
        references=("Ref",),
        test_plan="Rev01222022",
    )


class Scene:
    """One test's objects; each property creates its object (and what it needs) once."""

    def __init__(self, app, cast: Cast):
        self.app, self.cast = app, cast
        self.tag = secrets.token_hex(5)
        self.now = utcnow()
        self.today = self.now.date()

    def marker(self, what: str) -> str:
        return f"{what}{self.tag}"

    def _user(self, part: str) -> User:
        return db.session.get(User, self.cast[part].id)

    def _commit(self, value):
        db.session.commit()
        return value

    # Questions, attempts, cards and reports (over the teacher's collection, so stems are private)

    @cached_property
    def collection(self) -> dict:
        with self.app.app_context():
            items = [_item(n, f"Stem {n} {self.marker('Q')}?") for n in range(1, 4)]
            found = store_collection(db.session, self.marker("Coll"), items, self.now, self.cast["teacher"].id)
            db.session.commit()
            questions = sorted(found.questions, key=lambda q: q.key)
            return {
                "id": found.id,
                "name": found.name,
                "keys": [q.key for q in questions],
                "ids": [q.id for q in questions],
            }

    def _attempt(self, finished: bool) -> int:
        collection = self.collection
        with self.app.app_context():
            options = StartOptions(mode="practice", count=5, collection_id=collection["id"])
            blueprint = load_blueprint(self.app.config["QUESTION_BANK_PATH"])
            started = self.now - timedelta(minutes=30)
            attempt = quiz.start_attempt(
                db.session, self.cast["learner"].id, options, blueprint, started, random.Random(7)
            )
            db.session.flush()
            if finished:
                attempt = quiz.get_attempt(db.session, self.cast["learner"].id, attempt.id, started)
                quiz.finalise(db.session, attempt, started + timedelta(minutes=5))
            return self._commit(attempt.id)

    @cached_property
    def open_attempt(self) -> int:
        return self._attempt(finished=False)

    @cached_property
    def finished_attempt(self) -> int:
        return self._attempt(finished=True)

    def _card(self, n: int, suspended: bool) -> int:
        key, question_id = self.collection["keys"][n], self.collection["ids"][n]
        self.finished_attempt  # the learner met the question in an attempt  # noqa: B018
        with self.app.app_context():
            card = review.new_card(
                db.session, self.cast["learner"].id, "question", key, "practice", self.now, question_id
            )
            card.suspended = suspended
            return self._commit(card.id)

    @cached_property
    def card(self) -> int:
        """The learner's card for the collection's first question (so they may review it)."""
        return self._card(0, suspended=False)

    @cached_property
    def suspended_card(self) -> int:
        return self._card(1, suspended=True)

    @cached_property
    def report(self) -> int:
        question_id = self.collection["ids"][0]
        self.finished_attempt  # noqa: B018
        with self.app.app_context():
            question = db.session.get(Question, question_id)
            report = ItemReport(
                question_id=question_id,
                version_id=question.current_version_id,
                user_id=self.cast["learner"].id,
                kind="unclear",
                message=f"Report {self.marker('Rep')}",
                source="practice",
                status="open",
                created_at=self.now,
            )
            db.session.add(report)
            db.session.flush()
            return self._commit(report.id)

    @cached_property
    def token(self) -> int:
        from prep.auth.services import create_api_token

        with self.app.app_context():
            create_api_token(db.session, self._user("learner"), self.marker("Tok"))
            db.session.commit()
            return db.session.scalar(select(ApiToken.id).where(ApiToken.name == self.marker("Tok")))

    # CE records

    @cached_property
    def certification(self) -> int:
        with self.app.app_context():
            found = ce.add_certification(
                db.session,
                self._user("learner"),
                credential="nha-cmaa",
                number=self.marker("CERT"),
                cycle_start=self.today - timedelta(days=400),
                today=self.today,
            )
            return self._commit(found.id)

    @cached_property
    def activity(self) -> int:
        with self.app.app_context():
            found = ce.log_activity(
                db.session,
                self._user("learner"),
                title=f"Course {self.marker('Act')}",
                provider="Acme CE",
                completed_on=self.today - timedelta(days=10),
                contact_hours=Decimal(2),
                today=self.today,
            )
            return self._commit(found.id)

    @cached_property
    def file(self) -> int:
        activity_id = self.activity
        with self.app.app_context():
            activity = db.session.get(CeActivity, activity_id)
            found = certificates.attach_certificate(
                db.session, storage_for(db.session), activity, ce_files.PDF, f"{self.marker('File')}.pdf"
            )
            return self._commit(found.id)

    @cached_property
    def evidence(self) -> int:
        """A certificate file of an activity counted for the certification (it goes in the audit packet)."""
        file_id, certification_id, activity_id = self.file, self.certification, self.activity
        with self.app.app_context():
            db.session.add(CeApplication(activity_id=activity_id, certification_id=certification_id))
            return self._commit(file_id)

    def activity_of(self, part: str) -> int:
        with self.app.app_context():
            found = ce.log_activity(
                db.session,
                self._user(part),
                title=f"Own course of {part}",
                provider="Acme CE",
                completed_on=self.today - timedelta(days=10),
                contact_hours=Decimal(1),
                today=self.today,
            )
            return self._commit(found.id)

    # Cohorts, assignments, invitations, collection drafts

    @cached_property
    def cohort(self) -> int:
        """The teacher's cohort; the learner belongs to it."""
        with self.app.app_context():
            found = cohorts.create_cohort(db.session, self._user("teacher"), self.marker("Cohort"), self.now)
            db.session.add(CohortMember(cohort_id=found.id, user_id=self.cast["learner"].id, joined_at=self.now))
            return self._commit(found.id)

    def cohort_of(self, part: str) -> int:
        """A cohort of `part`'s own, without members."""
        with self.app.app_context():
            found = cohorts.create_cohort(db.session, self._user(part), f"Own cohort of {part}", self.now)
            return self._commit(found.id)

    def _assignment(self, kind: str) -> int:
        cohort_id = self.cohort
        collection_id = self.collection["id"] if kind == "practice" else None
        with self.app.app_context():
            found = Assignment(
                cohort_id=cohort_id,
                kind=kind,
                title=f"{kind} {self.marker('Asg')}",
                topics=[],
                domains=[],
                count=5 if kind == "practice" else None,
                collection_id=collection_id,
                timing="untimed" if kind == "practice" else "standard",
                due_on=self.today + timedelta(days=7),
            )
            db.session.add(found)
            db.session.flush()
            return self._commit(found.id)

    @cached_property
    def practice_assignment(self) -> int:
        return self._assignment("practice")

    @cached_property
    def exam_assignment(self) -> int:
        return self._assignment("exam")

    @cached_property
    def invite(self) -> int:
        cohort_id = self.cohort
        with self.app.app_context():
            cohort = cohorts.cohort_for_instructor(db.session, self._user("teacher"), cohort_id)
            [(_, self.invite_secret)] = cohorts.create_invites(
                db.session, cohort, [f"{self.marker('inv')}@example.com"], self.now
            )
            db.session.commit()
            return db.session.scalar(select(CohortInvite.id).where(CohortInvite.cohort_id == cohort_id))

    @cached_property
    def draft(self) -> int:
        with self.app.app_context():
            found, _ = collections.create_draft(
                db.session,
                self._user("teacher"),
                name=self.marker("Draft"),
                fmt="gift",
                domain="patient-encounter",
                topics=[],
                filename="questions.gift",
                data=SMALL_GIFT.encode(),
                blueprint=load_blueprint(self.app.config["QUESTION_BANK_PATH"]),
                now=self.now,
            )
            return self._commit(found.id)

    # Offices

    @cached_property
    def office(self) -> int:
        self.certification  # shared with the office's managers  # noqa: B018
        with self.app.app_context():
            found = offices.create_office(db.session, self._user("manager"), self.marker("Office"), self.now)
            db.session.add(
                OfficeMember(
                    office_id=found.id,
                    user_id=self.cast["learner"].id,
                    role="member",
                    joined_at=self.now,
                    shares_certifications=True,
                )
            )
            return self._commit(found.id)

    def office_of(self, part: str) -> int:
        """An office `part` manages alone."""
        with self.app.app_context():
            found = offices.create_office(db.session, self._user(part), f"Own office of {part}", self.now)
            return self._commit(found.id)

    # Request bodies

    def pdf(self) -> tuple:
        return (io.BytesIO(ce_files.PDF), "upload.pdf")
