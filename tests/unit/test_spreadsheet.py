"""Reading spreadsheets (konferenz.spreadsheets): formats, the header row, the column mapping, non-data rows,
and every way a file can be unreadable. No database needed."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).parent.parent))
import fixtures_spreadsheets as fx

from konferenz.errors import UserError
from konferenz.spreadsheets.cells import CellValue, cell_text
from konferenz.spreadsheets.columns import (
    FIELDS,
    apply_mapping,
    detect_columns,
    field_choices,
    field_for_header,
)
from konferenz.spreadsheets.reader import detect_delimiter, read_table
from konferenz.spreadsheets.table import describe_source

# --- header texts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nachname", "last_name"),
        ("NACHNAME", "last_name"),
        ("  Vorname ", "first_name"),
        ("Name", "name"),
        ("Name, Vorname", "last_first"),
        ("Name,Vorname", "last_first"),
        ("Nachname / Vorname", "last_first"),
        ("Vor- und Nachname", "first_last"),
        ("Anrede", "gender"),
        ("Geschlecht", "gender"),
        ("Titel", "title"),
        ("Institution", "organisation"),
        ("Träger", "organisation"),
        ("Traeger", "organisation"),
        ("Verein", "organisation"),
        ("Organisation/Institution", "organisation"),
        ("Funktion", "function"),
        ("Position", "function"),
        ("Straße", "street"),
        ("Strasse", "street"),
        ("Adresse", "street"),
        ("PLZ", "postal_code"),
        ("Postleitzahl", "postal_code"),
        ("Ort", "city"),
        ("PLZ / Ort", "postal_city"),
        ("PLZ/Ort", "postal_city"),
        ("PLZ Ort", "postal_city"),
        ("E-Mail", "email"),
        ("e-mail", "email"),
        ("EMail", "email"),
        ("Mail", "email"),
        ("E-Mail-Adresse", "email"),
        ("E-Mail (dienstlich)", "email"),
        ("Telefon", "phone"),
        ("Tel.", "phone"),
        ("Telefon dienstlich", "phone"),
        ("Handy", "mobile"),
        ("Gruppe", "category"),
        ("Kategorie", "category"),
        ("Kommune", "municipality"),
        ("Briefanrede", "custom_salutation"),
        ("Notiz", "notes"),
        ("Bemerkung", "notes"),
        ("Bemerkungen:", "notes"),
        ("ID", "id"),
        ("id", "id"),
        ("First name", "first_name"),
        ("Last Name", "last_name"),
        ("Organization", "organisation"),
        ("lfd. Nr.", None),
        ("Nr.", None),
        ("Angelegt am", None),
        ("", None),
    ],
)
def test_header_synonyms_ignore_case_and_punctuation(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


def test_every_field_label_maps_back_to_its_field() -> None:
    """The labels the mapping editor shows are headers the import understands."""
    for info in FIELDS:
        assert field_for_header(info.label) == info.name, info.label


def test_name_next_to_first_name_is_the_last_name() -> None:
    columns = detect_columns(["Name", "Vorname", "E-Mail"])
    assert [c.field for c in columns] == ["last_name", "first_name", "email"]
    alone = detect_columns(["Name", "E-Mail"])
    assert [c.field for c in alone] == ["name", "email"]


def test_second_column_for_a_field_stays_unmapped_except_notes() -> None:
    columns = detect_columns(["Nachname", "Telefon", "Tel.", "Notiz", "Bemerkung"])
    assert [c.field for c in columns] == ["last_name", "phone", None, "notes", "notes"]


# --- cell values --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Müller   Hans ", "Müller Hans"),
        ("a\u00a0b", "a b"),
        (46325, "46325"),
        (46325.0, "46325"),
        (2.5, "2,5"),
        (True, "ja"),
        (dt.datetime(2025, 3, 1), "01.03.2025"),
        (dt.datetime(2025, 3, 1, 14, 30), "01.03.2025 14:30"),
        (dt.date(2025, 3, 1), "01.03.2025"),
        (dt.time(9, 5), "09:05"),
    ],
)
def test_cell_text(value: CellValue, text: str) -> None:
    assert cell_text(value) == text


# --- finding the table in a workbook -----------------------------------------------------------------------------


def test_staff_list_header_below_title_rows_and_notes_sheet(tmp_path: Path) -> None:
    path, rows = fx.staff_list_xlsx(tmp_path)
    table = read_table(path, category_names=lambda text: text == "Politik")
    assert table.kind == "xlsx"
    assert table.sheet == "Einladungsliste 2025"
    assert table.sheet_names == ["Hinweise", "Einladungsliste 2025"]
    assert table.header_row == 4
    assert [c.field for c in table.columns] == [
        None,
        "gender",
        "title",
        "last_first",
        "organisation",
        "function",
        "street",
        "postal_city",
        "email",
        "phone",
        "category",
        "notes",
    ]
    assert table.columns[3].header == "Name,Vorname"  # trimmed
    data_labels = [
        label for label, values in fx.STAFF_ROWS if values is not None and not isinstance(values, str)
    ]
    assert [r.excel_row for r in table.rows] == [rows[label] for label in data_labels]
    skipped = {s.excel_row: s.reason for s in table.skipped}
    assert skipped == {
        rows["section_politik"]: "Zwischenüberschrift: „Politik“",
        rows["section_individuals"]: "Zwischenüberschrift: „Einzelpersonen“",
        rows["footer"]: "Fußzeile: „Stand: 15.03.2025“",
    }
    by_row = {r.excel_row: r for r in table.rows}
    # the section heading names a category: the rows below carry it, until the next heading
    assert by_row[rows["schulte"]].section == "Politik"
    assert by_row[rows["demir"]].section == "Politik"
    assert by_row[rows["kaya"]].section == ""
    # the organisation merged over two rows is in both
    assert by_row[rows["yilmaz_elif"]].values[4] == "Türkischer Elternverein Vreden"
    assert by_row[rows["mueller"]].values[3] == "  Müller,   Hans "  # raw values; the row rules trim


def test_named_sheet_and_unknown_sheet(tmp_path: Path) -> None:
    path, _ = fx.staff_list_xlsx(tmp_path)
    table = read_table(path, "einladungsliste 2025")  # case and spaces ignored
    assert table.sheet == "Einladungsliste 2025"
    with pytest.raises(UserError, match=r"Das Blatt „Adressen“ gibt es in „einladungsliste\.xlsx“ nicht"):
        read_table(path, "Adressen")
    with pytest.raises(UserError, match="keine Kopfzeile erkannt"):
        read_table(path, "Hinweise")


def test_hidden_sheet_is_skipped_unless_named(tmp_path: Path) -> None:
    wb = Workbook()
    hidden = wb.active
    assert hidden is not None
    hidden.title = "Alt"
    hidden.append(["Nachname", "Vorname"])
    hidden.append(["Alt", "Eintrag"])
    hidden.sheet_state = "hidden"
    current = wb.create_sheet("Aktuell")
    current.append(["Nachname", "Vorname"])
    current.append(["Neu", "Eintrag"])
    wb.save(tmp_path / "h.xlsx")
    assert read_table(tmp_path / "h.xlsx").sheet == "Aktuell"
    assert read_table(tmp_path / "h.xlsx", "Alt").rows[0].values[0] == "Alt"


def test_header_row_must_be_within_the_first_20_rows(tmp_path: Path) -> None:
    late = [["Titel"]] + [[] for _ in range(20)] + [["Nachname", "Vorname"], ["Müller", "Anna"]]
    with pytest.raises(UserError, match="keine Kopfzeile erkannt"):
        read_table(fx.write_xlsx(tmp_path / "spaet.xlsx", late))
    early = [["Titel"]] + [[] for _ in range(18)] + [["Nachname", "Vorname"], ["Müller", "Anna"]]
    table = read_table(fx.write_xlsx(tmp_path / "frueh.xlsx", early))
    assert table.header_row == 20
    assert table.rows[0].excel_row == 21


def test_header_row_can_be_given(tmp_path: Path) -> None:
    rows = [["Name", "Ort"], ["Nachname", "Vorname", "E-Mail"], ["Müller", "Anna", "a@example.org"]]
    path = fx.write_xlsx(tmp_path / "x.xlsx", rows)
    assert read_table(path).header_row == 2  # more fields win
    forced = read_table(path, header_row=1)
    assert forced.header_row == 1
    assert [c.field for c in forced.columns] == ["name", "city"]
    with pytest.raises(UserError, match="Zeile 30"):
        read_table(path, header_row=30)


def test_best_header_wins_over_a_title_that_names_one_field(tmp_path: Path) -> None:
    rows = [["Name"], ["Nachname", "Vorname", "Organisation"], ["Müller", "Anna", "Caritas"]]
    table = read_table(fx.write_xlsx(tmp_path / "x.xlsx", rows))
    assert table.header_row == 2


def test_wrong_dimension_does_not_cut_columns(tmp_path: Path) -> None:
    """Files from other programs may declare a too small <dimension>; every column is read anyway."""
    import zipfile

    path = fx.write_xlsx(
        tmp_path / "dim.xlsx", [["Nachname", "Vorname", "E-Mail"], ["Müller", "Anna", "a@x.de"]]
    )
    patched = tmp_path / "dim2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C2"', b'<dimension ref="A1:A1"')
                assert b'ref="A1:A1"' in data
            dst.writestr(item, data)
    table = read_table(patched)
    assert [c.field for c in table.columns] == ["last_name", "first_name", "email"]
    assert list(table.rows[0].values) == ["Müller", "Anna", "a@x.de"]


def test_repeated_header_and_empty_rows_are_not_data(tmp_path: Path) -> None:
    rows = [
        ["Nachname", "Vorname"],
        ["Müller", "Anna"],
        [None, None],
        ["  ", None],
        ["NACHNAME", "Vorname"],
        ["Öztürk", "Ayşe"],
    ]
    table = read_table(fx.write_xlsx(tmp_path / "x.xlsx", rows))
    assert [r.excel_row for r in table.rows] == [2, 6]
    assert [(s.excel_row, s.reason) for s in table.skipped] == [(5, "Kopfzeile wiederholt")]


def test_a_single_value_row_without_merge_is_data(tmp_path: Path) -> None:
    """Only a merged heading is a section; a lone value in a normal cell is a row (a last name)."""
    table = read_table(fx.write_xlsx(tmp_path / "x.xlsx", [["Nachname", "Vorname"], ["Müller"]]))
    assert [r.excel_row for r in table.rows] == [2]


# --- CSV ------------------------------------------------------------------------------------------------------


def test_german_csv_windows_1252_semicolon(tmp_path: Path) -> None:
    table = read_table(fx.german_csv(tmp_path))
    assert (table.kind, table.encoding, table.delimiter) == ("csv", "cp1252", ";")
    assert table.header_row == 3
    assert [r.excel_row for r in table.rows] == [4, 5]
    assert table.rows[0].values[:3] == ["Frau", "Jürgen", "Größe"]
    assert describe_source(table) == "CSV (Windows-1252, Semikolon), Kopfzeile 3"


def test_utf8_bom_csv_with_comma(tmp_path: Path) -> None:
    table = read_table(fx.bom_csv(tmp_path))
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert table.columns[0].header == "Anrede"  # no BOM in the first header
    assert table.rows[2].values[1:3] == ["Олена", "Шевченко"]


@pytest.mark.parametrize(("builder", "encoding"), [(fx.tab_csv, "utf-8"), (fx.utf16_txt, "utf-16")])
def test_tab_separated(tmp_path: Path, builder, encoding: str) -> None:  # type: ignore[no-untyped-def]
    table = read_table(builder(tmp_path))
    assert (table.encoding, table.delimiter) == (encoding, "\t")
    assert table.rows[1].values[1:3] == ["François", "Lefèvre"]


def test_csv_line_numbers_with_a_multi_line_cell_and_sep_hint(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('sep=,\nNachname,Notiz\nMüller,"zwei\nZeilen"\n\nÖztürk,x\n', encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == ","
    assert table.header_row == 2
    assert [(r.excel_row, r.values[0]) for r in table.rows] == [(3, "Müller"), (6, "Öztürk")]
    assert table.rows[0].values[1] == "zwei\nZeilen"


def test_delimiter_detection() -> None:
    assert detect_delimiter(["a;b;c", "1;2,5;3"]) == ";"
    assert detect_delimiter(["a,b,c", "1,2,3"]) == ","
    assert detect_delimiter(["a\tb", "1\t2"]) == "\t"
    assert detect_delimiter(["Titel", "a;b", "1;2"]) == ";"


def test_csv_has_no_sheets(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Textdatei und hat keine Blätter"):
        read_table(fx.german_csv(tmp_path), "Tabelle1")


# --- unreadable files ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(fx.BROKEN))
def test_unreadable_files_name_the_file_and_the_reason(tmp_path: Path, kind: str) -> None:
    builder, fragment = fx.BROKEN[kind]
    path = builder(tmp_path)
    with pytest.raises(UserError) as caught:
        read_table(path)
    message = str(caught.value)
    assert path.name in message
    assert fragment in message
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        read_table(tmp_path / "fehlt.xlsx")
    with pytest.raises(UserError, match="ist ein Ordner"):
        read_table(tmp_path)


def test_apply_mapping_by_list_and_by_profile() -> None:
    columns = detect_columns(["Name", "Träger-Nr", "Notizfeld"])
    assert [c.field for c in columns] == ["name", None, None]
    by_list = apply_mapping(columns, ["last_name", "organisation", "notes"])
    assert [c.field for c in by_list] == ["last_name", "organisation", "notes"]
    by_profile = apply_mapping(columns, {"träger nr": "organisation", "Nicht da": "email"})
    assert [c.field for c in by_profile] == ["name", "organisation", None]
    assert [c.field for c in columns] == ["name", None, None]  # the original is unchanged
    with pytest.raises(UserError, match="Unbekanntes Feld"):
        apply_mapping(columns, ["vorname", None, None])
    with pytest.raises(UserError, match="mehreren Spalten"):
        apply_mapping(columns, ["email", "email", None])
    assert (None, "– nicht übernehmen –") in field_choices()
