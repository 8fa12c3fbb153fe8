"""``konferenz import`` as a real process on contact exports and vCards: exit 0, the records read back from the
database, the summary naming the export and the columns used and ignored; damaged vCards give skipped rows
or one German line, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
sys.path.insert(0, str(Path(__file__).parent))
import contact_files as cf
from test_cli import assert_one_line_error, run_cli

from konferenz.storage.db import open_database
from konferenz.storage.models import Organisation, Person


def _records(db: str) -> tuple[dict[str, tuple[str, str, str]], set[str]]:
    database = open_database(db)
    try:
        with database.read_session() as s:
            persons = {p.last_name: (p.first_name, p.email, p.city) for p in s.scalars(sa.select(Person))}
            orgs = set(s.scalars(sa.select(Organisation.name)))
    finally:
        database.dispose()
    return persons, orgs


def test_google_export_on_the_command_line(db_url: str, tmp_path: Path) -> None:
    result = run_cli("import", str(cf.google_old(tmp_path)), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and not result.stderr.strip()
    assert "Erkannt: Google-Kontakte (älteres Format)." in result.stdout
    assert "„Organization 1 - Name“ → Organisation" in result.stdout
    assert "Nicht übernommen (mit Werten): „Group Membership“" in result.stdout
    persons, orgs = _records(db_url)
    assert persons == {cf.AYSE[1]: (cf.AYSE[0], "ayse@caritas.example", "Bocholt")}
    assert cf.ORG_ONLY in orgs


def test_outlook_and_thunderbird_on_the_command_line(db_url: str, tmp_path: Path) -> None:
    for path in (cf.outlook_de(tmp_path), cf.thunderbird(tmp_path, "en")):
        result = run_cli("import", str(path), "--db", db_url)
        assert result.returncode == 0, result.stderr
        assert "0 abgelehnt" in result.stdout
    persons, _orgs = _records(db_url)
    assert persons["Al-Ali"] == ("Mohammed", "m.alali@example.org", "Rhede")
    assert persons[cf.OLGA[1]] == (cf.OLGA[0], "olga@example.org", "Dresden")


def test_vcards_on_the_command_line(db_url: str, tmp_path: Path) -> None:
    for path in (cf.android_vcf(tmp_path), cf.apple_vcf(tmp_path)):
        result = run_cli("import", str(path), "--db", db_url)
        assert result.returncode == 0, result.stderr
        assert not result.stderr.strip(), result.stderr
    persons, orgs = _records(db_url)
    assert persons[cf.MOHAMMED[1]] == (cf.MOHAMMED[0], "m.alali@example.org", "")
    assert persons[cf.AYSE[1]][2] == "Borken" and cf.ORG_ONLY in orgs
    assert not any("type=INTERNET" in name for name in persons)


def test_damaged_vcards_on_the_command_line(db_url: str, tmp_path: Path) -> None:
    result = run_cli("import", str(cf.damaged_vcf(tmp_path)), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and not result.stderr.strip(), result.stderr
    assert "Zeile 12: Visitenkarte ohne Ende" in result.stdout
    empty = tmp_path / "leer.vcf"
    empty.write_text("BEGIN:VCARD\nEND:VCARD\n", encoding="utf-8")
    result = run_cli("import", str(empty), "--db", db_url)
    assert_one_line_error(
        result, "leer.vcf", "keine lesbare Visitenkarte", "Zeile 1: Visitenkarte ohne Inhalt"
    )
    result = run_cli("import", str(cf.apple_vcf(tmp_path)), "--sheet", "X", "--db", db_url)
    assert_one_line_error(result, "icloud.vcf", "vCard-Datei")
