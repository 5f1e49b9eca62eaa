"""The `instructor` blueprint (/instructor): instructors and admins only; a learner gets 403.

Inside, every object is looked up through the current user (`cohort_for_instructor`, ...), so
another instructor's cohort, learner, assignment or collection is 404.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app
from flask_login import current_user

from prep.bank.blueprint_file import load_blueprint
from prep.core.blueprint import Blueprint as ExamBlueprint
from prep.extensions import login_manager
from prep.instructor.forms import ActionForm
from prep.models.base import utcnow

bp = Blueprint("instructor", __name__, url_prefix="/instructor")
STAFF_ROLES = ("instructor", "admin")
UNPROCESSABLE = 422


@bp.before_request
def _staff_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in STAFF_ROLES:
        abort(403)
    return None


def exam_blueprint() -> ExamBlueprint:
    return load_blueprint(current_app.config["QUESTION_BANK_PATH"])


def today() -> date:
    return utcnow().date()


def require_csrf() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)
