"""Labels, badges, sign-in sheets and attendee lists printed from the window, driven like a user would.

Each dialog is opened on a real database (both backends), its options are set with the widgets, the PDF is
saved into tmp_path through the (patched) file dialog, read back with pypdf, and checked for the people who
must and must not be on it; label start positions are checked by where the first text lies on the sheet.
Printing is checked through the preview's ``paintRequested`` and through the print dialog, both onto a
QPrinter with PDF output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from gui.test_paper import page_texts, pdf_pages
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QLabel, QMessageBox, QWidget
from unit.test_letters_content import World, build_world

from konferenz.storage.db import Database
from konferenz.storage.models import Conference
from ui.context import AppContext
from ui.paper.dialogs.print_dialogs import (
    BadgesDialog,
    LabelsDialog,
    PrintDialog,
    SigninDialog,
    open_print_dialog,
    skipped_text,
)
from ui.paper.geometry import AVERY_L4785, ZWECKFORM_3474, ZWECKFORM_3475, LabelSheet
from ui.settings import SETTINGS_APPLICATION, SETTINGS_ORGANISATION

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    QSettings(SETTINGS_ORGANISATION, SETTINGS_APPLICATION).clear()


@pytest.fixture
def world(db: Database) -> World:
    return build_world(db)


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


class Messages:
    """QMessageBox.warning/information recorded instead of shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []
        for kind in ("warning", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._record(kind))

    def _record(self, kind: str):
        def show(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
            self.shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return show


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    return Messages(monkeypatch)


class SaveAs:
    """QFileDialog.getSaveFileName answering with a file in tmp_path; remembers what was suggested."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = folder
        self.suggested: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._answer)

    def _answer(self, _parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        self.suggested.append(start)
        return str(self.folder / Path(start).name), _filter


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SaveAs:
    return SaveAs(monkeypatch, tmp_path)


def open_dialog(
    qtbot, parent: QWidget, db: Database, world: World, kind: str, ids: tuple[int, ...] = ()
) -> PrintDialog:
    dialog = open_print_dialog(AppContext(db, parent), parent, world.conference_id, kind, ids)
    assert isinstance(dialog, PrintDialog)
    qtbot.waitExposed(dialog)
    return dialog


def choose(combo, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def save(qtbot, dialog: PrintDialog) -> bytes:
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_path is not None, dialog.count_label.text()
    assert dialog.status_label.text() == f"Gespeichert: {dialog.saved_path}"
    return dialog.saved_path.read_bytes()


def text_of(data: bytes) -> str:
    return " ".join(page_texts(data))


def label_index(sheet: LabelSheet, x: float, y: float) -> int | None:
    for index in range(sheet.per_sheet):
        left, top, w, h = sheet.rect(index)
        if left <= x <= left + w and top <= y <= top + h:
            return index
    return None


# --- labels ------------------------------------------------------------------------------------------------


def test_labels_by_status_on_a_partly_used_sheet(qtbot, parent, db, world, save_as) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "labels")
    assert dialog.windowTitle() == "Adressetiketten – Konferenz 2026"
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    assert isinstance(dialog, LabelsDialog)
    # every invitation but the anonymised person's: 7 on one sheet
    assert dialog.count_label.text() == "7 Etiketten auf 1 Bogen Zweckform 3475"
    choose(dialog.recipients, "accepted")
    choose(dialog.sheet_combo, "zweckform-3474")
    dialog.start.setValue(5)
    assert dialog.count_label.text() == "2 Etiketten auf 1 Bogen Zweckform 3474"
    assert (
        dialog.skipped.text()
        == "Etiketten 1–4 sind schon benutzt und bleiben frei; es beginnt mit Etikett 5 von 24."
    )
    data = save(qtbot, dialog)
    # the suggested name in the documents folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert save_as.suggested == [str(Path(documents) / "2026-etiketten.pdf")]
    text = text_of(data)
    assert "Herrn Prof. Dr. Mohammed Al-Hassan" in text
    assert "Herrn Karl von Stein" in text
    for absent in ("Müller", "Ivanova", "Иванова", "Lammers", "Nym"):
        assert absent not in text
    runs = pdf_pages(data)[0]
    assert len(pdf_pages(data)) == 1
    # the first text lies in label 5 (index 4); labels 1-4 stay empty; the two addresses fill 5 and 6
    first = min(runs, key=lambda r: (r.y, r.x))
    assert label_index(ZWECKFORM_3474, first.x, first.y) == 4
    used = {label_index(ZWECKFORM_3474, r.x, r.y) for r in runs}
    assert used == {4, 5}
    # a sheet that is already used up further than the next sheet holds: a second sheet
    dialog.start.setValue(24)
    assert dialog.count_label.text() == "2 Etiketten auf 2 Bögen Zweckform 3474"
    dialog.close()


def test_label_start_clamped_and_shown_on_the_sheet_picture(qtbot, parent, db, world) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "labels")
    assert isinstance(dialog, LabelsDialog)
    choose(dialog.sheet_combo, "zweckform-3475")
    dialog.start.setValue(24)
    choose(dialog.sheet_combo, "avery-l7160")  # 21 per sheet
    assert dialog.start.maximum() == 21 and dialog.start.value() == 21
    assert "Etiketten 1–20 sind schon benutzt" in dialog.skipped.text()
    assert dialog.sheet_picture.accessibleDescription() == dialog.skipped.text()
    # a click on the third label of the picture starts there
    picture = dialog.sheet_picture
    rect = picture._label_rect(2, picture._scale())
    qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert dialog.start.value() == 3
    assert dialog.skipped.text().startswith("Etiketten 1–2 sind schon benutzt")
    assert (
        skipped_text(2, 24) == "Etikett 1 ist schon benutzt und bleibt frei; es beginnt mit Etikett 2 von 24."
    )
    assert skipped_text(1, 10, "Schild", "Schilder").startswith("Ein neuer Bogen")
    dialog.close()


def test_labels_for_a_selection(qtbot, parent, db, world, save_as) -> None:
    ids = (world.inv["mueller"], world.inv["ivanova"])
    dialog = open_dialog(qtbot, parent, db, world, "labels", ids)
    assert isinstance(dialog, LabelsDialog)
    assert dialog.recipients.currentText() == "Ausgewählte Einladungen (2)"
    assert dialog.count_label.text() == "2 Etiketten auf 1 Bogen Zweckform 3475"
    text = text_of(save(qtbot, dialog))
    assert "Frau Dr. Anna Müller" in text
    assert "Иванова" in text
    for absent in ("Al-Hassan", "Stein", "Lammers", "Alex Ivanova"):
        assert absent not in text
    # all invitations is one choice away
    choose(dialog.recipients, "all")
    assert dialog.count_label.text().startswith("7 Etiketten")
    dialog.close()


def test_labels_without_recipients_say_so(qtbot, parent, db, world, save_as, messages) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "labels")
    assert isinstance(dialog, LabelsDialog)
    choose(dialog.recipients, "waitlist")
    expected = "Keine Einladung hat den Status „Warteliste“. Es gibt nichts zu drucken."
    assert dialog.count_label.text() == expected
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert messages.shown == [("information", expected)] * 2
    assert save_as.suggested == [] and dialog.preview_dialog is None
    dialog.close()


# --- badges ----------------------------------------------------------------------------------------------


def test_badges_of_one_forum_with_blanks(qtbot, parent, db, world, save_as) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "badges")
    assert isinstance(dialog, BadgesDialog)
    assert dialog.windowTitle() == "Namensschilder – Konferenz 2026"
    # accepted, substituted (with the substitute's name); not planned, invited, declined, anonymised
    assert dialog.count_label.text() == "3 Namensschilder auf 1 Bogen Avery L4785"
    text = text_of(save(qtbot, dialog))
    for name in ("Prof. Dr. Mohammed Al-Hassan", "Karl von Stein", "Sara Vertretung"):
        assert name in text
    for absent in ("Müller", "Ivanova", "Иванова", "Jonas Lammers", "Nym"):
        assert absent not in text
    choose(dialog.forum, "2")
    dialog.blanks.setValue(2)
    dialog.start.setValue(3)
    assert dialog.count_label.text() == "2 Namensschilder und 2 leere auf 1 Bogen Avery L4785"
    data = save(qtbot, dialog)
    assert save_as.suggested[-1].endswith("2026-namensschilder-forum-2.pdf")
    text = text_of(data)
    assert "Prof. Dr. Mohammed Al-Hassan" in text and "Karl von Stein" in text
    assert "Sara Vertretung" not in text
    assert "Forum 2: Arbeit & Anerkennung" in text
    runs = pdf_pages(data)[0]
    names = [r for r in runs if r.text in ("Prof. Dr. Mohammed Al-Hassan", "Karl von Stein")]
    assert {label_index(AVERY_L4785, r.x, r.y) for r in names} == {2, 3}
    # the two blank badges carry only the conference title
    titles = [r for r in runs if r.text == "Integrationskonferenz 2026"]
    assert {label_index(AVERY_L4785, r.x, r.y) for r in titles} == {2, 3, 4, 5}
    # without the forum line
    dialog.show_forum.setChecked(False)
    assert "Forum 2" not in text_of(save(qtbot, dialog))
    dialog.close()


# --- sign-in sheet and attendee list ---------------------------------------------------------------------


def test_signin_sheet_whole_and_per_forum(qtbot, parent, db, world, save_as) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "signin")
    assert isinstance(dialog, SigninDialog)
    assert dialog.windowTitle() == "Unterschriftenliste – Konferenz 2026"
    dialog.blank_rows.setValue(4)
    assert dialog.count_label.text() == "3 Namen und 4 leere Zeilen"
    data = save(qtbot, dialog)
    assert save_as.suggested[-1].endswith("2026-unterschriftenliste.pdf")
    text = text_of(data)
    assert "Unterschriftenliste" in text and "Unterschrift" in text
    for name in ("Prof. Dr. Mohammed Al-Hassan", "Karl von Stein", "Sara Vertretung"):
        assert name in text
    assert "Anna Müller" not in text
    numbers = {r.text for runs in pdf_pages(data) for r in runs if r.text.isdigit()}
    assert {str(n) for n in range(1, 8)} <= numbers and "8" not in numbers
    choose(dialog.forum, "1")
    assert dialog.count_label.text() == "0 Namen und 4 leere Zeilen"
    choose(dialog.forum, "2")
    assert dialog.count_label.text() == "2 Namen und 4 leere Zeilen"
    text = text_of(save(qtbot, dialog))
    assert "Forum 2: Arbeit & Anerkennung" in text
    assert "Karl von Stein" in text and "Sara Vertretung" not in text
    dialog.close()


def test_attendee_list_only_with_consent(qtbot, parent, db, world, save_as, messages) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "attendees")
    assert dialog.windowTitle() == "Teilnehmerliste – Konferenz 2026"
    assert dialog.count_label.text() == "1 Name (2 ohne Einwilligung zur Nennung nicht aufgeführt)"
    text = text_of(save(qtbot, dialog))
    assert "Teilnehmerliste" in text
    assert "Sara Vertretung" in text
    assert "Al-Hassan" not in text  # consent withdrawn
    assert "Karl von Stein" not in text  # no consent for the list
    assert "Anna Müller" not in text  # consented, but not coming
    # forum 2: nobody consented – nothing to print, and the dialog says why
    choose(dialog.forum, "2")  # type: ignore[attr-defined]
    expected = (
        "Niemand auf der Liste: 2 ohne Einwilligung zur Nennung nicht aufgeführt. Es gibt nichts zu drucken."
    )
    assert dialog.count_label.text() == expected
    before = list(save_as.suggested)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert messages.shown == [("information", expected)]
    assert save_as.suggested == before
    dialog.close()


# --- printing --------------------------------------------------------------------------------------------


def test_preview_paints_on_a_printer(qtbot, parent, db, world, tmp_path) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "labels")
    assert isinstance(dialog, LabelsDialog)
    choose(dialog.recipients, "accepted")
    dialog.start.setValue(2)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview_dialog
    assert isinstance(preview, QPrintPreviewDialog)
    assert preview.windowTitle() == "Druckvorschau – Adressetiketten"
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == 1)
    # what the preview's print button does: paint on the (real) printer, here with PDF output
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "drucker.pdf"
    printer.setOutputFileName(str(target))
    preview.paintRequested.emit(printer)
    runs = pdf_pages(target.read_bytes())[0]
    text = " ".join(r.text for r in runs)
    assert "Al-Hassan" in text and "Karl von Stein" in text and "Müller" not in text
    first = min(runs, key=lambda r: (r.y, r.x))
    # 3475: the printer paints from the paper edge like the PDF, so label 2 is where the PDF has it
    assert label_index(ZWECKFORM_3475, first.x, first.y) == 1
    preview.close()
    qtbot.waitUntil(lambda: dialog.preview_dialog is None)
    dialog.close()


def test_print_dialog_paints_on_the_chosen_printer(qtbot, parent, db, world, tmp_path, monkeypatch) -> None:
    target = tmp_path / "gedruckt.pdf"
    shown: list[str] = []

    def exec_(self: QPrintDialog) -> int:
        shown.append(self.windowTitle())
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    dialog = open_dialog(qtbot, parent, db, world, "signin")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert shown == ["Unterschriftenliste drucken"]
    assert dialog.status_label.text() == "An den Drucker geschickt."
    text = text_of(target.read_bytes())
    assert "Unterschriftenliste" in text and "Karl von Stein" in text
    # cancelled: nothing painted
    target.unlink()
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert not target.exists()
    dialog.close()


# --- errors and keyboard ---------------------------------------------------------------------------------


def test_user_errors_become_messages(qtbot, parent, db, world, save_as, messages) -> None:
    dialog = open_dialog(qtbot, parent, db, world, "signin")
    # someone else changes the conference's year meanwhile: the core's message, nothing written
    with db.session() as s:
        s.execute(sa.update(Conference).where(Conference.id == world.conference_id).values(year=2027))
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert messages.shown == [("warning", "Eine Konferenz 2026 gibt es nicht. Vorhanden: 2027.")]
    assert dialog.count_label.text() == "Eine Konferenz 2026 gibt es nicht. Vorhanden: 2027."
    assert save_as.suggested == []
    dialog.close()
    # a conference that is gone when the menu is used
    gone = open_print_dialog(AppContext(db, parent), parent, 999_999, "labels")
    assert not gone.isVisible()
    assert messages.shown[-1] == ("warning", "Diese Konferenz gibt es nicht mehr (inzwischen gelöscht?).")
    with pytest.raises(ValueError, match="kind"):
        open_print_dialog(AppContext(db, parent), parent, world.conference_id, "tischkarten")


@pytest.mark.parametrize("kind", ["labels", "badges", "signin", "attendees"])
def test_keyboard(qtbot, parent, db, world, kind) -> None:
    dialog = open_dialog(qtbot, parent, db, world, kind)
    # every option has a label with a mnemonic whose buddy is the option, or is a check box with one
    for row_label in dialog.findChildren(QLabel):
        if row_label.buddy() is not None:
            assert re.search(r"&\w", row_label.text()), row_label.text()
            assert row_label.buddy().accessibleName()
    texts = [b.text() for b in dialog.buttons.buttons()]
    assert sorted(texts) == sorted(["&Vorschau …", "&Drucken …", "Als &PDF speichern …", "Schl&ießen"])
    # no mnemonic twice in one dialog (options, check boxes and buttons together)
    labelled = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    checks = [box.text() for box in dialog.findChildren(QCheckBox)]
    mnemonics = [m.group(1).lower() for t in texts + labelled + checks if (m := re.search(r"&(\w)", t))]
    assert len(mnemonics) == len(texts + labelled + checks) >= 5
    assert len(mnemonics) == len(set(mnemonics)), mnemonics
    assert dialog.preview_button.isDefault()
    # Enter opens the preview (the safe first step), Esc closes it and then the dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    preview = dialog.preview_dialog
    assert isinstance(preview, QPrintPreviewDialog)
    qtbot.waitExposed(preview)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.preview_dialog is None)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
