"""The toolbar of the main window: the everyday actions of the area shown, with icon and text.

One ``QToolBar`` under the menu bar; ``show_area(name, actions)`` fills it with the area's actions, which
are the window's own ``QAction`` objects (``ui.actions``), never copies: a button is enabled, renamed or
triggered exactly like the menu entry. ``area_actions(window, name)`` says which actions each area shows.

Buttons show their text beside the icon (an icon never carries meaning alone) and a tooltip with the
shortcut; they take no keyboard focus (``Qt.NoFocus``, as in Office), so a click on one leaves the focus in
the list, and their text has no mnemonic (``QAction.iconText`` drops the "&"), so the window's Alt+letter
keys stay unique. A destructive action (marked by ``ui.widgets.destructive``) marks its button the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from ui.actions import key_text
from ui.widgets.destructive import is_destructive, mark_destructive
from ui.widgets.icons import apply_icons

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


def area_actions(window: MainWindow, name: str) -> list[QAction | None]:
    """The toolbar entries of the area ``name`` (None: a separator); builds the area if need be."""
    r, c, f = window.registry_actions, window.conference_actions, window.file_actions
    if name == "Adressen":
        return [
            r.new_person,
            r.new_organisation,
            r.edit_record,
            r.delete_record,
            None,
            f.import_file,
            f.export_list,
        ]
    if name == "Konferenzen":
        return [c.new_conference, None, c.invite, c.letters, c.send_mail, c.checkin, None, c.statistics]
    area = window.areas[name]
    own = getattr(area, "area_actions", None)
    if name == "Programm" and own is not None:
        return [
            own.new_item,
            own.edit_item,
            own.delete_item,
            own.move_up,
            own.move_down,
            None,
            own.agenda_pdf,
        ]
    if name == "Protokoll" and own is not None:
        return [own.save, own.add_recommendation, None, own.minutes_pdf]
    if name == "Ergebnisse" and own is not None:
        return [own.add_note, None, own.export_excel]
    return []


def tool_tip(action: QAction) -> str:
    """The button's tooltip: the action's tip, and its shortcut unless the tip names it already."""
    tip = action.toolTip() or action.iconText()
    keys = key_text(action.shortcut()) if not action.shortcut().isEmpty() else ""
    return f"{tip} ({keys})" if keys and keys not in tip else tip


class AreaToolbar(QToolBar):
    """The toolbar that follows the area shown (``area`` names it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area_toolbar")
        self.setWindowTitle(self.tr("Werkzeugleiste"))
        self.setAccessibleName(self.tr("Werkzeugleiste des Bereichs"))
        self.setMovable(False)
        self.setFloatable(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        size = self.style().pixelMetric(self.style().PixelMetric.PM_SmallIconSize)
        self.setIconSize(QSize(size, size))
        self.area = ""

    def show_area(self, name: str, actions: Sequence[QAction | None]) -> None:
        """Show ``actions`` (None: a separator) for the area ``name``."""
        self.clear()
        self.area = name
        apply_icons(a for a in actions if a is not None)
        for action in actions:
            if action is None:
                self.addSeparator()
                continue
            self.addAction(action)
            button = self.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setObjectName(f"tool_{action.objectName()}")
                button.setToolTip(tool_tip(action))
                button.setAccessibleName(action.iconText())
                if is_destructive(action):
                    mark_destructive(button)

    def buttons(self) -> list[QToolButton]:
        """The buttons shown, in order."""
        found = [self.widgetForAction(a) for a in self.actions() if not a.isSeparator()]
        return [b for b in found if isinstance(b, QToolButton)]
