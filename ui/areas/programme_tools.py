"""What the Programm, Protokoll and Ergebnisse areas share: buttons for actions, saving files, messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, QStandardPaths, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QLayout,
    QLayoutItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)

from konferenz.errors import UserError
from ui.tasks import run_task

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
    from ui.main_window import settings

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
    store = _settings()
    store.setValue(EXPORT_FOLDER_KEY, str(target.parent))
    return target


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


class FlowLayout(QLayout):
    """Widgets in a row that wraps onto the next line when the area is narrow (Qt's flow layout
    example): a row of buttons never forces the window to be wider than the screen allows."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_stretch(self) -> None:
        """A break in the row: what follows goes to the right edge when it fits on the same line."""
        self.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        width = sum(i.sizeHint().width() + self._spacing for i in self._items)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _layout(self, rect: QRect, *, apply: bool) -> int:
        """Place the items (or only measure): lines from the left; after a stretch, the rest of a line
        goes to the right edge."""
        lines: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._items:
            if isinstance(item, QSpacerItem):
                lines[-1].append(item)
                continue
            if item.isEmpty():  # a hidden widget
                continue
            width = item.sizeHint().width()
            if x and x + width > rect.width():
                lines.append([])
                x = 0
            lines[-1].append(item)
            x += width + self._spacing
        y = rect.y()
        for line in lines:
            widgets = [i for i in line if not isinstance(i, QSpacerItem)]
            if not widgets:
                continue
            height = max(i.sizeHint().height() for i in widgets)
            if apply:
                used = sum(i.sizeHint().width() + self._spacing for i in widgets) - self._spacing
                free = max(0, rect.width() - used)
                x = rect.x()
                for item in line:
                    if isinstance(item, QSpacerItem):
                        x += free
                        free = 0
                        continue
                    hint = item.sizeHint()
                    item.setGeometry(QRect(QPoint(x, y), QSize(min(hint.width(), rect.width()), height)))
                    x += hint.width() + self._spacing
            y += height + self._spacing
        return y - rect.y() - self._spacing if y > rect.y() else 0
