"""Reminder forms (Flask-WTF, CSRF on each): settings, dismissing a reminder, the calendar address."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput


class SettingsForm(FlaskForm):
    enabled = BooleanField("Send me renewal reminders")
    email = BooleanField("By email")
    in_app = BooleanField("As a banner in the app")
    expiry_offsets = StringField(
        "Days before expiry",
        validators=[Optional(), Length(max=200)],
        description="Whole numbers of days, separated by commas, for example “90, 60, 30, 14, 7, 1”. "
        "Leave empty for no reminders before expiry.",
    )
    submit = SubmitField("Save reminder settings")


class DismissForm(FlaskForm):
    certification_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    kind = HiddenField(validators=[DataRequired(), Length(max=30)])
    next = HiddenField(validators=[Optional()])


class ActionForm(FlaskForm):
    """A CSRF token only: the calendar address button."""
