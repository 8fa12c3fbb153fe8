"""Writing Excel files the way staff expect them, for every export of the program.

Bold, frozen header row; autofilter; column widths that fit; dates as real Excel dates (TT.MM.JJJJ);
postal codes and phone numbers as text. No cell is ever written as a formula: a text starting with
``=``, ``+``, ``-``, ``@``, tab, CR or NUL is stored as an inline string, so Excel and LibreOffice show it
as text and openpyxl reads back exactly the same text (OWASP ASVS 1.2.10, CWE-1236).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from konferenz.errors import UserError
from konferenz.spreadsheets.sheet import MAX_WIDTH, Cell, Sheet, clean_text, text_width

__all__ = [
    "DATE_FORMAT",
    "FORMULA_TRIGGERS",
    "MAX_WIDTH",
    "Cell",
    "Sheet",
    "clean_text",
    "text_width",
    "write_workbook",
]

if TYPE_CHECKING:
    from openpyxl.cell import Cell as XlCell
    from openpyxl.worksheet.worksheet import Worksheet

#: openpyxl, loaded on the first export only: importing it costs a tenth of a second at every start
_XL: Any = None


def _openpyxl() -> Any:
    global _XL  # noqa: PLW0603 (a lazily filled module cache)
    if _XL is None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        _XL = SimpleNamespace(
            Workbook=Workbook,
            WriteOnlyCell=WriteOnlyCell,
            ERROR_CODES=ERROR_CODES,
            Alignment=Alignment,
            Font=Font,
            get_column_letter=get_column_letter,
        )
    return _XL


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
TIME_FORMAT = "HH:MM"


def _cell(
    ws: Worksheet,
    value: Cell,
    as_text: bool,
    dates: dict[tuple[int, type], XlCell] | None = None,
    column: int = 0,
) -> Any:  # an openpyxl cell or a plain value (openpyxl is loaded lazily, so untyped here)
    """The value to append for one cell: a plain value where openpyxl writes it correctly by itself (much
    faster: one value binding per cell, no cell object), otherwise a styled write-only cell.

    ``dates`` caches one date cell per column and type: a write-only sheet serialises an appended row at
    once, so the styled cell can take the next row's value (``write_workbook`` appends row by row)."""
    xl = _XL  # loaded by write_workbook
    if value is None:
        return None
    if isinstance(value, str) or as_text:
        text = clean_text(value if isinstance(value, str) else str(value))
        if not text:
            return None  # an empty cell, as an empty text reads back anyway
        if "\n" not in text and not text.startswith("=") and text not in xl.ERROR_CODES:
            return text
        cell = xl.WriteOnlyCell(ws, value=text)
        # openpyxl writes a string starting with "=" as a formula and "#N/A" … as an error; force the
        # string type instead
        cell.data_type = "s"
        if "\n" in text:
            cell.alignment = xl.Alignment(wrap_text=True, vertical="top")
        return cell
    if isinstance(value, int | float):
        return value
    if dates is not None:
        cached = dates.get((column, type(value)))
        if cached is not None:
            cached.value = value
            return cached
    cell = xl.WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.time):
        cell.number_format = TIME_FORMAT
    if dates is not None:
        dates[(column, type(value))] = cell
    return cell


def write_workbook(path: Path | str, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` (.xlsx), replacing an existing file only when writing succeeded.

    A ``path`` ending in .ods gets the same sheets as an OpenDocument spreadsheet (``konferenz.spreadsheets.ods``)."""
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() == ".ods":
        from konferenz.spreadsheets.ods import write_ods

        return write_ods(target, sheets)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(
            f"„{target.name}“: Excel-Dateien müssen auf .xlsx enden (LibreOffice-Tabellen auf .ods)."
        )
    if not target.parent.is_dir():
        raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    xl = _openpyxl()
    wb = xl.Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        widths = [len(h) + 2 for h in sheet.headers]
        rows = [raw if isinstance(raw, list | tuple) else list(raw) for raw in sheet.rows]
        for raw in rows:
            for i, v in enumerate(raw):
                if i < len(widths):
                    w = text_width(v) + 2
                    widths[i] = max(widths[i], w)
        # column widths and the frozen header must be set before the first row is written
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[xl.get_column_letter(i)].width = min(w, MAX_WIDTH)
        ws.freeze_panes = "A2"
        header = []
        for h in sheet.headers:
            c = xl.WriteOnlyCell(ws, value=clean_text(h))
            c.data_type = "s"
            c.font = xl.Font(bold=True)
            header.append(c)
        ws.append(header)
        dates: dict[tuple[int, type], XlCell] = {}
        text_columns = sheet.text_columns
        for raw in rows:
            ws.append([_cell(ws, v, i in text_columns, dates, i) for i, v in enumerate(raw)])
        last_col = xl.get_column_letter(max(len(sheet.headers), 1))
        ws.auto_filter.ref = f"A1:{last_col}{len(rows) + 1}"
    partial = target.with_name(target.name + ".teilweise")
    try:
        wb.save(partial)
        os.replace(partial, target)
    except PermissionError as exc:
        raise UserError(
            f"„{target}“ kann nicht geschrieben werden – ist die Datei noch in Excel geöffnet?"
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return target
