"""Spreadsheets as staff hand them over, built in a test's tmp_path (no binary fixtures in the repository).

``staff_list_xlsx`` is the main fixture: a notes sheet before the list, a merged title row, a "Stand:"
line, an empty row, the header with combined columns (``Name, Vorname``, ``PLZ/Ort``), Hr./Fr.
abbreviations, stray spaces, e-mail case differences, a 4-digit PLZ, names in Turkish, Vietnamese,
Cyrillic and Arabic transliteration, an organisation merged over two rows, a section heading, a duplicate
inside the file and one of a person already in the database, every rejection reason, and a footer. It
returns the excel row of each labelled row, so tests check the report row by row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

#: the person the database holds before ``staff_list_xlsx`` is imported (the file has a duplicate of it)
SEEDED_PERSON = {"first_name": "Anna", "last_name": "Schmidt", "email": "anna.schmidt@kreis-borken.de"}

STAFF_HEADER = [
    "Nr.",
    "Anrede",
    "Titel",
    " Name,Vorname ",
    "Institution",
    "Funktion",
    "Straße",
    "PLZ/Ort",
    "e-mail",
    "Tel.",
    "Gruppe",
    "Bemerkung",
]


def _row(
    nr: int,
    anrede: str | None = None,
    titel: str | None = None,
    name: str | None = None,
    institution: str | None = None,
    funktion: str | None = None,
    strasse: str | None = None,
    plz_ort: str | None = None,
    email: str | None = None,
    tel: str | None = None,
    gruppe: str | None = None,
    bemerkung: str | None = None,
) -> list[Any]:
    return [nr, anrede, titel, name, institution, funktion, strasse, plz_ort, email, tel, gruppe, bemerkung]


#: label → row values (after the header); None marks an empty row, a str a one-cell row
STAFF_ROWS: list[tuple[str, Any]] = [
    (
        "mueller",
        _row(
            1,
            "Hr.",
            "Dr.",
            "  Müller,   Hans ",
            "Caritasverband Borken e.V.",
            "Geschäftsführer",
            "Turmstraße 14",
            "46325 Borken",
            "Hans.Mueller@Caritas-Borken.de",
            "02861 9450",
            "Wohlfahrt",
        ),
    ),
    (
        "oeztuerk",
        _row(
            2,
            "Fr.",
            None,
            "Öztürk, Ayşe",
            "Türkisch-Islamische Gemeinde Bocholt",
            "Vorsitzende",
            "Industriestr. 3",
            "46395 Bocholt",
            "a.oeztuerk@ditib-bocholt.de",
            None,
            "MSO",
        ),
    ),
    (
        "nguyen",
        _row(
            3,
            "Herr",
            None,
            "Nguyễn, Văn Minh",
            "Vietnamesischer Kulturverein Ahaus",
            "Kassenwart",
            "Marktstraße 1",
            "48683 Ahaus",
            "minh.nguyen@vkv-ahaus.de",
            "+49 2561 123-4",
            "Migrantenselbstorganisation",
        ),
    ),
    (
        "shevchenko",
        _row(
            4,
            "Frau",
            None,
            "Шевченко, Олена",
            "caritasverband  borken E.V.",
            "Beraterin",
            "Turmstraße 14",
            "46325 Borken",
            "o.shevchenko@caritas-borken.de",
        ),
    ),
    (
        "alhassan",
        _row(
            5,
            "Herrn",
            "Prof. Dr.",
            "Al-Hassan, Mohammed",
            None,
            "Professor",
            None,
            "1067 Dresden",
            "mohammed.alhassan(at)tu-dresden.de",
            None,
            "Fachleute",
        ),
    ),
    (
        "mueller_again",
        _row(
            6,
            "Herr",
            "Dr.",
            "Müller, Hans",
            "Caritasverband Borken e.V.",
            "Geschäftsführer",
            None,
            "46325 Borken",
            "hans.mueller@caritas-borken.de",
            bemerkung="steht doppelt in der Liste",
        ),
    ),
    ("empty", None),
    ("section_politik", "Politik"),
    (
        "schulte",
        _row(
            7,
            "Herr",
            None,
            "Schulte, Bernd",
            "SPD-Fraktion im Kreistag Borken",
            "Fraktionsvorsitzender",
            "Burloer Straße 93",
            "46325 Borken",
            "b.schulte@spd-kreis-borken.de",
        ),
    ),
    (
        "rhede",
        _row(
            8,
            institution="Stadt Rhede",
            strasse="Rathausplatz 9",
            plz_ort="46414 Rhede",
            email="info@rhede.de",
            tel="02872 930-0",
            gruppe="Kommune",
        ),
    ),
    ("no_last_name", _row(9, "Frau", funktion="Referentin", email="referentin@example.org")),
    ("nothing", _row(10, bemerkung="kommt vielleicht")),
    (
        "demir",
        _row(
            11,
            "Frau",
            None,
            "Demir, Selin",
            "Sportverein Gescher 1920",
            "Jugendwartin",
            "Am Sportplatz 2",
            "48712 Gescher",
            "selin.demir@sv-gescher.de",
            None,
            "Sportvereine",
            "Bitte per Post",
        ),
    ),
    (
        "yilmaz_mehmet",
        _row(
            12,
            "Herr",
            None,
            "Yılmaz, Mehmet",
            "Türkischer Elternverein Vreden",
            "Vorsitzender",
            None,
            "48691 Vreden",
            "m.yilmaz@elternverein-vreden.de",
            None,
            "MSO",
        ),
    ),
    (
        "yilmaz_elif",
        _row(13, "Frau", None, "Yılmaz, Elif", None, "Kassiererin", None, "48691 Vreden", gruppe="MSO"),
    ),
    ("section_individuals", "Einzelpersonen"),
    ("kaya", _row(14, "divers", None, "Kaya, Deniz", plz_ort="46342 Velen", email="deniz.kaya@example.org")),
    ("weber", _row(15, "keine Angabe", None, "Weber, Kim", plz_ort="48739 Legden")),
    ("too_long", _row(16, "Herr", None, "X" * 120 + ", Hans")),
    (
        "schmidt",
        _row(
            17,
            "Frau",
            None,
            "Schmidt , Anna",
            "Kreis Borken",
            "Sachgebietsleitung",
            email="  ANNA.SCHMIDT@kreis-borken.de ",
            gruppe="Verwaltung",
        ),
    ),
    ("footer", "Stand: 15.03.2025"),
]


def staff_list_xlsx(tmp_path: Path, name: str = "einladungsliste.xlsx") -> tuple[Path, dict[str, int]]:
    """The main fixture (see module docstring): (path, label → excel row)."""
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "Hinweise"
    notes["A1"] = "Bitte nur die gelben Felder ausfüllen."
    notes["A2"] = "Ansprechpartnerin im KI: Frau Demir"
    ws = wb.create_sheet("Einladungsliste 2025")
    ws["A1"] = "Einladungsliste Integrationskonferenz 2025"
    ws.merge_cells("A1:L1")
    ws["A2"] = "Stand: 01.03.2025"
    ws.append([])
    ws.append(STAFF_HEADER)
    rows: dict[str, int] = {}
    number = 4
    for label, values in STAFF_ROWS:
        number += 1
        rows[label] = number
        if values is None:
            continue
        if isinstance(values, str):
            ws.cell(row=number, column=1, value=values)
            if label.startswith("section"):  # a heading merged across the table
                ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(STAFF_HEADER))
            continue
        for column, value in enumerate(values, start=1):
            ws.cell(row=number, column=column, value=value)
    # the organisation of the Yılmaz family is one cell merged over both rows
    org_column = STAFF_HEADER.index("Institution") + 1
    ws.merge_cells(
        start_row=rows["yilmaz_mehmet"],
        start_column=org_column,
        end_row=rows["yilmaz_elif"],
        end_column=org_column,
    )
    path = tmp_path / name
    wb.save(path)
    return path, rows


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "Tabelle1",
    merges: Sequence[str] = (),
    extra_sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
    first_extra: bool = False,
) -> Path:
    """A workbook with one sheet of ``rows`` (and optional further sheets before or after it)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for index, (name, extra_rows) in enumerate(extra_sheets):
        sheet = wb.create_sheet(name, index if first_extra else None)
        for row in extra_rows:
            sheet.append(list(row))
    wb.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
    bom: bool = False,
) -> Path:
    """A CSV file as German Excel writes it (Windows-1252, ";" and CRLF unless told otherwise)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    path.write_bytes(data)
    return path


#: a small list with separate name columns, used in several encodings
SIMPLE_HEADER = ["Anrede", "Vorname", "Nachname", "Organisation", "PLZ", "Ort", "E-Mail"]
SIMPLE_ROWS = [
    ["Frau", "Jürgen", "Größe", "Förderverein Südlohn", "46354", "Südlohn", "j.groesse@example.org"],
    ["Herr", "François", "Lefèvre", "", "48599", "Gronau (Westf.)", "f.lefevre@example.org"],
]


def german_csv(tmp_path: Path) -> Path:
    """Windows-1252, ";", a title line and an empty line above the header."""
    return write_csv(
        tmp_path / "liste_excel.csv",
        [["Teilnehmerliste"], [], SIMPLE_HEADER, *SIMPLE_ROWS],
        encoding="cp1252",
    )


def bom_csv(tmp_path: Path) -> Path:
    """UTF-8 with BOM and ",", with a name in Cyrillic (not representable in Windows-1252)."""
    rows = [*SIMPLE_ROWS, ["Frau", "Олена", "Шевченко", "", "46325", "Borken", "olena@example.org"]]
    return write_csv(
        tmp_path / "liste_utf8.csv", [SIMPLE_HEADER, *rows], encoding="utf-8", delimiter=",", bom=True
    )


def tab_csv(tmp_path: Path) -> Path:
    """UTF-8 without BOM, tab-separated."""
    return write_csv(
        tmp_path / "liste_tab.txt", [SIMPLE_HEADER, *SIMPLE_ROWS], encoding="utf-8", delimiter="\t"
    )


def utf16_txt(tmp_path: Path) -> Path:
    """Excel's "Unicode-Text": UTF-16 with BOM, tab-separated."""
    return write_csv(
        tmp_path / "liste_unicode.txt", [SIMPLE_HEADER, *SIMPLE_ROWS], encoding="utf-16", delimiter="\t"
    )


# --- broken files ------------------------------------------------------------------------------------------


def not_a_spreadsheet(tmp_path: Path) -> Path:
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "leer.xlsx"
    path.write_bytes(b"")
    return path


def encrypted_xlsx(tmp_path: Path) -> Path:
    """An encrypted .xlsx is an OLE compound file (as is an old .xls): D0 CF 11 E0 A1 B1 1A E1 …"""
    path = tmp_path / "geheim.xlsx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    path.write_bytes(header + bytes(512 - len(header)) + "EncryptionInfo".encode("utf-16-le") + bytes(1024))
    return path


def no_header_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "notizen.xlsx",
        [["Protokoll der Vorbesprechung"], ["Teilnehmende: siehe Anlage"], [], ["Ergebnis", "offen"]],
    )


def empty_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "leer_aber_xlsx.xlsx", [])


def ods_file(tmp_path: Path) -> Path:
    import zipfile

    path = tmp_path / "liste.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def corrupt_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    return path


def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "brief.csv"
    path.write_text(
        "Sehr geehrte Damen und Herren,\nanbei die Liste.\nMit freundlichen Grüßen\n", encoding="utf-8"
    )
    return path


BROKEN: dict[str, tuple[Any, str]] = {
    "not-a-spreadsheet": (not_a_spreadsheet, "keine Tabelle"),
    "empty": (empty_file, "leer"),
    "encrypted": (encrypted_xlsx, "mit einem Kennwort verschlüsselt"),
    "no-header": (no_header_xlsx, "keine Kopfzeile erkannt"),
    "empty-sheet": (empty_xlsx, "leer"),
    "damaged-ods": (ods_file, "beschädigt"),
    "corrupt": (corrupt_xlsx, "beschädigt"),
    "letter": (text_file, "keine Kopfzeile erkannt"),
}
