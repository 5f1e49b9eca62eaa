"""The calendar feed URL: GET /api/v1/calendar (created on first use), POST /api/v1/calendar/rotate.

Both answer `{"url": <absolute feed URL>}`. Rotating revokes the old URL at once.
"""

from __future__ import annotations

from flask import current_app, g, jsonify

from prep.api.blueprint import bp
from prep.extensions import db
from prep.reminders import services
from prep.reminders.calendar_routes import feed_url


@bp.get("/calendar")
def calendar():
    token = services.calendar_token(db.session, g.api_user, current_app.config)
    db.session.commit()
    return jsonify(url=feed_url(token))


@bp.post("/calendar/rotate")
def rotate_calendar():
    token = services.rotate_calendar_token(db.session, g.api_user, current_app.config)
    db.session.commit()
    return jsonify(url=feed_url(token))
