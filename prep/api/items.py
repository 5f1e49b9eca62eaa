"""Item analysis and item reports over the API (/api/v1/items/<question_id>/...).

`question_id` is a question's public id (the bank item id, or a collection question's key),
as in the attempts API.
"""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select

from prep.analysis.services import question_stats
from prep.analysis.views import stats_payload
from prep.api.blueprint import bp
from prep.errors import error_response
from prep.extensions import db
from prep.models.base import utcnow
from prep.models.question import Question
from prep.quiz.presenters import iso
from prep.reports import services as reports

REPORT_FIELDS = {"kind", "message"}


@bp.get("/items/<question_id>/stats")
def item_stats(question_id: str):
    """Admins only: {"question_id", "version", "n", "facility", "discrimination", "options", "flags"}."""
    if g.api_user.role != "admin":
        return error_response(403, "forbidden", "Item statistics are available to admins.")
    question = db.session.scalar(select(Question).where(Question.key == question_id))
    if question is None:
        return error_response(404, "not_found", "No such question.")
    raw = request.args.get("version")
    if raw is not None and not raw.isdigit():
        return error_response(422, "invalid_input", "version must be a whole number.", {"version": "Must be a number."})
    found = question_stats(db.session, question, int(raw) if raw else None)
    if found is None:
        return error_response(404, "not_found", "The question has no such version.")
    return jsonify(stats_payload(found))


@bp.post("/items/<question_id>/reports")
def report_item(question_id: str):
    """{"kind": "wrong_key"|"unclear"|"outdated"|"other", "message"} -> 201 with the stored report."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return error_response(
            422, "invalid_input", "Send a JSON object with Content-Type: application/json.", {"body": "Not JSON."}
        )
    unknown = sorted(set(data) - REPORT_FIELDS)
    if unknown:
        return error_response(422, "invalid_input", f"Unknown field: {unknown[0]}.", {unknown[0]: "Unknown field."})
    question = reports.reportable_question(db.session, g.api_user, question_id)
    if question is None:
        return error_response(404, "not_found", "No such question.")
    version_id = reports.last_seen_version(db.session, g.api_user.id, question)
    try:
        report = reports.file_report(
            db.session, g.api_user, question.id, version_id, data.get("kind"), data.get("message"), "api", utcnow()
        )
    except reports.ReportError as exc:
        db.session.rollback()
        return error_response(422, "invalid_input", "The report needs correcting.", exc.fields)
    db.session.commit()
    return jsonify(
        {
            "id": report.id,
            "question_id": question.key,
            "version": report.version.version,
            "kind": report.kind,
            "message": report.message,
            "status": report.status,
            "created_at": iso(report.created_at),
        }
    ), 201
