"""DOCX and ODT letters opened by LibreOffice: converted headless to PDF, the address lies where the window
of a DIN lang envelope is (Form B: the sender line in the Vermerkzone 45–62.7 mm, the address from 25 mm
in the Anschriftzone 62.7–90 mm; Form A 27 mm higher), on every letter's page. Skipped where LibreOffice
is not installed (``soffice``); too slow for CI, run it by hand after changing the documents."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from unit.test_letter_documents import add_turkish_and_arabic
from unit.test_letters_content import build_world

from konferenz.enums import InvitationStatus
from konferenz.letters import content
from konferenz.letters.documents.letters import write_letters
from konferenz.letters.geometry import (
    ADDRESS_FIELD_LEFT,
    ADDRESS_FIELD_RIGHT,
    FORM_A,
    FORM_B,
    TEXT_LEFT,
    LetterForm,
)
from konferenz.storage.db import Database

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed"),
]
PT = 25.4 / 72
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def to_pdf(source: Path, profile: Path) -> Path:
    out = source.parent / "pdf"
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = out / (source.stem + ".pdf")
    assert pdf.is_file()
    return pdf


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page the words with their box in mm from the page's top-left corner."""
    assert PDFTOTEXT is not None
    out = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return [
        [
            (float(a) * PT, float(b) * PT, float(c) * PT, float(d) * PT, html.unescape(text))
            for a, b, c, d, text in _WORD.findall(page)
        ]
        for page in _PAGE.findall(out)
    ]


Box = tuple[float, float, float, float]


def line_box(
    page: list[tuple[float, float, float, float, str]], line: str, start: int = 0
) -> tuple[Box, int]:
    """The box of the words of ``line`` (consecutive words on the page from word ``start`` on) and the
    index of the word after them."""
    parts = line.split()
    for i in range(start, len(page) - len(parts) + 1):
        if [w[4] for w in page[i : i + len(parts)]] == parts:
            chosen = page[i : i + len(parts)]
            box = (
                min(w[0] for w in chosen),
                min(w[1] for w in chosen),
                max(w[2] for w in chosen),
                max(w[3] for w in chosen),
            )
            return box, i + len(parts)
    raise AssertionError(f"{line!r} not on the page: {[w[4] for w in page][:60]}")


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
@pytest.mark.parametrize("form", [FORM_B, FORM_A])
def test_libreoffice_puts_the_address_in_the_window(
    db: Database, tmp_path: Path, suffix: str, form: LetterForm
) -> None:
    world = build_world(db)
    add_turkish_and_arabic(db, world)
    letters = content.letter_contents(db, 2026, InvitationStatus.PLANNED)
    assert len(letters) >= 4
    source = write_letters(letters, tmp_path / f"briefe{suffix}", form)
    pages = words(to_pdf(source, tmp_path / "profile"))
    assert len(pages) == len(letters)
    for letter, page in zip(letters, pages, strict=True):
        sender, after = line_box(page, letter.sender_line)
        assert sender[0] == pytest.approx(TEXT_LEFT, abs=1.0)
        assert form.vermerk_top <= sender[1] and sender[3] <= form.anschrift_top + 0.5
        for line in letter.address_lines:
            if re.search(r"[\u0600-\u06ff]", line):
                continue  # Arabic script: pdftotext gives a right-to-left line in visual order
            (x0, y0, x1, y1), after = line_box(page, line, after)
            assert x0 == pytest.approx(TEXT_LEFT, abs=1.0), line
            assert x0 >= ADDRESS_FIELD_LEFT and x1 <= ADDRESS_FIELD_RIGHT, line
            assert form.anschrift_top - 0.5 <= y0 and y1 <= form.anschrift_bottom, line
        subject, _after = line_box(page, letter.subject)
        assert subject[1] > form.anschrift_bottom
