"""The private calendar feed (issue 10): its events and alarms, its URL, rotation, and validity.

Validity is checked three ways: the raw RFC 5545 text (CRLF, folding at 75 octets, required
properties), two independent parsers (icalendar and vobject), and a conversion to jCal
(RFC 7265), the JSON form calendar apps and CalDAV servers exchange.
"""

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
import vobject
from icalendar import Calendar, Component

from prep.ce import cycles
from prep.ce import services as ce_services
from prep.core.reminders import AFTER_EXPIRY, EXPIRY, PACE, PROVISIONAL, CertificationDates
from prep.extensions import db as _db
from prep.models import Certification, User
from prep.reminders import services
from prep.reminders.calendar import build_deadline_invite, build_feed, event_key_for_series, event_uid
from tests.conftest import csrf_token

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
DEFAULT_TRIGGERS = [timedelta(days=-n) for n in (90, 60, 30, 14, 7, 1)]


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(NOW, tick=False):
        yield


def _user(db, email="learner@example.com") -> User:
    return db.query(User).filter_by(email=email).one()


def add(app, email="learner@example.com", **values) -> int:
    """Add a certification for the user and commit; returns its id."""
    values = {"credential": "nha-cmaa", "number": "123456", "cycle_start": date(2025, 3, 15), **values}
    with app.app_context():
        certification = ce_services.add_certification(_db.session, _user(_db.session, email), today=TODAY, **values)
        _db.session.commit()
        return certification.id


def feed_path(app, email="learner@example.com") -> str:
    with app.app_context():
        token = services.calendar_token(_db.session, _user(_db.session, email), app.config)
        _db.session.commit()
    return f"/calendar/{token}.ics"


def fetch(client, path) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Calendar.from_ical(response.data)


def events_by_key(calendar: Calendar, certification_id: int) -> dict:
    prefix = f"certification-{certification_id}-"
    return {
        str(e["UID"]).removeprefix(prefix).removesuffix("@prep.test"): e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith(prefix)
    }


def triggers(event) -> list[timedelta]:
    return [alarm.decoded("TRIGGER") for alarm in event.walk("VALARM")]


@pytest.fixture
def learner(auth):
    auth.user()


# What the feed holds


def test_a_certification_has_its_expiry_pace_checkpoints_and_reinstatement_deadline(app, client, learner):
    cert = add(app)
    calendar = fetch(client, feed_path(app))
    events = events_by_key(calendar, cert)
    days = {key: e.decoded("DTSTART") for key, e in events.items()}
    assert days == {
        "pace-12m": date(2026, 3, 15),
        "pace-6m": date(2026, 9, 15),
        "pace-3m": date(2026, 12, 15),
        "expiry": date(2027, 3, 15),
        "reinstatement": date(2028, 3, 15),  # NHA: 12 months after expiry
    }
    expiry = events["expiry"]
    assert str(expiry["SUMMARY"]) == "CMAA 123456 expires"
    assert expiry.decoded("DTEND") == date(2027, 3, 16)
    assert expiry.decoded("DTSTAMP") == NOW
    assert str(expiry["TRANSP"]) == "TRANSPARENT"
    assert "March 15, 2027" in str(expiry["DESCRIPTION"])
    assert f"http://prep.test/ce/certifications/{cert}" in str(expiry["DESCRIPTION"])
    assert str(expiry["URL"]) == f"http://prep.test/ce/certifications/{cert}"
    assert "last day" in str(events["reinstatement"]["SUMMARY"]).lower()
    assert triggers(expiry) == DEFAULT_TRIGGERS
    assert triggers(events["reinstatement"]) == DEFAULT_TRIGGERS
    assert [triggers(events[k]) for k in ("pace-12m", "pace-6m", "pace-3m")] == [[timedelta(0)]] * 3


def test_pace_checkpoints_before_the_cycle_start_are_left_out(app, client, learner):
    cert = add(app, cycle_start=date(2026, 6, 1), expires_on=date(2027, 3, 1))
    events = events_by_key(fetch(client, feed_path(app)), cert)
    assert sorted(k for k in events if k.startswith("pace")) == ["pace-3m", "pace-6m"]
    assert events["pace-6m"].decoded("DTSTART") == date(2026, 9, 1)


def test_a_provisional_certification_has_only_its_conversion_deadline(app, client, learner):
    cert = add(app, cycle_start=date(2026, 6, 1), provisional=True, test_date=date(2026, 6, 1))
    events = events_by_key(fetch(client, feed_path(app)), cert)
    assert list(events) == ["conversion"]
    assert events["conversion"].decoded("DTSTART") == date(2027, 6, 1)
    assert "conversion" in str(events["conversion"]["SUMMARY"])
    assert triggers(events["conversion"]) == DEFAULT_TRIGGERS


def test_a_credential_without_a_reinstatement_window_has_no_reinstatement_event(app, client, learner):
    cert = add(app, credential="amt-rma", number="R-9", cycle_start=date(2025, 1, 10))
    events = events_by_key(fetch(client, feed_path(app)), cert)
    assert "reinstatement" not in events
    assert events["expiry"].decoded("DTSTART") == date(2028, 1, 10)
    assert str(events["expiry"]["SUMMARY"]) == "RMA (AMT) R-9 expires"


def test_alarms_follow_the_users_offsets_after_they_change_them(app, client, learner):
    cert = add(app)
    path = feed_path(app)
    with app.app_context():
        services.update_settings(
            _db.session, _user(_db.session), app.config, enabled=True, email=False, in_app=True, expiry_offsets="45, 10"
        )
        _db.session.commit()
    events = events_by_key(fetch(client, path), cert)
    assert triggers(events["expiry"]) == [timedelta(days=-45), timedelta(days=-10)]
    assert triggers(events["reinstatement"]) == [timedelta(days=-45), timedelta(days=-10)]
    alarm = events["expiry"].walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == "CMAA 123456 expires in 45 days, on March 15, 2027."


def test_reinstatement_alarms_never_fall_before_expiry(app, client, learner):
    cert = add(app)
    path = feed_path(app)
    with app.app_context():
        services.update_settings(
            _db.session, _user(_db.session), app.config, enabled=True, email=True, in_app=True, expiry_offsets="400, 30"
        )
        _db.session.commit()
    events = events_by_key(fetch(client, path), cert)
    assert triggers(events["expiry"]) == [timedelta(days=-400), timedelta(days=-30)]
    assert triggers(events["reinstatement"]) == [timedelta(days=-30)]


def test_with_reminders_turned_off_the_deadlines_stay_but_without_alarms(app, client, learner):
    cert = add(app)
    path = feed_path(app)
    with app.app_context():
        services.update_settings(
            _db.session, _user(_db.session), app.config, enabled=False, email=True, in_app=True, expiry_offsets="30"
        )
        _db.session.commit()
    calendar = fetch(client, path)
    assert set(events_by_key(calendar, cert)) == {"pace-12m", "pace-6m", "pace-3m", "expiry", "reinstatement"}
    assert calendar.walk("VALARM") == []


def test_uids_are_unique_in_the_feed_and_stable_across_a_renewal(app, client, learner):
    cert = add(app)
    other_cert = add(app, credential="nha-ccma", number="777", cycle_start=date(2025, 5, 1))
    path = feed_path(app)
    before = fetch(client, path)
    uids = [str(e["UID"]) for e in before.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 10
    assert event_uid(cert, "expiry", "prep.test") in uids and event_uid(other_cert, "expiry", "prep.test") in uids

    with app.app_context():
        certification = _db.session.get(Certification, cert)
        cycles.record_renewal(_db.session, certification, date(2026, 11, 20), TODAY)
        _db.session.commit()
    after = fetch(client, path)
    old, new = events_by_key(before, cert), events_by_key(after, cert)
    assert set(new) == set(old)
    assert new["expiry"].decoded("DTSTART") == date(2029, 3, 15)
    assert new["reinstatement"].decoded("DTSTART") == date(2030, 3, 15)
    for key in new:
        assert str(new[key]["UID"]) == str(old[key]["UID"])
        assert new[key].decoded("SEQUENCE") > old[key].decoded("SEQUENCE"), key
    untouched_old, untouched_new = events_by_key(before, other_cert), events_by_key(after, other_cert)
    assert {k: e.decoded("SEQUENCE") for k, e in untouched_new.items()} == {
        k: e.decoded("SEQUENCE") for k, e in untouched_old.items()
    }


def test_another_users_certifications_never_appear_in_my_feed(app, client, auth, learner):
    auth.user(email="other@example.com", name="Other Person")
    mine = add(app)
    theirs = add(app, email="other@example.com", number="999999")
    body = client.get(feed_path(app)).get_data(as_text=True)
    assert f"certification-{mine}-expiry@" in body
    assert f"certification-{theirs}-" not in body and "999999" not in body
    theirs_body = client.get(feed_path(app, "other@example.com")).get_data(as_text=True)
    assert f"certification-{theirs}-expiry@" in theirs_body and "123456" not in theirs_body
    with app.app_context():
        someone_elses = _db.session.get(Certification, theirs)
        with pytest.raises(ValueError, match="does not belong"):
            build_feed(_user(_db.session), [someone_elses], _policy(app), "prep.test", NOW)


def _policy(app):
    with app.app_context():
        return services.policy_for(services.default_settings(_user(_db.session), app.config), app.config)


# The feed URL: response, rotation, API


def test_feed_response_headers(app, client, learner):
    add(app)
    response = client.get(feed_path(app))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="cmaa-prep.ics"'
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]


@pytest.mark.parametrize("token", ["not-a-token", "x" * 200])
def test_an_unknown_token_is_a_plain_404(client, learner, token):
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"


def test_api_gives_a_stable_url_and_rotation_revokes_the_old_one(app, auth, client, learner):
    api = app.test_client()
    headers = {"Authorization": f"Bearer {auth.api_token()}"}
    first = api.get("/api/v1/calendar", headers=headers)
    assert first.status_code == 200
    assert set(first.json) == {"url"}
    url = first.json["url"]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "prep.test")
    assert parts.path.startswith("/calendar/") and parts.path.endswith(".ics")
    assert api.get("/api/v1/calendar", headers=headers).json == {"url": url}
    assert client.get(url).status_code == 200

    rotated = api.post("/api/v1/calendar/rotate", headers=headers)
    assert rotated.status_code == 200
    assert set(rotated.json) == {"url"}
    assert rotated.json["url"] != url
    assert client.get(url).status_code == 404
    assert client.get(rotated.json["url"]).status_code == 200
    assert api.get("/api/v1/calendar", headers=headers).json == rotated.json


def test_api_needs_authentication(client):
    bad_bearer = {"Authorization": "Bearer not-a-real-token"}
    for response in (
        client.get("/api/v1/calendar"),
        client.get("/api/v1/calendar", headers=bad_bearer),
        client.post("/api/v1/calendar/rotate", headers=bad_bearer),
    ):
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"
    # Without any credentials a POST is stopped earlier, by the global CSRF check.
    assert client.post("/api/v1/calendar/rotate").json["error"]["code"] == "csrf_failed"


def test_rotating_from_a_session_needs_the_csrf_token(app, auth, client):
    auth.login_as()
    url = client.get("/api/v1/calendar").json["url"]
    refused = client.post("/api/v1/calendar/rotate")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    assert client.get(url).status_code == 200
    rotated = client.post("/api/v1/calendar/rotate", headers={"X-CSRFToken": csrf_token(client, "/account")})
    assert rotated.status_code == 200
    assert client.get(url).status_code == 404


# Validity: raw text, two parsers, jCal


def _feed_bytes(app, client) -> bytes:
    add(app, number="Ünïcødé-№-" + "é" * 30)  # multibyte characters near the fold
    add(
        app,
        credential="nha-ccma",
        number="PROV-1",
        cycle_start=date(2026, 6, 1),
        provisional=True,
        test_date=date(2026, 6, 1),
    )
    return client.get(feed_path(app)).data


def test_raw_text_follows_rfc_5545(app, client, learner):
    data = _feed_bytes(app, client)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded, not just short
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    assert b"VERSION:2.0" in lines
    assert b"PRODID:-//CMAA Prep//Renewal reminders//EN" in lines
    assert b"METHOD:PUBLISH" in lines and b"CALSCALE:GREGORIAN" in lines
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    assert "Ünïcødé-№-" + "é" * 30 in unfolded


def test_a_second_parser_reads_every_event_and_alarm(app, client, learner):
    data = _feed_bytes(app, client)
    calendar = vobject.readOne(data.decode("utf-8"))
    assert calendar.version.value == "2.0"
    events = calendar.vevent_list
    assert len(events) == 6  # 5 for the certification, 1 for the provisional one
    for event in events:
        assert event.uid.value.endswith("@prep.test")
        assert event.dtstamp.value == NOW
        assert type(event.dtstart.value) is date and type(event.dtend.value) is date
        assert event.dtend.value - event.dtstart.value == timedelta(days=1)
        assert event.summary.value
        for alarm in event.valarm_list:
            assert alarm.action.value == "DISPLAY" and alarm.description.value
    by_uid = {e.uid.value.split("@")[0].split("-", 2)[2]: e for e in events}
    assert [a.trigger.value for a in by_uid["expiry"].valarm_list] == DEFAULT_TRIGGERS
    assert [a.trigger.value for a in by_uid["conversion"].valarm_list] == DEFAULT_TRIGGERS
    assert [a.trigger.value for a in by_uid["pace-6m"].valarm_list] == [timedelta(0)]
    # vobject writes it back out and reads its own output the same way.
    again = vobject.readOne(calendar.serialize())
    assert sorted(e.uid.value for e in again.vevent_list) == sorted(e.uid.value for e in events)


def test_the_feed_converts_to_jcal(app, client, learner):
    data = _feed_bytes(app, client)
    jcal = json.loads(Calendar.from_ical(data).to_json())
    name, properties, components = jcal
    assert name == "vcalendar"
    assert ["version", {}, "text", "2.0"] in properties
    assert all(isinstance(p, list) and len(p) >= 4 and isinstance(p[1], dict) for p in properties)
    events = [c for c in components if c[0] == "vevent"]
    assert len(events) == 6
    for _, event_properties, subcomponents in events:
        names = {p[0] for p in event_properties}
        assert {"uid", "dtstamp", "dtstart", "dtend", "summary"} <= names
        dtstart = next(p for p in event_properties if p[0] == "dtstart")
        assert dtstart[2] == "date" and date.fromisoformat(dtstart[3])
        assert all(s[0] == "valarm" for s in subcomponents)
    back = Component.from_jcal(jcal)
    assert sorted(str(e["UID"]) for e in back.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in Calendar.from_ical(data).walk("VEVENT")
    )


def test_an_empty_feed_is_still_a_valid_calendar(app, client, learner):
    data = client.get(feed_path(app)).data
    calendar = Calendar.from_ical(data)
    calendar.validate()
    assert calendar.walk("VEVENT") == []
    assert vobject.readOne(data.decode()).version.value == "2.0"


# The single-event invite attached to reminder emails


def test_the_deadline_invite_is_the_feeds_event(app, client, learner):
    cert = add(app)
    feed_events = events_by_key(fetch(client, feed_path(app)), cert)
    with app.app_context():
        certification = _db.session.get(Certification, cert)
        invite = Calendar.from_ical(build_deadline_invite(certification, "reinstatement", "prep.test", NOW))
        with pytest.raises(LookupError):
            build_deadline_invite(certification, "conversion", "prep.test", NOW)
    assert "METHOD" not in invite  # a plain object to import (an iTIP PUBLISH would need an ORGANIZER)
    [event] = invite.walk("VEVENT")
    expected = feed_events["reinstatement"]
    for name in ("UID", "SUMMARY", "DTSTART", "DTEND", "SEQUENCE"):
        assert event.decoded(name) == expected.decoded(name), name
    assert event.walk("VALARM") == []  # no policy given: no alarms


WINDOW = CertificationDates(date(2025, 3, 15), date(2027, 3, 15), reinstate_until=date(2028, 3, 15))
NO_WINDOW = CertificationDates(date(2025, 3, 15), date(2027, 3, 15))
PROVISIONAL_DATES = CertificationDates(date(2026, 6, 1), date(2027, 6, 1), provisional=True)


@pytest.mark.parametrize(
    ("series", "dates", "key"),
    [
        (EXPIRY, WINDOW, "expiry"),
        (PACE, WINDOW, "expiry"),
        (AFTER_EXPIRY, WINDOW, "reinstatement"),
        (AFTER_EXPIRY, NO_WINDOW, "expiry"),
        (PROVISIONAL, PROVISIONAL_DATES, "conversion"),
    ],
)
def test_event_key_for_series(series, dates, key):
    assert event_key_for_series(series, dates) == key


def test_event_key_for_an_unknown_series_is_refused():
    with pytest.raises(ValueError):
        event_key_for_series("weekly", WINDOW)
