"""``konferenz certificates`` as a real process: one PDF or one per person, chosen persons, and a German
line with exit status 2 for every mistake a user can make."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from test_cli import assert_one_line_error, run_cli
from unit.test_certificates import CertWorld, build_certificate_world

from konferenz.storage.db import open_database

pytestmark = pytest.mark.slow


@pytest.fixture
def database(tmp_path: Path) -> tuple[Path, CertWorld]:
    path = tmp_path / "konferenz.sqlite"
    db = open_database(path)
    try:
        world = build_certificate_world(db)
    finally:
        db.dispose()
    return path, world


def text(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_one_pdf_for_everyone_with_check_in(database: tuple[Path, CertWorld], tmp_path: Path) -> None:
    db, _world = database
    out = tmp_path / "alle.pdf"
    result = run_cli("certificates", "--db", str(db), "--conference", "2026", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"6 Teilnahmebescheinigungen in einer PDF-Datei gespeichert: {out}."
    pages = text(out)
    assert len(pages) == 6
    assert all("Teilnahmebescheinigung" in page and "Integrationskonferenz 2026" in page for page in pages)
    assert "Dr. Ayşe Öztürk" in pages[1] and "Forum 2: Arbeit & Anerkennung" in pages[1]


def test_one_pdf_per_chosen_person(database: tuple[Path, CertWorld], tmp_path: Path) -> None:
    db, world = database
    folder = tmp_path / "einzeln"
    folder.mkdir()
    ids = f"{world.persons['ivanova']}, {world.persons['oeztuerk']}"
    result = run_cli(
        "certificates", "--db", str(db), "--konferenz", "2026", "--person", ids, "--ordner", str(folder)
    )
    assert result.returncode == 0, result.stderr
    inv = world.invitations
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            f"2026-teilnahmebescheinigung-{inv['oeztuerk']:05d}-oeztuerk-ayse.pdf",
            f"2026-teilnahmebescheinigung-{inv['ivanova']:05d}-ivanova-natalya.pdf",
        ]
    )
    assert (
        "Наталья Иванова"
        in text(folder / f"2026-teilnahmebescheinigung-{inv['ivanova']:05d}-ivanova-natalya.pdf")[0]
    )


def test_user_errors_exit_2_with_one_german_line(database: tuple[Path, CertWorld], tmp_path: Path) -> None:
    db, world = database
    out = str(tmp_path / "x.pdf")
    base = ("certificates", "--db", str(db))
    assert_one_line_error(
        run_cli(*base, "--conference", "1999", "-o", out), "Eine Konferenz 1999 gibt es nicht"
    )
    assert_one_line_error(
        run_cli(*base, "--conference", "2025", "--person", str(world.persons["oeztuerk"]), "-o", out),
        "laut Check-in nicht an der Konferenz 2025 teilgenommen",
    )
    assert_one_line_error(run_cli(*base, "--conference", "2026", "--person", "12,abc", "-o", out), "„abc“")
    assert_one_line_error(
        run_cli(*base, "--conference", "2026", "--ordner", str(tmp_path / "fehlt")), "Den Ordner"
    )
    assert_one_line_error(run_cli(*base, "--conference", "2026", "-o", str(tmp_path)), "ist ein Ordner")
    assert_one_line_error(run_cli(*base, "--conference", "2026"), "-o/--output")
    assert_one_line_error(
        run_cli(*base, "--conference", "2026", "-o", out, "--ordner", str(tmp_path)), "nicht zusammen"
    )
    empty = tmp_path / "leer.sqlite"
    assert run_cli("demo", "--db", str(empty), "--persons", "20", "--seed", "1").returncode == 0
    assert_one_line_error(
        run_cli("certificates", "--db", str(empty), "--conference", "2026", "-o", out),
        "hat laut Check-in niemand teilgenommen",
    )
    assert not Path(out).exists()
