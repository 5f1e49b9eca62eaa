"""Account forms (Flask-WTF: every one carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length


class RegisterForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email address", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(min=12, max=1024)],
        description="At least 12 characters. A short phrase is easy to remember and hard to guess.",
    )
    submit = SubmitField("Create account")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])
    remember = BooleanField("Keep me signed in on this device")
    submit = SubmitField("Log in")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    submit = SubmitField("Send reset link")


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password", validators=[InputRequired(), Length(min=12, max=1024)], description="At least 12 characters."
    )
    confirm = PasswordField(
        "Repeat the new password", validators=[InputRequired(), EqualTo("new_password", "The passwords do not match.")]
    )
    submit = SubmitField("Set new password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[InputRequired(), Length(max=1024)])
    new_password = PasswordField(
        "New password", validators=[InputRequired(), Length(min=12, max=1024)], description="At least 12 characters."
    )
    submit = SubmitField("Change password")


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=80)],
        description="For example, the app or script that will use it.",
    )
    submit = SubmitField("Create token")


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[InputRequired(), Length(max=1024)])
    confirm = BooleanField(
        "I understand that my account and all my data will be deleted permanently.",
        validators=[DataRequired("Tick the box to confirm.")],
    )
    submit = SubmitField("Delete my account")


class ActionForm(FlaskForm):
    """A form with only its CSRF token: log out, revoke a token."""
