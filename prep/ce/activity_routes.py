"""CE activity pages under /ce/activities and /ce/certificates: log, apply, upload, download, delete.

Each state-changing request commits once. Someone else's activity or file is 404.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from prep.ce import certificates, services
from prep.ce.blueprint import UNPROCESSABLE, bp, require_csrf_form, today
from prep.ce.catalog import load_catalog
from prep.ce.downloads import certificate_download
from prep.ce.forms import CONTACT_HOURS, ActionForm, ActivityForm, ApplyForm, CertificateForm
from prep.ce.views import certification_choices
from prep.core.ce.inputs import parse_hours
from prep.core.uploads import MAX_CERTIFICATE_BYTES
from prep.extensions import db
from prep.storage import storage_for


def _activity(activity_id: int):
    activity = services.get_activity(db.session, current_user, activity_id)
    if activity is None:
        abort(404)
    return activity


def _activity_form(form: ActivityForm | None = None) -> ActivityForm:
    form = form or ActivityForm()
    certifications = services.list_certifications(db.session, current_user)
    form.set_choices(
        load_catalog(), [(i, label, slug) for i, label, slug in certification_choices(certifications, True)]
    )
    return form


def _contact_hours(form: ActivityForm) -> Decimal | None:
    """The form's amount in contact hours (converted from a credential's unit when chosen)."""
    value = form.amount.data
    if form.amount_unit.data and form.amount_unit.data != CONTACT_HOURS:
        credential = load_catalog().get(form.amount_unit.data)
        if credential is None:
            form.amount_unit.errors.append("Choose a unit from the list.")
            return None
        value = credential.to_contact_hours(value)
    try:
        return parse_hours(value)
    except ValueError as exc:
        form.amount.errors.append(str(exc))
        return None


def _save_activity(form: ActivityForm, hours: Decimal):
    """Log the activity and attach its file in one transaction; None (and errors shown) if refused."""
    try:
        activity = services.log_activity(
            db.session,
            current_user,
            title=form.title.data,
            provider=form.provider.data,
            accreditation=form.accreditation.data,
            completed_on=form.completed_on.data,
            contact_hours=hours,
            category=form.category.data,
            format=form.format.data or None,
            notes=form.notes.data,
            certification_ids=form.certifications.data or [],
            today=today(),
        )
        upload = request.files.get(form.certificate.name)
        if upload and upload.filename:
            data = upload.stream.read(MAX_CERTIFICATE_BYTES + 1)
            certificates.attach_certificate(db.session, storage_for(db.session), activity, data, upload.filename)
    except services.CeError as exc:
        db.session.rollback()
        for field, message in exc.fields.items():
            getattr(form, field).errors.append(message)
        return None
    except certificates.CertificateRefused as exc:
        db.session.rollback()
        form.certificate.errors.append(exc.message + " Nothing was saved: choose the file again.")
        return None
    return activity


@bp.route("/activities/new", methods=["GET", "POST"])
def new_activity():
    form = _activity_form()
    if request.method == "GET" and request.args.get("certification", "").isdigit():
        form.certifications.data = [int(request.args["certification"])]
    if form.validate_on_submit():
        hours = _contact_hours(form)
        activity = _save_activity(form, hours) if hours is not None else None
        if activity is not None:
            db.session.commit()
            flash("Activity saved.", "success")
            return redirect(url_for("ce.activity", activity_id=activity.id))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("ce/activity_form.html", form=form), status


def _activity_page(activity, status: int = 200, apply_form=None, certificate_form=None):
    certifications = services.list_certifications(db.session, current_user)
    if apply_form is None:
        apply_form = ApplyForm(formdata=None, certifications=[a.certification_id for a in activity.applications])
    apply_form.certifications.choices = [(i, label) for i, label, _ in certification_choices(certifications, True)]
    closed = {a.certification_id for a in activity.applications if a.closed_cycle_id is not None}
    return render_template(
        "ce/activity.html",
        activity=activity,
        labels={i: label for i, label, _ in certification_choices(certifications, True)},
        closed=closed,
        apply_form=apply_form,
        certificate_form=certificate_form or CertificateForm(),
        action_form=ActionForm(),
    ), status


@bp.get("/activities/<int:activity_id>")
def activity(activity_id: int):
    return _activity_page(_activity(activity_id))


@bp.post("/activities/<int:activity_id>/apply")
def apply_activity(activity_id: int):
    activity = _activity(activity_id)
    form = ApplyForm()
    certifications = services.list_certifications(db.session, current_user)
    form.certifications.choices = [(i, label) for i, label, _ in certification_choices(certifications, True)]
    if form.validate_on_submit():
        try:
            services.apply_activity(db.session, current_user, activity, form.certifications.data or [])
        except services.CeError as exc:
            db.session.rollback()
            form.certifications.errors.append(exc.fields["certifications"])
        else:
            db.session.commit()
            flash("The certifications this activity applies to have been saved.", "success")
            return redirect(url_for("ce.activity", activity_id=activity_id))
    return _activity_page(activity, UNPROCESSABLE, apply_form=form)


@bp.post("/activities/<int:activity_id>/certificates")
def upload_certificate(activity_id: int):
    activity = _activity(activity_id)
    form = CertificateForm()
    if form.validate_on_submit():
        upload = request.files.get(form.certificate.name)
        if not upload or not upload.filename:
            form.certificate.errors.append("Choose a file to upload.")
        else:
            try:
                data = upload.stream.read(MAX_CERTIFICATE_BYTES + 1)
                certificates.attach_certificate(db.session, storage_for(db.session), activity, data, upload.filename)
            except certificates.CertificateRefused as exc:
                db.session.rollback()
                form.certificate.errors.append(exc.message)
                return _activity_page(activity, exc.status, certificate_form=form)
            db.session.commit()
            flash("Certificate uploaded.", "success")
            return redirect(url_for("ce.activity", activity_id=activity_id))
    return _activity_page(activity, 400, certificate_form=form)


@bp.post("/activities/<int:activity_id>/delete")
def delete_activity(activity_id: int):
    activity = _activity(activity_id)
    require_csrf_form()
    services.delete_activity(db.session, storage_for(db.session), activity)
    db.session.commit()
    flash("The activity and its certificate files have been deleted.", "success")
    return redirect(url_for("ce.overview"))


@bp.get("/certificates/<int:file_id>")
def download_certificate(file_id: int) -> Response:
    file = certificates.get_certificate(db.session, current_user, file_id)
    if file is None:
        abort(404)
    return certificate_download(storage_for(db.session), file)


@bp.post("/certificates/<int:file_id>/delete")
def delete_certificate(file_id: int):
    file = certificates.get_certificate(db.session, current_user, file_id)
    if file is None:
        abort(404)
    require_csrf_form()
    activity_id = file.activity_id
    certificates.delete_certificate(db.session, storage_for(db.session), file)
    db.session.commit()
    flash("The certificate file has been deleted.", "success")
    return redirect(url_for("ce.activity", activity_id=activity_id))
