"""The PDFs an e-mail invitation carries, from the same painting code as the printed letter: the personal
letter alone (its enclosures become attachments of their own), the programme and the reply form; and
``Attacher``, which gives each message of a run its attachments (the command line and the window alike)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtGui import QPagedPaintDevice

from konferenz.letters.content import LetterContent, Programme, ReplyForm
from ui.paper.canvas import Canvas, pdf_bytes
from ui.paper.geometry import FORM_B, LetterForm
from ui.paper.letters import LetterPainter, paint_letters, paint_programme

if TYPE_CHECKING:
    from konferenz.mail.messages import MailContent
    from konferenz.mail.mime import Attachment


def letter_pdf(letter: LetterContent, form: LetterForm | str = FORM_B) -> bytes:
    """The letter of one invitation as a PDF, without the programme and reply form pages."""
    alone = dataclasses.replace(letter, programme=None, reply_form=None)
    return pdf_bytes(lambda device: paint_letters(device, [alone], form), title=letter.subject)


def programme_pdf(programme: Programme) -> bytes:
    """The programme enclosure as a PDF of its own."""

    def paint(device: QPagedPaintDevice) -> None:
        canvas = Canvas(device)
        try:
            paint_programme(canvas, programme)
        finally:
            canvas.end()

    return pdf_bytes(paint, title=programme.title)


def reply_form_pdf(form: ReplyForm, letter_form: LetterForm = FORM_B) -> bytes:
    """The reply form of one invitee as a PDF of its own (the same page as behind the letter)."""

    def paint(device: QPagedPaintDevice) -> None:
        canvas = Canvas(device)
        try:
            LetterPainter(canvas, letter_form)._reply_form(form)
        finally:
            canvas.end()

    return pdf_bytes(paint, title=form.title)


class Attacher:
    """The attachments of each message; the programme and the calendar entry are made once per run."""

    def __init__(self, wanted: frozenset[str], template: str, calendar: bytes) -> None:
        self.wanted = wanted
        self.template = template
        self.calendar = calendar
        self.programme: bytes | None = None

    def __call__(self, item: MailContent) -> list[Attachment]:
        from konferenz.mail.calendar import MIME_TYPE
        from konferenz.mail.messages import letter_attachment_name
        from konferenz.mail.mime import Attachment

        letter = item.letter
        files = []
        if "brief" in self.wanted:
            name = letter_attachment_name(self.template)
            files.append(Attachment(name, "application/pdf", letter_pdf(letter)))
        if "programm" in self.wanted and letter.programme is not None:
            if self.programme is None:
                self.programme = programme_pdf(letter.programme)
            files.append(Attachment("Programm.pdf", "application/pdf", self.programme))
        if "rueckmeldebogen" in self.wanted and letter.reply_form is not None:
            files.append(
                Attachment("Rückmeldebogen.pdf", "application/pdf", reply_form_pdf(letter.reply_form))
            )
        if "ics" in self.wanted:
            files.append(Attachment("Termin.ics", MIME_TYPE, self.calendar))
        return files
