"""Reviews API: GET /api/v1/reviews/due and POST /api/v1/reviews/<question_id>.

`question_id` is the question's key (e.g. "bc-ins-012"). Only the caller's cards are read or
changed.
"""

from __future__ import annotations

from flask import g, jsonify, request

from prep.api.blueprint import bp
from prep.errors import error_response
from prep.extensions import db
from prep.models.base import utcnow
from prep.review import presenters, services
from prep.review.services import ReviewError

DUE_ITEMS_LIMIT = 200


@bp.get("/reviews/due")
def reviews_due():
    now = utcnow()
    rows = services.due_questions(db.session, g.api_user.id, now, limit=DUE_ITEMS_LIMIT)
    count = services.due_count(db.session, g.api_user.id, now, kind="question")
    return jsonify(count=count, items=[presenters.due_item_payload(card, version) for card, version in rows])


@bp.post("/reviews/<question_id>")
def review_question(question_id: str):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return error_response(
            422,
            "invalid_input",
            "Send a JSON object with Content-Type: application/json.",
            {"body": "expected a JSON object"},
        )
    unknown = sorted(set(data) - {"rating"})
    if unknown:
        return error_response(422, "invalid_input", f"Unknown field: {unknown[0]}.", {unknown[0]: "unknown field"})
    item = services.question_for_review(db.session, g.api_user.id, question_id)
    if item is None:
        return error_response(404, "not_found", "No such question.")
    try:
        card = services.grade_question(db.session, g.api_user.id, item, data.get("rating"), utcnow(), "api")
    except ReviewError as exc:
        db.session.rollback()
        return error_response(exc.status, exc.code, exc.message, exc.fields)
    db.session.commit()
    return jsonify(presenters.next_review_payload(card))
