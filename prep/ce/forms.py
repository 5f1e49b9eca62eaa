"""CE forms (Flask-WTF, CSRF on each). Choices come from the catalog and the user's certifications."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from prep.core.ce.catalog import Catalog
from prep.core.uploads import ACCEPTED

CONTACT_HOURS = "contact-hours"
ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"  # a hint to the browser; the server checks content


def finite_number(form, field) -> None:
    """Stop validation of NaN or infinite amounts (Decimal comparisons with NaN raise)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Enter a number, for example 1.5.")


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (each with its own label)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CertificationForm(FlaskForm):
    credential = SelectField("Credential", validators=[DataRequired("Choose a credential.")])
    number = StringField("Certificate number", validators=[DataRequired(), Length(max=80)])
    cycle_start = DateField(
        "Cycle start",
        validators=[InputRequired("Enter the cycle start date.")],
        description="The date of certification or of your last renewal.",
    )
    expires_on = DateField(
        "Expiration date",
        validators=[Optional()],
        description="Leave empty to use the credential's cycle length; enter the date on the certifying "
        "body's record if it differs.",
    )
    provisional = BooleanField("This is a provisional certification (not yet converted)")
    test_date = DateField("Test date", validators=[Optional()], description="Needed for a provisional certification.")
    credentials_held = IntegerField(
        "Credentials you hold with this body",
        validators=[Optional(), NumberRange(min=1, max=20)],
        description="Only for requirements that grow with the number of credentials (AAPC). Leave empty "
        "to count the ones in this tracker.",
    )
    submit = SubmitField("Save certification")

    def set_choices(self, catalog: Catalog) -> None:
        self.credential.choices = [("", "Choose a credential")] + [(c.slug, c.label) for c in catalog.credentials]


class ActivityForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    provider = StringField("Provider", validators=[DataRequired(), Length(max=200)])
    accreditation = StringField(
        "Accreditation or approval number",
        validators=[Optional(), Length(max=120)],
        description="As printed on the certificate. For AAMA-approved CE, include “AAMA”, e.g. “AAMA 123456”.",
    )
    completed_on = DateField("Completion date", validators=[InputRequired("Enter the completion date.")])
    amount = DecimalField(
        "Amount",
        places=2,
        validators=[InputRequired("Enter the contact hours."), finite_number, NumberRange(min=0.01, max=1000)],
        description="Contact hours as on the certificate, or an amount in a credential's unit (choose below).",
    )
    amount_unit = SelectField("The amount is in", default=CONTACT_HOURS)
    category = SelectField("Category", default="general")
    format = SelectField("Format", validators=[Optional()])
    certifications = CheckboxListField("Apply to", coerce=int, validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])
    certificate = FileField(
        "Certificate file (optional)",
        description=f"{ACCEPTED}, at most 10 MB. You can add more files later.",
        render_kw={"accept": ACCEPT},
    )
    submit = SubmitField("Save activity")

    def set_choices(self, catalog: Catalog, certifications: list[tuple[int, str, str]]) -> None:
        """`certifications`: (id, label, credential slug) of the user's certifications."""
        self.category.choices = list(catalog.categories)
        self.format.choices = [("", "Not given")] + list(catalog.formats)
        self.certifications.choices = [(i, label) for i, label, _ in certifications]
        units = [(CONTACT_HOURS, "Contact hours")]
        for slug in dict.fromkeys(slug for _, _, slug in certifications):
            credential = catalog.get(slug)
            if credential and credential.contact_hours_per_unit != 1:
                per = f"{credential.contact_hours_per_unit.normalize():f}"
                units.append((slug, f"{credential.abbreviation} {credential.unit} (1 = {per} contact hours)"))
        self.amount_unit.choices = units


class ApplyForm(FlaskForm):
    certifications = CheckboxListField("Apply to", coerce=int, validators=[Optional()])
    submit = SubmitField("Save")


class CertificateForm(FlaskForm):
    certificate = FileField("Certificate file", description=f"{ACCEPTED}, at most 10 MB.", render_kw={"accept": ACCEPT})
    submit = SubmitField("Upload")


class RenewalForm(FlaskForm):
    renewed_on = DateField("Renewal date", validators=[InputRequired("Enter the renewal date.")])
    submit = SubmitField("Record renewal")


class ActionForm(FlaskForm):
    """A CSRF token only: delete buttons."""
