"""Sending email through Flask-Mail and the standard MAIL_* settings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_mail import Message

from prep.extensions import mail


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Send one message now. Call it only after the request's commit has succeeded."""
    message = Message(subject=subject, recipients=[to], body=text, html=html, extra_headers=headers or None)
    for a in attachments:
        message.attach(a.filename, a.content_type, a.data)
    mail.send(message)
