"""Contact exports (Outlook, Thunderbird, Google Contacts) recognised by their header rows and imported through
the real database: the fields each one fills, the address block chosen, organisation-only contacts, titles
stored once, and the summary naming the columns used and ignored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
import contact_files as cf

from konferenz.importing import service as importing
from konferenz.importing.cells import move_titles, parse_salutation
from konferenz.spreadsheets.columns import detect_columns, recognise_export
from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Person


def _persons(db: Database) -> dict[str, dict[str, Any]]:
    with db.read_session() as s:
        return {
            p.last_name: {
                c: getattr(p, c)
                for c in (
                    "title",
                    "first_name",
                    "street",
                    "postal_code",
                    "city",
                    "email",
                    "phone",
                    "mobile",
                    "function",
                    "notes",
                )
            }
            for p in s.scalars(sa.select(Person))
        }


def _organisations(db: Database) -> dict[str, Organisation]:
    with db.read_session() as s:
        orgs = list(s.scalars(sa.select(Organisation)))
        s.expunge_all()
    return {o.name: o for o in orgs}


def _import(db: Database, path: Path) -> str:
    plan = importing.plan_import(db, path)
    report = importing.commit_import(db, plan, file_name=path.name)
    assert report.rejected == 0, [r.messages for r in report.rows]
    return report.summary()


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (cf.outlook_de, "Outlook-Export (deutsch)"),
        (cf.outlook_en, "Outlook-Export (englisch)"),
        (lambda t: cf.thunderbird(t, "de"), "Thunderbird-Export (deutsch)"),
        (lambda t: cf.thunderbird(t, "en"), "Thunderbird-Export (englisch)"),
        (cf.google_old, "Google-Kontakte (älteres Format)"),
        (cf.google_new, "Google-Kontakte (neueres Format)"),
    ],
)
def test_each_export_is_recognised(tmp_path: Path, build: Any, name: str) -> None:
    path = build(tmp_path)
    header = path.read_text(encoding="cp1252" if "outlook_de" in path.name else "utf-8-sig").splitlines()[0]
    texts = [h.strip('"') for h in header.split(";" if "outlook_de" in path.name else ",")]
    export = recognise_export(texts)
    assert export is not None and export.name == name


def test_a_staff_list_is_no_export() -> None:
    assert recognise_export(["Anrede", "Vorname", "Nachname", "Organisation", "E-Mail"]) is None
    fields = [c.field for c in detect_columns(["Name", "Vorname", "Telefon privat", "Straße"])]
    assert fields == ["last_name", "first_name", "private_phone", "street"]


def test_outlook_de_blocks_titles_and_organisation_only(sqlite_db: Database, tmp_path: Path) -> None:
    summary = _import(sqlite_db, cf.outlook_de(tmp_path))
    persons = _persons(sqlite_db)
    huelya = persons["Özdemir"]
    assert (huelya["title"], huelya["first_name"], huelya["function"]) == (
        "Dr.",
        "Hülya",
        "Integrationsbeauftragte",
    )
    assert (huelya["street"], huelya["postal_code"], huelya["city"]) == (
        "Schwartzstraße 5",
        "46397",
        "Bocholt",
    )
    assert (huelya["phone"], huelya["mobile"]) == ("02871 2513-0", "0171 2345678")
    assert "huelya@privat.example" in huelya["notes"]
    # only a private address: it is taken (the empty business columns do not win)
    mohammed = persons["Al-Ali"]
    assert (mohammed["street"], mohammed["postal_code"], mohammed["city"]) == (
        "Marktplatz 3",
        "46414",
        "Rhede",
    )
    assert mohammed["phone"] == "02872 1234"
    # both: business wins, the private one is kept in the notes
    weiss = persons["Weiß"]
    assert weiss["street"] == "Im Piepershagen 17"
    assert "Privatadresse: Heidener Straße 8, 46325 Borken" in weiss["notes"]
    orgs = _organisations(sqlite_db)
    assert orgs[cf.ORG_ONLY].email == "info@fh-rhede.example"
    assert cf.ORG_ONLY not in persons and "e.V." not in persons
    assert "Erkannt: Outlook-Export (deutsch)." in summary
    assert "„Straße privat“ → Straße privat" in summary
    assert "Nicht übernommen (mit Werten): „Geschlecht“, „Geburtstag“." in summary


def test_both_blocks_are_said_in_the_row(sqlite_db: Database, tmp_path: Path) -> None:
    plan = importing.plan_import(sqlite_db, cf.outlook_de(tmp_path))
    by_row = {r.excel_row: r for r in plan.rows}
    assert any("die Geschäftsadresse übernommen" in m for m in by_row[4].messages)
    assert not any("Geschäftsadresse" in m for m in by_row[3].messages)


def test_outlook_en_title_not_twice(sqlite_db: Database, tmp_path: Path) -> None:
    summary = _import(sqlite_db, cf.outlook_en(tmp_path))
    olga = _persons(sqlite_db)[cf.OLGA[1]]
    assert (olga["title"], olga["first_name"]) == ("Dr.", cf.OLGA[0])
    assert (olga["street"], olga["city"], olga["mobile"]) == (
        "Bahnhofstraße 1",
        "Gronau (Westf.)",
        "+49 160 1112223",
    )
    assert "„Business Fax“" in summary


@pytest.mark.parametrize("language", ["de", "en"])
def test_thunderbird_keeps_email_address_job_and_mobile(
    sqlite_db: Database, tmp_path: Path, language: str
) -> None:
    summary = _import(sqlite_db, cf.thunderbird(tmp_path, language))
    persons = _persons(sqlite_db)
    ayse = persons[cf.AYSE[1]]
    assert ayse["first_name"] == cf.AYSE[0]
    assert (ayse["email"], ayse["mobile"], ayse["function"]) == (
        "ayse@example.org",
        "0171 1234567",
        "Sachbearbeiterin",
    )
    assert (ayse["street"], ayse["postal_code"], ayse["city"]) == ("Burloer Straße 93", "46325", "Borken")
    # the secondary address when the primary is empty; the private block; PLZ padded
    olga = persons[cf.OLGA[1]]
    assert (olga["email"], olga["street"], olga["postal_code"]) == (
        "olga@example.org",
        "Lindenweg 2",
        "01067",
    )
    assert ("„Geburtsjahr“" if language == "de" else "„Birth Year“") in summary


def test_google_old_typed_phones_and_organisation_only(sqlite_db: Database, tmp_path: Path) -> None:
    _import(sqlite_db, cf.google_old(tmp_path))
    persons = _persons(sqlite_db)
    ayse = persons[cf.AYSE[1]]
    assert (ayse["phone"], ayse["mobile"]) == ("02871 2513-0", "0171 5556667")
    assert (ayse["email"], ayse["function"], ayse["city"]) == ("ayse@caritas.example", "Beraterin", "Bocholt")
    assert list(persons) == [cf.AYSE[1]]
    org = _organisations(sqlite_db)[cf.ORG_ONLY]
    assert (org.street, org.postal_code, org.email) == ("Am Markt 1", "46414", "info@fh-rhede.example")


def test_google_new_home_first_then_work(sqlite_db: Database, tmp_path: Path) -> None:
    _import(sqlite_db, cf.google_new(tmp_path))
    olga = _persons(sqlite_db)[cf.OLGA[1]]
    assert olga["title"] == "Prof. Dr."
    assert (olga["street"], olga["phone"]) == ("Schlossplatz 2", "0251 83-0")
    assert "Privatadresse: Lindenweg 2, 48149 Münster" in olga["notes"]
    assert "o.i@example.org" in olga["notes"]
    assert cf.ORG_ONLY in _organisations(sqlite_db)


def test_title_rules() -> None:
    assert move_titles("Dr. Anna", "Dr.") == ("Anna", "Dr.", ["Dr."])
    assert move_titles("Prof. Dr. Anna", "Dr.") == ("Anna", "Prof. Dr.", ["Prof.", "Dr."])
    assert move_titles("Dr. Anna", "Prof.") == ("Anna", "Prof. Dr.", ["Dr."])
    assert move_titles("Anna", "Dr.") == ("Anna", "Dr.", [])
    sal = parse_salutation("Dr.")
    assert sal.recognised and sal.title == "Dr."
    assert parse_salutation("Nicht angegeben").recognised


def test_google_type_columns_are_named_as_used_for_routing(sqlite_db: Database, tmp_path: Path) -> None:
    summary = importing.import_file(sqlite_db, cf.google_new(tmp_path), dry_run=True).summary()
    assert "Zur Zuordnung genutzt (Art der Nummer oder Anschrift): „Phone 1 - Label“" in summary
    ignored = next(line for line in summary.splitlines() if line.startswith("Nicht übernommen (mit Werten)"))
    assert "Phone 1 - Label" not in ignored and "Address 1 - Label" not in ignored
