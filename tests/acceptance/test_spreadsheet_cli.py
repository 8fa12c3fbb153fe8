"""``konferenz import`` and ``konferenz export`` as real processes on real files: exit codes, the German
summary, the JSON report, and the database afterwards."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent.parent))
sys.path.insert(0, str(Path(__file__).parent))
import fixtures_spreadsheets as fx
from test_cli import assert_one_line_error, run_cli

from konferenz.storage.db import open_database
from konferenz.storage.models import ImportBatch, Organisation, Person


def counts(db: str) -> tuple[int, int, int]:
    database = open_database(db)
    try:
        with database.read_session() as s:
            return (
                int(s.scalar(sa.select(sa.func.count(Person.id))) or 0),
                int(s.scalar(sa.select(sa.func.count(Organisation.id))) or 0),
                int(s.scalar(sa.select(sa.func.count(ImportBatch.id))) or 0),
            )
    finally:
        database.dispose()


def test_import_with_report_then_undo(db_url: str, tmp_path: Path) -> None:
    path, rows = fx.staff_list_xlsx(tmp_path)
    report_path = tmp_path / "bericht.json"
    result = run_cli("import", str(path), "--report", str(report_path), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert "17 Zeilen gelesen: 13 angelegt, 0 aktualisiert, 1 Dubletten, 3 abgelehnt." in result.stdout
    assert (
        f"Zeile {rows['nothing']}: abgelehnt – Weder Nachname noch Organisation angegeben." in result.stdout
    )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert list(report) == ["file", "rows_read", "created", "updated", "duplicate", "rejected", "rows"]
    assert report["file"] == str(path)
    assert report["rows_read"] == len(report["rows"]) == 17
    assert report["created"] + report["updated"] + report["duplicate"] + report["rejected"] == 17
    by_row = {r["excel_row"]: r for r in report["rows"]}
    assert by_row[rows["mueller"]]["outcome"] == "created"
    assert isinstance(by_row[rows["mueller"]]["id"], int)
    assert by_row[rows["mueller_again"]] == {
        "excel_row": rows["mueller_again"],
        "outcome": "duplicate",
        "messages": ["Dublette von Zeile 5 (gleiche E-Mail-Adresse) – nicht übernommen."],
        "id": by_row[rows["mueller"]]["id"],
    }
    assert by_row[rows["too_long"]]["outcome"] == "rejected" and by_row[rows["too_long"]]["id"] is None
    assert rows["section_politik"] not in by_row and rows["footer"] not in by_row
    assert counts(db_url) == (12, 8, 1)  # 13 rows created: 12 persons and the organisation-only row

    listed = run_cli("import", "--list", "--db", db_url)
    assert listed.returncode == 0, listed.stderr
    assert "Nr. 1:" in listed.stdout and "13 angelegt" in listed.stdout
    undo = run_cli("import", "--undo", "1", "--db", db_url)
    assert undo.returncode == 0, undo.stderr
    assert "Import 1 rückgängig gemacht: 12 Personen und 8 Organisationen entfernt" in undo.stdout
    assert counts(db_url)[:2] == (0, 0)
    again = run_cli("import", "--undo", "1", "--db", db_url)
    assert_one_line_error(again, "schon rückgängig gemacht")


def test_dry_run_changes_nothing_and_update_fills(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    path, _ = fx.staff_list_xlsx(tmp_path)
    report_path = tmp_path / "probe.json"
    dry = run_cli("import", str(path), "--dry-run", "--report", str(report_path), "--db", db)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Probelauf (nichts gespeichert)")
    assert json.loads(report_path.read_text(encoding="utf-8"))["created"] == 13
    assert counts(db) == (0, 0, 0)
    assert run_cli("import", str(path), "--db", db).returncode == 0
    update = run_cli("import", str(path), "--update", "--db", db)
    assert update.returncode == 0, update.stderr
    assert "0 angelegt" in update.stdout


def test_german_csv(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    result = run_cli("import", str(fx.german_csv(tmp_path)), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "2 Zeilen gelesen: 2 angelegt" in result.stdout
    database = open_database(db)
    try:
        with database.read_session() as s:
            assert set(s.scalars(sa.select(Person.last_name))) == {"Größe", "Lefèvre"}
    finally:
        database.dispose()


@pytest.mark.parametrize("kind", sorted(fx.BROKEN))
def test_unreadable_file_exits_2_with_one_line_and_changes_nothing(tmp_path: Path, kind: str) -> None:
    db = str(tmp_path / "k.sqlite")
    builder, fragment = fx.BROKEN[kind]
    path = builder(tmp_path)
    report_path = tmp_path / "bericht.json"
    result = run_cli("import", str(path), "--report", str(report_path), "--db", db)
    assert_one_line_error(result, path.name, fragment)
    assert not report_path.exists()
    assert counts(db) == (0, 0, 0)


def test_unknown_sheet_and_missing_file(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    path, _ = fx.staff_list_xlsx(tmp_path)
    assert_one_line_error(
        run_cli("import", str(path), "--sheet", "Adressen", "--db", db), "Adressen", "vorhanden"
    )
    assert_one_line_error(
        run_cli("import", str(tmp_path / "fehlt.xlsx"), "--db", db), "fehlt.xlsx", "gibt es nicht"
    )
    assert_one_line_error(run_cli("import", "--db", db), "Datei angeben")


def test_exports_and_the_round_trip(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    assert run_cli("demo", "--db", db, "--persons", "60").returncode == 0
    registry_file = tmp_path / "adressen.xlsx"
    result = run_cli("export", "registry", "-o", str(registry_file), "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Gespeichert: {registry_file}")
    wb = load_workbook(registry_file)
    assert wb.sheetnames == ["Personen", "Organisationen"]
    ws = wb["Personen"]
    assert ws["A1"].value == "ID" and ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    before = counts(db)
    again = run_cli("import", str(registry_file), "--db", db)
    assert again.returncode == 0, again.stderr
    assert " 0 angelegt, 0 aktualisiert" in again.stdout
    assert counts(db)[:2] == before[:2]

    for what, extra in (("invitations", []), ("attendees", []), ("attendees", ["--accepted"])):
        target = tmp_path / f"{what}{len(extra)}.xlsx"
        done = run_cli("export", what, "--conference", "2025", *extra, "-o", str(target), "--db", db)
        assert done.returncode == 0, done.stderr
        sheet = load_workbook(target).worksheets[0]
        assert sheet.freeze_panes == "A2" and sheet.max_row > 1
    assert_one_line_error(
        run_cli("export", "invitations", "--conference", "1999", "-o", str(tmp_path / "x.xlsx"), "--db", db),
        "keine Konferenz 1999",
    )
    assert_one_line_error(
        run_cli("export", "registry", "-o", str(tmp_path / "fehlt" / "x.xlsx"), "--db", db), "existiert nicht"
    )
