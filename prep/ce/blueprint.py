"""The `ce` blueprint: every page under /ce needs a logged-in user."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort
from flask_login import login_required

from prep.ce.forms import ActionForm
from prep.ce.views import amount
from prep.models.base import utcnow

bp = Blueprint("ce", __name__, url_prefix="/ce")
bp.add_app_template_filter(amount, "amount")
UNPROCESSABLE = 422


@bp.before_request
@login_required
def _logged_in():
    return None


def today() -> date:
    """The server's day (UTC); rules accept one day ahead for users east of UTC."""
    return utcnow().date()


def require_csrf_form() -> None:
    """Abort 400 unless the request carries a valid CSRF token (delete buttons)."""
    if not ActionForm().validate_on_submit():
        abort(400)
