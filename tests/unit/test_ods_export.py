"""Every spreadsheet export also as .ods (LibreOffice): the same sheets, headers and cell values as the
.xlsx, read back with python-calamine; dates stay dates, a text that looks like a formula stays text, and
names in every script survive. The format is chosen by the file's suffix, for every export alike."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
from python_calamine import CalamineWorkbook
from unit.test_exporter import conference_with_every_status, import_staff_list

from konferenz.errors import UserError
from konferenz.exports import workbooks as exporter
from konferenz.importing import service as importing
from konferenz.spreadsheets.xlsx import Sheet, write_workbook
from konferenz.storage.db import Database


def read_all(path: Path) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def assert_same(xlsx: Path, ods: Path) -> dict[str, list[list[Any]]]:
    a, b = read_all(xlsx), read_all(ods)
    assert list(a) == list(b)
    for name in a:
        assert a[name] == b[name], name
    return b


def test_registry_as_ods_equals_the_xlsx(db: Database, tmp_path: Path) -> None:
    import_staff_list(db, tmp_path)
    rows = [["Vorname", "Nachname"], ["Ayşe", "Öztürk"], ["محمد", "الحسن"], ["Олена", "Шевченко"]]
    importing.import_file(db, fx.write_xlsx(tmp_path / "u.xlsx", rows))
    xlsx = exporter.export_registry(db, tmp_path / "register.xlsx")
    ods = exporter.export_registry(db, tmp_path / "register.ods")
    assert ods.path.suffix == ".ods" and ods.rows == xlsx.rows
    back = assert_same(xlsx.path, ods.path)
    assert back["Personen"][0] == list(exporter.PERSON_HEADERS)
    names = {(r[3], r[5]) for r in back["Personen"][1:]}
    assert {("Ayşe", "Öztürk"), ("محمد", "الحسن"), ("Олена", "Шевченко")} <= names
    with zipfile.ZipFile(ods.path) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = archive.read("content.xml").decode()
    assert "table:formula" not in content and 'table:display-filter-buttons="true"' in content


def test_invitations_and_attendees_as_ods(db: Database, tmp_path: Path) -> None:
    conference_with_every_status(db)
    for export, name in (
        (exporter.export_invitations, "einladungen"),
        (exporter.export_attendees, "teilnahme"),
    ):
        xlsx = export(db, 2025, tmp_path / f"{name}.xlsx")
        ods = export(db, 2025, tmp_path / f"{name}.ods")
        back = assert_same(xlsx.path, ods.path)
        cells = [v for rows in back.values() for row in rows[1:] for v in row]
        assert any(isinstance(v, dt.date) for v in cells), "dates are dates"


def test_every_kind_of_cell(tmp_path: Path) -> None:
    rows = [
        [
            1,
            "Şükrü Yılmaz",
            "=SUMME(A1)",
            dt.date(2026, 11, 12),
            dt.datetime(2026, 11, 12, 9, 30),
            dt.time(9, 30),
            True,
            "01234",
            "zwei\nZeilen",
            None,
            2.5,
            "#N/A",
            "  zwei  Leerzeichen ",
        ]
    ]
    headers = [
        "ID",
        "Name",
        "Formel",
        "Datum",
        "Zeit­punkt",
        "Uhrzeit",
        "Ja",
        "PLZ",
        "Text",
        "leer",
        "Zahl",
        "E",
        "S",
    ]
    sheets = [Sheet("Personen & Co", headers, rows, frozenset({7})), Sheet("Zweite", ["A"], [["x"], [3]])]
    back = assert_same(
        write_workbook(tmp_path / "t.xlsx", sheets), write_workbook(tmp_path / "t.ods", sheets)
    )
    row = back["Personen & Co"][1]
    assert row[2] == "=SUMME(A1)" and row[3] == dt.date(2026, 11, 12) and row[7] == "01234"
    assert row[11] == "#N/A" and row[12] == "  zwei  Leerzeichen "


def test_ods_refuses_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="existiert nicht"):
        write_workbook(tmp_path / "fehlt" / "t.ods", [Sheet("A", ["a"], [])])
    with pytest.raises(UserError, match=r"\.ods"):
        write_workbook(tmp_path / "t.csv", [Sheet("A", ["a"], [])])
