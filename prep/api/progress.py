"""GET /api/v1/progress: readiness per blueprint domain, reviews due and the study streak."""

from __future__ import annotations

from flask import current_app, g, jsonify

from prep.api.blueprint import bp
from prep.bank.blueprint_file import load_blueprint
from prep.extensions import db
from prep.models.base import utcnow
from prep.review import progress, services


@bp.get("/progress")
def get_progress():
    now = utcnow()
    user_id = g.api_user.id
    result = progress.readiness_for(db.session, user_id, load_blueprint(current_app.config["QUESTION_BANK_PATH"]), now)
    return jsonify(
        readiness={
            "overall": round(result.overall, 3),
            "domains": [
                {
                    "domain": d.domain,
                    "mastery": None if d.mastery is None else round(d.mastery, 3),
                    "evidence": {"answers": d.answers, "reviewed_items": d.reviewed_items},
                }
                for d in result.domains
            ],
        },
        due_count=services.due_count(db.session, user_id, now, kind="question"),
        streak_days=progress.streak_days(db.session, user_id, now),
    )
