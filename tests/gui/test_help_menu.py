"""Hilfe (issue 17): Tastenkürzel … lists every shortcut of the action registry with its menu path or area
and the status keys of the replies (from their one home), searchable, Esc closes it; Handbuch opens the
offline handbook, which is packaged and whose pictures exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from konferenz import paths
from konferenz.enums import label
from konferenz.storage.db import Database
from ui.actions import COMMAND_PROPERTY, key_text, plain_text
from ui.conferences.reply_editor import STATUS_KEYS
from ui.settings import settings
from ui.shell.main_window import MainWindow
from ui.shell.shortcuts_dialog import ShortcutsDialog

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot: Any, sqlite_db: Database) -> MainWindow:
    settings().clear()
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    qtbot.waitExposed(win)
    return win


def _open_shortcuts(qtbot: Any, window: MainWindow) -> ShortcutsDialog:
    window.menu_actions.shortcuts.trigger()
    dialogs = [d for d in window.findChildren(ShortcutsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    return dialogs[0]


def test_key_names_are_german() -> None:
    from PySide6.QtGui import QKeySequence

    assert key_text(QKeySequence("Ctrl+Shift+Z")) == "Strg+Umschalt+Z"
    assert key_text(QKeySequence("Del")) == "Entf"
    assert key_text(QKeySequence("Alt+Up")) == "Alt+Pfeil nach oben"
    assert key_text(QKeySequence("Ctrl++")) == "Strg++"
    assert plain_text("Datenbank ö&ffnen …") == "Datenbank öffnen …"
    assert plain_text("Mayer && Söhne") == "Mayer & Söhne"


def test_shortcuts_lists_every_declared_shortcut_and_the_status_keys(qtbot: Any, window: MainWindow) -> None:
    dialog = _open_shortcuts(qtbot, window)
    rows = dialog.visible_rows()
    assert ("Strg+Z", "Rückgängig", "Bearbeiten") in rows
    assert ("Strg+O", "Datenbank öffnen …", "Datei") in rows
    assert ("Strg+Umschalt+B", "Serienbriefe …", "Konferenz → Drucken") in rows
    assert ("Einfg", "Neuer Punkt …", "Bereich Programm") in rows
    assert ("Alt+Pfeil nach oben", "Nach oben", "Bereich Programm") in rows
    assert ("Strg+S", "Protokoll speichern", "Bereich Protokoll") in rows
    assert ("F1", "Handbuch", "Hilfe") in rows
    assert ("Strg+Umschalt+Z oder Strg+Y", "Wiederholen", "Bearbeiten") in rows
    # every action of the registry that has a shortcut is there, each once
    declared = {
        str(a.property(COMMAND_PROPERTY))
        for a in window.findChildren(QAction)
        if a.property(COMMAND_PROPERTY) and not a.shortcut().isEmpty()
    }
    listed = [command for _keys, command, place in rows if not place.startswith("Konferenzen → ")]
    assert set(listed) == declared
    assert len(listed) == len(
        [
            a
            for a in window.findChildren(QAction)
            if a.property(COMMAND_PROPERTY) and not a.shortcut().isEmpty()
        ]
    )
    assert all("&" not in command for command in listed)
    # the reply keys, read from STATUS_KEYS
    for status, key, digit in STATUS_KEYS:
        assert (
            f"{key} (in der Liste) oder Alt+{digit}",
            f"Status „{label(status)}“ setzen",
            "Konferenzen → Einladungsliste",
        ) in rows


def test_shortcuts_search_and_esc(qtbot: Any, window: MainWindow) -> None:
    dialog = _open_shortcuts(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.search_field, timeout=2000)
    qtbot.keyClicks(dialog.search_field, "rueckgangig")  # typed without umlauts
    rows = dialog.visible_rows()
    assert rows and all("Rückgängig" in command for _k, command, _p in rows)
    dialog.search_field.clear()
    qtbot.keyClicks(dialog.search_field, "zugesagt")
    assert [c for _k, c, _p in dialog.visible_rows()] == ["Status „zugesagt“ setzen"]
    assert "1 von" in dialog.count_label.text()
    qtbot.keyClick(dialog.search_field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_handbook_opens_the_packaged_index(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    messages: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    for kind in ("warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a, **k: messages.append(text))
    window.menu_actions.handbook.trigger()
    index = paths.resources_dir() / "handbook" / "index.html"
    assert messages == []
    assert opened == [QUrl.fromLocalFile(str(index))]
    assert window.menu_actions.handbook.shortcut().toString() == "F1"


def test_handbook_walks_through_the_year_with_pictures_that_exist() -> None:
    folder = ROOT / "resources" / "handbook"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    for step in (
        "Adressen",
        "Einladen",
        "Rückmeldungen",
        "Serienbriefe",
        "E-Mail",
        "Check-in",
        "Teilnahmebescheinigungen",
        "Protokoll",
        "Ergebnisse",
    ):
        assert step in html, step
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert len(pictures) >= 5
    for picture in pictures:
        path = folder / picture
        assert path.is_file(), picture
        assert path.stat().st_size < 400_000, f"{picture} is too big for the package"
    total = sum(p.stat().st_size for p in (folder / "img").iterdir())
    assert total < 3_000_000
    # packaged: package data and the PyInstaller spec take the folder along
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["resources"]
    assert "handbook/*" in data and "handbook/img/*" in data
    spec = (ROOT / "packaging" / "konferenz.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources" / "handbook"), "resources/handbook")' in spec
