"""What windows and dialogs share: buttons for actions, choosing where to save, yes/no questions, messages,
writing a file in the background, a combo box that tells its cut choice whole (``tell_current_text``)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QWidget,
)

from konferenz.errors import UserError
from ui.settings import settings
from ui.widgets.destructive import is_destructive, mark_destructive
from ui.widgets.tasks import run_task

T = TypeVar("T")

EXPORT_FOLDER_KEY = "Export/folder"


def action_button(action: QAction, parent: QWidget | None = None) -> QPushButton:
    """A push button that triggers ``action`` and follows its text, tip and enabled state."""
    button = QPushButton(action.text(), parent)
    button.setObjectName(f"button_{action.objectName()}")
    button.setAccessibleName(action.text().replace("&", "").replace(" …", ""))

    def sync() -> None:
        button.setText(action.text())
        button.setToolTip(action.toolTip())
        button.setEnabled(action.isEnabled())

    sync()
    if is_destructive(action):  # a destructive action's button carries the same marking
        mark_destructive(button)
    action.changed.connect(sync)
    button.clicked.connect(action.trigger)
    return button


def _start_folder(folder_key: str | None, start: Path | None) -> Path:
    """The folder a file dialog opens in: the one remembered under ``folder_key``, else ``start``, else the
    documents folder (else the home folder)."""
    folder = str(settings().value(folder_key, "") or "") if folder_key else ""
    if folder and Path(folder).is_dir():
        return Path(folder)
    if start is not None:
        return start
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or str(Path.home()))


def _remember_folder(folder_key: str | None, folder: Path) -> None:
    if folder_key:
        settings().setValue(folder_key, str(folder))


#: the save dialogs of every spreadsheet export: Excel first (the suffix a name without one gets), then
#: LibreOffice; ``konferenz.spreadsheets.xlsx.write_workbook`` writes the format the suffix names
SPREADSHEET_FILTER = "Excel-Arbeitsmappe (*.xlsx);;LibreOffice-Tabelle (*.ods)"


def choose_save_path(
    parent: QWidget,
    title: str,
    file_name: str,
    file_filter: str,
    *,
    folder_key: str | None = EXPORT_FOLDER_KEY,
    start: Path | None = None,
    keep_suffix: bool = False,
    also: Sequence[str] = (),
    new_only: bool = False,
) -> Path | None:
    """Ask where to save; starts in the folder used last (see ``_start_folder``) and remembers the chosen one.

    The chosen name gets the suffix of ``file_name`` unless it has it (with ``keep_suffix``: unless it has
    any, for filters that offer all files). ``also``: suffixes of files written next to the chosen one (the
    PDF beside a JSON file); existing ones are asked about together with a replaced file the file dialog
    did not ask about. ``new_only``: the caller refuses an existing file, so nobody is asked to replace it.
    """
    start_path = str(_start_folder(folder_key, start) / file_name)
    if new_only:
        path, _chosen = QFileDialog.getSaveFileName(
            parent, title, start_path, file_filter, options=QFileDialog.Option.DontConfirmOverwrite
        )
    else:
        path, _chosen = QFileDialog.getSaveFileName(parent, title, start_path, file_filter)
    if not path:
        return None
    target = Path(path)
    suffix = Path(file_name).suffix
    offered = re.findall(r"\*(\.\w+)", file_filter)
    if len(offered) > 1:  # several formats (.xlsx and .ods): the one typed, else the chosen filter's
        picked = re.findall(r"\*(\.\w+)", _chosen or "")
        suffix = "" if target.suffix.lower() in offered else (picked[0] if len(picked) == 1 else suffix)
    unasked: list[Path] = []
    if suffix and (not target.suffix if keep_suffix else target.suffix.lower() != suffix):
        target = target.with_name(target.name + suffix)
        # the file dialog asked about the name as typed, not about this one
        unasked.append(target)
    if also:
        others = [target.with_suffix(other) for other in also]
        existing = [p for p in unasked + others if p.exists()]
        if existing and not confirm_replace(parent, title, existing):
            return None
    elif not new_only and unasked and target.exists() and not confirm_overwrite(parent, title, target):
        return None
    _remember_folder(folder_key, target.parent)
    return target


def choose_open_path(
    parent: QWidget, title: str, file_filter: str, *, folder_key: str | None = None, start: Path | None = None
) -> Path | None:
    """Ask for a file to open; starts like ``choose_save_path`` and remembers the folder under ``folder_key``."""
    path, _chosen = QFileDialog.getOpenFileName(
        parent, title, str(_start_folder(folder_key, start)), file_filter
    )
    if not path:
        return None
    _remember_folder(folder_key, Path(path).parent)
    return Path(path)


def choose_folder(
    parent: QWidget, title: str, *, folder_key: str | None = EXPORT_FOLDER_KEY, start: Path | None = None
) -> Path | None:
    """Ask for a folder to save into; starts like ``choose_save_path`` and remembers the chosen folder."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(_start_folder(folder_key, start)))
    if not chosen:
        return None
    _remember_folder(folder_key, Path(chosen))
    return Path(chosen)


@contextlib.contextmanager
def keeping_focus() -> Iterator[None]:
    """Give the focus back, when the block ends, to the control that had it before (a message box that
    closes leaves the window without a focus widget otherwise: the next keystroke goes nowhere)."""
    before = QApplication.focusWidget()
    try:
        yield
    finally:
        if before is not None and shiboken6.isValid(before) and before.isVisible() and before.isEnabled():
            window = before.window()
            if not window.isActiveWindow():
                window.activateWindow()
            before.setFocus(Qt.FocusReason.ActiveWindowFocusReason)


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """A yes/no question whose default is no (Enter does not delete, erase or replace anything); the focus
    returns to where it was."""
    with keeping_focus():
        answer = QMessageBox.question(
            parent,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
    return answer == QMessageBox.StandardButton.Yes


def ask_save_discard(parent: QWidget, title: str, question: str) -> QMessageBox.StandardButton:
    """Unsaved input: &Speichern (the default), &Verwerfen, or Abbrechen (Esc) to stay; the focus returns to
    where it was. Gives ``Save``, ``Discard`` or ``Cancel``."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    texts = (
        (QMessageBox.StandardButton.Save, parent.tr("&Speichern")),
        (QMessageBox.StandardButton.Discard, parent.tr("&Verwerfen")),
        (QMessageBox.StandardButton.Cancel, parent.tr("Abbrechen")),
    )
    for button, text in texts:
        box.addButton(button).setText(text)
    mark_destructive(box.button(QMessageBox.StandardButton.Discard))
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    with keeping_focus():
        box.exec()
    clicked = box.clickedButton()
    answer = box.standardButton(clicked) if clicked is not None else QMessageBox.StandardButton.Cancel
    box.deleteLater()
    return answer if answer != QMessageBox.StandardButton.NoButton else QMessageBox.StandardButton.Cancel


def confirm_overwrite(parent: QWidget, title: str, target: Path) -> bool:
    """Ask before replacing an existing file (default: no)."""
    return confirm(parent, title, parent.tr("Die Datei „{0}“ gibt es schon. Ersetzen?").format(target.name))


def confirm_replace(parent: QWidget, title: str, paths: Sequence[Path]) -> bool:
    """Ask before replacing existing files, named with their folder (default: no)."""
    return confirm(
        parent, title, parent.tr("{0} gibt es schon. Ersetzen?").format(" und ".join(f"„{p}“" for p in paths))
    )


def show_status(widget: QWidget, text: str, timeout_ms: int = 8000) -> None:
    """A message in the main window's status bar."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, timeout_ms)


def warn(parent: QWidget, title: str, exc: UserError | str) -> None:
    """A warning (a UserError's German message); the focus returns to where it was."""
    with keeping_focus():
        QMessageBox.warning(parent, title, exc.message if isinstance(exc, UserError) else exc)


def attempt(parent: QWidget, title: str, work: Callable[[], T]) -> T | None:
    """Run ``work``; a UserError is shown as a message (nothing changed) and gives None."""
    try:
        return work()
    except UserError as exc:
        warn(parent, title, exc)
        return None


def succeeded(parent: QWidget, title: str, work: Callable[[], object]) -> bool:
    """Run ``work``; False (after a message) when it raised a UserError."""
    try:
        work()
    except UserError as exc:
        warn(parent, title, exc)
        return False
    return True


def save_in_background(parent: QWidget, title: str, work: Callable[[], Path]) -> Path | None:
    """Write a file off the GUI thread (progress dialog with Abbrechen); report where it went."""
    try:
        path = run_task(parent, title, lambda _progress, _cancelled: work())
    except UserError as exc:
        warn(parent, title, exc)
        return None
    show_status(parent, parent.tr("Gespeichert: {0}").format(path))
    return path


def tell_current_text(combo: QComboBox, note: str = "") -> None:
    """A combo box narrower than its longest choice tells the chosen one whole on hover (issue 17): its
    tooltip follows the current text (typed or chosen), with ``note`` on a line of its own. A caller that
    changes the text with signals blocked sets the tooltip again itself."""

    def tell(text: str) -> None:
        combo.setToolTip(f"{text}\n{note}" if note else text)

    combo.currentTextChanged.connect(tell)
    tell(combo.currentText())
