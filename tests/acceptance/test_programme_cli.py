"""agenda and recommendations exports on the command line, read back."""

from __future__ import annotations

import itertools
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from test_cli import assert_one_line_error, run_cli

from konferenz.enums import RecommendationStatus
from konferenz.storage.db import open_database
from konferenz.storage.models import Recommendation


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert run_cli("demo", "--db", str(path), "--persons", "120").returncode == 0
    return path


def test_agenda_excel_has_items_in_order_with_times(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "programm.xlsx"
    result = run_cli("agenda", "--conference", "2025", "-o", str(out), "--internal", "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Programm", "Regieplan"]
    rows = list(wb["Programm"].iter_rows(min_row=2, values_only=True))
    assert rows
    starts = [r[0] for r in rows]
    assert starts == sorted(starts)
    # each item ends when the next begins
    assert all(a[1] == b[0] for a, b in itertools.pairwise(rows))
    assert any(r[3] == "Forenphase" and r[8] for r in rows)


def test_recommendations_excel_open_filter(demo_file: Path, tmp_path: Path) -> None:
    everything = tmp_path / "alle.xlsx"
    open_only = tmp_path / "offen.xlsx"
    assert run_cli("recommendations", "-o", str(everything), "--db", str(demo_file)).returncode == 0
    assert run_cli("recommendations", "--open", "-o", str(open_only), "--db", str(demo_file)).returncode == 0
    database = open_database(demo_file)
    try:
        with database.read_session() as s:
            total = s.scalar(sa.select(sa.func.count(Recommendation.id)))
            still_open = s.scalar(
                sa.select(sa.func.count(Recommendation.id)).where(
                    Recommendation.status.in_([RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS])
                )
            )
    finally:
        database.dispose()
    all_rows = list(openpyxl.load_workbook(everything).active.iter_rows(min_row=2, values_only=True))
    open_rows = list(openpyxl.load_workbook(open_only).active.iter_rows(min_row=2, values_only=True))
    assert len(all_rows) == total
    assert len(open_rows) == still_open < total
    assert {r[5] for r in open_rows} <= {"offen", "in Arbeit"}
    assert {r[5] for r in all_rows} == {"offen", "in Arbeit", "umgesetzt", "verworfen"}


def test_wrong_suffix(demo_file: Path, tmp_path: Path) -> None:
    assert_one_line_error(
        run_cli("recommendations", "-o", str(tmp_path / "x.csv"), "--db", str(demo_file)), "erlaubt"
    )


def test_audit_log_export(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite"
    assert run_cli("conference", "create", "--year", "2030", "--title", "K 2030", "--date", "2030-11-07",
                   "--db", str(db)).returncode == 0  # fmt: skip
    database = open_database(db)
    try:
        from konferenz.registry import persons, validation

        pid = persons.create_person(database, validation.PersonData(last_name="Öztürk", first_name="Ayşe"))
        record = persons.get_person(database, pid)
        data = record.data
        data.email = "ayse@example.org"
        persons.update_person(database, pid, data, record.version)
    finally:
        database.dispose()
    out = tmp_path / "protokoll.xlsx"
    result = run_cli("audit-log", "--person", str(pid), "-o", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert {r[3] for r in rows} == {"Person"}
    assert any(r[6] == "E-Mail" and r[8] == "ayse@example.org" for r in rows)
    assert any(r[8] == "Öztürk" for r in rows)
