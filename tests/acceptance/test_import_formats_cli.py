"""``konferenz import`` as a real process on every workbook format and on hostile files: exit 0 with the
people created, or exit 2 with one German line; nothing else on stderr (no warning, no panic text)."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
sys.path.insert(0, str(Path(__file__).parent))
import workbook_files as wf
from test_cli import assert_one_line_error, run_cli

from konferenz.storage.db import open_database
from konferenz.storage.models import Person


def _names(db: str) -> list[tuple[str, str]]:
    database = open_database(db)
    try:
        with database.read_session() as s:
            return sorted((p.first_name or "", p.last_name or "") for p in s.scalars(sa.select(Person)))
    finally:
        database.dispose()


def _xlsx_with_everything_openpyxl_warns_about(path: Path) -> Path:
    """Drop-down lists (data validation), conditional formatting, a header and footer: what made openpyxl
    print English UserWarnings before."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in wf.people_rows():
        ws.append(row)
    validation = DataValidation(type="list", formula1='"Herr,Frau,Divers"', allow_blank=True)
    ws.add_data_validation(validation)
    validation.add("A2:A500")
    ws.conditional_formatting.add(
        "F2:F500",
        CellIsRule(operator="equal", formula=['"46325"'], fill=PatternFill("solid", fgColor="FFFF00")),
    )
    ws.oddHeader.center.text = "Einladungsliste &D"
    ws.oddFooter.right.text = "Seite &P von &N"
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", ["xls", "xlsb", "ods", "xlsx"])
def test_each_format_imports_from_the_command_line(db_url: str, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"liste.{kind}"
    if kind == "xls":
        wf.write_xls(path, wf.people_rows())
    elif kind == "xlsb":
        wf.write_xlsb(path, wf.people_rows())
    elif kind == "ods":
        wf.write_ods(path, rows=wf.people_rows())
    else:
        _xlsx_with_everything_openpyxl_warns_about(path)
    result = run_cli("import", str(path), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"{len(wf.PEOPLE)} Zeilen gelesen: {len(wf.PEOPLE)} angelegt" in result.stdout
    assert _names(db_url) == sorted((str(p[1]), str(p[2])) for p in wf.PEOPLE)


@pytest.mark.parametrize(
    ("build", "fragments"),
    [
        (lambda d: wf.lying_bomb(d / "bombe.xlsx"), ("bombe.xlsx", "beschädigt")),
        (lambda d: wf.honest_bomb(d / "riesig.xlsx"), ("riesig.xlsx", "würde entpackt 600 MB groß")),
        (
            lambda d: wf.write_ods(
                d / "dos.ods",
                [
                    wf.ods_table(
                        "Sheet1",
                        [
                            '<table:table-row table:number-rows-repeated="999999999"><table:table-cell '
                            'table:number-columns-repeated="999999999" office:value-type="string">'
                            "<text:p>X</text:p></table:table-cell></table:table-row>"
                        ],
                        formatted_tail=False,
                    )
                ],
            ),
            ("dos.ods", "Blatt „Sheet1“", "Zellen"),
        ),
    ],
)
def test_hostile_workbooks_get_one_german_line(db_url: str, tmp_path: Path, build, fragments) -> None:  # type: ignore[no-untyped-def]
    path = build(tmp_path)
    result = run_cli("import", str(path), "--db", db_url)
    assert_one_line_error(result, *fragments)
    assert _names(db_url) == []


def test_a_far_cell_names_the_cell(db_url: str, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in wf.people_rows():
        ws.append(row)
    ws["XFD1048576"] = "Summe"
    path = tmp_path / "ecke.xlsx"
    wb.save(path)
    result = run_cli("import", str(path), "--db", db_url)
    assert_one_line_error(result, "ecke.xlsx", "Zelle XFD1048576")
