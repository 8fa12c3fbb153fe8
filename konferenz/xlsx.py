"""Writing Excel files the way staff expect them, for every export of the program.

Bold, frozen header row; autofilter; column widths that fit; dates as real Excel dates (TT.MM.JJJJ);
postal codes and phone numbers as text. No cell is ever written as a formula: a text starting with
``=``, ``+``, ``-``, ``@``, tab, CR or NUL is stored as an inline string, so Excel and LibreOffice show it
as text and openpyxl reads back exactly the same text (OWASP ASVS 1.2.10, CWE-1236).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell as XlCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from konferenz.errors import UserError

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
TIME_FORMAT = "HH:MM"
MAX_WIDTH = 60
_ILLEGAL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    #: indexes of columns that are always text (PLZ, phone, IDs with leading zeros)
    text_columns: frozenset[int] = field(default_factory=frozenset)


def _clean(text: str) -> str:
    """Control characters Excel cannot store are dropped (NUL among them); everything else is kept."""
    if any(ch in _ILLEGAL for ch in text):
        return "".join(ch for ch in text if ch not in _ILLEGAL)
    return text


def _cell(ws: Worksheet, value: Cell, as_text: bool) -> XlCell:
    if value is None:
        return WriteOnlyCell(ws, value=None)
    if isinstance(value, str) or as_text:
        text = value if isinstance(value, str) else str(value)
        cell = WriteOnlyCell(ws, value=_clean(text))
        # openpyxl writes a string starting with "=" as a formula; force the string type instead
        cell.data_type = "s"
        if "\n" in text:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    cell = WriteOnlyCell(ws, value=value)  # type: ignore[arg-type]  # the stubs omit date and time
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.time):
        cell.number_format = TIME_FORMAT
    return cell


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_workbook(path: Path | str, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` (.xlsx), replacing an existing file only when writing succeeded."""
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(f"„{target.name}“: Excel-Dateien müssen auf .xlsx enden.")
    if not target.parent.is_dir():
        raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        widths = [len(h) + 2 for h in sheet.headers]
        rows: list[list[XlCell]] = []
        for raw in sheet.rows:
            row = [_cell(ws, v, i in sheet.text_columns) for i, v in enumerate(raw)]
            for i, v in enumerate(raw):
                if i < len(widths):
                    widths[i] = max(widths[i], _width(v) + 2)
            rows.append(row)
        # column widths and the frozen header must be set before the first row is written
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(w, MAX_WIDTH)
        ws.freeze_panes = "A2"
        header = []
        for h in sheet.headers:
            c = WriteOnlyCell(ws, value=_clean(h))
            c.data_type = "s"
            c.font = Font(bold=True)
            header.append(c)
        ws.append(header)
        for row in rows:
            ws.append(row)
        last_col = get_column_letter(max(len(sheet.headers), 1))
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
