"""What a workbook's sheets hold before a reader loads them: how far their cells reach, their error values
and their merged ranges, found by streaming the sheet XML in chunks (bounded memory whatever the file says).

python-calamine loads a sheet as one dense range from its first to its last cell. A single value in cell
XFD1048576, or an OpenDocument cell "repeated 999,999,999 times", would make it allocate gigabytes, so the
reach of a sheet is measured here first (:func:`scan_workbook`) and a sheet that would exceed
:data:`MAX_CELLS` is refused with a German message naming the far cell. Cells that are only formatted
(no value) do not count: a sheet formatted down to row 1,000,000 costs next to nothing.

calamine also returns Excel's error values ("#NV", "#BEZUG!") as empty cells; the scan picks them up
from the XML (``t="e"`` in xlsx, ``calcext:value-type="error"`` in ods) so the reader can flag them.
The old binary formats (.xls, .xlsb) are not scanned: their sheets are bounded by the format
(.xls: 65,536 × 256 cells) or by the package size cap, and their error values read as empty cells.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from konferenz.spreadsheets.cells import column_letters
from konferenz.spreadsheets.sniff import refuse

#: cells a sheet may span (rows × columns from A1 to its last value); 100,000 people × 40 columns fit
MAX_CELLS = 8_000_000
_CHUNK = 1 << 22
_OVERLAP = 8192


@dataclass
class SheetScan:
    """What the scan found in one sheet (rows 1-based, columns 0-based)."""

    #: the last row and the last column (0-based) holding a value
    last_row: int = 0
    last_col: int = 0
    #: (row, column) → the error value's text, e.g. "#NV"
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    #: merged ranges (first row, first column, last row, last column)
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)


def column_index(letters: bytes) -> int:
    """0-based index of an Excel column name: b"A" → 0, b"AA" → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def scan_workbook(path: Path, kind: str) -> dict[str, SheetScan]:
    """Sheet name → :class:`SheetScan` for an xlsx/xlsm or ods file (empty for other kinds). Raises a German
    ``UserError`` for a sheet that spans more than :data:`MAX_CELLS` cells."""
    if kind not in ("xlsx", "ods"):
        return {}
    with zipfile.ZipFile(path) as archive:
        if kind == "xlsx":
            scans = {name: _scan_xlsx_sheet(archive, member) for name, member in _xlsx_sheets(archive)}
        else:
            scans = _scan_ods(archive)
    for name, scan in scans.items():
        if (scan.last_row) * (scan.last_col + 1) > MAX_CELLS:
            far = (
                f"Zelle {column_letters(scan.last_col)}{scan.last_row}"
                if scan.last_col < 16384 and scan.last_row <= 1_048_576
                else f"Zeile {scan.last_row:,} und Spalte {scan.last_col + 1:,}".replace(",", ".")
            )
            raise refuse(
                path,
                f"das Blatt „{name}“ reicht bis {far} (mehr als {MAX_CELLS:,} Zellen)".replace(",", ".")
                + ". Bitte die Werte außerhalb der Liste löschen (oder nur die Liste in eine neue Datei "
                "kopieren) und neu speichern.",
            )
    return scans


# --- xlsx ------------------------------------------------------------------------------------------------

_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\b(?:\w+:)?id="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})[0-9]')  # starts with a literal: the scan is a fast search
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def _member(archive: zipfile.ZipFile, name: str) -> str:
    """The package member of a part name (some writers store Windows paths, "xl\\workbook.xml")."""
    for candidate in archive.namelist():
        if candidate.replace("\\", "/") == name:
            return candidate
    return name


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(_member(archive, name)) as part:
            return part.read(16 << 20)
    except KeyError:
        return b""


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, package member) for each sheet of the workbook."""
    targets: dict[bytes, str] = {}
    for m in _RELATIONSHIP.finditer(_small_part(archive, "xl/_rels/workbook.xml.rels")):
        attributes = dict(_ATTRIBUTE.findall(m.group(1)))
        if b"Id" in attributes and b"Target" in attributes:
            target = attributes[b"Target"].decode("utf-8", "replace")
            member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[attributes[b"Id"]] = member
    names = {n.replace("\\", "/"): n for n in archive.namelist()}
    out: list[tuple[str, str]] = []
    for m in _SHEET.finditer(_small_part(archive, "xl/workbook.xml")):
        member = targets.get(m.group(2), "").replace("\\", "/")
        if member in names:
            out.append((html.unescape(m.group(1).decode("utf-8", "replace")), names[member]))
    return out


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's bytes in chunks, each starting with the last bytes of the one before (so an element
    cut at a chunk border is whole in one of them)."""
    tail = b""
    with archive.open(member) as part:
        while True:
            data = part.read(_CHUNK)
            if not data:
                return
            chunk = tail + data
            yield chunk
            tail = chunk[-_OVERLAP:]


def _whole_tags(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The member's bytes in pieces that end before a tag (the rest is carried into the next piece), for a
    walk that must see every tag exactly once."""
    carry = b""
    with archive.open(member) as part:
        while True:
            data = part.read(_CHUNK)
            if not data:
                if carry:
                    yield carry
                return
            buffer = carry + data
            cut = buffer.rfind(b"<")
            if cut <= 0:
                cut = len(buffer)
            yield buffer[:cut]
            carry = buffer[cut:]


def _scan_xlsx_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    scan = SheetScan()
    rows_seen = 0
    for chunk in _chunks(archive, member):
        rows_seen += chunk.count(b"<row") + chunk.count(b":row ")
        # the last cell with a value: the last closing </c> and the reference before it
        end = max(chunk.rfind(b"</c>"), chunk.rfind(b":c>"))
        if end >= 0:
            refs = _CELL_REF.findall(chunk, max(0, end - 4096), end)
            if refs:
                scan.last_row = max(scan.last_row, int(refs[-1][1]))
        # columns beyond Z: only cells with a value count (a self-closing cell is formatting only)
        for m in _WIDE_CELL.finditer(chunk):
            close = chunk.find(b">", m.end())
            if close > 0 and chunk[close - 1 : close] != b"/":
                scan.last_col = max(scan.last_col, column_index(m.group(1)))
        if b't="e"' in chunk:
            for m in _ERROR_CELL.finditer(chunk):
                ref = _CELL_REF.search(m.group(1))
                value = _VALUE.search(m.group(2))
                if ref and value:
                    row, col = int(ref.group(2)), column_index(ref.group(1))
                    scan.errors[(row, col)] = html.unescape(value.group(1).decode("utf-8", "replace"))
        if b"mergeCell" in chunk:
            for m in _MERGE.finditer(chunk):
                r1, r2 = int(m.group(2)), int(m.group(4))
                c1, c2 = column_index(m.group(1)), column_index(m.group(3))
                scan.merges.add((r1, c1, r2, c2))
    # rows without references are counted (writers that leave out r="…")
    scan.last_row = scan.last_row or rows_seen
    scan.last_col = max(scan.last_col, 25 if scan.last_row else 0)
    return scan


# --- ods ---------------------------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<table:table(?=[\s>])([^>]*)>|</table:table>|<table:table-row(?=[\s/>])([^>]*?)(/?)>|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell\b([^>]*?)(/?)>|<text:p\b"
)
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_ROWS_SPANNED = re.compile(rb'table:number-rows-spanned="([0-9]+)"')
_COLUMNS_SPANNED = re.compile(rb'table:number-columns-spanned="([0-9]+)"')
_ODS_ERROR = re.compile(rb'calcext:value-type="error"')


def _scan_ods(archive: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Walk content.xml's tables, rows and cells (with their repeat counts) in a stream.

    A cell holds a value if it has an ``office:value-type`` or a paragraph; the sheet's reach is the last
    row and column of such a cell, repeats included. Error cells keep their displayed text (the text:p)."""
    scans: dict[str, SheetScan] = {}
    scan: SheetScan | None = None
    row = 0  # 1-based number of the current row (its first, if repeated)
    row_repeat = 1
    col = 0  # 0-based column of the next cell
    cell_start = cell_repeat = 0
    pending_error: tuple[int, int] | None = None
    for chunk in _whole_tags(archive, "content.xml"):
        for m in _ODS_TAG.finditer(chunk):
            text = m.group(0)
            if text.startswith(b"<table:table") and m.group(1) is not None:
                name_match = _ODS_NAME.search(m.group(1) or b"")
                name = html.unescape(name_match.group(1).decode("utf-8", "replace")) if name_match else ""
                scan = scans.setdefault(name, SheetScan())
                row = 0
            elif text == b"</table:table>":
                scan = None
            elif scan is None:
                continue
            elif text.startswith(b"<table:table-row"):
                repeated = _ROWS_REPEATED.search(m.group(2) or b"")
                row += row_repeat if row else 1
                row_repeat = int(repeated.group(1)) if repeated else 1
                col = 0
                if m.group(3):  # an empty self-closing row
                    continue
            elif text == b"</table:table-row>":
                continue
            elif text.startswith(b"<text:p"):
                _note_value(scan, row, row_repeat, cell_start, cell_repeat)
                if pending_error is not None:
                    end = chunk.find(b"</text:p>", m.end())
                    inner = chunk[chunk.find(b">", m.end() - 1) + 1 : end] if end > 0 else b""
                    scan.errors[pending_error] = html.unescape(
                        re.sub(rb"<[^>]*>", b"", inner).decode("utf-8", "replace")
                    )
                    pending_error = None
            else:  # a cell
                attributes = m.group(4) or b""
                repeated = _COLUMNS_REPEATED.search(attributes)
                cell_start, cell_repeat = col, int(repeated.group(1)) if repeated else 1
                col += cell_repeat
                pending_error = None
                if b"office:value-type=" in attributes:
                    _note_value(scan, row, row_repeat, cell_start, cell_repeat)
                    if _ODS_ERROR.search(attributes) and not m.group(5):
                        pending_error = (row, cell_start)
                rows_spanned = _ROWS_SPANNED.search(attributes)
                columns_spanned = _COLUMNS_SPANNED.search(attributes)
                if rows_spanned or columns_spanned:
                    r2 = row + (int(rows_spanned.group(1)) if rows_spanned else 1) - 1
                    c2 = cell_start + (int(columns_spanned.group(1)) if columns_spanned else 1) - 1
                    if (r2, c2) != (row, cell_start):
                        scan.merges.add((row, cell_start, r2, c2))
    return scans


def _note_value(scan: SheetScan, row: int, row_repeat: int, col: int, col_repeat: int) -> None:
    scan.last_row = max(scan.last_row, row + row_repeat - 1)
    scan.last_col = max(scan.last_col, col + col_repeat - 1)
