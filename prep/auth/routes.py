"""Account pages. Each state-changing request commits once, then sends any email."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from prep.auth import services
from prep.auth.forms import (
    ActionForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    TokenForm,
)
from prep.email import send_email
from prep.extensions import db, limiter
from prep.security import safe_next_url

bp = Blueprint("auth", __name__)

UNPROCESSABLE = 422


def _start_session(user, remember: bool = False) -> None:
    """Renew the session at login: nothing from before it carries over."""
    session.clear()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                db.session, email=form.email.data, name=form.name.data, password=form.password.data
            )
        except services.AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            db.session.commit()
            _start_session(user)
            flash("Welcome to CMAA Prep. Your account is ready.", "success")
            return redirect(url_for("dashboard.home"))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("dashboard.home"))
    status = 200
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            _start_session(user, remember=form.remember.data)
            return redirect(next_url or url_for("dashboard.home"))
        form.form_errors.append("The email address or password is not correct.")
        status = 401
    elif form.is_submitted():
        status = UNPROCESSABLE
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    logout_user()
    session.clear()
    flash("You have logged out.", "success")
    return redirect(url_for("dashboard.landing"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        if user is not None:
            token = services.make_reset_token(current_app.config["SECRET_KEY"], user)
            link = url_for("auth.reset_password", token=token, _external=True)
            minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
            send_email(
                to=user.email,
                subject="Reset your CMAA Prep password",
                text=render_template("email/reset_password.txt", user=user, link=link, minutes=minutes),
                html=render_template("email/reset_password.html", user=user, link=link, minutes=minutes),
            )
        flash(
            "If an account uses that address, we have sent it a link to reset the password. "
            "The link works once and expires in one hour.",
            "info",
        )
        return redirect(url_for("auth.login"))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    user = services.user_for_reset_token(db.session, current_app.config["SECRET_KEY"], token, max_age)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(db.session, user, form.new_password.data)
        except services.AccountError as exc:
            form.new_password.errors.append(exc.message)
        else:
            db.session.commit()
            logout_user()
            flash("Your password has been changed. Log in with the new password.", "success")
            return redirect(url_for("auth.login"))
    status = UNPROCESSABLE if form.is_submitted() else 200
    return render_template("auth/reset_password.html", form=form), status


def _account_page(status: int = 200, **forms):
    forms.setdefault("password_form", ChangePasswordForm(prefix="pw"))
    forms.setdefault("token_form", TokenForm(prefix="tok"))
    forms.setdefault("delete_form", DeleteAccountForm(prefix="del"))
    tokens = services.list_api_tokens(db.session, current_user)
    return (
        render_template("auth/account.html", tokens=tokens, action_form=ActionForm(), **forms),
        status,
    )


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(db.session, current_user, form.current_password.data, form.new_password.data)
        except services.AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return _account_page(UNPROCESSABLE, password_form=form)


@bp.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm(prefix="tok")
    if not form.validate_on_submit():
        return _account_page(UNPROCESSABLE, token_form=form)
    new = services.create_api_token(db.session, current_user, form.name.data)
    db.session.commit()
    return _account_page(201, new_token=new)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not services.revoke_api_token(db.session, current_user, token_id):
        abort(404)
    db.session.commit()
    flash("The token has been revoked.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/delete")
@login_required
def delete_account():
    form = DeleteAccountForm(prefix="del")
    if form.validate_on_submit():
        try:
            services.delete_account(db.session, current_user._get_current_object(), form.password.data)
        except services.AccountError as exc:
            form.password.errors.append(exc.message)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your account and all its data have been deleted.", "success")
            return redirect(url_for("dashboard.landing"))
    return _account_page(UNPROCESSABLE, delete_form=form)
