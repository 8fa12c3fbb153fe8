"""Foreign ID columns: a list's own running numbering is ignored with one note for the whole import and every
row is created; the registry export's round trip by ID still updates the same records. Real files, the real
import service and the real database on both backends.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent.parent))
import fixtures_spreadsheets as fx

from konferenz.exports import workbooks as exporter
from konferenz.importing import service as importing
from konferenz.importing.plan import Outcome
from konferenz.registry import organisations, validation
from konferenz.registry import persons as registry_persons
from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Person

NOTE = "Die ID-Spalte enthält nicht die Nummern dieses Programms"


def count(db: Database, model: type[Person] | type[Organisation]) -> int:
    with db.read_session() as s:
        return int(s.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def running_list(tmp_path: Path, n: int) -> Path:
    rows = [["ID", "Vorname", "Nachname", "E-Mail"]]
    rows += [[i, f"Vorname{i}", f"Liste{i}", f"person{i}@liste.example"] for i in range(1, n + 1)]
    return fx.write_xlsx(tmp_path / "eigene_nummern.xlsx", rows)


def test_own_running_ids_are_ignored_with_one_note(db: Database, tmp_path: Path) -> None:
    stored = [
        registry_persons.create_person(db, validation.PersonData(first_name="Anna", last_name=f"Register{i}"))
        for i in range(3)
    ]
    path = running_list(tmp_path, 6)  # ids 1–3 exist (other persons), 4–6 do not
    plan = importing.plan_import(db, path)
    assert [r.outcome for r in plan.rows] == [Outcome.CREATED] * 6
    assert len(plan.notes) == 1 and NOTE in plan.notes[0]
    report = importing.import_file(db, path)
    assert (report.created, report.rejected, report.duplicate) == (6, 0, 0)
    assert len(report.notes) == 1 and NOTE in report.notes[0]
    assert sum(NOTE in m for r in report.rows for m in r.messages) == 1  # once, not per row
    assert not any("gibt es nicht" in m or "gehört zu" in m for r in report.rows for m in r.messages)
    assert NOTE in report.summary()
    assert count(db, Person) == 9
    with db.read_session() as s:
        for pid in stored:  # the stored persons with those numbers are untouched
            p = s.get(Person, pid)
            assert p is not None and p.first_name == "Anna"


def test_own_ids_into_an_empty_registry(db: Database, tmp_path: Path) -> None:
    report = importing.import_file(db, running_list(tmp_path, 4))
    assert [r.outcome for r in report.rows] == [Outcome.CREATED] * 4
    assert len(report.notes) == 1
    assert count(db, Person) == 4


def test_own_ids_of_organisations(db: Database, tmp_path: Path) -> None:
    organisations.create_organisation(db, validation.OrganisationData(name="Kreis Borken"))
    path = fx.write_xlsx(
        tmp_path / "orgs.xlsx", [["ID", "Organisation"], [1, "Caritas Bocholt"], [2, "AWO Borken"]]
    )
    report = importing.import_file(db, path)
    assert [r.outcome for r in report.rows] == [Outcome.CREATED, Outcome.CREATED]
    assert len(report.notes) == 1
    assert count(db, Organisation) == 3


def test_our_export_round_trip_still_updates_by_id(db: Database, tmp_path: Path) -> None:
    ids = [
        registry_persons.create_person(
            db, validation.PersonData(first_name=f"Vorname{i}", last_name=f"Export{i}", phone="1")
        )
        for i in range(4)
    ]
    registry_persons.delete_person(db, ids[3])
    path = exporter.export_registry(db, tmp_path / "adressen.xlsx").path
    wb = load_workbook(path)
    ws = wb["Personen"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col["Telefon"]).value = "02861 681-0"
        ws.cell(r, col["Nachname"]).value = str(ws.cell(r, col["Nachname"]).value) + "-Neu"
    wb.save(path)
    report = importing.import_file(db, path)
    assert report.notes == []
    assert sorted((r.outcome, r.id) for r in report.rows) == [(Outcome.UPDATED, i) for i in ids[:3]]
    with db.read_session() as s:
        for pid in ids[:3]:
            p = s.get(Person, pid)
            assert p is not None and p.phone == "02861 681-0" and p.last_name.endswith("-Neu")
    assert count(db, Person) == 3


def test_a_row_without_name_in_a_foreign_numbering_is_read_as_a_row_without_id(
    db: Database, tmp_path: Path
) -> None:
    """Row 3 has a running number and only an organisation: once the column is the list's own numbering it
    is an organisation row, not "Der Nachname fehlt – Person Nr. 2 bleibt unverändert"."""
    for i in range(3):
        registry_persons.create_person(db, validation.PersonData(first_name="Anna", last_name=f"Register{i}"))
    rows = [
        ["ID", "Vorname", "Nachname", "Organisation", "E-Mail"],
        [1, "Vorname1", "Liste1", "", "p1@liste.example"],
        [2, "", "", "Flüchtlingshilfe Rhede e. V.", "info@fh-rhede.example"],
        [3, "Vorname3", "Liste3", "", "p3@liste.example"],
    ]
    path = fx.write_xlsx(tmp_path / "gemischt.xlsx", rows)
    plan = importing.plan_import(db, path)
    assert [(r.outcome, r.kind) for r in plan.rows] == [
        (Outcome.CREATED, "person"),
        (Outcome.CREATED, "organisation"),
        (Outcome.CREATED, "person"),
    ]
    report = importing.import_file(db, path)
    assert (report.created, report.rejected) == (3, 0)  # two persons and the organisation row
    assert sum(NOTE in m for r in report.rows for m in r.messages) == 1
    with db.read_session() as s:
        names = set(s.scalars(sa.select(Organisation.name)))
    assert "Flüchtlingshilfe Rhede e. V." in names
