"""The kill test's composer, shared by the sending subprocess's script and the resumption in the test."""

from __future__ import annotations

from email.message import EmailMessage

from konferenz.storage.models import MailMessage


def compose(row: MailMessage) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"Einladung {row.id}"
    message["To"] = row.address
    message.set_content("Guten Tag, Sie sind eingeladen.")
    return message
