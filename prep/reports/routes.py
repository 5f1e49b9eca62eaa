"""Item report pages: the learner's report form, the admins' queue and item analysis.

A learner reports from a practice question after its feedback, from the review of a finished
attempt, or from a flashcard (by the question's public id). Admins resolve reports or retire
the question; each POST commits once.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from prep.analysis import services as analysis
from prep.analysis.views import FLAG_LABELS
from prep.auth.roles import role_required
from prep.core import item_stats as item_rules
from prep.extensions import db
from prep.models.base import utcnow
from prep.models.question import Question
from prep.quiz import presenters
from prep.quiz import services as quiz
from prep.reports import services
from prep.reports.forms import ActionForm, ReportForm

bp = Blueprint("reports", __name__)
ITEM_FILTERS = ("flagged", "all")


@bp.app_context_processor
def _report_globals():
    return {"report_kinds": list(services.KIND_LABELS.items()), "min_sample": item_rules.MIN_SAMPLE}


def _back_to_attempt(attempt, position: int, source: str) -> str:
    if source == "practice" and not attempt.finished:
        return url_for("quiz.question", attempt_id=attempt.id, position=position)
    return url_for("quiz.result", attempt_id=attempt.id, _anchor=f"review-{position}")


@bp.route("/reports/attempts/<int:attempt_id>/items/<int:position>", methods=["GET", "POST"])
@login_required
def report_attempt_item(attempt_id: int, position: int):
    attempt = quiz.get_attempt(db.session, current_user.id, attempt_id, utcnow())
    item = None if attempt is None else services.reportable_item(attempt, position)
    if item is None:
        abort(404)
    form = ReportForm(source=request.args.get("from", "practice"))
    if form.validate_on_submit():
        services.file_report(
            db.session,
            current_user,
            item.question_id,
            item.version_id,
            form.kind.data,
            form.message.data,
            form.source.data,
            utcnow(),
        )
        db.session.commit()
        flash("Thank you. Your report is in the editors' queue.", "success")
        return redirect(_back_to_attempt(attempt, position, form.source.data))
    db.session.commit()  # keeps an expiry that reading the attempt triggered
    return render_template(
        "reports/report.html",
        form=form,
        stem=item.version.stem,
        options=presenters.displayed_options(item),
        action=url_for("reports.report_attempt_item", attempt_id=attempt.id, position=position),
        back=_back_to_attempt(attempt, position, form.source.data or "practice"),
    ), (422 if form.is_submitted() else 200)


@bp.route("/reports/questions/<key>", methods=["GET", "POST"])
@login_required
def report_question(key: str):
    """Report by public id (flashcards and other pages that show a question outside an attempt)."""
    question = services.reportable_question(db.session, current_user, key)
    if question is None:
        abort(404)
    version = services.version_by_id(db.session, services.last_seen_version(db.session, current_user.id, question))
    form = ReportForm(source=request.args.get("from", "flashcards"))
    if form.validate_on_submit():
        services.file_report(
            db.session,
            current_user,
            question.id,
            version.id,
            form.kind.data,
            form.message.data,
            form.source.data,
            utcnow(),
        )
        db.session.commit()
        flash("Thank you. Your report is in the editors' queue.", "success")
        return redirect(_back_from(form.source.data))
    return render_template(
        "reports/report.html",
        form=form,
        stem=version.stem,
        options=list(version.options),
        action=url_for("reports.report_question", key=key),
        back=_back_from(form.source.data),
    ), (422 if form.is_submitted() else 200)


def _back_from(source: str | None) -> str:
    """Reviews and flashcards live in the review blueprint; anything else goes to the dashboard."""
    endpoint = {"review": "review.index", "flashcards": "review.decks"}.get(source or "", "dashboard.home")
    return url_for(endpoint if endpoint in current_app.view_functions else "dashboard.home")


@bp.get("/admin/reports")
@role_required("admin")
def queue():
    show = request.args.get("show", "open")
    show = show if show in services.QUEUE_FILTERS else "open"
    reports = services.queue(db.session, show)
    versions = {r.version_id: r.version for r in reports}
    return render_template(
        "reports/queue.html",
        reports=reports,
        stats=analysis.stats_for(db.session, versions.values()),
        show=show,
        filters=services.QUEUE_FILTERS,
        form=ActionForm(),
        flag_labels=FLAG_LABELS,
        kind_labels=services.KIND_LABELS,
    )


@bp.post("/admin/reports/<int:report_id>/resolve")
@role_required("admin")
def resolve(report_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    report = services.get_report(db.session, report_id)
    if report is None:
        abort(404)
    services.resolve(db.session, report, current_user, utcnow())
    db.session.commit()
    flash("Report marked resolved.", "success")
    return redirect(url_for("reports.queue"))


@bp.post("/admin/questions/<int:question_id>/retire")
@role_required("admin")
def retire(question_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    closed = services.retire_question(db.session, question, current_user, utcnow())
    db.session.commit()
    message = (
        f"Question {question.key} is retired: no new practice set or exam will draw it. {closed} open report(s) closed."
    )
    if question.collection_id is None:
        message += " It is still in the bank files: fix or remove it there, or the next bank sync restores it."
    flash(message, "success")
    return redirect(url_for("reports.queue"))


@bp.get("/admin/items")
@role_required("admin")
def items():
    show = request.args.get("show", "flagged")
    show = show if show in ITEM_FILTERS else "flagged"
    found = analysis.answered_stats(db.session)
    listed = [f for f in found if f.stats.flags] if show == "flagged" else found
    open_reports = services.open_counts(db.session, [f.question.id for f in listed])
    return render_template(
        "reports/items.html",
        found=listed,
        total=len(found),
        show=show,
        filters=ITEM_FILTERS,
        flag_labels=FLAG_LABELS,
        open_reports=open_reports,
        heading="Item analysis: the whole bank",
        scope="every learner's first attempts at each item",
    )
