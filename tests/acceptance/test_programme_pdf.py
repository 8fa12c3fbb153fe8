"""``konferenz agenda`` and ``konferenz minutes`` as PDF on a demo database, read back with pypdf.

The programme lists the items in their order with their times (and the Regieplan adds the internal
notes); the minutes have the header with attendance by category, the results of items and forums, and
the recommendations with responsible party and due date. Names in Cyrillic, Turkish and Vietnamese come
out as text (the embedded fonts have the glyphs, the text layer is searchable). Both documents are also
rendered to PNG (pdftoppm) to be looked at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_cli import assert_one_line_error, run_cli

from konferenz.enums import AgendaItemType
from konferenz.programme import service as programme
from konferenz.storage.db import open_database

YEAR = 2025
CYRILLIC = "Олена Коваленко"
TURKISH = "Şeyma Çelik"
VIETNAMESE = "Nguyễn Thị Lan"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert run_cli("demo", "--db", str(path), "--persons", "120").returncode == 0
    database = open_database(path)
    try:
        # an item spoken in several scripts, a forum result and a recommendation with Cyrillic text
        programme.add_item(
            database,
            YEAR,
            programme.ItemData(
                "Grußwort der Ukrainischen Gemeinde",
                10,
                AgendaItemType.TALK,
                speakers=f"{CYRILLIC}; {VIETNAMESE}",
                moderation=TURKISH,
                room="Großer Saal",
                internal_notes="Dolmetscherin um 9:15 am Eingang abholen",
            ),
            position=1,
        )
        with database.read_session() as s:
            rows = programme.agenda(s, YEAR)
        phase = next(r for r in rows if r.item_type == "Forenphase")
        minutes_id = programme.save_minutes(
            database,
            YEAR,
            programme.MinutesData(
                notes="Arbeit in parallelen Foren.",
                results=f"Die Foren haben Empfehlungen formuliert; Bericht von {CYRILLIC}.",
                rapporteur=TURKISH,
            ),
            item_id=phase.id,
        )
        programme.add_recommendation(
            database,
            YEAR,
            programme.RecommendationData(
                "Sprachcafé „Разом“ in Gronau einrichten",
                item_id=phase.id,
                minutes_entry_id=minutes_id,
                responsible_text="Ukrainische Gemeinde im Kreis Borken",
            ),
        )
    finally:
        database.dispose()
    return path


def _text(path: Path) -> tuple[int, str]:
    """Number of pages and the whole text with runs of white space as one space."""
    reader = PdfReader(path)
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _png(pdf: Path, target: Path) -> Path | None:
    """The first page at 60 dpi (None when poppler's pdftoppm is not installed)."""
    if shutil.which("pdftoppm") is None:
        return None
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True)
    produced = sorted(target.parent.glob(stem.name + "*.png"))
    assert produced, "pdftoppm wrote no page"
    produced[0].replace(target)
    return target


def test_agenda_pdf_has_the_items_in_order_with_their_times(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "programm.pdf"
    result = run_cli("agenda", "--conference", str(YEAR), "-o", str(out), "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Gespeichert: {out}"
    database = open_database(demo_file)
    try:
        with database.read_session() as s:
            rows = programme.agenda(s, YEAR)
    finally:
        database.dispose()
    pages, text = _text(out)
    assert pages >= 1
    assert f"Seite 1 von {pages}" in text
    assert "Integrationskonferenz 2025" in text
    assert "Mittwoch, 12. November 2025" in text
    # every item with "9:00 – 9:20" before its title, in the order of the programme
    position = 0
    for row in rows:
        times = f"{row.start.hour}:{row.start.minute:02d} – {row.end.hour}:{row.end.minute:02d}"
        found = text.find(times, position)
        assert found >= 0, (times, row.title)
        title = text.find(row.title.split(":")[0], found)
        assert title > found, row.title
        position = title
    # the parallel forums of the Forenphase with their rooms
    phase = next(r for r in rows if r.item_type == "Forenphase")
    for forum_title, room, _moderation in phase.forums:
        assert forum_title in text
        assert f"Raum: {room}" in text
    # names in other scripts come out as text
    for name in (CYRILLIC, TURKISH, VIETNAMESE):
        assert name in text, name
    assert "Dolmetscherin" not in text  # internal notes only in the Regieplan
    assert re.search(r"Seite \d+ von \d+", text)

    running_order = tmp_path / "regieplan.pdf"
    result = run_cli(
        "agenda", "--conference", str(YEAR), "--internal", "-o", str(running_order), "--db", str(demo_file)
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(running_order)
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    _pages, internal = _text(running_order)
    assert "Regieplan (intern)" in internal
    assert "Dolmetscherin um 9:15 am Eingang abholen" in internal
    assert "Verantwortlich" in internal

    png = _png(out, tmp_path / "agenda.png")
    if png is not None:
        assert png.stat().st_size > 10_000


def test_minutes_pdf_has_attendance_results_and_recommendations(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "protokoll.pdf"
    result = run_cli("minutes", "--conference", str(YEAR), "-o", str(out), "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    database = open_database(demo_file)
    try:
        with database.read_session() as s:
            attendance = programme.attendance_by_category(s, YEAR)
            rows = programme.agenda(s, YEAR)
            recs = programme.recommendations(s, programme.RecommendationFilter(years=[YEAR]))
    finally:
        database.dispose()
    pages, text = _text(out)
    assert f"Seite {pages} von {pages}" in text
    assert text.startswith("PROTOKOLL Integrationskonferenz 2025")
    assert f"Teilnahme laut Check-in: {sum(attendance.values())} Personen" in text
    for category, count in attendance.items():
        if count:
            assert f"{category} {count}" in text, category
    # the items in the order of the programme
    position = 0
    for row in rows:
        found = text.find(row.title, position)
        assert found >= 0, row.title
        position = found
    # results of an item and of the forums, the rapporteur
    assert f"Die Foren haben Empfehlungen formuliert; Bericht von {CYRILLIC}." in text
    assert f"Berichterstattung: {TURKISH}" in text
    assert "Unabhängige Beratungsstelle; Fortbildung in den Ausländerbehörden." in text
    # the recommendations with responsible party, due date and status, after the items
    recommendations = text.index("Handlungsempfehlungen")
    assert recommendations > position
    # (a change of script may start a new text run, which pypdf reads with a space: compare without them)
    for rec in recs:
        assert _squash(rec.text) in _squash(text[recommendations:]), rec.text
        if rec.due_date:
            assert f"Fällig am {rec.due_date:%d.%m.%Y}" in text[recommendations:]
    assert _squash("Sprachcafé „Разом“ in Gronau einrichten") in _squash(text)
    assert "Zuständig: Ukrainische Gemeinde im Kreis Borken" in text
    assert "Status: offen" in text

    png = _png(out, tmp_path / "minutes.png")
    if png is not None:
        assert png.stat().st_size > 10_000


def test_the_status_report_of_the_next_year_is_in_its_minutes(demo_file: Path, tmp_path: Path) -> None:
    """The demo's 2025 minutes record the status of the 2024 recommendations under "Sachstand …"."""
    out = tmp_path / "protokoll.pdf"
    assert (
        run_cli("minutes", "--conference", str(YEAR), "-o", str(out), "--db", str(demo_file)).returncode == 0
    )
    _pages, text = _text(out)
    section = text.index("Sachstand der Empfehlungen aus 2024")
    end = text.index("Impulsvortrag", section)
    report = _squash(text[section:end])
    assert _squash("Sachstand der Empfehlungen • Monatliche Sprechstunde zur Anerkennung") in report
    assert _squash("• Sprachförderung in Kitas nach dem Ende des Bundesprogramms") in report
    assert _squash("(2024) – in Arbeit: Sachstand auf der Integrationskonferenz 2025 vorgestellt") in report


def test_errors_are_one_german_line(demo_file: Path, tmp_path: Path) -> None:
    assert_one_line_error(
        run_cli("minutes", "--conference", "1999", "-o", str(tmp_path / "x.pdf"), "--db", str(demo_file)),
        "1999",
    )
    assert_one_line_error(
        run_cli(
            "agenda",
            "--conference",
            str(YEAR),
            "-o",
            str(tmp_path / "fehlt" / "x.pdf"),
            "--db",
            str(demo_file),
        ),
        "existiert nicht",
    )
