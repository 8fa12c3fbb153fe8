"""Unique mnemonics (issue 17): in the main window (each area shown in turn, with its detail pane, and the
menu bar's top-level menus), inside every menu, and in every dialog that can be built without a modal
loop, no two visible controls share an Alt+letter. A clash makes Alt+letter cycle between the two (Alt+H
went to "Rolle hinzufügen" instead of Hilfe) – the failure names both, so the fix is a rename."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
from mnemonic_walk import clashes, menu_clashes, mnemonic
from PySide6.QtWidgets import QTabWidget, QWidget
from window_walk import (
    DIALOG_NAMES,
    dialogs,
    import_wizard_pages,
    main_window_views,
    open_dialog,
    open_main_window,
)

from konferenz.storage.db import Database
from ui.context import AppContext

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def test_mnemonic_reads_the_letter_after_a_single_ampersand() -> None:
    assert mnemonic("&Datei") == "d"
    assert mnemonic("Rolle hinzuf&ügen") == "ü"
    assert mnemonic("Mayer && Söhne") is None
    assert mnemonic("A && B &Cäsar") == "c"
    assert mnemonic("Löschen") is None


def test_a_clash_is_found(qtbot: Any) -> None:
    """The walk itself can fail: two buttons with Alt+S are reported by name."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QPushButton("&Speichern"))
    layout.addWidget(QPushButton("&Suchen"))
    hidden = QPushButton("&Senden")
    layout.addWidget(hidden)
    qtbot.addWidget(window)
    window.show()
    hidden.hide()
    assert clashes(window) == ["Alt+S: QPushButton „&Speichern“, QPushButton „&Suchen“"]


def _walk_tabs(widget: QWidget, qtbot: Any) -> list[str]:
    """The clashes of ``widget`` as shown, then with each page of each visible tab widget shown."""
    found = clashes(widget)
    for tabs in [t for t in widget.findChildren(QTabWidget) if t.isVisible()]:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            qtbot.wait(10)
            found += [f"[Reiter {tabs.tabText(index)}] {line}" for line in clashes(widget)]
    return sorted(set(found))


def test_main_window_has_no_mnemonic_clash(qtbot: Any, demo: Database) -> None:
    window = open_main_window(qtbot, demo)
    assert menu_clashes(window) == []
    found = [f"{view}: {c}" for view in main_window_views(qtbot, window) for c in clashes(window)]
    assert found == []


def test_every_dialog_is_walked(demo: Database, tmp_path: Path) -> None:
    assert sorted(dialogs(demo, AppContext(demo), tmp_path)) == sorted(DIALOG_NAMES)


@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_dialog_has_no_mnemonic_clash(qtbot: Any, demo: Database, tmp_path: Path, name: str) -> None:
    dialog = open_dialog(qtbot, demo, tmp_path, name)
    assert _walk_tabs(dialog, qtbot) == []


def test_import_wizard_pages_have_no_mnemonic_clash(qtbot: Any, demo: Database, tmp_path: Path) -> None:
    from ui.spreadsheets.import_wizard import ImportWizard

    wizard = ImportWizard(AppContext(demo))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    pages = import_wizard_pages(qtbot, wizard, fx.german_csv(tmp_path))
    found = [f"{page}: {c}" for page in pages for c in clashes(wizard)]
    assert found == []
