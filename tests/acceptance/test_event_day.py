"""A scripted event day on the demo conference, by the command line as a desk would run it (issue 18):
print the badges, scan 20 codes read from the badge PDF (one twice, one from another year), add a walk-in,
close the event, produce the certificates and the minutes. Every step's output is read back: the decoded QR
codes, the invitations' statuses in the database, the certificates' pages and names, the minutes' text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from test_checkin_cli import decoded_codes, tokens
from test_cli import assert_one_line_error, run_cli

from konferenz.enums import InvitationStatus
from konferenz.storage.db import open_database
from konferenz.storage.models import Conference, Invitation, Person

pytest.importorskip("zxingcpp")  # the dev extra
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) fehlt"),
]


def _statuses(db_path: Path, year: int) -> dict[int, InvitationStatus]:
    database = open_database(db_path)
    try:
        with database.read_session() as s:
            rows = s.execute(
                sa.select(Invitation.id, Invitation.status).join(Conference).where(Conference.year == year)
            ).all()
        return dict(rows)
    finally:
        database.dispose()


def _not_invited(db_path: Path, year: int) -> tuple[int, str]:
    database = open_database(db_path)
    try:
        with database.read_session() as s:
            invited = (
                sa.select(Invitation.person_id)
                .join(Conference)
                .where(Conference.year == year, Invitation.person_id.is_not(None))
            )
            people = s.scalars(
                sa.select(Person)
                .where(Person.id.not_in(invited), Person.anonymised_at.is_(None))
                .order_by(Person.id)
            ).all()
            # a Latin name: pypdf's text extraction reorders right-to-left scripts (covered elsewhere)
            person = next(p for p in people if p.last_name.isascii())
            return person.id, person.last_name
    finally:
        database.dispose()


def _pdf_pages(path: Path) -> list[str]:
    # pypdf separates words by tabs: one space each
    return [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(path.read_bytes())).pages
    ]


def test_event_day_by_command_line(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    assert run_cli("demo", "--db", str(db), "--persons", "120", "--seed", "7").returncode == 0
    cli = ("--db", str(db), "--conference", "2026")

    # 1. the badges, their QR codes read back
    badges = tmp_path / "schilder.pdf"
    printed = run_cli("badges", *cli, "-o", str(badges), "--leer", "2")
    assert printed.returncode == 0, printed.stderr
    stored = tokens(db, 2026)
    codes = [code for page in decoded_codes(badges, tmp_path) for code in page]
    assert codes and set(codes) <= set(stored)
    expected = [c for c in codes if stored[c][1] in InvitationStatus.expected()]
    assert len(expected) >= 19
    before = _statuses(db, 2026)

    # 2. twenty scans: 18 people, one of them twice, and a badge of last year's conference
    scans = [*expected[:18], expected[3], next(iter(tokens(db, 2025)))]
    assert len(scans) == 20
    outputs = []
    for code in scans[:19]:
        result = run_cli("checkin", *cli, "--code", code)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert all(out.startswith("Willkommen: ") for out in outputs[:18])
    assert " ist bereits angemeldet um " in outputs[18]
    assert_one_line_error(run_cli("checkin", *cli, "--code", scans[19]), "gehört zur Konferenz 2025")
    scanned = {stored[c][0] for c in expected[:18]}
    after_scans = _statuses(db, 2026)
    assert {i for i, s in after_scans.items() if s is InvitationStatus.ATTENDED} - {
        i for i, s in before.items() if s is InvitationStatus.ATTENDED
    } == scanned

    # 3. a walk-in: a person of the register who was not invited
    person_id, last_name = _not_invited(db, 2026)
    walk_in = run_cli("checkin", *cli, "--nachmeldung", str(person_id))
    assert walk_in.returncode == 0, walk_in.stderr
    assert walk_in.stdout.startswith("Nachgemeldet und angemeldet: ") and last_name in walk_in.stdout
    assert_one_line_error(run_cli("checkin", *cli, "--nachmeldung", "99999999"), "99999999")

    # 4. the event closed: whoever said yes and did not come is "nicht erschienen"
    waiting = [i for i, s in _statuses(db, 2026).items() if s in InvitationStatus.expected()]
    closed = run_cli("checkin", *cli, "--abschliessen")
    assert closed.returncode == 0, closed.stderr
    assert f"{len(waiting)} Zusage(n) ohne Check-in" in closed.stdout
    final = _statuses(db, 2026)
    assert all(final[i] is InvitationStatus.NO_SHOW for i in waiting)
    assert not [i for i, s in final.items() if s in InvitationStatus.expected()]
    attended = [i for i, s in final.items() if s is InvitationStatus.ATTENDED]
    assert len(attended) == len(scanned) + 1 + sum(s is InvitationStatus.ATTENDED for s in before.values())

    # 5. the certificates: one page per person who came, the walk-in among them
    certificates = tmp_path / "bescheinigungen.pdf"
    made = run_cli("certificates", *cli, "-o", str(certificates))
    assert made.returncode == 0, made.stderr
    pages = _pdf_pages(certificates)
    assert len(pages) == len(attended)
    assert all("Teilnahmebescheinigung" in page for page in pages)
    assert any(last_name in page for page in pages)
    walk_in_invitation = int(walk_in.stdout.rsplit("Einladung ", 1)[1].rstrip(".\n"))
    folder = tmp_path / "einzeln"
    folder.mkdir()
    assert run_cli("certificates", *cli, "--ordner", str(folder)).returncode == 0
    files = sorted(p.name for p in folder.glob("*.pdf"))
    assert len(files) == len(attended)
    assert any(f"-{walk_in_invitation:05d}-" in name for name in files)

    # 6. the minutes, with the attendance from the check-in
    minutes = tmp_path / "protokoll.pdf"
    written = run_cli("minutes", *cli, "-o", str(minutes))
    assert written.returncode == 0, written.stderr
    text = "\n".join(_pdf_pages(minutes))
    assert "Teilnahme laut Check-in" in text
