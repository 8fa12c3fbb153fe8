"""Accessibility walk (issue 17 item 8; BITV NRW / EN 301 549 chapter 11) over every window and dialog the
program has (the list in window_walk.py), each page of each tab widget shown in turn: every focusable
control has an accessible name and every form label is its field's buddy, every input is reached by Tab,
no control traps Tab, the focus can be seen wherever it goes, and nothing in the lists is told by colour
alone; no style sheet hides the focus, and the application frames a focused list. The checks live in
a11y_walk.py; the first test here shows that each can fail."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
from a11y_walk import (
    accessible_name,
    colour_only,
    item_views,
    labels_without_buddy,
    tab_walk,
    unnamed_controls,
    unreachable_inputs,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from window_walk import (
    DIALOG_NAMES,
    import_wizard_pages,
    main_window_views,
    open_dialog,
    open_main_window,
)

from konferenz.storage.db import Database
from ui.context import AppContext
from ui.widgets.badges import status_badge
from ui.widgets.focus import install_focus_frames

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def focus_frames(qapp: Any) -> Iterator[None]:
    """The focus frames as ``create_application`` installs them, for this module only."""
    frames = install_focus_frames(qapp)
    yield
    frames.remove()


# --- the checks can fail ---------------------------------------------------------------------------------


def test_the_walk_finds_what_it_looks_for(qtbot: Any) -> None:
    """An unnamed field, a label without buddy, a skipped input, a Tab trap, an invisible focus and a
    colour without text, each found and named."""
    window = QWidget()
    layout = QVBoxLayout(window)
    form = QFormLayout()
    layout.addLayout(form)
    named_by_form = QLineEdit()
    form.addRow("&Name", named_by_form)
    no_buddy = QLineEdit()
    no_buddy.setPlaceholderText("Land ohne Buddy")
    form.addRow(QLabel("Land"), no_buddy)  # shown beside it, but Qt names nothing
    label = QLabel("&Ort")
    by_buddy = QLineEdit()
    label.setBuddy(by_buddy)
    layout.addWidget(label)
    layout.addWidget(by_buddy)
    nameless = QLineEdit()
    nameless.setPlaceholderText("Namenlos")
    layout.addWidget(nameless)
    layout.addWidget(QCheckBox("&Aktiv"))
    unnamed_list = QListWidget()
    layout.addWidget(unnamed_list)
    skipped = QLineEdit()
    skipped.setAccessibleName("Übersprungen")
    skipped.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    layout.addWidget(skipped)
    typing = QTextEdit()
    typing.setAccessibleName("Notiz")
    layout.addWidget(typing)
    layout.addWidget(QPushButton("&Speichern"))
    cells = QTableWidget(2, 2)  # Tab moves from cell to cell and never leaves
    cells.setAccessibleName("Zellen")
    cells.setCurrentCell(0, 0)
    layout.addWidget(cells)
    blank = QWidget()  # takes the focus, draws nothing: the focus cannot be seen
    blank.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    blank.setAccessibleName("Leer")
    blank.setMinimumSize(20, 20)
    layout.addWidget(blank)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert unnamed_controls(window) == ["QLineEdit „Land ohne Buddy“", "QLineEdit „Namenlos“", "QListWidget"]
    assert labels_without_buddy(window) == ["„Land“ ohne Buddy für QLineEdit „Land ohne Buddy“"]
    reached, traps = tab_walk(qtbot, window)
    assert named_by_form in reached and typing in reached
    assert unreachable_inputs(window, reached) == ["QLineEdit „Übersprungen“"]
    assert traps == [
        "Fokus nicht sichtbar: QWidget „Leer“",
        "Tab bleibt stehen: QTableWidget „Zellen“",
        "Tab wird eingegeben statt weiterzugehen: QTextEdit „Notiz“",
    ]

    model = QStandardItemModel(2, 2)
    model.setItem(0, 0, QStandardItem("Öztürk, Ayşe"))
    model.setItem(0, 1, QStandardItem("zugesagt"))
    model.item(0, 0).setBackground(Qt.GlobalColor.yellow)  # the row says "zugesagt": stated
    model.setItem(1, 0, QStandardItem("Nguyễn, Văn"))
    model.item(1, 0).setForeground(Qt.GlobalColor.red)  # red, and nothing says why
    model.item(0, 1).setIcon(status_badge("zugesagt"))  # the badge beside its text
    model.setItem(1, 1, QStandardItem("Termin"))
    model.item(1, 1).setIcon(status_badge("abgesagt"))  # a badge whose text says something else
    found, seen = colour_only(model)
    assert seen == 4
    assert found == [
        "Zeile 2, Spalte 2: Symbol ohne Text, der es nennt („Termin“)",
        "Zeile 2: Farbe ohne Text, der sie nennt („Nguyễn, Văn Termin“)",
    ]


# --- every window and dialog -----------------------------------------------------------------------------


def _findings(qtbot: Any, window: QWidget) -> list[str]:
    """Names, Tab and colour in ``window`` as shown."""
    lines = [f"ohne Namen: {c}" for c in unnamed_controls(window)]
    lines += [f"Beschriftung {c}" for c in labels_without_buddy(window)]
    reached, traps = tab_walk(qtbot, window)
    lines += traps
    lines += [f"nicht per Tab erreichbar: {c}" for c in unreachable_inputs(window, reached)]
    for view in item_views(window):
        found, _seen = colour_only(view.model())
        lines += [f"nur Farbe in {view.accessibleName() or type(view).__name__}: {c}" for c in found]
    return lines


def _walk_tabs(qtbot: Any, window: QWidget) -> list[str]:
    """The findings as shown, then with each page of each visible tab widget shown in turn."""
    found = _findings(qtbot, window)
    for tabs in [t for t in window.findChildren(QTabWidget) if t.isVisible() and t.window() is window]:
        shown = tabs.currentIndex()
        for index in range(tabs.count()):
            if index == shown or not tabs.isTabEnabled(index):
                continue
            tabs.tabBar().setFocus(
                Qt.FocusReason.TabFocusReason
            )  # as a user does: Tab to the tabs, arrow key
            tabs.setCurrentIndex(index)
            qtbot.wait(10)
            found += [f"[Reiter {tabs.tabText(index)}] {line}" for line in _findings(qtbot, window)]
        tabs.setCurrentIndex(shown)
    return sorted(set(found))


def test_main_window_is_accessible(qtbot: Any, demo: Database) -> None:
    window = open_main_window(qtbot, demo)
    found = [
        f"{view}: {line}" for view in main_window_views(qtbot, window) for line in _walk_tabs(qtbot, window)
    ]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_dialog_is_accessible(qtbot: Any, demo: Database, tmp_path: Path, name: str) -> None:
    dialog = open_dialog(qtbot, demo, tmp_path, name)
    found = _walk_tabs(qtbot, dialog)
    assert found == [], "\n".join(found)


def _mixed_csv(tmp_path: Path) -> Path:
    """New rows, a row twice (a duplicate) and a row without a name (rejected): the preview colours two."""
    first = fx.SIMPLE_ROWS[0]
    nameless = ["", "", "", "", "4632", "Nirgendwo", "kein-at-zeichen"]
    return fx.write_csv(
        tmp_path / "gemischt.csv",
        [fx.SIMPLE_HEADER, *fx.SIMPLE_ROWS, first, nameless, ["Frau", "Ayşe", "Öztürk", "", "", "", ""]],
        encoding="utf-8",
    )


def test_import_wizard_pages_are_accessible(qtbot: Any, demo: Database, tmp_path: Path) -> None:
    from ui.spreadsheets.import_wizard import ImportWizard

    wizard = ImportWizard(AppContext(demo))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    pages = import_wizard_pages(qtbot, wizard, _mixed_csv(tmp_path))
    found = [f"{page}: {line}" for page in pages for line in _walk_tabs(qtbot, wizard)]
    assert found == [], "\n".join(found)


def test_the_labels_without_a_letter_still_name_their_field(qtbot: Any, demo: Database) -> None:
    """ "Land", "Eigene Briefanrede" and "Verteiler" have no Alt+letter (the letters are taken), but each is
    its field's buddy, and the field has a name a screen reader announces."""
    window = open_main_window(qtbot, demo)
    views = main_window_views(qtbot, window)
    assert next(views) == "Adressen/&Personen"
    labels = {
        label.text(): label
        for label in window.findChildren(QLabel)
        if label.text() in ("Land:", "Eigene Briefanrede:", "Verteiler:") and label.isVisible()
    }
    assert sorted(labels) == ["Eigene Briefanrede:", "Land:", "Verteiler:"]
    for text, label in labels.items():
        buddy = label.buddy()
        assert buddy is not None and buddy.isVisible(), text
        assert accessible_name(buddy).startswith(text.rstrip(":")), text


# --- nothing by colour alone, in the lists that colour ---------------------------------------------------


def _colours(window: QWidget) -> tuple[list[str], int]:
    found: list[str] = []
    seen = 0
    for view in item_views(window):
        lines, count = colour_only(view.model())
        found += lines
        seen += count
    return found, seen


def test_the_coloured_lists_state_their_colours_in_text(qtbot: Any, demo: Database, tmp_path: Path) -> None:
    """The lists that carry a badge or a colour – invitations and replies, check-in, import preview – were
    checked with something to check (the walks above would pass on lists without colour); statistics and
    duplicates carry none."""
    from ui.spreadsheets.import_wizard import ImportWizard

    window = open_main_window(qtbot, demo)
    seen = {view: _colours(window) for view in main_window_views(qtbot, window)}
    assert all(found == [] for found, _count in seen.values())
    assert seen["Konferenzen"][1] > 0  # the status badges of the invitations and replies
    window.close()
    for name in ("Check-in", "Statistik", "Dubletten"):
        found, count = _colours(open_dialog(qtbot, demo, tmp_path, name))
        assert found == []
        assert (count > 0) == (name == "Check-in"), name
    wizard = ImportWizard(AppContext(demo))
    qtbot.addWidget(wizard)
    wizard.show()
    for page in import_wizard_pages(qtbot, wizard, _mixed_csv(tmp_path)):
        if page == "Vorschau":
            found, count = _colours(wizard)
            assert found == []
            assert count > 0  # the duplicate and the rejected row are coloured, and say so


# --- visible focus ---------------------------------------------------------------------------------------

_NO_FOCUS = re.compile(
    r"outline\s*:\s*(none|0)|show-decoration-selected|:focus\s*\{[^}]*border\s*:\s*(none|0)"
)


def test_no_style_sheet_hides_the_focus() -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _NO_FOCUS.search(line)
    ]
    assert hits == []
    assert _NO_FOCUS.search('widget.setStyleSheet("QTableView { outline: none; }")')


_FRESH_PROCESS = textwrap.dedent(
    """
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QVBoxLayout
    from ui.shell.application import create_application

    app = create_application(["konferenz"])
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    field, empty_list = QLineEdit(), QListWidget()
    layout.addWidget(field)
    layout.addWidget(empty_list)
    dialog.show()
    dialog.activateWindow()
    QTest.qWaitForWindowActive(dialog)
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Tab)
    assert app.focusWidget() is empty_list
    around = empty_list.geometry().adjusted(-3, -3, 3, 3)  # the frame lies just outside the list
    focused = dialog.grab(around).toImage()
    QTest.keyClick(empty_list, Qt.Key.Key_Tab)
    print("sichtbar" if dialog.grab(around).toImage() != focused else "unsichtbar")
    """
)


def test_the_application_frames_the_focused_list() -> None:
    """In the application as it starts (create_application), an empty list reached by Tab shows a frame;
    Qt's style alone draws none."""
    result = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sichtbar"]
