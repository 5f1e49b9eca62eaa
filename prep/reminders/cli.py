"""`flask reminders send`: email every due, unsent renewal reminder. Run it daily (cron, timer)."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from prep.email import mail_timeout, send_email
from prep.extensions import db
from prep.models.base import utcnow
from prep.reminders import mail, services

reminders_cli = AppGroup("reminders", help="Renewal reminder jobs.")


def _line(due_reminder: services.DueReminder) -> str:
    planned = due_reminder.planned
    return f"{due_reminder.user.email}\t{due_reminder.certification.id}\t{planned.kind}\t{planned.due_on.isoformat()}"


@reminders_cli.command("send")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="The day to run for (UTC).")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent; change nothing.")
def send(today, dry_run: bool) -> None:
    """Send every due, unsent reminder; print `EMAIL<TAB>CERTIFICATION_ID<TAB>KIND<TAB>DUE_DATE` each.

    The last line is `sent N` (`would send N` with --dry-run). At most once per reminder, even
    with several hosts running at once: each reminder is claimed in the database and the claim
    committed before the email goes. Of each series only the latest due reminder is sent.
    A reminder that could not be sent is reported on stderr, left unsent for the next run, and
    makes the exit status 1; the others are still sent.
    """
    day: date = today.date() if today else utcnow().date()
    config = current_app.config
    if not dry_run and not config.get("SERVER_NAME"):
        raise click.UsageError("set SERVER_NAME (the site's host name): reminder emails link back to the site")
    pending = list(services.pending_emails(db.session, config, day))
    if dry_run:
        for due_reminder in pending:
            click.echo(_line(due_reminder))
        click.echo(f"would send {len(pending)}")
        db.session.rollback()
        return
    sent = failed = 0
    with mail_timeout(config["MAIL_TIMEOUT"]):
        for due_reminder in pending:
            settings = services.settings_for(db.session, due_reminder.user, config)
            if not (settings.enabled and settings.email):  # unsubscribed while this run was going
                continue
            row = services.claim_email(db.session, due_reminder, utcnow())
            db.session.commit()  # the claim is visible to every other host before the email goes
            if row is None:
                continue
            try:
                message = mail.compose(due_reminder, day, utcnow(), services.policy_for(settings, config))
                send_email(
                    to=message.to,
                    subject=message.subject,
                    text=message.text,
                    html=message.html,
                    attachments=message.attachments,
                    headers=message.headers,
                )
            except Exception as exc:  # noqa: BLE001 - any failure: release the claim, go on with the others
                db.session.rollback()
                services.release_claim(db.session, row, f"{type(exc).__name__}: {exc}")
                db.session.commit()
                failed += 1
                click.echo(f"failed\t{_line(due_reminder)}\t{type(exc).__name__}: {exc}", err=True)
                continue
            services.record_sent(db.session, row, utcnow())
            db.session.commit()
            sent += 1
            click.echo(_line(due_reminder))
    click.echo(f"sent {sent}")
    if failed:
        click.echo(f"failed {failed} (left unsent; the next run retries them)", err=True)
        raise SystemExit(1)
