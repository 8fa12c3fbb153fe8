"""The order of one message's envelope against its claim (issue 16, mail_ratio): MAIL FROM and RCPT TO go
before the claim is committed and their replies are read after it, so the guarantees hold at every step –
the message is recorded as *sending*, with the bytes, before DATA hands it over; a recipient refused at
RCPT gets nothing and is failed with the server's text; a connection lost before DATA queues the message
again; a kill before DATA leaves it *sending* (unknown at the next start), never lost and never resent
blindly. Through a real SMTP server (aiosmtpd) and the real database."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from test_mail_sending import NAMES, compose, conference_with_invitees, new_run, settings_for, states

sys.path.insert(0, str(Path(__file__).parents[1]))
from smtp_server import Handler, start_server

from konferenz.enums import MailState
from konferenz.mail import outbox, smtp
from konferenz.storage.db import Database
from konferenz.storage.models import MailMessage
from konferenz.storage.schema import mail_content


def _stored(db: Database, address: str) -> tuple[MailState, bytes | None]:
    """The state of the message to ``address`` and the bytes stored for it, as another connection sees
    them (committed)."""
    with db.read_session() as s:
        pk, state = s.execute(
            sa.select(MailMessage.id, MailMessage.state).where(MailMessage.address == address)
        ).one()
        content = s.scalar(sa.select(mail_content.c.content).where(mail_content.c.message_pk == pk))
    return state, content


@dataclass
class Watching(Handler):
    """Looks into the database when the data of a message arrives (before it answers), and can drop the
    connection instead of answering RCPT TO for one address."""

    db: Database | None = None
    drop_at_rcpt: str | None = None
    seen: dict[str, tuple[MailState, bytes | None]] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address == self.drop_at_rcpt:
            server.transport.abort()
            return "421 closing"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        assert self.db is not None
        for address in envelope.rcpt_tos:
            self.seen[address] = _stored(self.db, address)
        return await super().handle_DATA(server, session, envelope)


def test_each_message_is_sending_with_its_bytes_before_the_server_has_its_data(db: Database) -> None:
    conference_with_invitees(db)
    handler = Watching(db=db)
    server = start_server(handler)
    try:
        report = smtp.send_run(db, new_run(db), compose, settings_for(server.port)).report
    finally:
        server.stop()
    assert report.count(MailState.SENT) == len(NAMES)
    assert set(handler.seen) == {address for _, _, address in NAMES}
    raw = {item.recipients[0]: item.raw for item in handler.received}
    for address, (state, content) in handler.seen.items():
        assert state is MailState.SENDING, address
        assert content is not None and content.replace(b"\r\n", b"\n") == raw[address].replace(b"\r\n", b"\n")


def test_a_recipient_refused_at_rcpt_is_failed_with_the_server_text_and_gets_nothing(db: Database) -> None:
    conference_with_invitees(db)
    refused = {"olena@example.org", "jan@example.org"}  # one in the middle, the last one
    handler = Watching(db=db, refuse=refused)
    server = start_server(handler)
    try:
        run_id = new_run(db)
        report = smtp.send_run(db, run_id, compose, settings_for(server.port)).report
    finally:
        server.stop()
    assert handler.count_by_address() == {address: 1 for _, _, address in NAMES if address not in refused}
    assert {line.address: (line.smtp_code, line.smtp_reply) for line in report.failed} == {
        address: (550, "5.1.1 Empfänger unbekannt / user unknown") for address in refused
    }
    assert all(states(db, run_id)[address] is MailState.FAILED for address in refused)
    assert report.count(MailState.SENT) == len(NAMES) - len(refused) and report.finished_at is not None


def test_a_connection_lost_before_data_queues_the_message_again(db: Database) -> None:
    conference_with_invitees(db)
    run_id = new_run(db)
    # the third: claimed, then the server drops the connection instead of answering its RCPT TO
    lost = outbox.queued_messages(db, run_id)[2].address
    handler = Watching(db=db, drop_at_rcpt=lost)
    server = start_server(handler)
    try:
        with pytest.raises(smtp.SendInterruptedError, match="brach ab") as caught:
            smtp.send_run(db, run_id, compose, settings_for(server.port))
        assert caught.value.report.count(MailState.SENT) == 2
        assert caught.value.report.unknown == []  # the server never had its data
        assert _stored(db, lost) == (MailState.QUEUED, None)  # its claim is taken back, bytes too
        handler.drop_at_rcpt = None
        report = smtp.send_run(db, run_id, compose, settings_for(server.port)).report
    finally:
        server.stop()
    assert report.count(MailState.SENT) == len(NAMES) and report.finished_at is not None
    assert handler.count_by_address() == {address: 1 for _, _, address in NAMES}


class Killed(BaseException):
    """The process dies (SIGKILL) at this point: nothing after it runs in the sending loop."""


def test_a_kill_between_rcpt_and_data_leaves_the_message_unknown_never_lost_or_resent(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    conference_with_invitees(db)
    handler = Handler()
    server = start_server(handler)
    handed: list[bytes] = []
    real_send_data = smtp._send_data

    def dies_before_the_fourth(connection: smtp.Connection, content: bytes) -> tuple[int, str] | None:
        if len(handed) == 3:
            raise Killed
        handed.append(content)
        return real_send_data(connection, content)

    monkeypatch.setattr(smtp, "_send_data", dies_before_the_fourth)
    run_id = new_run(db)
    victim = outbox.queued_messages(db, run_id)[3].address
    try:
        with pytest.raises(Killed):
            smtp.send_run(db, run_id, compose, settings_for(server.port))
        state, content = _stored(db, victim)
        assert state is MailState.SENDING and content  # claimed, with the bytes it would have received
        assert victim not in handler.count_by_address()
        monkeypatch.setattr(smtp, "_send_data", real_send_data)
        report = smtp.send_run(db, run_id, compose, settings_for(server.port)).report  # the next start
    finally:
        server.stop()
    assert [line.address for line in report.unknown] == [victim]  # listed for a decision
    assert report.count(MailState.SENT) == len(NAMES) - 1
    assert handler.count_by_address() == {address: 1 for _, _, address in NAMES if address != victim}
    assert [r.run_id for r in outbox.open_runs(db)] == [run_id]
