"""Name badges on Avery L4785 (80 × 50 mm, 2 × 5 per sheet): name large, organisation below, forum.

Names in any script (Arabic, Cyrillic, Vietnamese …) use the bundled fonts; a long name shrinks and, if
it must, wraps to a second line, so nothing crosses the badge edge.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPagedPaintDevice

from konferenz.letters.sheets import Attendee
from ui.paper.canvas import Canvas, make_font, pdf_bytes, prepare_device
from ui.paper.geometry import AVERY_L4785, LabelSheet
from ui.paper.labels import fit_block, paint_block

PADDING = 5.0
GRAY = QColor(90, 90, 90)


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
    prepare: bool = True,
) -> int:
    """One badge per entry, then ``blanks`` badges with only the title (for walk-ins). Returns pages."""
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
                _badge(canvas, entry, (x, y, w, h), show_forum=show_forum)
            painter.restore()
    finally:
        canvas.end()
    return canvas.pages


def _badge(
    canvas: Canvas, entry: Attendee, rect: tuple[float, float, float, float], *, show_forum: bool
) -> None:
    x, y, w, h = rect
    inner = w - 2 * PADDING
    name = fit_block(
        canvas, [entry.name], inner, 16.0, size=20.0, no_wrap_min=12.0, min_size=9.0, max_lines=2, bold=True
    )
    organisation = (
        fit_block(
            canvas, [entry.organisation], inner, 9.5, size=10.5, no_wrap_min=8.0, min_size=6.5, max_lines=2
        )
        if entry.organisation
        else None
    )
    forum_text = entry.forum if show_forum else ""
    forum = (
        fit_block(canvas, [forum_text], inner, 4.5, size=8.5, no_wrap_min=6.0, min_size=6.0, max_lines=1)
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
        paint_block(canvas, organisation, x + PADDING, cursor, center_width=inner)
    if forum is not None:
        paint_block(canvas, forum, x + PADDING, y + h - 4.0 - forum.height, center_width=inner)


def badges_pdf(
    entries: Sequence[Attendee],
    path: str | os.PathLike[str] | None = None,
    *,
    title: str = "",
    show_forum: bool = True,
    blanks: int = 0,
    start: int = 1,
    outlines: bool = False,
) -> bytes:
    return pdf_bytes(
        lambda device: paint_badges(
            device, entries, title=title, show_forum=show_forum, blanks=blanks, start=start, outlines=outlines
        ),
        title=f"Namensschilder {title}".strip(),
        path=path,
    )
