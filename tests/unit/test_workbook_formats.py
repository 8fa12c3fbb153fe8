"""Every workbook format staff receive, read from real files built here (xlsx, xlsm, xls, xlsb, ods): names in
any script unchanged, merged cells filled, error values flagged and left empty, hidden sheets skipped, the
reach of a sheet measured before it is loaded, and the content deciding the format, not the name."""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
import workbook_files as wf

from konferenz.errors import UserError
from konferenz.importing import service as importing
from konferenz.spreadsheets.extents import MAX_CELLS
from konferenz.spreadsheets.reader import read_table
from konferenz.spreadsheets.sniff import identify
from konferenz.storage.db import open_database


def _xlsx(path: Path, rows: list[list[wf.Cell]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Adressen"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


BUILDERS: dict[str, Callable[[Path, list[list[wf.Cell]]], Path]] = {
    "xlsx": _xlsx,
    "xls": wf.write_xls,
    "xlsb": wf.write_xlsb,
    "ods": lambda p, rows: wf.write_ods(p, rows=rows),
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_format_reads_people_in_every_script(tmp_path: Path, kind: str) -> None:
    path = BUILDERS[kind](tmp_path / f"liste.{kind}", wf.people_rows())
    table = read_table(path)
    assert table.kind == kind
    assert table.sheet == "Adressen"
    assert table.headers == wf.HEADER
    assert [c.field for c in table.columns][:3] == ["gender", "first_name", "last_name"]
    read = [[None if v is None else str(v) for v in row.values] for row in table.rows]
    assert read == [[str(v) for v in person] for person in wf.PEOPLE]
    assert all(row.notes == () for row in table.rows)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_format_imports_into_the_registry(tmp_path: Path, kind: str) -> None:
    path = BUILDERS[kind](tmp_path / f"liste.{kind}", wf.people_rows())
    db = open_database(tmp_path / "k.sqlite")
    try:
        report = importing.import_file(db, path)
        assert report.created == len(wf.PEOPLE), report
        import sqlalchemy as sa

        from konferenz.storage.models import Person

        with db.read_session() as s:
            names = sorted((p.first_name, p.last_name) for p in s.scalars(sa.select(Person)))
        assert names == sorted((str(p[1]), str(p[2])) for p in wf.PEOPLE)
    finally:
        db.dispose()


def test_the_content_decides_not_the_name(tmp_path: Path) -> None:
    ods = wf.write_ods(tmp_path / "liste.xlsx", rows=wf.people_rows())  # an .ods named .xlsx
    xls = wf.write_xls(tmp_path / "liste.csv", wf.people_rows())
    assert identify(ods) == "ods"
    assert identify(xls) == "xls"
    assert read_table(xls).kind == "xls"


def test_xlsm_is_read_like_xlsx(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "liste.xlsm", wf.people_rows())
    assert read_table(path).rows[1].values[1] == "محمد"


@pytest.mark.parametrize("kind", ["xls", "xlsb"])
def test_merged_organisation_is_filled_into_every_row(tmp_path: Path, kind: str) -> None:
    rows = wf.people_rows()
    rows[2][3] = None  # row 3's organisation is covered by the merge from row 2
    write = wf.write_xls if kind == "xls" else wf.write_xlsb
    path = write(tmp_path / f"merged.{kind}", rows, merges=[(1, 2, 3, 3)])
    table = read_table(path)
    assert [r.values[3] for r in table.rows[:2]] == [wf.PEOPLE[0][3]] * 2


def test_ods_merges_sections_and_formatted_tail(tmp_path: Path) -> None:
    """LibreOffice's own structure: a heading merged across columns, an organisation merged down two rows
    (with covered cells), and the million formatted empty rows it writes after the data."""
    head = "<table:table-row>" + "".join(wf.ods_cell(v) for v in wf.HEADER) + "</table:table-row>"
    section = (
        "<table:table-row>"
        + wf.ods_cell("Migrantenorganisationen", columns_spanned=8)
        + '<table:covered-table-cell table:number-columns-repeated="7"/></table:table-row>'
    )
    first = wf.PEOPLE[0]
    second = wf.PEOPLE[1]
    row1 = (
        "<table:table-row>"
        + "".join(wf.ods_cell(v) for v in first[:3])
        + wf.ods_cell(first[3], rows_spanned=2)
        + "".join(wf.ods_cell(v) for v in first[4:])
        + "</table:table-row>"
    )
    row2 = (
        "<table:table-row>"
        + "".join(wf.ods_cell(v) for v in second[:3])
        + "<table:covered-table-cell/>"
        + "".join(wf.ods_cell(v) for v in second[4:])
        + "</table:table-row>"
    )
    path = wf.write_ods(tmp_path / "abschnitte.ods", [wf.ods_table("Adressen", [head, section, row1, row2])])
    started = time.perf_counter()
    table = read_table(path, category_names=lambda text: text == "Migrantenorganisationen")
    assert time.perf_counter() - started < 30  # the formatted tail costs nothing (loose sanity bound)
    assert [r.excel_row for r in table.rows] == [3, 4]
    assert [r.values[3] for r in table.rows] == [first[3], first[3]]
    assert [r.section for r in table.rows] == ["Migrantenorganisationen"] * 2
    assert [s.reason for s in table.skipped] == ["Zwischenüberschrift: „Migrantenorganisationen“"]


def test_error_values_are_flagged_and_left_empty_xlsx(tmp_path: Path) -> None:
    rows = wf.people_rows()
    rows[1][3] = "#N/A"  # openpyxl writes these as error cells (t="e"), as Excel does
    rows[2][6] = "#REF!"
    path = _xlsx(tmp_path / "fehler.xlsx", rows)
    assert b't="e"' in __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml")
    table = read_table(path)
    assert table.rows[0].values[3] is None
    assert table.rows[0].notes == (
        "Spalte D („Organisation“): Fehlerwert „#N/A“ der Tabelle – leer gelassen.",
    )
    assert table.rows[1].values[6] is None
    assert "Fehlerwert „#REF!“" in table.rows[1].notes[0]


def test_error_values_are_flagged_ods(tmp_path: Path) -> None:
    head = "<table:table-row>" + "".join(wf.ods_cell(v) for v in wf.HEADER) + "</table:table-row>"
    person = wf.PEOPLE[0]
    row = (
        "<table:table-row>"
        + "".join(wf.ods_cell(v) for v in person[:2])
        + wf.ods_cell(None, error="#NV")
        + "".join(wf.ods_cell(v) for v in person[3:])
        + "</table:table-row>"
    )
    table = read_table(wf.write_ods(tmp_path / "fehler.ods", [wf.ods_table("Adressen", [head, row])]))
    assert table.rows[0].values[2] is None  # not LibreOffice's 0
    assert table.rows[0].notes == ("Spalte C („Nachname“): Fehlerwert „#NV“ der Tabelle – leer gelassen.",)


@pytest.mark.parametrize("kind", ["xlsb", "xls"])
def test_error_cells_of_the_binary_formats_are_flagged(tmp_path: Path, kind: str) -> None:
    """calamine reads them as empty cells; the scan of the records finds them."""
    rows = wf.people_rows()
    rows[1][2] = "#N/A"
    rows[3][6] = "#DIV/0!"
    path = BUILDERS[kind](tmp_path / f"fehler.{kind}", rows)
    table = read_table(path)
    assert table.rows[0].values[2] is None
    assert table.rows[0].notes == ("Spalte C („Nachname“): Fehlerwert „#N/A“ der Tabelle – leer gelassen.",)
    assert table.rows[2].values[6] is None
    assert "Fehlerwert „#DIV/0!“" in table.rows[2].notes[0]
    assert table.rows[1].notes == ()


def test_a_far_cell_in_an_xlsb_is_refused(tmp_path: Path) -> None:
    rows: list[list[wf.Cell]] = [*wf.people_rows(), *[[None]] * 3]
    path = wf.write_xlsb(tmp_path / "weit.xlsb", rows)
    # a value in the last cell of the sheet: one more row record and cell, far away
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.bin"]
    far = wf._record(0x00, __import__("struct").pack("<IIHBBI", 1_048_575, 0, 300, 0, 0, 0)) + wf._record(
        0x06, __import__("struct").pack("<II", 16_383, 0) + wf._wide("Summe")
    )
    end = sheet.rindex(wf._record(0x92))
    parts["xl/worksheets/sheet1.bin"] = sheet[:end] + far + sheet[end:]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(UserError, match="Zelle XFD1048576"):
        read_table(path)


def test_hidden_sheets_are_skipped_and_a_named_sheet_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "Alt"
    hidden.append(wf.HEADER)
    hidden.append(["Herr", "Alt", "Eintrag"])
    hidden.sheet_state = "hidden"
    current = wb.create_sheet("Neu")
    for row in wf.people_rows():
        current.append(row)
    path = tmp_path / "blaetter.xlsx"
    wb.save(path)
    assert read_table(path).sheet == "Neu"
    assert read_table(path, "alt").rows[0].values[1] == "Alt"
    with pytest.raises(UserError, match=r"Das Blatt „Gibt es nicht“ gibt es in „blaetter\.xlsx“ nicht"):
        read_table(path, "Gibt es nicht")


def test_a_value_at_the_far_corner_is_refused_before_loading(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in wf.people_rows():
        ws.append(row)
    ws["XFD1048576"] = "x"
    path = tmp_path / "ecke.xlsx"
    wb.save(path)
    tracemalloc.start()
    with pytest.raises(UserError) as caught:
        read_table(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "ecke.xlsx" in caught.value.message
    assert "Zelle XFD1048576" in caught.value.message
    assert peak < 64 * 2**20


def test_formatted_cells_far_out_do_not_count(tmp_path: Path) -> None:
    """Cells with a format and no value (a column formatted to the end) are no reach."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in wf.people_rows():
        ws.append(row)
    from openpyxl.styles import Font

    for r in (2, 500_000, 1_048_576):
        ws.cell(row=r, column=16384).font = Font(bold=True)
    path = tmp_path / "formatiert.xlsx"
    wb.save(path)
    assert len(read_table(path).rows) == len(wf.PEOPLE)


def test_ods_cell_repeated_a_billion_times_is_refused(tmp_path: Path) -> None:
    dos = (
        '<table:table-row table:number-rows-repeated="999999999"><table:table-cell '
        'table:number-columns-repeated="999999999" office:value-type="string"><text:p>X</text:p>'
        "</table:table-cell></table:table-row>"
    )
    path = wf.write_ods(tmp_path / "wiederholt.ods", [wf.ods_table("Sheet1", [dos], formatted_tail=False)])
    with pytest.raises(UserError, match=f"mehr als {MAX_CELLS:,} Zellen".replace(",", ".")):
        read_table(path)


def test_zip_bombs_are_refused_with_bounded_memory(tmp_path: Path) -> None:
    honest = wf.honest_bomb(tmp_path / "gross.xlsx")
    lying = wf.lying_bomb(tmp_path / "luege.xlsx")
    with pytest.raises(UserError, match="würde entpackt 600 MB groß"):
        read_table(honest)
    tracemalloc.start()
    with pytest.raises(UserError, match="beschädigt"):
        read_table(lying)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 32 * 2**20


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("liste.csv", b"%PDF-1.7\n1 0 obj Name;Vorname\n", "PDF-Datei"),
        ("liste.xlsx", None, "Word-Dokument (.docx)"),
        ("liste.xlsx", b"", "leer"),
        ("liste.xls", b"<html><body><table><tr><td>Name</td></tr></table></body></html>", "Webseite (HTML)"),
        ("liste.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(64), "Bild"),
    ],
)
def test_what_is_not_a_table_is_named(
    tmp_path: Path, name: str, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / name
    if content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read_table(path)
    assert caught.value.message.startswith(f"„{name}“ kann nicht gelesen werden: ")
    assert fragment in caught.value.message


def test_plain_zip_named_xlsx(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "liste.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("adressen/liste.csv", "Name;Vorname\n")
    with pytest.raises(UserError, match="ZIP-Archiv, keine Tabelle"):
        read_table(path)
