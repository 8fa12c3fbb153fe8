"""The command line writes letters, lists and minutes to edit (.docx, .odt, by the output's suffix) and
every spreadsheet export as .ods: real processes on a demo database, the files read back. A document to
edit is a draft: --als-versendet is refused for it and nothing is recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from test_cli import assert_one_line_error, run_cli
from unit.test_letter_documents import assert_address_field, docx_read, odt_flow, odt_read
from unit.test_ods_export import read_all

from konferenz.enums import InvitationStatus
from konferenz.letters import content
from konferenz.letters.geometry import FORM_A, FORM_B
from konferenz.storage.db import open_database
from konferenz.storage.models import ArchivedDocument

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("documents") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "40", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    return path


def expected_letters(db_path: Path) -> list[content.LetterContent]:
    database = open_database(db_path)
    try:
        return content.letter_contents(database, 2026)
    finally:
        database.dispose()


def archived(db_path: Path) -> int:
    database = open_database(db_path)
    try:
        with database.read_session() as s:
            return s.query(ArchivedDocument).count()
    finally:
        database.dispose()


@pytest.mark.parametrize(("suffix", "form"), [(".docx", "B"), (".odt", "A")])
def test_letters_to_edit(demo: Path, tmp_path: Path, suffix: str, form: str) -> None:
    out = tmp_path / f"briefe{suffix}"
    result = run_cli(
        "letters", "--db", str(demo), "--conference", "2026", "--status", "alle", "--form", form, "-o", str(out)
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    letters = expected_letters(demo)
    assert f"Briefe geschrieben: {out}" in result.stdout
    _flow, pages = (docx_read if suffix == ".docx" else odt_read)(out)
    assert len(pages) == len(letters)
    chosen = FORM_B if form == "B" else FORM_A
    for letter, boxes in zip(letters, pages, strict=True):
        (box,) = [b for b in boxes if letter.address_lines[-1] in b.lines]
        assert_address_field(box, letter, chosen)


def test_letters_to_edit_record_nothing(demo: Path, tmp_path: Path) -> None:
    before = archived(demo)
    out = tmp_path / "briefe.docx"
    result = run_cli("letters", "--db", str(demo), "--conference", "2026", "--als-versendet", "-o", str(out))
    assert_one_line_error(result, "--als-versendet gilt nur für PDF-Briefe")
    assert not out.exists() and archived(demo) == before
    database = open_database(demo)
    try:
        planned = content.letter_contents(database, 2026, InvitationStatus.PLANNED)
    finally:
        database.dispose()
    assert planned, "the demo has letters still vorgemerkt"


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_lists_and_minutes_to_edit(demo: Path, tmp_path: Path, suffix: str) -> None:
    for command, heading in (
        ("signin-sheet", "Unterschriftenliste"),
        ("attendee-list", "Teilnehmerliste"),
        ("minutes", "PROTOKOLL"),
    ):
        out = tmp_path / f"{command}{suffix}"
        result = run_cli(command, "--db", str(demo), "--conference", "2026", "-o", str(out))
        assert result.returncode == 0, result.stderr
        flow = [p.text for p in docx.Document(str(out)).paragraphs] if suffix == ".docx" else odt_flow(out)
        assert flow[0] == heading, command


def test_exports_as_ods_equal_the_xlsx(demo: Path, tmp_path: Path) -> None:
    for what, extra in (("registry", ()), ("invitations", ("--conference", "2026"))):
        files = []
        for suffix in (".xlsx", ".ods"):
            out = tmp_path / f"{what}{suffix}"
            result = run_cli("export", what, "--db", str(demo), *extra, "-o", str(out))
            assert result.returncode == 0, result.stderr
            files.append(read_all(out))
        assert files[0] == files[1], what
    out = tmp_path / "programm.ods"
    result = run_cli("agenda", "--db", str(demo), "--conference", "2026", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert read_all(out)
