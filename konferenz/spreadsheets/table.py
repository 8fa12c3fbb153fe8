"""The table a spreadsheet file holds, whatever its format: the header row, one :class:`Column` per header
cell with the field it was matched to, and the data rows with their row number in the sheet.

:func:`build_table` finds the header row among the first rows and sorts the rest into data rows and
skipped rows. Empty rows are skipped. Rows that are not data are reported as skipped, not read: a
repeated header row, a section heading (one value in a cell merged across several columns; when it names
a category, :attr:`DataRow.section` carries it to the rows below) and a footer line such as
"Stand: 01.03.2025" or "Summe: 45". Each row's cells are cleaned on the way
(:func:`konferenz.spreadsheets.cells.clean_row`: Excel error values, control characters, "?????").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from konferenz.errors import UserError
from konferenz.spreadsheets.cells import CellValue, cell_text, clean_row
from konferenz.spreadsheets.columns import (
    HEADER_SEARCH_ROWS,
    Column,
    KnownHeaders,
    detect_columns,
    find_header_row,
)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


# --- the table ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class DataRow:
    """A non-empty data row: its 1-based row number in the sheet (line number in a CSV) and its values."""

    excel_row: int
    values: Sequence[CellValue]
    #: the section heading above this row (a merged heading row), if any
    section: str = ""
    #: what the reader changed in the row's cells (an Excel error value left empty, control characters
    #: removed …), one German sentence each; the row rules report them with the row
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkippedRow:
    excel_row: int
    reason: str


@dataclass
class Table:
    path: Path
    #: the format read: "xlsx" (also .xlsm), "xlsb", "xls", "ods", "csv" or "vcard"
    kind: str
    #: the sheet read (None for CSV)
    sheet: str | None
    sheet_names: list[str]
    #: 1-based row number of the header row
    header_row: int
    columns: list[Column]
    rows: list[DataRow]
    skipped: list[SkippedRow] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def mapping(self) -> list[str | None]:
        return [c.field for c in self.columns]


# --- non-data rows ---------------------------------------------------------------------------------------

_FOOTER = re.compile(
    r"^(stand|summe|gesamt|insgesamt|anzahl|seite|erstellt|gedruckt|druckdatum)\b\s*(:|\d|am\b|vom\b|von\b)",
    re.IGNORECASE,
)


def _non_data_reason(
    values: Sequence[CellValue], header_texts: Sequence[str], merged_wide: set[int], row_number: int
) -> tuple[str, str] | None:
    """(reason, text) when the row is not a data row (reason "" for an empty row); None for a data row.

    ``header_texts`` are the header cells case-folded and trimmed (a repeated header row has the same
    texts in the same columns). One pass over the values: this runs for every row of the file."""
    filled = 0
    first = -1
    same_as_header = True
    for i, v in enumerate(values):
        if v is None:
            continue
        if v.__class__ is str:
            if not v or v.isspace():
                continue
            if same_as_header and (i >= len(header_texts) or v.strip().casefold() != header_texts[i]):
                same_as_header = False
        else:
            same_as_header = False
        filled += 1
        if first < 0:
            first = i
        elif not same_as_header:
            return None  # two values and not the header again: a data row (most rows end here)
    if filled == 0:
        return "", ""
    if filled == 1:
        value = values[first]
        text = cell_text(value)
        if isinstance(value, str) and _FOOTER.match(text):
            return "Fußzeile", text
        if row_number in merged_wide:
            return "Zwischenüberschrift", text
    elif same_as_header:
        return "Kopfzeile wiederholt", ""
    return None


def build_table(
    path: Path,
    *,
    kind: str,
    sheet: str | None,
    sheet_names: list[str],
    top: list[tuple[int, Sequence[CellValue]]],
    rest: Iterator[tuple[int, Sequence[CellValue]]],
    header_row: int | None,
    wide_rows: set[int],
    progress: Progress | None,
    cancelled: Cancelled | None,
    total_hint: int,
    category_names: Callable[[str], bool] | None,
    known_headers: KnownHeaders | None,
) -> Table | None:
    """The table from rows (row number, values): ``top`` are the first rows, ``rest`` the others."""
    if header_row is not None:
        index = next((i for i, (n, _) in enumerate(top) if n == header_row), None)
        if index is None:
            raise UserError(
                f"„{path.name}“: Zeile {header_row} gibt es nicht oder sie liegt nicht unter den ersten {HEADER_SEARCH_ROWS} Zeilen."
            )
    else:
        index = find_header_row([values for _, values in top], known_headers)
        if index is None:
            return None
    header_number, header_values = top[index]
    columns = detect_columns(header_values, known_headers)
    header_texts = [c.header.strip().casefold() for c in columns]
    headers = [c.header for c in columns]
    rows: list[DataRow] = []
    skipped: list[SkippedRow] = []
    section = ""

    for count, (number, values) in enumerate(itertools.chain(top[index + 1 :], rest), start=1):
        if count % 1000 == 0:
            if cancelled is not None and cancelled():
                raise UserError("Abgebrochen – es wurde nichts eingelesen.")
            if progress is not None:
                progress(min(count, total_hint), max(total_hint, count))
        non_data = _non_data_reason(values, header_texts, wide_rows, number)
        if non_data is not None:
            reason, text = non_data
            if not reason:
                continue
            if reason == "Zwischenüberschrift":
                section = text if category_names is not None and category_names(text) else ""
            skipped.append(SkippedRow(number, f"{reason}: „{text}“" if text else reason))
            continue
        cleaned, notes = clean_row(values, headers)
        rows.append(DataRow(number, cleaned, section, notes))
    return Table(path, kind, sheet, sheet_names, header_number, columns, rows, skipped)


def describe_delimiter(delimiter: str | None) -> str:
    return {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}.get(delimiter or "", repr(delimiter))


def describe_source(table: Table) -> str:
    """ "Blatt „Adressen“, Kopfzeile 4" / "CSV (Windows-1252, Semikolon), Kopfzeile 1"."""
    if table.kind == "vcard":
        return f"vCard-Datei ({len(table.rows)} Visitenkarten)"
    if table.kind == "csv":
        encoding = {
            "utf-8": "UTF-8",
            "utf-8-sig": "UTF-8 mit BOM",
            "utf-16": "UTF-16",
            "cp1252": "Windows-1252",
        }.get(table.encoding or "", table.encoding or "")
        return f"CSV ({encoding}, {describe_delimiter(table.delimiter)}), Kopfzeile {table.header_row}"
    return f"Blatt „{table.sheet}“, Kopfzeile {table.header_row}"
