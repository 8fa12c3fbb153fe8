"""Sending a run through a real SMTP server (aiosmtpd, started here): every message once, the states
written before and after, refusals, a dropped connection, wrong credentials, TLS required, certificates."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parents[1]))
from smtp_server import PASSWORD, USER, Handler, MemoryKeyring, client_context, make_certificate, start_server

from konferenz.enums import Channel, InvitationStatus, MailState
from konferenz.errors import UserError
from konferenz.mail import outbox, smtp
from konferenz.mail.mime import Attachment, OutgoingMessage
from konferenz.mail.settings import MailSettings, load_mail_settings, save_mail_settings
from konferenz.storage.db import Database
from konferenz.storage.models import AuditEntry, Conference, Invitation, MailMessage, Person, Setting
from konferenz.storage.schema import mail_content

NAMES = [
    ("Ayşe", "Öztürk", "ayse@example.org"),
    ("Олена", "Шевченко", "olena@example.org"),
    ("Nguyễn", "Thị Minh", "minh@example.org"),
    ("فاطمة", "الزهراء", "fatima@example.org"),
    ("Anna", "Schmidt", "anna@example.org"),
    ("Jan", "de Vries", "jan@example.org"),
]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def conference_with_invitees(db: Database, names: list[tuple[str, str, str]] = NAMES) -> int:
    with db.session() as s:
        conf = Conference(year=2027, title="Integrationskonferenz 2027")
        s.add(conf)
        s.flush()
        for first, last, address in names:
            person = Person(first_name=first, last_name=last, email=address)
            s.add(person)
            s.flush()
            s.add(Invitation(conference_id=conf.id, person_id=person.id))
        return conf.id


def compose(row: MailMessage) -> OutgoingMessage:
    """A small composer as the caller gives one: the run's template and the invitee's name."""
    message = OutgoingMessage(
        text=f"Guten Tag,\nSie sind eingeladen. Nachricht {row.id}.\n",
        html=f"<p>Guten Tag,</p><p>Sie sind eingeladen. Nachricht {row.id}.</p>",
    )
    message.set("Subject", f"Einladung ({row.run.template}) für {row.address}")
    message.set("From", "Kreis Borken <kiz@kreis-borken.de>")
    message.set("To", row.address)
    return message


def settings_for(port: int, **changes: object) -> MailSettings:
    values: dict[str, object] = {
        "from_address": "kiz@kreis-borken.de",
        "from_name": "Kreis Borken – Kommunales Integrationszentrum",
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "user": "",
        "per_minute": 0,
    }
    values.update(changes)
    return MailSettings(**values)  # type: ignore[arg-type]


def new_run(db: Database, template: str = "einladung") -> int:
    plan = outbox.plan_recipients(db, 2027, template)
    return outbox.create_run(
        db, plan.conference_id, template, plan.email, from_address="kiz@kreis-borken.de"
    ).run_id


def states(db: Database, run_id: int) -> dict[str, MailState]:
    with db.read_session() as s:
        return dict(
            s.execute(
                sa.select(MailMessage.address, MailMessage.state).where(MailMessage.run_id == run_id)
            ).all()
        )


def test_every_recipient_gets_one_message_and_the_invitation_records_it(db: Database) -> None:
    conference_with_invitees(db)
    handler = Handler()
    server = start_server(handler)
    try:
        run_id = new_run(db)
        seen: list[tuple[int, int]] = []
        result = smtp.send_run(
            db, run_id, compose, settings_for(server.port), lambda d, t: seen.append((d, t))
        )
    finally:
        server.stop()
    assert handler.count_by_address() == {address: 1 for _, _, address in NAMES}
    assert result.report.count(MailState.SENT) == len(NAMES) and not result.cancelled
    assert seen[-1] == (len(NAMES), len(NAMES))
    with db.read_session() as s:
        rows = s.scalars(sa.select(MailMessage).where(MailMessage.run_id == run_id)).all()
        invitations = s.scalars(sa.select(Invitation)).all()
        finished = outbox.run_report(db, run_id).finished_at
        stored = dict(s.execute(sa.select(mail_content.c.message_pk, mail_content.c.content)).all())
    by_id = {item.message["Message-ID"].strip(): item for item in handler.received}
    for row in rows:
        # the message recorded is byte for byte what the server received, under the run's Message-ID
        assert row.state is MailState.SENT and row.smtp_code == 250
        received = by_id[row.message_id]
        assert row.size == len(stored[row.id])
        assert received.raw.replace(b"\r\n", b"\n") == stored[row.id].replace(b"\r\n", b"\n")
        assert received.recipients == [row.address]
        assert received.message["To"] == row.address
        assert "Cc" not in received.message and "Bcc" not in received.message
    assert all(
        (inv.invitation_channel, inv.invited_on, inv.letter_template, inv.status)
        == (Channel.EMAIL, dt.date.today(), "einladung", InvitationStatus.INVITED)
        for inv in invitations
    )
    assert finished is not None


def test_a_refused_recipient_is_failed_and_marked_failing_on_the_person(db: Database) -> None:
    conference_with_invitees(db)
    handler = Handler(refuse={"olena@example.org"})
    server = start_server(handler)
    try:
        run_id = new_run(db)
        report = smtp.send_run(db, run_id, compose, settings_for(server.port)).report
    finally:
        server.stop()
    assert "olena@example.org" not in handler.count_by_address()
    assert len(handler.received) == len(NAMES) - 1
    assert states(db, run_id)["olena@example.org"] is MailState.FAILED
    assert [(line.address, line.smtp_code) for line in report.failed] == [("olena@example.org", 550)]
    # staff read the template's name, not its file name
    assert report.summary().startswith(f"Versand {run_id} (Einladung): ") and "abgelehnt" in report.summary()
    with db.read_session() as s:
        person = s.scalars(sa.select(Person).where(Person.email == "olena@example.org")).one()
        inv = s.scalars(sa.select(Invitation).where(Invitation.person_id == person.id)).one()
        others = s.scalars(sa.select(Person).where(Person.email != "olena@example.org")).all()
    assert person.email_failing == "550 5.1.1 Empfänger unbekannt / user unknown"
    assert person.email_failing_at is not None
    assert inv.invitation_channel is None and inv.status is InvitationStatus.PLANNED
    assert all(p.email_failing == "" for p in others)
    # the next run gives her a letter instead
    plan = outbox.plan_recipients(db, 2027, "einladung", again=True)  # again: the others have it already
    assert inv.id in plan.letter and len(plan.email) == len(NAMES) - 1


def test_a_dropped_connection_leaves_the_message_unknown_and_the_rest_queued(db: Database) -> None:
    conference_with_invitees(db)
    handler = Handler(drop_after=2)
    server = start_server(handler)
    try:
        run_id = new_run(db)
        with pytest.raises(smtp.SendInterruptedError, match="brach ab") as caught:
            smtp.send_run(db, run_id, compose, settings_for(server.port))
        assert caught.value.report.count(MailState.SENT) == 2
        assert caught.value.report.count(MailState.UNKNOWN) == 1
        assert caught.value.report.count(MailState.QUEUED) == len(NAMES) - 3
        unknown = [line.message_id for line in caught.value.report.unknown]
        # continue: the rest goes, the unknown one is not resent blindly
        handler.drop_after = None
        report = smtp.send_run(db, run_id, compose, settings_for(server.port)).report
        assert report.count(MailState.SENT) == len(NAMES) - 1 and report.unknown
        assert report.finished_at is None
        assert [r.run_id for r in outbox.open_runs(db)] == [run_id]
        assert all(n == 1 for n in handler.count_by_address().values())
        assert len(handler.received) == len(NAMES) - 1
        # staff decide: resend it
        outbox.decide_unknown(db, unknown, delivered=False)
        report = smtp.send_run(db, run_id, compose, settings_for(server.port)).report
    finally:
        server.stop()
    assert report.count(MailState.SENT) == len(NAMES) and report.finished_at is not None
    assert handler.count_by_address() == {address: 1 for _, _, address in NAMES}
    assert outbox.open_runs(db) == []


def test_unknown_recorded_as_delivered_records_the_invitation(db: Database) -> None:
    conference_with_invitees(db, NAMES[:2])
    run_id = new_run(db)
    pk = outbox.queued_ids(db, run_id)[0]
    assert outbox.claim(db, pk, b"Subject: x\r\n\r\nx\r\n", "x")
    assert not outbox.claim(db, pk, b"other", "y")  # nobody takes it twice
    assert outbox.recover_interrupted(db) == [pk]  # the program was killed here
    with pytest.raises(UserError, match="nicht „unklar“"):
        outbox.decide_unknown(db, [outbox.queued_ids(db, run_id)[0]], delivered=True)
    changes = outbox.decide_unknown(db, [pk], delivered=True)
    assert "invitations" in changes.kinds
    with db.read_session() as s:
        msg = s.get(MailMessage, pk)
        assert msg is not None and msg.state is MailState.SENT
        inv = s.get(Invitation, msg.invitation_id)
        assert inv is not None and inv.invitation_channel is Channel.EMAIL


def test_delivered_but_not_yet_recorded_is_recorded_at_the_next_start(db: Database) -> None:
    """Killed between the server's 250 and the batch that records the invitations: the message is never
    unknown or resent; the next start (``recover_interrupted``) records it, with the audit log."""
    conference_with_invitees(db, NAMES[:3])
    run_id = new_run(db)
    first, second, _third = outbox.queued_ids(db, run_id)
    for pk in (first, second):
        assert outbox.claim(db, pk, b"Subject: x\r\n\r\nx\r\n", "x")
    outbox.mark_delivered(db, first, 250, "2.0.0 Ok: queued as 4711")
    report = outbox.run_report(db, run_id)
    assert report.sent == 1 and report.count(MailState.SENT) == 0  # reported as sent, not yet recorded
    assert [r.run_id for r in outbox.open_runs(db)] == [run_id]
    assert outbox.recover_interrupted(db) == [second]  # the one the server had without a reply
    with db.read_session() as s:
        msg = s.get(MailMessage, first)
        assert msg is not None and msg.state is MailState.SENT and msg.smtp_code == 250
        assert msg.smtp_reply == "2.0.0 Ok: queued as 4711" and msg.sent_at is not None
        inv = s.get(Invitation, msg.invitation_id)
        assert inv is not None and inv.invitation_channel is Channel.EMAIL
        assert inv.status is InvitationStatus.INVITED and inv.letter_template == "einladung"
        logged = s.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "invitation", AuditEntry.entity_id == inv.id
            )
        ).all()
        assert logged  # written through the unit of work: the change is in the audit log
    assert outbox.record_delivered(db) == 0  # recorded once


def test_cancel_stops_before_the_next_message(db: Database) -> None:
    conference_with_invitees(db)
    handler = Handler()
    server = start_server(handler)
    try:
        run_id = new_run(db)
        handed: list[int] = []
        result = smtp.send_run(
            db,
            run_id,
            compose,
            settings_for(server.port),
            progress=lambda done, _total: handed.append(done),
            cancelled=lambda: len(handed) >= 2,
        )
    finally:
        server.stop()
    assert result.cancelled and len(handler.received) == 2
    assert result.report.count(MailState.QUEUED) == len(NAMES) - 2


def test_throttle_waits_between_messages(db: Database) -> None:
    conference_with_invitees(db, NAMES[:3])
    handler = Handler()
    server = start_server(handler)
    waited: list[float] = []
    try:
        run_id = new_run(db)
        smtp.send_run(db, run_id, compose, settings_for(server.port, per_minute=600), sleep=waited.append)
    finally:
        server.stop()
    assert len(handler.received) == 3
    assert waited and all(0 < w <= 0.1 for w in waited)


def test_a_too_large_message_is_not_sent(db: Database) -> None:
    conference_with_invitees(db, NAMES[:2])
    handler = Handler()
    server = start_server(handler)

    def big(row: MailMessage) -> OutgoingMessage:
        message = compose(row)
        if row.address == NAMES[0][2]:
            message.attachments.append(Attachment("Groß.pdf", "application/pdf", b"\0" * (2 * 1024 * 1024)))
        return message

    try:
        run_id = new_run(db)
        report = smtp.send_run(db, run_id, big, settings_for(server.port, max_megabytes=1)).report
    finally:
        server.stop()
    assert [line.address for line in report.failed] == [NAMES[0][2]]
    assert "groß" in report.failed[0].smtp_reply
    assert handler.count_by_address() == {NAMES[1][2]: 1}


def test_a_message_that_cannot_be_composed_fails_alone(db: Database) -> None:
    """The composer's German refusal (a letter too large for the limit, a broken template) marks that one
    message failed with the reason; the others of the run are sent."""
    conference_with_invitees(db, NAMES[:3])
    handler = Handler()
    server = start_server(handler)

    def refusing(row: MailMessage) -> OutgoingMessage:
        if row.address == NAMES[1][2]:
            raise UserError("Die E-Mail an Olena wäre 12 MB groß (erlaubt sind 10 MB).")
        return compose(row)

    try:
        report = smtp.send_run(db, new_run(db), refusing, settings_for(server.port)).report
    finally:
        server.stop()
    assert [(line.address, line.smtp_reply) for line in report.failed] == [
        (NAMES[1][2], "Nicht gesendet: Die E-Mail an Olena wäre 12 MB groß (erlaubt sind 10 MB).")
    ]
    assert handler.count_by_address() == {NAMES[0][2]: 1, NAMES[2][2]: 1}


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return make_certificate(tmp_path)


def test_starttls_and_login_with_the_password_from_the_keyring(
    db: Database, certificate: tuple[Path, Path], memory_keyring: MemoryKeyring
) -> None:
    conference_with_invitees(db, NAMES[:2])
    handler = Handler()
    server = start_server(handler, tls=certificate, auth=True, require_starttls=True)
    settings = settings_for(server.port, security="starttls", user=USER)
    try:
        smtp.store_password(settings, PASSWORD)
        assert memory_keyring.store == {("Konferenz SMTP", f"{USER}@127.0.0.1"): PASSWORD}
        run_id = new_run(db)
        report = smtp.send_run(db, run_id, compose, settings, context=client_context(certificate[0])).report
        assert smtp.send_test(settings, context=client_context(certificate[0])).startswith("250")
    finally:
        server.stop()
    assert report.count(MailState.SENT) == 2 and len(handler.received) == 3
    assert handler.received[-1].message["Subject"] == "Testnachricht an mich"
    save_mail_settings(db, settings)
    with db.read_session() as s:
        values = [str(v) for v in s.scalars(sa.select(Setting.value))]
        assert load_mail_settings(s) == settings
    assert not any(PASSWORD in v for v in values)  # never in the database


def test_wrong_credentials_are_a_german_message_and_nothing_is_sent(
    db: Database, certificate: tuple[Path, Path]
) -> None:
    conference_with_invitees(db, NAMES[:2])
    handler = Handler()
    server = start_server(handler, tls=certificate, auth=True, require_starttls=True)
    settings = settings_for(server.port, security="starttls", user=USER)
    try:
        smtp.store_password(settings, "falsch")
        run_id = new_run(db)
        with pytest.raises(UserError, match=r"hat die Anmeldung als .* abgelehnt"):
            smtp.send_run(db, run_id, compose, settings, context=client_context(certificate[0]))
    finally:
        server.stop()
    assert handler.received == []
    assert set(states(db, run_id).values()) == {MailState.QUEUED}


def test_missing_password_is_named(db: Database, certificate: tuple[Path, Path]) -> None:
    server = start_server(Handler(), tls=certificate, auth=True)
    try:
        with pytest.raises(UserError, match="kein Kennwort gespeichert"):
            smtp.send_test(
                settings_for(server.port, security="starttls", user=USER),
                context=client_context(certificate[0]),
            )
    finally:
        server.stop()


def test_tls_required_by_the_server(db: Database, certificate: tuple[Path, Path]) -> None:
    conference_with_invitees(db, NAMES[:2])
    handler = Handler()
    server = start_server(handler, tls=certificate, require_starttls=True)
    try:
        run_id = new_run(db)
        with pytest.raises(UserError, match="verlangt eine verschlüsselte Verbindung"):
            smtp.send_run(db, run_id, compose, settings_for(server.port, security="none"))
    finally:
        server.stop()
    assert handler.received == []
    assert set(states(db, run_id).values()) == {MailState.QUEUED}


def test_an_untrusted_certificate_is_a_german_message(certificate: tuple[Path, Path]) -> None:
    server = start_server(Handler(), tls=certificate)
    try:
        with pytest.raises(
            UserError, match=r"Zertifikat des Mailservers „127\.0\.0\.1“ ist nicht vertrauenswürdig"
        ):
            smtp.send_test(settings_for(server.port, security="starttls"))
    finally:
        server.stop()


def test_no_starttls_offered(certificate: tuple[Path, Path]) -> None:
    server = start_server(Handler())
    try:
        with pytest.raises(UserError, match="bietet kein STARTTLS an"):
            smtp.send_test(settings_for(server.port, security="starttls"))
    finally:
        server.stop()


def test_an_unencrypted_connection_reads_no_certificates(monkeypatch: pytest.MonkeyPatch) -> None:
    # the system's certificates cost 20 ms to read: a run to an internal relay without TLS needs none
    def refuse() -> None:
        raise AssertionError("TLS context created for a connection without TLS")

    monkeypatch.setattr(smtp.ssl, "create_default_context", refuse)
    server = start_server(Handler())
    try:
        assert smtp.send_test(settings_for(server.port, security="none")).startswith("250")
    finally:
        server.stop()


def test_unreachable_host() -> None:
    from smtp_server import free_port

    with pytest.raises(UserError, match="ist nicht erreichbar"):
        smtp.send_test(settings_for(free_port()))


def test_settings_are_checked_with_german_messages(db: Database) -> None:
    with pytest.raises(UserError, match="Absenderadresse: „kein-at“ ist keine gültige E-Mail-Adresse"):
        save_mail_settings(db, MailSettings(from_address="kein-at"))
    with pytest.raises(UserError, match="Verschlüsselung"):
        save_mail_settings(db, MailSettings(security="tls13"))
    with pytest.raises(UserError, match=r"unvollständig \(Mailserver, Absenderadresse fehlen\)"):
        smtp.send_test(MailSettings())
