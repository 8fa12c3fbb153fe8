"""Letters by DIN 5008 (Form A or B), painted with QPainter on any QPagedPaintDevice.

``paint_letters(device, letters, form)`` is the one function behind the PDF file (QPdfWriter), the printer
(QPrinter) and the print preview (QPrintPreviewDialog.paintRequested). Per letter: letterhead, the one-line
sender (Rücksendeangabe) at the bottom of the Vermerkzone, the address block in the Anschriftzone (text
from 25 mm, 10 pt, shrunk to at least 8 pt when a line is too long), the information block (x 125 mm),
bold subject, salutation, the body (a QTextDocument laid out for the paint device), closing and signature,
fold and hole marks; long letters break between lines onto follow-up pages with "Seite N von M". Every
letter starts on a new page; optional enclosures (programme, reply form) follow it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QImage,
    QPagedPaintDevice,
    QPalette,
    QTextBlock,
    QTextDocument,
)

from konferenz.letters.content import LetterContent, Programme, ReplyForm
from konferenz.letters.enclosures import (
    PROGRAMME_FORUMS,
    REPLY_NOTE,
    REPLY_SIGN_LABELS,
    SIGNATURE_HEIGHT,
    SIGNATURE_WIDTH,
    ReplyKind,
    forum_lines,
    reply_info_rows,
    reply_lines,
    reply_qr_rect,
)
from konferenz.letters.geometry import (
    ADDRESS_MIN_SIZE,
    ADDRESS_SIZE,
    ADDRESS_WIDTH,
    BODY_SIZE,
    BODY_WIDTH,
    FOLLOW_PAGE_NUMBER,
    FOLLOW_TOP,
    FOOTER_SIZE,
    FOOTER_TOP,
    FORM_B,
    HOLE_MARK,
    INFO_LEFT,
    INFO_RIGHT,
    INFO_SIZE,
    LINE,
    SENDER_MIN_SIZE,
    SENDER_SIZE,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
    LetterForm,
    letter_form,
)
from konferenz.letters.sender import closing_lines
from konferenz.registry.addressing import MAX_ADDRESS_LINES
from ui.paper.archive_pdf import office_author
from ui.paper.badges import paint_qr
from ui.paper.canvas import Canvas, make_font, pdf_bytes, prepare_device

GRAY = QColor(90, 90, 90)
#: line pitch of the body as a share of the font's natural line spacing
LINE_HEIGHT = 0.88
#: bodies kept laid out while a run is painted (``LetterPainter.laid_out``)
_KEPT_BODIES = 4


@dataclass(frozen=True)
class LetterPages:
    """Where one letter landed in the output: first page (0-based), its own pages, all with enclosures."""

    invitation_id: int | None
    first_page: int
    letter_pages: int
    total_pages: int


@dataclass
class _Slice:
    """The body lines ``first`` … before ``stop`` (indexes into ``_Plan.lines``) on one page."""

    first: int
    stop: int
    top_mm: float


@dataclass(frozen=True)
class _Line:
    """One laid-out line of the body: its box in document units, its block and its number there."""

    top: float
    bottom: float
    block: QTextBlock
    number: int


@dataclass
class _Plan:
    doc: QTextDocument
    lines: list[_Line]
    slices: list[_Slice]
    closing_page: int
    closing_top: float
    pages: int


def _keep_together(lines: Sequence[_Line], first: int, cut: int) -> int:
    """The page break before line ``cut``, moved up so paragraphs are not torn apart badly.

    No first line of a paragraph alone at the bottom of a page, no last line alone at the top of the
    next page, and a paragraph with no space below it (a heading, the line introducing a list) not
    separated from the next one – as long as the page keeps at least one line.
    """
    block = lines[cut].block
    same_before = lines[cut - 1].block == block
    last_of_block = cut + 1 >= len(lines) or lines[cut + 1].block != block
    if same_before and lines[cut - 1].number == 0 and cut - 1 > first:
        cut -= 1  # orphan: the paragraph's first line would stay behind alone
    elif same_before and last_of_block and cut - 1 > first:
        cut -= 1  # widow: the paragraph's last line would go over alone
    while cut - 1 > first:
        before = lines[cut - 1].block
        if (
            before == lines[cut].block
            or before.textList() is not None
            or before.blockFormat().bottomMargin() > 0
        ):
            break
        start = cut - 1
        while start > first and lines[start - 1].block == before:
            start -= 1
        if start <= first:
            break
        cut = start
    return cut


def _form(form: LetterForm | str) -> LetterForm:
    return letter_form(form) if isinstance(form, str) else form


@functools.lru_cache(maxsize=8)
def _picture(data: bytes) -> QImage | None:
    """A picture stored with the sender settings (logo, scanned signature) as an image, decoded once per
    content (every letter of a run shares the same bytes object, whose hash Python keeps)."""
    if not data:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


class LetterPainter:
    """Paints letters onto one canvas; keeps fonts and metrics between letters."""

    def __init__(self, canvas: Canvas, form: LetterForm, *, marks: bool = True) -> None:
        self.c = canvas
        self.form = form
        self.marks = marks
        self.body_font = make_font(BODY_SIZE)
        self.bold_font = make_font(BODY_SIZE, bold=True)
        self.info_font = make_font(INFO_SIZE)
        self.info_bold = make_font(INFO_SIZE, bold=True)
        self.footer_font = make_font(FOOTER_SIZE)
        self._bodies: dict[str, tuple[QTextDocument, list[_Line]]] = {}
        # body lines at 1.2 × the font size (Noto Sans's own line spacing, 1.36, wastes a page)
        self.line = canvas.to_mm(canvas.metrics(self.body_font).lineSpacing()) * LINE_HEIGHT
        # DIN 5008: one blank line between paragraphs. A QTextDocument ignores "pt" in margins and reads
        # "px" as 1/96 inch, scaled to the paint device at layout time.
        gap = canvas.y(self.line) / canvas.device.logicalDpiY() * 96
        percent = round(LINE_HEIGHT * 100)
        self.style = (
            f"p {{ margin-top: 0px; margin-bottom: {gap:.2f}px; line-height: {percent}%; }} "
            f"ul, ol {{ margin-top: 0px; margin-bottom: {gap:.2f}px; }} "
            f"li {{ margin-top: 0px; margin-bottom: 0px; line-height: {percent}%; }}"
        )

    # --- planning --------------------------------------------------------------------------------------

    def document(self, html: str) -> QTextDocument:
        doc = QTextDocument()
        # lay the document out for the printer/PDF resolution, not the screen (DESIGN.md, Known traps)
        doc.documentLayout().setPaintDevice(self.c.device)
        doc.setDefaultFont(self.body_font)
        doc.setDefaultStyleSheet(self.style)
        doc.setIndentWidth(5.0 / 25.4 * 96)  # list indent, also in 1/96 inch
        doc.setDocumentMargin(0)
        doc.setHtml(html)
        doc.setTextWidth(self.c.x(BODY_WIDTH))
        doc.size()  # the layout is lazy: this lays out every block before lines are measured
        return doc

    def _subject_lines(self, letter: LetterContent) -> list[str]:
        return self.c.wrap(letter.subject, self.bold_font, BODY_WIDTH) if letter.subject else []

    def _info_rows(self, letter: LetterContent, pages: int) -> list[tuple[str, str]]:
        rows = list(letter.info)
        rows.append(("", ""))
        rows.append(("", letter.date_line))
        if pages > 1:
            rows.append(("", f"Seite 1 von {pages}"))
        return rows

    def _body_top(self, letter: LetterContent) -> float:
        """Top of the body text on page 1 (below subject and salutation)."""
        info_bottom = self.form.info_top + LINE * (len(letter.info) + 3)
        top = max(self.form.anschrift_bottom, info_bottom) + 2 * LINE
        subject = len(self._subject_lines(letter))
        return top + self.line * (subject + 2) + self.line * 2

    def _closing_lines(self, letter: LetterContent) -> list[str | None]:
        return closing_lines(letter.closing, letter.signature)

    def laid_out(self, html: str) -> tuple[QTextDocument, list[_Line]]:
        """The body ``html`` laid out for the device, and its lines.

        The letters of a run mostly share one body (the salutation and address are apart from it), so the
        last few bodies are kept: a document is laid out once and drawn on every page that shows it.
        """
        found = self._bodies.get(html)
        if found is not None:
            return found
        doc = self.document(html)
        lines: list[_Line] = []
        block = doc.begin()
        while block.isValid():
            layout = block.layout()
            origin = layout.position().y()
            for i in range(layout.lineCount()):
                text_line = layout.lineAt(i)
                top = origin + text_line.y()
                lines.append(_Line(top, top + text_line.height(), block, i))
            block = block.next()
        if len(self._bodies) >= _KEPT_BODIES:
            self._bodies.pop(next(iter(self._bodies)))
        self._bodies[html] = (doc, lines)
        return doc, lines

    def plan(self, letter: LetterContent) -> _Plan:
        """Break the body into pages between lines and find where the closing goes."""
        doc, lines = self.laid_out(letter.body_html)
        slices: list[_Slice] = []
        page_top = self._body_top(letter)
        first = 0
        for index, line in enumerate(lines):
            if index > first and self.c.to_mm(line.bottom - lines[first].top) > TEXT_BOTTOM - page_top:
                cut = _keep_together(lines, first, index)
                slices.append(_Slice(first, cut, page_top))
                first, page_top = cut, FOLLOW_TOP
        closing_lines = max(len(self._closing_lines(letter)), len(letter.enclosures) + 1)
        closing_height = self.line * (closing_lines + 1)
        used = self.c.to_mm(lines[-1].bottom - lines[first].top) if lines else 0.0
        if page_top + used + closing_height > TEXT_BOTTOM:
            # the closing does not fit: take the last two lines of the body along to the next page
            carry = len(lines) - 2 if len(lines) - first > 3 else len(lines)
            slices.append(_Slice(first, carry, page_top))
            first, page_top = carry, FOLLOW_TOP
        slices.append(_Slice(first, len(lines), page_top))
        last = slices[-1]
        height = (
            self.c.to_mm(lines[last.stop - 1].bottom - lines[last.first].top)
            if last.stop > last.first
            else 0.0
        )
        closing_top = page_top + height + (self.line if height else 0.0)
        return _Plan(doc, lines, slices, len(slices) - 1, closing_top, len(slices))

    # --- painting --------------------------------------------------------------------------------------

    def paint(self, letter: LetterContent) -> tuple[int, int]:
        """Paint one letter (and its enclosures) from a new page; returns its own pages and all pages."""
        plan = self.plan(letter)
        for page, piece in enumerate(plan.slices):
            self.c.new_page()
            if page == 0:
                self._first_page(letter, plan.pages)
            else:
                self.c.page_number(page + 1, plan.pages, right=TEXT_RIGHT, baseline=FOLLOW_PAGE_NUMBER)
            self._body(plan, piece)
            if page == plan.closing_page:
                self._closing(letter, plan.closing_top)
            if self.marks:
                self._marks()
        total = plan.pages
        if letter.programme is not None:
            total += paint_programme(self.c, letter.programme)
        if letter.reply_form is not None:
            total += self._reply_form(letter.reply_form, letter.checkin_code)
        return plan.pages, total

    def _marks(self) -> None:
        for y in self.form.fold_marks:
            self.c.line(4.0, y, 9.0, y, width=0.25, gray=110)
        self.c.line(4.0, HOLE_MARK, 11.0, HOLE_MARK, width=0.25, gray=110)

    def _letterhead(self, letter: LetterContent) -> None:
        self.paint_letterhead(letter.letterhead, letter.logo)

    def paint_letterhead(self, letterhead: Sequence[str], logo: bytes) -> None:
        """The letterhead lines (the first large) and the logo top right (letters, certificates)."""
        head = list(letterhead)
        if not head:
            return
        if self.form.letterhead_height >= 40:
            self.c.text(TEXT_LEFT, 22.0, head[0], make_font(22, bold=True))
            baseline = 29.0
            for line in head[1:]:
                self.c.text(TEXT_LEFT, baseline, line, make_font(11), color=GRAY)
                baseline += 5.0
            logo_rect = (150.0, 12.0, TEXT_RIGHT - 150.0, 26.0)
        else:
            self.c.text(TEXT_LEFT, 13.0, head[0], make_font(16, bold=True))
            if head[1:]:
                self.c.text(TEXT_LEFT, 19.5, " · ".join(head[1:]), make_font(9.5), color=GRAY)
            logo_rect = (160.0, 7.0, TEXT_RIGHT - 160.0, 17.0)
        image = _picture(logo)
        if image is not None:
            x, y, w, h = logo_rect
            scale = min(w / image.width(), h / image.height())
            dw, dh = image.width() * scale, image.height() * scale
            self.c.painter.drawImage(self.c.rect(x + w - dw, y, dw, dh), image)

    def paint_address(self, sender_line: str, lines: Sequence[str]) -> None:
        """The sender line at the bottom of the Vermerkzone and the address in the Anschriftzone."""
        if sender_line:
            size = self.c.fit_size([sender_line], SENDER_SIZE, SENDER_MIN_SIZE, ADDRESS_WIDTH)
            self.c.text(
                TEXT_LEFT,
                self.form.anschrift_top - 1.0,
                sender_line,
                make_font(size),
                max_width=ADDRESS_WIDTH,
            )
        size, printed = self.fit_address(lines)
        font = make_font(size)
        for i, text in enumerate(printed):
            baseline = self.form.anschrift_top + (i + 1) * LINE - 0.8
            self.c.text(TEXT_LEFT, baseline, text, font, max_width=ADDRESS_WIDTH)

    def fit_address(self, lines: Sequence[str]) -> tuple[float, list[str]]:
        """Size and lines of the address block within 80 mm and six lines.

        A line that is too long first makes the block a little smaller (down to 9 pt); if that is not
        enough, the long line wraps while the block still has at most six lines; only then the block
        shrinks to 8 pt, and as the very last resort a line is shortened with "…".
        """
        for min_size in (ADDRESS_SIZE - 1, ADDRESS_MIN_SIZE):
            size = self.c.fit_size(list(lines), ADDRESS_SIZE, min_size, ADDRESS_WIDTH)
            font = make_font(size)
            wrapped: list[str] = []
            for line in lines:
                if self.c.text_width(line, font) > ADDRESS_WIDTH:
                    wrapped.extend(self.c.wrap(line, font, ADDRESS_WIDTH))
                else:
                    wrapped.append(line)
            if len(wrapped) <= MAX_ADDRESS_LINES:
                return size, wrapped
        size = self.c.fit_size(list(lines), ADDRESS_SIZE, ADDRESS_MIN_SIZE, ADDRESS_WIDTH)
        return size, list(lines[:MAX_ADDRESS_LINES])

    def _info(self, rows: Sequence[tuple[str, str]]) -> None:
        width = INFO_RIGHT - INFO_LEFT
        baseline = self.form.info_top + 3.2
        for label, value in rows:
            if not label and value and baseline == self.form.info_top + 3.2:
                self.c.text(INFO_LEFT, baseline, value, self.info_bold, max_width=width)
            elif label:
                self.c.text(INFO_LEFT, baseline, f"{label}: {value}", self.info_font, max_width=width)
            elif value:
                self.c.text(INFO_LEFT, baseline, value, self.info_font, max_width=width)
            baseline += LINE

    def _first_page(self, letter: LetterContent, pages: int) -> None:
        self._letterhead(letter)
        self.paint_address(letter.sender_line, letter.address_lines)
        self._info(self._info_rows(letter, pages))
        info_bottom = self.form.info_top + LINE * (len(letter.info) + 3)
        top = max(self.form.anschrift_bottom, info_bottom) + 2 * LINE
        ascent = self.c.ascent(self.body_font)
        baseline = top + ascent
        for line in self._subject_lines(letter):
            self.c.text(TEXT_LEFT, baseline, line, self.bold_font)
            baseline += self.line
        baseline += self.line * 2
        self.c.text(TEXT_LEFT, baseline, letter.salutation, self.body_font, max_width=BODY_WIDTH)
        for i, line in enumerate(letter.footer):
            self.c.text(TEXT_LEFT, FOOTER_TOP + 4.0 + i * 3.4, line, self.footer_font, color=GRAY)

    def _body(self, plan: _Plan, piece: _Slice) -> None:
        """The body lines of one page.

        Qt's layout draws, for a block that meets the clip, also the line just above the clip (hidden by
        the clip on paper, but its text would be in the PDF a second time). So a block split at the top
        of the page has its remaining lines drawn one by one, and the document layout draws only whole
        blocks that start on this page (lists, tables and formats as Qt lays them out).
        """
        if piece.stop <= piece.first:
            return
        lines = plan.lines
        start, end = lines[piece.first].top, lines[piece.stop - 1].bottom
        painter = self.c.painter
        painter.save()
        painter.translate(self.c.x(TEXT_LEFT), self.c.y(piece.top_mm) - start)
        painter.setPen(QColor(Qt.GlobalColor.black))
        clip_top = start
        head = lines[piece.first]
        if head.number > 0:
            layout = head.block.layout()
            index = piece.first
            while index < piece.stop and lines[index].block == head.block:
                layout.lineAt(lines[index].number).draw(painter, layout.position())
                index += 1
            clip_top = max(line.bottom for line in lines if line.block == head.block)
        elif piece.first > 0:
            clip_top = max(start, lines[piece.first - 1].bottom)
        clip_bottom = lines[piece.stop].top if piece.stop < len(lines) else end + self.c.y(LINE)
        if clip_bottom - 0.5 > clip_top + 0.5:
            context = QAbstractTextDocumentLayout.PaintContext()
            # black text whatever the desktop's colour scheme (drawContents would use the palette's)
            context.palette.setColor(QPalette.ColorRole.Text, QColor(Qt.GlobalColor.black))
            width = self.c.x(BODY_WIDTH + 20)
            context.clip = QRectF(-self.c.x(10), clip_top + 0.5, width, clip_bottom - clip_top - 1.0)
            plan.doc.documentLayout().draw(painter, context)
        painter.restore()

    def _closing(self, letter: LetterContent, top: float) -> None:
        first = top + self.c.ascent(self.body_font)
        self.paint_signature_block(top, letter.closing, letter.signature, letter.signature_image)
        # DIN 5008 allows the enclosure note beside the signature, from the 125 mm line
        if letter.enclosures:
            baseline = first
            for line in ("Anlagen", *letter.enclosures):
                self.c.text(INFO_LEFT, baseline, line, self.body_font, max_width=TEXT_RIGHT - INFO_LEFT)
                baseline += self.line

    def paint_signature_block(
        self,
        top: float,
        closing: str,
        signature: Sequence[str],
        image: bytes = b"",
        *,
        left: float = TEXT_LEFT,
    ) -> float:
        """Closing, addition, room for the handwritten signature (three blank lines, where a scanned
        signature ``image`` is painted, at most ``SIGNATURE_HEIGHT`` high), name and function, from ``top``
        (mm); returns the baseline below the last line. Letters and certificates both end with it."""
        width = INFO_LEFT - TEXT_LEFT - 5
        baseline = top + self.c.ascent(self.body_font)
        before_gap: float | None = None
        for line in closing_lines(closing, signature):
            if line:
                self.c.text(left, baseline, line, self.body_font, max_width=width)
            elif before_gap is None:
                before_gap = baseline - self.line  # the baseline of the line above the gap
            baseline += self.line
        picture = _picture(image)
        if picture is not None and before_gap is not None:
            metrics = self.c.metrics(self.body_font)
            zone_top = max(top, before_gap + self.c.to_mm(metrics.descent()))
            zone_bottom = before_gap + 4 * self.line - self.c.to_mm(metrics.ascent())
            height = min(SIGNATURE_HEIGHT, zone_bottom - zone_top)
            scale = min(height / picture.height(), SIGNATURE_WIDTH / picture.width())
            w, h = picture.width() * scale, picture.height() * scale
            y = zone_top + (zone_bottom - zone_top - h) / 2
            self.c.painter.drawImage(self.c.rect(left, y, w, h), picture)
        return baseline - self.line

    # --- reply form ------------------------------------------------------------------------------------

    def _reply_form(self, form: ReplyForm, code: str = "") -> int:
        """The reply form's page (its lines: ``konferenz.letters.enclosures``), with the QR code of the
        check-in ``code`` in the information block's area when one is given."""
        c = self.c
        c.new_page()
        self.paint_address(form.sender_line, form.return_address)
        self._info(reply_info_rows(form))
        if code:
            x, y_qr, size, _h = reply_qr_rect(form, self.form)
            paint_qr(c, code, x, y_qr, size)
        if self.marks:
            self._marks()
        title_font = make_font(13, bold=True)
        y = self.form.anschrift_bottom + 2 * LINE + c.ascent(title_font)
        for line in c.wrap(form.title, title_font, BODY_WIDTH):
            c.text(TEXT_LEFT, y, line, title_font)
            y += c.to_mm(c.metrics(title_font).lineSpacing())
        y += 4.0
        font, bold = self.body_font, self.bold_font
        step = self.line * 1.35
        label_width = 32.0
        size = 3.6
        for item in reply_lines(form):
            if item.gap:
                y += 2.0
            indent = 4.0 if item.indent else 0.0
            if item.kind is ReplyKind.FIELD:
                c.text(TEXT_LEFT, y, f"{item.text}:", font)
                if item.value:
                    c.text(TEXT_LEFT + label_width, y, item.value, bold, max_width=BODY_WIDTH - label_width)
                else:
                    c.line(TEXT_LEFT + label_width, y + 0.8, TEXT_RIGHT, y + 0.8, width=0.2, gray=120)
            elif item.kind is ReplyKind.CHECK:
                c.box(TEXT_LEFT + indent, y - size + 0.4, size, size, width=0.3)
                x = TEXT_LEFT + indent + size + 2.5
                c.text(x, y, item.text, font, max_width=TEXT_RIGHT - x)
                if item.fill:
                    start = x + c.text_width(item.text, font) + 2.0
                    if start < TEXT_RIGHT - 20:
                        c.line(start, y + 0.8, TEXT_RIGHT, y + 0.8, width=0.2, gray=120)
            elif item.kind is ReplyKind.WRITE:
                c.line(TEXT_LEFT, y + 0.8, TEXT_RIGHT, y + 0.8, width=0.2, gray=120)
            else:
                c.text(TEXT_LEFT, y, item.text, bold if item.kind is ReplyKind.HEADING else font)
            y += step
        y = max(y + 8.0, 250.0)
        c.line(TEXT_LEFT, y, TEXT_LEFT + 70, y, width=0.2)
        c.line(TEXT_LEFT + 85, y, TEXT_RIGHT, y, width=0.2)
        small = make_font(8)
        place_date, signature = REPLY_SIGN_LABELS
        c.text(TEXT_LEFT, y + 3.5, place_date, small, color=GRAY)
        c.text(TEXT_LEFT + 85, y + 3.5, signature, small, color=GRAY)
        c.text(TEXT_LEFT, y + 12.0, REPLY_NOTE, small, color=GRAY, max_width=BODY_WIDTH)
        return 1


def paint_programme(c: Canvas, programme: Programme) -> int:
    """The programme enclosure: title, date and place, agenda with times, forums. Returns pages used."""
    title_font = make_font(15, bold=True)
    head_font = make_font(11)
    time_font = make_font(10, bold=True)
    item_font = make_font(10, bold=True)
    detail_font = make_font(9)
    pages = 1
    c.new_page()
    y = 25.0 + c.ascent(title_font)
    for line in c.wrap(programme.title, title_font, BODY_WIDTH):
        c.text(TEXT_LEFT, y, line, title_font)
        y += c.to_mm(c.metrics(title_font).lineSpacing())
    for line in (programme.date_line, programme.venue_line):
        if line:
            for part in c.wrap(line, head_font, BODY_WIDTH):
                c.text(TEXT_LEFT, y, part, head_font, color=GRAY)
                y += 5.2
    y += 6.0
    time_width = 18.0
    text_left = TEXT_LEFT + time_width
    text_width = TEXT_RIGHT - text_left
    item_step = c.to_mm(c.metrics(item_font).lineSpacing())
    detail_step = c.to_mm(c.metrics(detail_font).lineSpacing())

    def room(needed: float) -> None:
        nonlocal y, pages
        if y + needed > TEXT_BOTTOM:
            c.new_page()
            pages += 1
            y = FOLLOW_TOP

    for item in programme.items:
        title_lines = c.wrap(item.title, item_font, text_width)
        detail_lines = c.wrap(item.detail, detail_font, text_width) if item.detail else []
        room(len(title_lines) * item_step + len(detail_lines) * detail_step + 3)
        c.line(TEXT_LEFT, y - item_step + 0.8, TEXT_RIGHT, y - item_step + 0.8, width=0.15, gray=170)
        if item.time:
            c.text(TEXT_LEFT, y, item.time, time_font)
        for line in title_lines:
            c.text(text_left, y, line, item_font)
            y += item_step
        for line in detail_lines:
            c.text(text_left, y, line, detail_font, color=GRAY)
            y += detail_step
        y += 3.0
    if programme.forums:
        y += 4.0
        room(20)
        c.text(TEXT_LEFT, y, PROGRAMME_FORUMS, make_font(12, bold=True))
        y += 7.0
        for forum in programme.forums:
            label, extra = forum_lines(forum)
            title_lines = c.wrap(label, item_font, BODY_WIDTH)
            extra_lines = c.wrap(extra, detail_font, BODY_WIDTH) if extra else []
            room(len(title_lines) * item_step + len(extra_lines) * detail_step + 2)
            for line in title_lines:
                c.text(TEXT_LEFT, y, line, item_font)
                y += item_step
            for line in extra_lines:
                c.text(TEXT_LEFT, y, line, detail_font, color=GRAY)
                y += detail_step
            y += 2.0
    return pages


def paint_letters(
    device: QPagedPaintDevice,
    letters: Sequence[LetterContent],
    form: LetterForm | str = FORM_B,
    *,
    marks: bool = True,
    prepare: bool = True,
) -> list[LetterPages]:
    """Paint ``letters`` onto ``device`` (QPdfWriter, QPrinter, the preview's printer), one after another.

    Returns where each letter landed. ``prepare`` sets A4 without margins first (leave it on unless the
    device was prepared already).
    """
    if prepare:
        prepare_device(device)
    canvas = Canvas(device)
    painter = LetterPainter(canvas, _form(form), marks=marks)
    placed: list[LetterPages] = []
    try:
        for letter in letters:
            first = canvas.pages
            own, total = painter.paint(letter)
            placed.append(LetterPages(letter.invitation_id, first, own, total))
        if not letters:
            canvas.new_page()
            canvas.text(TEXT_LEFT, 40.0, "Keine Briefe.", make_font(BODY_SIZE))
    finally:
        canvas.end()
    return placed


def letters_pdf(
    letters: Sequence[LetterContent],
    path: str | os.PathLike[str] | None = None,
    form: LetterForm | str = FORM_B,
    *,
    marks: bool = True,
    title: str = "Briefe",
) -> bytes:
    """All ``letters`` in one PDF (returned, and written to ``path`` if given)."""
    return pdf_bytes(lambda device: paint_letters(device, letters, form, marks=marks), title=title, path=path)


def letter_pdfs(
    letters: Sequence[LetterContent], form: LetterForm | str = FORM_B, *, marks: bool = True
) -> dict[int, bytes]:
    """One PDF per letter (for the archive: PDF/A, the office as author), keyed by invitation id."""
    result: dict[int, bytes] = {}
    for letter in letters:
        if letter.invitation_id is None:
            continue
        result[letter.invitation_id] = pdf_bytes(
            functools.partial(paint_letters, letters=[letter], form=form, marks=marks),
            title=letter.subject,
            archive=True,
            author=office_author(letter.letterhead),
        )
    return result
