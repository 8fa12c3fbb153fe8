"""A sheet as the spreadsheet writers take it (``xlsx`` for Excel, ``ods`` for LibreOffice): title, headers,
rows of cells, the columns that are always text; and the rules both writers share (which characters a cell
can hold, how wide a column must be)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

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


def clean_text(text: str) -> str:
    """Control characters Excel cannot store are dropped (NUL among them); everything else is kept.

    A carriage return becomes a line break: XML turns a raw CR into LF when the file is read (and Excel
    breaks lines in a cell with LF), so "\r\n" and "\r" are written as "\n" and read back as such."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in _ILLEGAL for ch in text):
        return "".join(ch for ch in text if ch not in _ILLEGAL)
    return text


def text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str) and "\n" not in value:
        return len(value)
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)
