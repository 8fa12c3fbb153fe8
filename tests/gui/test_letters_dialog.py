"""Serienbrief im Fenster, driven like a user would: choose recipients and template, write one PDF and one
PDF per letter, print on a (PDF) printer, paint the preview, and check what was recorded in the database;
Abbrechen leaves neither a file nor a record. The template editor shows a broken template's line and
renders a good one for a real invitee; the sender settings make a round trip through the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QMessageBox, QWidget
from unit.test_letters_content import World, build_world

from konferenz.enums import Channel, Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.letters import content, sending, templates
from konferenz.letters.sender import (
    LOGO_MAX_BYTES,
    SenderSettings,
    load_sender_settings,
    save_sender_settings,
)
from konferenz.storage.changes import INVITATIONS
from konferenz.storage.db import Database
from konferenz.storage.models import ArchivedDocument, Invitation, Person, Setting
from ui.context import AppContext
from ui.paper.dialogs import letters_dialog as ld
from ui.paper.dialogs import sender_dialog as sd
from ui.paper.dialogs import template_editor as te
from ui.paper.dialogs.letters_dialog import LettersDialog, open_letters_dialog
from ui.paper.dialogs.sender_dialog import SenderSettingsDialog
from ui.paper.dialogs.template_editor import TemplateEditorDialog
from ui.paper.letter_output import letter_file_names
from ui.settings import settings
from ui.widgets.contrast import TEXT_CONTRAST, contrast
from ui.widgets.registry_dialogs import ConflictChoice

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

TODAY = dt.date.today()
PLANNED_NAMES = ("Anna Müller", "Stadt Vreden", "Şükrü Yılmaz")


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


@pytest.fixture(autouse=True)
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private user template folder per test (the core and the dialogs ask ``user_template_dir``)."""
    folder = tmp_path / "Vorlagen"
    monkeypatch.setattr(templates, "user_template_dir", lambda: folder)
    return folder


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Warnings the dialogs would show in a message box (collected instead of blocking)."""
    shown: list[str] = []

    def warning(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, QMessageBox.StandardButton]]:
    """Questions the dialogs ask (text and default button), each answered Ja as the user would."""
    asked: list[tuple[str, QMessageBox.StandardButton]] = []

    def question(
        _parent: object,
        _title: str,
        text: str,
        _buttons: object = None,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    ) -> QMessageBox.StandardButton:
        asked.append((text, default))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def add_turkish_and_arabic(db: Database, world: World) -> dict[str, int]:
    """Two more invitees: Şükrü Yılmaz (vorgemerkt) and محمد الحسن (eingeladen, no address at all)."""
    with db.session() as s:
        yilmaz = Person(
            gender=Gender.MALE,
            first_name="Şükrü",
            last_name="Yılmaz",
            street="Ahauser Straße 7",
            postal_code="46325",
            city="Borken",
        )
        hassan = Person(gender=Gender.MALE, first_name="محمد", last_name="الحسن")
        s.add_all([yilmaz, hassan])
        s.flush()
        a = Invitation(conference_id=world.conference_id, person_id=yilmaz.id)
        b = Invitation(
            conference_id=world.conference_id, person_id=hassan.id, status=InvitationStatus.INVITED
        )
        s.add_all([a, b])
        s.flush()
        return {"yilmaz": a.id, "arabic": b.id}


@pytest.fixture
def setup(db: Database, qtbot: Any) -> Iterator[tuple[AppContext, World, dict[str, int], QWidget]]:
    world = build_world(db)
    extra = add_turkish_and_arabic(db, world)
    parent = QWidget()
    qtbot.addWidget(parent)
    yield AppContext(db), world, extra, parent
    # closed before the database goes: a pending count or preview must not run afterwards
    for dialog in parent.findChildren(QDialog):
        dialog.done(0)


def statuses(db: Database) -> dict[int, InvitationStatus]:
    with db.read_session() as s:
        return {inv_id: status for inv_id, status in s.execute(sa.select(Invitation.id, Invitation.status))}


def archived(db: Database) -> list[tuple[int | None, str, bytes]]:
    with db.read_session() as s:
        return [
            (doc.invitation_id, doc.file_name, doc.content)
            for doc in s.scalars(sa.select(ArchivedDocument).order_by(ArchivedDocument.invitation_id))
        ]


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, words separated by single spaces (pypdf puts tabs between runs)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def assert_unique_mnemonics(dialog: QWidget) -> None:
    """Every Alt+letter of a dialog leads to one control only."""
    keys = []
    for widget in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel):
        text = widget.text().replace("&&", "")
        if "&" in text:
            keys.append(text[text.index("&") + 1].lower())
    assert keys and len(keys) == len(set(keys)), sorted(keys)


def cancelling_run_task(after: int) -> Callable[..., Any]:
    """A ``run_task`` whose user presses Abbrechen after ``after`` progress reports (same thread)."""

    def fake(_parent: object, _title: str, work: Callable[..., Any], **_kw: object) -> Any:
        reports: list[tuple[int, int]] = []
        return work(lambda done, total: reports.append((done, total)), lambda: len(reports) >= after)

    return fake


# --- the core rule -----------------------------------------------------------------------------------------


def test_default_statuses_follow_the_template_kind() -> None:
    assert sending.default_statuses("einladung.html.j2") is None
    assert sending.default_statuses("erinnerung") == {InvitationStatus.INVITED, InvitationStatus.NO_REPLY}
    assert sending.default_statuses("erinnerung-kurz.html.j2") == {
        InvitationStatus.INVITED,
        InvitationStatus.NO_REPLY,
    }
    assert sending.default_statuses("dank.html.j2") == {InvitationStatus.ATTENDED}


# --- choosing ----------------------------------------------------------------------------------------------


def test_choices_counts_and_address_warning(setup: Any, qtbot: Any) -> None:
    ctx, world, _extra, parent = setup
    dialog = open_letters_dialog(ctx, parent, world.conference_id)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Serienbrief – Konferenz 2026"
    # an invitation goes by default to those still "vorgemerkt": Müller, Stadt Vreden, Yılmaz
    assert dialog.status_button.isChecked()
    assert dialog.status_combo.currentText() == "vorgemerkt (3)"
    assert dialog.count_label.text() == "3 Briefe"
    assert not dialog.warning_label.isVisible()
    assert dialog.programme_box.isChecked() and dialog.reply_form_box.isChecked()
    assert not dialog.selection_button.isEnabled()
    # 10 invitations, the anonymised person's is not counted
    assert dialog.all_button.text() == "&Alle Einladungen (9)"

    # a reminder: to those invited without reply (Ivanova-Alex and the Arabic name without address)
    dialog.select_template("erinnerung")
    assert dialog.status_combo.currentData() == ld.TEMPLATE_DEFAULT
    assert dialog.status_combo.currentText().startswith("eingeladen oder keine Rückmeldung")
    assert dialog.count_label.text() == "2 Briefe"
    assert "1 Anschrift ohne PLZ und Ort – dieser Brief käme nicht an" in dialog.warning_label.text()
    assert "الحسن" in dialog.warning_label.text()
    assert not dialog.programme_box.isChecked() and dialog.reply_form_box.isChecked()
    assert "Erinnerung" in dialog.record_box.text()

    # thanks go to those who came: nobody yet, so nothing can be printed
    dialog.select_template("dank")
    assert dialog.count_label.text() == "Keine Briefe für diese Auswahl"
    for button in (dialog.preview_button, dialog.print_button, dialog.pdf_button, dialog.folder_button):
        assert not button.isEnabled()

    # the user picks a status himself; a template change keeps it
    dialog.select_status(InvitationStatus.ACCEPTED)
    assert dialog.count_label.text() == "2 Briefe"  # Al-Hassan and von Stein (the substitute is "vertreten")
    dialog.select_template("einladung")
    assert dialog.status_combo.currentData() == InvitationStatus.ACCEPTED.value
    dialog.all_button.click()
    qtbot.waitUntil(lambda: dialog.count_label.text() == "9 Briefe")
    assert dialog.choice().statuses is None and dialog.choice().invitation_ids is None
    dialog.form_a.click()
    assert dialog.choice().form == "A"

    # another workplace invites someone: the counts follow the announcement
    with ctx.database.session() as s:
        inv = s.get(Invitation, world.inv["ivanova"])
        assert inv is not None
        inv.status = InvitationStatus.PLANNED
    ctx.announce(INVITATIONS)
    assert dialog.status_combo.itemText(dialog.status_combo.findData("planned")) == "vorgemerkt (4)"


def test_selection_is_preselected_and_keyboard(setup: Any, qtbot: Any) -> None:
    ctx, world, extra, parent = setup
    ids = [world.inv["alex"], extra["yilmaz"]]
    dialog = open_letters_dialog(ctx, parent, world.conference_id, ids)
    assert dialog.selection_button.isChecked() and dialog.selection_button.isEnabled()
    assert dialog.selection_button.text() == "Aus&wahl in der Liste (2)"
    assert dialog.count_label.text() == "2 Briefe"
    assert set(dialog.choice().invitation_ids or ()) == set(ids)
    assert dialog.preview_button.isDefault()
    assert_unique_mnemonics(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

    # another database opened: the dialog of the old one closes
    other = open_letters_dialog(ctx, parent, world.conference_id)
    ctx.set_database(ctx.database)
    assert not other.isVisible()


# --- output ------------------------------------------------------------------------------------------------


def test_save_pdf_records_the_sending(
    setup: Any, qtbot: Any, tmp_path: Path, questions: list[tuple[str, QMessageBox.StandardButton]]
) -> None:
    ctx, world, extra, parent = setup
    db = ctx.database
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.select_status(InvitationStatus.PLANNED)
    dialog.record_box.click()
    announced: list[frozenset[str]] = []
    ctx.data_changed.connect(announced.append)
    before = statuses(db)
    target = tmp_path / "Einladungen.pdf"

    outcome = dialog.save_pdf(target)

    assert outcome is not None and outcome.letters == 3 and outcome.recorded == 3
    assert len(questions) == 1 and questions[0][0].startswith("Versand für 3 Einladungen vermerken?")
    assert questions[0][1] == QMessageBox.StandardButton.No
    pages = pdf_text(target.read_bytes())
    text = "\n".join(pages)
    for name in ("Müller", "Stadt Vreden", "Yılmaz"):
        assert name in text
    # each letter: one page, the programme and the reply form
    assert len(pages) == 3 * 3
    assert [p for p in pages if "Sehr geehrte" in p or "Damen und Herren" in p].__len__() == 3
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*")) == []

    planned = {world.inv["mueller"], world.inv["stadt"], extra["yilmaz"]}
    after = statuses(db)
    assert {i for i in planned if after[i] is InvitationStatus.INVITED} == planned
    assert {i: s for i, s in after.items() if i not in planned} == {
        i: s for i, s in before.items() if i not in planned
    }
    with db.read_session() as s:
        for inv in s.scalars(sa.select(Invitation).where(Invitation.id.in_(planned))):
            assert (inv.invitation_channel, inv.invited_on, inv.letter_template) == (
                Channel.POST,
                TODAY,
                "einladung.html.j2",
            )
    docs = archived(db)
    assert {d[0] for d in docs} == planned
    assert all(d[2].startswith(b"%PDF") and d[1].startswith("2026-einladung-") for d in docs)
    assert any(INVITATIONS in kinds for kinds in announced)
    # the same letters stay chosen, and are not recorded a second time by accident
    assert dialog.selection_button.isChecked() and "eben erstellten" in dialog.selection_button.text()
    assert not dialog.record_box.isChecked()
    assert dialog.count_label.text() == "3 Briefe"
    assert "Versand vermerkt für 3 Einladungen" in dialog.result_label.text()


def test_one_letter_is_counted_in_the_singular(
    setup: Any,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    questions: list[tuple[str, QMessageBox.StandardButton]],
) -> None:
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id, [world.inv["mueller"]])
    qtbot.addWidget(dialog)
    dialog.selection_button.click()
    qtbot.waitUntil(lambda: dialog.count_label.text() == "1 Brief")
    dialog.record_box.click()
    target = tmp_path / "Einladung.pdf"
    assert dialog.save_pdf(target) is not None
    assert dialog.result_label.text() == (
        f"1 Brief gespeichert: {target}\nVersand vermerkt für 1 Einladung; der Brief liegt im Archiv."
    )
    assert [q[0].split("\n")[0] for q in questions] == ["Versand für 1 Einladung vermerken?"]
    folder = tmp_path / "einzeln"
    folder.mkdir()
    assert dialog.save_folder(folder) is not None
    (single,) = folder.iterdir()
    assert dialog.result_label.text() == f"1 Brief gespeichert: {single}"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "gedruckt.pdf"))
    assert dialog.print_letters(printer)
    assert dialog.result_label.text() == "1 Brief gedruckt."
    preview = dialog.make_preview()
    assert preview is not None and preview.windowTitle() == "Vorschau – 1 Brief"
    preview.deleteLater()


@pytest.mark.parametrize("template", ["einladung", "erinnerung", "dank"])
def test_record_box_says_what_recording_does(setup: Any, qtbot: Any, template: str) -> None:
    """The text of "Versand vermerken" is true for each kind of template: it mentions vorgemerkt →
    eingeladen exactly when ``record_sending`` does that, and Post when it sets the channel."""
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.select_template(template)
    text = dialog.record_box.text()
    assert text.startswith("Versand ver&merken (") and "PDF-Kopie ins Archiv" in text

    planned = world.inv["mueller"]
    with ctx.database.read_session() as s:
        inv = s.get(Invitation, planned)
        assert inv is not None and inv.status is InvitationStatus.PLANNED and inv.invited_on is None
    sending.record_sending(ctx.database, [planned], templates.template_name(template), {})
    with ctx.database.read_session() as s:
        inv = s.get(Invitation, planned)
        assert inv is not None
        invited = inv.status is InvitationStatus.INVITED
        by_post = inv.invitation_channel is Channel.POST
        dated = inv.invited_on == TODAY
    assert ("vorgemerkt → eingeladen" in text) == invited
    assert ("Post, heute" in text) == (by_post and dated)
    assert ("Erinnerung" in text) == (template == "erinnerung")
    assert ("Status und Daten bleiben" in text) == (not invited and not dated)


def test_one_pdf_per_letter_without_recording(setup: Any, qtbot: Any, tmp_path: Path) -> None:
    ctx, world, _extra, parent = setup
    db = ctx.database
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.select_status(InvitationStatus.ACCEPTED)
    dialog.programme_box.setChecked(False)
    dialog.reply_form_box.setChecked(False)
    dialog.record_box.setChecked(False)
    before = statuses(db)
    folder = tmp_path / "einzeln"
    folder.mkdir()

    outcome = dialog.save_folder(folder)

    assert outcome is not None and outcome.recorded == 0
    files = sorted(folder.iterdir())
    assert len(files) == 2 == len(outcome.files)
    texts = {f.name: "\n".join(pdf_text(f.read_bytes())) for f in files}
    assert all(len(pdf_text(f.read_bytes())) == 1 for f in files)
    hassan = next(name for name, text in texts.items() if "Al-Hassan" in text)
    assert hassan == f"2026-einladung-{world.inv['hassan']:05d}-prof-dr-mohammed-al-hassan.pdf"
    assert any("von Stein" in text for text in texts.values())
    assert statuses(db) == before and archived(db) == []
    assert "einzelne PDFs" in dialog.result_label.text()


@pytest.mark.parametrize("after", [1, 3, 4])
def test_cancel_leaves_no_file_and_no_record(
    setup: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int, questions: list[Any]
) -> None:
    """Abbrechen while painting, before the last letter, and at the archive copies (folder: before writing)."""
    ctx, world, _extra, parent = setup
    db = ctx.database
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.record_box.click()
    assert dialog.count_label.text() == "3 Briefe"
    monkeypatch.setattr(ld, "run_task", cancelling_run_task(after))
    before = statuses(db)
    out = tmp_path / "out"
    out.mkdir()

    assert dialog.save_pdf(out / "briefe.pdf") is None
    assert dialog.save_folder(out) is None

    assert list(out.iterdir()) == []
    assert statuses(db) == before and archived(db) == []
    assert dialog.result_label.text().startswith("Abgebrochen")
    assert dialog.record_box.isChecked()


def test_unwritable_target_records_nothing(
    setup: Any, qtbot: Any, tmp_path: Path, messages: list[str], questions: list[Any]
) -> None:
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.record_box.click()
    before = statuses(ctx.database)
    assert dialog.save_pdf(tmp_path / "fehlt" / "briefe.pdf") is None
    assert len(messages) == 1 and "kann nicht geschrieben werden" in messages[0]
    assert statuses(ctx.database) == before and archived(ctx.database) == []


def test_folder_or_locked_target_is_refused_before_recording(
    setup: Any,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[str],
    questions: list[Any],
) -> None:
    """A target that cannot be replaced is found before anything is recorded (German message)."""
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.record_box.click()
    before = statuses(ctx.database)
    folder = tmp_path / "Briefe.pdf"
    folder.mkdir()
    (folder / "x").write_text("x")

    for _attempt in (1, 2):
        assert dialog.save_pdf(folder) is None
    assert messages[-1] == f"„{folder}“ ist ein Ordner; bitte einen anderen Dateinamen wählen."
    assert "Is a directory" not in messages[-1]
    assert statuses(ctx.database) == before and archived(ctx.database) == []
    assert dialog.record_box.isChecked()

    names = letter_file_names(dialog.year, dialog.template, dialog.letters)
    out = tmp_path / "einzeln"
    out.mkdir()
    (out / next(iter(names.values()))).mkdir()
    assert dialog.save_folder(out) is None
    assert "ist ein Ordner" in messages[-1] and archived(ctx.database) == []

    # a PDF open in a viewer on Windows (or read-only): opening it for writing is refused
    locked = tmp_path / "geöffnet.pdf"
    locked.write_bytes(b"alt")
    real_open = Path.open

    def refusing_open(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if self == locked and mode != "rb":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    assert dialog.save_pdf(locked) is None
    assert "ist gerade geöffnet (z. B. in einem PDF-Programm) oder schreibgeschützt" in messages[-1]
    assert locked.read_bytes() == b"alt" and archived(ctx.database) == []
    assert [p.name for p in tmp_path.glob(".*.tmp")] == []


@pytest.mark.parametrize("output", ["pdf", "folder"])
def test_a_file_that_fails_after_recording_keeps_the_dialog_in_step(
    setup: Any,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[str],
    output: str,
    questions: list[Any],
) -> None:
    """The target becomes unwritable between the check and the renaming (opened in a viewer in that very
    moment): the sending stays recorded, the dialog says so and does not record it a second time."""
    ctx, world, _extra, parent = setup
    db = ctx.database
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    assert dialog.count_label.text() == "3 Briefe"
    dialog.record_box.click()
    announced: list[frozenset[str]] = []
    ctx.data_changed.connect(announced.append)
    out = tmp_path / "out"
    out.mkdir()
    names = sorted(letter_file_names(dialog.year, dialog.template, dialog.letters).values())
    blocked = out / "Einladungen.pdf" if output == "pdf" else out / names[1]
    record = sending.record_sending

    def record_then_block(*args: Any, **kwargs: Any) -> int:
        recorded = record(*args, **kwargs)
        blocked.mkdir()
        (blocked / "x").write_text("x")
        return recorded

    monkeypatch.setattr(sending, "record_sending", record_then_block)
    save = (lambda: dialog.save_pdf(blocked)) if output == "pdf" else (lambda: dialog.save_folder(out))

    outcome = save()

    assert outcome is not None and outcome.recorded == 3 and outcome.file_error
    assert len(archived(db)) == 3
    assert len(messages) == 1
    message = messages[0]
    assert message.startswith("Der Versand ist vermerkt (3 Einladungen; die Briefe liegen im Archiv)")
    assert f"„{blocked}“ ist ein Ordner" in message and "Is a directory" not in message
    if output == "folder":
        assert "Nur 1 von 3 Dateien konnte gespeichert werden." in message
        assert sorted(p.name for p in out.iterdir() if p.is_file()) == names[:1]
    assert dialog.result_label.text() == message
    # the dialog follows the recorded sending
    assert not dialog.record_box.isChecked()
    assert dialog.selection_button.isChecked() and "eben erstellten" in dialog.selection_button.text()
    assert any(INVITATIONS in kinds for kinds in announced)
    assert [p.name for p in out.glob(".*")] == []

    # trying again after the viewer was closed writes the file and records nothing more
    (blocked / "x").unlink()
    blocked.rmdir()
    monkeypatch.setattr(sending, "record_sending", record)
    again = save()
    assert again is not None and again.recorded == 0 and not again.file_error
    assert len(archived(db)) == 3
    assert blocked.is_file()


def test_print_on_a_printer(setup: Any, qtbot: Any, tmp_path: Path, questions: list[Any]) -> None:
    ctx, world, extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.select_template("erinnerung")
    dialog.record_box.click()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "gedruckt.pdf"))

    assert dialog.print_letters(printer)

    text = "\n".join(pdf_text((tmp_path / "gedruckt.pdf").read_bytes()))
    assert "Erinnerung" in text and "Ivanova" in text
    with ctx.database.read_session() as s:
        alex = s.get(Invitation, world.inv["alex"])
        assert alex is not None
        # a reminder keeps the first invitation date and notes the reminder
        assert (alex.reminded_on, alex.invited_on) == (TODAY, dt.date(2026, 10, 1))
        assert alex.status is InvitationStatus.INVITED
    assert {d[0] for d in archived(ctx.database)} == {world.inv["alex"], extra["arabic"]}
    assert "gedruckt" in dialog.result_label.text()


def test_cancelled_print_run_is_aborted(
    setup: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, questions: list[Any]
) -> None:
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.record_box.click()
    before = statuses(ctx.database)
    monkeypatch.setattr(ld.QProgressDialog, "wasCanceled", lambda _self: True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "abgebrochen.pdf"))

    assert not dialog.print_letters(printer)

    assert not (tmp_path / "abgebrochen.pdf").exists()
    assert statuses(ctx.database) == before and archived(ctx.database) == []


def test_preview_paints_the_letters(setup: Any, qtbot: Any, tmp_path: Path) -> None:
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    dialog.form_a.click()
    preview = dialog.make_preview()
    assert isinstance(preview, QPrintPreviewDialog)
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "Vorschau – 3 Briefe"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "vorschau.pdf"))
    preview.paintRequested.emit(printer)
    text = "\n".join(pdf_text((tmp_path / "vorschau.pdf").read_bytes()))
    for name in ("Müller", "Stadt Vreden", "Yılmaz"):
        assert name in text
    # the preview itself records nothing
    assert archived(ctx.database) == []


def test_broken_own_template_is_a_message_not_a_crash(
    setup: Any, qtbot: Any, tmp_path: Path, own_templates: Path, messages: list[str]
) -> None:
    ctx, world, _extra, parent = setup
    own_templates.mkdir()
    (own_templates / "kaputt.html.j2").write_text("<p>Hallo</p>\n{{ person.name ", encoding="utf-8")
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    assert dialog.template_combo.findText("Kaputt (eigene Vorlage)") >= 0
    dialog.select_template("kaputt")
    assert "Zeile 2" in dialog.warning_label.text()
    assert not dialog.pdf_button.isEnabled()
    assert dialog.save_pdf(tmp_path / "x.pdf") is None
    assert len(messages) == 1 and "Zeile 2" in messages[0]
    assert not (tmp_path / "x.pdf").exists()


# --- template editor ---------------------------------------------------------------------------------------


def test_template_editor_copy_error_line_and_live_preview(
    setup: Any, qtbot: Any, own_templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, world, extra, parent = setup
    editor = TemplateEditorDialog(ctx, parent, "einladung", conference_id=world.conference_id)
    qtbot.addWidget(editor)
    editor.show()
    # a shipped template is read-only; the preview shows a real invitee's letter text
    assert editor.editor.isReadOnly() and not editor.save_button.isEnabled()
    assert "lädt Sie herzlich" in editor.preview.toPlainText()
    names = [editor.recipient_combo.itemText(i) for i in range(editor.recipient_combo.count())]
    assert "Yılmaz, Şükrü" in names and names[-1].startswith("Beispieldaten")

    assert editor.copy_template("Einladung kurz") == "einladung-kurz.html.j2"
    copy = own_templates / "einladung-kurz.html.j2"
    assert copy.read_text(encoding="utf-8") == (
        templates.builtin_template_dir() / "einladung.html.j2"
    ).read_text(encoding="utf-8")
    assert not editor.editor.isReadOnly()
    assert editor.template_combo.currentText() == "Einladung kurz (eigene Vorlage)"

    # a broken template: the message names the line, the line is marked, nothing crashes
    editor.editor.setPlainText('{% set subject = "Kurz" %}\n<p>Hallo</p>\n{{ person.name ')
    qtbot.waitUntil(lambda: editor.error_label.text().startswith("⚠ Zeile 3:"), timeout=2000)
    assert editor.error_line == 3 and editor.error_label.isVisible()
    assert not editor.preview.isEnabled()  # the last good text, greyed
    marks = editor.editor.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.blockNumber() == 2
    assert marks[0].format.background().color() == QColor(te.ERROR_LINE_COLOR)
    # with its own text colour: legible in a high-contrast scheme whose text is white (issue 17)
    assert contrast(marks[0].format.foreground().color(), QColor(te.ERROR_LINE_COLOR)) >= TEXT_CONTRAST

    # a good one, for the Turkish and the Arabic invitee
    editor.editor.setPlainText(
        '{% set subject = "Kurz und gut" %}\n<p>Liebe Grüße an {{ person.first_name }} {{ person.last_name }}.</p>'
    )
    editor.recipient_combo.setCurrentIndex(editor.recipient_combo.findData(extra["yilmaz"]))
    qtbot.waitUntil(lambda: "Şükrü Yılmaz" in editor.preview.toPlainText(), timeout=2000)
    assert editor.error_label.text() == "" and editor.editor.extraSelections() == []
    assert editor.preview.isEnabled()
    assert_unique_mnemonics(editor)
    assert "Kurz und gut" in editor.preview.toPlainText()
    assert "Sehr geehrter Herr Yılmaz," in editor.preview.toPlainText()
    editor.recipient_combo.setCurrentIndex(editor.recipient_combo.findData(extra["arabic"]))
    assert "محمد الحسن" in editor.preview.toPlainText()

    assert editor.save_button.isEnabled()
    assert editor.save()
    assert "Kurz und gut" in copy.read_text(encoding="utf-8")
    assert not editor.save_button.isEnabled()
    assert list(own_templates.glob(".*")) == []
    # the letters use it at once
    letters = content.letter_contents(
        ctx.database, 2026, invitation_ids=[extra["yilmaz"]], template="einladung-kurz"
    )
    assert letters[0].subject == "Kurz und gut"

    # unsaved changes are asked about when closing
    editor.editor.insertPlainText("x")
    asked: list[str] = []

    def ask(_parent: object, name: str) -> QMessageBox.StandardButton:
        asked.append(name)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(te, "ask_unsaved", ask)
    editor.reject()
    assert asked == ["Einladung kurz (eigene Vorlage)"] and editor.isVisible()


@pytest.mark.parametrize("with_conference", [True, False])
def test_template_editor_shows_a_failing_filter_or_macro_as_an_error(
    setup: Any, qtbot: Any, with_conference: bool
) -> None:
    """Half-typed templates reach the live preview: a filter's assert and a macro calling itself are shown
    under the editor with their line, not handed to the bug handler."""
    ctx, world, _extra, parent = setup
    conference_id = world.conference_id if with_conference else None
    editor = TemplateEditorDialog(ctx, parent, "einladung", conference_id=conference_id)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.copy_template("Versuch") == "versuch.html.j2"

    editor.editor.setPlainText("<p>Hallo</p>\n{{ conference.title|truncate(-5) }}")
    qtbot.waitUntil(lambda: editor.error_label.text().startswith("⚠ Zeile 2:"), timeout=2000)
    assert "ein Filter wurde mit einem ungültigen Wert aufgerufen" in editor.error_label.text()
    assert editor.error_line == 2 and not editor.preview.isEnabled()

    editor.editor.setPlainText("<p>Hallo</p>\n{% macro m(x) %}\n{{ m(x) }}\n{% endmacro %}\n{{ m(1) }}")
    qtbot.waitUntil(lambda: editor.error_label.text().startswith("⚠ Zeile 3:"), timeout=2000)
    assert "zu tief verschachtelt" in editor.error_label.text()

    editor.editor.setPlainText("<p>Hallo {{ conference.title|truncate(9) }}</p>")
    qtbot.waitUntil(lambda: editor.error_label.text() == "", timeout=2000)
    assert editor.preview.isEnabled() and "Hallo" in editor.preview.toPlainText()


def test_template_editor_without_conference_uses_sample_values(setup: Any, qtbot: Any) -> None:
    ctx, _world, _extra, parent = setup
    editor = TemplateEditorDialog(ctx, parent)
    qtbot.addWidget(editor)
    assert editor.recipient_combo.count() == 1
    assert "Ayşe" in editor.preview.toPlainText() or "Yılmaz" in editor.preview.toPlainText()
    assert editor.template_combo.currentData() == "einladung.html.j2"


def test_template_names() -> None:
    assert te.template_file_name("Einladung kurz") == "einladung-kurz.html.j2"
    assert te.template_file_name("Dank für Gäste") == "dank-fuer-gaeste.html.j2"
    with pytest.raises(UserError):
        te.template_file_name("  ")
    assert te.error_text(
        templates.TemplateError("Fehler in der Vorlage „x“, Zeile 4: Syntaxfehler (y)", lineno=4)
    ) == ("Zeile 4: Syntaxfehler (y)")


# --- sender settings ---------------------------------------------------------------------------------------


def test_sender_settings_round_trip(setup: Any, qtbot: Any, tmp_path: Path, messages: list[str]) -> None:
    ctx, _world, _extra, parent = setup
    dialog = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(dialog)
    assert dialog.fields["authority"].text() == "Kreis Borken"
    assert dialog.sender_line_label.text() == "Kreis Borken · Burloer Straße 93 · 46325 Borken"
    assert_unique_mnemonics(dialog)

    dialog.fields["contact_name"].setText("Frau Gülşen Öztürk")
    dialog.fields["contact_email"].setText("oeztuerk(at)kreis-borken.de")
    dialog.fields["postal_code"].setText("4632")
    assert any("E-Mail-Adresse" in p for p in dialog.problems())
    assert any("fünf Ziffern" in p for p in dialog.problems())
    assert not dialog.problem_label.isHidden()
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and len(messages) == 1
    with ctx.database.read_session() as s:
        assert load_sender_settings(s) == SenderSettings()

    dialog.fields["contact_email"].setText("g.oeztuerk@kreis-borken.de")
    dialog.fields["postal_code"].setText("46325")
    dialog.fields["street"].setText(
        "Burloer Straße 93 und ein sehr langer Zusatz, der nie in eine Zeile passt"
    )
    assert any("zu lang" in p for p in dialog.problems())
    dialog.fields["street"].setText("Burloer Straße 93")
    logo = tmp_path / "logo.png"
    image = QImage(200, 80, QImage.Format.Format_RGB32)
    image.fill(QColor(0, 90, 160))
    assert image.save(str(logo))
    assert dialog.choose_logo(str(logo))
    assert not dialog.logo_preview.pixmap().isNull()
    assert "logo.png" in dialog.logo_label.text() and "in der Datenbank" in dialog.logo_label.text()
    assert dialog.problems() == [] and dialog.problem_label.isHidden()
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted

    with ctx.database.read_session() as s:
        stored = load_sender_settings(s)
    assert stored.contact_name == "Frau Gülşen Öztürk"
    assert stored.contact_email == "g.oeztuerk@kreis-borken.de"
    assert stored.logo == logo.read_bytes() and stored.logo_name == "logo.png"
    assert stored.logo_path == ""
    again = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(again)
    assert again.settings() == stored

    count = len(messages)
    assert not again.choose_logo(str(tmp_path / "fehlt.png"))
    assert "gibt es an diesem Arbeitsplatz nicht" in messages[count]
    assert again.settings() == stored  # the stored logo stays
    again.remove_logo()
    assert again.settings().logo == b"" and again.logo_preview.pixmap().isNull()
    assert not again.logo_remove.isEnabled()


def png_bytes(tmp_path: Path, name: str, color: QColor) -> bytes:
    file = tmp_path / name
    image = QImage(60, 24, QImage.Format.Format_RGB32)
    image.fill(color)
    assert image.save(str(file))
    return file.read_bytes()


def test_sender_dialog_keeps_a_logo_stored_meanwhile(
    setup: Any, qtbot: Any, tmp_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workplace A opened the dialog; B stores a new logo; A fixes only the phone number: B's logo stays,
    and no question is asked (the fields do not overlap)."""
    ctx, _world, _extra, parent = setup
    db = ctx.database
    save_sender_settings(db, SenderSettings(logo=png_bytes(tmp_path, "a.png", QColor("red"))))
    dialog = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "ask_conflict", lambda *_a: pytest.fail("no conflict"), raising=False)
    with db.read_session() as s:
        loaded = load_sender_settings(s)
    new_logo = png_bytes(tmp_path, "b.png", QColor("blue"))
    save_sender_settings(db, dataclasses.replace(loaded, logo=new_logo, logo_name="b.png"))

    dialog.fields["contact_phone"].setText("02861 681-1234")
    dialog.accept()

    assert dialog.result() == dialog.DialogCode.Accepted and messages == []
    with db.read_session() as s:
        stored = load_sender_settings(s)
    assert (stored.logo, stored.logo_name, stored.contact_phone) == (new_logo, "b.png", "02861 681-1234")


@pytest.mark.parametrize("choice", ["overwrite", "discard", "keep_editing"])
def test_sender_dialog_shows_both_versions_of_a_field_changed_meanwhile(
    setup: Any, qtbot: Any, messages: list[str], monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    ctx, _world, _extra, parent = setup
    db = ctx.database
    dialog = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(dialog)
    # meanwhile at another workplace: another phone number and another closing
    with db.read_session() as s:
        loaded = load_sender_settings(s)
    theirs = dataclasses.replace(loaded, contact_phone="02861 681-2222", closing="Freundliche Grüße")
    save_sender_settings(db, theirs)
    asked: list[tuple[str, list[tuple[str, str, str]]]] = []

    def ask(what: str, differences: list[tuple[str, str, str]]) -> ConflictChoice:
        asked.append((what, list(differences)))
        return ConflictChoice(choice)

    monkeypatch.setattr(dialog, "ask_conflict", ask)
    dialog.fields["contact_phone"].setText("02861 681-1111")
    dialog.fields["room"].setText("2.14")
    dialog.accept()

    assert asked == [("Absender der Briefe", [("Telefon (Durchwahl)", "02861 681-1111", "02861 681-2222")])]
    assert messages == []
    with db.read_session() as s:
        stored = load_sender_settings(s)
    assert stored.closing == "Freundliche Grüße"  # changed elsewhere only: always kept
    if choice == "overwrite":
        assert (stored.contact_phone, stored.room) == ("02861 681-1111", "2.14")
        assert dialog.result() == dialog.DialogCode.Accepted
        return
    assert (stored.contact_phone, stored.room) == ("02861 681-2222", "")
    assert dialog.result() != dialog.DialogCode.Accepted
    if choice == "discard":  # the stored settings are shown; saving again asks nothing
        assert dialog.settings() == stored
        dialog.fields["room"].setText("3.01")
        dialog.accept()
        assert len(asked) == 1 and dialog.result() == dialog.DialogCode.Accepted
        with db.read_session() as s:
            assert load_sender_settings(s) == dataclasses.replace(stored, room="3.01")
    else:  # the input stays; Speichern asks again
        assert dialog.fields["contact_phone"].text() == "02861 681-1111"
        dialog.accept()
        assert len(asked) == 2


def test_logo_too_large_or_no_picture_is_refused_with_its_name(
    setup: Any, qtbot: Any, tmp_path: Path, messages: list[str]
) -> None:
    ctx, _world, _extra, parent = setup
    dialog = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(dialog)
    big = tmp_path / "Riesenlogo.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(LOGO_MAX_BYTES))
    assert not dialog.choose_logo(str(big))
    assert "„Riesenlogo.png“ ist 2,0 MB groß; erlaubt sind höchstens 2 MB" in messages[-1]
    broken = tmp_path / "kaputt.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n kein Bild")
    assert not dialog.choose_logo(str(broken))
    assert "„kaputt.png“ ist kein lesbares Bild" in messages[-1]
    assert dialog.settings().logo == b""


def test_letters_keep_the_logo_when_the_file_is_gone(
    setup: Any, qtbot: Any, tmp_path: Path, messages: list[str]
) -> None:
    """The logo is stored in the database: another workplace (here: the file deleted) still prints it."""
    ctx, world, _extra, parent = setup
    logo = tmp_path / "wappen.png"
    image = QImage(300, 120, QImage.Format.Format_RGB32)
    image.fill(QColor(0, 90, 160))
    assert image.save(str(logo))
    dialog = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(dialog)
    assert dialog.choose_logo(str(logo))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and messages == []
    logo.unlink()

    letters = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(letters)
    letters.select_status(InvitationStatus.ACCEPTED)
    letters.record_box.setChecked(False)
    target = tmp_path / "Briefe.pdf"
    assert letters.save_pdf(target) is not None
    first = PdfReader(io.BytesIO(target.read_bytes())).pages[0]
    objects = first["/Resources"].get_object().get("/XObject", {})
    images = [o for o in objects.values() if o.get_object().get("/Subtype") == "/Image"]
    assert images, "no logo on page 1"


def test_a_logo_path_of_an_older_version_without_its_file(
    setup: Any, qtbot: Any, tmp_path: Path, messages: list[str]
) -> None:
    """An older version stored only a path; where that file is missing the dialog says so (no crash), other
    fields can still be saved, and choosing the logo again stores the picture."""
    ctx, _world, _extra, parent = setup
    gone = tmp_path / "Logo Kreis.png"
    with ctx.database.session() as s:
        s.add(Setting(key="letter.logo_path", value=str(gone)))
    dialog = SenderSettingsDialog(ctx, parent)
    qtbot.addWidget(dialog)
    hint = dialog.logo_hint_label.text()
    assert not dialog.logo_hint_label.isHidden()
    assert f"„{gone}“ gibt es an diesem Arbeitsplatz nicht" in hint and "neu wählen" in hint
    assert hint == "⚠ " + sd.logo_hint(dialog.settings())
    assert dialog.logo_preview.pixmap().isNull() and dialog.problems() == []
    dialog.fields["room"].setText("2.14")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and messages == []
    with ctx.database.read_session() as s:
        assert load_sender_settings(s).logo_path == str(gone)  # kept for the PC that has it

    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 0, 0))
    assert image.save(str(gone))
    again = SenderSettingsDialog(ctx, parent)  # at the workplace with the file: taken over on opening
    qtbot.addWidget(again)
    assert again.logo_hint_label.isHidden() and not again.logo_preview.pixmap().isNull()
    gone.unlink()
    with ctx.database.read_session() as s:
        stored = load_sender_settings(s)
    assert stored.logo and stored.logo_path == "" and stored.logo_name == "Logo Kreis.png"
