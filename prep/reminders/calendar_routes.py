"""The private calendar feed: GET /calendar/<token>.ics, no login (the secret token is the key).

An unknown or rotated token answers a plain 404, the same for both, so the response never
tells whether a token once existed. The feed is personal data behind a bearer URL, so it is
sent `Cache-Control: no-store`: no shared or disk cache keeps a copy after the token is
rotated, and caching would gain nothing since calendar apps poll about once a day anyway.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for

from prep.ce.catalog import load_catalog
from prep.ce.services import list_certifications
from prep.extensions import db
from prep.models.base import utcnow
from prep.models.ce import Certification
from prep.reminders.calendar import build_feed
from prep.reminders.services import policy_for, settings_for, user_for_calendar_token

bp = Blueprint("calendar", __name__)

FEED_HEADERS = {
    "Content-Disposition": 'inline; filename="cmaa-prep.ics"',
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def feed_url(token: str) -> str:
    """The absolute URL of the feed for `token` (needs a request or SERVER_NAME)."""
    return url_for("calendar.feed", token=token, _external=True)


def feed_domain() -> str:
    """The domain in event UIDs: SERVER_NAME when configured, else the requested host."""
    return current_app.config.get("SERVER_NAME") or request.host


def certification_link(certification: Certification) -> str:
    return url_for("ce.certification", certification_id=certification.id, _external=True)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    user = user_for_calendar_token(db.session, token)
    if user is None:
        return Response("Not found.\n", 404, {"X-Robots-Tag": "noindex, nofollow"}, mimetype="text/plain")
    settings = settings_for(db.session, user, current_app.config)
    body = build_feed(
        user,
        [c for c in list_certifications(db.session, user) if load_catalog().get(c.credential) is not None],
        policy_for(settings, current_app.config),
        feed_domain(),
        utcnow(),
        alarms=settings.enabled,
        link_for=certification_link,
    )
    return Response(body, 200, FEED_HEADERS, content_type="text/calendar; charset=utf-8")
