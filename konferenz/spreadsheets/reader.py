"""Reading the lists staff hand over, whatever the format: the file is identified by its content
(:mod:`konferenz.spreadsheets.sniff`), workbooks are read by :mod:`konferenz.spreadsheets.workbooks`
(python-calamine), vCards by :mod:`konferenz.spreadsheets.vcards`, and text tables (CSV, TSV, TXT) here.
What each column means is decided in :mod:`konferenz.spreadsheets.columns`; the table, its header row and
its data rows are built by :mod:`konferenz.spreadsheets.table`.

``read_table(path)`` returns a :class:`~konferenz.spreadsheets.table.Table`. It knows nothing about the
database; the row rules (salutation, PLZ, duplicates …) are in ``konferenz.importing.rows`` and
``konferenz.importing.resolver``. Every refusal is a ``UserError`` naming the file and the reason.

Text tables
    UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode-Text") or without (recognised by its
    NUL bytes), otherwise Windows-1252; the delimiter (``;``, tab or ``,``) is detected, an Excel ``sep=;``
    first line is honoured. A field may be as long as the file (a long note); the file may be up to
    :data:`~konferenz.spreadsheets.sniff.MAX_FILE` bytes.

Finding the table
    Unless a sheet is named, the first visible sheet with a recognisable header row is taken (a notes sheet
    before or after it is ignored). The header row is the row among the first 20 in which most cells name
    a known field (at least two, or one that identifies a record: a name or an organisation). Title rows,
    "Stand:" lines, merged title cells and empty rows above it are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from konferenz.errors import UserError
from konferenz.spreadsheets.cells import CellValue, is_empty
from konferenz.spreadsheets.columns import HEADER_SEARCH_ROWS, KnownHeaders
from konferenz.spreadsheets.sniff import MAX_FILE, NOT_A_TABLE, identify, refuse
from konferenz.spreadsheets.table import Cancelled, Progress, Table, build_table
from konferenz.spreadsheets.vcards import read_vcard_table

#: CSV delimiters in the order they win a tie (German Excel writes ";")
DELIMITERS = (";", "\t", ",")


def read_table(
    path: Path | str,
    sheet: str | None = None,
    *,
    header_row: int | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    category_names: Callable[[str], bool] | None = None,
    known_headers: KnownHeaders | None = None,
) -> Table:
    """Read the table of a spreadsheet, text table or vCard file (see module docstring).

    ``header_row`` (1-based) overrides the detection. ``category_names`` tells whether a section heading
    names a category (then the rows below carry it in ``DataRow.section``). ``known_headers`` (header text
    → field, a saved profile) are recognised besides the synonyms. Raises ``UserError`` for a file that
    cannot be read as a table.
    """
    path = Path(path).expanduser()
    kind = identify(path)
    if kind in ("xlsx", "xlsb", "xls", "ods"):
        from konferenz.spreadsheets.workbooks import read_workbook

        return read_workbook(
            path,
            kind,
            sheet=sheet,
            header_row=header_row,
            progress=progress,
            cancelled=cancelled,
            category_names=category_names,
            known_headers=known_headers,
        )
    if sheet is not None:
        what = "eine vCard-Datei" if kind == "vcf" else "eine Textdatei"
        raise UserError(f"„{path.name}“ ist {what} und hat keine Blätter (--sheet weglassen).")
    text, encoding = _read_text(path)
    if kind == "vcf":
        return read_vcard_table(path, text, known_headers=known_headers)
    return _read_csv(
        path,
        text,
        encoding,
        header_row=header_row,
        progress=progress,
        cancelled=cancelled,
        known_headers=known_headers,
    )


# --- csv ---------------------------------------------------------------------------------------------------


def _read_text(path: Path) -> tuple[str, str]:
    try:
        if path.stat().st_size > MAX_FILE:
            raise refuse(
                path,
                f"die Datei ist größer als {MAX_FILE // 2**20} MB. Bitte die Liste teilen.",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(path, f"{exc.strerror or 'Lesefehler'}.") from exc
    text, encoding = decode_text(path, data)
    if _looks_binary(text):
        raise refuse(path, NOT_A_TABLE)
    if not text.strip():
        raise refuse(path, "die Datei ist leer.")
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of UTF-16 text without a byte order mark (NUL in every second byte), or None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with or without BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise refuse(path, "die Textkodierung (UTF-16) ist beschädigt.") from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # five bytes are undefined in Windows-1252; Latin-1 reads every byte
        return data.decode("latin-1"), "latin-1"


def _looks_binary(text: str) -> bool:
    """Whether the text is a binary file's bytes: control characters in more than a tenth of its start (a
    few in a text table – a NUL from a database export – are removed row by row, with a note)."""
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or "\x7f" <= ch <= "\x9f")
    return control > len(sample) // 10 + 8


def detect_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the most lines into the same number (≥ 2) of fields."""
    best, best_score = DELIMITERS[0], (-1, -1)
    sample = "\n".join(lines)
    for delimiter in DELIMITERS:
        counts: dict[int, int] = {}
        for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if len(row) >= 2:
                counts[len(row)] = counts.get(len(row), 0) + 1
        if not counts:
            continue
        width, lines_with_width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (lines_with_width, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(
    path: Path,
    text: str,
    encoding: str,
    *,
    header_row: int | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    known_headers: KnownHeaders | None,
) -> Table:
    # a long note in a cell is data, not damage: a field may be as long as the file
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE))
    first_line_end = text.find("\n")
    first_line = text[: first_line_end if first_line_end >= 0 else len(text)].strip()
    offset = 0
    sep_hint = re.fullmatch(r'"?sep=(.)"?', first_line)
    if sep_hint:
        delimiter = sep_hint.group(1)
        text = text[first_line_end + 1 :] if first_line_end >= 0 else ""
        offset = 1
    else:
        delimiter = detect_delimiter(text.splitlines()[:50])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, Sequence[CellValue]]]:
        previous_end = 0
        try:
            for row in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                yield start + offset, row
        except csv.Error as exc:
            raise refuse(
                path, f"Zeile {previous_end + 1 + offset}: die Zeile ist keine gültige CSV-Zeile."
            ) from exc

    rows = numbered()
    top: list[tuple[int, Sequence[CellValue]]] = []
    for number, values in rows:
        top.append((number, values))
        if len(top) >= HEADER_SEARCH_ROWS or number >= HEADER_SEARCH_ROWS:
            break
    total_hint = text.count("\n") + 1
    table = build_table(
        path,
        kind="csv",
        sheet=None,
        sheet_names=[],
        top=top,
        rest=rows,
        header_row=header_row,
        wide_rows=set(),
        progress=progress,
        cancelled=cancelled,
        total_hint=total_hint,
        category_names=None,
        known_headers=known_headers,
    )
    if table is None:
        if all(is_empty(v) for _, v in top):
            raise refuse(path, "die Datei ist leer.")
        raise refuse(
            path,
            f"keine Kopfzeile erkannt (in den ersten {HEADER_SEARCH_ROWS} Zeilen keine Spalten wie "
            "Nachname, Vorname, Organisation, E-Mail).",
        )
    table.encoding = encoding
    table.delimiter = delimiter
    return table
