"""The bytes of one outgoing e-mail (RFC 5322 / MIME), written directly: ``OutgoingMessage``.

The messages of a run all have the same shape – headers, a plain-text and an HTML part of the same content
(multipart/alternative), and attachments (multipart/mixed) – so they are written here in one pass instead of
through ``email.message.EmailMessage``, whose header registry and generator cost about 8 ms per message, more
than half the time of the personal PDF it carries (issue 16: ``mail_ratio``). What is written:

- header values in ASCII: display names and the subject as RFC 2047 encoded words (UTF-8), folded at 78
  characters; an address whose local part is not ASCII is written as UTF-8 (RFC 6532, ``smtputf8``), the
  message then needs a server with SMTPUTF8;
- the text parts in quoted-printable (UTF-8), attachments in base64, file names as RFC 2231 parameters;
- CRLF line ends throughout, boundaries that cannot occur in quoted-printable or base64 text.

``parsed()`` reads the bytes back as an ``EmailMessage`` (the preview shows what is sent, not a copy).
"""

from __future__ import annotations

import base64
import binascii
import email.policy
import email.utils
import re
import uuid
from dataclasses import dataclass, field
from email.header import Header
from email.message import EmailMessage
from email.parser import BytesParser, Parser

#: characters that make a display name need quotes (RFC 5322 "specials")
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message: its name, MIME type ("application/pdf", "text/calendar;
    method=PUBLISH") and content."""

    file_name: str
    mime_type: str
    data: bytes


def _fold(name: str, value: str) -> str:
    """A header line (without line end) with an unstructured value: ASCII as it is (folded at spaces),
    anything else as RFC 2047 encoded words."""
    value = re.sub(r"[\r\n]+", " ", value).strip()
    if value.isascii() and len(name) + len(value) + 2 <= 78:
        return f"{name}: {value}"
    encoded = Header(value, "utf-8" if not value.isascii() else "us-ascii", header_name=name).encode(
        linesep="\n"
    )
    return f"{name}: {encoded}"


def mailbox(display_name: str, address: str, *, utf8: bool = False) -> str:
    """ "Name <address>" for a From/To/Reply-To header: the name as RFC 2047 encoded words when it is not
    ASCII (as UTF-8 in an SMTPUTF8 message), quoted when it has special characters."""
    display_name = re.sub(r"[\r\n]+", " ", display_name).strip()
    if not display_name:
        return address
    if display_name.isascii() or utf8:
        if _SPECIALS.search(display_name):
            escaped = display_name.replace("\\", "\\\\").replace('"', '\\"')
            display_name = f'"{escaped}"'
        return f"{display_name} <{address}>"
    return email.utils.formataddr((display_name, address), charset="utf-8")


def _parameter(key: str, value: str) -> str:
    """A MIME parameter: ``key="value"`` for ASCII, RFC 2231 ``key*=utf-8''…`` otherwise, split into
    numbered continuations (``key*0*=…; key*1*=…``) so that no line grows beyond 78 characters."""
    if value.isascii():
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{key}="{escaped}"'
    encoded = email.utils.encode_rfc2231(value, "utf-8")
    if len(encoded) <= 60:
        return f"{key}*={encoded}"
    chunks = re.findall(r"(?:%[0-9A-F]{2}|[^%]){1,20}", encoded.removeprefix("utf-8''"))
    first, *rest = chunks
    sections = [f"{key}*0*=utf-8''{first}", *(f"{key}*{n}*={c}" for n, c in enumerate(rest, start=1))]
    return ";\n ".join(sections)


def _folded(name: str, value: str) -> str:
    """A structured header line, folded before its parameters and its address where it is too long."""
    line = f"{name}: {value}"
    if len(line) <= 78:
        return line
    return line.replace("; ", ";\n ").replace(" <", "\n <")


def _text_part(subtype: str, text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8"), istext=True)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
    ).encode("ascii") + body


def _attachment(part: Attachment) -> bytes:
    main, _, rest = part.mime_type.partition(";")
    options = [o.strip() for o in rest.split(";") if "=" in o]
    content_type = "; ".join([main.strip(), *options, _parameter("name", part.file_name)])
    disposition = f"attachment; {_parameter('filename', part.file_name)}"
    head = (
        f"{_folded('Content-Type', content_type)}\nContent-Transfer-Encoding: base64\n"
        f"{_folded('Content-Disposition', disposition)}\n\n"
    )
    return head.encode("ascii") + base64.encodebytes(part.data)


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    boundary = f"=_{uuid.uuid4().hex}"
    out = [f'Content-Type: multipart/{subtype};\n boundary="{boundary}"\n\n'.encode("ascii")]
    for part in parts:
        # the line end before a boundary belongs to the boundary (RFC 2046), not to the part
        out += [f"--{boundary}\n".encode("ascii"), part, b"\n"]
    out.append(f"--{boundary}--\n".encode("ascii"))
    return b"".join(out)


@dataclass
class OutgoingMessage:
    """One e-mail to one recipient: headers (name, value in its final form, see ``set``), the plain-text
    and the HTML part, attachments."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    #: an address is not ASCII: the message is written in UTF-8 (RFC 6532) and needs SMTPUTF8
    smtputf8: bool = False

    def __contains__(self, name: str) -> bool:
        return any(n.casefold() == name.casefold() for n, _v in self.headers)

    def __getitem__(self, name: str) -> str:
        """The header's value as set (encoded words are decoded by ``parsed()``, not here)."""
        for n, value in self.headers:
            if n.casefold() == name.casefold():
                return value
        raise KeyError(name)

    def get(self, name: str, default: str = "") -> str:
        try:
            return self[name]
        except KeyError:
            return default

    def set(self, name: str, value: str) -> None:
        """Set header ``name`` (replacing it): an address header's value is a ready mailbox (``mailbox``),
        an unstructured one (Subject) plain text."""
        self.headers = [(n, v) for n, v in self.headers if n.casefold() != name.casefold()]
        self.headers.append((name, re.sub(r"[\r\n]+", " ", value).strip()))

    def as_bytes(self) -> bytes:
        """The message as it goes to the server or into an ``.eml`` file (CRLF line ends)."""
        lines = [
            _fold(name, value) if name.casefold() == "subject" else _folded(name, value)
            for name, value in self.headers
        ]
        head = "\n".join([*lines, "MIME-Version: 1.0", ""])
        body = _multipart("alternative", [_text_part("plain", self.text), _text_part("html", self.html)])
        if self.attachments:
            body = _multipart("mixed", [body, *(_attachment(a) for a in self.attachments)])
        data = head.encode("utf-8") + body
        return data.replace(b"\n", b"\r\n")

    def parsed(self) -> EmailMessage:
        """The bytes read back by Python's parser (for the preview: exactly what is sent)."""
        if self.smtputf8:  # raw UTF-8 headers (RFC 6532): BytesParser would read them as surrogates
            msg = Parser(policy=email.policy.default).parsestr(self.as_bytes().decode("utf-8"))
        else:
            msg = BytesParser(policy=email.policy.default).parsebytes(self.as_bytes())
        assert isinstance(msg, EmailMessage)
        return msg
