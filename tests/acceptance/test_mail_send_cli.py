"""``konferenz mail --send`` as staff use it: a real process on a demo database sends to a real SMTP server
started by the test; the messages it received are read back (salutation, both parts, the letter PDF, the
calendar entry, names in the headers), a dropped connection is continued with ``--fortsetzen`` and the
undecided message with ``--unklar``, and nobody receives a message twice."""

from __future__ import annotations

import datetime as dt
import email
import io
import re
import shutil
import sys
from email.header import decode_header, make_header
from email.policy import compat32
from email.utils import parseaddr
from pathlib import Path

import icalendar
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from test_cli import assert_one_line_error, run_cli

sys.path.insert(0, str(Path(__file__).parents[1]))
from smtp_server import Handler, start_server

from konferenz.enums import Channel, InvitationStatus, MailState
from konferenz.mail.messages import MailContent, mail_contents
from konferenz.mail.settings import MailSettings, save_mail_settings
from konferenz.storage.db import open_database
from konferenz.storage.models import Invitation, MailMessage

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mailsend") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "60", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return path


def _demo(template: Path, tmp_path: Path, port: int) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(template, path)
    set_port(path, port)
    return path


def set_port(path: Path, port: int) -> None:
    database = open_database(path)
    try:
        save_mail_settings(
            database,
            MailSettings(
                from_address="integration@kreis-borken.de",
                from_name="Kreis Borken – Kommunales Integrationszentrum",
                reply_to="ki@kreis-borken.de",
                host="127.0.0.1",
                port=port,
                security="none",
                per_minute=0,
            ),
        )
    finally:
        database.dispose()


def _contents(path: Path, statuses: list[InvitationStatus] | None = None) -> list[MailContent]:
    """The invitations of 2026 (with ``statuses``, or all) as the e-mail run sees them."""
    database = open_database(path)
    try:
        return mail_contents(database, 2026, statuses, template="einladung")
    finally:
        database.dispose()


def _expected(path: Path) -> dict[str, str]:
    """address → display name of every invitation the run goes to (``SALUTATIONS``: address → salutation
    per DOMAIN.md, as the letter has it)."""
    items = _contents(path)
    SALUTATIONS.update({i.recipient.address: i.letter.salutation for i in items if i.recipient.address})
    IDS.update({i.recipient.address: i.recipient.invitation_id for i in items if i.recipient.address})
    return {i.recipient.address: i.recipient.name for i in items if i.recipient.address}


SALUTATIONS: dict[str, str] = {}
IDS: dict[str, int] = {}


def _first_invitations(path: Path) -> dict[int, tuple[Channel | None, dt.date | None]]:
    """Channel and date of every invitation's first sending, before the run."""
    database = open_database(path)
    try:
        with database.read_session() as s:
            rows = s.execute(sa.select(Invitation.id, Invitation.invitation_channel, Invitation.invited_on))
            return {pk: (channel, day) for pk, channel, day in rows}
    finally:
        database.dispose()


def test_send_to_a_real_server_and_read_every_message_back(demo_template: Path, tmp_path: Path) -> None:
    handler = Handler()
    server = start_server(handler)
    try:
        path = _demo(demo_template, tmp_path, server.port)
        first = _first_invitations(path)
        expected = _expected(path)
        assert len(expected) >= 5
        by_post = next(iter(expected))  # staff chose a letter for this one
        del expected[by_post]
        result = run_cli(
            "mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send", "--anlagen", "brief,ics",
            "--per-brief", str(IDS[by_post]),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert f"{len(expected)} gesendet" in result.stdout
        assert handler.count_by_address() == dict.fromkeys(expected, 1)  # everyone once, nobody else
        for item in handler.received:
            msg = item.message
            assert len(item.recipients) == 1 and msg["Cc"] is None and msg["Bcc"] is None
            address = item.recipients[0]
            # any script survives RFC 2047; decoded as RFC 2047 §6.2 says (Python's newer header parser adds a
            # space between two encoded words, which mail programs do not)
            raw_to = next(
                v for k, v in email.message_from_bytes(item.raw, policy=compat32).items() if k == "To"
            )
            assert parseaddr(str(make_header(decode_header(raw_to)))) == (expected[address], address)
            assert msg["Reply-To"].addresses[0].addr_spec == "ki@kreis-borken.de"
            text = msg.get_body(("plain",)).get_content()
            html = msg.get_body(("html",)).get_content()
            salutation = text.strip().splitlines()[0]
            assert salutation == SALUTATIONS[address]
            assert re.match(
                r"^(Sehr geehrte[r]? |Sehr geehrte Damen und Herren|Liebe[r]? |Guten Tag )", salutation
            )
            assert salutation in html
            parts = {p.get_filename(): p for p in msg.iter_attachments()}
            pdf = next(p for name, p in parts.items() if name and name.endswith(".pdf"))
            reader = PdfReader(io.BytesIO(pdf.get_content()))
            letter_text = " ".join(page.extract_text() for page in reader.pages)
            assert salutation.rstrip(",").split()[-1] in letter_text
            calendar = icalendar.Calendar.from_ical(parts["Termin.ics"].get_content())
            assert str(calendar["METHOD"]) == "PUBLISH"
        database = open_database(path)
        try:
            with database.read_session() as s:
                states = s.scalars(sa.select(MailMessage.state)).all()
                sent = s.scalars(
                    sa.select(Invitation).where(Invitation.id.in_(sa.select(MailMessage.invitation_id)))
                ).all()
            assert set(states) == {MailState.SENT}
            assert len(sent) == len(expected)
            # channel E-Mail and today for those not invited before; an invitation sent again keeps the first's
            today = (Channel.EMAIL, dt.date.today())
            assert all(
                (inv.invitation_channel, inv.invited_on) == (first[inv.id] if first[inv.id][1] else today)
                for inv in sent
            )
            assert {bool(first[inv.id][1]) for inv in sent} == {True, False}
            assert all(inv.status is not InvitationStatus.PLANNED for inv in sent)  # vorgemerkt → eingeladen
        finally:
            database.dispose()
        # a second run sends only the one who has not got this e-mail yet, a third nobody
        second = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
        assert second.returncode == 0, second.stderr
        assert handler.count_by_address() == dict.fromkeys([*expected, by_post], 1)
        third = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
        assert_one_line_error(
            third, "haben diese E-Mail schon (gesendet oder als Entwurf)", "1 hat keine", "--erneut"
        )
        assert handler.count_by_address() == dict.fromkeys([*expected, by_post], 1)
    finally:
        server.stop()


def test_a_dropped_connection_is_continued_and_nobody_gets_two(demo_template: Path, tmp_path: Path) -> None:
    handler = Handler(drop_after=3)
    server = start_server(handler)
    try:
        path = _demo(demo_template, tmp_path, server.port)
        expected = _expected(path)
        broken = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
        assert_one_line_error(broken)
        assert "Versand 1" in broken.stdout
        assert len(handler.received) == 3
        # a new run is refused while this one is open
        refused = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
        assert_one_line_error(refused, "--fortsetzen 1")
    finally:
        server.stop()
    handler2 = Handler()
    server2 = start_server(handler2)
    try:
        set_port(path, server2.port)
        unknown = run_cli("mail", "--db", str(path), "--fortsetzen", "1")
        assert unknown.returncode == 0, unknown.stderr
        assert "unklar" in unknown.stdout  # the message in flight when the connection dropped
        decided = run_cli("mail", "--db", str(path), "--unklar", "1", "--erneut-senden")
        assert decided.returncode == 0, decided.stderr
        rest = run_cli("mail", "--db", str(path), "--fortsetzen", "1")
        assert rest.returncode == 0, rest.stderr
        counts: dict[str, int] = {}
        for h in (handler, handler2):
            for address, n in h.count_by_address().items():
                counts[address] = counts.get(address, 0) + n
        assert counts == dict.fromkeys(expected, 1)
    finally:
        server2.stop()


def test_refused_addresses_are_counted_for_letters(demo_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    expected = _expected(path)
    refused = set(list(expected)[:2])
    handler = Handler(refuse=refused)
    server = start_server(handler)
    try:
        set_port(path, server.port)
        without = sum(1 for i in _contents(path) if not i.recipient.address)
        result = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    assert "2 abgelehnt" in result.stdout and "550 5.1.1" in result.stdout
    # the letters to print: those without an address and those the server refused just now
    hint = re.search(r"Hinweis: (\d+) Einladung\(en\) ohne E-Mail", result.stdout)
    assert hint, result.stdout
    assert int(hint.group(1)) == without + len(refused)
    assert not set(handler.count_by_address()) & refused


def test_no_connection_leaves_no_run_behind(demo_template: Path, tmp_path: Path) -> None:
    from smtp_server import free_port

    path = _demo(demo_template, tmp_path, free_port())  # nobody listens there
    failed = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
    assert_one_line_error(failed, "nicht erreichbar")
    handler = Handler()
    server = start_server(handler)
    try:
        set_port(path, server.port)
        # the same command once the server is there: not refused for a run that never sent anything
        again = run_cli("mail", "--db", str(path), "--conference", "2026", "--status", "alle", "--send")
    finally:
        server.stop()
    assert again.returncode == 0, again.stderr
    assert len(handler.received) == len(_expected(path))
    database = open_database(path)
    try:
        with database.read_session() as s:  # only the run that sent
            assert s.scalar(sa.select(sa.func.count(MailMessage.run_id.distinct()))) == 1
    finally:
        database.dispose()


def test_without_a_status_an_invitation_goes_to_those_vorgemerkt(demo_template: Path, tmp_path: Path) -> None:
    # as the window proposes it: those who replied get an invitation again only when staff choose them
    handler = Handler()
    server = start_server(handler)
    try:
        path = _demo(demo_template, tmp_path, server.port)
        planned = {
            i.recipient.address for i in _contents(path, [InvitationStatus.PLANNED]) if i.recipient.address
        }
        assert planned and len(planned) < len(_expected(path))
        result = run_cli("mail", "--db", str(path), "--conference", "2026", "--send")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    assert set(handler.count_by_address()) == planned
