"""Instructor pages for assignments (create, completion, accommodations) and collections
(upload, preview, confirm). Same blueprint and gate as `routes`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from prep.bank.importing import ImportRefused
from prep.extensions import db
from prep.instructor import assignments, collections, services
from prep.instructor.blueprint import UNPROCESSABLE, bp, exam_blueprint, require_csrf, today
from prep.instructor.forms import TIMING_LABELS, ActionForm, AssignmentForm, UploadForm
from prep.instructor.views import STATE_LABELS
from prep.models.base import utcnow


def _cohort(cohort_id: int):
    cohort = services.cohort_for_instructor(db.session, current_user, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _assignment(assignment_id: int):
    assignment = assignments.assignment_for_instructor(db.session, current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def _show_errors(form, fields: dict[str, str]) -> None:
    for name, message in fields.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors.append(message)


@bp.route("/cohorts/<int:cohort_id>/assignments/new", methods=["GET", "POST"])
def new_assignment(cohort_id: int):
    cohort = _cohort(cohort_id)
    blueprint = exam_blueprint()
    form = AssignmentForm()
    form.set_choices(blueprint, collections.owned_collections(db.session, current_user))
    if form.validate_on_submit():
        try:
            assignment = assignments.create_assignment(
                db.session,
                cohort,
                kind=form.kind.data,
                title=form.title.data,
                due_on=form.due_on.data,
                today=today(),
                blueprint=blueprint,
                topics=form.topics.data or [],
                domains=form.domains.data or [],
                count=form.count.data,
                collection_id=int(form.collection_id.data) if form.collection_id.data else None,
                timing=form.timing.data,
            )
        except services.CohortError as exc:
            db.session.rollback()
            _show_errors(form, exc.fields)
        else:
            db.session.commit()
            flash("Assignment created: your learners see it on their dashboard.", "success")
            return redirect(url_for("instructor.assignment", assignment_id=assignment.id))
    return render_template("instructor/assignment_form.html", cohort=cohort, form=form), (
        UNPROCESSABLE if form.is_submitted() else 200
    )


@bp.get("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    assignment = _assignment(assignment_id)
    blueprint = exam_blueprint()
    return render_template(
        "instructor/assignment.html",
        assignment=assignment,
        standings=assignments.standings(db.session, assignment, today()),
        accommodations={a.user_id: a.timing for a in assignment.accommodations},
        timing_labels=TIMING_LABELS,
        state_labels=STATE_LABELS,
        domain_titles={d.slug: d.title for d in blueprint.domains},
        topic_titles={t.slug: t.title for t in blueprint.topics},
        action_form=ActionForm(),
    )


@bp.post("/assignments/<int:assignment_id>/accommodations")
def accommodations(assignment_id: int):
    assignment = _assignment(assignment_id)
    require_csrf()
    if assignment.kind != "exam":
        abort(404)
    timings = {}
    for name, value in request.form.items():
        if name.startswith("timing-") and name[7:].isdigit():
            timings[int(name[7:])] = value or None
    try:
        assignments.set_accommodations(db.session, assignment, timings)
    except services.CohortError:
        db.session.rollback()
        abort(400)
    db.session.commit()
    flash("Accommodations saved. They apply to attempts started from now on.", "success")
    return redirect(url_for("instructor.assignment", assignment_id=assignment.id))


@bp.route("/collections/", methods=["GET", "POST"])
def collection_list():
    blueprint = exam_blueprint()
    form = UploadForm()
    form.set_choices(blueprint)
    if form.validate_on_submit():
        upload = form.file.data
        try:
            draft, _ = collections.create_draft(
                db.session,
                current_user,
                name=form.name.data,
                fmt=form.format.data,
                domain=form.domain.data or None,
                topics=form.topics.data or [],
                filename=upload.filename,
                data=upload.read(collections.MAX_UPLOAD_BYTES + 1),
                blueprint=blueprint,
                now=utcnow(),
            )
        except ImportRefused as exc:
            db.session.rollback()
            form.file.errors.append(f"This file cannot be imported: {exc}.")
        else:
            db.session.commit()
            return redirect(url_for("instructor.draft", draft_id=draft.id))
    return render_template(
        "instructor/collections.html",
        form=form,
        collections=collections.owned_collections(db.session, current_user),
    ), (UNPROCESSABLE if form.is_submitted() else 200)


def _draft(draft_id: int):
    draft = collections.get_draft(db.session, current_user, draft_id)
    if draft is None:
        abort(404)
    return draft


@bp.get("/collections/drafts/<int:draft_id>")
def draft(draft_id: int):
    draft = _draft(draft_id)
    blueprint = exam_blueprint()
    try:
        preview = collections.draft_preview(draft, blueprint)
    except ImportRefused as exc:  # the blueprint changed since the upload
        flash(f"This file cannot be imported any more: {exc}.", "error")
        return redirect(url_for("instructor.collection_list"))
    return render_template(
        "instructor/preview.html",
        draft=draft,
        preview=preview,
        domain_titles={d.slug: d.title for d in blueprint.domains},
        format_label=collections.FORMAT_LABELS[draft.format],
        action_form=ActionForm(),
    )


@bp.post("/collections/drafts/<int:draft_id>/confirm")
def confirm_draft(draft_id: int):
    draft = _draft(draft_id)
    require_csrf()
    try:
        collection = collections.confirm_draft(db.session, draft, exam_blueprint(), utcnow())
    except ImportRefused as exc:
        db.session.rollback()
        flash(f"Nothing was imported: {exc}.", "error")
        return redirect(url_for("instructor.collection_list"))
    db.session.commit()
    flash(f"Imported {len(collection.questions)} questions into “{collection.name}”.", "success")
    return redirect(url_for("instructor.collection", collection_id=collection.id))


@bp.post("/collections/drafts/<int:draft_id>/discard")
def discard_draft(draft_id: int):
    draft = _draft(draft_id)
    require_csrf()
    collections.discard_draft(db.session, draft)
    db.session.commit()
    flash("Upload discarded: nothing was imported.", "info")
    return redirect(url_for("instructor.collection_list"))


@bp.get("/collections/<int:collection_id>")
def collection(collection_id: int):
    found = collections.get_collection(db.session, current_user, collection_id)
    if found is None:
        abort(404)
    return render_template(
        "instructor/collection.html",
        collection=found,
        questions=collections.collection_questions(db.session, found),
    )
