"""One reminder as an email: plain text and HTML, the deadline as .ics, one-click unsubscribe.

Links are absolute, so outside a request they need `SERVER_NAME` (and `PREFERRED_URL_SCHEME`).
The unsubscribe link is signed (no login needed); `List-Unsubscribe-Post` marks it as
RFC 8058 one-click, so a mail client may POST to it directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template, url_for

from prep.core.reminders import ReminderPolicy
from prep.email import Attachment
from prep.reminders.calendar import build_deadline_invite, event_key_for_series
from prep.reminders.calendar_routes import certification_link, feed_domain
from prep.reminders.links import unsubscribe_token
from prep.reminders.services import DueReminder, certification_dates
from prep.reminders.wording import describe


@dataclass(frozen=True)
class ReminderEmail:
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...]
    headers: dict[str, str]


def compose(due_reminder: DueReminder, today: date, now: datetime, policy: ReminderPolicy) -> ReminderEmail:
    """The email for one due reminder (nothing is sent or saved here).

    `policy` gives the attached event the same alarms as the user's calendar feed.
    """
    wording = describe(due_reminder, today)
    certification = due_reminder.certification
    unsubscribe = url_for(
        "reminders.unsubscribe",
        token=unsubscribe_token(current_app.config["SECRET_KEY"], due_reminder.user.id),
        _external=True,
    )
    values = {
        "user": due_reminder.user,
        "wording": wording,
        "certification_link": url_for("ce.certification", certification_id=certification.id, _external=True),
        "settings_link": url_for("reminders.settings", _external=True),
        "unsubscribe_link": unsubscribe,
    }
    key = event_key_for_series(due_reminder.planned.series, certification_dates(certification))
    invite = build_deadline_invite(certification, key, feed_domain(), now, policy=policy, link_for=certification_link)
    return ReminderEmail(
        to=due_reminder.user.email,
        subject=wording.subject,
        text=render_template("reminders/email/reminder.txt", **values),
        html=render_template("reminders/email/reminder.html", **values),
        attachments=(Attachment("deadline.ics", "text/calendar; charset=utf-8", invite),),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
