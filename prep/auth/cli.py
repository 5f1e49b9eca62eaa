"""`flask users ...`: create accounts and API tokens from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from prep.auth import services
from prep.extensions import db
from prep.models.user import ROLES

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Email address (unique, case-insensitive).")
@click.option("--password", required=True, help="Password (at least 12 characters, not a common one).")
@click.option("--name", default="", help="Display name (defaults to the email's local part).")
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
def create_user(email: str, password: str, name: str, role: str) -> None:
    """Create a user; exits non-zero if the email exists or the password is refused."""
    try:
        user = services.register_user(db.session, email=email, name=name, password=password, role=role)
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    db.session.commit()
    click.echo(f"created user {user.id} <{user.email}> ({user.role})")


@users_cli.command("token")
@click.option("--email", required=True, help="Whose token.")
@click.option("--name", "label", default="CLI token", show_default=True, help="A label for the token.")
def create_token(email: str, label: str) -> None:
    """Print a new personal API token (only the token, one line)."""
    user = services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"email: no user with the address {email}")
    new = services.create_api_token(db.session, user, label)
    db.session.commit()
    click.echo(new.secret)
