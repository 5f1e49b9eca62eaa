"""Reminder pages: the list, the banner, dismissing, settings, the calendar address, unsubscribing.

Today is frozen at 2026-11-27. A CMAA expiring on 2026-12-17 (20 days left) has its
`expiry-30d` reminder due (and `pace-3m`, having earned nothing).
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from prep.ce.services import log_activity
from prep.extensions import db as _db
from prep.models import Certification, User
from prep.models.reminder import Reminder, ReminderSettings
from prep.reminders.links import unsubscribe_token
from prep.reminders.wording import days_phrase, kind_label
from tests.conftest import csrf_token

TODAY = date(2026, 11, 27)
BANNER = 'class="reminder-banner"'
HEADLINE = "Your CMAA 123456 certification expires on December 17, 2026, in 20 days."
MISSING = "You still need 10 credits: you have earned 0 of the 10 credits this cycle requires."


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-11-27T15:00:00Z", tick=False):
        yield


def _certification(
    app, user_id, credential="nha-cmaa", number="123456", cycle_start=date(2024, 12, 17), expires_on=date(2026, 12, 17)
):
    with app.app_context():
        certification = Certification(
            user_id=user_id, credential=credential, number=number, cycle_start=cycle_start, expires_on=expires_on
        )
        _db.session.add(certification)
        _db.session.commit()
        return certification.id


def _settings(app, user_id) -> ReminderSettings | None:
    with app.app_context():
        settings = _db.session.get(ReminderSettings, user_id)
        if settings is not None:
            _db.session.expunge(settings)
        return settings


def _save_settings(client, **fields):
    data = {"enabled": "y", "email": "y", "in_app": "y", "expiry_offsets": "90, 60, 30, 14, 7, 1", **fields}
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = csrf_token(client, "/reminders/settings")
    return client.post("/reminders/settings", data=data)


def _dismiss(client, certification_id, kind="expiry-30d", next_url=None):
    data = {"certification_id": str(certification_id), "kind": kind, "csrf_token": csrf_token(client, "/reminders/")}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/reminders/dismiss", data=data)


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_pages_need_a_login_except_unsubscribe(client):
    for path in ("/reminders/", "/reminders/settings"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_settings_are_saved(app, auth, client):
    user_id = auth.login_as()
    page = _page(client, "/reminders/settings")
    assert 'value="90, 60, 30, 14, 7, 1"' in page
    assert "12, 6, 3 months before expiry" in page and "60, 30, 7 days before its conversion deadline" in page
    response = _save_settings(client, email=None, expiry_offsets="7 30;30")
    assert response.status_code == 302 and response.headers["Location"].endswith("/reminders/settings")
    settings = _settings(app, user_id)
    assert (settings.enabled, settings.email, settings.in_app, settings.expiry_offsets) == (True, False, True, "30, 7")
    assert 'value="30, 7"' in _page(client, "/reminders/settings")


def test_checkpoints_come_from_the_configuration(app, auth, client):
    app.config["REMINDER_PACE_MONTHS"] = (9, 2)
    auth.login_as()
    assert "9, 2 months before expiry" in _page(client, "/reminders/settings")


@pytest.mark.parametrize(
    ("offsets", "message"),
    [("30, soon", "“soon” is not a whole number of days."), ("0", "0 is outside 1 to 730 days.")],
)
def test_bad_offsets_are_refused_naming_the_field_and_nothing_is_saved(app, auth, client, offsets, message):
    user_id = auth.login_as()
    assert _save_settings(client, expiry_offsets="60, 7").status_code == 302
    response = _save_settings(client, enabled=None, expiry_offsets=offsets)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        f'<p class="error" id="expiry_offsets-error"><span class="visually-hidden">Error: </span>{message}</p>' in page
    )
    assert 'aria-describedby="expiry_offsets-hint expiry_offsets-error"' in page
    settings = _settings(app, user_id)
    assert (settings.enabled, settings.expiry_offsets) == (True, "60, 7")


def test_the_banner_shows_the_most_urgent_reminder_on_the_dashboard_and_ce_pages(app, auth, client):
    user_id = auth.login_as()
    cert_id = _certification(app, user_id)
    for path in ("/dashboard", "/ce/", f"/ce/certifications/{cert_id}", "/reminders/"):
        page = _page(client, path)
        assert page.count(BANNER) == 1, path
        banner = page.split(BANNER, 1)[1].split("</section>", 1)[0]
        assert HEADLINE in banner and MISSING in banner, path
        assert '<input type="hidden" name="kind" value="expiry-30d">' in banner
    assert f'<a href="/ce/certifications/{cert_id}">Go to CMAA 123456</a>' in _page(client, "/dashboard")
    for path in ("/ce/credentials", "/reminders/settings", "/account"):
        assert BANNER not in _page(client, path), path


def test_the_list_shows_every_current_reminder_most_urgent_first(app, auth, client):
    user_id = auth.login_as()
    _certification(app, user_id)
    page = _page(client, "/reminders/")
    listed = page.split('id="current-heading"', 1)[1]
    expiry = listed.index("CMAA 123456 expires in 20 days: 10 credits still needed")
    pace = listed.index("CMAA 123456: behind an even CE pace")
    assert expiry < pace
    assert "At an even pace you would have earned" in listed
    assert listed.count("Dismiss<span") == 2


def test_ready_to_renew_is_said_when_the_requirement_is_met(app, auth, client):
    user_id = auth.login_as()
    cert_id = _certification(app, user_id)
    with app.app_context():
        log_activity(
            _db.session,
            _db.session.get(User, user_id),
            title="Compliance day",
            provider="Acme CE",
            completed_on=date(2026, 6, 1),
            contact_hours=Decimal("20"),
            today=TODAY,
            category="general",
            format="live",
            certification_ids=[cert_id],
        )
        _db.session.commit()
    banner = _page(client, "/dashboard").split(BANNER, 1)[1].split("</section>", 1)[0]
    assert HEADLINE in banner
    assert (
        "You have earned the 10 credits this cycle requires: you are ready to renew with National Healthcareer "
        "Association (NHA)." in banner
    )
    assert "You still need" not in banner
    assert "CMAA 123456 expires in 20 days: ready to renew" in _page(client, "/reminders/")


def test_master_switch_off_hides_the_banner_and_the_list(app, auth, client):
    user_id = auth.login_as()
    _certification(app, user_id)
    assert _save_settings(client, enabled=None).status_code == 302
    assert BANNER not in _page(client, "/dashboard")
    page = _page(client, "/reminders/")
    assert "You have turned renewal reminders off" in page and "expires in 20 days" not in page


def test_in_app_off_hides_the_banner_but_not_the_list(app, auth, client):
    user_id = auth.login_as()
    _certification(app, user_id)
    assert _save_settings(client, in_app=None).status_code == 302
    assert BANNER not in _page(client, "/dashboard")
    assert BANNER not in _page(client, "/ce/")
    assert HEADLINE in _page(client, "/reminders/")


def test_dismissing_hides_the_banner_and_another_user_gets_404(app, auth, client):
    user_id = auth.login_as()
    cert_id = _certification(app, user_id)
    assert _dismiss(client, cert_id, kind="expiry-99d").status_code == 404
    response = _dismiss(client, cert_id, next_url="/dashboard")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    page = _page(client, "/dashboard")
    assert "Reminder dismissed" in page
    banner = page.split(BANNER, 1)[1].split("</section>", 1)[0]  # the next reminder takes its place
    assert "behind an even CE pace" in banner and HEADLINE not in banner
    assert "Dismissed: not shown in the banner." in _page(client, "/reminders/")
    assert _dismiss(client, cert_id, next_url="https://evil.example/").headers["Location"] == "/reminders/"

    other = app.test_client()
    auth.user(email="other@example.com")
    token = csrf_token(other, "/login")
    other.post(
        "/login", data={"email": "other@example.com", "password": "a long passphrase for tests", "csrf_token": token}
    )
    assert _dismiss(other, cert_id, kind="pace-3m").status_code == 404
    with app.app_context():
        rows = _db.session.query(Reminder).filter_by(certification_id=cert_id).all()
        assert [(r.kind, r.dismissed_at is not None) for r in rows] == [("expiry-30d", True)]


def test_after_expiry_wording_and_the_history_of_emails(app, auth, client):
    user_id = auth.login_as()
    expired = _certification(app, user_id, number="111", cycle_start=date(2024, 10, 31), expires_on=date(2026, 10, 31))
    closing = _certification(app, user_id, number="222", cycle_start=date(2023, 12, 20), expires_on=date(2025, 12, 20))
    _certification(
        app, user_id, credential="amt-rma", number="333", cycle_start=date(2023, 9, 1), expires_on=date(2026, 9, 1)
    )
    with app.app_context():
        _db.session.add(
            Reminder(
                user_id=user_id,
                certification_id=expired,
                cycle_start=date(2024, 10, 31),
                series="after-expiry",
                kind="expired",
                due_on=date(2026, 11, 1),
                deadline=date(2027, 10, 31),
                email_claimed_at=datetime(2026, 11, 1, 7, tzinfo=UTC),
                emailed_at=datetime(2026, 11, 1, 7, tzinfo=UTC),
                email_error="",
            )
        )
        _db.session.commit()
    page = _page(client, "/reminders/")
    assert (
        "Your CMAA 111 certification expired on October 31, 2026. The last day to reinstate it is October 31, 2027, in 338 days."
        in page
    )
    assert "The last day to reinstate your CMAA 222 certification is December 20, 2026, in 23 days." in page
    assert (
        "lapsed (the exam must be retaken). Check the conditions of reinstatement with National Healthcareer Association (NHA)."
        in page
    )
    assert (
        "The tracker knows no reinstatement window for RMA (AMT): check with American Medical Technologists (AMT) what is possible now."
        in page
    )
    history = page.split('id="history-heading"', 1)[1]
    assert "2026-11-01" in history and f'<a href="/ce/certifications/{expired}">CMAA 111</a>' in history
    assert '<td data-label="Reminder">Expired</td>' in history
    assert "No reminder has been emailed to you yet." not in history
    assert closing


def test_empty_states(auth, client):
    auth.login_as()
    page = _page(client, "/reminders/")
    assert "No reminder is due today." in page and "No reminder has been emailed to you yet." in page
    assert BANNER not in _page(client, "/dashboard")


def test_account_page_links_to_the_reminder_settings(auth, client):
    auth.login_as()
    assert '<a href="/reminders/settings">reminder settings</a>' in _page(client, "/account")


def test_one_click_unsubscribe_works_without_a_login_or_csrf_token(app, auth):
    user_id = auth.user()
    path = f"/reminders/unsubscribe/{unsubscribe_token(app.config['SECRET_KEY'], user_id)}"
    browser = app.test_client()
    page = browser.get(path).get_data(as_text=True)
    assert "Stop sending renewal reminder emails to <strong>learner@example.com</strong>?" in page
    assert _settings(app, user_id) is None  # looking does not unsubscribe (link scanners fetch links)

    mail_provider = app.test_client(use_cookies=False)
    for _ in range(2):  # idempotent
        response = mail_provider.post(
            path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert "reminder emails to <strong>learner@example.com</strong> have stopped" in response.get_data(as_text=True)
    settings = _settings(app, user_id)
    assert (settings.enabled, settings.email, settings.in_app) == (True, False, True)
    assert "are already off" in browser.get(path).get_data(as_text=True)


def test_a_forged_unsubscribe_token_is_404_and_changes_nothing(app, auth):
    user_id = auth.user()
    forged = unsubscribe_token("another-secret", user_id)
    real = unsubscribe_token(app.config["SECRET_KEY"], user_id)
    # altered well inside the signature (a base64 string's last character may be only padding)
    tampered = real[:-6] + ("A" if real[-6] != "A" else "B") + real[-5:]
    client = app.test_client(use_cookies=False)
    for token in (forged, tampered, "nonsense"):
        assert client.get(f"/reminders/unsubscribe/{token}").status_code == 404
        assert client.post(f"/reminders/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    deleted = unsubscribe_token(app.config["SECRET_KEY"], user_id + 1000)
    assert client.post(f"/reminders/unsubscribe/{deleted}").status_code == 404
    assert _settings(app, user_id) is None


def test_forms_still_need_a_csrf_token(app, auth, client):
    user_id = auth.login_as()
    cert_id = _certification(app, user_id)
    posts = {
        "/reminders/settings": {"expiry_offsets": "5"},
        "/reminders/dismiss": {"certification_id": str(cert_id), "kind": "expiry-30d"},
        "/reminders/calendar/rotate": {},
    }
    for path, data in posts.items():
        assert client.post(path, data=data).status_code == 400, path
        assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400, path
    assert _settings(app, user_id) is None
    with app.app_context():
        assert _db.session.query(Reminder).count() == 0


def test_rotating_gives_a_new_calendar_address(app, auth, client):
    user_id = auth.login_as()
    assert "You have no calendar address yet." in _page(client, "/reminders/settings")

    def rotate():
        response = client.post(
            "/reminders/calendar/rotate", data={"csrf_token": csrf_token(client, "/reminders/settings")}
        )
        assert response.status_code == 302
        return _settings(app, user_id).calendar_token

    first = rotate()
    page = _page(client, "/reminders/settings")
    assert "Your private calendar feed address is ready." in page
    assert f'value="http://prep.test/calendar/{first}.ics"' in page
    second = rotate()
    assert second and second != first
    page = _page(client, "/reminders/settings")
    assert "The old address has stopped working." in page
    assert f"/calendar/{second}.ics" in page and first not in page


def test_a_provisional_certification_is_reminded_of_its_conversion_deadline(app, auth, client):
    user_id = auth.login_as()
    with app.app_context():
        _db.session.add(
            Certification(
                user_id=user_id,
                credential="nha-cmaa",
                number="444",
                cycle_start=date(2025, 12, 20),
                expires_on=date(2026, 12, 20),
                provisional=True,
                test_date=date(2025, 12, 20),
            )
        )
        _db.session.commit()
    banner = _page(client, "/ce/").split(BANNER, 1)[1].split("</section>", 1)[0]
    assert "Your provisional CMAA 444 certification must be converted by December 20, 2026, in 23 days." in banner
    assert "Check with National Healthcareer Association (NHA) what the conversion requires." in banner
    assert "Convert your provisional CMAA 444 by December 20, 2026" in _page(client, "/reminders/")


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("expiry-1d", "1 day before expiry"),
        ("expiry-30d", "30 days before expiry"),
        ("pace-6m", "CE pace check, 6 months before expiry"),
        ("expired", "Expired"),
        ("expired-1m", "1 month after expiry"),
        ("expired-3m", "3 months after expiry"),
        ("reinstatement-7d", "7 days before the reinstatement window closes"),
        ("provisional-60d", "60 days before the conversion deadline"),
        ("something-else", "something-else"),
    ],
)
def test_kind_labels(kind, words):
    assert kind_label(kind) == words


@pytest.mark.parametrize(("days", "words"), [(0, "today"), (1, "tomorrow"), (2, "in 2 days"), (20, "in 20 days")])
def test_days_phrase(days, words):
    assert days_phrase(days) == words
