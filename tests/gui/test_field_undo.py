"""Strg+Z from an editor field (issue 17): the field's own undo first, then Bearbeiten → Rückgängig (the
window's undo stack) – before, a text field swallowed the key even with nothing to undo."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from konferenz.storage.db import Database
from ui.settings import settings
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot: Any, sqlite_db: Database) -> MainWindow:
    settings().clear()
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    return win


def _change(window: MainWindow, calls: list[str]) -> None:
    window.ctx.push_change(
        "Telefon geändert",
        redo=lambda: calls.append("redo"),
        undo=lambda: calls.append("undo"),
        kinds=(),
    )


def _focus(qtbot: Any, field: QLineEdit) -> None:
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=2000)


def test_ctrl_z_in_an_empty_handed_field_undoes_the_window_change(qtbot: Any, window: MainWindow) -> None:
    calls: list[str] = []
    _change(window, calls)
    field = window.current_panel().search_field
    _focus(qtbot, field)
    assert not field.isUndoAvailable()
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert calls == ["undo"]
    assert not window.ctx.undo_stack.canUndo()
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL_SHIFT)  # Wiederholen, from the field as well
    assert calls == ["undo", "redo"]
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_Y, CTRL)  # Wiederholen's second key
    assert calls == ["undo", "redo", "undo", "redo"]


def test_the_fields_own_typing_is_undone_first(qtbot: Any, window: MainWindow) -> None:
    calls: list[str] = []
    _change(window, calls)
    field = window.current_panel().search_field
    _focus(qtbot, field)
    qtbot.keyClicks(field, "Öz")
    assert field.isUndoAvailable()
    while field.isUndoAvailable():
        qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert field.text() == ""
    assert calls == []  # the field's typing first
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert calls == ["undo"]


def test_ctrl_z_in_the_person_editor_field(qtbot: Any, window: MainWindow) -> None:
    """An editor field in the detail pane (a new person: the pane shows at once) passes Strg+Z on too."""
    calls: list[str] = []
    window.registry_actions.new_person.trigger()
    editor = window.address_area.current_page().editor
    field = editor.first_name
    _focus(qtbot, field)
    _change(window, calls)
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert calls == ["undo"]
