"""The text of a letter's enclosure pages and signature, as the PDF (``ui.paper.letters``) and the office
documents (``konferenz.letters.documents.letters``) both show it: the one home of the reply form's lines
(Rückmeldebogen: its information block, fields, boxes to tick, the lines to write on), of the forum line of
the programme (Programm), of the scanned signature's size and of the reply form's QR code (its size and
place). No Qt here: the painter and the document writers only place these lines.

The optional QR code (the invitation's check-in code, ``konferenz.conferences.checkin.code_payload``) goes
on the reply form only, in the information block's area below its four rows and right-aligned (from 71 mm,
x 180–200 mm): there it touches neither the address field nor the text. A letter's first page has no room
that keeps clear of the DIN 5008 zones: its information block (up to eight rows, down to about 84 mm, lines
up to 75 mm wide) ends too close to the subject (98.5 mm) for a code of 20 mm, and the address field and
the margins stay free.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from konferenz.letters.content import ForumLine, ReplyForm
from konferenz.letters.geometry import INFO_RIGHT, LINE, LetterForm
from konferenz.letters.selection import forum_label

#: the scanned signature: at most this high and wide (mm); it stands in the three blank lines between
#: closing (or "Im Auftrag") and the typed name, where DIN 5008 leaves room for the handwritten signature
SIGNATURE_HEIGHT = 13.0
SIGNATURE_WIDTH = 60.0

#: the QR code on the reply form: its side (mm) and its gap below the information block's rows
QR_SIZE = 20.0
QR_GAP = LINE


def signature_size(pixels: tuple[int, int], height: float = SIGNATURE_HEIGHT) -> tuple[float, float]:
    """Width and height (mm) of a scanned signature of ``pixels`` (width, height): as large as fits into
    ``height`` × ``SIGNATURE_WIDTH``, in its own proportions."""
    width_px, height_px = pixels
    scale = min(height / height_px, SIGNATURE_WIDTH / width_px)
    return width_px * scale, height_px * scale


def reply_info_rows(form: ReplyForm) -> list[tuple[str, str]]:
    """The reply form's information block: "Rückmeldung", the deadline, telephone, e-mail."""
    rows: list[tuple[str, str]] = [("", "Rückmeldung")]
    if form.deadline:
        rows.append(("bitte bis", form.deadline))
    rows.append(("Telefon", form.phone))
    if form.email:
        rows.append(("E-Mail", form.email))
    return rows


def reply_qr_rect(form: ReplyForm, letter_form: LetterForm) -> tuple[float, float, float, float]:
    """x, y, width and height (mm) of the QR code on the reply form: below the information block's rows,
    at its right edge."""
    top = letter_form.info_top + LINE * len(reply_info_rows(form)) + QR_GAP
    return INFO_RIGHT - QR_SIZE, top, QR_SIZE, QR_SIZE


class ReplyKind(StrEnum):
    #: "Name:" and the value in bold (a line to write on when empty)
    FIELD = "field"
    #: a box to tick, its text (and a line to write on after it with ``fill``)
    CHECK = "check"
    #: a bold line introducing boxes
    HEADING = "heading"
    #: a plain line
    TEXT = "text"
    #: an empty line to write on, across the text width
    WRITE = "write"


@dataclass(frozen=True)
class ReplyLine:
    """One line of the reply form below its title, in order."""

    kind: ReplyKind
    text: str = ""
    value: str = ""
    #: a line to write on after the text
    fill: bool = False
    #: a box under a heading or a text (indented)
    indent: bool = False
    #: a small gap above the line (a new group)
    gap: bool = False


#: the reply form's foot: the two lines to sign on and the note on the data
REPLY_SIGN_LABELS = ("Ort, Datum", "Unterschrift")
REPLY_NOTE = "Ihre Angaben verwenden wir nur zur Vorbereitung und Durchführung der Konferenz."


def reply_lines(form: ReplyForm) -> list[ReplyLine]:
    """The reply form's lines between its title and the signature lines."""
    k = ReplyKind
    lines = [
        ReplyLine(k.FIELD, "Name", form.name),
        ReplyLine(k.FIELD, "Organisation", form.organisation),
        ReplyLine(k.CHECK, "Ich nehme an der Konferenz teil.", gap=True),
        ReplyLine(k.CHECK, "Ich bringe Begleitpersonen mit, Anzahl:", fill=True),
        ReplyLine(k.CHECK, "Ich kann leider nicht teilnehmen."),
        ReplyLine(k.CHECK, "Ich werde vertreten durch:", fill=True),
    ]
    if form.forums:
        lines.append(
            ReplyLine(
                k.HEADING, "Ich möchte an diesem Forum teilnehmen (bitte nur eines ankreuzen):", gap=True
            )
        )
        lines += [ReplyLine(k.CHECK, title, indent=True) for title in form.forums]
    lines += [
        ReplyLine(
            k.TEXT, "Unterstützung (z. B. barrierefreier Zugang, Gebärdensprachdolmetschung):", gap=True
        ),
        ReplyLine(k.WRITE),
        ReplyLine(k.TEXT, "Verpflegung:"),
        ReplyLine(k.CHECK, "vegetarisch", indent=True),
        ReplyLine(k.CHECK, "vegan", indent=True),
        ReplyLine(k.CHECK, "Sonstiges:", fill=True, indent=True),
    ]
    return lines


#: the heading above the forums of the programme
PROGRAMME_FORUMS = "Foren"


def forum_lines(forum: ForumLine) -> tuple[str, str]:
    """A forum of the programme: its label ("Forum 2: Arbeit") and the room and moderation line ("" for
    none)."""
    extra = " · ".join(
        p
        for p in (
            f"Raum {forum.room}" if forum.room else "",
            forum.moderation and f"Moderation: {forum.moderation}",
        )
        if p
    )
    return forum_label(forum.number, forum.title), extra
