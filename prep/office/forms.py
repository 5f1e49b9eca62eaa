"""Office forms (CSRF on each); joining uses the instructor package's JoinForm."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class OfficeForm(FlaskForm):
    name = StringField(
        "Office name",
        validators=[DataRequired("Enter a name."), Length(max=120)],
        description="The practice or clinic, as your staff know it.",
    )
