"""Real workbook files in every format staff receive, built here: .xls (Excel 97–2003, written with xlwt),
.ods (OpenDocument, the XML LibreOffice writes), .xlsb (Excel binary workbook, the records of MS-XLSB),
and hostile files (zip bombs, a cell at XFD1048576, repeated cells, damaged packages)."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

Cell = str | int | float | None

HEADER = ["Anrede", "Vorname", "Nachname", "Organisation", "Straße", "PLZ", "Ort", "E-Mail"]
#: people in several scripts: (row values); the first is the one "Ayşe Öztürk" of DOMAIN.md
PEOPLE: list[list[Cell]] = [
    ["Frau", "Ayşe", "Öztürk", "Türkischer Elternverein Borken e. V.", "Bahnhofstraße 12", "46325", "Borken",
     "a.oeztuerk@example.org"],
    ["Herr", "محمد", "العلي", "Arabischer Kulturverein", "Markt 3", "48683", "Ahaus", "m.alali@example.org"],
    ["Frau", "Ольга", "Иванова", "Deutsch-Russischer Verein", "Kirchplatz 7", "46395", "Bocholt",
     "o.ivanova@example.org"],
    ["Herr", "Nguyễn Văn", "Minh", "Vietnamesische Gemeinde", "Lindenweg 1", "48691", "Vreden",
     "minh@example.org"],
]  # fmt: skip


def people_rows() -> list[list[Cell]]:
    """Header and people, fresh lists (a test may change them)."""
    return [list(HEADER), *(list(p) for p in PEOPLE)]


# --- .xls ----------------------------------------------------------------------------------------------


def write_xls(
    path: Path, rows: Sequence[Sequence[Cell]], *, merges: Sequence[tuple[int, int, int, int]] = ()
) -> Path:
    """An Excel 97–2003 workbook (BIFF8). ``merges``: (first row, last row, first col, last col), 0-based;
    the merged range holds the value of its top-left cell. A text of :data:`XLSB_ERRORS` is an error cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Adressen")
    merged = {(r1, c1): (r2, c2) for r1, r2, c1, c2 in merges}
    covered = {
        (r, c)
        for (r1, c1), (r2, c2) in merged.items()
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            if (r, c) in merged:
                r2, c2 = merged[(r, c)]
                sheet.write_merge(r, r2, c, c2, value)
            elif isinstance(value, str) and value in XLSB_ERRORS:  # an error cell (BOOLERR), as Excel writes
                sheet.row(r).set_cell_error(c, XLSB_ERRORS[value])  # the code: xlwt's names are off
            elif value is not None:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


# --- .ods ----------------------------------------------------------------------------------------------

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.3"><office:body><office:spreadsheet>'
)
_ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_cell(value: Cell, *, columns_spanned: int = 1, rows_spanned: int = 1, error: str = "") -> str:
    span = ""
    if columns_spanned > 1:
        span += f' table:number-columns-spanned="{columns_spanned}"'
    if rows_spanned > 1:
        span += f' table:number-rows-spanned="{rows_spanned}"'
    if error:  # as LibreOffice writes a formula whose result is an error
        return (
            f'<table:table-cell table:formula="of:=NA()" office:value-type="float" office:value="0" '
            f'calcext:value-type="error"{span}><text:p>{escape(error)}</text:p></table:table-cell>'
        )
    if value is None or value == "":
        return f"<table:table-cell{span}/>"
    if isinstance(value, (int, float)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{span}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string" calcext:value-type="string"{span}>'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def ods_table(name: str, rows_xml: Sequence[str], *, formatted_tail: bool = True) -> str:
    """A table; ``formatted_tail`` adds what LibreOffice writes after the last row of a formatted sheet
    (a million repeated empty rows of 1024 repeated cells)."""
    tail = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        if formatted_tail
        else ""
    )
    return (
        f"<table:table table:name={quoteattr(name)}>"
        '<table:table-column table:number-columns-repeated="1024"/>'
        + "".join(rows_xml)
        + tail
        + "</table:table>"
    )


def ods_rows(rows: Sequence[Sequence[Cell]]) -> list[str]:
    return ["<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>" for row in rows]


def write_ods(
    path: Path, tables_xml: Sequence[str] | None = None, rows: Sequence[Sequence[Cell]] = ()
) -> Path:
    """An OpenDocument spreadsheet: either the given tables' XML or one table "Adressen" of ``rows``."""
    tables = list(tables_xml) if tables_xml is not None else [ods_table("Adressen", ods_rows(rows))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", _MANIFEST)
        zf.writestr("content.xml", _ODS_HEAD + "".join(tables) + _ODS_TAIL)
    return path


# --- .xlsb ---------------------------------------------------------------------------------------------


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _record(typ: int, payload: bytes = b"") -> bytes:
    """A BIFF12 record: its type (1–2 bytes of 7 bits) and size (1–4 bytes of 7 bits), then the payload."""
    kind = bytes([typ]) if typ < 0x80 else bytes([(typ & 0x7F) | 0x80, typ >> 7])
    return kind + _varint(len(payload)) + payload


def _wide(text: str) -> bytes:
    data = text.encode("utf-16-le")
    return struct.pack("<I", len(data) // 2) + data


#: BrtCellError codes (MS-XLSB 2.5.97.2)
XLSB_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#N/A": 0x2A}


def write_xlsb(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    sheet: str = "Adressen",
    merges: Sequence[tuple[int, int, int, int]] = (),
) -> Path:
    """An Excel binary workbook with one sheet: strings inline (BrtCellSt), numbers as BrtCellReal, and a
    text that is one of :data:`XLSB_ERRORS` as an error cell (BrtCellError). ``merges`` as for
    :func:`write_xls` (0-based first row, last row, first col, last col)."""
    workbook = (
        _record(0x83)  # BrtBeginBook
        + _record(0x8F)  # BrtBeginBundleShs
        + _record(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide(sheet))  # BrtBundleSh
        + _record(0x90)  # BrtEndBundleShs
        + _record(0x84)  # BrtEndBook
    )
    width = max((len(r) for r in rows), default=1)
    body = bytearray(_record(0x81))  # BrtBeginSheet
    body += _record(0x94, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, max(width - 1, 0)))  # BrtWsDim
    body += _record(0x91)  # BrtBeginSheetData
    for r, row in enumerate(rows):
        body += _record(0x00, struct.pack("<IIHBBI", r, 0, 300, 0, 0, 0))  # BrtRowHdr
        for c, value in enumerate(row):
            cell = struct.pack("<II", c, 0)
            if value is None or value == "":
                continue
            if isinstance(value, str) and value in XLSB_ERRORS:
                body += _record(0x03, cell + bytes([XLSB_ERRORS[value]]))
            elif isinstance(value, (int, float)):
                body += _record(0x05, cell + struct.pack("<d", float(value)))
            else:
                body += _record(0x06, cell + _wide(str(value)))
    body += _record(0x92)  # BrtEndSheetData
    if merges:
        body += _record(0xB1, struct.pack("<I", len(merges)))  # BrtBeginMergeCells
        for r1, r2, c1, c2 in merges:
            body += _record(0xB0, struct.pack("<IIII", r1, r2, c1, c2))  # BrtMergeCell
        body += _record(0xB2)  # BrtEndMergeCells
    body += _record(0x82)  # BrtEndSheet
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.bin"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.bin", workbook)
        zf.writestr("xl/_rels/workbook.bin.rels", rels)
        zf.writestr("xl/worksheets/sheet1.bin", bytes(body))
    return path


# --- hostile packages ----------------------------------------------------------------------------------


def honest_bomb(path: Path, size: int = 600 * 2**20) -> Path:
    """A 1 MB .xlsx whose sheet honestly claims to unpack to ``size`` bytes (beyond the cap)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b" " * (1 << 20)
            for _ in range(size // len(block)):
                part.write(block)
    return path


def _zip_by_hand(members: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of (name, deflated data, claimed size, claimed CRC) members, written record by record
    (so the claimed sizes can lie)."""
    out = bytearray()
    central = bytearray()
    for name, data, size, crc in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0,
            0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def lying_bomb(path: Path, real: int = 64 * 2**20) -> Path:
    """A .xlsx whose sheet says it unpacks to 2 KB but unpacks to ``real`` bytes."""
    workbook = b"<workbook/>"
    sheet = b"<worksheet>" + b" " * real
    path.write_bytes(
        _zip_by_hand(
            [
                ("xl/workbook.xml", _deflate(workbook), len(workbook), zlib.crc32(workbook)),
                ("xl/worksheets/sheet1.xml", _deflate(sheet), 2048, zlib.crc32(sheet[:2048])),
            ]
        )
    )
    return path
