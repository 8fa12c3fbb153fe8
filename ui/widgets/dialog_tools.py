"""What windows and dialogs share: buttons for actions, choosing where to save, yes/no questions, messages,
writing a file in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QWidget,
)

from konferenz.errors import UserError
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
    action.changed.connect(sync)
    button.clicked.connect(action.trigger)
    return button


def _settings() -> QSettings:
    # imported late: the window module imports the areas
    from ui.settings import settings

    return settings()


def choose_save_path(parent: QWidget, title: str, file_name: str, file_filter: str) -> Path | None:
    """Ask where to save; starts in the folder used last (else the documents folder)."""
    folder = str(_settings().value(EXPORT_FOLDER_KEY, "") or "")
    if not folder or not Path(folder).is_dir():
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(
            Path.home()
        )
    path, _chosen = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / file_name), file_filter)
    if not path:
        return None
    target = Path(path)
    suffix = Path(file_name).suffix
    if suffix and target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
        # the file dialog asked about the name as typed, not about this one
        if target.exists() and not confirm_overwrite(parent, title, target):
            return None
    store = _settings()
    store.setValue(EXPORT_FOLDER_KEY, str(target.parent))
    return target


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """A yes/no question whose default is no (Enter does not delete, erase or replace anything)."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def confirm_overwrite(parent: QWidget, title: str, target: Path) -> bool:
    """Ask before replacing an existing file (default: no)."""
    return confirm(parent, title, parent.tr("Die Datei „{0}“ gibt es schon. Ersetzen?").format(target.name))


def show_status(widget: QWidget, text: str, timeout_ms: int = 8000) -> None:
    """A message in the main window's status bar."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, timeout_ms)


def warn(parent: QWidget, title: str, exc: UserError | str) -> None:
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
