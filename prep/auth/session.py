"""Flask-Login wiring: load users from the session, answer 401 JSON for the API."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import LoginManager

from prep.errors import error_response
from prep.extensions import db
from prep.models.user import User


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # The session id is "<user id>:<nonce>": a password change rotates the nonce and so
        # ends every session started before it.
        user_id, _, _nonce = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.get_id() != session_id:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            return error_response(401, "unauthorized", "Authentication required.")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
