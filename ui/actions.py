"""Every action of the main window (menu entry, shortcut, status tip), declared in one place.

The window connects the actions to its slots and puts them into menus; tests trigger them directly.
Texts go through Qt's translation functions (context "Actions") so another language can be added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence


def _tr(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


#: the areas of the main window in navigation order; Ctrl+1 … Ctrl+5 switch to them
AREA_NAMES: tuple[str, ...] = ("Adressen", "Konferenzen", "Programm", "Protokoll", "Ergebnisse")


@dataclass(frozen=True)
class Actions:
    open_database: QAction
    new_database: QAction
    quit: QAction
    find: QAction
    about: QAction
    #: one checkable action per area (exclusive group), in ``AREA_NAMES`` order
    areas: tuple[QAction, ...]
    area_group: QActionGroup

    def all(self) -> list[QAction]:
        return [self.open_database, self.new_database, self.quit, self.find, self.about, *self.areas]


def _action(
    parent: QObject,
    text: str,
    *,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
    name: str,
) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    return action


def create_actions(parent: QObject, area_names: Sequence[str] = AREA_NAMES) -> Actions:
    """The window's actions, owned by ``parent`` (the window adds them so their shortcuts work)."""
    group = QActionGroup(parent)
    group.setExclusive(True)
    areas = []
    for number, area in enumerate(area_names, start=1):
        action = _action(
            parent,
            f"&{number} {_tr(area)}",
            shortcut=f"Ctrl+{number}",
            tip=_tr("Bereich „{0}“ anzeigen").format(_tr(area)),
            name=f"action_area_{number}",
        )
        action.setCheckable(True)
        group.addAction(action)
        areas.append(action)
    return Actions(
        open_database=_action(
            parent,
            _tr("Datenbank ö&ffnen …"),
            shortcut=QKeySequence.StandardKey.Open,
            tip=_tr("Eine andere Konferenz-Datenbank (SQLite-Datei) öffnen"),
            name="action_open_database",
        ),
        new_database=_action(
            parent,
            _tr("&Neue Datenbank …"),
            shortcut=QKeySequence.StandardKey.New,
            tip=_tr("Eine neue, leere Konferenz-Datenbank anlegen"),
            name="action_new_database",
        ),
        quit=_action(
            parent,
            _tr("&Beenden"),
            shortcut="Ctrl+Q",
            tip=_tr("Das Programm beenden"),
            name="action_quit",
        ),
        find=_action(
            parent,
            _tr("&Suchen"),
            shortcut=QKeySequence.StandardKey.Find,
            tip=_tr("Zum Suchfeld des angezeigten Bereichs"),
            name="action_find",
        ),
        about=_action(
            parent,
            _tr("Ü&ber Konferenz"),
            tip=_tr("Version und Zweck des Programms"),
            name="action_about",
        ),
        areas=tuple(areas),
        area_group=group,
    )
