"""Attempts API (/api/v1/attempts): the exam pages' scripts use it too. Positions are 1-based."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from prep.api.blueprint import bp
from prep.bank.blueprint_file import load_blueprint
from prep.errors import error_response
from prep.extensions import db
from prep.models.base import utcnow
from prep.quiz import presenters, services
from prep.quiz.errors import QuizError, bad_input
from prep.quiz.options import parse_start


def _blueprint():
    return load_blueprint(current_app.config["QUESTION_BANK_PATH"])


def _quiz_error(exc: QuizError):
    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise bad_input("body", "Send a JSON object with Content-Type: application/json.")
    return data


def _attempt_or_404(attempt_id: int, now):
    attempt = services.get_attempt(db.session, g.api_user.id, attempt_id, now)
    if attempt is None:
        return None, error_response(404, "not_found", "No such attempt.")
    return attempt, None


@bp.post("/attempts")
def create_attempt():
    now = utcnow()
    try:
        options = parse_start(_json_body(), _blueprint())
        attempt = services.start_attempt(db.session, g.api_user.id, options, _blueprint(), now)
    except QuizError as exc:
        return _quiz_error(exc)
    db.session.commit()
    attempt = services.get_attempt(db.session, g.api_user.id, attempt.id, now)
    return jsonify(presenters.attempt_payload(attempt, now)), 201


@bp.get("/attempts")
def list_attempts():
    attempts = services.list_attempts(db.session, g.api_user.id, utcnow())
    db.session.commit()
    return jsonify(attempts=[presenters.summary_payload(a) for a in attempts])


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int):
    now = utcnow()
    attempt, missing = _attempt_or_404(attempt_id, now)
    if missing:
        return missing
    db.session.commit()
    return jsonify(presenters.attempt_payload(attempt, now))


@bp.put("/attempts/<int:attempt_id>/items/<int:position>")
def save_item(attempt_id: int, position: int):
    now = utcnow()
    attempt, missing = _attempt_or_404(attempt_id, now)
    if missing:
        return missing
    try:
        data = _json_body()
        unknown = set(data) - {"choice", "flagged", "guessed"}
        if unknown:
            raise bad_input(sorted(unknown)[0], f"Unknown field: {sorted(unknown)[0]}.")
        if not data:
            raise bad_input("choice", "Send choice and/or flagged.")
        item = services.save_answer(
            db.session,
            attempt,
            position,
            now,
            choice=data.get("choice", services.UNSET),
            flagged=data.get("flagged", services.UNSET),
            guessed=data.get("guessed", services.UNSET),
        )
    except QuizError as exc:
        if exc.code == "attempt_closed":
            db.session.commit()  # keep the expiry finalisation
            return error_response(exc.status, exc.code, exc.message)
        return _quiz_error(exc)
    db.session.commit()
    body = {"position": item.position, "choice": item.choice, "flagged": item.flagged, "saved": True}
    if attempt.mode == "practice" and item.choice is not None:
        body.update(presenters.feedback(item))
    return jsonify(body)


@bp.post("/attempts/<int:attempt_id>/submit")
def submit_attempt(attempt_id: int):
    now = utcnow()
    attempt, missing = _attempt_or_404(attempt_id, now)
    if missing:
        return missing
    services.finalise(db.session, attempt, now, "submitted")
    db.session.commit()
    return jsonify(presenters.result_payload(attempt, _blueprint()))


@bp.get("/attempts/<int:attempt_id>/result")
def attempt_result(attempt_id: int):
    now = utcnow()
    attempt, missing = _attempt_or_404(attempt_id, now)
    if missing:
        return missing
    db.session.commit()
    if not attempt.finished:
        return error_response(409, "attempt_open", "The result is available after submission or when time is up.")
    return jsonify(presenters.result_payload(attempt, _blueprint()))
