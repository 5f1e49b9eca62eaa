"""The API blueprint and its authentication: every endpoint knows `g.api_user`."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, g, request
from flask_login import current_user

from prep.auth.services import api_token_for_secret, note_token_use
from prep.errors import error_response
from prep.extensions import db
from prep.models.base import utcnow
from prep.security import is_bearer_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")

TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@bp.before_request
def authenticate():
    """Bearer token first (exempt from CSRF); otherwise the logged-in session; else 401."""
    if "Authorization" in request.headers:
        if not is_bearer_request():
            return error_response(401, "unauthorized", "Use 'Authorization: Bearer <token>'.")
        secret = request.headers["Authorization"].removeprefix("Bearer ").strip()
        token = api_token_for_secret(db.session, secret)
        if token is None:
            return error_response(401, "unauthorized", "The API token is not valid or has been revoked.")
        if note_token_use(token, utcnow(), TOKEN_USE_RESOLUTION):
            db.session.commit()
        g.api_user = token.user
        return None
    if current_user.is_authenticated:
        g.api_user = current_user._get_current_object()
        return None
    return error_response(401, "unauthorized", "Authentication required: log in or send a Bearer token.")
