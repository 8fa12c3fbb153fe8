"""The kill test's composer, shared by the sending subprocess's script and the resumption in the test."""

from __future__ import annotations

from konferenz.mail.mime import OutgoingMessage
from konferenz.storage.models import MailMessage


def compose(row: MailMessage) -> OutgoingMessage:
    message = OutgoingMessage(
        text="Guten Tag, Sie sind eingeladen.", html="<p>Guten Tag, Sie sind eingeladen.</p>"
    )
    message.set("Subject", f"Einladung {row.id}")
    message.set("To", row.address)
    return message
