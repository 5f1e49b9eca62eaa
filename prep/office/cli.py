"""`flask offices weekly-summary`: email each subscribed office manager this week's summary."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app, render_template, url_for
from flask.cli import AppGroup

from prep.ce.views import STATE_LABELS
from prep.core.office import week_of
from prep.email import mail_timeout, send_email
from prep.extensions import db
from prep.models.base import utcnow
from prep.office import summary

offices_cli = AppGroup("offices", help="Office (staff CE compliance) jobs.")


def _office_link(office_id: int) -> str | None:
    """The office page's full URL; None when SERVER_NAME is not set (no request to take it from)."""
    try:
        return url_for("office.office", office_id=office_id, _external=True)
    except RuntimeError:
        return None


@offices_cli.command("weekly-summary")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="The day to report on (UTC).")
def weekly_summary(today) -> None:
    """Send this week's summary to every manager who asked for it, at most once per week.

    Prints `EMAIL<TAB>OFFICE_ID<TAB>WEEK` per summary sent and `sent N` last; a summary that
    could not be sent is reported, retried on the next run, and makes the exit status 1.
    Safe to run on several hosts at once (a database constraint lets one claim each summary).
    """
    day: date = today.date() if today else utcnow().date()
    week = week_of(day)
    with mail_timeout(current_app.config["MAIL_TIMEOUT"]):
        sent, failed = _send_summaries(day, week)
    click.echo(f"sent {sent}")
    if failed:
        raise SystemExit(1)


def _send_summaries(day: date, week: date) -> tuple[int, int]:
    sent = failed = 0
    for member in summary.subscribed_managers(db.session):
        office_id, user_id = member.office_id, member.user_id
        if not summary.claim(db.session, office_id, user_id, week, utcnow()):
            continue
        db.session.commit()  # the claim is visible to other hosts before the email goes
        try:
            found = summary.summary_for(db.session, member, day)
            values = {
                "summary": found,
                "today": day,
                "state_labels": STATE_LABELS,
                "link": _office_link(office_id),
            }
            send_email(
                to=found.manager.email,
                subject=f"{found.office.name}: staff CE status, week of {week.isoformat()}",
                text=render_template("office/email/summary.txt", **values),
                html=render_template("office/email/summary.html", **values),
            )
        except Exception as exc:  # noqa: BLE001 - any failure: release the claim, go on with the others
            db.session.rollback()
            summary.release(db.session, office_id, user_id, week)
            db.session.commit()
            failed += 1
            click.echo(f"failed\t{member.user.email}\t{office_id}\t{type(exc).__name__}: {exc}", err=True)
            continue
        sent += 1
        click.echo(f"{found.manager.email}\t{office_id}\t{week.isoformat()}")
    return sent, failed
