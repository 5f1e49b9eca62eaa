"""Sending email through Flask-Mail and the standard MAIL_* settings."""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


@contextmanager
def mail_timeout(seconds: float) -> Iterator[None]:
    """Give up on an SMTP server that stops answering after `seconds` (Flask-Mail sets no timeout).

    For the email jobs (`reminders send`, `offices weekly-summary`): a stalled server must fail
    the message, not hang the job while it holds a claim.
    """
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)
