"""Status-bar feedback (issue 17): after a save "Gespeichert: …", after Strg+Z "Rückgängig gemacht: …",
after an import "Importiert: …", shown in the main window's status bar for five seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
from PySide6.QtWidgets import QMessageBox

from konferenz.storage.db import Database
from ui.settings import settings
from ui.shell import main_window as main_window_module
from ui.shell.main_window import MainWindow
from ui.spreadsheets.import_wizard import ImportWizard

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot: Any, sqlite_db: Database) -> MainWindow:
    settings().clear()
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    return win


def test_saving_a_new_person_and_undoing_it_say_so(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window_module, "STATUS_MS", 300)
    window.registry_actions.new_person.trigger()
    editor = window.address_area.current_page().editor
    editor.first_name.setText("Ayşe")
    editor.last_name.setText("Öztürk")
    editor.save_button.click()
    message = window.statusBar().currentMessage()
    assert message.startswith("Gespeichert: ") and "Öztürk" in message
    window.registry_actions.undo.trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("Rückgängig gemacht: ") and "Öztürk" in message
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=2000)  # it goes again


def test_an_import_says_what_it_did(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = ImportWizard(window.ctx, window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.open_file(fx.german_csv(tmp_path))
    wizard.next()
    wizard.next()
    wizard.next()
    report = wizard.report
    assert report is not None
    assert window.statusBar().currentMessage() == (
        f"Importiert: {fx.german_csv(tmp_path).name} – {report.created} angelegt, 0 aktualisiert"
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert wizard.undo()
    assert window.statusBar().currentMessage() == f"Rückgängig gemacht: Import {report.batch_id}"
