"""The item report form (Flask-WTF, CSRF)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from prep.reports.services import KIND_LABELS, MESSAGE_MAX

REPORT_PAGES = ("practice", "review", "flashcards")


class ReportForm(FlaskForm):
    kind = SelectField(
        "What is wrong?",
        choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
        validators=[DataRequired("Choose what is wrong.")],
    )
    message = TextAreaField(
        "Details",
        validators=[
            DataRequired("Describe the problem in a few words."),
            Length(max=MESSAGE_MAX, message=f"Keep the description under {MESSAGE_MAX} characters."),
        ],
        description="What is wrong, what it should say, and your source if you have one. Editors read every report.",
    )
    source = HiddenField(validators=[AnyOf(REPORT_PAGES)], default="practice")


class ActionForm(FlaskForm):
    """CSRF only: the queue's buttons."""
