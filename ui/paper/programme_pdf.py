"""The printed programme, the internal running order (Regieplan) and the minutes of a conference.

Content first, paper second: ``konferenz.letters.printing`` reads one conference into plain dataclasses
(one read session); the painters lay them out with the paper package's ``Canvas`` (fonts with
Turkish, Vietnamese, Cyrillic and Arabic glyphs, millimetres from the paper corner) on any
QPagedPaintDevice, so a PDF file (QPdfWriter), the printer and the print preview come from the same code:

- ``paint_agenda(device, doc)``: A4 portrait; header with the conference's title, theme, date and venue,
  then the items with their times, speakers, moderation and room; the parallel forums of a Forenphase
  side by side as boxes in the item's slot. ``paint_agenda_on(canvas, doc)`` paints the same onto a canvas
  that is already open (the programme enclosure of an invitation letter).
- ``paint_agenda(device, doc, internal=True)``: the Regieplan, A4 landscape: a table with duration, type,
  responsible staff and internal notes; the forums as sub-rows.
- ``paint_minutes(device, doc)``: header (conference, date, place, attendance by category from the
  check-in), the items in programme order with notes, results and rapporteur, the forums of each
  Forenphase with their own attendance, the status updates recorded under "Sachstand der Empfehlungen
  aus …", and the recommendations with responsible party, due date and status.

The layout (page breaks, running head, "Seite N von M" on every page, the Regieplan's table) is the
paper package's flowing document, ``ui.paper.flow``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice

from konferenz.enums import AgendaItemType, label
from konferenz.errors import UserError
from konferenz.letters.printing import (
    AgendaDocument,
    AgendaEntry,
    DocumentHeader,
    ForumEntry,
    MinutesDocument,
    MinutesSection,
    agenda_document,
    attendance_text,
    minutes_document,
)
from konferenz.storage.db import Database
from ui.paper.archive_pdf import database_author
from ui.paper.canvas import Canvas, make_font, pdf_bytes
from ui.paper.flow import GRAY, Block, Flow, Table, paint_flow, paint_on_device, wrap_text

# --- layout ---------------------------------------------------------------------------------------------


def _paint_header(flow: Flow, header: DocumentHeader, kind: str) -> None:
    """First page: the kind of document, the conference's title and theme, date and venue."""
    page = flow.page
    theme_font = make_font(11.5)
    line_font = make_font(10.5)
    flow.title(kind, header.title)
    if header.theme:
        flow.paragraph(header.theme, theme_font)
    flow.y += 1.5
    for line in (header.date_line, header.venue_line):
        if line:
            flow.paragraph(line, line_font, color=GRAY)
    flow.y += 2.5
    flow.rule(page.left, page.right, width=0.4, gray=0)
    flow.y += 5.0


# --- the programme --------------------------------------------------------------------------------------


def _item_body(c: Canvas, item: AgendaEntry, width: float) -> list[Block]:
    """The blocks of an item's middle column: title, description, speakers, moderation."""
    title_font = make_font(10.5, bold=True)
    detail_font = make_font(9)
    blocks: list[Block] = [(title_font, None, wrap_text(c, item.title, title_font, width))]
    if item.description and item.item_type is not AgendaItemType.STATUS_REPORT:
        blocks.append((detail_font, GRAY, wrap_text(c, item.description, detail_font, width)))
    if item.speakers:
        blocks.append((detail_font, None, wrap_text(c, item.speakers, detail_font, width)))
    if item.moderation:
        blocks.append((detail_font, None, wrap_text(c, f"Moderation: {item.moderation}", detail_font, width)))
    return blocks


def _forum_boxes(flow: Flow, forums: Sequence[ForumEntry], left: float, right: float) -> None:
    """The parallel forums side by side: up to three in a row, four and more two by two."""
    c = flow.canvas
    columns = len(forums) if len(forums) <= 3 else 2
    gap, pad = 3.0, 2.2
    width = (right - left - gap * (columns - 1)) / columns
    inner = width - 2 * pad
    title_font = make_font(9, bold=True)
    detail_font = make_font(8.5)
    desc_font = make_font(8)
    for start in range(0, len(forums), columns):
        row = forums[start : start + columns]
        contents: list[list[Block]] = []
        for forum in row:
            blocks: list[Block] = [(title_font, None, wrap_text(c, forum.label, title_font, inner))]
            if forum.room:
                blocks.append((detail_font, None, wrap_text(c, f"Raum: {forum.room}", detail_font, inner)))
            if forum.moderation:
                blocks.append(
                    (detail_font, GRAY, wrap_text(c, f"Moderation: {forum.moderation}", detail_font, inner))
                )
            if forum.description:
                blocks.append((desc_font, GRAY, wrap_text(c, forum.description, desc_font, inner)))
            contents.append(blocks)
        height = max(flow.blocks_height(blocks) for blocks in contents)
        height += 2 * pad
        flow.room(height + gap)
        top = flow.y
        for index, blocks in enumerate(contents):
            x = left + index * (width + gap)
            flow.box_at(x, top, width, height)
            flow.y = top + pad
            flow.blocks(x + pad, blocks)
        flow.y = top + height + gap


def _paint_programme(flow: Flow, doc: AgendaDocument) -> None:
    c, page = flow.canvas, flow.page
    _paint_header(flow, doc.header, "Programm")
    time_width, room_width = 25.0, 34.0
    body_left = page.left + time_width
    room_left = page.right - room_width
    body_width = room_left - 3.0 - body_left
    time_font = make_font(10, bold=True)
    room_font = make_font(9)
    for number, item in enumerate(doc.items):
        blocks = _item_body(c, item, body_width)
        room_lines = wrap_text(c, item.room, room_font, room_width)
        height = max(flow.blocks_height(blocks, gap=0.6), flow.block_height(room_lines, room_font))
        first_forum_row = 22.0 if item.forums else 0.0
        flow.room(height + 3.0 + first_forum_row)
        if number:  # the header ends with a rule of its own
            flow.rule(page.left, page.right)
        flow.y += 2.0
        top = flow.y
        # time, title and room share the first baseline
        baseline = top + c.ascent(blocks[0][0])
        flow.text_at(page.left, baseline, item.time_range, time_font)
        flow.y = baseline - c.ascent(room_font)
        flow.lines(room_left, room_lines, room_font, color=GRAY)
        flow.y = top
        flow.blocks(body_left, blocks, gap=0.6)
        flow.y = max(flow.y, top + height) + 1.5
        if item.forums:
            _forum_boxes(flow, item.forums, body_left, page.right)
    if doc.unassigned_forums:
        flow.y += 3.0
        head = make_font(11, bold=True)
        flow.room(30.0)
        flow.text_line("Foren", head)
        flow.y += 1.5
        _forum_boxes(flow, doc.unassigned_forums, page.left, page.right)
    if not doc.items:
        flow.text_line("Für diese Konferenz ist noch kein Programm angelegt.", make_font(10))


#: the Regieplan's columns: title and width in mm (0: the rest of the line)
REGIE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Zeit", 23.0),
    ("Dauer", 15.0),
    ("Programmpunkt", 84.0),
    ("Raum", 30.0),
    ("Verantwortlich", 32.0),
    ("Notizen (intern)", 0.0),
)


def _paint_running_order(flow: Flow, doc: AgendaDocument) -> None:
    _paint_header(flow, doc.header, "Regieplan (intern)")
    table = Table(
        flow, [title for title, _width in REGIE_COLUMNS], [width for _title, width in REGIE_COLUMNS]
    )
    cell_font = make_font(8.5)
    title_font = make_font(9.5, bold=True)
    small = make_font(8)

    def cell(
        text: str, column: int, font: QFont = cell_font, color: QColor | None = None, indent: float = 0.0
    ) -> Block:
        return table.cell(text, column, font, color, indent)

    table.start()
    for item in doc.items:
        middle = [cell(item.title, 2, title_font), cell(label(item.item_type), 2, small, GRAY)]
        if item.speakers:
            middle.append(cell(item.speakers, 2))
        if item.moderation:
            middle.append(cell(f"Moderation: {item.moderation}", 2))
        if item.description:
            middle.append(cell(item.description, 2, small, GRAY))
        table.row(
            [
                [cell(item.time_range, 0, make_font(8.5, bold=True))],
                [cell(f"{item.duration_minutes} Min.", 1)],
                middle,
                [cell(item.room, 3)],
                [cell(item.responsible_staff, 4)],
                [cell(item.internal_notes, 5)],
            ]
        )
        for forum in item.forums:
            indent = 4.0
            sub = [cell(forum.label, 2, make_font(8.5, bold=True), indent=indent)]
            if forum.moderation:
                sub.append(cell(f"Moderation: {forum.moderation}", 2, indent=indent))
            table.row([[], [], sub, [cell(forum.room, 3)], [], []], indents=(0.0, 0.0, indent))
    table.end()


def paint_agenda_on(canvas: Canvas, doc: AgendaDocument, *, internal: bool = False) -> int:
    """Paint the programme (or with ``internal`` the Regieplan) onto an open canvas, starting a new page;
    returns the pages used. The page size is the device's (the Regieplan wants landscape)."""
    kind = "Regieplan (intern)" if internal else "Programm"
    return paint_flow(
        canvas,
        lambda flow: _paint_running_order(flow, doc) if internal else _paint_programme(flow, doc),
        running_head=f"{kind} – {doc.header.title}",
        footer_note=f"{kind} – {doc.header.title} – Stand {dt.date.today():%d.%m.%Y}"
        if internal
        else doc.header.title,
    )


def paint_agenda(
    device: QPagedPaintDevice, doc: AgendaDocument, *, internal: bool = False, prepare: bool = True
) -> int:
    """The programme on A4 portrait, or the Regieplan on A4 landscape; returns the number of pages."""
    return paint_on_device(
        device,
        lambda canvas: paint_agenda_on(canvas, doc, internal=internal),
        landscape=internal,
        prepare=prepare,
    )


# --- the minutes ----------------------------------------------------------------------------------------


def _attendance_grid(flow: Flow, attendance: Sequence[tuple[str, int]], left: float, width: float) -> None:
    """The categories and their counts in three columns."""
    font = make_font(9)
    columns = 3
    col_width = width / columns
    rows = [attendance[i : i + columns] for i in range(0, len(attendance), columns)]
    step = flow.step(font)
    ascent = flow.canvas.ascent(font)
    for row in rows:
        flow.room(step)
        for index, (name, n) in enumerate(row):
            x = left + index * col_width
            flow.text_at(x, flow.y + ascent, name, font, max_width=col_width - 12.0)
            flow.text_at(
                x + col_width - 4.0, flow.y + ascent, str(n), font, align=Qt.AlignmentFlag.AlignRight
            )
        flow.y += step


def _labelled(flow: Flow, caption: str, text: str, left: float, width: float) -> None:
    """ "Ergebnisse" in bold, the text below it (kept together with at least two of its lines)."""
    if not text.strip():
        return
    caption_font = make_font(9.5, bold=True)
    text_font = make_font(10)
    lines = wrap_text(flow.canvas, text, text_font, width)
    flow.room(flow.step(caption_font) + min(2, len(lines)) * flow.step(text_font))
    flow.text_line(caption, caption_font, left=left)
    flow.lines(left, lines, text_font)
    flow.y += 1.5


def _minutes_section(
    flow: Flow, section: MinutesSection, left: float, width: float, *, level: int = 0
) -> None:
    c = flow.canvas
    head_font = make_font(12 if level == 0 else 10.5, bold=True)
    time_font = make_font(10, bold=True)
    detail_font = make_font(9)
    time_width = 25.0 if level == 0 else 0.0
    head_lines = wrap_text(c, section.heading, head_font, width - time_width)
    has_text = any((section.notes, section.results, section.rapporteur, section.status_updates))
    flow.room(flow.block_height(head_lines, head_font) + (3 * flow.step(detail_font) if has_text else 0) + 3)
    if level == 0:
        flow.rule(left, left + width)
        flow.y += 2.0
        if section.time_range:
            flow.text_at(left, flow.y + c.ascent(head_font), section.time_range, time_font)
    flow.lines(left + time_width, head_lines, head_font, color=GRAY if section.is_break else None)
    body_left = left + time_width
    body_width = width - time_width
    extras = []
    if section.details:
        extras.append(section.details)
    if level and section.attendance:
        names = ", ".join(f"{name} {n}" for name, n in section.attendance)
        extras.append(f"Teilnahme laut Check-in: {attendance_text(section.attendance)} ({names})")
    for extra in extras:
        flow.paragraph(extra, detail_font, left=body_left, width=body_width, color=GRAY)
    flow.y += 1.2
    _labelled(flow, "Notizen", section.notes, body_left, body_width)
    _labelled(flow, "Ergebnisse", section.results, body_left, body_width)
    if section.status_updates:
        caption_font = make_font(9.5, bold=True)
        text_font = make_font(9.5)
        flow.room(flow.step(caption_font) + 2 * flow.step(text_font))
        flow.text_line("Sachstand der Empfehlungen", caption_font, left=body_left)
        for update in section.status_updates:
            note = f": {update.note}" if update.note else ""
            text = f"• {update.text} ({update.year}) – {update.status}{note}"
            flow.paragraph(text, text_font, left=body_left, width=body_width)
        flow.y += 1.5
    if section.rapporteur:
        flow.paragraph(
            f"Berichterstattung: {section.rapporteur}",
            detail_font,
            left=body_left,
            width=body_width,
            color=GRAY,
        )
    flow.y += 2.0
    for forum in section.forums:
        _minutes_section(flow, forum, body_left + 4.0, body_width - 4.0, level=1)


def _paint_minutes(flow: Flow, doc: MinutesDocument) -> None:
    c, page = flow.canvas, flow.page
    _paint_header(flow, doc.header, "Protokoll")
    caption = make_font(10.5, bold=True)
    flow.text_line(f"Teilnahme laut Check-in: {attendance_text(doc.attendance)}", caption)
    flow.y += 0.8
    if doc.attendance:
        _attendance_grid(flow, doc.attendance, page.left, page.text_width)
    else:
        flow.text_line("Es wurde niemand eingecheckt.", make_font(9), color=GRAY)
    flow.y += 5.0
    for section in doc.sections:
        _minutes_section(flow, section, page.left, page.text_width)
    flow.y += 4.0
    head = make_font(13, bold=True)
    flow.room(30.0)
    flow.rule(page.left, page.right, width=0.4, gray=0)
    flow.y += 2.0
    flow.text_line("Handlungsempfehlungen", head)
    flow.y += 1.5
    if not doc.recommendations:
        flow.text_line("Diese Konferenz hat keine Empfehlungen beschlossen.", make_font(10))
    number_width = 9.0
    text_font = make_font(10, bold=True)
    detail_font = make_font(9)
    width = page.text_width - number_width
    for rec in doc.recommendations:
        lines = wrap_text(c, rec.text, text_font, width)
        details = [
            f"Aus: {rec.source}" if rec.source else "",
            f"Zuständig: {rec.responsible or 'noch offen'}",
            " · ".join(p for p in (f"Fällig am {rec.due}" if rec.due else "", f"Status: {rec.status}") if p),
        ]
        detail_lines = [line for d in details if d for line in wrap_text(c, d, detail_font, width)]
        flow.room(flow.block_height(lines, text_font) + flow.block_height(detail_lines, detail_font) + 2)
        flow.text_at(page.left, flow.y + c.ascent(text_font), f"{rec.number}.", text_font)
        flow.lines(page.left + number_width, lines, text_font)
        flow.lines(page.left + number_width, detail_lines, detail_font, color=GRAY)
        flow.y += 2.5


def paint_minutes_on(canvas: Canvas, doc: MinutesDocument) -> int:
    """Paint the minutes onto an open canvas, starting a new page; returns the pages used."""
    return paint_flow(
        canvas,
        lambda flow: _paint_minutes(flow, doc),
        running_head=f"Protokoll – {doc.header.title}",
        footer_note=f"Protokoll – {doc.header.title}",
    )


def paint_minutes(device: QPagedPaintDevice, doc: MinutesDocument, *, prepare: bool = True) -> int:
    """The minutes on A4 portrait; returns the number of pages."""
    return paint_on_device(device, lambda canvas: paint_minutes_on(canvas, doc), prepare=prepare)


# --- files ----------------------------------------------------------------------------------------------


def _check_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() != ".pdf":
        raise UserError(f"„{target.name}“: PDF-Dateien müssen auf .pdf enden.")
    if not target.parent.is_dir():
        raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    return target


def agenda_pdf(
    doc: AgendaDocument, path: str | os.PathLike[str] | None = None, *, internal: bool = False
) -> bytes:
    kind = "Regieplan" if internal else "Programm"
    return pdf_bytes(
        lambda device: paint_agenda(device, doc, internal=internal),
        title=f"{kind} – {doc.header.title}",
        path=path,
    )


def minutes_pdf(
    doc: MinutesDocument, path: str | os.PathLike[str] | None = None, *, author: str = ""
) -> bytes:
    """The minutes as PDF/A (they go into the archive); ``author``: the office (``archive_pdf``)."""
    return pdf_bytes(
        lambda device: paint_minutes(device, doc),
        title=f"Protokoll – {doc.header.title}",
        path=path,
        archive=True,
        author=author,
    )


def write_agenda_pdf(
    database: Database, year: int, path: str | os.PathLike[str], internal: bool = False
) -> Path:
    """The programme (or the Regieplan) of ``year`` as a PDF file."""
    target = _check_target(path)
    with database.read_session() as session:
        doc = agenda_document(session, year)
    agenda_pdf(doc, target, internal=internal)
    return target


def write_minutes_pdf(database: Database, year: int, path: str | os.PathLike[str]) -> Path:
    """The minutes of ``year`` as a PDF file."""
    target = _check_target(path)
    with database.read_session() as session:
        doc = minutes_document(session, year)
    minutes_pdf(doc, target, author=database_author(database))
    return target
