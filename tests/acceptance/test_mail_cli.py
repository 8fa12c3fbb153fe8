"""``konferenz mail`` as staff use it: real processes on a demo database; the .eml files parse back."""

from __future__ import annotations

import email.policy
import shutil
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import icalendar
import pytest
from test_cli import assert_one_line_error, run_cli

from konferenz.mail.messages import mail_contents
from konferenz.mail.settings import MailSettings, save_mail_settings
from konferenz.storage.db import open_database

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mail") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "80", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    database = open_database(path)
    try:
        save_mail_settings(database, MailSettings(from_address="integration@kreis-borken.de", from_name="KI"))
    finally:
        database.dispose()
    return path


def _parse(path: Path) -> EmailMessage:
    msg = BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def _by_mail(db_path: Path) -> tuple[list[int], int]:
    database = open_database(db_path)
    try:
        items = mail_contents(database, 2026, template="einladung")
    finally:
        database.dispose()
    return [i.recipient.invitation_id for i in items if i.recipient.address], len(items)


def test_preview_with_attachments(demo: Path, tmp_path: Path) -> None:
    wanted, _ = _by_mail(demo)
    out = tmp_path / "vorschau.eml"
    result = run_cli(
        "mail", "--db", str(demo), "--conference", "2026", "--preview", str(wanted[0]), "-o", str(out),
        "--anlagen", "brief,programm,rueckmeldebogen,ics",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    msg = _parse(out)
    assert msg["X-Unsent"] == "1"
    assert len(msg["To"].addresses) == 1
    assert msg["From"].addresses[0].addr_spec == "integration@kreis-borken.de"
    names = [part.get_filename() for part in msg.iter_attachments()]
    assert names == ["Einladung.pdf", "Programm.pdf", "Rückmeldebogen.pdf", "Termin.ics"]
    parts = list(msg.iter_attachments())
    assert all(p.get_content().startswith(b"%PDF") for p in parts[:3])
    assert icalendar.Calendar.from_ical(parts[3].get_content())["METHOD"] == "PUBLISH"


def test_drafts_folder(demo: Path, tmp_path: Path) -> None:
    wanted, total = _by_mail(demo)
    folder = tmp_path / "Entwürfe"
    result = run_cli("mail", "--db", str(demo), "--conference", "2026", "--eml-ordner", str(folder))
    assert result.returncode == 0, result.stderr
    files = sorted(folder.glob("*.eml"))
    assert len(files) == len(wanted)
    assert f"{len(wanted)} E-Mail-Entwürfe geschrieben" in result.stdout
    if total > len(wanted):
        assert "ohne E-Mail-Adresse" in result.stdout
    for path in files:
        msg = _parse(path)
        assert msg["X-Unsent"] == "1"
        assert msg["Cc"] is None and msg["Bcc"] is None
        assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
    again = run_cli("mail", "--db", str(demo), "--conference", "2026", "--eml-ordner", str(folder))
    assert_one_line_error(again, "gibt es schon", "es wurde nichts geschrieben")


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        (["--preview", "999999", "-o", "x.eml"], ["Die Einladung 999999 gibt es"]),
        (["--preview", "1"], ["--preview braucht -o"]),
        (["--send"], ["E-Mail-Einstellungen sind unvollständig", "Mailserver"]),
        (["--eml-ordner", "d", "--anlagen", "brief,foto"], ["„foto“ gibt es nicht"]),
        (["--eml-ordner", "d", "--template", "gibtsnicht"], ["Die Vorlage „gibtsnicht“ gibt es nicht"]),
        (["--eml-ordner", "d", "--status", "unklar"], ["Status"]),
    ],
)
def test_bad_input_is_one_german_line(
    demo: Path, tmp_path: Path, extra: list[str], fragments: list[str]
) -> None:
    args = [str(tmp_path / a) if a in ("x.eml", "d") else a for a in extra]
    result = run_cli("mail", "--db", str(demo), "--conference", "2026", *args)
    assert_one_line_error(result, *fragments)
    assert not (tmp_path / "d").exists() and not (tmp_path / "x.eml").exists()


def test_no_sender_address_is_a_user_error(demo_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "ohne.sqlite"
    shutil.copy(demo_template, path)
    wanted, _ = _by_mail(path)
    result = run_cli(
        "mail",
        "--db",
        str(path),
        "--conference",
        "2026",
        "--preview",
        str(wanted[0]),
        "-o",
        str(tmp_path / "x.eml"),
    )
    assert_one_line_error(result, "keine Absenderadresse")
