"""The self-contained build runs on a machine without Python: every check starts the bundle with an empty
environment (`env -i`: no venv, no PYTHONPATH, a fresh HOME), the way a freshly installed office PC starts it.

Run by `make dist-test` (it builds the bundle first and sets KONFERENZ_BUNDLE); skipped in the normal suite.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from konferenz.letters.dates import deadline_passed

BUNDLE = os.environ.get("KONFERENZ_BUNDLE", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not BUNDLE, reason="kein Programmpaket gebaut (make dist-test baut und prüft es)"),
]


def _program() -> Path:
    name = "konferenz.exe" if sys.platform == "win32" else "konferenz"
    return Path(BUNDLE) / name


def run(
    home: Path, *args: str | Path, ok: bool = True, extra_env: dict[str, str] | None = None, stderr: str = ""
) -> str:
    """The bundle with an empty environment; returns stdout. stderr must be exactly ``stderr`` (by default
    empty: no warnings)."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", **(extra_env or {})}
    done = subprocess.run(
        [str(_program()), *map(str, args)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stderr == stderr, done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_version_and_check_on_a_new_database(home: Path) -> None:
    assert run(home, "--version").strip().startswith("konferenz ")
    out = run(home, "--check", "--db", home / "neu.sqlite")
    assert out.startswith("OK: 0 Personen")


def test_demo_import_letters_labels_backup(home: Path, tmp_path: Path) -> None:
    demo = home / "demo.sqlite"
    assert "Demodaten angelegt" in run(home, "demo", "--db", demo)
    assert run(home, "--check", "--db", demo).startswith("OK: 300 Personen")

    csv = tmp_path / "liste.csv"
    csv.write_text(
        "Anrede;Vorname;Nachname;Organisation;PLZ;Ort\nFrau;Ayşe;Öztürk;Verein Brücke;46395;Bocholt\n"
        "Herr;Иван;Петров;;46325;Borken\n",
        encoding="utf-8",
    )
    assert "2 angelegt" in run(home, "import", csv, "--db", demo)
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Vorname", "Nachname", "E-Mail"])
    sheet.append(["An", "Nguyễn", "an.nguyen@example.org"])
    xlsx = tmp_path / "liste.xlsx"
    workbook.save(xlsx)
    assert "1 angelegt" in run(home, "import", xlsx, "--db", demo)

    letters, labels = tmp_path / "briefe.pdf", tmp_path / "etiketten.pdf"
    # the demo's deadline is fixed (20 November 2026): from the day after, the command warns on stderr
    with closing(sqlite3.connect(demo)) as connection:
        (deadline,) = connection.execute("SELECT reply_deadline FROM conference WHERE year = 2026").fetchone()
    warning = deadline_passed(dt.date.fromisoformat(deadline))
    expected = f"Warnung: {warning}\n" if warning else ""
    written = run(home, "letters", "--conference", "2026", "-o", letters, "--db", demo, stderr=expected)
    assert "Briefe geschrieben" in written
    assert "Etiketten" in run(
        home, "labels", "--conference", "2026", "-o", labels, "--sheet", "zweckform-3474", "--db", demo
    )
    from pypdf import PdfReader

    first = " ".join(PdfReader(letters).pages[0].extract_text().split())  # words may be set apart by tabs
    assert "Kreis Borken" in first and "Einladung zur Integrationskonferenz 2026" in first
    assert len(PdfReader(labels).pages) >= 1

    backup = tmp_path / "sicherung.sqlite"
    assert "Sicherung geschrieben" in run(home, "backup", "-o", backup, "--db", demo)
    query = "SELECT count(*) FROM person WHERE last_name IN ('Петров', 'Nguyễn')"
    with sqlite3.connect(backup) as copy, sqlite3.connect(demo) as original:
        assert copy.execute(query).fetchone() == original.execute(query).fetchone()
        count = "SELECT count(*) FROM person"
        assert copy.execute(count).fetchone() == original.execute(count).fetchone() == (303,)


def test_an_update_keeps_and_migrates_the_data(home: Path, tmp_path: Path) -> None:
    """A database written by an older version (schema 0001) is migrated by the new program on its first start,
    with a backup first, and keeps its data."""
    from konferenz.storage import migrations
    from konferenz.storage.db import open_database
    from konferenz.storage.models import Person

    path = home / "alt.sqlite"
    database = open_database(path)
    with database.session() as s:
        s.add(Person(last_name="Шевченко", first_name="Тарас"))
    migrations.downgrade(database.engine, "0001")
    database.dispose()
    assert run(home, "--check", "--db", path).startswith("OK: 1 Personen")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (migrations.HEAD,)
        assert conn.execute("SELECT last_name FROM person").fetchall() == [("Шевченко",)]


def test_the_configuration_next_to_the_program_names_the_database(home: Path, tmp_path: Path) -> None:
    """IT's konferenz.ini (here named by KONFERENZ_CONFIG, as next to the program) sets the database."""
    config = tmp_path / "konferenz.ini"
    shared = tmp_path / "netzlaufwerk.sqlite"
    config.write_text(f"[datenbank]\nadresse = {shared}\n", encoding="utf-8")
    out = run(home, "--check", extra_env={"KONFERENZ_CONFIG": str(config)})
    assert str(shared) in out and shared.exists()


def test_bad_input_gives_one_german_line(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(b"PK\x03\x04 nicht wirklich")
    out = run(home, "import", broken, "--db", home / "x.sqlite", ok=False)
    assert out.startswith("konferenz: Fehler:") and "Traceback" not in out
