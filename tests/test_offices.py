"""Offices: members share their certifications' status (or stop); managers see every shared
certification by urgency, export it, and get an optional weekly summary by email."""

from __future__ import annotations

import csv
import io
import socket
from datetime import timedelta
from decimal import Decimal

import pytest

from prep.extensions import db
from prep.models import CeActivity, CeApplication, Certification, Office, OfficeSummary
from prep.models.base import utcnow
from tests.classroom import person, post
from tests.mailbox import body_text, free_port

TODAY = utcnow().date()


def _certification(app, user_id: int, cycle_start, expires_on, earned_hours: int = 0, number: str = "123") -> None:
    with app.app_context():
        cert = Certification(
            user_id=user_id, credential="nha-cmaa", number=number, cycle_start=cycle_start, expires_on=expires_on
        )
        db.session.add(cert)
        db.session.flush()
        if earned_hours:
            activity = CeActivity(
                user_id=user_id,
                title="Compliance course",
                provider="Provider",
                completed_on=TODAY - timedelta(days=10),
                contact_hours=Decimal(earned_hours),
            )
            db.session.add(activity)
            db.session.flush()
            db.session.add(CeApplication(activity_id=activity.id, certification_id=cert.id))
        db.session.commit()


@pytest.fixture
def office(app):
    """An office with a manager and three members: Ann and Bob share, Cy does not."""
    manager, _ = person(app, "boss@example.com", name="Meg Manager")
    created = post(manager, "/offices/", {"name": "Main Street Clinic"}, page="/offices/")
    office_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        code = db.session.get(Office, office_id).join_code
    people = {}
    for name in ("Ann", "Bob", "Cy"):
        client, user_id = person(app, f"{name.lower()}@example.com", name=f"{name} Staff")
        assert post(client, "/offices/join", {"code": code}, page="/offices/").status_code == 302
        people[name] = (client, user_id)
    ann, bob, cy = (people[n][1] for n in ("Ann", "Bob", "Cy"))
    _certification(app, ann, TODAY - timedelta(days=1230), TODAY - timedelta(days=500))  # lapsed
    _certification(app, ann, TODAY, TODAY + timedelta(days=730))  # on track
    _certification(app, bob, TODAY - timedelta(days=760), TODAY - timedelta(days=30))  # reinstatable
    _certification(app, bob, TODAY - timedelta(days=100), TODAY + timedelta(days=630), earned_hours=20)  # complete
    _certification(app, cy, TODAY - timedelta(days=400), TODAY + timedelta(days=330))  # behind pace
    for name in ("Ann", "Bob"):
        post(people[name][0], f"/offices/{office_id}/sharing", {"share": "on"}, page="/offices/")
    return manager, office_id, people


def test_the_manager_sees_shared_certifications_by_urgency(app, office):
    manager, office_id, people = office
    page = manager.get(f"/offices/{office_id}").get_data(as_text=True)
    order = [page.index(s) for s in ("Lapsed", "Expired: can still be reinstated", "On track", "Requirement complete")]
    assert order == sorted(order)
    assert "Ann Staff" in page and "Bob Staff" in page
    assert "Cy Staff</th>" in page  # listed as a member...
    assert "Behind pace" not in page  # ...but nothing of what Cy does not share
    assert "10 / 10 credits" in page and "0 / 10 credits" in page
    assert f"{(TODAY + timedelta(days=730)).isoformat()}" in page

    export = manager.get(f"/offices/{office_id}/export.csv")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [(r["name"], r["state"]) for r in rows] == [
        ("Ann Staff", "lapsed"),
        ("Bob Staff", "expired-reinstatable"),
        ("Ann Staff", "on-track"),
        ("Bob Staff", "complete"),
    ]
    assert rows[1]["days_left"] == "-30" and rows[1]["reinstate_until"]
    assert rows[3]["earned"] == "10" and rows[3]["required"] == "10" and rows[3]["unit"] == "credits"

    ann = people["Ann"][0]
    stopped = post(ann, f"/offices/{office_id}/sharing", {"share": "off"}, page="/offices/", follow_redirects=True)
    assert "no longer see your certifications" in stopped.get_data(as_text=True)
    after = manager.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Lapsed" not in after and "On track" not in after and "Expired: can still be reinstated" in after


def test_only_managers_reach_the_office_view(app, office):
    manager, office_id, people = office
    ann = people["Ann"][0]
    for path in (f"/offices/{office_id}", f"/offices/{office_id}/export.csv"):
        assert ann.get(path).status_code == 404
    assert post(ann, f"/offices/{office_id}/code", page="/offices/").status_code == 404
    assert post(ann, f"/offices/{office_id}/members/{people['Bob'][1]}/remove", page="/offices/").status_code == 404
    stranger, _ = person(app, "stranger@example.com")
    assert stranger.get(f"/offices/{office_id}").status_code == 404
    assert post(stranger, f"/offices/{office_id}/sharing", {"share": "on"}, page="/offices/").status_code == 404
    other_manager, _ = person(app, "other@example.com")
    post(other_manager, "/offices/", {"name": "Elsewhere"}, page="/offices/")
    assert other_manager.get(f"/offices/{office_id}").status_code == 404
    assert ">Office</a>" in manager.get("/dashboard").get_data(as_text=True)
    assert ">Office</a>" not in ann.get("/dashboard").get_data(as_text=True)


def test_roles_codes_and_leaving(app, office):
    manager, office_id, people = office
    bob_client, bob = people["Bob"]
    refused = post(manager, f"/offices/{office_id}/leave", page="/offices/", follow_redirects=True)
    assert "You are its only manager" in refused.get_data(as_text=True)
    post(manager, f"/offices/{office_id}/members/{bob}/role", {"role": "manager"}, page="/offices/")
    assert bob_client.get(f"/offices/{office_id}").status_code == 200
    post(manager, f"/offices/{office_id}/code", page="/offices/")
    assert post(manager, f"/offices/{office_id}/leave", page="/offices/").status_code == 302
    assert manager.get(f"/offices/{office_id}").status_code == 404
    cy_client, cy = people["Cy"]
    post(bob_client, f"/offices/{office_id}/members/{cy}/remove", page="/offices/")
    assert "You are not in an office." in cy_client.get("/offices/").get_data(as_text=True)


def _subscribe(manager, office_id):
    post(manager, f"/offices/{office_id}/summary", {"weekly": "on"}, page="/offices/")


def test_weekly_summary_is_sent_once_per_week(app, runner, office, mailbox):
    manager, office_id, _ = office
    nobody = runner.invoke(args=["offices", "weekly-summary", "--today", TODAY.isoformat()])
    assert nobody.exit_code == 0 and nobody.output.strip() == "sent 0"
    _subscribe(manager, office_id)
    first = runner.invoke(args=["offices", "weekly-summary", "--today", TODAY.isoformat()])
    assert first.exit_code == 0, first.output
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert first.output.splitlines() == [f"boss@example.com\t{office_id}\t{monday.isoformat()}", "sent 1"]
    message = mailbox.last_to("boss@example.com")
    assert "Main Street Clinic: staff CE status" in message["Subject"]
    text = body_text(message)
    assert text.index("Ann Staff, CMAA: Lapsed") < text.index("Bob Staff, CMAA: Expired")
    assert "Cy Staff" not in text and f"http://prep.test/offices/{office_id}" in text
    again = runner.invoke(args=["offices", "weekly-summary", "--today", (monday + timedelta(days=6)).isoformat()])
    assert again.output.strip() == "sent 0"
    next_week = runner.invoke(args=["offices", "weekly-summary", "--today", (monday + timedelta(days=7)).isoformat()])
    assert next_week.output.strip().endswith("sent 1")


def test_a_failed_summary_is_released_for_the_next_run(app, runner, office, mailbox):
    manager, office_id, _ = office
    _subscribe(manager, office_id)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    app.extensions["mail"].port = app.config["MAIL_PORT"]
    try:
        failed = runner.invoke(args=["offices", "weekly-summary", "--today", TODAY.isoformat()])
    finally:
        app.config["MAIL_PORT"] = port
        app.extensions["mail"].port = port
    assert failed.exit_code == 1 and "sent 0" in failed.output
    with app.app_context():
        assert db.session.query(OfficeSummary).count() == 0
    retried = runner.invoke(args=["offices", "weekly-summary", "--today", TODAY.isoformat()])
    assert retried.exit_code == 0 and retried.output.strip().endswith("sent 1")


def test_a_stalled_smtp_server_fails_the_summary_instead_of_hanging(app, runner, office, mailbox):
    manager, office_id, _ = office
    _subscribe(manager, office_id)
    port = app.config["MAIL_PORT"]
    with socket.socket() as silent:  # accepts connections (the backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config.update(MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=1)
        app.extensions["mail"].port = app.config["MAIL_PORT"]
        try:
            stalled = runner.invoke(args=["offices", "weekly-summary", "--today", TODAY.isoformat()])
        finally:
            app.config["MAIL_PORT"] = port
            app.extensions["mail"].port = port
    assert stalled.exit_code == 1 and "timed out" in stalled.stderr
    with app.app_context():
        assert db.session.query(OfficeSummary).count() == 0
