"""What a workbook's sheets hold before a reader loads them: how far their cells reach, their error values
and their merged ranges, found by streaming the sheet XML in chunks (bounded memory whatever the file says).

python-calamine loads a sheet as one dense range from its first to its last cell. A single value in cell
XFD1048576, or an OpenDocument cell "repeated 999,999,999 times", would make it allocate gigabytes, so the
reach of a sheet is measured here first (:func:`scan_workbook`) and a sheet that would exceed
:data:`MAX_CELLS` is refused with a German message naming the far cell. Cells that are only formatted
(no value) do not count: a sheet formatted down to row 1,000,000 costs next to nothing.

calamine also returns Excel's error values ("#NV", "#BEZUG!") as empty cells; the scan picks them up
from the file (``t="e"`` in xlsx, ``calcext:value-type="error"`` in ods, the error records of .xlsb and
.xls) so the reader can flag them. An .xls sheet is bounded by its format (65,536 × 256 cells); its
reach is not measured.
"""

from __future__ import annotations

import contextlib
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
    """Sheet name → :class:`SheetScan` for an xlsx/xlsm, xlsb, ods or xls file. Raises a German
    ``UserError`` for a sheet that spans more than :data:`MAX_CELLS` cells."""
    if kind == "xls":
        return _scan_xls(path)
    if kind not in ("xlsx", "xlsb", "ods"):
        return {}
    with zipfile.ZipFile(path) as archive:
        if kind == "xlsx":
            scans = {name: _scan_xlsx_sheet(archive, member) for name, member in _xlsx_sheets(archive)}
        elif kind == "xlsb":
            scans = {name: _scan_xlsb_sheet(archive, member) for name, member in _xlsb_sheets(archive)}
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


_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>]")
_CELL_CONTENT = re.compile(rb"<(?:\w+:)?(?:v|is|f)[\s>/]")


def _last_value_end(chunk: bytes) -> int:
    """Where the last cell with a value closes in ``chunk`` (-1: none). A cell closed at once –
    ``<c r="XFD5" s="1"></c>``, as openpyxl writes a formatted cell with lxml – is formatting only."""
    pos = len(chunk)
    while True:
        end = max(chunk.rfind(b"</c>", 0, pos), chunk.rfind(b":c>", 0, pos))
        if end < 0:
            return -1
        starts = list(_CELL_START.finditer(chunk, max(0, end - 65536), end))
        if not starts:
            return end  # the cell began in the chunk before: its content is not here to judge
        start = starts[-1].start()
        if _CELL_CONTENT.search(chunk, start, end):
            return end
        pos = start


def _scan_xlsx_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    scan = SheetScan()
    rows_seen = 0
    for chunk in _chunks(archive, member):
        rows_seen += chunk.count(b"<row") + chunk.count(b":row ")
        # the last cell with a value: where it closes, and the reference before it
        end = _last_value_end(chunk)
        if end >= 0:
            refs = _CELL_REF.findall(chunk, max(0, end - 4096), end)
            if refs:
                scan.last_row = max(scan.last_row, int(refs[-1][1]))
        # columns beyond Z: only cells with a value count (a cell closed at once is formatting only)
        for m in _WIDE_CELL.finditer(chunk):
            close = chunk.find(b">", m.end())
            if close <= 0 or chunk[close - 1 : close] == b"/":
                continue
            after = chunk[close + 1 : close + 8]
            if after.startswith(b"</c>") or re.match(rb"</\w+:c>", after):
                continue
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


# --- xlsb (MS-XLSB records) and xls (BIFF8 records in an OLE compound file) ------------------------------

#: error codes of both binary formats → the value Excel shows (English, as stored in xlsx)
BINARY_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                 0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}  # fmt: skip
_XLSB_VALUE_CELLS = frozenset(range(2, 12))  # BrtCellRk … BrtFmlaError (1 is BrtCellBlank: formatting)


def _record_at(buffer: bytes, position: int) -> tuple[int, int, int] | None:
    """(type, payload start, payload size) of the BIFF12 record at ``position``; None when the buffer ends
    before the record does."""
    end = len(buffer)
    if position >= end:
        return None
    typ = buffer[position]
    position += 1
    if typ & 0x80:
        if position >= end:
            return None
        typ = (typ & 0x7F) | ((buffer[position] & 0x7F) << 7)
        position += 1
    size = shift = 0
    for _ in range(4):
        if position >= end:
            return None
        byte = buffer[position]
        position += 1
        size |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    if position + size > end:
        return None
    return typ, position, size


def _xlsb_records(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, bytes]]:
    """(record type, payload) of a BIFF12 part, read in chunks (a record cut by a chunk's end is carried
    into the next)."""
    pending = b""
    with archive.open(member) as part:
        while True:
            data = part.read(_CHUNK)
            buffer = pending + data
            position = 0
            while (found := _record_at(buffer, position)) is not None:
                typ, start, size = found
                yield typ, buffer[start : start + size]
                position = start + size
            pending = buffer[position:]
            if not data:
                return


def _xlsb_sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, package member) from workbook.bin's BrtBundleSh records and their relationships."""
    targets: dict[str, str] = {}
    for m in _RELATIONSHIP.finditer(_small_part(archive, "xl/_rels/workbook.bin.rels")):
        attributes = dict(_ATTRIBUTE.findall(m.group(1)))
        if b"Id" in attributes and b"Target" in attributes:
            target = attributes[b"Target"].decode("utf-8", "replace")
            targets[attributes[b"Id"].decode("utf-8", "replace")] = (
                target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            )
    names = {n.replace("\\", "/"): n for n in archive.namelist()}
    out: list[tuple[str, str]] = []
    try:
        for typ, payload in _xlsb_records(archive, _member(archive, "xl/workbook.bin")):
            if typ == 0x9C and len(payload) >= 12:  # BrtBundleSh: state, tab id, relationship id, name
                rel_length = int.from_bytes(payload[8:12], "little")
                if rel_length == 0xFFFFFFFF:
                    continue
                rel_end = 12 + 2 * rel_length
                rel = payload[12:rel_end].decode("utf-16-le", "replace")
                name_length = int.from_bytes(payload[rel_end : rel_end + 4], "little")
                name = payload[rel_end + 4 : rel_end + 4 + 2 * name_length].decode("utf-16-le", "replace")
                member = targets.get(rel, "").replace("\\", "/")
                if member in names:
                    out.append((name, names[member]))
            elif typ == 0x90:  # BrtEndBundleShs
                break
    except KeyError:
        return []
    return out


def _scan_xlsb_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    scan = SheetScan()
    row = 0
    for typ, payload in _xlsb_records(archive, member):
        if typ == 0x00 and len(payload) >= 4:  # BrtRowHdr
            row = int.from_bytes(payload[:4], "little") + 1
        elif typ in _XLSB_VALUE_CELLS and len(payload) >= 8:
            col = int.from_bytes(payload[:4], "little")
            scan.last_row = max(scan.last_row, row)
            scan.last_col = max(scan.last_col, col)
            if typ in (0x03, 0x0B) and len(payload) >= 9:  # BrtCellError, BrtFmlaError
                scan.errors[(row, col)] = BINARY_ERRORS.get(payload[8], "#WERT!")
        elif typ == 0xB0 and len(payload) >= 16:  # BrtMergeCell: first row, last row, first col, last col
            r1, r2, c1, c2 = (int.from_bytes(payload[i : i + 4], "little") for i in (0, 4, 8, 12))
            scan.merges.add((r1 + 1, c1, r2 + 1, c2))
    return scan


def _scan_xls(path: Path) -> dict[str, SheetScan]:
    """The error cells of each sheet of an .xls: BOOLERR records with an error, and FORMULA records whose
    cached result is an error (BIFF8). A file olefile cannot open is left to calamine's message."""
    import olefile  # type: ignore[import-untyped]

    try:
        with olefile.OleFileIO(str(path)) as ole:
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                return {}
            data = ole.openstream(stream).read()
    except (OSError, ValueError, IndexError, TypeError, AssertionError):
        return {}  # damaged: calamine gives the German refusal
    scans: dict[str, SheetScan] = {}
    with contextlib.suppress(ValueError, IndexError):  # a damaged record: what was found so far is kept
        _walk_biff(data, scans)
    return scans


def _walk_biff(data: bytes, scans: dict[str, SheetScan]) -> None:
    offsets: dict[int, str] = {}
    scan: SheetScan | None = None
    biff8 = data[4:6] == b"\x00\x06"  # the first BOF's version: 0x0600 (BIFF8) or 0x0500 (BIFF5)
    position, end = 0, len(data)
    while position + 4 <= end:
        typ = int.from_bytes(data[position : position + 2], "little")
        size = int.from_bytes(data[position + 2 : position + 4], "little")
        body = data[position + 4 : position + 4 + size]
        if typ == 0x0809 and position in offsets:  # BOF of a sheet
            scan = scans.setdefault(offsets[position], SheetScan())
        elif typ == 0x0085 and len(body) >= 8:  # BOUNDSHEET: offset of the sheet's BOF, its name
            length = body[6]
            wide = biff8 and body[7] & 1
            start = 8 if biff8 else 7
            raw = body[start : start + length * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "cp1252", errors="replace")
            offsets[int.from_bytes(body[:4], "little")] = name
        elif scan is not None and typ in (0x0205, 0x0006) and len(body) >= 8:
            row, col = int.from_bytes(body[:2], "little") + 1, int.from_bytes(body[2:4], "little")
            if typ == 0x0205 and body[7] == 1:  # BOOLERR holding an error
                scan.errors[(row, col)] = BINARY_ERRORS.get(body[6], "#WERT!")
            elif typ == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
                scan.errors[(row, col)] = BINARY_ERRORS.get(body[8], "#WERT!")
        position += 4 + size
