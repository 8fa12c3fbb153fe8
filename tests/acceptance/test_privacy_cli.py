"""``konferenz privacy``: export (JSON and PDF), erase, export again — real processes on a real file.

Done when: a person exported, erased and exported again shows nothing personal left, and the statistics of
past conferences are unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_cli import assert_one_line_error, run_cli

from konferenz.conferences import editing, inviting
from konferenz.enums import Channel, ConsentPurpose, Gender, InvitationStatus
from konferenz.programme import new_conference
from konferenz.storage.db import open_database
from konferenz.storage.models import ConsentRecord, Invitation, Organisation, Person, Role

pytestmark = pytest.mark.slow

#: what must not survive the erasure (Turkish and Arabic spellings, contact data, free text)
PERSONAL = ("Ayşe", "Öztürk", "ayse.oeztuerk@example.org", "0171 2345678", "Nordstraße", "Rollstuhl")
ARABIC_NAME = "فاطمة الزهراء"


def pdf_text(path: Path) -> str:
    """The PDF's text via pdftotext, NFKC-normalised (Qt stores shaped Arabic as presentation forms)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) ist nicht installiert")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


@pytest.fixture
def registry(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "konferenz.sqlite"
    database = open_database(path)
    try:
        with database.session() as s:
            org = Organisation(name="Arabischer Kulturverein Borken")
            p = Person(
                first_name="Ayşe", last_name="Öztürk", gender=Gender.FEMALE, email="ayse.oeztuerk@example.org",
                phone="0171 2345678", street="Nordstraße 1", postal_code="46399", city="Bocholt",
                created_at=dt.datetime(2020, 1, 1),
            )  # fmt: skip
            other = Person(first_name=ARABIC_NAME, last_name="Haddad", created_at=dt.datetime(2020, 1, 1))
            s.add_all([org, p, other])
            s.flush()
            s.add(Role(person_id=p.id, organisation_id=org.id, is_primary=True, function="Vorsitzende"))
            s.add(
                ConsentRecord(
                    person_id=p.id,
                    purpose=ConsentPurpose.PARTICIPANT_LIST,
                    given_on=dt.date(2024, 5, 2),
                    channel=Channel.EMAIL,
                    text_version="2024-1",
                )
            )
            pid = p.id
        for year in (2023, 2024):
            new_conference.create_conference(
                database, editing.ConferenceData(year=year, title=f"Integrationskonferenz {year}")
            )
            inviting.invite(database, year, inviting.InviteeFilter(everyone=True))
        with database.session() as s:
            for inv in s.scalars(sa.select(Invitation).where(Invitation.person_id == pid)):
                inv.status = InvitationStatus.ATTENDED
                inv.needs_accessibility = "Rollstuhl"
    finally:
        database.dispose()
    return path, pid


def test_export_erase_export_leaves_nothing_personal(registry: tuple[Path, int], tmp_path: Path) -> None:
    db, pid = registry
    stats_before = run_cli("stats", "--db", str(db))
    assert stats_before.returncode == 0, stats_before.stderr

    first_json, first_pdf = tmp_path / "auskunft.json", tmp_path / "auskunft.pdf"
    result = run_cli(
        "privacy",
        "export",
        "--db",
        str(db),
        "--person",
        str(pid),
        "-o",
        str(first_json),
        "--pdf",
        str(first_pdf),
    )
    assert result.returncode == 0, result.stderr
    assert "auskunft.json" in result.stdout and "auskunft.pdf" in result.stdout
    data = json.loads(first_json.read_text(encoding="utf-8"))
    assert data["person"]["first_name"] == "Ayşe"
    text = pdf_text(first_pdf)
    for expected in ("Auskunft nach Art. 15 DSGVO", "Ayşe Öztürk", "ayse.oeztuerk@example.org", "Rollstuhl"):
        assert expected in text
    assert "Integrationskonferenz 2024" in text and "teilgenommen" in text
    assert "Nennung in der Teilnehmerliste" in text and "Textfassung 2024-1" in text
    assert "Seite 1 von" in text

    result = run_cli(
        "privacy", "erase", "--db", str(db), "--person", str(pid), "--reason", "Antrag vom 03.11.2026"
    )
    assert result.returncode == 0, result.stderr
    assert "2 Einladungen" in result.stdout

    second_json, second_pdf = tmp_path / "danach.json", tmp_path / "danach.pdf"
    result = run_cli(
        "privacy",
        "export",
        "--db",
        str(db),
        "--person",
        str(pid),
        "-o",
        str(second_json),
        "--pdf",
        str(second_pdf),
    )
    assert result.returncode == 0, result.stderr
    after_json = second_json.read_text(encoding="utf-8")
    after_pdf = pdf_text(second_pdf)
    for secret in PERSONAL:
        assert secret not in after_json, secret
        assert secret not in after_pdf, secret
    assert "Anonymisiert" in after_pdf

    stats_after = run_cli("stats", "--db", str(db))
    assert stats_after.stdout == stats_before.stdout


def test_erase_summary_in_the_singular(registry: tuple[Path, int]) -> None:
    db, _pid = registry
    database = open_database(db)
    try:
        with database.session() as s:
            jan = Person(first_name="Jan", last_name="Neumann")
            s.add(jan)
            s.flush()
            jid = jan.id
        inviting.invite(database, 2024, inviting.InviteeFilter(person_ids=[jid]))
    finally:
        database.dispose()
    result = run_cli("privacy", "erase", "--db", str(db), "--person", str(jid), "--reason", "Antrag")
    assert result.returncode == 0, result.stderr
    assert "1 Einladung bleibt für die Statistik erhalten" in result.stdout, result.stdout


def test_export_pdf_only_with_arabic_name(registry: tuple[Path, int], tmp_path: Path) -> None:
    db, _pid = registry
    database = open_database(db)
    try:
        with database.read_session() as s:
            haddad = s.scalars(sa.select(Person.id).where(Person.last_name == "Haddad")).one()
    finally:
        database.dispose()
    out = tmp_path / "haddad.pdf"
    result = run_cli("privacy", "export", "--db", str(db), "--person", str(haddad), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "haddad.json").exists()
    text = pdf_text(out)
    assert "Haddad" in text
    # pdftotext gives Arabic words back in logical order per word; the order of words may vary
    for word in ARABIC_NAME.split():
        assert word in text


def test_export_errors_are_one_line(registry: tuple[Path, int], tmp_path: Path) -> None:
    db, pid = registry
    result = run_cli(
        "privacy",
        "export",
        "--db",
        str(db),
        "--person",
        str(pid),
        "-o",
        str(tmp_path / "a.json"),
        "--pdf",
        "a.txt",
    )
    assert_one_line_error(result, "a.txt", ".pdf")
    assert not (tmp_path / "a.json").exists()
    result = run_cli(
        "privacy", "export", "--db", str(db), "--person", str(pid), "-o", str(tmp_path / "fehlt" / "a.pdf")
    )
    assert_one_line_error(result, "existiert nicht")
    result = run_cli(
        "privacy", "export", "--db", str(db), "--person", "999999", "-o", str(tmp_path / "a.pdf")
    )
    assert_one_line_error(result, "999999")


def test_review_lists_persons_not_invited_for_n_years(registry: tuple[Path, int]) -> None:
    db, pid = registry
    recent = run_cli("privacy", "review", "--years", "50", "--db", str(db))
    assert recent.returncode == 0, recent.stderr
    assert recent.stdout.splitlines() == ["0 Personen seit mindestens 50 Jahren nicht eingeladen:"]
    older = run_cli("privacy", "review", "--years", "1", "--db", str(db))
    assert older.returncode == 0, older.stderr
    lines = older.stdout.splitlines()
    assert lines[0] == "2 Personen seit mindestens einem Jahr nicht eingeladen:"
    assert any(
        line.split()[0] == str(pid) and "Öztürk" in line and "zuletzt 2024" in line for line in lines[1:]
    )
    assert any(ARABIC_NAME in line for line in lines[1:])
