"""The Unterschriftenliste and the Teilnehmerliste as office documents: the list's name, the conference,
date and place (and forum), the table with its title row repeated on every page, and the notes of the PDF
(``ui.paper.lists``); rows, columns and notes come from ``konferenz.letters.sheets``."""

from __future__ import annotations

from collections.abc import Sequence

from konferenz.letters.documents.model import Document, Para, Table, para
from konferenz.letters.geometry import TEXT_LEFT, TEXT_RIGHT
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


def _columns(columns: Sequence[Column]) -> tuple[tuple[str, float], ...]:
    """The PDF's column widths, scaled to the documents' text width."""
    total = sum(c.width for c in columns)
    scale = (TEXT_RIGHT - TEXT_LEFT) / total
    return tuple((c.title, round(c.width * scale, 2)) for c in columns)


def _head(document: Document, heading: str, sheet: AttendanceSheet) -> None:
    document.add(para(heading, 15, bold=True, space_after=2.0, keep_with_next=True))
    lines = header_lines(sheet)
    for index, line in enumerate(lines):
        document.add(
            para(line, 10.5, space_after=4.0 if index == len(lines) - 1 else 0.0, keep_with_next=True)
        )


def signin_sheet_document(sheet: AttendanceSheet, *, blank_rows: int = 10) -> Document:
    """The Unterschriftenliste: Nr., Name, Organisation, Unterschrift; rows tall enough to sign."""
    document = Document(f"Unterschriftenliste {sheet.title}")
    _head(document, "Unterschriftenliste", sheet)
    rows = signin_rows(sheet, blank_rows)
    document.add(
        Table(
            _columns(SIGNIN_COLUMNS),
            tuple(tuple(cells) for cells, _notes in rows),
            row_height=11.0,
            notes=tuple(tuple(notes) for _cells, notes in rows),
        )
    )
    document.add(para(SIGNIN_FOOTER, 7.5, gray=True, space_before=3.0))
    return document


def attendee_list_document(sheet: AttendanceSheet) -> Document:
    """The Teilnehmerliste: only persons who consented to be named on it."""
    document = Document(f"Teilnehmerliste {sheet.title}")
    _head(document, "Teilnehmerliste", sheet)
    columns, rows = attendee_table(sheet)
    document.add(Table(_columns(columns), tuple(tuple(r) for r in rows)))
    document.add(Para(para(attendee_end_note(sheet)).runs, 7.5, gray=True, space_before=3.0))
    return document
