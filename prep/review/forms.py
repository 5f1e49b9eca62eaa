"""Review forms: the CSRF-only action form and the desired-retention setting."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields import SelectChoice

from prep.core.review import RETENTION_CHOICES


class ActionForm(FlaskForm):
    """Carries the CSRF token for every review POST."""


def _retention_label(value: float) -> str:
    return f"{round(value * 100)} %" + (" (default)" if value == 0.9 else "")


class SettingsForm(FlaskForm):
    desired_retention = SelectField(
        "Desired retention",
        description=(
            "The share of due reviews you aim to recall. Higher means shorter intervals and more "
            "reviews; lower means fewer reviews and more forgetting. It applies from your next review."
        ),
        choices=[SelectChoice(f"{v:.2f}", _retention_label(v)) for v in RETENTION_CHOICES],
    )
