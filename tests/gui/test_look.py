"""The window's look (issue 17, visual cues): icons for the areas and the everyday actions, a toolbar that
follows the area, one marking for every destructive button, maximised on the first start and as remembered
after, and the reply-deadline warning of the Serienbrief dialog."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from mnemonic_walk import clashes
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QDialog, QToolButton, QWidget

from konferenz.letters import templates
from konferenz.letters.dates import german_date
from konferenz.storage.db import Database
from konferenz.storage.models import Conference
from ui.actions import AREA_NAMES
from ui.context import AppContext
from ui.settings import settings
from ui.shell.main_window import MainWindow
from ui.widgets.destructive import DESTRUCTIVE_PROPERTY, is_destructive, mark_destructive

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

ROOT = Path(__file__).resolve().parents[2]
#: the words of a destructive control's text (issue 17: search the ui/ for them)
DESTRUCTIVE_WORDS = re.compile(r"lösch|anonymis|entfern|verwerf|rückgängig machen", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


@pytest.fixture(autouse=True)
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Vorlagen"
    monkeypatch.setattr(templates, "user_template_dir", lambda: folder)
    return folder


def _window(qtbot: Any, database: Database) -> MainWindow:
    window = MainWindow(database)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.lists_loaded, timeout=10_000):
        window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot: Any, demo: Database) -> MainWindow:
    return _window(qtbot, demo)


def _toolbar_actions(window: MainWindow) -> list[QAction]:
    return [a for a in window.toolbar.actions() if not a.isSeparator()]


# --- icons ----------------------------------------------------------------------------------------------


def test_every_area_has_an_icon_beside_its_name(window: MainWindow) -> None:
    for row, name in enumerate(AREA_NAMES):
        item = window.navigation.item(row)
        assert item.text() == name
        assert not item.icon().isNull(), name
        assert not item.icon().pixmap(QSize(16, 16)).isNull(), name  # the SVG is found and drawn
        assert not window.menu_actions.areas[row].icon().isNull()


def test_the_toolbar_actions_have_icons_and_keep_their_text(window: MainWindow) -> None:
    for index, name in enumerate(AREA_NAMES):
        window.show_area(index)
        assert window.toolbar.area == name
        buttons = window.toolbar.buttons()
        assert buttons, name
        for button in buttons:
            assert not button.icon().isNull(), (name, button.text())
            assert not button.icon().pixmap(QSize(16, 16)).isNull(), (name, button.text())
            # the icon never carries the meaning alone
            assert button.text().strip(), name
            assert button.accessibleName().strip(), name
            assert button.toolTip().strip(), name
            assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    window.show_area(0)
    tips = {b.defaultAction(): b.toolTip() for b in window.toolbar.buttons()}
    assert "Strg+Umschalt+P" in tips[window.registry_actions.new_person]
    assert "Entf" in tips[window.registry_actions.delete_record]


# --- the toolbar follows the area ------------------------------------------------------------------------


def test_the_toolbar_shows_the_window_s_own_actions_of_the_area_shown(window: MainWindow) -> None:
    r, c, f = window.registry_actions, window.conference_actions, window.file_actions
    window.show_area(AREA_NAMES.index("Adressen"))
    shown = _toolbar_actions(window)
    for action in (r.new_person, r.new_organisation, r.edit_record, r.delete_record, f.import_file):
        assert any(a is action for a in shown), action.text()
    window.show_area(AREA_NAMES.index("Konferenzen"))
    shown = _toolbar_actions(window)
    for action in (c.invite, c.letters, c.send_mail, c.checkin):
        assert any(a is action for a in shown), action.text()
    assert not any(a is r.new_person for a in shown)
    window.show_area(AREA_NAMES.index("Programm"))
    programme = window.areas["Programm"].area_actions  # type: ignore[attr-defined]
    assert any(a is programme.new_item for a in _toolbar_actions(window))
    window.show_area(AREA_NAMES.index("Protokoll"))
    minutes = window.areas["Protokoll"].area_actions  # type: ignore[attr-defined]
    assert any(a is minutes.save for a in _toolbar_actions(window))
    window.show_area(AREA_NAMES.index("Ergebnisse"))
    results = window.areas["Ergebnisse"].area_actions  # type: ignore[attr-defined]
    assert any(a is results.export_excel for a in _toolbar_actions(window))
    # no copies: every action of the toolbar is one the window or an area declared once
    declared = set(window.findChildren(QAction))
    for index in range(len(AREA_NAMES)):
        window.show_area(index)
        assert all(a in declared and a.objectName().startswith("action_") for a in _toolbar_actions(window))


def test_a_toolbar_click_acts_and_leaves_the_focus_in_the_list(qtbot: Any, window: MainWindow) -> None:
    window.show_area(AREA_NAMES.index("Adressen"))
    panel = window.address_area.current_panel()
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.waitUntil(lambda: window.focusWidget() is panel.table)
    button = window.toolbar.widgetForAction(window.file_actions.export_list)
    assert isinstance(button, QToolButton)
    # export asks for a file: catch the call instead of a modal dialog
    called: list[bool] = []
    window.file_actions.export_list.triggered.disconnect()
    window.file_actions.export_list.triggered.connect(lambda: called.append(True))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert called == [True]
    assert window.focusWidget() is panel.table


def test_the_toolbar_adds_no_mnemonic_clash(qtbot: Any, window: MainWindow) -> None:
    for index in range(len(AREA_NAMES)):
        window.show_area(index)
        qtbot.wait(10)
        for button in window.toolbar.buttons():
            assert "&" not in button.text().replace("&&", "")
        assert clashes(window) == [], AREA_NAMES[index]


# --- destructive controls ----------------------------------------------------------------------------------


def _assert_marked(control: QWidget | QAction) -> None:
    assert is_destructive(control), control
    assert control.property(DESTRUCTIVE_PROPERTY) is True
    assert not control.icon().isNull()
    if isinstance(control, QAbstractButton):
        assert control.text().strip()  # the text stays: icon and words, never colour alone
        assert "Achtung" in control.accessibleDescription()
    if isinstance(control, QToolButton):
        assert control.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly


def _destructive_buttons(widget: QWidget) -> list[QAbstractButton]:
    return [
        b for b in widget.findChildren(QAbstractButton) if DESTRUCTIVE_WORDS.search(b.text().replace("&", ""))
    ]


def test_mark_destructive_keeps_the_palette_and_the_text(qtbot: Any) -> None:
    button = QToolButton()
    qtbot.addWidget(button)
    button.setText("Entfernen")
    palette = button.palette()
    mark_destructive(button)
    mark_destructive(button)  # twice changes nothing
    _assert_marked(button)
    assert button.palette() == palette  # legible in high contrast: the system colours stay
    assert button.accessibleDescription().count("Achtung") == 1


def test_every_destructive_button_of_the_window_is_marked(qtbot: Any, window: MainWindow) -> None:
    window.show_area(0)
    address = window.address_area
    for page in address.pages():
        address.setCurrentWidget(page)
        page.panel.table.selectRow(0)
        qtbot.waitUntil(lambda p=page: p.has_editor and p.current_id() is not None)
    texts: set[str] = set()
    for index in range(len(AREA_NAMES)):
        window.show_area(index)  # the toolbar's buttons are made anew for each area: checked at once
        for button in _destructive_buttons(window):
            _assert_marked(button)
            texts.add(button.text().replace("&", ""))
    assert {"Löschen …", "Löschen", "Verwerfen", "Entfernen", "Verteiler löschen"} <= texts, texts
    _assert_marked(window.registry_actions.delete_record)
    _assert_marked(window.areas["Programm"].area_actions.delete_item)  # type: ignore[attr-defined]


def test_the_dialogs_destructive_buttons_are_marked(qtbot: Any, demo: Database) -> None:
    from ui.addresses.privacy_dialog import PrivacyDialog
    from ui.conferences.conference_dialog import ConferenceDialog
    from ui.paper.dialogs.sender_dialog import SenderSettingsDialog
    from ui.spreadsheets.import_undo import ImportsDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    ctx = AppContext(demo, parent)
    dialogs: list[QDialog] = [
        PrivacyDialog(ctx, parent),
        ImportsDialog(ctx, parent),
        ConferenceDialog(demo, None, parent),
        SenderSettingsDialog(ctx, parent),
    ]
    for dialog in dialogs:
        buttons = _destructive_buttons(dialog)
        assert buttons, type(dialog).__name__
        for button in buttons:
            _assert_marked(button)
        dialog.deleteLater()


def test_every_destructive_button_in_the_source_calls_mark_destructive() -> None:
    """The source walk finds the buttons no test opens: a push or tool button whose text deletes,
    anonymises, removes, discards or undoes an import is marked in the same file."""
    pattern = re.compile(r"(self\.\w+) = Q(?:Push|Tool)Button\((?:self\.)?tr\(\"([^\"]*)\"")
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for name, text in pattern.findall(source):
            if DESTRUCTIVE_WORDS.search(text.replace("&", "")):
                found.append((path.name, name, text))
                assert f"mark_destructive({name})" in source, (path.name, name, text)
    assert len(found) >= 10, found


# --- window state -----------------------------------------------------------------------------------------


def test_first_start_maximised_then_as_remembered(qtbot: Any, demo: Database) -> None:
    assert settings().value("MainWindow/geometry") is None
    first = _window(qtbot, demo)
    assert first.isMaximized()
    first.showNormal()
    first.resize(700, 500)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == (700, 500))
    first.close()
    again = _window(qtbot, demo)
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (700, 500)
    again.showMaximized()
    qtbot.waitUntil(again.isMaximized)
    again.close()
    third = _window(qtbot, demo)
    assert third.isMaximized()


# --- reply deadline in the Serienbrief dialog -------------------------------------------------------------


def _set_deadline(database: Database, year: int, deadline: dt.date) -> int:
    with database.session() as s:
        conf = s.scalars(sa.select(Conference).where(Conference.year == year)).one()
        conf.reply_deadline = deadline
        return conf.id


@pytest.mark.parametrize(
    ("days", "template", "warned"),
    [(-3, "einladung", True), (-3, "erinnerung", True), (-3, "dank", False), (0, "einladung", False)],
)
def test_the_letters_dialog_warns_of_a_deadline_gone(
    qtbot: Any, demo: Database, days: int, template: str, warned: bool
) -> None:
    from ui.paper.dialogs.letters_dialog import LettersDialog

    deadline = dt.date.today() + dt.timedelta(days=days)
    conf_id = _set_deadline(demo, 2026, deadline)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = LettersDialog(AppContext(demo, parent), parent, conf_id)
    qtbot.addWidget(dialog)
    dialog.select_template(template)
    dialog.refresh()
    dialog.show()
    label = dialog.deadline_label
    assert label.isVisible() is warned
    if warned:
        assert label.text().startswith("⚠ Die Rückmeldefrist")
        assert german_date(deadline) in label.text()
        assert dialog.findChild(QWidget, "letters_deadline") is label
        # said before anything is printed or saved: above the buttons, with the sign and in words
        assert label.geometry().bottom() < dialog.preview_button.geometry().top()
