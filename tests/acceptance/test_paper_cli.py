"""The print commands as staff and scripts use them: real processes on a demo database, PDFs read back."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from gui.test_paper import assert_address_in_zones, page_texts, pdf_pages
from test_cli import assert_one_line_error, run_cli

from konferenz.enums import Channel, InvitationStatus
from konferenz.letters import content, sheets
from konferenz.storage.db import open_database
from konferenz.storage.models import ArchivedDocument, Conference, Invitation
from ui.paper.geometry import FORM_A, FORM_B, ZWECKFORM_3475

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paper") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "80", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    return path


def _invitations(db_path: Path, year: int, status: InvitationStatus | None = None) -> list[Invitation]:
    database = open_database(db_path)
    try:
        with database.read_session() as s:
            stmt = sa.select(Invitation).join(Conference).where(Conference.year == year)
            if status is not None:
                stmt = stmt.where(Invitation.status == status)
            rows = list(s.scalars(stmt))
            for row in rows:
                s.expunge(row)
            return rows
    finally:
        database.dispose()


@pytest.mark.parametrize(("form_option", "form"), [("B", FORM_B), ("A", FORM_A)])
def test_letters_every_invitation_in_the_window(
    qapp: object, demo: Path, tmp_path: Path, form_option: str, form: object
) -> None:
    out = tmp_path / "briefe.pdf"
    before = [(i.id, i.status, i.invited_on, i.letter_template) for i in _invitations(demo, 2026)]
    result = run_cli(
        "letters", "--db", str(demo), "--conference", "2026", "--status", "alle", "--form", form_option, "-o", str(out)
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    database = open_database(demo)
    try:
        expected = content.letter_contents(database, 2026)
    finally:
        database.dispose()
    assert result.stdout.startswith(f"{len(expected)} Briefe geschrieben")
    pages = pdf_pages(out.read_bytes())
    firsts = [runs for runs in pages if runs and runs[0].text == "Kreis Borken"]
    assert len(firsts) == len(expected)  # each letter starts on a new page
    for runs, letter in zip(firsts, expected, strict=True):
        assert_address_in_zones(runs, form, letter.address_lines, letter.sender_line)  # type: ignore[arg-type]
        assert letter.salutation in [r.text for r in runs]
    # nothing was recorded without --als-versendet
    after = [(i.id, i.status, i.invited_on, i.letter_template) for i in _invitations(demo, 2026)]
    assert after == before


def test_letters_mark_sent(qapp: object, demo: Path, tmp_path: Path) -> None:
    planned = _invitations(demo, 2026, InvitationStatus.PLANNED)
    assert planned
    out = tmp_path / "vorgemerkt.pdf"
    result = run_cli(
        "letters", "--db", str(demo), "--conference", "2026", "--status", "vorgemerkt",
        "--programm", "--rueckmeldebogen", "--als-versendet", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Als versendet vermerkt" in result.stdout
    assert _invitations(demo, 2026, InvitationStatus.PLANNED) == []
    after = {inv.id: inv for inv in _invitations(demo, 2026)}
    for inv in planned:
        now = after[inv.id]
        assert now.status is InvitationStatus.INVITED
        assert now.invited_on == dt.date.today()
        assert now.invitation_channel is Channel.POST
        assert now.letter_template == "einladung.html.j2"
    database = open_database(demo)
    try:
        with database.read_session() as s:
            docs = s.scalars(sa.select(ArchivedDocument)).all()
            assert {d.invitation_id for d in docs} == {inv.id for inv in planned}
            one = page_texts(docs[0].content)
            assert one[0].startswith("Kreis Borken")
            assert len(one) >= 3  # letter, programme, reply form
    finally:
        database.dispose()
    texts = page_texts(out.read_bytes())
    assert any("Rückmeldung – Integrationskonferenz 2026" in t for t in texts)
    assert any(t.startswith("Programm – Integrationskonferenz 2026") for t in texts)


def test_reminder_letters_only_to_those_without_reply(qapp: object, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "erinnerung.pdf"
    result = run_cli(
        "letters", "--db", str(demo), "--conference", "2025", "--status", "keine Rückmeldung",
        "--template", "erinnerung", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    count = len(_invitations(demo, 2025, InvitationStatus.NO_REPLY))
    assert result.stdout.startswith(f"{count} Briefe")
    texts = page_texts(out.read_bytes())
    assert sum("Erinnerung: Einladung zur Integrationskonferenz 2025" in t for t in texts) == count
    # without --status a reminder goes to everyone still waiting (eingeladen, keine Rückmeldung) only
    result = run_cli(
        "letters", "--db", str(demo), "--conference", "2025", "--template", "erinnerung", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    waiting = count + len(_invitations(demo, 2025, InvitationStatus.INVITED))
    assert result.stdout.startswith(f"{waiting} Briefe")


def test_labels(qapp: object, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "etiketten.pdf"
    result = run_cli(
        "labels",
        "--db",
        str(demo),
        "--conference",
        "2026",
        "--sheet",
        "zweckform-3475",
        "--start",
        "4",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    n = len(_invitations(demo, 2026))
    assert result.stdout.startswith(f"{n} Etiketten (Zweckform 3475)")
    pages = pdf_pages(out.read_bytes())
    assert len(pages) == -(-(n + 3) // ZWECKFORM_3475.per_sheet)
    # the first three labels of the partly used sheet stay empty
    first_x, first_y, w, h = ZWECKFORM_3475.rect(3)
    assert min(r.y for r in pages[0]) > first_y
    assert all(r.y > ZWECKFORM_3475.rect(2)[1] + ZWECKFORM_3475.height for r in pages[0])
    assert first_x == 0.0 and w == 70.0 and h == 36.0


def test_badges_signin_and_attendee_list(qapp: object, demo: Path, tmp_path: Path) -> None:
    database = open_database(demo)
    try:
        expected = sheets.signin_sheet(database, 2025)
        listed = sheets.attendee_list(database, 2025)
    finally:
        database.dispose()
    assert expected.rows
    badges = tmp_path / "schilder.pdf"
    result = run_cli("badges", "--db", str(demo), "--conference", "2025", "-o", str(badges))
    assert result.returncode == 0, result.stderr
    badge_text = " ".join(page_texts(badges.read_bytes()))
    for row in expected.rows[:20]:
        assert row.name in badge_text
    signin = tmp_path / "unterschriften.pdf"
    result = run_cli(
        "signin-sheet", "--db", str(demo), "--conference", "2025", "--leerzeilen", "5", "-o", str(signin)
    )
    assert result.returncode == 0, result.stderr
    texts = page_texts(signin.read_bytes())
    for n, text in enumerate(texts, start=1):
        assert f"Seite {n} von {len(texts)}" in text
    everything = " ".join(texts)
    assert all(row.name in everything for row in expected.rows if row.name)
    attendee = tmp_path / "teilnehmer.pdf"
    result = run_cli("attendee-list", "--db", str(demo), "--conference", "2025", "-o", str(attendee))
    assert result.returncode == 0, result.stderr
    attendee_text = " ".join(page_texts(attendee.read_bytes()))
    assert all(row.name in attendee_text for row in listed.rows)
    hidden = {row.name for row in expected.rows} - {row.name for row in listed.rows}
    assert hidden  # the demo has people without consent …
    assert not any(f" {name} " in f" {attendee_text} " for name in hidden if len(name) > 12)  # … not listed


def test_forum_sheet(qapp: object, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "forum.pdf"
    result = run_cli(
        "signin-sheet", "--db", str(demo), "--conference", "2025", "--forum", "2", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Forum 2:" in page_texts(out.read_bytes())[0]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["letters", "--conference", "2031"], "Eine Konferenz 2031 gibt es nicht"),
        (
            ["letters", "--conference", "2026", "--status", "verschollen"],
            "„verschollen“ ist kein gültiger Wert",
        ),
        (
            ["letters", "--conference", "2026", "--template", "gibtsnicht"],
            "Die Vorlage „gibtsnicht“ gibt es nicht",
        ),
        (["labels", "--conference", "2031", "--sheet", "avery-l7160"], "2031"),
        (["labels", "--conference", "2026", "--sheet", "avery-l7160", "--start", "22"], "--start"),
        (["badges", "--conference", "2025", "--forum", "Zauberei"], "Das Forum „Zauberei“ gibt es nicht"),
        (["signin-sheet", "--conference", "2025", "--forum", "Zauberei"], "Zauberei"),
        (["attendee-list", "--conference", "1999"], "1999"),
    ],
)
def test_bad_input_is_one_german_line(demo: Path, tmp_path: Path, args: list[str], fragment: str) -> None:
    result = run_cli(*args, "--db", str(demo), "-o", str(tmp_path / "x.pdf"))
    assert_one_line_error(result, fragment)
    assert not (tmp_path / "x.pdf").exists()


def test_sheet_names_match_the_geometry() -> None:
    from ui.commands.paper import SHEET_NAMES
    from ui.paper.geometry import LABEL_SHEETS

    assert tuple(sorted(LABEL_SHEETS)) == SHEET_NAMES


def test_help_does_not_load_the_paper_layer() -> None:
    import subprocess
    import sys

    code = "import sys; from ui.commands.cli import build_parser; build_parser(); print('ui.paper' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_letters_without_a_status_go_to_those_vorgemerkt(demo: Path, tmp_path: Path) -> None:
    # as the window proposes (letters.sending.proposed_statuses): not to those who replied already
    out = tmp_path / "briefe.pdf"
    result = run_cli("letters", "--db", str(demo), "--conference", "2026", "-o", str(out))
    assert result.returncode == 0, result.stderr
    database = open_database(demo)
    try:
        planned = content.letter_contents(database, 2026, InvitationStatus.PLANNED)
        every = content.letter_contents(database, 2026)
    finally:
        database.dispose()
    assert 0 < len(planned) < len(every)
    assert result.stdout.startswith(f"{len(planned)} Briefe geschrieben")
