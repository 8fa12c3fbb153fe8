"""konferenz.mail.mime: the bytes written directly read back by Python's parser as what was put in."""

from __future__ import annotations

import email.policy
import re
from email.parser import BytesParser

import pytest

from konferenz.mail.mime import Attachment, OutgoingMessage, mailbox

NAMES = ["Ayşe Öztürk", "محمد الأحمد", "Nguyễn Thị Thu Hà", "Ольга Шевченко", 'Müller, "Hans" (KI)']


def _message(name: str, subject: str, files: list[Attachment]) -> OutgoingMessage:
    msg = OutgoingMessage(
        text=f"Sehr geehrte Damen und Herren,\n\n{name}\n" + "Zeile mit Umlaut ä " * 30 + "\n",
        html=f"<p>{name}</p>",
        attachments=files,
    )
    msg.set("From", mailbox("Kreis Borken – Kommunales Integrationszentrum", "kiz@kreis-borken.de"))
    msg.set("To", mailbox(name, "gast@example.org"))
    msg.set("Subject", subject)
    msg.set("Message-ID", "<abc@kreis-borken.de>")
    return msg


def test_every_script_survives_headers_parts_and_file_names() -> None:
    pdf = bytes(range(256)) * 300
    for name in NAMES:
        subject = f"Einladung zur Integrationskonferenz 2026 für {name} – bitte antworten Sie bis Freitag"
        files = [
            Attachment(f"Brief {name}.pdf", "application/pdf", pdf),
            Attachment(
                "Termin.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
            ),
        ]
        msg = _message(name, subject, files)
        raw = msg.as_bytes()
        assert raw.isascii()
        assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
        assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
        parsed = BytesParser(policy=email.policy.default).parsebytes(raw)
        assert parsed["To"].addresses[0].display_name == name
        assert parsed["Subject"] == subject
        assert parsed.get_content_type() == "multipart/mixed"
        plain = parsed.get_body(("plain",))
        assert (
            plain is not None and plain.get_content().replace("\r\n", "\n") == msg.text
        )  # last line end too
        html = parsed.get_body(("html",))
        assert html is not None and html.get_content().replace("\r\n", "\n") == msg.html
        got = [
            (p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
            for p in parsed.iter_attachments()
        ]
        assert got == [
            (f"Brief {name}.pdf", "application/pdf", pdf),
            ("Termin.ics", "text/calendar", files[1].data),
        ]
        assert [p.get_param("method") for p in parsed.iter_attachments()] == [None, "PUBLISH"]


def test_without_attachments_it_is_one_alternative_and_headers_cannot_be_injected() -> None:
    msg = _message("Olena", "Zeile\r\nBcc: alle@example.org", [])
    raw = msg.as_bytes()
    parsed = BytesParser(policy=email.policy.default).parsebytes(raw)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Zeile Bcc: alle@example.org"
    assert msg["Message-ID"] == "<abc@kreis-borken.de>"
    msg.set("message-id", "<neu@kreis-borken.de>")  # set replaces, whatever the case
    assert re.findall(rb"(?im)^message-id: (.*)\r$", msg.as_bytes()) == [b"<neu@kreis-borken.de>"]


def test_an_smtputf8_message_reads_back_through_parsed() -> None:
    msg = OutgoingMessage(text="Guten Tag\n", html="<p>Guten Tag</p>", smtputf8=True)
    msg.set("To", mailbox("Ayşe Öztürk", "ayşe@öztürk.de", utf8=True))
    assert "ayşe@öztürk.de".encode() in msg.as_bytes()
    assert msg.parsed()["To"].addresses[0].addr_spec == "ayşe@öztürk.de"
    assert msg.parsed()["To"].addresses[0].display_name == "Ayşe Öztürk"


@pytest.mark.parametrize(
    "content",
    [b".first\r\nx\r\n", b"a\r\n.b\r\n..c\r\n", b"no dot\r\n", b"a\r\n.", b"", b".", b"x.y\r\n.\r\n"],
)
def test_dot_stuffing_doubles_every_leading_dot_and_ends_the_data(content: bytes) -> None:
    """RFC 5321 4.5.2: every line that starts with "." gets a second one; the data ends with CRLF "." CRLF."""
    from konferenz.mail.smtp import _dot_stuffed

    expected = re.sub(rb"(?m)^\.", b"..", content)
    if not expected.endswith(b"\r\n"):
        expected += b"\r\n"
    assert _dot_stuffed(content) == expected + b".\r\n"
