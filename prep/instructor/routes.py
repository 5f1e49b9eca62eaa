"""Instructor pages for cohorts: list and create, the cohort's progress, join code, invitations,
members, CSV export and item analysis. Each POST commits once; invitations are emailed after.
"""

from __future__ import annotations

import smtplib

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from prep.analysis import services as analysis
from prep.analysis.views import FLAG_LABELS
from prep.core.cohort import display_join_code
from prep.downloads import private_attachment
from prep.email import send_email
from prep.extensions import db
from prep.instructor import assignment_routes, services  # noqa: F401  (assignment_routes registers pages)
from prep.instructor import progress as cohort_progress
from prep.instructor.assignments import standings
from prep.instructor.blueprint import UNPROCESSABLE, bp, exam_blueprint, require_csrf, today
from prep.instructor.collections import owned_collections
from prep.instructor.forms import ActionForm, CohortForm, InviteForm
from prep.instructor.views import STATE_LABELS
from prep.models.base import utcnow

__all__ = ["bp"]


def _cohort(cohort_id: int):
    cohort = services.cohort_for_instructor(db.session, current_user, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


@bp.route("/", methods=["GET", "POST"])
def home():
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(db.session, current_user, form.name.data, utcnow())
        except services.CohortError as exc:
            db.session.rollback()
            form.name.errors.append(exc.fields["name"])
        else:
            db.session.commit()
            flash(f"Cohort created. Learners join with the code {display_join_code(cohort.join_code)}.", "success")
            return redirect(url_for("instructor.cohort", cohort_id=cohort.id))
    return render_template(
        "instructor/home.html",
        form=form,
        cohorts=services.instructor_cohorts(db.session, current_user),
        collections=owned_collections(db.session, current_user),
    ), (UNPROCESSABLE if form.is_submitted() else 200)


def _cohort_page(cohort, invite_form: InviteForm | None = None, status: int = 200):
    blueprint = exam_blueprint()
    day = today()
    return render_template(
        "instructor/cohort.html",
        cohort=cohort,
        join_code=display_join_code(cohort.join_code),
        progress=cohort_progress.cohort_progress(db.session, cohort, blueprint, utcnow()),
        blueprint=blueprint,
        domain_titles={d.slug: d.title for d in blueprint.domains},
        topic_titles={t.slug: t.title for t in blueprint.topics},
        assignments=[(a, standings(db.session, a, day)) for a in cohort.assignments],
        invites=services.pending_invites(db.session, cohort, utcnow()),
        invite_form=invite_form or InviteForm(formdata=None),
        action_form=ActionForm(),
    ), status


@bp.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    return _cohort_page(_cohort(cohort_id))


@bp.post("/cohorts/<int:cohort_id>/code")
def rotate_code(cohort_id: int):
    cohort = _cohort(cohort_id)
    require_csrf()
    code = services.rotate_join_code(db.session, cohort)
    db.session.commit()
    flash(f"New join code: {display_join_code(code)}. The old code no longer works.", "success")
    return redirect(url_for("instructor.cohort", cohort_id=cohort.id))


def _send_invites(cohort, sent: list[tuple[str, str]]) -> list[str]:
    """Email each invitation (after the commit); the addresses that could not be reached."""
    failed = []
    for email, secret in sent:
        link = url_for("cohorts.invite", secret=secret, _external=True)
        values = {"cohort": cohort, "instructor": current_user, "link": link, "days": 14}
        try:
            send_email(
                to=email,
                subject=f"{current_user.name} invites you to {cohort.name} on CMAA Prep",
                text=render_template("instructor/email/invite.txt", **values),
                html=render_template("instructor/email/invite.html", **values),
            )
        except (smtplib.SMTPException, OSError):
            current_app.logger.exception("could not send a cohort invitation")
            failed.append(email)
    return failed


@bp.post("/cohorts/<int:cohort_id>/invites")
def invite(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _cohort_page(cohort, form, UNPROCESSABLE)
    try:
        emails = services.parse_emails(form.emails.data)
    except services.CohortError as exc:
        form.emails.errors.append(exc.fields["emails"])
        return _cohort_page(cohort, form, UNPROCESSABLE)
    sent = services.create_invites(db.session, cohort, emails, utcnow())
    db.session.commit()
    failed = _send_invites(cohort, sent)
    if failed:
        flash(f"Could not send to {', '.join(failed)}. Try again later, or give them the join code.", "error")
    if len(failed) < len(sent):
        flash(f"Invitation sent to {len(sent) - len(failed)} address(es).", "success")
    return redirect(url_for("instructor.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/invites/<int:invite_id>/revoke")
def revoke_invite(cohort_id: int, invite_id: int):
    cohort = _cohort(cohort_id)
    require_csrf()
    if not services.revoke_invite(db.session, cohort, invite_id):
        abort(404)
    db.session.commit()
    flash("Invitation withdrawn: its link no longer works.", "success")
    return redirect(url_for("instructor.cohort", cohort_id=cohort.id))


def _membership(cohort, user_id: int):
    membership = services.membership(db.session, cohort, user_id)
    if membership is None:
        abort(404)
    return membership


@bp.get("/cohorts/<int:cohort_id>/learners/<int:user_id>")
def learner(cohort_id: int, user_id: int):
    cohort = _cohort(cohort_id)
    membership = _membership(cohort, user_id)
    blueprint = exam_blueprint()
    day = today()
    return render_template(
        "instructor/learner.html",
        cohort=cohort,
        learner=membership.user,
        progress=cohort_progress.learner_progress(
            db.session, membership.user, membership.joined_at, blueprint, utcnow()
        ),
        domain_titles={d.slug: d.title for d in blueprint.domains},
        assignments=[
            (a, next(s for s in standings(db.session, a, day) if s.user.id == user_id)) for a in cohort.assignments
        ],
        state_labels=STATE_LABELS,
        action_form=ActionForm(),
    )


@bp.post("/cohorts/<int:cohort_id>/learners/<int:user_id>/remove")
def remove_learner(cohort_id: int, user_id: int):
    cohort = _cohort(cohort_id)
    require_csrf()
    membership = _membership(cohort, user_id)
    name = membership.user.name
    services.remove_member(db.session, cohort, user_id)
    db.session.commit()
    flash(f"{name} is no longer in {cohort.name}.", "success")
    return redirect(url_for("instructor.cohort", cohort_id=cohort.id))


@bp.get("/cohorts/<int:cohort_id>/export.csv")
def export(cohort_id: int):
    cohort = _cohort(cohort_id)
    blueprint = exam_blueprint()
    text = cohort_progress.progress_csv(
        cohort_progress.cohort_progress(db.session, cohort, blueprint, utcnow()), blueprint
    )
    return private_attachment(text, "text/csv", f"cohort-{cohort.id}-progress.csv")


@bp.get("/cohorts/<int:cohort_id>/items")
def items(cohort_id: int):
    cohort = _cohort(cohort_id)
    show = request.args.get("show", "all")
    show = show if show in ("flagged", "all") else "all"
    found = analysis.answered_stats(db.session, services.member_ids(cohort.id))
    return render_template(
        "reports/items.html",
        found=[f for f in found if f.stats.flags] if show == "flagged" else found,
        total=len(found),
        show=show,
        filters=("flagged", "all"),
        flag_labels=FLAG_LABELS,
        open_reports=None,
        heading=f"Item analysis: {cohort.name}",
        scope="the first attempts of this cohort's current members",
    )
