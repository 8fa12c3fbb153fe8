"""The PDFs an e-mail invitation carries, from the same painting code as the printed letter: the personal
letter alone (its enclosures become attachments of their own), the programme and the reply form."""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QPagedPaintDevice

from konferenz.letters.content import LetterContent, Programme, ReplyForm
from ui.paper.canvas import Canvas, pdf_bytes
from ui.paper.geometry import FORM_B, LetterForm
from ui.paper.letters import LetterPainter, paint_letters, paint_programme


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
