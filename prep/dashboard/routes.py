"""Landing page and dashboard."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def landing():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return render_template("dashboard/landing.html")


@bp.get("/dashboard")
@login_required
def home():
    return render_template("dashboard/home.html")
