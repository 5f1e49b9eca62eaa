"""Reminder pages under /reminders: the list, dismissing, settings, the calendar address, unsubscribing.

Every page needs a logged-in user except the unsubscribe pages, where the signed token in the
link is the credential (it reaches people from an email, often logged out). The one-click POST
(RFC 8058) is exempt from CSRF: a mail provider sends it without cookies or a form token.
Each state-changing request commits once. The banner is a template global, `reminder_banner()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from prep.ce.services import list_certifications
from prep.ce.views import certification_choices
from prep.extensions import csrf, db
from prep.models.base import utcnow
from prep.models.user import User
from prep.reminders import links, services
from prep.reminders.forms import ActionForm, DismissForm, SettingsForm
from prep.reminders.wording import Wording, describe, kind_label
from prep.security import safe_next_url

bp = Blueprint("reminders", __name__, url_prefix="/reminders")
UNPROCESSABLE = 422
BANNER_ENDPOINTS = frozenset({"dashboard.home", "ce.overview", "ce.certification", "reminders.index"})


def today() -> date:
    """The server's day (UTC), as on the CE pages."""
    return utcnow().date()


@dataclass(frozen=True)
class Shown:
    """A current reminder with its words, for the list and the banner."""

    current: services.CurrentReminder
    wording: Wording

    @property
    def certification_id(self) -> int:
        return self.current.due.certification.id

    @property
    def kind(self) -> str:
        return self.current.due.planned.kind


def _banner() -> Shown | None:
    """The most urgent reminder not dismissed, on the few pages that show the banner."""
    if not current_user.is_authenticated or request.endpoint not in BANNER_ENDPOINTS:
        return None
    if "reminder_banner" not in g:
        day = today()
        try:
            current = services.banner_reminder(
                db.session, current_user, current_app.config, day, g.get("current_reminders")
            )
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("could not load the reminder banner", exc_info=True)
            current = None
        g.reminder_banner = Shown(current, describe(current.due, day)) if current else None
    return g.reminder_banner


@bp.app_context_processor
def _reminder_globals():
    return {"reminder_banner": _banner}


@bp.get("/")
@login_required
def index():
    day = today()
    settings = services.settings_for(db.session, current_user, current_app.config)
    g.current_reminders = services.current_reminders(db.session, current_user, current_app.config, day, settings)
    shown = [Shown(c, describe(c.due, day)) for c in g.current_reminders]  # the banner reuses the list
    labels = dict(certification_choices(list_certifications(db.session, current_user)))
    return render_template(
        "reminders/index.html",
        settings=settings,
        reminders=shown,
        history=services.sent_history(db.session, current_user),
        labels=labels,
        kind_label=kind_label,
    )


@bp.post("/dismiss")
@login_required
def dismiss():
    form = DismissForm()
    if not form.validate_on_submit():
        abort(400)
    found = services.dismiss(
        db.session, current_user, current_app.config, form.certification_id.data, form.kind.data, today()
    )
    if not found:
        abort(404)
    db.session.commit()
    flash("Reminder dismissed: it no longer shows in the banner. It stays in your list of reminders.", "success")
    return redirect(safe_next_url(form.next.data) or url_for("reminders.index"))


def _calendar_url(token: str | None) -> str | None:
    """The private feed address (None before the user asked for one)."""
    if not token:
        return None
    from prep.reminders.calendar_routes import feed_url

    return feed_url(token)


def _settings_page(form: SettingsForm, status: int = 200):
    config = current_app.config
    settings = services.settings_for(db.session, current_user, config)
    return render_template(
        "reminders/settings.html",
        form=form,
        action_form=ActionForm(),
        has_calendar_token=bool(settings.calendar_token),
        calendar_url=_calendar_url(settings.calendar_token),
        pace_months=config["REMINDER_PACE_MONTHS"],
        provisional_offsets=config["REMINDER_PROVISIONAL_OFFSETS"],
        reinstatement_offsets=config["REMINDER_REINSTATEMENT_OFFSETS"],
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "GET":
        saved = services.settings_for(db.session, current_user, current_app.config)
        return _settings_page(SettingsForm(obj=saved))
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            services.update_settings(
                db.session,
                current_user,
                current_app.config,
                enabled=form.enabled.data,
                email=form.email.data,
                in_app=form.in_app.data,
                expiry_offsets=form.expiry_offsets.data or "",
            )
        except services.ReminderError as exc:
            db.session.rollback()
            for name, message in exc.fields.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash("Your reminder settings have been saved.", "success")
            return redirect(url_for("reminders.settings"))
    return _settings_page(form, UNPROCESSABLE)


@bp.post("/calendar/rotate")
@login_required
def rotate_calendar():
    if not ActionForm().validate_on_submit():
        abort(400)
    had_token = bool(services.settings_for(db.session, current_user, current_app.config).calendar_token)
    services.rotate_calendar_token(db.session, current_user, current_app.config)
    db.session.commit()
    if had_token:
        flash("Your calendar feed has a new address. The old address has stopped working.", "success")
    else:
        flash("Your private calendar feed address is ready.", "success")
    return redirect(url_for("reminders.settings", _anchor="calendar-heading"))


def _unsubscriber(token: str) -> User:
    user_id = links.user_id_from_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        abort(404)
    return user


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    user = _unsubscriber(token)
    settings = services.settings_for(db.session, user, current_app.config)
    return render_template("reminders/unsubscribe.html", email=user.email, token=token, done=not settings.email)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str):
    """One-click unsubscribe (RFC 8058) and the button of the page above: the signed token is the credential."""
    user = _unsubscriber(token)
    services.unsubscribe_email(db.session, user, current_app.config)
    db.session.commit()
    return render_template("reminders/unsubscribe.html", email=user.email, token=token, done=True, just_done=True)
