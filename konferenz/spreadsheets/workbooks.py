"""Reading workbooks – .xlsx/.xlsm, .xlsb, .xls (Excel 97–2003) and .ods (LibreOffice) – with python-calamine.

The package has been checked by :mod:`konferenz.spreadsheets.sniff` (size caps, every part decompresses)
and its sheets measured by :mod:`konferenz.spreadsheets.extents` (their reach, error values, merged
ranges) before calamine loads a sheet, so calamine never allocates more than the caps allow.

calamine is a Rust library: its errors are English and a damaged file can make it panic (a
``PanicException``, which is not an ``Exception``) and print the panic to the process's stderr. Every call
goes through :func:`_calamine`, which turns each of these into one German refusal and keeps stderr quiet.

Sheets: unless one is named, the visible worksheets are tried in order and the first with a recognisable
header row is taken. Merged ranges: a range spanning rows (an organisation merged over the rows of its
people) fills its value into every row; a range spanning columns marks a section heading.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from konferenz.errors import UserError
from konferenz.spreadsheets.cells import CellValue, is_empty
from konferenz.spreadsheets.columns import HEADER_SEARCH_ROWS, KnownHeaders
from konferenz.spreadsheets.extents import SheetScan, scan_workbook
from konferenz.spreadsheets.sniff import refuse
from konferenz.spreadsheets.table import Cancelled, Progress, Table, build_table
from konferenz.text import collapse_spaces

DAMAGED = "die Datei ist beschädigt oder unvollständig."
_LOCK = threading.Lock()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to the null device while calamine runs (a Rust panic prints there)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@contextlib.contextmanager
def _calamine(path: Path, sheet: str | None = None) -> Iterator[None]:
    """Run calamine calls: its errors and panics become one German ``UserError``."""
    import python_calamine as pc

    where = f" (Blatt „{sheet}“)" if sheet else ""
    with _LOCK, _quiet_stderr():
        try:
            yield
        except UserError:
            raise
        except pc.PasswordError as exc:
            raise refuse(
                path,
                "die Arbeitsmappe ist mit einem Kennwort geschützt. Bitte ohne Kennwort speichern.",
            ) from exc
        except (pc.CalamineError, pc.XmlError, pc.ZipError, ValueError, OSError, TypeError) as exc:
            raise refuse(path, f"{DAMAGED[:-1]}{where}.") from exc
        except BaseException as exc:
            if type(exc).__name__ == "PanicException":  # pyo3: a panic inside calamine
                raise refuse(path, f"{DAMAGED[:-1]}{where}.") from exc
            raise


def _visible_worksheets(metadata: Sequence[Any]) -> list[str]:
    import python_calamine as pc

    return [
        m.name
        for m in metadata
        if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet
    ]


def read_workbook(
    path: Path,
    kind: str,
    *,
    sheet: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    category_names: Callable[[str], bool] | None,
    known_headers: KnownHeaders | None,
) -> Table:
    """The table of a workbook of the given kind ("xlsx", "xlsb", "xls", "ods"); see the module docstring."""
    import python_calamine as pc

    scans = scan_workbook(path, kind)
    with _calamine(path):
        workbook = pc.CalamineWorkbook.from_path(str(path))
    try:
        with _calamine(path):
            sheet_names = list(workbook.sheet_names)
            visible = _visible_worksheets(workbook.sheets_metadata)
        if sheet is not None:
            wanted = [n for n in sheet_names if n == sheet] or [
                n for n in sheet_names if collapse_spaces(n).casefold() == collapse_spaces(sheet).casefold()
            ]
            if not wanted:
                raise UserError(
                    f"Das Blatt „{sheet}“ gibt es in „{path.name}“ nicht (vorhanden: {', '.join(sheet_names)})."
                )
            candidates = wanted[:1]
        else:
            candidates = visible
        any_data = False
        for name in candidates:
            with _calamine(path, name):
                loaded = workbook.get_sheet_by_name(name)
                merges = _merges(loaded, scans.get(name), kind)
                start = loaded.start or (0, 0)
                total_hint = int(loaded.height or 0)
            rows = _rows(path, name, loaded, start, scans.get(name))
            wide_rows = {r1 for r1, c1, _r2, c2 in merges if c2 > c1}
            vertical = [m for m in merges if m[2] > m[0]]
            if vertical:
                rows = _fill_merges(rows, vertical)
            top: list[tuple[int, Sequence[CellValue]]] = []
            for number, values in rows:
                top.append((number, values))
                if number >= HEADER_SEARCH_ROWS:
                    break
            if any(not is_empty(v) for _, v in top):
                any_data = True
            table = build_table(
                path,
                kind=kind,
                sheet=name,
                sheet_names=sheet_names,
                top=top,
                rest=rows,
                header_row=header_row,
                wide_rows=wide_rows,
                progress=progress,
                cancelled=cancelled,
                total_hint=total_hint,
                category_names=category_names,
                known_headers=known_headers,
            )
            if table is not None:
                return table
        if not candidates:
            raise refuse(path, "die Arbeitsmappe hat kein sichtbares Tabellenblatt.")
        if not any_data:
            raise refuse(
                path, "die Tabelle ist leer." if sheet is None else f"das Blatt „{candidates[0]}“ ist leer."
            )
        where = f"im Blatt „{candidates[0]}“ " if sheet is not None else "in keinem Blatt "
        raise refuse(
            path,
            f"keine Kopfzeile erkannt ({where}stehen in den ersten {HEADER_SEARCH_ROWS} Zeilen Spalten wie "
            "Nachname, Vorname, Organisation, E-Mail).",
        )
    finally:
        with contextlib.suppress(BaseException):
            workbook.close()


def _merges(loaded: Any, scan: SheetScan | None, kind: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges as (first row 1-based, first column 0-based, last row, last column): calamine's for
    .xls, the scan's for the others."""
    if kind != "xls":
        return sorted(scan.merges) if scan is not None else []
    ranges = loaded.merged_cell_ranges or []
    return sorted((r1 + 1, c1, r2 + 1, c2) for (r1, c1), (r2, c2) in ranges)


def _value(v: Any) -> CellValue:
    if v == "":
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, (str, int, float, bool, dt.date, dt.time, dt.timedelta)):
        return v
    return str(v)


def _rows(
    path: Path, name: str, loaded: Any, start: tuple[int, int], scan: SheetScan | None
) -> Iterator[tuple[int, Sequence[CellValue]]]:
    """(row number, values) of the loaded sheet, from column A; error values put back from the scan."""
    errors: dict[int, list[tuple[int, str]]] = {}
    if scan is not None:
        for (row, col), text in scan.errors.items():
            errors.setdefault(row, []).append((col, text))
    number, start_col = start
    # a list repeats its towns, postcodes, salutations and organisations: one string object each
    seen: dict[str, str] = {}

    def convert(v: Any) -> CellValue:
        if v.__class__ is str:
            if not v:
                return None
            return seen.setdefault(v, v) if len(v) <= 64 else v
        return _value(v)

    lead: list[CellValue] = [None] * start_col
    if loaded.start is None or not loaded.height:  # an empty sheet (calamine panics on its rows)
        return
    try:
        iterator = iter(loaded.iter_rows())
    except BaseException as exc:
        if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
            raise refuse(path, f"{DAMAGED[:-1]} (Blatt „{name}“).") from exc
        raise
    while True:
        try:
            raw = next(iterator)
        except StopIteration:
            return
        except BaseException as exc:
            if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
                raise refuse(path, f"{DAMAGED[:-1]} (Blatt „{name}“, Zeile {number + 1}).") from exc
            raise
        number += 1
        values = [*lead, *map(convert, raw)] if lead else list(map(convert, raw))
        for col, text in errors.get(number, ()):
            if col >= len(values):
                values.extend([None] * (col + 1 - len(values)))
            values[col] = text  # what calamine read for an error cell (nothing, or ods's 0) is no data
        while values and values[-1] is None:  # calamine pads every row to the sheet's width
            values.pop()
        yield number, values


def _fill_merges(
    rows: Iterator[tuple[int, Sequence[CellValue]]], vertical: list[tuple[int, int, int, int]]
) -> Iterator[tuple[int, Sequence[CellValue]]]:
    """Fill a vertically merged range's value (its top-left cell) into the rows below, in its first
    column (a range that is also wide does not copy its value into the neighbouring columns)."""
    fills: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, _c2 in vertical:
        for r in range(r1 + 1, min(r2, r1 + 100_000) + 1):
            fills.setdefault(r, []).append((c1, r1))
    sources: dict[tuple[int, int], CellValue] = {}
    source_columns: dict[int, list[int]] = {}
    for r1, c1, _r2, _c2 in vertical:
        source_columns.setdefault(r1, []).append(c1)
    for number, values in rows:
        for col in source_columns.get(number, ()):
            if col < len(values):
                sources[(number, col)] = values[col]
        targets = fills.get(number)
        if not targets:
            yield number, values
            continue
        out = list(values)
        for col, source_row in targets:
            value = sources.get((source_row, col))
            if value is None:
                continue
            if len(out) <= col:
                out.extend([None] * (col + 1 - len(out)))
            if out[col] is None:
                out[col] = value
        yield number, out
