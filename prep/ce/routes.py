"""CE pages under /ce: the overview, the catalog, certifications with their status, renewals, exports.

Each state-changing request commits once. Someone else's certification is 404. The activity
and certificate pages are in `activity_routes`, on the same blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from prep.ce import activity_routes, cycles, exports, services  # noqa: F401  (activity_routes registers pages)
from prep.ce.blueprint import UNPROCESSABLE, bp, require_csrf_form, today
from prep.ce.catalog import load_catalog
from prep.ce.forms import ActionForm, CertificationForm, RenewalForm
from prep.ce.views import REASON_LABELS, STATE_LABELS, certification_choices
from prep.downloads import private_attachment
from prep.extensions import db
from prep.storage import storage_for

__all__ = ["bp"]


def _certification(certification_id: int):
    certification = services.get_certification(db.session, current_user, certification_id)
    if certification is None:
        abort(404)
    return certification


def _certification_values(form: CertificationForm) -> dict:
    return {
        "number": form.number.data or "",
        "cycle_start": form.cycle_start.data,
        "expires_on": form.expires_on.data,
        "provisional": bool(form.provisional.data),
        "test_date": form.test_date.data,
        "credentials_held": form.credentials_held.data,
    }


def _show_errors(form, exc: services.CeError) -> None:
    for field, message in exc.fields.items():
        getattr(form, field).errors.append(message)


@bp.route("/certifications/new", methods=["GET", "POST"])
def new_certification():
    form = CertificationForm()
    form.set_choices(load_catalog())
    if form.validate_on_submit():
        try:
            certification = services.add_certification(
                db.session, current_user, credential=form.credential.data, today=today(), **_certification_values(form)
            )
        except services.CeError as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            db.session.commit()
            flash("Certification added.", "success")
            return redirect(url_for("ce.certification", certification_id=certification.id))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("ce/certification_form.html", form=form, certification=None), status


@bp.route("/certifications/<int:certification_id>/edit", methods=["GET", "POST"])
def edit_certification(certification_id: int):
    certification = _certification(certification_id)
    form = CertificationForm(obj=certification)
    form.set_choices(load_catalog())
    form.credential.data = certification.credential  # the credential of a certification never changes
    if form.validate_on_submit():
        values = _certification_values(form)
        if values["expires_on"] is None:
            form.expires_on.errors.append("Enter the expiration date.")
        else:
            try:
                services.update_certification(db.session, certification, today=today(), **values)
            except services.CeError as exc:
                db.session.rollback()
                _show_errors(form, exc)
            else:
                db.session.commit()
                flash("Certification saved.", "success")
                return redirect(url_for("ce.certification", certification_id=certification.id))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("ce/certification_form.html", form=form, certification=certification), status


@bp.get("/")
def overview():
    day = today()
    certifications = services.list_certifications(db.session, current_user)
    rows = [(c, services.credential_for(c), cycles.certification_status(db.session, c, day)) for c in certifications]
    return render_template(
        "ce/overview.html",
        rows=rows,
        activities=services.list_activities(db.session, current_user),
        labels=dict(certification_choices(certifications)),
        state_labels=STATE_LABELS,
    )


@bp.get("/credentials")
def credentials():
    return render_template("ce/credentials.html", catalog=load_catalog())


def _certification_page(certification, renewal_form: RenewalForm | None = None, status_code: int = 200):
    day = today()
    return render_template(
        "ce/certification.html",
        certification=certification,
        credential=services.credential_for(certification),
        status=cycles.certification_status(db.session, certification, day),
        activities={a.id: a for a in services.list_activities(db.session, current_user)},
        state_labels=STATE_LABELS,
        reason_labels=REASON_LABELS,
        renewal_form=renewal_form or RenewalForm(formdata=None, renewed_on=day),
        action_form=ActionForm(),
    ), status_code


@bp.get("/certifications/<int:certification_id>")
def certification(certification_id: int):
    return _certification_page(_certification(certification_id))


@bp.post("/certifications/<int:certification_id>/renewals")
def renew(certification_id: int):
    certification = _certification(certification_id)
    form = RenewalForm()
    if form.validate_on_submit():
        try:
            cycles.record_renewal(db.session, certification, form.renewed_on.data, today())
        except services.CeError as exc:
            db.session.rollback()
            form.renewed_on.errors.append(exc.fields["renewed_on"])
        else:
            db.session.commit()
            flash("Renewal recorded: the cycle is closed and the next one has started.", "success")
            return redirect(url_for("ce.certification", certification_id=certification_id))
    return _certification_page(certification, form, UNPROCESSABLE)


@bp.post("/certifications/<int:certification_id>/delete")
def delete_certification(certification_id: int):
    certification = _certification(certification_id)
    require_csrf_form()
    services.delete_certification(db.session, certification)
    db.session.commit()
    flash("The certification and its history have been deleted. Your activities are kept.", "success")
    return redirect(url_for("ce.overview"))


@bp.get("/certifications/<int:certification_id>/audit-packet")
def audit_packet(certification_id: int):
    certification = _certification(certification_id)
    cycle = None
    if request.args.get("cycle"):
        raw = request.args["cycle"]
        cycle = cycles.get_cycle(db.session, certification, int(raw)) if raw.isdigit() else None
        if cycle is None:
            abort(404)
    packet = exports.audit_packet(db.session, storage_for(db.session), certification, today(), cycle)
    return private_attachment(packet.data, "application/zip", packet.filename)


@bp.get("/activities.csv")
def activities_csv():
    data = exports.activities_csv(db.session, current_user).encode("utf-8-sig")
    return private_attachment(data, "text/csv", f"ce-activities-{today().isoformat()}.csv")
