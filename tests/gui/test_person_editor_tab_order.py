"""Tab through the person editor (issue 17): every enabled control that takes the focus by Tab is reached,
"Rolle hinzufügen" and each role's fields included, in the order they stand (roles before the address)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QRadioButton, QWidget

from konferenz.demo.builder import generate_demo
from konferenz.storage.db import open_database
from ui.settings import settings
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(path, create=True)
    generate_demo(database, persons=40, seed=3)
    database.dispose()
    return path


@pytest.fixture
def window(qtbot: Any, demo_file: Path, tmp_path: Path) -> Iterator[MainWindow]:
    settings().clear()
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    database = open_database(path)
    win = MainWindow(database)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    yield win
    win.close()
    database.dispose()


def _by_tab(widget: QWidget) -> bool:
    """Whether Tab should stop at ``widget``; of a group of radio buttons only the chosen one (the arrow
    keys choose among them, as everywhere in Qt and Windows)."""
    if isinstance(widget, QRadioButton):
        group = widget.group()
        if group is not None and group.exclusive() and group.checkedButton() not in (None, widget):
            return False
    return True


def _tab_reachable(editor: QWidget) -> list[QWidget]:
    """The controls of ``editor`` a user can reach with Tab: shown, enabled, taking the focus by Tab."""
    return [
        w
        for w in editor.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
        and not w.isWindow()
        and _by_tab(w)
    ]


def _tab_walk(qtbot: Any, start: QWidget, limit: int = 300) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    seen: list[QWidget] = [start]
    for _ in range(limit):
        current = QApplication.focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        if now is start:
            break
        seen.append(now)
    return seen


def _walk_editor(
    qtbot: Any, window: MainWindow, roles: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], list[QWidget], list[QWidget]]:
    """Tab once round the window from the editor's first field; the editor's controls not reached, the
    controls reached, and the role rows' controls (taken before the walk)."""
    from ui.addresses import record_editor

    # Tab through the list selects a row; unsaved input stays (the question answered "Abbrechen")
    monkeypatch.setattr(record_editor, "ask_save_discard", lambda *_a: QMessageBox.StandardButton.Cancel)
    page = window.address_area.current_page()
    editor = page.editor
    for _ in range(roles):
        editor.roles.add_button.click()
    qtbot.wait(20)
    editor.tabs.setCurrentIndex(0)
    reachable = _tab_reachable(editor)
    role_widgets = [w for row in editor.roles.rows() for w in row.widgets() if _by_tab(w)]
    walked = _tab_walk(qtbot, editor.gender)
    missing = [w.accessibleName() or type(w).__name__ for w in reachable if w not in walked]
    return missing, walked, role_widgets


@pytest.mark.parametrize("roles", [0, 2])
def test_tab_reaches_every_control_of_a_new_person(
    qtbot: Any, window: MainWindow, roles: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.registry_actions.new_person.trigger()
    editor = window.address_area.current_page().editor
    editor.last_name.setText("Öztürk")  # unsaved input: the walk through the list keeps it
    missing, walked, role_widgets = _walk_editor(qtbot, window, roles, monkeypatch)
    assert missing == []
    _in_reading_order(editor, walked, role_widgets, roles)
    assert editor.save_button in walked


def _in_reading_order(editor: Any, walked: list[QWidget], role_widgets: list[QWidget], roles: int) -> None:
    """Funktion, the role rows, "Rolle hinzufügen", then the address."""
    add = editor.roles.add_button
    assert len(role_widgets) == 5 * roles - max(roles - 1, 0)  # one "Hauptrolle" button by Tab
    order = [walked.index(w) for w in [editor.function, *role_widgets, add, editor.street]]
    assert order == sorted(order)
    assert order == list(range(order[0], order[0] + len(order)))  # nothing in between


def test_tab_reaches_every_control_of_a_stored_person_with_roles(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored person's role rows are made when the person is shown – after every other control."""
    page = window.address_area.current_page()
    with_roles = next(
        row
        for row in range(page.model.rowCount())
        if page.model.index(row, 0).isValid() and _roles_of(window, page, row) >= 2
    )
    assert page.editor.record_id is not None
    missing, walked, role_widgets = _walk_editor(qtbot, window, 0, monkeypatch)
    assert missing == []
    _in_reading_order(page.editor, walked, role_widgets, len(page.editor.roles.rows()))
    assert with_roles >= 0


def _roles_of(window: MainWindow, page: Any, row: int) -> int:
    page.panel.table.selectRow(row)
    QApplication.processEvents()
    return len(page.editor.roles.rows()) if page.has_editor else 0
