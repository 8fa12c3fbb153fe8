"""Reading the spreadsheets staff hand over: finding the table, its header row and what each column means.

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

Column mapping
    Header texts are compared after :func:`header_key` (``konferenz.text.fold`` without punctuation and
    spaces), so case, umlaut spelling, hyphens, dots and slashes do not matter: "E-Mail", "e-mail",
    "EMail" and "E-Mail-Adresse" all mean ``email``. A header with a qualifier in brackets or a trailing
    "privat"/"dienstlich" is matched by its core ("Telefon (dienstlich)"). A field is taken by the first
    column that names it; later columns for the same field stay unmapped (except notes, which collect
    several columns). "Name" next to a "Vorname" column means the last name; alone it is the whole name.
    A saved mapping (``known_headers``, an import profile) is recognised besides the synonyms, so a list
    whose headers no synonym knows is found once its profile is saved.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from konferenz.errors import UserError
from konferenz.text import collapse_spaces, fold

#: the header row is searched in this many rows at the top of a sheet
HEADER_SEARCH_ROWS = 20
#: CSV delimiters in the order they win a tie (German Excel writes ";")
DELIMITERS = (";", "\t", ",")

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None

# --- fields and their header synonyms ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    name: str
    #: German label shown in the mapping editor
    label: str
    synonyms: tuple[str, ...]


#: every field a column can be mapped to, with the header texts that mean it (German and English)
FIELDS: tuple[FieldInfo, ...] = (
    FieldInfo(
        "id",
        "ID (Nummer aus diesem Programm)",
        (
            "ID",
            "Kennung",
            "Datensatz-ID",
            "Datensatznummer",
            "Personen-ID",
            "Person-ID",
            "Organisations-ID",
            "Record ID",
        ),
    ),
    FieldInfo(
        "gender",
        "Anrede (Frau/Herr)",
        ("Anrede", "Geschlecht", "Herr/Frau", "Frau/Herr", "Salutation", "Gender", "Sex"),
    ),
    FieldInfo(
        "title",
        "Titel",
        (
            "Titel",
            "Akad. Titel",
            "Akademischer Titel",
            "Akademischer Grad",
            "Grad",
            "Title",
            "Academic title",
        ),
    ),
    FieldInfo(
        "first_name", "Vorname", ("Vorname", "Vornamen", "Rufname", "First name", "Firstname", "Given name")
    ),
    FieldInfo(
        "name_prefix",
        "Namenszusatz (von, van der …)",
        ("Namenszusatz", "Namensvorsatz", "Vorsatzwort", "Präfix"),
    ),
    FieldInfo(
        "last_name",
        "Nachname",
        ("Nachname", "Familienname", "Zuname", "Last name", "Lastname", "Surname", "Family name"),
    ),
    FieldInfo(
        "name",
        "Name (Vor- und Nachname)",
        (
            "Name",
            "Person",
            "Teilnehmer",
            "Teilnehmerin",
            "Teilnehmer/in",
            "Teilnehmer:in",
            "TeilnehmerIn",
            "Teilnehmende",
            "Ansprechpartner",
            "Ansprechpartnerin",
            "Ansprechpartner/in",
            "Ansprechpartner:in",
            "Ansprechperson",
            "Kontaktperson",
            "Contact",
        ),
    ),
    FieldInfo(
        "last_first",
        "Name, Vorname (kombiniert)",
        ("Name, Vorname", "Nachname, Vorname", "Familienname, Vorname", "Name Vorname", "Nachname Vorname"),
    ),
    FieldInfo(
        "first_last",
        "Vorname Name (kombiniert)",
        (
            "Vorname Name",
            "Vorname Nachname",
            "Vorname, Name",
            "Vorname, Nachname",
            "Vor- und Nachname",
            "Vor- und Zuname",
            "Vollständiger Name",
            "Full name",
        ),
    ),
    FieldInfo(
        "custom_salutation",
        "Briefanrede",
        ("Briefanrede", "Anrede im Brief", "Persönliche Anrede", "Anredezeile", "Briefanrede (individuell)"),
    ),
    FieldInfo(
        "function",
        "Funktion",
        (
            "Funktion",
            "Position",
            "Rolle",
            "Dienstbezeichnung",
            "Stellung",
            "Aufgabe",
            "Function",
            "Job title",
        ),
    ),
    FieldInfo(
        "role_function",
        "Funktion in der Organisation",
        ("Funktion in der Organisation", "Rolle in der Organisation", "Funktion (Organisation)"),
    ),
    FieldInfo(
        "organisation",
        "Organisation",
        (
            "Organisation",
            "Organisationen",
            "Organization",
            "Institution",
            "Einrichtung",
            "Träger",
            "Verein",
            "Verband",
            "Firma",
            "Behörde",
            "Dienststelle",
            "Unternehmen",
            "Arbeitgeber",
            "Name der Organisation",
            "Organisation/Institution",
            "Institution/Organisation",
            "Träger/Einrichtung",
            "Einrichtung/Träger",
            "Verein/Organisation",
            "Organisation/Verein",
            "Company",
        ),
    ),
    FieldInfo(
        "department",
        "Abteilung",
        ("Abteilung", "Fachbereich", "Fachdienst", "Sachgebiet", "Referat", "Department"),
    ),
    FieldInfo("short_name", "Kurzname", ("Kurzname", "Kürzel", "Abkürzung", "Kurzbezeichnung", "Short name")),
    FieldInfo(
        "street",
        "Straße und Hausnummer",
        (
            "Straße",
            "Str.",
            "Straße und Hausnummer",
            "Straße/Hausnummer",
            "Straße/Nr.",
            "Straße Nr.",
            "Straße, Nr.",
            "Straße + Nr.",
            "Adresse",
            "Anschrift",
            "Hausanschrift",
            "Postanschrift",
            "Address",
            "Street",
        ),
    ),
    FieldInfo("house_number", "Hausnummer", ("Hausnummer", "Hausnr.", "Haus-Nr.", "Hnr.", "House number")),
    FieldInfo("po_box", "Postfach", ("Postfach", "PF", "P.O. Box", "PO Box")),
    FieldInfo("postal_code", "PLZ", ("PLZ", "Postleitzahl", "Zip", "ZIP code", "Postal code", "Postcode")),
    FieldInfo("city", "Ort", ("Ort", "Wohnort", "Stadt", "City", "Town")),
    FieldInfo(
        "postal_city",
        "PLZ Ort (kombiniert)",
        ("PLZ Ort", "PLZ/Ort", "PLZ und Ort", "PLZ, Ort", "Postleitzahl Ort", "Postleitzahl und Ort"),
    ),
    FieldInfo("country", "Land", ("Land", "Staat", "Country")),
    FieldInfo(
        "email",
        "E-Mail",
        (
            "E-Mail",
            "Mail",
            "E-Mail-Adresse",
            "Mailadresse",
            "Mail-Adresse",
            "Email address",
            "Elektronische Post",
        ),
    ),
    FieldInfo(
        "phone",
        "Telefon",
        (
            "Telefon",
            "Tel.",
            "Telefonnummer",
            "Tel.-Nr.",
            "Telefon-Nr.",
            "Rufnummer",
            "Fon",
            "Festnetz",
            "Phone",
            "Telephone",
        ),
    ),
    FieldInfo(
        "mobile",
        "Mobiltelefon",
        ("Mobil", "Mobiltelefon", "Handy", "Handynummer", "Mobilnummer", "Mobilfunk", "Mobil-Nr.", "Mobile"),
    ),
    FieldInfo(
        "category",
        "Kategorie",
        (
            "Kategorie",
            "Gruppe",
            "Zielgruppe",
            "Gruppierung",
            "Art der Organisation",
            "Organisationsart",
            "Organisationstyp",
            "Category",
            "Group",
        ),
    ),
    FieldInfo(
        "municipality",
        "Kommune",
        ("Kommune", "Gemeinde", "Stadt/Gemeinde", "Kreiskommune", "Kommune im Kreis", "Municipality"),
    ),
    FieldInfo(
        "website",
        "Internetseite",
        ("Internetseite", "Internet", "Internetadresse", "Homepage", "Webseite", "Website", "Web", "URL"),
    ),
    FieldInfo(
        "notes",
        "Notiz",
        (
            "Notiz",
            "Notizen",
            "Bemerkung",
            "Bemerkungen",
            "Anmerkung",
            "Anmerkungen",
            "Kommentar",
            "Kommentare",
            "Hinweis",
            "Hinweise",
            "Sonstiges",
            "Info",
            "Notes",
            "Note",
            "Comment",
            "Comments",
            "Remarks",
        ),
    ),
    FieldInfo(
        "tags", "Schlagwörter", ("Schlagwörter", "Schlagwort", "Schlagworte", "Stichworte", "Tags", "Tag")
    ),
    FieldInfo("legal_basis", "Rechtsgrundlage", ("Rechtsgrundlage", "Legal basis")),
)

FIELD_BY_NAME: dict[str, FieldInfo] = {f.name: f for f in FIELDS}
#: fields that name a record on their own: a header row must contain at least one of them
IDENTIFYING_FIELDS = frozenset({"last_name", "name", "last_first", "first_last", "organisation"})
#: fields of a person (a row with one of them filled is about a person)
PERSON_NAME_FIELDS = frozenset({"last_name", "first_name", "name", "last_first", "first_last"})
#: fields several columns may be mapped to (their values are collected)
MULTI_FIELDS = frozenset({"notes"})

_NON_ALNUM = re.compile(r"[\W_]+")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: qualifiers after a header's core that do not change its meaning ("Telefon dienstlich", "E-Mail 1")
_QUALIFIERS = ("dienstlich", "privat", "geschaftlich", "buro", "1")


def header_key(text: str) -> str:
    """The comparison key of a header text: folded, without spaces and punctuation ("E-Mail" → "email")."""
    return _NON_ALNUM.sub("", fold(text))


_SYNONYMS: dict[str, str] = {}
for _info in FIELDS:
    for _synonym in (_info.name, _info.label, *_info.synonyms):
        _SYNONYMS.setdefault(header_key(_synonym), _info.name)
# a header of the exported registry ("Namenszusatz", "Funktion in der Organisation") must win over a
# shorter synonym, so labels are registered for their own field above; these are exact texts only


def field_for_header(text: str) -> str | None:
    """The field a header text names, or None."""
    key = header_key(text)
    if not key:
        return None
    found = _SYNONYMS.get(key)
    if found is not None:
        return found
    core = header_key(_BRACKETS.sub(" ", fold(text)))
    if core and core != key:
        found = _SYNONYMS.get(core)
        if found is not None:
            return found
    for qualifier in _QUALIFIERS:
        if core.endswith(qualifier) and len(core) > len(qualifier) + 2:
            found = _SYNONYMS.get(core[: -len(qualifier)])
            if found is not None:
                return found
    return None


# --- the table ------------------------------------------------------------------------------------------


@dataclass
class Column:
    """One column of the header row and the field it is mapped to (None: not imported)."""

    index: int
    header: str
    field: str | None

    @property
    def field_label(self) -> str:
        return FIELD_BY_NAME[self.field].label if self.field else "– nicht übernehmen –"


@dataclass(slots=True)
class DataRow:
    """A non-empty data row: its 1-based row number in the sheet (line number in a CSV) and its values."""

    excel_row: int
    values: Sequence[CellValue]
    #: the section heading above this row (a merged heading row), if any
    section: str = ""


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


# --- cell values -----------------------------------------------------------------------------------------


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


def _is_empty(values: Sequence[CellValue]) -> bool:
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if v and not v.isspace():
                return False
            continue
        return False
    return True


# --- header detection ------------------------------------------------------------------------------------


KnownHeaders = Mapping[str, str | None]


def _field(text: str, known: KnownHeaders | None) -> str | None:
    """The field of a header text: a saved mapping (profile) first, then the synonyms."""
    if known:
        key = header_key(text)
        for header, name in known.items():
            if header_key(header) == key:
                return name
    return field_for_header(text)


def detect_columns(header: Sequence[CellValue], known: KnownHeaders | None = None) -> list[Column]:
    """Columns of a header row with the fields their texts name (see module docstring); ``known`` are
    header texts with their fields from a saved mapping."""
    columns: list[Column] = []
    taken: set[str] = set()
    for index, value in enumerate(header):
        text = value if isinstance(value, str) else ""
        text = collapse_spaces(text)
        name = _field(text, known) if text else None
        if name is not None and name in taken and name not in MULTI_FIELDS:
            name = None
        if name is not None:
            taken.add(name)
        columns.append(Column(index, text if text else cell_text(value), name))
    return resolve_name_columns(columns)


def resolve_name_columns(columns: list[Column]) -> list[Column]:
    """ "Name" next to a first-name column is the last name."""
    fields = {c.field for c in columns}
    if "name" in fields and "first_name" in fields and "last_name" not in fields:
        for c in columns:
            if c.field == "name":
                c.field = "last_name"
    return columns


def _header_score(values: Sequence[CellValue], known: KnownHeaders | None = None) -> int:
    fields = {_field(v, known) for v in values if isinstance(v, str) and v.strip()}
    fields.discard(None)
    if not fields & IDENTIFYING_FIELDS and not fields & {"email", "id"}:
        return 0
    if len(fields) < 2 and not fields & IDENTIFYING_FIELDS:
        return 0
    return len(fields)


def find_header_row(rows: Sequence[Sequence[CellValue]], known: KnownHeaders | None = None) -> int | None:
    """Index (0-based) of the header row among ``rows`` (the top of a sheet), or None."""
    best, best_score = None, 0
    for i, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _header_score(values, known)
        if score > best_score:
            best, best_score = i, score
    return best


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
            if any(not _is_empty(v) for _, v in top):
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
        if all(_is_empty(v) for _, v in top):
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
    if table.kind == "csv":
        encoding = {
            "utf-8": "UTF-8",
            "utf-8-sig": "UTF-8 mit BOM",
            "utf-16": "UTF-16",
            "cp1252": "Windows-1252",
        }.get(table.encoding or "", table.encoding or "")
        return f"CSV ({encoding}, {describe_delimiter(table.delimiter)}), Kopfzeile {table.header_row}"
    return f"Blatt „{table.sheet}“, Kopfzeile {table.header_row}"


def apply_mapping(
    columns: list[Column], mapping: Sequence[str | None] | dict[str, str | None]
) -> list[Column]:
    """Columns with the fields of ``mapping``: a list (per column) or header text → field (a profile).

    Unknown field names raise ``UserError``; header texts that the file does not have are ignored.
    """
    out = [Column(c.index, c.header, c.field) for c in columns]
    if isinstance(mapping, dict):
        by_key = {header_key(h): f for h, f in mapping.items()}
        for c in out:
            key = header_key(c.header)
            if key in by_key:
                c.field = by_key[key]
    else:
        for c, f in zip(out, mapping, strict=False):
            c.field = f
    for c in out:
        if c.field is not None and c.field not in FIELD_BY_NAME:
            raise UserError(f"Unbekanntes Feld „{c.field}“ für die Spalte „{c.header}“.")
    seen: set[str] = set()
    for c in out:
        if c.field is None:
            continue
        if c.field in seen and c.field not in MULTI_FIELDS:
            raise UserError(
                f"Das Feld „{FIELD_BY_NAME[c.field].label}“ ist mehreren Spalten zugeordnet (zuletzt „{c.header}“)."
            )
        seen.add(c.field)
    return out


def field_choices() -> list[tuple[str | None, str]]:
    """(field, German label) for a mapping editor; None means "not imported"."""
    return [(None, "– nicht übernehmen –"), *((f.name, f.label) for f in FIELDS)]


def known_field(name: str) -> bool:
    return name in FIELD_BY_NAME
