"""``konferenz mail`` as staff use it: real processes on a demo database; the .eml files parse back."""

from __future__ import annotations

import datetime as dt
import email.policy
import re
import shutil
import subprocess
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import icalendar
import pytest
import sqlalchemy as sa
from test_cli import assert_one_line_error, run_cli

from konferenz.enums import Channel, InvitationStatus
from konferenz.letters.templates import template_name
from konferenz.mail import drafts, outbox
from konferenz.mail.messages import mail_contents
from konferenz.mail.settings import MailSettings, save_mail_settings
from konferenz.storage.db import open_database
from konferenz.storage.models import Invitation

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


def _write_drafts(demo: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """``konferenz mail --eml-ordner`` for every invitation of 2026 with an address."""
    return run_cli(
        "mail", "--db", str(demo), "--conference", "2026", "--status", "alle", "--eml-ordner", str(folder)
    )


def test_drafts_folder(demo: Path, tmp_path: Path) -> None:
    wanted, total = _by_mail(demo)
    folder = tmp_path / "Entwürfe"
    result = _write_drafts(demo, folder)
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
    again = _write_drafts(demo, folder)
    assert_one_line_error(again, "gibt es schon", "es wurde nichts geschrieben")


def _invitations(db_path: Path, ids: list[int]) -> dict[int, tuple[object, ...]]:
    database = open_database(db_path)
    try:
        with database.read_session() as s:
            rows = s.execute(
                sa.select(
                    Invitation.id, Invitation.invitation_channel, Invitation.invited_on, Invitation.status
                ).where(Invitation.id.in_(ids))
            ).all()
        return {row[0]: tuple(row[1:]) for row in rows}
    finally:
        database.dispose()


def _draft_run(stdout: str) -> str:
    found = re.search(r"--entwuerfe (\d+) --als-gesendet", stdout)
    assert found, stdout
    return found.group(1)


def test_drafts_are_recorded_as_sent_only_when_confirmed(demo: Path, tmp_path: Path) -> None:
    wanted, _total = _by_mail(demo)
    before = _invitations(demo, wanted)
    result = _write_drafts(demo, tmp_path / "a")
    assert result.returncode == 0, result.stderr
    run = _draft_run(result.stdout)
    assert _invitations(demo, wanted) == before  # writing drafts changes nothing on the invitations
    # nobody gets the same e-mail from a run by the server while the drafts wait for the confirmation
    database = open_database(demo)
    try:
        plan = outbox.plan_recipients(database, 2026, template_name("einladung"), list(InvitationStatus))
        assert not {r.invitation_id for r in plan.email} & set(wanted)
    finally:
        database.dispose()
    ask = run_cli("mail", "--db", str(demo), "--entwuerfe", run)
    assert_one_line_error(ask, "--als-gesendet", "--verwerfen")
    done = run_cli("mail", "--db", str(demo), "--entwuerfe", run, "--als-gesendet")
    assert done.returncode == 0, done.stderr
    assert f"{len(wanted)} Entwurf/Entwürfe als versendet vermerkt" in done.stdout
    after = _invitations(demo, wanted)
    # channel E-Mail and today for those not invited before; an invitation sent again keeps the first's
    for pk, (channel, day, _status) in after.items():
        first_channel, first_day, _ = before[pk]
        assert (channel, day) == (
            (first_channel, first_day) if first_day else (Channel.EMAIL, dt.date.today())
        )
    assert {bool(first[1]) for first in before.values()} == {True, False}
    twice = run_cli("mail", "--db", str(demo), "--entwuerfe", run, "--als-gesendet")
    assert_one_line_error(twice, "keine unbestätigten Entwürfe")


def test_drafts_not_sent_are_discarded(demo: Path, tmp_path: Path) -> None:
    wanted, _total = _by_mail(demo)
    before = _invitations(demo, wanted)
    result = _write_drafts(demo, tmp_path / "b")
    run = _draft_run(result.stdout)
    gone = run_cli("mail", "--db", str(demo), "--entwuerfe", run, "--verwerfen")
    assert gone.returncode == 0, gone.stderr
    assert "verworfen" in gone.stdout
    assert _invitations(demo, wanted) == before
    database = open_database(demo)
    try:
        assert drafts.draft_runs(database) == []
        plan = outbox.plan_recipients(database, 2026, template_name("einladung"), list(InvitationStatus))
        assert set(wanted) <= {r.invitation_id for r in plan.email}  # they can be reached again
    finally:
        database.dispose()
    unknown = run_cli("mail", "--db", str(demo), "--entwuerfe", "999", "--verwerfen")
    assert_one_line_error(unknown, "Einen Versand 999 gibt es nicht")


@pytest.mark.parametrize(
    ("extra", "fragments"),
    [
        (["--preview", "999999", "-o", "x.eml"], ["Die Einladung 999999 gibt es"]),
        (["--preview", "1"], ["--preview braucht -o"]),
        (["--send"], ["E-Mail-Einstellungen sind unvollständig", "(Mailserver fehlt)"]),
        (["--eml-ordner", "d", "--anlagen", "brief,foto"], ["„foto“ gibt es nicht"]),
        (["--eml-ordner", "d", "--template", "gibtsnicht"], ["Die Vorlage „gibtsnicht“ gibt es nicht"]),
        (["--eml-ordner", "d", "--status", "unklar"], ["Status"]),
        # an option of another mode is refused before anything is read or sent
        (["--send", "--als-gesendet"], ["--als-gesendet gehört zu --unklar NR oder --entwuerfe NR"]),
        (["--preview", "1", "-o", "x.eml", "--erneut"], ["--erneut gehört zu --send", "nichts getan"]),
        (["--eml-ordner", "d", "--verwerfen"], ["--verwerfen gehört zu --entwuerfe NR"]),
        (["--eml-ordner", "d", "--per-brief", "1"], ["--per-brief gehört zu --send"]),
        (["--send", "--erneut-senden"], ["--erneut-senden gehört zu --unklar NR"]),
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
