"""Einladungen versenden im Fenster, driven like a user would, against a real SMTP server (aiosmtpd) started
here: the recipients split per channel with counts, one person overridden to a letter, the preview with the
person's salutation, "Als .eml speichern", sending with the question asked first (default: no) and the
report; Abbrechen mid-run leaves the rest queued and "Fortsetzen" sends exactly those."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import shutil
import sys
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton

sys.path.insert(0, str(Path(__file__).parents[1]))
from smtp_server import Handler, start_server

from konferenz.demo.builder import generate_demo
from konferenz.enums import Channel, MailState
from konferenz.letters.selection import find_conference
from konferenz.mail import outbox
from konferenz.mail.messages import mail_contents
from konferenz.mail.settings import MailSettings, save_mail_settings
from konferenz.registry.validation import is_valid_email
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Invitation, MailMessage, Person
from ui.context import AppContext
from ui.paper.dialogs import mail_dialog as md
from ui.paper.dialogs.drafts_dialog import DraftsDialog
from ui.paper.dialogs.mail_dialog import MailDialog
from ui.settings import settings

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

YEAR = 2026


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("maildemo") / "demo.sqlite"
    database = open_database(path)
    generate_demo(database, persons=120, seed=5)
    database.dispose()
    return path


@pytest.fixture
def server() -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    controller = start_server(handler)
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path, server: tuple[Handler, int]) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    database = open_database(path)
    save_mail_settings(
        database,
        MailSettings(
            from_address="integration@kreis-borken.de",
            from_name="Kreis Borken – Kommunales Integrationszentrum",
            reply_to="ki@kreis-borken.de",
            host="127.0.0.1",
            port=server[1],
            security="none",
            per_minute=0,
        ),
    )
    with database.session() as s:
        # one invitee without an address, one whose address the server refused earlier: both get letters
        conf = find_conference(s, YEAR)
        persons = list(
            s.scalars(
                sa.select(Person)
                .join(Invitation, Invitation.person_id == Person.id)
                .where(Invitation.conference_id == conf.id, Person.email != "")
                .order_by(Person.id)
            )
        )
        persons[0].email = ""
        persons[1].email_failing = "550 5.1.1 user unknown"
    yield database
    database.dispose()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Message boxes answered without blocking: questions get ``answers`` (Yes when empty); every text is kept."""
    seen: dict[str, Any] = {"questions": [], "answers": [], "info": [], "warnings": []}

    def question(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        seen["questions"].append((text, args))
        return seen["answers"].pop(0) if seen["answers"] else QMessageBox.StandardButton.Yes

    def information(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        seen["info"].append(text)
        return QMessageBox.StandardButton.Ok

    def warning(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        seen["warnings"].append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(information))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return seen


def expected_channels(database: Database) -> tuple[dict[int, str], set[int]]:
    """Read from the tables here: invitation → address of those with a working address, and the rest."""
    mail: dict[int, str] = {}
    post: set[int] = set()
    with database.read_session() as s:
        conf = find_conference(s, YEAR)
        for inv in s.scalars(sa.select(Invitation).where(Invitation.conference_id == conf.id)):
            holder = inv.person if inv.person is not None else inv.organisation
            if inv.person is not None and inv.person.anonymised_at is not None:
                continue
            address = (holder.email or "").strip() if holder is not None else ""
            if address and is_valid_email(address) and not holder.email_failing:
                mail[inv.id] = address
            else:
                post.add(inv.id)
    return mail, post


@pytest.fixture
def dialog(qtbot, demo_db: Database) -> MailDialog:
    ctx = AppContext(demo_db)
    with demo_db.read_session() as s:
        conf_id = find_conference(s, YEAR).id
    dlg = MailDialog(ctx, None, conf_id)
    qtbot.addWidget(dlg)
    dlg.resize(1200, 760)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.select_recipients(md.ALL)
    settled(qtbot, dlg)
    return dlg


def settled(qtbot: Any, dlg: MailDialog) -> None:
    """Wait until the recipient list put together in the background is shown."""
    qtbot.waitUntil(lambda: not dlg.loading, timeout=20_000)


def row_of(dlg: MailDialog, invitation_id: int) -> int:
    return dlg.order.index(invitation_id)


def test_counts_per_channel_override_and_preview(qtbot, dialog: MailDialog, demo_db: Database) -> None:
    mail, post = expected_channels(demo_db)
    assert len(mail) >= 10 and len(post) >= 2
    assert set(dialog.ids(md.EMAIL)) == set(mail)
    assert set(dialog.ids(md.POST)) == post
    assert dialog.count_label.text() == f"per E-Mail: {len(mail)} · per Brief: {len(post)}"
    assert dialog.table.focusPolicy() and QApplication.focusWidget() in (dialog.table, None)

    # one person to a letter, by selecting the row and the button, as a user would
    victim = next(iter(mail))
    dialog.table.selectRow(row_of(dialog, victim))
    dialog.selection_post_button.click()
    assert dialog.channels[victim] == md.POST
    assert dialog.table.item(row_of(dialog, victim), 2).text() == "Brief"
    assert dialog.count_label.text() == f"per E-Mail: {len(mail) - 1} · per Brief: {len(post) + 1}"
    # no e-mail for someone without an address
    no_address = next(i for i in post if not dialog.prepared.items[i].recipient.address)
    dialog.table.selectRow(row_of(dialog, no_address))
    dialog.selection_mail_button.click()
    assert dialog.channels[no_address] == md.POST

    # the preview of another person: To, subject, the salutation per DOMAIN.md, the attachments
    other = [i for i in mail if i != victim][3]
    dialog.table.setCurrentCell(row_of(dialog, other), 0)
    item = next(
        i for i in mail_contents(demo_db, YEAR, template="einladung") if i.recipient.invitation_id == other
    )
    # the name as its own direction run: an Arabic name does not turn the line around
    # (and the line left-to-right: a word-wrapped label takes its direction from the first strong letter)
    assert dialog.to_label.text() == f"\u200e\u2068{item.recipient.name}\u2069 <{mail[other]}>"
    arabic = next(
        i
        for i in mail
        if any(unicodedata.bidirectional(c) == "AL" for c in dialog.prepared.items[i].recipient.name)
    )
    dialog.table.setCurrentCell(row_of(dialog, arabic), 0)
    assert dialog.to_label.text().startswith("\u200e\u2068") and "\u2069 <" in dialog.to_label.text()
    dialog.table.setCurrentCell(row_of(dialog, other), 0)
    assert dialog.subject_label.text() == item.letter.subject
    text = dialog.browser.toPlainText()
    assert text.startswith(item.letter.salutation)
    assert item.letter.salutation.startswith(("Sehr geehrte", "Liebe", "Guten Tag"))
    assert "Termin.ics" in dialog.attachments_label.text()
    assert "Programm.pdf" in dialog.attachments_label.text()

    path = dialog.save_eml(Path(dialog.window().objectName() or "x").parent / "vorschau.eml")
    assert path is not None
    raw = path.read_bytes()
    assert raw.startswith(b"X-Unsent: 1\r\n")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == mail[other]
    path.unlink()


def test_send_asks_with_the_count_default_no_then_everyone_once(
    qtbot, dialog: MailDialog, demo_db: Database, server: tuple[Handler, int], boxes: dict[str, Any]
) -> None:
    handler = server[0]
    mail, _post = expected_channels(demo_db)
    victim = next(iter(mail))
    dialog.set_channel([victim], md.POST)
    wanted = {inv: addr for inv, addr in mail.items() if inv != victim}

    boxes["answers"] = [QMessageBox.StandardButton.No]
    assert dialog.send() is None
    text, args = boxes["questions"][0]
    n = len(wanted)
    people = len({a.casefold() for a in wanted.values()})
    assert text.startswith(f"{n} E-Mails an {people} Personen senden?")
    assert args[-1] == QMessageBox.StandardButton.No  # the default button: Enter sends nothing
    assert handler.received == []
    assert outbox.open_runs(demo_db) == []

    boxes["answers"] = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No]  # send; no letters now
    sent = dialog.send()
    assert sent is not None and not sent.cancelled
    counts = handler.count_by_address()
    assert counts == {a: c for a, c in counts.items() if c == 1}  # nobody twice
    assert sorted(counts) == sorted({a for a in wanted.values()})
    assert sum(counts.values()) == n
    assert boxes["info"][-1].startswith(f"Versand {sent.report.run_id} (Einladung): {n} gesendet.")
    # the letters are offered for the rest
    assert "Den Serienbrief für sie öffnen?" in boxes["questions"][-1][0]
    # the dialog follows: those who got it now "have it already"
    settled(qtbot, dialog)
    assert dialog.count(md.EMAIL) == 0 and dialog.count(md.NONE) == n
    with demo_db.read_session() as s:
        states = s.scalars(sa.select(MailMessage.state)).all()
    assert states == [MailState.SENT] * n


def test_cancel_mid_run_leaves_the_rest_and_fortsetzen_sends_it(
    qtbot, dialog: MailDialog, demo_db: Database, server: tuple[Handler, int], boxes: dict[str, Any]
) -> None:
    handler = server[0]
    mail, _post = expected_channels(demo_db)
    reached, cancelled = threading.Event(), threading.Event()

    def on_data(count: int) -> None:  # the server thread waits after the third message until Abbrechen
        if count == 3:
            reached.set()
            cancelled.wait(10)

    handler.on_data = on_data

    def press_cancel() -> None:
        if reached.is_set() and not cancelled.is_set():
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QProgressDialog):
                    button = widget.findChild(QPushButton)
                    assert button is not None and button.text() == "Abbrechen"
                    button.click()  # the progress dialog's Abbrechen
                    cancelled.set()

    timer = QTimer()
    timer.timeout.connect(press_cancel)
    timer.start(10)
    boxes["answers"] = [QMessageBox.StandardButton.Yes]
    sent = dialog.send()
    timer.stop()
    assert sent is not None and sent.cancelled
    assert len(handler.received) == 3
    report = sent.report
    assert report.count(MailState.SENT) == 3 and report.count(MailState.QUEUED) == len(mail) - 3
    assert f"Abgebrochen: {len(mail) - 3} E-Mails warten" in boxes["info"][-1]
    settled(qtbot, dialog)
    assert dialog.resume_button.isVisible() and "warten" in dialog.open_label.text()
    # a new run must wait for the unfinished one
    boxes["warnings"].clear()
    assert dialog.send() is None and "Fortsetzen" in boxes["warnings"][-1]

    handler.on_data = None
    boxes["answers"] = [QMessageBox.StandardButton.No]  # no letters now
    dialog.resume_button.click()
    assert handler.count_by_address() == dict.fromkeys(set(mail.values()), 1)
    assert outbox.open_runs(demo_db) == []
    settled(qtbot, dialog)
    assert not dialog.resume_button.isVisible()


def _recorded(database: Database, ids: set[int]) -> dict[int, tuple[object, ...]]:
    """Channel, date and template of each invitation's sending."""
    with database.read_session() as s:
        rows = s.execute(
            sa.select(
                Invitation.id,
                Invitation.invitation_channel,
                Invitation.invited_on,
                Invitation.letter_template,
            ).where(Invitation.id.in_(ids))
        )
        return {pk: tuple(rest) for pk, *rest in rows}


def test_drafts_in_a_folder_record_nothing_until_confirmed(
    qtbot, dialog: MailDialog, demo_db: Database, tmp_path: Path, boxes: dict[str, Any]
) -> None:
    mail, _post = expected_channels(demo_db)
    already = _recorded(demo_db, set(mail))  # the demo's history: invited by post or e-mail before
    written = dialog.write_drafts(tmp_path / "Entwürfe")
    assert len(written) == len(mail)
    assert all(p.read_bytes().startswith(b"X-Unsent: 1\r\n") for p in written)
    assert "Vermerkt ist nichts" in dialog.result_label.text()
    assert "E-Mail-Entwürfe bestätigen" in dialog.result_label.text()
    assert _recorded(demo_db, set(mail)) == already
    with demo_db.read_session() as s:
        states = set(s.scalars(sa.select(MailMessage.state)))
    assert states == {MailState.DRAFT}
    # the drafts count as had: sending by the server now would leave them out
    settled(qtbot, dialog)
    assert dialog.count(md.EMAIL) == 0

    # Konferenz → E-Mail-Entwürfe bestätigen …: the run is listed; "Nein" to the question changes nothing
    drafts_dialog = DraftsDialog(AppContext(demo_db), dialog)
    qtbot.addWidget(drafts_dialog)
    drafts_dialog.show()
    qtbot.waitExposed(drafts_dialog)
    assert drafts_dialog.table.rowCount() == 1
    assert drafts_dialog.table.item(0, 2).text() == str(len(mail))
    assert drafts_dialog.focusWidget() is drafts_dialog.table  # the first focus: the list
    boxes["answers"].append(QMessageBox.StandardButton.No)
    drafts_dialog.confirm_button.click()
    question, args = boxes["questions"][-1]
    assert f"{len(mail)} Entwürfe" in question and args[-1] == QMessageBox.StandardButton.No  # default: no
    assert _recorded(demo_db, set(mail)) == already
    drafts_dialog.confirm_button.click()  # Yes
    # e-mail and today for those not invited before; an invitation sent again keeps the first's channel and date
    template = dialog.template
    assert _recorded(demo_db, set(mail)) == {
        pk: (channel, day, template) if day else (Channel.EMAIL, dt.date.today(), template)
        for pk, (channel, day, _template) in already.items()
    }
    assert {bool(day) for _channel, day, _template in already.values()} == {True, False}
    assert drafts_dialog.table.rowCount() == 0
    assert "als versendet vermerkt" in drafts_dialog.result_label.text()
    with demo_db.read_session() as s:
        assert set(s.scalars(sa.select(MailMessage.state))) == {MailState.SENT}


def test_drafts_not_sent_are_discarded_in_the_window(
    qtbot, dialog: MailDialog, demo_db: Database, tmp_path: Path, boxes: dict[str, Any]
) -> None:
    mail, _post = expected_channels(demo_db)
    dialog.write_drafts(tmp_path / "Entwürfe")
    drafts_dialog = DraftsDialog(AppContext(demo_db), dialog)
    qtbot.addWidget(drafts_dialog)
    drafts_dialog.discard_button.click()  # Yes
    assert "verworfen" in drafts_dialog.result_label.text()
    with demo_db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(MailMessage.id))) == 0
    dialog.refresh()
    settled(qtbot, dialog)
    assert dialog.count(md.EMAIL) == len(mail)  # they can be reached again


def test_unique_mnemonics(dialog: MailDialog) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    keys = []
    for widget in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel):
        text = widget.text()
        if "&" in text.replace("&&", ""):
            keys.append(text[text.index("&") + 1].casefold())
    assert len(keys) == len(set(keys)), keys


def test_the_erinnerungsliste_sends_the_reminder_through_the_same_dialog(
    qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Konferenz → Erinnerung per E-Mail …: the reminder list's invitations, template erinnerung, chosen."""
    import datetime as dt

    from konferenz.conferences import replies
    from konferenz.lists.conferences import ConferenceList
    from ui.conferences.area import ConferencesArea
    from ui.widgets.list_panel import ListPanel
    from ui.widgets.table_model import LazyTableModel

    ctx = AppContext(demo_db)
    model = LazyTableModel(demo_db, ConferenceList())
    area = ConferencesArea(ctx, ListPanel(model))
    qtbot.addWidget(area)
    area.show()
    model.refresh()
    with demo_db.read_session() as s:
        conf_id = find_conference(s, YEAR).id
        expected = set(replies.reminder_candidates(s, YEAR, dt.date.today()))
    assert area.select_conference(conf_id)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a: QMessageBox.StandardButton.Yes))
    dialog = area.mail_reminders()
    assert isinstance(dialog, MailDialog)
    qtbot.addWidget(dialog)
    settled(qtbot, dialog)
    assert expected and dialog.template == "erinnerung.html.j2"
    assert dialog.recipient_combo.currentData() == md.SELECTION
    assert set(dialog.order) == expected
    assert dialog.browser.toPlainText()  # the reminder's text for the first of them
    assert dialog.attachment_boxes["rueckmeldebogen"].isChecked()
    assert not dialog.attachment_boxes["programm"].isChecked()


def test_the_recipient_list_is_put_together_off_the_gui_thread(
    qtbot, dialog: MailDialog, demo_db: Database
) -> None:
    """The letters' content of every recipient is read in the background: the window answers meanwhile,
    and sending waits until the list is there."""
    mail, _post = expected_channels(demo_db)
    dialog.refresh()
    assert dialog.loading
    assert dialog.count_label.text() == "Die Empfänger werden zusammengestellt …"
    assert not dialog.send_button.isEnabled() and not dialog.drafts_button.isEnabled()
    dialog.refresh()  # asked again meanwhile: only the newest list is shown
    with qtbot.waitSignal(dialog.recipients_ready, timeout=20_000):
        pass
    settled(qtbot, dialog)
    assert set(dialog.ids(md.EMAIL)) == set(mail) and dialog.send_button.isEnabled()


def test_a_deadline_gone_by_is_warned_about(qtbot, demo_db: Database) -> None:
    """Issue 17: a letter dated today asked for a reply "bis zum 20. November" – already past – unwarned."""
    import datetime as dt

    from konferenz.storage.models import Conference

    with demo_db.session() as s:
        conf = s.scalars(sa.select(Conference).where(Conference.year == YEAR)).one()
        conf.reply_deadline = dt.date.today() - dt.timedelta(days=17)
        conf_id = conf.id
    late = MailDialog(AppContext(demo_db), None, conf_id)
    qtbot.addWidget(late)
    late.show()
    settled(qtbot, late)
    assert late.deadline_label.isVisible()
    assert "liegt vor dem Briefdatum" in late.deadline_label.text()
    late.template_combo.setCurrentIndex(late.template_combo.findData("dank.html.j2"))
    settled(qtbot, late)
    assert not late.deadline_label.isVisible()  # a thank-you asks for no reply
    with demo_db.session() as s:
        s.get_one(Conference, conf_id).reply_deadline = dt.date.today() + dt.timedelta(days=3)
    fine = MailDialog(AppContext(demo_db), None, conf_id)
    qtbot.addWidget(fine)
    fine.show()
    settled(qtbot, fine)
    assert not fine.deadline_label.isVisible()
