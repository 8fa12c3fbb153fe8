"""E-Mail-Einstellungen im Fenster: saved through the core's checks (a German message naming the field, nothing
stored), the password in the (in-memory) keyring and never in the database, "Testnachricht an mich" arriving
at a real SMTP server started here, a server that is not there named in German; and the offer at the start
of the main window to continue an unfinished run (one message left *sending* by a killed program)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QMessageBox

sys.path.insert(0, str(Path(__file__).parents[1]))
from smtp_server import Handler, MemoryKeyring, free_port, start_server

from konferenz.demo.builder import generate_demo
from konferenz.enums import MailState
from konferenz.letters.selection import find_conference
from konferenz.mail import outbox
from konferenz.mail.messages import mail_contents
from konferenz.mail.settings import MailSettings, load_mail_settings, save_mail_settings
from konferenz.mail.smtp import KEYRING_SERVICE
from konferenz.storage.db import Database
from konferenz.storage.models import MailMessage, Setting
from ui.context import AppContext
from ui.paper.dialogs import mail_sending
from ui.paper.dialogs.mail_settings_dialog import MailSettingsDialog
from ui.settings import settings

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

PASSWORD = "Gehéim-Ä1 kein Klartext"


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    seen: dict[str, list[Any]] = {"questions": [], "info": [], "warnings": []}

    def question(_p: object, _t: str, text: str, *args: object) -> QMessageBox.StandardButton:
        seen["questions"].append((text, args))
        return QMessageBox.StandardButton.Yes

    def info(_p: object, _t: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        seen["info"].append(text)
        return QMessageBox.StandardButton.Ok

    def warning(_p: object, _t: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        seen["warnings"].append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(info))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return seen


def make_dialog(qtbot, db: Database) -> MailSettingsDialog:
    dialog = MailSettingsDialog(AppContext(db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill(qtbot, dialog: MailSettingsDialog, **values: str) -> None:
    for name, text in values.items():
        field = getattr(dialog, name)
        field.clear()
        if text.isascii():
            qtbot.keyClicks(field, text)
        else:  # QTest types Latin-1 only: pasted, as a user would paste a name
            field.insert(text)


def test_save_with_the_password_in_the_keyring_never_in_the_database(
    qtbot, sqlite_db: Database, boxes: dict[str, list[Any]], memory_keyring: MemoryKeyring
) -> None:
    dialog = make_dialog(qtbot, sqlite_db)
    assert dialog.focusWidget() is dialog.from_address
    fill(
        qtbot,
        dialog,
        from_address="integration@kreis-borken.de",
        from_name="Kreis Borken – Kommunales Integrationszentrum",
        reply_to="ki@kreis-borken.de",
        host="mail.kreis-borken.de",
        user="kiz@kreis-borken.de",
        password=PASSWORD,
    )
    dialog.security.setCurrentIndex(dialog.security.findData("ssl"))
    assert dialog.port.value() == 465  # the usual port follows the encryption
    dialog.per_minute.setValue(20)
    assert dialog.password_state.text() == "nicht gespeichert"
    dialog.save_button.click()
    assert boxes["warnings"] == []
    assert dialog.result() == dialog.DialogCode.Accepted
    with sqlite_db.read_session() as s:
        stored = load_mail_settings(s)
        values = [str(v) for v in s.scalars(sa.select(Setting.value))]
    assert stored == MailSettings(
        from_address="integration@kreis-borken.de",
        from_name="Kreis Borken – Kommunales Integrationszentrum",
        reply_to="ki@kreis-borken.de",
        host="mail.kreis-borken.de",
        port=465,
        security="ssl",
        user="kiz@kreis-borken.de",
        per_minute=20,
        max_megabytes=stored.max_megabytes,
    )
    assert memory_keyring.store == {(KEYRING_SERVICE, "kiz@kreis-borken.de@mail.kreis-borken.de"): PASSWORD}
    assert not any(PASSWORD in v for v in values)
    # opened again: the password is never shown, only that it is stored
    again = make_dialog(qtbot, sqlite_db)
    assert again.password.text() == ""
    assert again.password_state.text() == "gespeichert"
    assert again.password.placeholderText() == "gespeichert"


def test_a_wrong_address_is_named_in_german_and_nothing_is_stored(
    qtbot, sqlite_db: Database, boxes: dict[str, list[Any]], memory_keyring: MemoryKeyring
) -> None:
    dialog = make_dialog(qtbot, sqlite_db)
    fill(qtbot, dialog, from_address="integration(at)kreis-borken.de", host="mail", user="u", password="x")
    assert dialog.save() is False
    assert boxes["warnings"] == [
        "Absenderadresse: „integration(at)kreis-borken.de“ ist keine gültige E-Mail-Adresse."
    ]
    with sqlite_db.read_session() as s:
        assert (
            s.scalar(sa.select(sa.func.count()).select_from(Setting).where(Setting.key.like("mail.%"))) == 0
        )
    assert memory_keyring.store == {}
    assert dialog.isVisible()


def test_testnachricht_arrives_at_the_server(qtbot, sqlite_db: Database, boxes: dict[str, list[Any]]) -> None:
    handler = Handler()
    server = start_server(handler)
    try:
        dialog = make_dialog(qtbot, sqlite_db)
        fill(qtbot, dialog, from_address="integration@kreis-borken.de", host="127.0.0.1", user="")
        dialog.security.setCurrentIndex(dialog.security.findData("none"))
        dialog.port.setValue(server.port)
        dialog.test_button.click()
        assert len(handler.received) == 1
        received = handler.received[0]
        assert received.recipients == ["integration@kreis-borken.de"]
        assert received.message["Subject"] == "Testnachricht an mich"
        assert boxes["info"][-1].startswith(
            "Die Testnachricht an integration@kreis-borken.de wurde angenommen (250"
        )
    finally:
        server.stop()
    # no server there: one German sentence, shown in the dialog too
    dialog.port.setValue(free_port())
    assert dialog.send_test() == ""
    assert "ist nicht erreichbar (Verbindung abgelehnt)" in boxes["warnings"][-1]
    assert dialog.result_label.text().startswith("⚠ Der Mailserver „127.0.0.1:")


def test_the_start_offers_to_continue_an_unfinished_run(
    qtbot, sqlite_db: Database, boxes: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with every message queued but one left *sending* (the program was killed while the server had
    it): the start asks once, the undecided one is listed for a decision (resend), then all are sent."""
    from ui.shell.app import after_start
    from ui.shell.main_window import MainWindow

    generate_demo(sqlite_db, persons=40, seed=3)
    handler = Handler()
    server = start_server(handler)
    try:
        save_mail_settings(
            sqlite_db,
            MailSettings(
                from_address="integration@kreis-borken.de",
                host="127.0.0.1",
                port=server.port,
                security="none",
                per_minute=0,
            ),
        )
        year = 2026
        with sqlite_db.read_session() as s:
            conf_id = find_conference(s, year).id
        items = [i for i in mail_contents(sqlite_db, year, template="einladung") if i.recipient.address]
        assert len(items) >= 2
        created = outbox.create_run(
            sqlite_db,
            conf_id,
            "einladung.html.j2",
            [outbox.Recipient(i.recipient.invitation_id, i.recipient.address) for i in items],
            from_address="integration@kreis-borken.de",
        )
        first = outbox.queued_ids(sqlite_db, created.run_id)[0]
        assert outbox.claim(sqlite_db, first, b"Subject: x\r\n\r\nx", "x")  # then killed
        decisions: list[str] = []

        def ask_unknown(_parent: object, text: str) -> str:
            decisions.append(text)
            return mail_sending.RESEND

        monkeypatch.setattr(mail_sending, "ask_unknown", ask_unknown)
        window = MainWindow(sqlite_db)
        qtbot.addWidget(window)
        after_start(window)
        window.show()
        qtbot.waitUntil(lambda: bool(boxes["info"]) or bool(boxes["warnings"]), timeout=20_000)
        n = len(items)
        assert boxes["questions"][0][0] == (
            f"Ein E-Mail-Versand wurde nicht abgeschlossen (0 gesendet, {n - 1} warten, 1 unklar). Fortsetzen?"
        )
        assert boxes["questions"][0][1][-1] == QMessageBox.StandardButton.No
        assert len(decisions) == 1 and items[0].recipient.address in decisions[0]
        assert handler.count_by_address() == {i.recipient.address: 1 for i in items}
        with sqlite_db.read_session() as s:
            assert set(s.scalars(sa.select(MailMessage.state))) == {MailState.SENT}
        assert outbox.open_runs(sqlite_db) == []
        assert boxes["info"][-1].startswith(f"Versand {created.run_id} (Einladung): {n} gesendet.")
    finally:
        server.stop()


def _report(counts: dict[MailState, int]) -> outbox.RunReport:
    unknown = [
        outbox.ReportLine(i, i, f"p{i}@example.org", MailState.UNKNOWN, None, "")
        for i in range(counts.get(MailState.UNKNOWN, 0))
    ]
    return outbox.RunReport(1, "einladung.html.j2", dt.datetime(2026, 12, 8), "", None, counts, [], unknown)


def test_the_start_question_asks_to_continue_only_when_something_waits() -> None:
    waiting = _report({MailState.SENT: 40, MailState.QUEUED: 10, MailState.UNKNOWN: 1})
    assert mail_sending.open_run_question([waiting]) == (
        "Ein E-Mail-Versand wurde nicht abgeschlossen (40 gesendet, 10 warten, 1 unklar). Fortsetzen?"
    )
    # nothing waits: the question is the decision about the unclear ones, and no "0 warten"
    assert mail_sending.open_run_question([_report({MailState.SENT: 218, MailState.UNKNOWN: 1})]) == (
        "Ein E-Mail-Versand wurde nicht abgeschlossen (218 gesendet, 1 unklar). "
        "Jetzt entscheiden, ob die unklare Nachricht ankam?"
    )
    assert mail_sending.open_run_question([_report({MailState.SENT: 5, MailState.UNKNOWN: 3})]).endswith(
        "Jetzt entscheiden, ob die 3 unklaren Nachrichten ankamen?"
    )
