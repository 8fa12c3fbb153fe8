"""One e-mail per invitation, made of the same content as the letter (``konferenz.letters.content``): the
salutation, the subject and body of the sandboxed template, closing and signature.

- ``channel_for(invitation)``: e-mail or post – the one rule for who is reached by e-mail.
- ``mail_contents(...)``: the letter content of each invitation with its recipient (name, address).
- ``compose(...)``: the ``OutgoingMessage`` (``konferenz.mail.mime``): multipart/alternative (text/plain derived from the HTML by
  ``html_to_text``, and text/html), attachments, From (the office), Reply-To, To (the one recipient, never
  CC or BCC), Subject, Date, Message-ID. No tracking pixel, no remote image, no link tracking.
- ``check_size(...)``: the size limit before a message is sent, with a German message naming the person.

Names in any script survive in the headers: RFC 2047 encoded words; an address whose local part is not ASCII
makes the message an SMTPUTF8 message (RFC 6532).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from konferenz import names
from konferenz.enums import Channel, InvitationStatus
from konferenz.errors import UserError
from konferenz.letters.content import LetterContent, letter_contents
from konferenz.letters.selection import find_conference, select_invitations
from konferenz.letters.sending import archive_file_name
from konferenz.letters.templates import template_kind
from konferenz.mail.mime import Attachment, OutgoingMessage, mailbox
from konferenz.mail.settings import MailSettings
from konferenz.registry.addressing import Addressee
from konferenz.registry.validation import is_valid_email
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation
from konferenz.text import file_size

#: the office's time zone (the Date header)
OFFICE_TIME_ZONE = ZoneInfo("Europe/Berlin")

# --- who gets e-mail -------------------------------------------------------------------------------------


def recipient_address(invitation: Invitation) -> str:
    """The e-mail address an invitation goes to: the person's own; for a letter to an organisation
    (no contact person) the organisation's; "" when there is none or it is not a valid address."""
    holder = invitation.person if invitation.person is not None else invitation.organisation
    address = (holder.email or "").strip() if holder is not None else ""
    return address if address and is_valid_email(address) else ""


def address_failing(invitation: Invitation) -> str:
    """The server's refusal recorded for the invitation's address ("" while it works)."""
    holder = invitation.person if invitation.person is not None else invitation.organisation
    return holder.email_failing if holder is not None else ""


def channel_for(invitation: Invitation) -> Channel:
    """``Channel.EMAIL`` where the invitation has an e-mail address (``recipient_address``) that the mail
    server has not refused, else ``Channel.POST`` (a letter)."""
    return (
        Channel.EMAIL if recipient_address(invitation) and not address_failing(invitation) else Channel.POST
    )


@dataclass(frozen=True)
class Recipient:
    """The one person (or organisation) a message is addressed to."""

    invitation_id: int
    #: the display name in To: "Ayşe Öztürk"; the organisation's name for a letter to an organisation
    name: str
    #: "" when the invitation goes by post
    address: str
    #: the recipient part of the archive's file names ("Öztürk Ayşe"; ``names.archive_name``)
    archive_name: str

    @property
    def channel(self) -> Channel:
        return Channel.EMAIL if self.address else Channel.POST


def _recipient(invitation: Invitation) -> Recipient:
    person, organisation = invitation.person, invitation.organisation
    addressee = Addressee.from_rows(person, organisation)
    if person is not None:
        name = addressee.full_name
        archive = names.archive_name(person.first_name, person.last_name)
    else:
        name = archive = organisation.name if organisation is not None else ""
    return Recipient(invitation.id, name, recipient_address(invitation), archive)


@dataclass(frozen=True)
class MailContent:
    """The letter content of one invitation and whom its e-mail goes to."""

    letter: LetterContent
    recipient: Recipient


def mail_contents(
    database: Database,
    conference_year: int,
    status: InvitationStatus | Iterable[InvitationStatus] | None = None,
    invitation_ids: Iterable[int] | None = None,
    *,
    template: str,
    programme: bool = False,
    reply_form: bool = False,
    today: dt.date | None = None,
) -> list[MailContent]:
    """``letter_contents`` (same arguments, same order) with each invitation's recipient; the channel of
    each is ``recipient.channel``."""
    ids = list(invitation_ids) if invitation_ids is not None else None
    letters = letter_contents(
        database,
        conference_year,
        status,
        ids,
        template=template,
        programme=programme,
        reply_form=reply_form,
        today=today,
    )
    with database.read_session() as s:
        conf = find_conference(s, conference_year)
        wanted = [letter.invitation_id for letter in letters if letter.invitation_id is not None]
        recipients = {inv.id: _recipient(inv) for inv in select_invitations(s, conf, None, wanted)}
    return [
        MailContent(letter, recipients[letter.invitation_id])
        for letter in letters
        if letter.invitation_id is not None and letter.invitation_id in recipients
    ]


def draft_file_name(year: int, template: str, recipient: Recipient) -> str:
    """ "2026-einladung-00042-oeztuerk-ayse.eml": the archive's name of the letter, as ``.eml``."""
    pdf = archive_file_name(year, template, recipient.invitation_id, recipient.archive_name)
    return pdf.removesuffix(".pdf") + ".eml"


def letter_attachment_name(template: str) -> str:
    """The file name of the letter as PDF attachment: "Einladung.pdf", "Erinnerung.pdf", "Dank.pdf"."""
    kind = template_kind(template)
    for known in ("einladung", "erinnerung", "dank"):
        if kind.startswith(known):
            return f"{known.capitalize()}.pdf"
    return "Brief.pdf"


# --- HTML and plain text ---------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr", "ul", "ol"}
_SKIPPED = {"head", "style", "script", "title"}


class _TextMaker(HTMLParser):
    """HTML → plain text: paragraphs separated by a blank line, ``<br>`` as a line break, list items as
    "- …" (numbered in ``<ol>``), links as "text (url)", images by their alt text only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [counter] (-1 for unordered)
        self.links: list[str | None] = []
        self.link_text: list[list[str]] = []
        self.skip = 0

    def _flush(self) -> None:
        text = "".join(self.line)
        lines = [re.sub(r"[ \t]+", " ", part).strip() for part in text.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            self.blocks.append(block)
        self.line = []

    def _write(self, text: str) -> None:
        (self.link_text[-1] if self.link_text else self.line).append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
        elif tag == "br":
            self._write("\n")
        elif tag in _BLOCKS:
            if not self.lists:  # a nested list or a paragraph in an item stays in the list's block
                self._flush()
            if tag in ("ul", "ol"):
                self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                bullet = f"{self.lists[-1][0]}. "
            else:
                bullet = "- "
            self._write("\n" + "  " * max(len(self.lists) - 1, 0) + bullet)
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_text.append([])
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._write(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BLOCKS:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            # a list's items stay together in one block; everything else ends its paragraph here
            if not self.lists:
                self._flush()
        elif tag == "a" and self.link_text:
            href = self.links.pop() or ""
            text = "".join(self.link_text.pop())
            shown = re.sub(r"\s+", " ", text).strip()
            target = href.removeprefix("mailto:")
            if href and target != shown:
                text = f"{text} ({target})" if shown else target
            self._write(text)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._write(data.replace("\n", " "))

    def text(self) -> str:
        while self.link_text:  # an <a> never closed
            self._write("".join(self.link_text.pop()))
        self._flush()
        return "\n\n".join(self.blocks) + "\n"


def html_to_text(markup: str) -> str:
    """The plain-text part of a message from its HTML part (the one converter, so both say the same)."""
    maker = _TextMaker()
    maker.feed(markup)
    maker.close()
    return maker.text()


def _lines_html(lines: Sequence[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines if line)


def _body_parts(letter: LetterContent) -> list[str]:
    """The HTML part's body, piece by piece: salutation, the template's body, closing, signature and the
    office's contact lines (the letter's footer)."""
    closing: list[str] = [letter.closing] if letter.closing else []
    signature = list(letter.signature)
    if signature and signature[0].casefold() in {"im auftrag", "i. a.", "in vertretung", "i. v."}:
        closing.append(signature.pop(0))
    parts = [f"<p>{html.escape(letter.salutation)}</p>", letter.body_html]
    if closing:
        parts.append(f"<p>{_lines_html(closing)}</p>")
    if signature:
        parts.append(f"<p>{_lines_html(signature)}</p>")
    if letter.footer:
        parts.append(f'<p style="color: #555555; font-size: 90%">{_lines_html(letter.footer)}</p>')
    return parts


def message_html(letter: LetterContent) -> str:
    """The HTML part: salutation, the template's body, closing, signature and the office's contact lines
    (the letter's footer) – no remote image, no tracking."""
    body = "\n".join(_body_parts(letter))
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(letter.subject)}</title>\n</head>\n"
        f'<body style="font-family: sans-serif; font-size: 11pt">\n{body}\n</body>\n</html>\n'
    )


@functools.lru_cache(maxsize=64)
def _part_blocks(markup: str) -> tuple[str, ...] | None:
    """The text blocks of one piece of ``_body_parts``; None when the piece leaves a list, a link or a
    skipped element open (it would change how the next piece reads)."""
    maker = _TextMaker()
    maker.feed(markup)
    maker.close()
    if maker.lists or maker.links or maker.link_text or maker.skip:
        return None
    maker.text()
    return tuple(maker.blocks)


def message_text(letter: LetterContent) -> str:
    """The plain-text part: ``html_to_text(message_html(letter))``, with each piece of the body converted
    once – the template's body is the same for hundreds of recipients, only the salutation differs."""
    blocks: list[str] = []
    for part in _body_parts(letter):
        found = _part_blocks(part)
        if found is None:
            return html_to_text(message_html(letter))
        blocks += found
    return "\n\n".join(blocks) + "\n"


# --- the message -----------------------------------------------------------------------------------------


def _encoded_size(size: int) -> int:
    """Bytes of ``size`` bytes of attachment in base64 with line breaks (76 characters + CRLF)."""
    encoded = (size + 2) // 3 * 4
    return encoded + encoded // 76 * 2


def check_size(
    recipient_name: str, attachments: Sequence[Attachment], max_bytes: int, text_bytes: int = 0
) -> None:
    """Raise a German ``UserError`` naming the recipient when the message (text and attachments as sent)
    would be larger than ``max_bytes``."""
    total = text_bytes + sum(_encoded_size(len(a.data)) for a in attachments)
    if total > max_bytes:
        names_ = ", ".join(f"{a.file_name} ({file_size(len(a.data))})" for a in attachments)
        raise UserError(
            f"Die E-Mail an {recipient_name} wäre {file_size(total)} groß; erlaubt sind höchstens "
            f"{file_size(max_bytes)}. Anlagen: {names_ or 'keine'}."
        )


def _address(name: str, address: str, what: str) -> Address:
    """An ``Address`` with a domain in IDNA form when only the domain is not ASCII."""
    if not is_valid_email(address):
        raise UserError(f"{what}: „{address}“ ist keine gültige E-Mail-Adresse.")
    local, _, domain = address.rpartition("@")
    if local.isascii() and not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise UserError(f"{what}: „{address}“ ist keine gültige E-Mail-Adresse.") from None
    name = re.sub(r"[\r\n]+", " ", name).strip()
    return Address(display_name=name, username=local, domain=domain)


def needs_smtputf8(*addresses: Address) -> bool:
    """True when an address cannot be written in ASCII (its local part): RFC 6532 / SMTPUTF8."""
    return any(not a.addr_spec.isascii() for a in addresses)


def compose(
    letter: LetterContent,
    recipient: Recipient,
    settings: MailSettings,
    attachments: Sequence[Attachment] = (),
    *,
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> OutgoingMessage:
    """The e-mail of one invitation to its one recipient.

    ``message_id`` (``<…@domain>``) is generated from the From domain unless given (the sending side records
    it before handing the message to the server). Raises a German ``UserError`` when the office's address
    is not set, the recipient has no address, or the message is larger than ``settings.max_bytes``.
    """
    if not settings.from_address:
        raise UserError(
            "Für E-Mails ist keine Absenderadresse eingestellt (E-Mail-Einstellungen: Absenderadresse)."
        )
    if not recipient.address:
        raise UserError(f"{recipient.name} hat keine E-Mail-Adresse und bekommt einen Brief.")
    sender = _address(settings.from_name, settings.from_address, "Absenderadresse")
    reply = _address("", settings.reply_address, "Antwortadresse")
    to = _address(recipient.name, recipient.address, f"E-Mail-Adresse von {recipient.name}")
    utf8 = needs_smtputf8(sender, reply, to)
    markup = message_html(letter)
    text = message_text(letter)
    check_size(
        recipient.name,
        attachments,
        settings.max_bytes,
        text_bytes=2 * len(markup.encode()) + len(text.encode()),
    )
    msg = OutgoingMessage(
        text=text,
        html=markup,
        attachments=list(attachments),
        smtputf8=utf8,
    )
    msg.set("From", mailbox(sender.display_name, sender.addr_spec, utf8=utf8))
    msg.set("Reply-To", reply.addr_spec)
    msg.set("To", mailbox(to.display_name, to.addr_spec, utf8=utf8))
    msg.set("Subject", letter.subject)
    msg.set("Date", email.utils.format_datetime(date or dt.datetime.now(OFFICE_TIME_ZONE)))
    msg.set("Message-ID", message_id or email.utils.make_msgid(domain=sender.domain))
    return msg


def message_bytes(msg: OutgoingMessage) -> bytes:
    """The message as it goes to the server or into an ``.eml`` file (CRLF line ends)."""
    return msg.as_bytes()
