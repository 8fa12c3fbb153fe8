"""vCard files (2.1 quoted-printable from Android, 3.0 from Apple/iCloud, 4.0) read into a table and imported
through the real database; damaged cards are skipped rows with German reasons, never exceptions."""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
import contact_files as cf

from konferenz.errors import UserError
from konferenz.importing import service as importing
from konferenz.spreadsheets import vcards
from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Person


def _table(path: Path) -> vcards.Table:
    return vcards.read_vcard_table(path, path.read_text(encoding="utf-8"))


def _cells(table: vcards.Table, row: int) -> dict[str, object]:
    return {
        c.header: table.rows[row].values[c.index] for c in table.columns if table.rows[row].values[c.index]
    }


def test_looks_like_vcard() -> None:
    assert vcards.looks_like_vcard("\ufeff\r\nbegin:vcard\r\n")
    assert not vcards.looks_like_vcard("Name;Vorname\n")


def test_android_quoted_printable(tmp_path: Path) -> None:
    table = _table(cf.android_vcf(tmp_path))
    first = _cells(table, 0)
    assert (first["Vorname"], first["Nachname"], first["Anrede"]) == (cf.AYSE[0], cf.AYSE[1], "Dr.")
    assert first["Straße"] == "Burloer Straße 93" and first["Mobil"] == "+49 171 1234567"
    assert (
        first["Notiz"]
        == "Kontakt aus der Integrationskonferenz 2024, Forum Sprache und Bildung, sehr engagiert"
    )
    assert (first["Organisation"], first["Abteilung"]) == ("Kreis Borken", "Kommunales Integrationszentrum")
    assert table.rows[0].excel_row == 1 and table.rows[1].excel_row == 14
    second = _cells(table, 1)
    assert second["Nachname"] == cf.MOHAMMED[1]
    assert second["Weitere E-Mail"] == "mohammed@example.net"
    assert {c.header: c.field for c in table.columns}["Telefon"] == "phone"


def test_apple_groups_company_card_and_folding(tmp_path: Path) -> None:
    table = _table(cf.apple_vcf(tmp_path))
    olga = _cells(table, 0)
    assert olga["Telefon"] == "+49 2562 1234" and olga["Mobil"] == "+49 160 7654321"
    assert olga["Straße privat"] == "Lindenweg 2"
    assert olga["Notiz"].endswith("der auf zwei Zeilen gefaltet ist.")  # type: ignore[union-attr]
    assert olga["Geburtstag"] == "1975-05-01"
    company = _cells(table, 1)
    assert company["Organisation"] == cf.ORG_ONLY
    assert "Nachname" not in company and "Anzeigename" not in company
    ignored = [c.header for c in table.columns if c.field is None]
    assert "Geburtstag" in ignored


def test_import_vcards_into_the_database(sqlite_db: Database, tmp_path: Path) -> None:
    for build in (cf.android_vcf, cf.apple_vcf, cf.vcard4):
        plan = importing.plan_import(sqlite_db, build(tmp_path))
        report = importing.commit_import(sqlite_db, plan)
        assert report.rejected == 0
    with sqlite_db.read_session() as s:
        persons = {p.last_name: p for p in s.scalars(sa.select(Person))}
        orgs = {o.name: o for o in s.scalars(sa.select(Organisation))}
        ayse = persons[cf.AYSE[1]]
        assert (ayse.first_name, ayse.title, ayse.city, ayse.phone) == (
            cf.AYSE[0],
            "Dr.",
            "Borken",
            "02861 681-0",
        )
        olga = persons[cf.OLGA[1]]
        assert (olga.street, olga.postal_code) == ("Lindenweg 2", "48599")
        assert orgs[cf.ORG_ONLY].street == "Am Markt 1"
        assert cf.MOHAMMED[1] in persons
        assert "type=INTERNET" not in persons


def test_damaged_cards_are_skipped_rows(tmp_path: Path) -> None:
    table = _table(cf.damaged_vcf(tmp_path))
    assert [r.excel_row for r in table.rows] == [1, 7]
    assert table.rows[1].notes == ("Eine Zeile der Visitenkarte war nicht lesbar und wurde ausgelassen.",)
    assert [(s.excel_row, s.reason.split(" (")[0]) for s in table.skipped] == [(12, "Visitenkarte ohne Ende")]


def test_hostile_cards_never_raise(tmp_path: Path) -> None:
    path = tmp_path / "x.vcf"
    for text in (
        "BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:=ZZ=\n\x00\x01\nEND:VCARD\n",
        "BEGIN:VCARD\nEND:VCARD\n",
        'BEGIN:VCARD\nVERSION:3.0\nADR:;;;;;;;;;;;;\nTEL;TYPE="a:b":1\nPHOTO;ENCODING=b:!!!\nEND:VCARD\n',
        "BEGIN:VCARD\n" + "NOTE:" + "x" * (vcards.MAX_CARD_CHARS + 10) + "\nEND:VCARD\n",
    ):
        try:
            table = vcards.read_vcard_table(path, text)
        except UserError as exc:  # a file without one readable card: one German line
            assert exc.message.startswith("„x.vcf“ kann nicht gelesen werden: keine lesbare Visitenkarte")
            continue
        for skipped in table.skipped:
            assert skipped.reason.startswith("Visitenkarte"), skipped


def test_no_card_and_too_many(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    from konferenz.errors import UserError

    with pytest.raises(UserError, match="keine Visitenkarte"):
        vcards.read_vcard_table(tmp_path / "x.vcf", "BEGIN:VCARX\n")
    mp = pytest.MonkeyPatch()
    mp.setattr(vcards, "MAX_CARDS", 2)
    try:
        with pytest.raises(UserError, match="mehr als 2 Visitenkarten"):
            vcards.read_vcard_table(tmp_path / "x.vcf", "BEGIN:VCARD\nFN:a\nEND:VCARD\n" * 3)
    finally:
        mp.undo()
