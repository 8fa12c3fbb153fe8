"""Name badges on Avery L4785 (80 × 50 mm, 2 × 5 per sheet): name large, organisation below, forum, and the
check-in QR code.

Names in any script (Arabic, Cyrillic, Vietnamese …) use the bundled fonts; a long name shrinks and, if
it must, wraps to a second line, so nothing crosses the badge edge.

The QR code (``segno``) holds the invitation's check-in code (``konferenz.conferences.checkin.code_payload``,
no personal data). It is painted as one filled vector path, a rectangle per run of dark modules (not
``QPainterPath.simplified()``: it loses modules whose rectangles only touch), so it stays sharp at any
printer resolution: 13 mm at the bottom right (0.6 mm per module at 21 × 21 modules), with a quiet zone of
about 4 modules kept free. The name keeps the badge's whole width (it always ends above the code);
organisation and forum are centred in the space to the code's left.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPagedPaintDevice, QPainter, QPainterPath

from konferenz.conferences.checkin import qr_code
from konferenz.letters.sheets import Attendee
from ui.paper.canvas import Canvas, make_font, pdf_bytes, prepare_device
from ui.paper.geometry import AVERY_L4785, LabelSheet
from ui.paper.labels import fit_block, paint_block

PADDING = 5.0
GRAY = QColor(90, 90, 90)
#: the QR code: its side, its distance from the badge's right and bottom edge, the gap to the text
QR_SIZE = 13.0
QR_MARGIN = 4.0
QR_GAP = 3.0


def paint_badges(
    device: QPagedPaintDevice,
    entries: Sequence[Attendee],
    *,
    title: str = "",
    show_forum: bool = True,
    blanks: int = 0,
    start: int = 1,
    sheet: LabelSheet = AVERY_L4785,
    outlines: bool = False,
    codes: bool = True,
    prepare: bool = True,
) -> int:
    """One badge per entry, then ``blanks`` badges with only the title (for walk-ins). Returns pages.

    With ``codes`` a badge whose entry has a check-in code carries its QR code."""
    if not 1 <= start <= sheet.per_sheet:
        raise ValueError(f"start must be 1 … {sheet.per_sheet}")
    if prepare:
        prepare_device(device)
    canvas = Canvas(device)
    badges: list[Attendee | None] = [*entries, *([None] * blanks)]
    title_font = make_font(7.5)
    try:
        canvas.new_page()
        for offset, entry in enumerate(badges):
            index = start - 1 + offset
            if index and index % sheet.per_sheet == 0:
                canvas.new_page()
            x, y, w, h = sheet.rect(index)
            painter = canvas.painter
            painter.save()
            painter.setClipRect(canvas.rect(x, y, w, h))
            if outlines:
                canvas.box(x, y, w, h, width=0.15, gray=180)
            inner = w - 2 * PADDING
            if title:
                canvas.text(
                    x + w / 2,
                    y + 7.0,
                    title,
                    title_font,
                    align=Qt.AlignmentFlag.AlignHCenter,
                    color=GRAY,
                    max_width=inner,
                )
            if entry is not None:
                _badge(canvas, entry, (x, y, w, h), show_forum=show_forum, code=codes)
            painter.restore()
    finally:
        canvas.end()
    return canvas.pages


def _badge(
    canvas: Canvas,
    entry: Attendee,
    rect: tuple[float, float, float, float],
    *,
    show_forum: bool,
    code: bool,
) -> None:
    x, y, w, h = rect
    inner = w - 2 * PADDING
    # beside the QR code: organisation and forum; the name keeps the whole width (it ends above the code)
    beside = inner
    if code and entry.checkin_code:
        paint_qr(
            canvas, entry.checkin_code, x + w - QR_MARGIN - QR_SIZE, y + h - QR_MARGIN - QR_SIZE, QR_SIZE
        )
        beside = w - PADDING - QR_MARGIN - QR_SIZE - QR_GAP
    name = fit_block(
        canvas, [entry.name], inner, 16.0, size=20.0, no_wrap_min=12.0, min_size=9.0, max_lines=2, bold=True
    )
    organisation = (
        fit_block(
            canvas, [entry.organisation], beside, 9.5, size=10.5, no_wrap_min=8.0, min_size=6.5, max_lines=2
        )
        if entry.organisation
        else None
    )
    forum_text = entry.forum if show_forum else ""
    forum = (
        fit_block(canvas, [forum_text], beside, 4.5, size=8.5, no_wrap_min=6.0, min_size=6.0, max_lines=1)
        if forum_text
        else None
    )
    # name and organisation centred in the space between the title line and the forum line
    top, bottom = y + 10.0, y + h - (9.0 if forum else 4.0)
    gap = 2.5 if organisation else 0.0
    total = name.height + gap + (organisation.height if organisation else 0.0)
    cursor = top + max(0.0, (bottom - top - total) / 2)
    paint_block(canvas, name, x + PADDING, cursor, center_width=inner)
    cursor += name.height + gap
    if organisation is not None:
        paint_block(canvas, organisation, x + PADDING, cursor, center_width=beside)
    if forum is not None:
        paint_block(canvas, forum, x + PADDING, y + h - 4.0 - forum.height, center_width=beside)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of the QR code of ``payload`` (True: dark), without the quiet zone; error correction M."""
    return [[bool(cell) for cell in row] for row in qr_code(payload).matrix]


def paint_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """The QR code of ``payload`` as a black vector shape, ``size`` mm square with its top left at (x, y)."""
    matrix = qr_matrix(payload)
    module = size / len(matrix)
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)  # the runs of one colour, touching, fill as one shape
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if not cells[column]:
                column += 1
                continue
            run = column
            while run < len(cells) and cells[run]:
                run += 1
            path.addRect(canvas.rect(x + column * module, y + row * module, (run - column) * module, module))
            column = run
    painter = canvas.painter
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0))
    painter.drawPath(path)
    painter.restore()


def badges_pdf(
    entries: Sequence[Attendee],
    path: str | os.PathLike[str] | None = None,
    *,
    title: str = "",
    show_forum: bool = True,
    blanks: int = 0,
    start: int = 1,
    outlines: bool = False,
    codes: bool = True,
) -> bytes:
    return pdf_bytes(
        lambda device: paint_badges(
            device,
            entries,
            title=title,
            show_forum=show_forum,
            blanks=blanks,
            start=start,
            outlines=outlines,
            codes=codes,
        ),
        title=f"Namensschilder {title}".strip(),
        path=path,
    )
