"""A letter's signature block and its enclosure pages in the office documents, with the content the PDF
shows (``ui.paper.letters``): the text comes from the same objects and functions, ``LetterContent``'s
``Programme`` and ``ReplyForm`` and ``konferenz.letters.enclosures``.

- The signature block (``konferenz.letters.sender.closing_lines``): closing, addition, the three blank
  lines for the handwritten signature – a scanned signature stands in their place, in the PDF's size (at
  most 13 × 60 mm, its own proportions), with the rest of the three lines below it – then name and function.
- The Programm from a new page: title, date and place, the agenda (time, title in bold, speakers and
  moderation in gray under it), the forums with room and moderation.
- The Rückmeldebogen from a new page: the return address in the address field (Form A/B, as on paper, so it
  goes back in a window envelope), its information block, the QR code of the check-in code when the letters
  have one, the title, the fields and boxes to tick ("☐"), lines to write on ("_"), the lines to sign on and
  the note on the data.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from konferenz.conferences.checkin import qr_code
from konferenz.letters.content import Programme, ReplyForm
from konferenz.letters.documents.frames import address_frame, info_frame
from konferenz.letters.documents.model import Block, Frame, Para, Picture, Run, image_size, para
from konferenz.letters.enclosures import (
    PROGRAMME_FORUMS,
    REPLY_NOTE,
    REPLY_SIGN_LABELS,
    ReplyKind,
    forum_lines,
    reply_info_rows,
    reply_lines,
    reply_qr_rect,
    signature_size,
)
from konferenz.letters.geometry import BODY_SIZE, FOLLOW_TOP, LINE, LetterForm
from konferenz.letters.sender import closing_lines

#: the agenda's text column starts this far right of the time (the PDF's)
TIME_WIDTH = 18.0
#: the reply form's labels ("Name:") take this width
LABEL_WIDTH = 32.0
#: a box to tick, and the hanging indent of its text
BOX = "☐"
BOX_INDENT = 6.0
#: a line to write on: after a text, across the text width, to sign on
FILL_LINE = "_" * 30
WRITE_LINE = "_" * 75
SIGN_LINE = "_" * 34
#: the gap between the reply form's lines (the PDF's step of 1.35 lines)
STEP_GAP = 1.5


def signature_blocks(closing: str, signature: Sequence[str], image: bytes = b"") -> list[Block]:
    """Closing, addition, the room for the signature (with the scanned ``image`` if there is one), name
    and function, kept together."""
    lines = closing_lines(closing, signature)
    pixels = image_size(image) if image else None
    blocks: list[Block] = []
    gap_done = False
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        space_before = LINE if index == 0 else 0.0
        if line is None and pixels is not None:
            if not gap_done:
                width, height = signature_size(pixels)
                blocks.append(
                    Picture(
                        "Unterschrift", image, width, height, max(0.0, 3 * LINE - height), keep_with_next=True
                    )
                )
                gap_done = True
            continue
        blocks.append(
            Para((Run(line),) if line else (), BODY_SIZE, space_before=space_before, keep_with_next=not last)
        )
    return blocks


def programme_blocks(programme: Programme) -> list[Block]:
    """The Programm from a new page."""
    blocks: list[Block] = [
        para(programme.title, 15, bold=True, page_break_before=True, space_after=1.0, keep_with_next=True)
    ]
    blocks += [
        para(line, 11, gray=True, keep_with_next=True)
        for line in (programme.date_line, programme.venue_line)
        if line
    ]
    blocks.append(Para((), 2.0, space_after=4.0))
    for item in programme.items:
        blocks.append(
            Para(
                (Run(item.time, bold=True), Run("\t"), Run(item.title, bold=True)),
                10,
                hanging=TIME_WIDTH,
                space_before=3.0,
                keep_with_next=bool(item.detail),
            )
        )
        if item.detail:
            blocks.append(para(item.detail, 9, gray=True, indent=TIME_WIDTH))
    if programme.forums:
        blocks.append(
            para(PROGRAMME_FORUMS, 12, bold=True, space_before=8.0, space_after=1.0, keep_with_next=True)
        )
        for forum in programme.forums:
            label, extra = forum_lines(forum)
            blocks.append(para(label, 10, bold=True, space_before=2.0, keep_with_next=bool(extra)))
            if extra:
                blocks.append(para(extra, 9, gray=True))
    return blocks


def qr_png(payload: str) -> bytes:
    """The QR code of ``payload`` as a PNG (error correction M as on the badges, no quiet zone: the frame
    around it is white)."""
    buffer = io.BytesIO()
    qr_code(payload).save(buffer, kind="png", scale=10, border=0)
    return buffer.getvalue()


def _reply_line(kind: ReplyKind, text: str, value: str, *, fill: bool, indent: bool, gap: bool) -> Para:
    before = 2.0 if gap else 0.0
    if kind is ReplyKind.FIELD:
        runs = (Run(f"{text}:\t"), Run(value, bold=True) if value else Run(WRITE_LINE[:60]))
        return Para(runs, BODY_SIZE, hanging=LABEL_WIDTH, space_before=before, space_after=STEP_GAP)
    if kind is ReplyKind.CHECK:
        words = f"{text} {FILL_LINE}" if fill else text
        return Para(
            (Run(f"{BOX}\t{words}"),),
            BODY_SIZE,
            indent=4.0 if indent else 0.0,
            hanging=BOX_INDENT,
            space_before=before,
            space_after=STEP_GAP,
        )
    if kind is ReplyKind.WRITE:
        return para(WRITE_LINE, BODY_SIZE, space_before=before, space_after=STEP_GAP)
    bold = kind is ReplyKind.HEADING
    return para(text, BODY_SIZE, bold=bold, space_before=before, space_after=STEP_GAP, keep_with_next=True)


def reply_form_blocks(form: ReplyForm, letter_form: LetterForm, code: str = "") -> list[Block]:
    """The Rückmeldebogen from a new page; with the QR code of the check-in ``code`` if one is given."""
    top = letter_form.anschrift_bottom + 2 * LINE
    blocks: list[Block] = [
        Para((), 2.0, line=top - FOLLOW_TOP, page_break_before=True),
        address_frame(form.sender_line, form.return_address, letter_form, name="Rücksendeanschrift"),
        info_frame(reply_info_rows(form), letter_form),
    ]
    if code:
        x, y, width, height = reply_qr_rect(form, letter_form)
        blocks.append(Frame("QR-Code", x, y, width, height, (), image=qr_png(code)))
    blocks.append(para(form.title, 13, bold=True, space_after=4.0, keep_with_next=True))
    for item in reply_lines(form):
        blocks.append(
            _reply_line(item.kind, item.text, item.value, fill=item.fill, indent=item.indent, gap=item.gap)
        )
    place_date, signature = REPLY_SIGN_LABELS
    blocks += [
        para(SIGN_LINE, BODY_SIZE, space_before=8.0, keep_with_next=True),
        para(place_date, 8, gray=True, space_after=4.0, keep_with_next=True),
        para(SIGN_LINE, BODY_SIZE, space_before=4.0, keep_with_next=True),
        para(signature, 8, gray=True, keep_with_next=True),
        para(REPLY_NOTE, 8, gray=True, space_before=6.0),
    ]
    return blocks
