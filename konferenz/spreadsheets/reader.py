"""Reading the spreadsheets staff hand over: the file formats (xlsx, CSV), finding the table and its header
row, and the data rows; what each column means is decided in ``konferenz.spreadsheets.columns``.

``read_table(path)`` returns a :class:`Table`: the sheet, the header row, one :class:`Column` per header
cell with the field it was matched to, and the non-empty data rows with their row number in the sheet.
It knows nothing about the database; the row rules (salutation, PLZ, duplicates …) are in
``konferenz.importing.rows`` and ``konferenz.importing.resolver``.

Files
    ``.xlsx``/``.xlsm`` are read with openpyxl in read-only mode (``values_only``, cached formula values);
    merged cells are taken from the sheet's XML, because the read-only reader does not report them.
    Anything else that is text is read as CSV: UTF-8 with or without BOM (UTF-16 with BOM, as Excel's
    "Unicode-Text" writes it), otherwise Windows-1252; the delimiter (``;``, ``,`` or tab) is detected,
    an Excel ``sep=;`` first line is honoured. The format is decided by the file's content, not its name.
    An OLE container (``D0 CF 11 E0``) is either an encrypted ``.xlsx`` or an old ``.xls``: refused with that
    reason. Every refusal is a ``UserError`` naming the file and the reason.

Finding the table
    Unless a sheet is named, the first visible sheet with a recognisable header row is taken (a notes sheet
    before or after it is ignored). The header row is the row among the first 20 in which most cells name
    a known field (at least two, or one that identifies a record: a name or an organisation). Title rows,
    "Stand:" lines, merged title cells and empty rows above it are skipped.

Data rows
    Empty rows are skipped. Vertically merged cells (an organisation merged over the rows of its people)
    are filled into every row of the range. Rows that are not data are reported as skipped, not read: a
    repeated header row, a section heading (one value in a cell merged across several columns; when it
    names a category, :attr:`DataRow.section` carries it to the rows below) and a footer line such as
    "Stand: 01.03.2025" or "Summe: 45".
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from konferenz.errors import UserError
from konferenz.spreadsheets.cells import CellValue, cell_text, is_empty
from konferenz.spreadsheets.columns import (
    HEADER_SEARCH_ROWS,
    Column,
    KnownHeaders,
    detect_columns,
    find_header_row,
)
from konferenz.text import collapse_spaces

#: CSV delimiters in the order they win a tie (German Excel writes ";")
DELIMITERS = (";", "\t", ",")


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
    #: "xlsx" or "csv"
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


# --- reading: common ------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def _refuse(path: Path, reason: str) -> UserError:
    return UserError(f"„{path.name}“ kann nicht gelesen werden: {reason}")


def _check_file(path: Path) -> bytes:
    if not path.exists():
        raise UserError(f"Die Datei „{path}“ gibt es nicht.")
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner, keine Tabelle.")
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except PermissionError as exc:
        raise _refuse(
            path, "keine Berechtigung (oder die Datei ist in einem anderen Programm geöffnet)."
        ) from exc
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from exc
    if not head:
        raise _refuse(path, "die Datei ist leer.")
    return head


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
    """Read the table of a spreadsheet file (see module docstring).

    ``header_row`` (1-based) overrides the detection. ``category_names`` tells whether a section heading
    names a category (then the rows below carry it in ``DataRow.section``). ``known_headers`` (header text
    → field, a saved profile) are recognised besides the synonyms. Raises ``UserError`` for a file that
    cannot be read as a table.
    """
    path = Path(path).expanduser()
    head = _check_file(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            path,
            "verschlüsselt oder altes Format (.xls). Bitte in Excel ohne Kennwort als Excel-Arbeitsmappe "
            "(.xlsx) speichern.",
        )
    if head.startswith(b"PK\x03\x04"):
        try:
            return _read_xlsx(
                path,
                sheet=sheet,
                header_row=header_row,
                progress=progress,
                cancelled=cancelled,
                category_names=category_names,
                known_headers=known_headers,
            )
        except (zlib.error, zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
            # damage inside the zip package that shows only when a part is decompressed (read-only mode
            # reads the sheets lazily, so this can come while the rows are read)
            raise _refuse(path, "die Excel-Datei ist beschädigt oder unvollständig.") from exc
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise _refuse(path, "das ist keine Tabelle (Excel .xlsx/.xlsm oder CSV).")
    if sheet is not None:
        raise UserError(f"„{path.name}“ ist eine CSV-Datei und hat keine Blätter (--sheet weglassen).")
    return _read_csv(
        path, header_row=header_row, progress=progress, cancelled=cancelled, known_headers=known_headers
    )


def _build_table(
    path: Path,
    *,
    kind: str,
    sheet: str | None,
    sheet_names: list[str],
    top: list[tuple[int, Sequence[CellValue]]],
    rest: Iterator[tuple[int, Sequence[CellValue]]],
    header_row: int | None,
    merges: _Merges | None,
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
    rows: list[DataRow] = []
    skipped: list[SkippedRow] = []
    section = ""

    wide = merges.wide_rows if merges is not None else set()
    for count, (number, values) in enumerate(itertools.chain(top[index + 1 :], rest), start=1):
        if count % 1000 == 0:
            if cancelled is not None and cancelled():
                raise UserError("Abgebrochen – es wurde nichts eingelesen.")
            if progress is not None:
                progress(min(count, total_hint), max(total_hint, count))
        non_data = _non_data_reason(values, header_texts, wide, number)
        if non_data is not None:
            reason, text = non_data
            if not reason:
                continue
            if reason == "Zwischenüberschrift":
                section = text if category_names is not None and category_names(text) else ""
            skipped.append(SkippedRow(number, f"{reason}: „{text}“" if text else reason))
            continue
        rows.append(DataRow(number, values, section))
    return Table(path, kind, sheet, sheet_names, header_number, columns, rows, skipped)


# --- xlsx ------------------------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


@dataclass
class _Merges:
    """Merged ranges of a sheet: which rows get values from the range's top-left cell."""

    #: row number → list of (column, source row): the column is filled from the source row's cell
    rows: dict[int, list[tuple[int, int]]]
    #: rows holding a range that spans several columns (section headings)
    wide_rows: set[int]
    #: values of the top-left cells, recorded as the rows go by: (row, col) → value
    sources: dict[tuple[int, int], CellValue] = field(default_factory=dict)

    def fill(self, number: int, values: Sequence[CellValue]) -> Sequence[CellValue]:
        """The row's values with merged cells filled from the range's top-left cell (first column only:
        a range that is also wide does not copy its value into the neighbouring columns)."""
        out = list(values)
        for col, source_row in self.rows.get(number, ()):
            if source_row == number:
                if col < len(out):
                    self.sources[(number, col)] = out[col]
                continue
            value = self.sources.get((source_row, col))
            if value is None:
                continue
            if len(out) <= col:
                out.extend([None] * (col + 1 - len(out)))
            if out[col] is None:
                out[col] = value
        return out

    def apply(
        self, rows: Iterator[tuple[int, Sequence[CellValue]]]
    ) -> Iterator[tuple[int, Sequence[CellValue]]]:
        for number, values in rows:
            yield number, (self.fill(number, values) if number in self.rows else values)


def _read_merges(archive: zipfile.ZipFile, member: str) -> _Merges | None:
    try:
        data = archive.read(member)
    except KeyError:
        return None
    start = data.rfind(b"<mergeCells")
    if start < 0:
        start = data.rfind(b":mergeCells")
    if start < 0:
        return None
    rows: dict[int, list[tuple[int, int]]] = {}
    wide: set[int] = set()
    for m in _MERGE.finditer(data, start):
        c1, r1, c2, r2 = (
            _column_index(m.group(1)),
            int(m.group(2)),
            _column_index(m.group(3)),
            int(m.group(4)),
        )
        if c2 > c1:
            wide.add(r1)
        if r2 > r1:
            # vertical merges are filled down; the source row itself records the value
            for r in range(r1, r2 + 1):
                rows.setdefault(r, []).append((c1, r1))
    return _Merges(rows, wide)


def _read_xlsx(
    path: Path,
    *,
    sheet: str | None,
    header_row: int | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    category_names: Callable[[str], bool] | None,
    known_headers: KnownHeaders | None,
) -> Table:
    import warnings

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as probe:
            names = set(probe.namelist())
            if "mimetype" in names and b"opendocument" in probe.read("mimetype"):
                raise _refuse(
                    path,
                    "OpenDocument-Tabellen (.ods) werden nicht gelesen. Bitte in LibreOffice als "
                    "Excel-Arbeitsmappe (.xlsx) speichern.",
                )
            if "xl/workbook.xml" not in names:
                raise _refuse(path, "das ist keine Excel-Arbeitsmappe (.xlsx/.xlsm) und keine CSV-Datei.")
        with warnings.catch_warnings():
            # openpyxl warns about data validation, conditional formats … it does not read: irrelevant here
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except UserError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise _refuse(path, "die Excel-Datei ist beschädigt oder unvollständig.") from exc
    except Exception as exc:  # lxml/ElementTree parse errors and other damage inside the package
        if type(exc).__name__ in ("ParseError", "XMLSyntaxError", "InvalidFileException"):
            raise _refuse(path, "die Excel-Datei ist beschädigt oder unvollständig.") from exc
        raise
    try:
        sheet_names = list(wb.sheetnames)
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
            candidates = [
                ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
            ]
        any_data = False
        for name in candidates:
            ws = wb[name]
            try:
                total_hint = int(ws.max_row or 0)
            except (TypeError, ValueError):
                total_hint = 0
            ws.reset_dimensions()  # a wrong <dimension> in files from other programs would cut columns
            member = getattr(ws, "_worksheet_path", None)
            merges = _read_merges(wb._archive, member) if isinstance(member, str) else None  # type: ignore[attr-defined]
            values_iter = cast(Iterator[Sequence[CellValue]], ws.iter_rows(min_row=1, values_only=True))
            numbered: Iterator[tuple[int, Sequence[CellValue]]] = enumerate(values_iter, start=1)
            if merges is not None:
                numbered = merges.apply(numbered)
            top: list[tuple[int, Sequence[CellValue]]] = []
            for number, values in numbered:
                top.append((number, values))
                if number >= HEADER_SEARCH_ROWS:
                    break
            if any(not is_empty(v) for _, v in top):
                any_data = True
            table = _build_table(
                path,
                kind="xlsx",
                sheet=name,
                sheet_names=sheet_names,
                top=top,
                rest=numbered,
                header_row=header_row,
                merges=merges,
                progress=progress,
                cancelled=cancelled,
                total_hint=total_hint,
                category_names=category_names,
                known_headers=known_headers,
            )
            if table is not None:
                return table
        if not any_data:
            raise _refuse(
                path, "die Tabelle ist leer." if sheet is None else f"das Blatt „{candidates[0]}“ ist leer."
            )
        where = f"im Blatt „{candidates[0]}“ " if sheet is not None else "in keinem Blatt "
        raise _refuse(
            path,
            f"keine Kopfzeile erkannt ({where}stehen in den ersten {HEADER_SEARCH_ROWS} Zeilen Spalten wie "
            "Nachname, Vorname, Organisation, E-Mail).",
        )
    finally:
        wb.close()


# --- csv ---------------------------------------------------------------------------------------------------


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _refuse(path, "die Textkodierung (UTF-16) ist beschädigt.") from exc
    if b"\x00" in data[:8192]:
        raise _refuse(path, "das ist keine Tabelle (Excel .xlsx/.xlsm oder CSV).")
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
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return control > len(sample) // 50


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
    *,
    header_row: int | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    known_headers: KnownHeaders | None,
) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from exc
    text, encoding = decode_text(path, data)
    if _looks_binary(text):
        raise _refuse(path, "das ist keine Tabelle (Excel .xlsx/.xlsm oder CSV).")
    if not text.strip():
        raise _refuse(path, "die Datei ist leer.")
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
            raise _refuse(path, f"Zeile {previous_end + 1 + offset}: {exc}.") from exc

    rows = numbered()
    top: list[tuple[int, Sequence[CellValue]]] = []
    for number, values in rows:
        top.append((number, values))
        if len(top) >= HEADER_SEARCH_ROWS or number >= HEADER_SEARCH_ROWS:
            break
    total_hint = text.count("\n") + 1
    table = _build_table(
        path,
        kind="csv",
        sheet=None,
        sheet_names=[],
        top=top,
        rest=rows,
        header_row=header_row,
        merges=None,
        progress=progress,
        cancelled=cancelled,
        total_hint=total_hint,
        category_names=None,
        known_headers=known_headers,
    )
    if table is None:
        if all(is_empty(v) for _, v in top):
            raise _refuse(path, "die Datei ist leer.")
        raise _refuse(
            path,
            f"keine Kopfzeile erkannt (in den ersten {HEADER_SEARCH_ROWS} Zeilen keine Spalten wie "
            "Nachname, Vorname, Organisation, E-Mail).",
        )
    table.encoding = encoding
    table.delimiter = delimiter
    return table


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
