"""Remembered dialog geometry (``ui.widgets.geometry``): one key per name, older keys still read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialog, QWidget

from ui.widgets.geometry import geometry_key, remember_geometry, save_geometry, settings

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


def test_a_dialog_saves_when_it_finishes_and_restores_next_time(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    remember_geometry(dialog, "Probe")
    dialog.setGeometry(QRect(40, 50, 333, 222))
    dialog.done(0)
    assert geometry_key("Probe") == geometry_key("Dialoge/Probe") == "Dialoge/Probe/geometry"
    assert not settings().value("Dialoge/Probe/geometry").isEmpty()
    again = QDialog()
    qtbot.addWidget(again)
    remember_geometry(again, "Dialoge/Probe")
    assert (again.width(), again.height()) == (333, 222)


@pytest.mark.parametrize("old_key", ["Fenster/geometry", "Dialoge/Fenster", "Dialoge/Fenster/geometry"])
def test_geometry_under_an_older_key_is_still_read(qtbot, old_key: str) -> None:
    """The three former copies of the function used these keys for the name "Fenster"."""
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(QRect(10, 20, 321, 123))
    settings().setValue(old_key, window.saveGeometry())
    other = QWidget()
    qtbot.addWidget(other)
    remember_geometry(other, "Fenster")  # not a dialog: nothing is connected, closeEvent saves
    assert (other.width(), other.height()) == (321, 123)
    other.resize(400, 300)
    save_geometry(other, "Fenster")
    third = QWidget()
    qtbot.addWidget(third)
    remember_geometry(third, "Fenster")
    assert (third.width(), third.height()) == (400, 300)  # the new key wins over the old one
