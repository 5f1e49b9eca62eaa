"""Office pages (/offices): create or join an office, share one's certifications (or stop),
and the managers' view with its CSV export. An office one does not manage is 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from prep.ce.views import STATE_LABELS
from prep.core.cohort import display_join_code
from prep.downloads import private_attachment
from prep.extensions import db, limiter
from prep.instructor.forms import ActionForm, JoinForm
from prep.models.base import utcnow
from prep.navigation import navigation_figures
from prep.office import services
from prep.office.forms import OfficeForm

bp = Blueprint("office", __name__, url_prefix="/offices")
JOIN_LIMIT = "20 per minute; 200 per day"


def _manages_office() -> bool:
    """Whether the logged-in user manages an office (for the navigation; False if the database fails)."""
    if not current_user.is_authenticated:
        return False
    if "manages_office" not in g:
        try:
            g.manages_office = navigation_figures(db.session, current_user.id, utcnow())[1]
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("could not check office management for the navigation", exc_info=True)
            g.manages_office = False
    return g.manages_office


@bp.app_context_processor
def _office_globals():
    return {"manages_office": _manages_office}


@bp.before_request
@login_required
def _logged_in():
    return None


def _require_csrf() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _page(form: OfficeForm | None = None, join_form: JoinForm | None = None, status: int = 200):
    return render_template(
        "office/mine.html",
        memberships=services.memberships(db.session, current_user),
        form=form or OfficeForm(formdata=None),
        join_form=join_form or JoinForm(formdata=None),
        display_join_code=display_join_code,
    ), status


@bp.get("/")
def mine():
    return _page()


@bp.post("/")
def create():
    form = OfficeForm()
    if form.validate_on_submit():
        try:
            office = services.create_office(db.session, current_user, form.name.data, utcnow())
        except services.OfficeError as exc:
            db.session.rollback()
            form.name.errors.append(exc.fields["name"])
        else:
            db.session.commit()
            flash(
                "Office created. Staff join with its code and choose whether to share their certifications.", "success"
            )
            return redirect(url_for("office.office", office_id=office.id))
    return _page(form=form, status=422)


@bp.post("/join")
@limiter.limit(JOIN_LIMIT)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            office = services.join_with_code(db.session, current_user, form.code.data, utcnow())
        except services.OfficeError as exc:
            db.session.rollback()
            form.code.errors.append(exc.fields["code"])
        else:
            db.session.commit()
            flash(
                f"You joined {office.name}. Your certifications stay private until you choose to share them.", "success"
            )
            return redirect(url_for("office.mine"))
    return _page(join_form=form, status=422)


def _membership(office_id: int):
    member = services.membership(db.session, current_user, office_id)
    if member is None:
        abort(404)
    return member


@bp.post("/<int:office_id>/sharing")
def sharing(office_id: int):
    member = _membership(office_id)
    _require_csrf()
    share = request.form.get("share") == "on"
    services.set_sharing(db.session, member, share)
    db.session.commit()
    if share:
        flash(f"{member.office.name}'s managers now see the status of your certifications.", "success")
    else:
        flash(f"You stopped sharing: {member.office.name}'s managers no longer see your certifications.", "success")
    return redirect(url_for("office.mine"))


@bp.post("/<int:office_id>/leave")
def leave(office_id: int):
    member = _membership(office_id)
    _require_csrf()
    name = member.office.name
    try:
        services.leave(db.session, member)
    except services.OfficeError as exc:
        db.session.rollback()
        flash(exc.fields["office"], "error")
        return redirect(url_for("office.mine"))
    db.session.commit()
    flash(f"You left {name}.", "success")
    return redirect(url_for("office.mine"))


def _managed(office_id: int):
    office = services.managed_office(db.session, current_user, office_id)
    if office is None:
        abort(404)
    return office


@bp.get("/<int:office_id>")
def office(office_id: int):
    office = _managed(office_id)
    return render_template(
        "office/office.html",
        office=office,
        me=services.membership(db.session, current_user, office_id),
        join_code=display_join_code(office.join_code),
        rows=services.shared_certifications(db.session, office, utcnow().date()),
        members=services.office_members(db.session, office),
        state_labels=STATE_LABELS,
        action_form=ActionForm(),
    )


@bp.get("/<int:office_id>/export.csv")
def export(office_id: int):
    office = _managed(office_id)
    text = services.shared_csv(services.shared_certifications(db.session, office, utcnow().date()))
    return private_attachment(text, "text/csv", f"office-{office.id}-certifications.csv")


@bp.post("/<int:office_id>/code")
def rotate_code(office_id: int):
    office = _managed(office_id)
    _require_csrf()
    code = services.rotate_join_code(db.session, office)
    db.session.commit()
    flash(f"New join code: {display_join_code(code)}. The old code no longer works.", "success")
    return redirect(url_for("office.office", office_id=office.id))


@bp.post("/<int:office_id>/summary")
def weekly_summary(office_id: int):
    _managed(office_id)
    _require_csrf()
    member = services.membership(db.session, current_user, office_id)
    services.set_weekly_summary(db.session, member, request.form.get("weekly") == "on")
    db.session.commit()
    flash("Weekly summary " + ("on: it comes every Monday." if member.weekly_summary else "off."), "success")
    return redirect(url_for("office.office", office_id=office_id))


@bp.post("/<int:office_id>/members/<int:user_id>/role")
def set_role(office_id: int, user_id: int):
    office = _managed(office_id)
    _require_csrf()
    try:
        changed = services.set_role(db.session, office, user_id, request.form.get("role", ""))
    except services.OfficeError as exc:
        db.session.rollback()
        flash(exc.fields["role"], "error")
        return redirect(url_for("office.office", office_id=office_id))
    if not changed:
        abort(404)
    db.session.commit()
    flash("Role changed.", "success")
    return redirect(url_for("office.office", office_id=office_id))


@bp.post("/<int:office_id>/members/<int:user_id>/remove")
def remove_member(office_id: int, user_id: int):
    office = _managed(office_id)
    _require_csrf()
    try:
        removed = services.remove_member(db.session, office, user_id)
    except services.OfficeError as exc:
        db.session.rollback()
        flash(exc.fields["role"], "error")
        return redirect(url_for("office.office", office_id=office_id))
    if not removed:
        abort(404)
    db.session.commit()
    flash("Member removed from the office.", "success")
    return redirect(url_for("office.office", office_id=office_id))
