"""Excel exports (konferenz.exports.workbooks over konferenz.spreadsheets.xlsx), read back with openpyxl: no formula cells, frozen
bold header, autofilter, real dates, text PLZ and phone, values equal; and the round trip of the registry
through Excel and the import, which updates by ID instead of duplicating. Both backends."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).parent.parent))
import fixtures_spreadsheets as fx

from konferenz.conferences import editing, inviting
from konferenz.enums import Channel, Gender, InvitationStatus, label
from konferenz.errors import UserError
from konferenz.exports import workbooks as exporter
from konferenz.importing import service as importing
from konferenz.importing.plan import ImportReport, Outcome
from konferenz.lists import registry as lists
from konferenz.programme import new_conference
from konferenz.registry import organisations as registry_organisations
from konferenz.registry import persons as registry_persons
from konferenz.registry import validation
from konferenz.spreadsheets.xlsx import Sheet, write_workbook
from konferenz.storage import snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Person

COMPARED = [t for t in snapshot.TABLES if t not in ("audit_entry", "import_batch", "setting")]


def sheet_of(path: Path, title: str | None = None) -> Worksheet:
    wb = load_workbook(path)
    ws = wb[title] if title else wb.worksheets[0]
    assert isinstance(ws, Worksheet)
    return ws


def assert_safe_sheet(ws: Worksheet, headers: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """The common properties of every export; returns the rows as dicts by header."""
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(headers)).column_letter}{ws.max_row}"
    assert [c.value for c in ws[1]] == list(headers)
    assert all(c.font.b for c in ws[1])
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
    for index, header in enumerate(headers, start=1):
        width = ws.column_dimensions[ws.cell(1, index).column_letter].width
        assert width >= min(len(header) + 2, 60), header
    return [dict(zip(headers, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]


def import_staff_list(db: Database, tmp_path: Path) -> ImportReport:
    path, _ = fx.staff_list_xlsx(tmp_path)
    return importing.import_file(db, path)


# --- the registry ---------------------------------------------------------------------------------------------


def test_registry_export_reads_back_safely(db: Database, tmp_path: Path) -> None:
    import_staff_list(db, tmp_path)
    tricky = registry_persons.create_person(
        db,
        validation.PersonData(
            last_name='=HYPERLINK("http://x")',
            first_name="@Anna",
            function="-Leitung",
            phone="+49 2861 681-0",
            notes="=SUMME(A1)\nzweite Zeile",
            postal_code="01067",
            city="Dresden",
            title="#N/A",
        ),
    )
    path = exporter.export_registry(db, tmp_path / "adressen.xlsx").path
    persons = assert_safe_sheet(sheet_of(path, "Personen"), exporter.PERSON_HEADERS)
    organisations = assert_safe_sheet(sheet_of(path, "Organisationen"), exporter.ORGANISATION_HEADERS)
    with db.read_session() as s:
        stored = {p.id: p for p in s.scalars(sa.select(Person))}
    assert sorted(r["ID"] for r in persons) == sorted(stored)
    assert len(organisations) == 8
    by_id = {r["ID"]: r for r in persons}
    for pid, person in stored.items():
        row = by_id[pid]
        assert (row["Vorname"] or "", row["Nachname"], row["E-Mail"] or "") == (
            person.first_name,
            person.last_name,
            person.email,
        )
        assert row["Angelegt am"] == person.created_at
    weird = by_id[tricky]
    assert (weird["Nachname"], weird["Vorname"], weird["Funktion"], weird["Titel"]) == (
        '=HYPERLINK("http://x")',
        "@Anna",
        "-Leitung",
        "#N/A",
    )
    assert (weird["Telefon"], weird["PLZ"], weird["Notizen"]) == (
        "+49 2861 681-0",
        "01067",
        "=SUMME(A1)\nzweite Zeile",
    )
    names = {(r["Vorname"], r["Nachname"]) for r in persons}
    assert {
        ("Ayşe", "Öztürk"),
        ("Văn Minh", "Nguyễn"),
        ("Олена", "Шевченко"),
        ("Mohammed", "Al-Hassan"),
    } <= names
    mueller = next(r for r in persons if r["Nachname"] == "Müller")
    assert (mueller["Anrede"], mueller["Titel"], mueller["Organisation"], mueller["Kommune"]) == (
        "Herr",
        "Dr.",
        "Caritasverband Borken e.V.",
        "Borken",
    )
    assert mueller["Funktion in der Organisation"] == "Geschäftsführer"
    ws = sheet_of(path, "Personen")
    plz_column = exporter.PERSON_HEADERS.index("PLZ") + 1
    assert all(ws.cell(r, plz_column).data_type in ("s", "n") for r in range(2, ws.max_row + 1))
    assert all(not isinstance(ws.cell(r, plz_column).value, int) for r in range(2, ws.max_row + 1))
    created = ws.cell(2, exporter.PERSON_HEADERS.index("Angelegt am") + 1)
    assert created.is_date and created.number_format == "DD.MM.YYYY HH:MM"


def test_anonymised_persons_are_not_exported(db: Database, tmp_path: Path) -> None:
    from konferenz.privacy.erasure import erase_person

    keep = registry_persons.create_person(db, validation.PersonData(last_name="Bleibt"))
    gone = registry_persons.create_person(db, validation.PersonData(last_name="Vergessen"))
    erase_person(db, gone, "Antrag")
    rows = assert_safe_sheet(
        sheet_of(exporter.export_registry(db, tmp_path / "r.xlsx").path, "Personen"), exporter.PERSON_HEADERS
    )
    assert [r["ID"] for r in rows] == [keep]


def test_round_trip_updates_by_id_instead_of_duplicating(db: Database, tmp_path: Path) -> None:
    import_staff_list(db, tmp_path)
    path = exporter.export_registry(db, tmp_path / "adressen.xlsx").path
    with db.read_session() as s:
        before = snapshot.dump(s, COMPARED)

    unchanged = importing.import_file(db, path)
    assert (unchanged.created, unchanged.updated, unchanged.rejected) == (0, 0, 0)
    assert unchanged.duplicate == unchanged.rows_read == len(before["person"])
    with db.read_session() as s:
        assert snapshot.dump(s, COMPARED) == before
    orgs = importing.import_file(db, path, "Organisationen")
    assert (orgs.created, orgs.updated, orgs.duplicate) == (0, 0, 8)

    # edited in Excel: a new phone number, a corrected spelling, a new person without ID
    wb = load_workbook(path)
    ws = wb["Personen"]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    rows = {ws.cell(r, col["Nachname"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["Öztürk"], col["Telefon"]).value = "02871 12345"
    ws.cell(rows["Öztürk"], col["Organisation"]).value = "türkisch-islamische gemeinde bocholt"
    ws.cell(rows["Weber"], col["Vorname"]).value = "Kimberly"
    ws.cell(rows["Kaya"], col["E-Mail"]).value = None
    new_row = ws.max_row + 1
    ws.cell(new_row, col["Nachname"]).value = "Neumann"
    ws.cell(new_row, col["Vorname"]).value = "Lea"
    wb.save(path)

    report = importing.import_file(db, path)
    assert (report.created, report.updated, report.rejected) == (1, 3, 0)
    updated = {r.id for r in report.rows if r.outcome is Outcome.UPDATED}
    with db.read_session() as s:
        oeztuerk = s.execute(sa.select(Person).where(Person.last_name == "Öztürk")).scalar_one()
        weber = s.execute(sa.select(Person).where(Person.last_name == "Weber")).scalar_one()
        kaya = s.execute(sa.select(Person).where(Person.last_name == "Kaya")).scalar_one()
        assert updated == {oeztuerk.id, weber.id, kaya.id}
        assert oeztuerk.phone == "02871 12345"
        assert weber.first_name == "Kimberly"
        assert kaya.email == ""
        assert s.scalar(sa.select(sa.func.count(Person.id))) == len(before["person"]) + 1
    assert len(before["role"]) == len(snapshot_roles(db))  # Öztürk stays at the same organisation


def snapshot_roles(db: Database) -> list[tuple[Any, ...]]:
    with db.read_session() as s:
        return snapshot.dump(s, ["role"])["role"]


def test_names_in_every_script_survive_import_database_export(db: Database, tmp_path: Path) -> None:
    people = [
        ("Ayşe", "Öztürk"),
        ("Çağrı", "Yıldırım"),
        ("محمد", "الحسن"),
        ("Nguyễn Thị", "Hương"),
        ("Олена", "Шевченко"),
        ("Jürgen", "Größe"),
    ]
    rows = [["Vorname", "Nachname"], *([f, last] for f, last in people)]
    importing.import_file(db, fx.write_xlsx(tmp_path / "u.xlsx", rows))
    exported = exporter.export_registry(db, tmp_path / "out.xlsx").path
    back = assert_safe_sheet(sheet_of(exported, "Personen"), exporter.PERSON_HEADERS)
    assert sorted((r["Vorname"], r["Nachname"]) for r in back) == sorted(people)


# --- invitations and attendees ---------------------------------------------------------------------------------------


def conference_with_every_status(db: Database) -> dict[InvitationStatus, int]:
    new_conference.create_conference(
        db,
        editing.ConferenceData(year=2025, title="Integrationskonferenz 2025", date=dt.date(2025, 11, 20)),
    )
    org = registry_organisations.create_organisation(
        db, validation.OrganisationData(name="Caritas Bocholt", postal_code="46395")
    )
    for i in range(len(InvitationStatus)):
        registry_persons.create_person(
            db,
            validation.PersonData(
                last_name=f"Person{i:02d}",
                first_name="Ayşe" if i == 0 else "Hans",
                gender=Gender.FEMALE if i == 0 else Gender.MALE,
                phone="02861 681-0",
                roles=[validation.RoleData(org, function="Beratung", is_primary=True)],
            ),
        )
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    out: dict[InvitationStatus, int] = {}
    with db.session() as s:
        invitations = s.scalars(
            sa.select(Invitation).join(Person, Person.id == Invitation.person_id).order_by(Person.last_name)
        ).all()
        for inv, status in zip(invitations, InvitationStatus, strict=True):
            inv.status = status
            inv.invitation_channel = Channel.POST
            inv.invited_on = dt.date(2025, 9, 1)
            if status is InvitationStatus.SUBSTITUTED:
                inv.substitute_name = "Frau Vertretung"
            if status is InvitationStatus.ATTENDED:
                inv.checked_in_at = dt.datetime(2025, 11, 20, 9, 30)
                inv.companions = 1
            out[status] = inv.id
    return out


def test_invitations_export_with_german_status(db: Database, tmp_path: Path) -> None:
    ids = conference_with_every_status(db)
    path = exporter.export_invitations(db, 2025, tmp_path / "einladungen.xlsx").path
    rows = assert_safe_sheet(sheet_of(path), exporter.INVITATION_HEADERS)
    by_id = {r["Einladung Nr."]: r for r in rows if r["Personen-Nr."] is not None}
    assert {by_id[i]["Status"] for i in ids.values()} == {label(s) for s in InvitationStatus}
    assert {label(s) for s in InvitationStatus} == {
        "vorgemerkt",
        "eingeladen",
        "zugesagt",
        "abgesagt",
        "keine Rückmeldung",
        "vertreten",
        "Warteliste",
        "teilgenommen",
        "nicht erschienen",
    }
    first = by_id[ids[InvitationStatus.PLANNED]]
    assert (first["Vorname"], first["Organisation"], first["Kommune"], first["Einladungsweg"]) == (
        "Ayşe",
        "Caritas Bocholt",
        "Bocholt",
        "Post",
    )
    assert first["Eingeladen am"] == dt.datetime(2025, 9, 1)
    assert first["Telefon"] == "02861 681-0"
    assert by_id[ids[InvitationStatus.SUBSTITUTED]]["Vertreten durch"] == "Frau Vertretung"
    ws = sheet_of(path)
    date_cell = ws.cell(2, exporter.INVITATION_HEADERS.index("Eingeladen am") + 1)
    assert date_cell.is_date and date_cell.number_format == "DD.MM.YYYY"


def test_attendees_export(db: Database, tmp_path: Path) -> None:
    conference_with_every_status(db)
    attended = assert_safe_sheet(
        sheet_of(exporter.export_attendees(db, 2025, tmp_path / "tn.xlsx").path), exporter.ATTENDEE_HEADERS
    )
    assert [r["Status"] for r in attended] == ["teilgenommen"]
    assert attended[0]["Begleitpersonen"] == 1
    assert attended[0]["Eingelassen am"] == dt.datetime(2025, 11, 20, 9, 30)
    accepted = assert_safe_sheet(
        sheet_of(exporter.export_attendees(db, 2025, tmp_path / "z.xlsx", InvitationStatus.seated()).path),
        exporter.ATTENDEE_HEADERS,
    )
    assert sorted(r["Status"] for r in accepted) == ["teilgenommen", "vertreten", "zugesagt"]
    assert [r["Nr."] for r in accepted] == [1, 2, 3]
    with pytest.raises(UserError, match="keine Konferenz 2031"):
        exporter.export_attendees(db, 2031, tmp_path / "x.xlsx")


# --- window lists and the shared writer ---------------------------------------------------------------------------------


def test_export_list_with_filter_sort_and_visible_columns(db: Database, tmp_path: Path) -> None:
    import_staff_list(db, tmp_path)
    source = lists.PersonList()
    with db.read_session() as s:
        ids = source.ids(s, search="borken", sort_key="first_name", descending=True)
    path = exporter.export_list(
        db, source, ids, tmp_path / "liste.xlsx", ["first_name", "name", "email"]
    ).path
    rows = assert_safe_sheet(sheet_of(path), ["Vorname", "Name", "E-Mail"])
    assert len(rows) == len(ids) >= 2
    assert [r["Vorname"] for r in rows] == sorted((r["Vorname"] for r in rows), reverse=True)


def test_export_table_turns_display_dates_into_dates(tmp_path: Path) -> None:
    path = exporter.export_table(
        tmp_path / "t.xlsx",
        "Konferenzen",
        ["Jahr", "Datum", "Beginn", "PLZ"],
        [["2025", "20.11.2025", "20.11.2025 09:30", "01067"]],
    ).path
    rows = assert_safe_sheet(sheet_of(path), ["Jahr", "Datum", "Beginn", "PLZ"])
    assert rows == [
        {
            "Jahr": "2025",
            "Datum": dt.datetime(2025, 11, 20),
            "Beginn": dt.datetime(2025, 11, 20, 9, 30),
            "PLZ": "01067",
        }
    ]
    with pytest.raises(UserError, match="keine Spalte"):
        exporter.export_table(tmp_path / "t.xlsx", "x", [], [])


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUMME(A1)", "\t=1", "\r=1", "#N/A", "#DIV/0!", "a\nb", "1.5"]
)
def test_writer_never_writes_a_formula(tmp_path: Path, text: str) -> None:
    path = write_workbook(tmp_path / "f.xlsx", [Sheet("A", ["Wert", "Zahl"], [[text, 3], [None, 2.5]])])
    ws = sheet_of(path)
    cell = ws["A2"]
    # a carriage return is written as a line break (XML reads a raw CR as LF anyway)
    expected = text.replace("\r", "\n")
    assert (cell.value, cell.data_type) == (expected, "s")
    assert (ws["B2"].value, ws["B3"].value, ws["A3"].value) == (3, 2.5, None)
    read_only = load_workbook(path, read_only=True)
    values = read_only.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True)
    assert next(iter(values))[0] == expected


def test_writer_refuses_other_suffixes_and_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.xlsx"):
        write_workbook(tmp_path / "x.csv", [])
    with pytest.raises(UserError, match="existiert nicht"):
        write_workbook(tmp_path / "fehlt" / "x.xlsx", [])
