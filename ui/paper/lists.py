"""Lists printed for the event: the Unterschriftenliste (sign-in sheet) and the Teilnehmerliste.

Both are tables on A4 with a header on every page (list name, conference, date and place, forum), the
column heads repeated, and "Seite N von M" at the bottom. The sign-in sheet has a signature column, tall
rows and blank numbered rows for walk-ins; it is kept as evidence for the funding body (ANBest-G NRW,
five years). The attendee list shows only persons who consented to be named on it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QColor, QPagedPaintDevice

from konferenz.letters.sheets import (
    SIGNIN_COLUMNS,
    SIGNIN_FOOTER,
    AttendanceSheet,
    Column,
    attendee_end_note,
    attendee_table,
    header_lines,
    signin_rows,
)
from ui.paper.canvas import Canvas, make_font, pdf_bytes, prepare_device
from ui.paper.labels import fit_block, paint_block

LEFT = 20.0
RIGHT = 195.0
TOP = 15.0
BOTTOM = 278.0
GRAY = QColor(90, 90, 90)


@dataclass(frozen=True)
class Row:
    """Cells of one table row; ``notes`` are small second lines under a cell (same index)."""

    cells: list[str]
    notes: list[str]


def paint_table(
    canvas: Canvas,
    heading: str,
    header_lines: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[Row],
    *,
    row_height: float,
    footer_note: str = "",
    end_note: str = "",
) -> int:
    """A table over as many pages as it needs; returns the pages painted."""
    heading_font = make_font(15, bold=True)
    header_font = make_font(10.5)
    head_font = make_font(9, bold=True)
    note_font = make_font(7.5)
    header_lines = [part for line in header_lines for part in canvas.wrap(line, header_font, RIGHT - LEFT)]
    table_top = TOP + 9.0 + 5.5 * len(header_lines) + 4.0
    head_height = 7.0
    first_row = table_top + head_height
    footer_space = 12.0 if footer_note else 8.0
    per_page = max(1, math.floor((BOTTOM - footer_space - first_row) / row_height))
    end_space = 8.0 if end_note else 0.0
    pages = max(1, math.ceil(len(rows) / per_page))
    if (
        end_note
        and rows
        and len(rows) % per_page
        and (len(rows) % per_page) * row_height + end_space > (BOTTOM - footer_space - first_row)
    ):
        pages += 1
    for page in range(pages):
        canvas.new_page()
        canvas.text(LEFT, TOP + canvas.ascent(heading_font), heading, heading_font)
        baseline = TOP + 9.0 + 4.5
        for line in header_lines:
            canvas.text(LEFT, baseline, line, header_font)
            baseline += 5.5
        # column heads
        x = LEFT
        canvas.line(LEFT, table_top, RIGHT, table_top, width=0.4)
        for column in columns:
            canvas.text(x + 1.5, table_top + 4.8, column.title, head_font, max_width=column.width - 3)
            x += column.width
        canvas.line(LEFT, first_row, RIGHT, first_row, width=0.4)
        chunk = rows[page * per_page : (page + 1) * per_page]
        y = first_row
        for row in chunk:
            _row(canvas, columns, row, y, row_height)
            y += row_height
            canvas.line(LEFT, y, RIGHT, y, width=0.15, gray=120)
        # vertical rules
        x = LEFT
        for column in columns[:-1]:
            x += column.width
            canvas.line(x, table_top, x, y, width=0.15, gray=120)
        canvas.line(LEFT, table_top, LEFT, y, width=0.15, gray=120)
        canvas.line(RIGHT, table_top, RIGHT, y, width=0.15, gray=120)
        if end_note and page == pages - 1:
            for i, line in enumerate(canvas.wrap(end_note, note_font, RIGHT - LEFT)):
                canvas.text(LEFT, y + 5.0 + i * 3.5, line, note_font, color=GRAY)
        if footer_note:
            canvas.text(LEFT, BOTTOM + 1.0, footer_note, note_font, color=GRAY, max_width=RIGHT - LEFT - 30)
        canvas.page_number(page + 1, pages, right=RIGHT, baseline=BOTTOM + 1.0)
    return pages


def _row(canvas: Canvas, columns: Sequence[Column], row: Row, top: float, height: float) -> None:
    x = LEFT
    for index, column in enumerate(columns):
        text = row.cells[index] if index < len(row.cells) else ""
        note = row.notes[index] if index < len(row.notes) else ""
        inner = column.width - 3.0
        if text or note:
            painter = canvas.painter
            painter.save()
            painter.setClipRect(canvas.rect(x, top, column.width, height))
            note_height = 3.4 if note else 0.0
            block = fit_block(
                canvas,
                [text] if text else [],
                inner,
                height - 2.0 - note_height,
                size=9.5,
                no_wrap_min=8.0,
                min_size=6.0,
                max_lines=2,
            )
            content = block.height + note_height
            cursor = top + max(1.0, (height - content) / 2) if height < 9 else top + 1.6
            if text:
                paint_block(canvas, block, x + 1.5, cursor)
            if note:
                note_font = make_font(7)
                canvas.text(
                    x + 1.5, cursor + block.height + 2.6, note, note_font, color=GRAY, max_width=inner
                )
            painter.restore()
        x += column.width


def paint_signin_sheet(
    device: QPagedPaintDevice, sheet: AttendanceSheet, *, blank_rows: int = 10, prepare: bool = True
) -> int:
    """The Unterschriftenliste: Nr., Name, Organisation, Unterschrift; ``blank_rows`` for walk-ins."""
    if prepare:
        prepare_device(device)
    rows = [Row(cells, notes) for cells, notes in signin_rows(sheet, blank_rows)]
    canvas = Canvas(device)
    try:
        return paint_table(
            canvas,
            "Unterschriftenliste",
            header_lines(sheet),
            SIGNIN_COLUMNS,
            rows,
            row_height=11.0,
            footer_note=SIGNIN_FOOTER,
        )
    finally:
        canvas.end()


def paint_attendee_list(device: QPagedPaintDevice, sheet: AttendanceSheet, *, prepare: bool = True) -> int:
    """The Teilnehmerliste: only persons who consented to be named on it."""
    if prepare:
        prepare_device(device)
    columns, cells = attendee_table(sheet)
    rows = [Row(row, []) for row in cells]
    canvas = Canvas(device)
    try:
        return paint_table(
            canvas,
            "Teilnehmerliste",
            header_lines(sheet),
            columns,
            rows,
            row_height=7.5,
            end_note=attendee_end_note(sheet),
        )
    finally:
        canvas.end()


def signin_sheet_pdf(
    sheet: AttendanceSheet, path: str | os.PathLike[str] | None = None, *, blank_rows: int = 10
) -> bytes:
    return pdf_bytes(
        lambda device: paint_signin_sheet(device, sheet, blank_rows=blank_rows),
        title=f"Unterschriftenliste {sheet.title}",
        path=path,
    )


def attendee_list_pdf(sheet: AttendanceSheet, path: str | os.PathLike[str] | None = None) -> bytes:
    return pdf_bytes(
        lambda device: paint_attendee_list(device, sheet), title=f"Teilnehmerliste {sheet.title}", path=path
    )
