"""Message boxes by keyboard (issue 17): after a confirmation or warning closes the focus is back where it
was, and the Speichern/Verwerfen/Abbrechen question has mnemonics, defaults to Speichern and Esc stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from ui.widgets import dialog_tools

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture
def form(qtbot: Any) -> tuple[QWidget, QLineEdit]:
    window = QWidget()
    layout = QVBoxLayout(window)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    second.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is second, timeout=2000)
    return window, second


def _when_shown(handle: Callable[[QMessageBox], None]) -> list[QMessageBox]:
    """Call ``handle`` with the message box once it is open (the box runs its own event loop)."""
    seen: list[QMessageBox] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box)
            handle(box)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return seen


@pytest.mark.parametrize("kind", ["confirm", "warn"])
def test_focus_returns_after_a_message_box(qtbot: Any, form: tuple[QWidget, QLineEdit], kind: str) -> None:
    window, field = form

    def press_enter(box: QMessageBox) -> None:
        assert QApplication.focusWidget() is not field  # the box has the focus while it is open
        qtbot.keyClick(box, Qt.Key.Key_Return)

    seen = _when_shown(press_enter)
    if kind == "confirm":
        assert dialog_tools.confirm(window, "Löschen", "Wirklich löschen?") is False  # Enter: Nein
    else:
        dialog_tools.warn(window, "Speichern", "Die Datei ist gesperrt.")
    assert seen
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)
    qtbot.keyClicks(QApplication.focusWidget(), "weiter")
    assert field.text() == "weiter"  # the next keystroke lands in the field


def test_save_discard_cancel_has_mnemonics_and_esc_stays(qtbot: Any, form: tuple[QWidget, QLineEdit]) -> None:
    window, field = form
    texts: list[list[str]] = []
    defaults: list[str] = []

    def look_and_escape(box: QMessageBox) -> None:
        texts.append(sorted(b.text() for b in box.buttons()))
        default = box.defaultButton()
        defaults.append(default.text() if default is not None else "")
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    _when_shown(look_and_escape)
    answer = dialog_tools.ask_save_discard(window, "Änderungen speichern?", "Jetzt speichern?")
    assert texts == [["&Speichern", "&Verwerfen", "Abbrechen"]]
    assert defaults == ["&Speichern"]
    assert answer == QMessageBox.StandardButton.Cancel
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)

    def alt_v(box: QMessageBox) -> None:
        qtbot.keyClick(box, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)

    _when_shown(alt_v)
    assert (
        dialog_tools.ask_save_discard(window, "Änderungen speichern?", "Jetzt speichern?")
        == QMessageBox.StandardButton.Discard
    )
