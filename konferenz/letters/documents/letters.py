"""Letters as an office document to edit: the same content and order as the PDF (``ui.paper.letters``),
placed by the DIN 5008 numbers of ``konferenz.letters.geometry``.

Per letter, on a new page: the letterhead (and logo) in a frame at the top; the address field as a frame
of 85 × 45 mm at 20 mm from the left and 45 mm (Form B) or 27 mm (Form A) from the top – the sender line
at the bottom of its Vermerkzone, the address in its Anschriftzone from 25 mm –; the information block
with the date as a frame from 125 mm; the footer (Geschäftsangaben) as a frame at the bottom. The text
flows from the top margin: a spacer paragraph as high as the address field and the information block
(the anchor of the frames), the bold subject, the salutation, the body, the closing with room for the
signature (``konferenz.letters.sender.closing_lines``; the scanned signature in it) and the list of
enclosures; then, each from a new page, the enclosures themselves (Programm, Rückmeldebogen with its QR
code: ``konferenz.letters.documents.enclosures``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from konferenz.letters.content import LetterContent
from konferenz.letters.documents.body import body_paragraphs
from konferenz.letters.documents.enclosures import programme_blocks, reply_form_blocks, signature_blocks
from konferenz.letters.documents.files import write_document
from konferenz.letters.documents.frames import address_frame, info_frame
from konferenz.letters.documents.model import Document, Frame, Para, para
from konferenz.letters.geometry import (
    BODY_SIZE,
    FOLLOW_TOP,
    FOOTER_SIZE,
    FOOTER_TOP,
    FORM_B,
    LINE,
    PAGE_HEIGHT,
    TEXT_LEFT,
    TEXT_RIGHT,
    LetterForm,
    letter_form,
)

#: the footer's line pitch (7.5 pt type)
FOOTER_LINE = 3.4


def _letterhead(letter: LetterContent, form: LetterForm) -> list[Frame]:
    """The letterhead: the first line large, the others small and gray (Form B) or in one line (Form A);
    the logo top right."""
    head = list(letter.letterhead)
    frames: list[Frame] = []
    width = TEXT_RIGHT - TEXT_LEFT
    if form.letterhead_height >= 40:
        top = 14.0
        paras = [para(head[0], 22, bold=True, space_after=1.0)] if head else []
        paras += [para(line, 11, gray=True, line=5.0) for line in head[1:]]
        logo = (150.0, 12.0, TEXT_RIGHT - 150.0, 26.0)
    else:
        top = 7.0
        paras = [para(head[0], 16, bold=True)] if head else []
        if head[1:]:
            paras.append(para(" · ".join(head[1:]), 9.5, gray=True))
        logo = (160.0, 7.0, TEXT_RIGHT - 160.0, 17.0)
    if paras:
        frames.append(
            Frame("Briefkopf", TEXT_LEFT, top, width, form.letterhead_height - top - 1.0, tuple(paras))
        )
    if letter.logo:
        x, y, w, h = logo
        frames.append(Frame("Logo", x, y, w, h, (), image=letter.logo))
    return frames


def info_rows(letter: LetterContent) -> list[tuple[str, str]]:
    """The information block as the PDF shows it on page 1: contact rows, a blank row, the date."""
    return [*letter.info, ("", ""), ("", letter.date_line)]


def _footer_frame(letter: LetterContent) -> Frame | None:
    if not letter.footer:
        return None
    paras = tuple(para(line, FOOTER_SIZE, gray=True, line=FOOTER_LINE) for line in letter.footer)
    return Frame(
        "Fußzeile", TEXT_LEFT, FOOTER_TOP + 1.0, TEXT_RIGHT - TEXT_LEFT, PAGE_HEIGHT - FOOTER_TOP - 6.0, paras
    )


def body_top(letter: LetterContent, form: LetterForm) -> float:
    """Top of the subject on page 1 (mm): two lines below the address field or the information block,
    as in the PDF."""
    info_bottom = form.info_top + LINE * (len(letter.info) + 3)
    return max(form.anschrift_bottom, info_bottom) + 2 * LINE


def add_letter(document: Document, letter: LetterContent, form: LetterForm, *, first: bool) -> None:
    """One letter from a new page (the first of the document on page 1)."""
    document.add(Para((), 2.0, line=body_top(letter, form) - FOLLOW_TOP, page_break_before=not first))
    document.add(*_letterhead(letter, form))
    document.add(address_frame(letter.sender_line, letter.address_lines, form))
    document.add(info_frame(info_rows(letter), form))
    footer = _footer_frame(letter)
    if footer is not None:
        document.add(footer)
    if letter.subject:
        document.add(para(letter.subject, BODY_SIZE, bold=True, space_after=2 * LINE, keep_with_next=True))
    document.add(para(letter.salutation, BODY_SIZE, space_after=LINE))
    document.add(*body_paragraphs(letter.body_html))
    document.add(*signature_blocks(letter.closing, letter.signature, letter.signature_image))
    if letter.enclosures:
        document.add(para("Anlagen", BODY_SIZE, space_before=LINE, keep_with_next=True))
        document.add(*(para(name, BODY_SIZE) for name in letter.enclosures))
    if letter.programme is not None:
        document.add(*programme_blocks(letter.programme))
    if letter.reply_form is not None:
        document.add(*reply_form_blocks(letter.reply_form, form, letter.checkin_code))


def letters_document(
    letters: Sequence[LetterContent], form: LetterForm | str = FORM_B, *, title: str = "Briefe"
) -> Document:
    """All ``letters`` in one document, each from a new page, in the order given (the PDF's)."""
    chosen = letter_form(form) if isinstance(form, str) else form
    document = Document(title)
    for index, letter in enumerate(letters):
        add_letter(document, letter, chosen, first=index == 0)
    if not letters:
        document.add(para("Keine Briefe.", BODY_SIZE))
    return document


def write_letters(
    letters: Sequence[LetterContent], path: str | os.PathLike[str], form: LetterForm | str = FORM_B
) -> Path:
    """All ``letters`` in one .docx or .odt file (the suffix chooses), titled with the first subject."""
    title = letters[0].subject if letters else "Briefe"
    return write_document(letters_document(letters, form, title=title), path)
