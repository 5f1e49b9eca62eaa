"""Authorisation matrix: every route that names an object, asked by five principals.

Principals: `anonymous`; `owner` (the cast part that legitimately may: the learner who owns the
attempt or certificate, the teacher of the cohort, the office's manager, ...); `other` (another
learner); `instructor` (an instructor with no relation to the object); `admin`. API routes are
asked again with each principal's Bearer token. Each case asserts the status; that a refused
response (or any response to someone who may not see the object) contains none of the seeded
objects' markers nor the owners' email addresses; that a refused state-changing request left
every row of the database as it was; and that the legitimate request did what it says, so a
refusal is never just a broken route.

The matrix is complete by construction: every rule of `app.url_map` with URL variables must be
in MATRIX or in PUBLIC_BY_DESIGN (with its reason), or `test_every_object_route_is_in_the_matrix`
fails naming it. Someone adding a route adds its row here.

Expected policy, as the code implements it: anonymous pages redirect to /login, anonymous API
calls get 401 JSON; someone else's object is 404 (never 403, which would confirm it exists);
the instructor pages answer a learner 403 (a role gate, before any object is looked up); the
admin pages answer everyone but admins 403; admins have no reach into learners' data, cohorts
or offices (404 like anyone else).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from prep import create_app
from tests.authz_objects import Cast, Scene, snapshot, wipe
from tests.conftest import BASE_CONFIG, empty_tables, make_test_app

PRINCIPALS = ("anonymous", "owner", "other", "instructor", "admin")

# Routes with URL variables that are public by design: the variable is the credential.
PUBLIC_BY_DESIGN = {
    "/static/<path:filename>": "static assets, no object",
    "/password/reset/<token>": "signed, expiring reset token bound to the password hash: holding it is the proof",
    "/cohorts/invites/<secret>": "emailed invitation secret (only its digest stored): holding the link is the proof",
    "/calendar/<token>.ics": "private calendar feed token (256 random bits, rotatable): holding the URL is the proof",
    "/reminders/unsubscribe/<token>": "signed unsubscribe link from a reminder email: it can only stop that user's emails",
}


def own(ok: int, anonymous: int = 302) -> dict[str, int]:
    """Only the owner: everyone else gets 404 (the object's existence is not revealed)."""
    return {"anonymous": anonymous, "owner": ok, "other": 404, "instructor": 404, "admin": 404}


def api(ok: int) -> dict[str, int]:
    return own(ok, anonymous=401)


def staff(ok: int) -> dict[str, int]:
    """Instructor pages: learners meet the role gate (403); other staff, the object's (404)."""
    return {"anonymous": 302, "owner": ok, "other": 403, "instructor": 404, "admin": 404}


def admins(ok: int, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, "owner": 403, "other": 403, "instructor": 403, "admin": ok}


@dataclass(frozen=True)
class Case:
    owner: str  # the cast part acting as "owner" (see tests/authz_objects.PARTS)
    expect: dict[str, int]
    url: Callable[[Scene], dict]  # the rule's variables; creates the objects it names
    body: Callable[[Scene], dict] | None = None
    multipart: bool = False
    # What the allowed principal's response shows: True for the objects' marker, or a callable
    # giving another string (the learner's email in a CSV, a question's public id).
    shown: bool | Callable[[Scene], str] = False
    mutates: bool | None = None  # default: every method but GET
    allowed: frozenset[str] = field(default=frozenset({"owner"}))


def _attempt_q(s: Scene, finished: bool = False) -> dict:
    return {"attempt_id": s.finished_attempt if finished else s.open_attempt, "position": 1}


def _key(s: Scene) -> dict:
    s.card  # the learner met it and has its card  # noqa: B018
    return {"key": s.collection["keys"][0]}


def _qid(s: Scene) -> dict:
    return {"question_id": _key(s)["key"]}


def _deck(s: Scene) -> dict:
    _key(s)  # the learner's card brings its key fact into their deck
    return {"deck": "key-facts"}


def _packet(s: Scene) -> dict:
    s.evidence  # a certificate file goes in the packet, under its (marked) name  # noqa: B018
    return {"certification_id": s.certification}


def _learner_email(s: Scene) -> str:
    return s.cast["learner"].email


def _cohort_learner(s: Scene) -> dict:
    return {"cohort_id": s.cohort, "user_id": s.cast["learner"].id}


def _office_learner(s: Scene) -> dict:
    return {"office_id": s.office, "user_id": s.cast["learner"].id}


REPORT = {"kind": "unclear", "message": "The wording is ambiguous.", "source": "practice"}

MATRIX: dict[str, Case] = {
    # Accounts
    "POST /account/tokens/<int:token_id>/revoke": Case("learner", own(302), lambda s: {"token_id": s.token}),
    # Quiz pages
    "GET /quiz/<int:attempt_id>/q/<int:position>": Case("learner", own(200), _attempt_q, shown=True),
    "POST /quiz/<int:attempt_id>/q/<int:position>": Case(
        "learner", own(302), _attempt_q, lambda s: {"choice": "0", "action": "next"}
    ),
    "GET /quiz/<int:attempt_id>/review": Case("learner", own(200), lambda s: {"attempt_id": s.open_attempt}),
    "POST /quiz/<int:attempt_id>/submit": Case("learner", own(302), lambda s: {"attempt_id": s.open_attempt}),
    "GET /quiz/<int:attempt_id>/result": Case(
        "learner", own(200), lambda s: {"attempt_id": s.finished_attempt}, shown=True
    ),
    "POST /quiz/<int:attempt_id>/practice-missed": Case(
        "learner", own(302), lambda s: {"attempt_id": s.finished_attempt}
    ),
    # Item reports and the admins' queue
    "GET /reports/attempts/<int:attempt_id>/items/<int:position>": Case(
        "learner", own(200), lambda s: _attempt_q(s, finished=True), shown=True
    ),
    "POST /reports/attempts/<int:attempt_id>/items/<int:position>": Case(
        "learner", own(302), lambda s: _attempt_q(s, finished=True), lambda s: REPORT
    ),
    "GET /reports/questions/<key>": Case("learner", own(200), _key, shown=True),
    "POST /reports/questions/<key>": Case("learner", own(302), _key, lambda s: REPORT),
    "POST /admin/reports/<int:report_id>/resolve": Case(
        "learner", admins(302), lambda s: {"report_id": s.report}, allowed=frozenset({"admin"})
    ),
    "POST /admin/questions/<int:question_id>/retire": Case(
        "teacher", admins(302), lambda s: {"question_id": s.collection["ids"][0]}, allowed=frozenset({"admin"})
    ),
    # Reviews and flashcards (keys of the teacher's collection: private to those who met them)
    "POST /review/cards/<int:card_id>/suspend": Case("learner", own(302), lambda s: {"card_id": s.card}),
    "POST /review/cards/<int:card_id>/restore": Case("learner", own(302), lambda s: {"card_id": s.suspended_card}),
    "GET /review/flashcards/<deck>": Case(
        "learner",
        {"anonymous": 302, "owner": 200, "other": 200, "instructor": 200, "admin": 200},  # each sees their own deck
        _deck,
        shown=True,
    ),
    "POST /review/flashcards/<deck>": Case(
        "learner",
        own(302),
        lambda s: {"deck": "key-facts"},
        lambda s: {**_key(s), "rating": "good", "reps": "0"},
    ),
    "GET /review/q/<key>": Case("learner", own(200), _key, shown=True),
    "POST /review/q/<key>": Case("learner", own(200), _key, lambda s: {"choice": "0"}, shown=True, mutates=False),
    "POST /review/q/<key>/grade": Case(
        "learner", own(302), _key, lambda s: {"choice": "0", "rating": "good", "reps": "0"}
    ),
    # Attempts, reviews and items API
    "GET /api/v1/attempts/<int:attempt_id>": Case(
        "learner", api(200), lambda s: {"attempt_id": s.open_attempt}, shown=True
    ),
    "PUT /api/v1/attempts/<int:attempt_id>/items/<int:position>": Case(
        "learner", api(200), _attempt_q, lambda s: {"flagged": True}
    ),
    "GET /api/v1/attempts/<int:attempt_id>/result": Case(
        "learner", api(200), lambda s: {"attempt_id": s.finished_attempt}, shown=True
    ),
    "POST /api/v1/attempts/<int:attempt_id>/submit": Case(
        "learner", api(200), lambda s: {"attempt_id": s.open_attempt}, lambda s: {}
    ),
    "POST /api/v1/reviews/<question_id>": Case("learner", api(200), _qid, lambda s: {"rating": "good"}),
    "POST /api/v1/items/<question_id>/reports": Case(
        "learner", api(201), _qid, lambda s: {"kind": "unclear", "message": "Ambiguous."}
    ),
    "GET /api/v1/items/<question_id>/stats": Case(
        "learner",
        admins(200, anonymous=401),
        _qid,
        shown=lambda s: s.collection["keys"][0],
        allowed=frozenset({"admin"}),
    ),
    # CE API
    "GET /api/v1/certifications/<int:certification_id>": Case(
        "learner", api(200), lambda s: {"certification_id": s.certification}, shown=True
    ),
    "GET /api/v1/certifications/<int:certification_id>/status": Case(
        "learner", api(200), lambda s: {"certification_id": s.certification}
    ),
    "GET /api/v1/certifications/<int:certification_id>/audit-packet": Case("learner", api(200), _packet, shown=True),
    "POST /api/v1/certifications/<int:certification_id>/renewals": Case(
        "learner",
        api(201),
        lambda s: {"certification_id": s.certification},
        lambda s: {"renewed_on": s.today.isoformat()},
    ),
    "GET /api/v1/ce-activities/<int:activity_id>": Case(
        "learner", api(200), lambda s: {"activity_id": s.activity}, shown=True
    ),
    "DELETE /api/v1/ce-activities/<int:activity_id>": Case("learner", api(204), lambda s: {"activity_id": s.activity}),
    "POST /api/v1/ce-activities/<int:activity_id>/certificate": Case(
        "learner", api(201), lambda s: {"activity_id": s.activity}, lambda s: {"file": s.pdf()}, multipart=True
    ),
    "GET /api/v1/certificates/<int:file_id>": Case("learner", api(200), lambda s: {"file_id": s.file}, shown=True),
    # CE pages
    "GET /ce/certifications/<int:certification_id>": Case(
        "learner", own(200), lambda s: {"certification_id": s.certification}, shown=True
    ),
    "GET /ce/certifications/<int:certification_id>/edit": Case(
        "learner", own(200), lambda s: {"certification_id": s.certification}, shown=True
    ),
    "POST /ce/certifications/<int:certification_id>/edit": Case(
        "learner",
        own(302),
        lambda s: {"certification_id": s.certification},
        lambda s: {
            "number": "CHANGED-1",
            "cycle_start": s.today.replace(year=s.today.year - 1).isoformat(),
            "expires_on": s.today.replace(year=s.today.year + 1).isoformat(),
        },
    ),
    "GET /ce/certifications/<int:certification_id>/audit-packet": Case("learner", own(200), _packet, shown=True),
    "POST /ce/certifications/<int:certification_id>/renewals": Case(
        "learner",
        own(302),
        lambda s: {"certification_id": s.certification},
        lambda s: {"renewed_on": s.today.isoformat()},
    ),
    "POST /ce/certifications/<int:certification_id>/delete": Case(
        "learner", own(302), lambda s: {"certification_id": s.certification}
    ),
    "GET /ce/activities/<int:activity_id>": Case(
        "learner", own(200), lambda s: {"activity_id": s.activity}, shown=True
    ),
    "POST /ce/activities/<int:activity_id>/apply": Case(
        "learner",
        own(302),
        lambda s: {"activity_id": s.activity},
        lambda s: {"certifications": [str(s.certification)]},
    ),
    "POST /ce/activities/<int:activity_id>/certificates": Case(
        "learner",
        own(302),
        lambda s: {"activity_id": s.activity},
        lambda s: {"certificate": s.pdf()},
        multipart=True,
    ),
    "POST /ce/activities/<int:activity_id>/delete": Case("learner", own(302), lambda s: {"activity_id": s.activity}),
    "GET /ce/certificates/<int:file_id>": Case("learner", own(200), lambda s: {"file_id": s.file}, shown=True),
    "POST /ce/certificates/<int:file_id>/delete": Case("learner", own(302), lambda s: {"file_id": s.file}),
    # Cohorts, as a learner
    "POST /cohorts/<int:cohort_id>/leave": Case("learner", own(302), lambda s: {"cohort_id": s.cohort}),
    "POST /cohorts/assignments/<int:assignment_id>/start": Case(
        "learner", own(302), lambda s: {"assignment_id": s.practice_assignment}
    ),
    # Instructor pages
    "GET /instructor/cohorts/<int:cohort_id>": Case(
        "teacher", staff(200), lambda s: {"cohort_id": s.cohort}, shown=True
    ),
    "POST /instructor/cohorts/<int:cohort_id>/code": Case("teacher", staff(302), lambda s: {"cohort_id": s.cohort}),
    "GET /instructor/cohorts/<int:cohort_id>/export.csv": Case(
        "teacher", staff(200), lambda s: {"cohort_id": s.cohort}, shown=_learner_email
    ),
    "GET /instructor/cohorts/<int:cohort_id>/items": Case(
        "teacher", staff(200), lambda s: {"cohort_id": s.cohort}, shown=True
    ),
    "POST /instructor/cohorts/<int:cohort_id>/invites": Case(
        "teacher",
        staff(302),
        lambda s: {"cohort_id": s.cohort},
        lambda s: {"emails": f"new.{s.tag}@example.com"},
    ),
    "POST /instructor/cohorts/<int:cohort_id>/invites/<int:invite_id>/revoke": Case(
        "teacher", staff(302), lambda s: {"cohort_id": s.cohort, "invite_id": s.invite}
    ),
    "GET /instructor/cohorts/<int:cohort_id>/learners/<int:user_id>": Case(
        "teacher", staff(200), _cohort_learner, shown=True
    ),
    "POST /instructor/cohorts/<int:cohort_id>/learners/<int:user_id>/remove": Case(
        "teacher", staff(302), _cohort_learner
    ),
    "GET /instructor/cohorts/<int:cohort_id>/assignments/new": Case(
        "teacher", staff(200), lambda s: {"cohort_id": s.cohort}, shown=True
    ),
    "POST /instructor/cohorts/<int:cohort_id>/assignments/new": Case(
        "teacher",
        staff(302),
        lambda s: {"cohort_id": s.cohort},
        lambda s: {"kind": "practice", "title": "Week 2", "due_on": s.today.isoformat(), "count": "5"},
    ),
    "GET /instructor/assignments/<int:assignment_id>": Case(
        "teacher", staff(200), lambda s: {"assignment_id": s.practice_assignment}, shown=True
    ),
    "POST /instructor/assignments/<int:assignment_id>/accommodations": Case(
        "teacher",
        staff(302),
        lambda s: {"assignment_id": s.exam_assignment},
        lambda s: {f"timing-{s.cast['learner'].id}": "2x"},
    ),
    "GET /instructor/collections/<int:collection_id>": Case(
        "teacher", staff(200), lambda s: {"collection_id": s.collection["id"]}, shown=True
    ),
    "GET /instructor/collections/drafts/<int:draft_id>": Case(
        "teacher", staff(200), lambda s: {"draft_id": s.draft}, shown=True
    ),
    "POST /instructor/collections/drafts/<int:draft_id>/confirm": Case(
        "teacher", staff(302), lambda s: {"draft_id": s.draft}
    ),
    "POST /instructor/collections/drafts/<int:draft_id>/discard": Case(
        "teacher", staff(302), lambda s: {"draft_id": s.draft}
    ),
    # Offices: the manager's view and actions; a member's own sharing and leaving
    "GET /offices/<int:office_id>": Case("manager", own(200), lambda s: {"office_id": s.office}, shown=True),
    "GET /offices/<int:office_id>/export.csv": Case(
        "manager", own(200), lambda s: {"office_id": s.office}, shown=_learner_email
    ),
    "POST /offices/<int:office_id>/code": Case("manager", own(302), lambda s: {"office_id": s.office}),
    "POST /offices/<int:office_id>/summary": Case(
        "manager", own(302), lambda s: {"office_id": s.office}, lambda s: {"weekly": "on"}
    ),
    "POST /offices/<int:office_id>/members/<int:user_id>/role": Case(
        "manager", own(302), _office_learner, lambda s: {"role": "manager"}
    ),
    "POST /offices/<int:office_id>/members/<int:user_id>/remove": Case("manager", own(302), _office_learner),
    "POST /offices/<int:office_id>/sharing": Case(
        "learner", own(302), lambda s: {"office_id": s.office}, lambda s: {"share": "off"}
    ),
    "POST /offices/<int:office_id>/leave": Case("learner", own(302), lambda s: {"office_id": s.office}),
}

_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _path(rule: str, values: dict) -> str:
    return _VARIABLE.sub(lambda m: str(values[m.group(1)]), rule)


def _route_methods(app) -> dict[str, str]:
    """'METHOD /rule' -> endpoint, for every rule with URL variables."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found[f"{method} {rule.rule}"] = rule.endpoint
    return found


def test_every_object_route_is_in_the_matrix():
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = _route_methods(app)
    missing = [key for key in routes if key not in MATRIX and key.split(" ", 1)[1] not in PUBLIC_BY_DESIGN]
    assert not missing, (
        "routes with URL variables missing from the authorisation matrix (add a Case to MATRIX, or a "
        "reason to PUBLIC_BY_DESIGN): " + ", ".join(f"{k} ({routes[k]})" for k in missing)
    )
    rules = {key.split(" ", 1)[1] for key in routes}
    stale = [key for key in MATRIX if key not in routes] + [r for r in PUBLIC_BY_DESIGN if r not in rules]
    assert not stale, "matrix entries for routes that do not exist: " + ", ".join(stale)


@pytest.fixture(scope="module")
def world(database_url, smtp_server, tmp_path_factory):
    """An app on this database with the cast logged in once; every table emptied afterwards."""
    controller, _ = smtp_server
    app = make_test_app(database_url, controller.port, tmp_path_factory.mktemp("uploads"))
    yield app, Cast(app)
    empty_tables(app)


def _params():
    for key in MATRIX:
        for principal in PRINCIPALS:
            yield pytest.param(key, principal, "session", id=f"{key} [{principal}]")
            if key.split(" ", 1)[1].startswith("/api/") and principal != "anonymous":
                yield pytest.param(key, principal, "bearer", id=f"{key} [{principal}, bearer]")


def _send(cast: Cast, case: Case, method: str, path: str, principal: str, transport: str, body: dict):
    if principal == "anonymous":
        client, csrf, headers = cast.anonymous, cast.anonymous_csrf, {}
    else:
        member = cast[case.owner if principal == "owner" else principal]
        client, csrf, headers = member.client, member.csrf, {}
        if transport == "bearer":
            client, csrf, headers = cast.bare, None, {"Authorization": f"Bearer {member.bearer}"}
    kwargs = {}
    if path.startswith("/api/"):
        if csrf and method != "GET":
            headers["X-CSRFToken"] = csrf
        if case.multipart:
            kwargs = {"data": body, "content_type": "multipart/form-data"}
        elif method in ("POST", "PUT"):
            kwargs = {"json": body}
    elif method != "GET":
        kwargs = {"data": {"csrf_token": csrf, **body}}
        if case.multipart:
            kwargs["content_type"] = "multipart/form-data"
    return client.open(path, method=method, headers=headers, **kwargs)


def _visible(response) -> str:
    """What a client learns: the body (bytes read as Latin-1 when not text) and telling headers."""
    data = response.get_data()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    headers = " ".join(response.headers.get(h, "") for h in ("Location", "Content-Disposition"))
    return f"{headers}\n{text}"


@pytest.mark.parametrize(("key", "principal", "transport"), list(_params()))
def test_authorisation_matrix(world, key, principal, transport):
    app, cast = world
    case = MATRIX[key]
    method, rule = key.split(" ", 1)
    wipe(app, cast.token_ids)
    scene = Scene(app, cast)
    path = _path(rule, case.url(scene))
    body = case.body(scene) if case.body else {}
    mutates = case.mutates if case.mutates is not None else method != "GET"
    before = snapshot(app) if method != "GET" else None

    response = _send(cast, case, method, path, principal, transport, body)

    where = f"{key} as {principal} ({transport}) -> {path}"
    expected = case.expect[principal]
    assert response.status_code == expected, (
        f"{where}: {response.status_code}, expected {expected}\n{_visible(response)[:600]}"
    )
    if principal == "anonymous":
        if rule.startswith("/api/"):
            assert response.json["error"]["code"] == "unauthorized", where
        else:
            assert "/login" in response.headers["Location"], where
    seen = _visible(response)
    if principal in case.allowed:
        if case.shown:
            marker = case.shown(scene) if callable(case.shown) else scene.tag
            assert marker in seen, f"{where}: the allowed response does not show {marker!r}"
        if before is not None:
            changed = snapshot(app) != before
            assert changed == mutates, f"{where}: database {'unchanged' if mutates else 'changed'}"
        return
    _assert_no_leak(cast, scene, response, where)
    if before is not None:
        assert snapshot(app) == before, f"{where}: the database changed"


def _assert_no_leak(cast: Cast, scene: Scene, response, where: str) -> None:
    seen = _visible(response)
    leaked = sorted(set(re.findall(rf"\w*{scene.tag}\w*", seen)) | {e for e in cast.owner_emails if e in seen})
    assert not leaked, f"{where}: response leaks {leaked}"


# Ids of someone else's objects inside one's own: a child id under one's own parent, or an id
# in the request body. Each is refused (404, or 422 naming the field) and changes nothing.
@dataclass(frozen=True)
class Foreign:
    part: str
    method: str
    path: Callable[[Scene], str]
    body: Callable[[Scene], dict]
    expect: int
    bearer: bool = False


def _none(s: Scene) -> dict:
    return {}


def _learner_in_cohort(s: Scene) -> int:
    s.cohort  # noqa: B018
    return s.cast["learner"].id


def _learner_in_office(s: Scene) -> int:
    s.office  # noqa: B018
    return s.cast["learner"].id


FOREIGN_IDS = {
    "dismissing another user's reminder": Foreign(
        "other",
        "POST",
        lambda s: "/reminders/dismiss",
        lambda s: {"certification_id": s.certification, "kind": "pace-12m"},
        404,
    ),
    "learner of another cohort under one's own": Foreign(
        "instructor",
        "GET",
        lambda s: f"/instructor/cohorts/{s.cohort_of('instructor')}/learners/{_learner_in_cohort(s)}",
        _none,
        404,
    ),
    "removing a learner of another cohort": Foreign(
        "instructor",
        "POST",
        lambda s: f"/instructor/cohorts/{s.cohort_of('instructor')}/learners/{_learner_in_cohort(s)}/remove",
        _none,
        404,
    ),
    "revoking another cohort's invitation": Foreign(
        "instructor",
        "POST",
        lambda s: f"/instructor/cohorts/{s.cohort_of('instructor')}/invites/{s.invite}/revoke",
        _none,
        404,
    ),
    "assignment from another instructor's collection": Foreign(
        "instructor",
        "POST",
        lambda s: f"/instructor/cohorts/{s.cohort_of('instructor')}/assignments/new",
        lambda s: {
            "kind": "practice",
            "title": "Borrowed",
            "due_on": s.today.isoformat(),
            "count": "5",
            "collection_id": str(s.collection["id"]),
        },
        422,
    ),
    "accommodation for someone outside the cohort": Foreign(
        "teacher",
        "POST",
        lambda s: f"/instructor/assignments/{s.exam_assignment}/accommodations",
        lambda s: {f"timing-{s.cast['other'].id}": "2x"},
        302,
    ),
    "role of a member of another office": Foreign(
        "other",
        "POST",
        lambda s: f"/offices/{s.office_of('other')}/members/{_learner_in_office(s)}/role",
        lambda s: {"role": "manager"},
        404,
    ),
    "removing a member of another office": Foreign(
        "other",
        "POST",
        lambda s: f"/offices/{s.office_of('other')}/members/{_learner_in_office(s)}/remove",
        _none,
        404,
    ),
    "applying one's activity to someone else's certification": Foreign(
        "other",
        "POST",
        lambda s: f"/ce/activities/{s.activity_of('other')}/apply",
        lambda s: {"certifications": [str(s.certification)]},
        422,
    ),
    "logging an activity for someone else's certification": Foreign(
        "other",
        "POST",
        lambda s: "/ce/activities/new",
        lambda s: {
            "title": "Mine",
            "provider": "Acme",
            "completed_on": s.today.isoformat(),
            "amount": "1",
            "amount_unit": "contact-hours",
            "category": "general",
            "certifications": [str(s.certification)],
        },
        422,
    ),
    "logging an activity for someone else's certification (API)": Foreign(
        "other",
        "POST",
        lambda s: "/api/v1/ce-activities",
        lambda s: {
            "title": "Mine",
            "provider": "Acme",
            "completed_on": s.today.isoformat(),
            "contact_hours": "1",
            "certifications": [s.certification],
        },
        422,
        bearer=True,
    ),
    "the new-activity form preselecting someone else's certification": Foreign(
        "other", "GET", lambda s: f"/ce/activities/new?certification={s.certification}", _none, 200
    ),
    "practice over another instructor's collection questions": Foreign(
        "other", "POST", lambda s: "/quiz/start", lambda s: {"mode": "practice", "count": "5", **_qids(s)}, 422
    ),
    "practice over another instructor's collection questions (API)": Foreign(
        "other",
        "POST",
        lambda s: "/api/v1/attempts",
        lambda s: {"mode": "practice", "count": 5, "question_ids": s.collection["keys"]},
        422,
        bearer=True,
    ),
}


def _qids(s: Scene) -> dict:
    return {"question_ids": s.collection["keys"]}


@pytest.mark.parametrize("name", list(FOREIGN_IDS))
def test_ids_of_someone_elses_objects_are_refused(world, name):
    app, cast = world
    case = FOREIGN_IDS[name]
    wipe(app, cast.token_ids)
    scene = Scene(app, cast)
    path, body = case.path(scene), case.body(scene)
    before = snapshot(app)
    member = cast[case.part]
    if case.bearer:
        response = cast.bare.open(
            path, method=case.method, json=body, headers={"Authorization": f"Bearer {member.bearer}"}
        )
    elif case.method == "GET":
        response = member.client.get(path)
    else:
        response = member.client.open(path, method=case.method, data={"csrf_token": member.csrf, **body})
    where = f"{name}: {case.method} {path} as {case.part}"
    assert response.status_code == case.expect, f"{where}: {response.status_code}\n{_visible(response)[:600]}"
    _assert_no_leak(cast, scene, response, where)
    assert snapshot(app) == before, f"{where}: the database changed"


def test_secret_links_work_only_with_the_real_secret(world):
    """The public-by-design routes: the real secret opens them; a forged one reveals nothing."""
    from prep.auth.services import make_reset_token
    from prep.extensions import db
    from prep.models import User

    app, cast = world
    wipe(app, cast.token_ids)
    scene = Scene(app, cast)
    scene.invite  # noqa: B018
    other = cast["other"]
    real = other.client.get(f"/cohorts/invites/{scene.invite_secret}")
    assert real.status_code == 200 and scene.marker("Cohort") in real.get_data(as_text=True)
    before = snapshot(app)
    forged = scene.invite_secret[:-2] + ("aa" if not scene.invite_secret.endswith("aa") else "bb")
    for response in (
        other.client.get(f"/cohorts/invites/{forged}"),
        other.client.post(f"/cohorts/invites/{forged}", data={"csrf_token": other.csrf}),
    ):
        assert response.status_code == 404 and "This invitation is not valid" in response.get_data(as_text=True)
        _assert_no_leak(cast, scene, response, f"forged invitation ({response.request.method})")
    with app.app_context():
        token = make_reset_token(app.config["SECRET_KEY"], db.session.get(User, cast["learner"].id))
    assert cast.anonymous.get(f"/password/reset/{token}").status_code == 200
    for bad in (token[:-3] + ("abc" if not token.endswith("abc") else "xyz"), "not-a-token"):
        password = "a brand new passphrase"
        data = {"csrf_token": cast.anonymous_csrf, "new_password": password, "confirm": password}
        refused = cast.anonymous.post(f"/password/reset/{bad}", data=data)
        assert refused.status_code == 400 and "This reset link is not valid" in refused.get_data(as_text=True)
        _assert_no_leak(cast, scene, refused, "forged reset token")
    assert snapshot(app) == before


def _forge(secret: str) -> str:
    return secret[:-6] + ("A" if secret[-6] != "A" else "B") + secret[-5:]


def test_reminder_links_work_only_with_the_real_secret(world):
    """The calendar feed and the unsubscribe link: the real secret works; a forged one is 404."""
    from prep.extensions import db
    from prep.models import User
    from prep.reminders import services
    from prep.reminders.links import unsubscribe_token

    app, cast = world
    wipe(app, cast.token_ids)
    scene = Scene(app, cast)
    scene.certification  # noqa: B018
    with app.app_context():
        learner = db.session.get(User, cast["learner"].id)
        feed = services.calendar_token(db.session, learner, app.config)
        db.session.commit()
        unsubscribe = unsubscribe_token(app.config["SECRET_KEY"], learner.id)
    real = cast.anonymous.get(f"/calendar/{feed}.ics")
    assert real.status_code == 200 and scene.marker("CERT") in real.get_data(as_text=True)
    assert cast.anonymous.get(f"/reminders/unsubscribe/{unsubscribe}").status_code == 200
    before = snapshot(app)
    # Change a character well inside each secret: a base64 string's last character may carry
    # only padding bits, so altering it can leave the decoded signature the same.
    forged_feed, forged_link = (_forge(feed), _forge(unsubscribe))
    for response in (
        cast.anonymous.get(f"/calendar/{forged_feed}.ics"),
        cast["other"].client.get(f"/calendar/{forged_feed}.ics"),
        cast.anonymous.get(f"/reminders/unsubscribe/{forged_link}"),
        cast.bare.post(f"/reminders/unsubscribe/{forged_link}", data={"List-Unsubscribe": "One-Click"}),
    ):
        assert response.status_code == 404
        _assert_no_leak(cast, scene, response, f"forged reminder link ({response.request.path})")
    assert snapshot(app) == before
