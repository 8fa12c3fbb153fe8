"""Badges with QR codes and ``konferenz checkin`` as a scripted event day runs them: the badge PDF of the
demo conference is rasterised (pdftoppm), every QR code decoded (zxing-cpp) and compared with the tokens in
the database, and the decoded codes are checked in by the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_cli import assert_one_line_error, run_cli

from konferenz.conferences.checkin import code_payload
from konferenz.enums import InvitationStatus
from konferenz.storage.db import open_database
from konferenz.storage.models import Conference, Invitation

zxingcpp = pytest.importorskip("zxingcpp")  # the dev extra; without it the test says so

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("checkin") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "80", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    return path


def tokens(db_path: Path, year: int) -> dict[str, tuple[int, InvitationStatus]]:
    """Check-in code → (invitation id, status) of the conference ``year``."""
    database = open_database(db_path)
    try:
        with database.read_session() as s:
            rows = s.execute(
                sa.select(Invitation.checkin_token, Invitation.id, Invitation.status)
                .join(Conference)
                .where(Conference.year == year)
            ).all()
        return {code_payload(year, token): (iid, status) for token, iid, status in rows}
    finally:
        database.dispose()


def read_pgm(path: Path) -> memoryview:
    """A binary PGM (P5, as ``pdftoppm -gray`` writes it) as rows × columns of grey bytes."""
    data = path.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)  # one whitespace byte, then the pixels
    assert header is not None, data[:20]
    width, height = int(header.group(1)), int(header.group(2))
    pixels = data[header.end() :]
    assert len(pixels) == width * height
    return memoryview(pixels).cast("B", (height, width))


def decoded_codes(pdf: Path, tmp_path: Path) -> list[list[str]]:
    """The QR codes on each page of ``pdf``, read from a 200 dpi rendering."""
    subprocess.run(["pdftoppm", "-r", "200", "-gray", str(pdf), str(tmp_path / "page")], check=True)
    pages = []
    for image in sorted(tmp_path.glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        found = zxingcpp.read_barcodes(read_pgm(image), formats=zxingcpp.BarcodeFormat.QRCode)
        pages.append([r.text for r in found])
    return pages


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) fehlt")
def test_badge_codes_decode_to_the_tokens_and_check_in_by_command_line(demo: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "schilder.pdf"
    result = run_cli("badges", "--db", str(demo), "--conference", "2026", "-o", str(pdf), "--leer", "2")
    assert result.returncode == 0, result.stderr
    stored = tokens(demo, 2026)
    said_yes = {code for code, (_iid, status) in stored.items() if status in InvitationStatus.said_yes()}
    pages = decoded_codes(pdf, tmp_path)
    codes = [code for page in pages for code in page]
    assert all(len(page) <= 10 for page in pages)
    # one code per badge (the blank badges carry none), each the token of a badge holder's invitation
    assert len(codes) == len(set(codes)) == len(said_yes) > 10
    assert set(codes) == said_yes

    expected = [c for c in codes if stored[c][1] in InvitationStatus.expected()]
    first, second = expected[:2]
    out = run_cli("checkin", "--db", str(demo), "--conference", "2026", "--code", first)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Willkommen: ") and out.stderr == ""
    # a scanner on a German keyboard set to the US layout types "Ö" for ":" – and Caps Lock
    typed = second.replace(":", "Ö").lower()
    assert run_cli("checkin", "--db", str(demo), "--conference", "2026", "--code", typed).returncode == 0
    again = run_cli("checkin", "--db", str(demo), "--konferenz", "2026", "--code", first)
    assert again.returncode == 0
    assert " ist bereits angemeldet um " in again.stdout and again.stdout.strip().endswith("Uhr.")
    after = tokens(demo, 2026)
    assert after[first][1] is after[second][1] is InvitationStatus.ATTENDED
    changed = {c for c in stored if stored[c][1] != after[c][1]}
    assert changed == {first, second}

    code_2025 = next(iter(tokens(demo, 2025)))
    assert_one_line_error(
        run_cli("checkin", "--db", str(demo), "--conference", "2026", "--code", code_2025),
        "gehört zur Konferenz 2025, nicht zu 2026",
    )
    assert_one_line_error(
        run_cli("checkin", "--db", str(demo), "--conference", "2026", "--code", "KIK:2026:ABCDEFGHJK"),
        "Unbekannter Code",
    )
    assert_one_line_error(
        run_cli("checkin", "--db", str(demo), "--conference", "2031", "--code", "KIK:2031:ABCDEFGHJK"),
        "keine Konferenz 2031",
    )
    assert tokens(demo, 2026) == after


def test_checkin_needs_a_code(demo: Path) -> None:
    result = run_cli("checkin", "--db", str(demo), "--conference", "2026")
    assert_one_line_error(result, "--code")
