"""`flask reminders send`: the output contract, every series, catch-up, at-most-once, failures.

Mail goes to a real SMTP server (aiosmtpd on loopback); dates are fixed with --today (and
time_machine where the command takes today's date itself).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest
import time_machine
from sqlalchemy import update

from prep.ce import cycles
from prep.ce import services as ce
from prep.models import Certification, Reminder, ReminderSettings, User
from prep.models.base import utcnow
from prep.reminders import services
from tests.conftest import BASE_CONFIG
from tests.mailbox import body_text

ROOT = Path(__file__).resolve().parent.parent
CREATED = date(2025, 1, 10)


def _user(db, auth, email="learner@example.com") -> User:
    return db.get(User, auth.user(email=email))


def _cmaa(db, user, expires_on=date(2027, 1, 10), **kw):
    """An NHA CMAA certification (12-month reinstatement window in the catalog)."""
    values = {
        "credential": "nha-cmaa",
        "number": "CMAA-77",
        "cycle_start": date(2025, 1, 10),
        "expires_on": expires_on,
        "today": CREATED,
        **kw,
    }
    certification = ce.add_certification(db, user, **values)
    db.commit()
    return certification


def _send(runner, today: str, *extra: str):
    return runner.invoke(args=["reminders", "send", "--today", today, *extra])


def _lines(result) -> list[list[str]]:
    return [line.split("\t") for line in result.output.strip().splitlines()]


def test_send_prints_one_line_per_reminder_and_mails_each(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    cert = _cmaa(db, user)
    result = _send(runner, "2026-12-20")
    assert result.exit_code == 0, result.output
    assert _lines(result) == [
        ["learner@example.com", str(cert.id), "expiry-30d", "2026-12-11"],
        ["learner@example.com", str(cert.id), "pace-3m", "2026-10-10"],
        ["sent 2"],
    ]
    assert len(mailbox.messages) == 2
    expiry = next(m for m in mailbox.messages if "expire" in m["Subject"].lower())
    text = body_text(expiry)
    assert "CMAA CMAA-77" in text and "CMAA CMAA-77" in expiry["Subject"]
    assert "2027-01-10" in text or "January 10, 2027" in text
    html = expiry.get_body(preferencelist=("html",)).get_content()
    assert "<a href=" in html
    # the deadline as .ics, one-click unsubscribe headers
    ics = next(p for p in expiry.iter_attachments() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("DTSTART") for e in events] == [date(2027, 1, 10)]
    assert expiry["List-Unsubscribe"].startswith("<http://prep.test/reminders/unsubscribe/")
    assert expiry["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    rows = db.query(Reminder).order_by(Reminder.kind).all()
    assert [(r.kind, r.emailed_at is not None) for r in rows] == [("expiry-30d", True), ("pace-3m", True)]


def test_a_second_run_sends_nothing_and_the_next_offset_sends_one(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    _cmaa(db, user)
    assert _send(runner, "2026-12-20").output.strip().endswith("sent 2")
    assert _send(runner, "2026-12-20").output.strip() == "sent 0"
    assert _send(runner, "2026-12-26").output.strip() == "sent 0"
    result = _send(runner, "2026-12-27")
    assert [line[2] for line in _lines(result)[:-1]] == ["expiry-14d"]
    assert len(mailbox.messages) == 3


def test_catch_up_sends_only_the_latest_of_each_series(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    _cmaa(db, user)
    # the job never ran before 5 January: 90, 60, 30 and 14 days are skipped, 7 days is sent
    result = _send(runner, "2027-01-05")
    assert [line[2:] for line in _lines(result)[:-1]] == [["expiry-7d", "2027-01-03"], ["pace-3m", "2026-10-10"]]
    assert db.query(Reminder).count() == 2


def test_after_expiry_and_reinstatement_reminders(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    _cmaa(db, user)
    sent = []
    for day in ("2027-01-11", "2027-02-10", "2027-12-11", "2028-01-03", "2028-01-11"):
        sent += [line[2] for line in _lines(_send(runner, day))[:-1]]
    assert sent == ["expired", "expired-1m", "reinstatement-30d", "reinstatement-7d"]
    assert "reinstat" in body_text(mailbox.messages[-1]).lower()


def test_provisional_reminders_before_the_conversion_deadline(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    _cmaa(
        db,
        user,
        provisional=True,
        test_date=date(2026, 6, 1),
        expires_on=None,
        cycle_start=date(2026, 6, 1),
        today=date(2026, 6, 2),
    )
    result = _send(runner, "2027-05-10")
    assert [line[2:] for line in _lines(result)[:-1]] == [["provisional-30d", "2027-05-02"]]


def test_no_pace_nudge_for_someone_on_pace(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    cert = _cmaa(db, user)
    ce.log_activity(
        db,
        user,
        title="Coding update",
        provider="Acme",
        completed_on=date(2026, 9, 1),
        contact_hours=Decimal("20"),  # NHA: 2 contact hours per credit, so the 10 credits
        today=date(2026, 9, 1),
        certification_ids=[cert.id],
    )
    db.commit()
    result = _send(runner, "2026-12-20")
    assert [line[2] for line in _lines(result)[:-1]] == ["expiry-30d"]
    assert "ready" in body_text(mailbox.messages[0]).lower()


def test_a_renewal_starts_the_next_cycles_reminders(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    cert = _cmaa(db, user)
    assert _send(runner, "2026-12-20").exit_code == 0
    cycles.record_renewal(db, cert, date(2026, 12, 21), date(2026, 12, 21))
    db.commit()
    assert cert.expires_on == date(2029, 1, 10)
    assert _send(runner, "2027-01-05").output.strip() == "sent 0"  # the old cycle's 7-day reminder is gone


def test_dry_run_lists_and_changes_nothing(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    cert = _cmaa(db, user)
    result = _send(runner, "2026-12-20", "--dry-run")
    assert _lines(result) == [
        ["learner@example.com", str(cert.id), "expiry-30d", "2026-12-11"],
        ["learner@example.com", str(cert.id), "pace-3m", "2026-10-10"],
        ["would send 2"],
    ]
    assert mailbox.messages == []
    assert db.query(Reminder).count() == 0


def test_without_a_today_option_the_command_uses_the_utc_date(app, db, auth, runner, mailbox):
    _cmaa(db, _user(db, auth))
    with time_machine.travel("2026-12-20 23:30:00+00:00", tick=False):
        result = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert "expiry-30d\t2026-12-11" in result.output


def test_smtp_failure_leaves_the_reminder_unsent_and_the_others_go(app, db, auth, runner, mailbox):
    first = _user(db, auth, "first@example.com")
    second = _user(db, auth, "second@example.com")
    _cmaa(db, first)
    _cmaa(db, second)
    mailbox.refuse_recipients = {"first@example.com"}
    result = _send(runner, "2026-12-20")
    assert result.exit_code == 1
    assert "failed\tfirst@example.com" in result.stderr
    assert {m["To"] for m in mailbox.messages} == {"second@example.com"}
    assert result.stdout.strip().splitlines()[-1] == "sent 2"
    unsent = db.query(Reminder).filter(Reminder.user_id == first.id).all()
    assert unsent and all(r.emailed_at is None and r.email_claimed_at is None for r in unsent)
    assert all("550" in r.email_error for r in unsent)
    mailbox.refuse_recipients = set()
    retried = _send(runner, "2026-12-20")
    assert retried.exit_code == 0
    assert [line[0] for line in _lines(retried)[:-1]] == ["first@example.com", "first@example.com"]
    assert _send(runner, "2026-12-20").output.strip() == "sent 0"


def test_a_refused_connection_is_reported_and_retried(app, db, auth, runner, mailbox):
    _cmaa(db, _user(db, auth))
    app.config["MAIL_PORT"] = 9  # nothing listens on the discard port
    from prep.extensions import mail

    mail.init_app(app)
    result = _send(runner, "2026-12-20")
    assert result.exit_code == 1
    assert result.stdout.strip() == "sent 0"
    assert db.query(Reminder).filter(Reminder.email_claimed_at.is_not(None)).count() == 0


def test_settings_decide_who_gets_email(app, db, auth, runner, mailbox):
    off = _user(db, auth, "off@example.com")
    no_email = _user(db, auth, "inapp@example.com")
    fewer = _user(db, auth, "fewer@example.com")
    for user in (off, no_email, fewer):
        _cmaa(db, user)
    config = app.config
    services.update_settings(db, off, config, enabled=False, email=True, in_app=True, expiry_offsets="30")
    services.update_settings(db, no_email, config, enabled=True, email=False, in_app=True, expiry_offsets="30")
    services.update_settings(db, fewer, config, enabled=True, email=True, in_app=True, expiry_offsets="45, 3")
    db.commit()
    result = _send(runner, "2026-12-20")
    assert [(line[0], line[2]) for line in _lines(result)[:-1]] == [
        ("fewer@example.com", "expiry-45d"),
        ("fewer@example.com", "pace-3m"),
    ]


def test_one_click_unsubscribe_from_the_email_stops_emails(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    _cmaa(db, user)
    _send(runner, "2026-12-20")
    link = mailbox.messages[0]["List-Unsubscribe"].strip("<>")
    anonymous = app.test_client()
    response = anonymous.post(link, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    db.expire_all()
    assert db.get(ReminderSettings, user.id).email is False
    assert _send(runner, "2026-12-27").output.strip() == "sent 0"
    assert len(mailbox.messages) == 2


def test_send_needs_server_name_for_its_links(app, db, auth, runner, mailbox):
    _cmaa(db, _user(db, auth))
    app.config["SERVER_NAME"] = None
    result = _send(runner, "2026-12-20")
    assert result.exit_code == 2
    assert "SERVER_NAME" in result.output
    assert db.query(Reminder).count() == 0


def _command_env(database_url: str, smtp_port: int) -> dict:
    return {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": BASE_CONFIG["SECRET_KEY"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_DEFAULT_SENDER": BASE_CONFIG["MAIL_DEFAULT_SENDER"],
        "SERVER_NAME": "prep.test",
    }


def test_two_hosts_running_at_once_send_each_reminder_once(app, db, auth, mailbox, database_url, smtp_server):
    """Two real processes on one database (SQLite file or PostgreSQL), racing over 12 reminders."""
    for n in range(6):
        _cmaa(db, _user(db, auth, f"learner{n}@example.com"), number=f"N{n}")
    mailbox.delay = 0.05  # a slow server keeps both runs busy at the same time
    controller, _ = smtp_server
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "send", "--today", "2026-12-20"]
    env = _command_env(database_url, controller.port)
    runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    runs.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    lines = [line for out, _ in outputs for line in out.strip().splitlines()]
    totals = [int(line.split()[1]) for line in lines if line.startswith("sent ")]
    sent_lines = [line for line in lines if not line.startswith("sent ")]
    assert sum(totals) == 12
    assert len(sent_lines) == len(set(sent_lines)) == 12
    received = sorted((m["To"], m["Subject"]) for m in mailbox.messages)
    assert len(received) == len(set(received)) == 12
    db.expire_all()
    assert db.query(Reminder).filter(Reminder.emailed_at.is_not(None)).count() == 12


def test_the_claim_is_refused_to_a_second_session(app, db, auth):
    """The database, not the process, decides: a committed claim cannot be taken again."""
    from sqlalchemy.orm import Session

    from prep.extensions import db as flask_db

    user = _user(db, auth)
    cert = _cmaa(db, user)
    policy = services.policy_for(services.settings_for(db, user, app.config), app.config)
    due = services.due_for_certification(db, user, cert, policy, date(2026, 12, 20))[0]
    assert due.planned.kind == "expiry-30d"
    first = services.claim_email(db, due, cert.created_at)
    db.commit()
    assert first is not None
    with Session(flask_db.engine) as other:
        assert services.claim_email(other, due, cert.created_at) is None
        other.commit()
    assert services.claim_email(db, due, cert.created_at) is None
    assert db.query(Reminder).count() == 1


def test_any_error_while_sending_releases_the_claim_and_the_others_go(app, db, auth, runner, mailbox):
    broken = _cmaa(db, _user(db, auth, "first@example.com"))
    _cmaa(db, _user(db, auth, "second@example.com"))
    # a number saved before line breaks were refused: Flask-Mail refuses it in the subject
    db.execute(update(Certification).where(Certification.id == broken.id).values(number="12\nBcc: x@example.com"))
    db.commit()
    result = _send(runner, "2026-12-20")
    assert result.exit_code == 1
    assert "failed\tfirst@example.com" in result.stderr and "BadHeaderError" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "sent 2"
    assert {m["To"] for m in mailbox.messages} == {"second@example.com"}
    rows = db.query(Reminder).filter(Reminder.certification_id == broken.id).all()
    assert rows and all(r.email_claimed_at is None and r.emailed_at is None for r in rows)


def test_line_breaks_are_refused_in_certification_numbers(app, db, auth):
    with pytest.raises(ce.CeError) as refused:
        _cmaa(db, _user(db, auth), number="12\r\nBcc: x@example.com")
    assert "line breaks" in refused.value.fields["number"]


def test_a_credential_missing_from_the_catalog_stops_no_one_else(app, db, auth, runner, mailbox, client):
    orphan_owner = _user(db, auth, "orphan@example.com")
    orphan = _cmaa(db, orphan_owner)
    _cmaa(db, _user(db, auth, "second@example.com"))
    db.execute(update(Certification).where(Certification.id == orphan.id).values(credential="withdrawn-credential"))
    db.commit()
    result = _send(runner, "2026-12-20")
    assert result.exit_code == 0, result.output
    assert {m["To"] for m in mailbox.messages} == {"second@example.com"}
    with app.app_context():
        token = services.calendar_token(db, orphan_owner, app.config)
        db.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_a_certification_deleted_during_the_run_is_skipped(app, db, auth):
    user = _user(db, auth)
    cert = _cmaa(db, user)
    [due, *_] = list(services.pending_emails(db, app.config, date(2026, 12, 20)))
    db.rollback()
    from sqlalchemy.orm import Session

    from prep.extensions import db as flask_db

    with Session(flask_db.engine) as other:
        other.delete(other.get(Certification, cert.id))
        other.commit()
    assert services.claim_email(db, due, utcnow()) is None
    db.commit()
    assert db.query(Reminder).count() == 0


def test_correcting_the_expiry_date_does_not_send_the_same_reminders_again(app, db, auth, runner, mailbox):
    user = _user(db, auth)
    cert = _cmaa(db, user)
    assert _send(runner, "2026-12-20").output.strip().endswith("sent 2")
    ce.update_certification(
        db,
        cert,
        number=cert.number,
        cycle_start=cert.cycle_start,
        expires_on=date(2027, 1, 11),
        provisional=False,
        test_date=None,
        credentials_held=None,
        today=date(2026, 12, 20),
    )
    db.commit()
    assert _send(runner, "2026-12-20").output.strip() == "sent 0"
    assert len(mailbox.messages) == 2


def test_a_stalled_smtp_server_times_out_and_is_reported(app, db, auth, runner, mailbox):
    _cmaa(db, _user(db, auth))
    with socket.socket() as silent:  # accepts connections (the backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config.update(MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=1)
        from prep.extensions import mail

        mail.init_app(app)
        result = _send(runner, "2026-12-20")
    assert result.exit_code == 1
    assert "timed out" in result.stderr
    assert db.query(Reminder).filter(Reminder.email_claimed_at.is_not(None)).count() == 0


def test_settings_created_by_two_sessions_at_once_do_not_fail(app, db, auth):
    """The first calendar address of a user asked for twice at the same moment: no error."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from prep.extensions import db as flask_db

    user = _user(db, auth)

    def the_other_request_wins(session, _context, _instances):
        with Session(flask_db.engine) as other:
            services.update_settings(
                other, other.get(User, user.id), app.config, enabled=True, email=False, in_app=True, expiry_offsets="30"
            )
            other.commit()

    # just before this session inserts its settings row, another one commits the same row
    event.listen(db.registry(), "before_flush", the_other_request_wins, once=True)
    token = services.calendar_token(db, user, app.config)
    db.commit()
    saved = db.get(ReminderSettings, user.id)
    assert saved.calendar_token == token and saved.email is False and saved.expiry_offsets == "30"
