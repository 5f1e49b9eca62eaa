"""Learner pages for cohorts (/cohorts): join with a code or an invitation, leave, start assignments.

A learner sees their cohorts' names, instructors and assignments; never the other members.
The dashboard's assignment list comes from `_dashboard_assignments` (a context processor for
the dashboard page only, whose function the dashboard block calls), so the dashboard's own
route stays untouched.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from prep.bank.blueprint_file import load_blueprint
from prep.extensions import db, limiter
from prep.instructor import assignments, services
from prep.instructor.forms import ActionForm, JoinForm
from prep.instructor.views import STATE_LABELS
from prep.models.base import utcnow
from prep.quiz.errors import QuizError

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
JOIN_LIMIT = "20 per minute; 200 per day"


def _my_assignments() -> list:
    """The logged-in learner's assignments, for the dashboard block (called by its template)."""
    if not current_user.is_authenticated:
        return []
    return assignments.learner_assignments(db.session, current_user, utcnow().date())


@bp.app_context_processor
def _dashboard_assignments():
    if not has_request_context() or request.endpoint != "dashboard.home":
        return {}
    return {"my_assignments": _my_assignments, "assignment_state_labels": STATE_LABELS}


def _page(form: JoinForm, status: int = 200):
    return render_template(
        "instructor/learner_cohorts.html",
        form=form,
        cohorts=services.learner_cohorts(db.session, current_user),
        assignments=assignments.learner_assignments(db.session, current_user, utcnow().date()),
        state_labels=STATE_LABELS,
        action_form=ActionForm(),
    ), status


@bp.get("/")
@login_required
def mine():
    return _page(JoinForm(formdata=None, code=request.args.get("code", "")))


@bp.post("/join")
@login_required
@limiter.limit(JOIN_LIMIT)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort = services.join_with_code(db.session, current_user, form.code.data, utcnow())
        except services.CohortError as exc:
            db.session.rollback()
            form.code.errors.append(exc.fields["code"])
        else:
            db.session.commit()
            flash(f"You joined {cohort.name}. Your instructor can now see your progress in this cohort.", "success")
            return redirect(url_for("cohorts.mine"))
    return _page(form, 422)


@bp.post("/<int:cohort_id>/leave")
@login_required
def leave(cohort_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    cohort = services.leave(db.session, current_user, cohort_id)
    if cohort is None:
        abort(404)
    db.session.commit()
    flash(f"You left {cohort.name}. Its instructor no longer sees your progress.", "success")
    return redirect(url_for("cohorts.mine"))


@bp.route("/invites/<secret>", methods=["GET", "POST"])
@login_required
def invite(secret: str):
    invite = services.invite_for_secret(db.session, secret, utcnow())
    if invite is None:
        return render_template("instructor/invite_invalid.html"), 404
    form = ActionForm()
    if form.validate_on_submit():
        try:
            cohort = services.accept_invite(db.session, invite, current_user, utcnow())
        except services.CohortError as exc:
            db.session.rollback()
            flash(exc.fields["code"], "error")
            return redirect(url_for("cohorts.mine"))
        db.session.commit()
        flash(f"You joined {cohort.name}. Your instructor can now see your progress in this cohort.", "success")
        return redirect(url_for("cohorts.mine"))
    return render_template("instructor/invite.html", invite=invite, form=form)


@bp.post("/assignments/<int:assignment_id>/start")
@login_required
def start_assignment(assignment_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    assignment = assignments.assignment_for_learner(db.session, current_user, assignment_id)
    if assignment is None:
        abort(404)
    try:
        attempt = assignments.start(
            db.session, current_user, assignment, load_blueprint(current_app.config["QUESTION_BANK_PATH"]), utcnow()
        )
    except QuizError as exc:
        db.session.rollback()
        flash(f"This assignment cannot start: {exc.message} Tell your instructor.", "error")
        return redirect(url_for("cohorts.mine"))
    db.session.commit()
    if attempt.finished:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
