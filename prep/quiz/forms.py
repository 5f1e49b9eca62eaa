"""Quiz forms: the CSRF-only action form and reading the start form into API-shaped data."""

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict


class ActionForm(FlaskForm):
    """Carries the CSRF token for every quiz POST."""


def start_data_from_form(form: MultiDict) -> dict:
    """The start form's fields in the shape `parse_start` reads (the same as the JSON API)."""
    data: dict = {"mode": form.get("mode")}
    if data["mode"] == "exam":
        data["timing"] = form.get("timing") or "standard"
        return data
    data["topics"] = form.getlist("topics")
    data["domains"] = form.getlist("domains")
    data["difficulty"] = form.getlist("difficulty")
    data["count"] = form.get("count", "20")
    data["filter"] = form.get("filter") or None
    minutes = (form.get("time_limit_minutes") or "").strip()
    if minutes:
        data["time_limit_seconds"] = str(int(minutes) * 60) if minutes.isdigit() else minutes
    return data
