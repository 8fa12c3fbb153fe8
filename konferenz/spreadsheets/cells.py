"""Cell values of a spreadsheet as the reader returns them (``CellValue``) and as text (``cell_text``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from konferenz.text import collapse_spaces

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


def cell_text(value: CellValue) -> str:
    """A cell value as text: trimmed and with runs of white space collapsed; whole numbers without ".0",
    dates as TT.MM.JJJJ, times as HH:MM."""
    if value is None:
        return ""
    if isinstance(value, str):
        return collapse_spaces(value)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return collapse_spaces(str(value))


def is_empty(values: Sequence[CellValue]) -> bool:
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if v and not v.isspace():
                return False
            continue
        return False
    return True
