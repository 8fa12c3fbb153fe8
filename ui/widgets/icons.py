"""The window's icons in one place: the five areas and the everyday actions.

An icon is either one of Qt's standard icons (``QStyle.StandardPixmap``, drawn by the style, so it follows the
platform) or one of our own small SVGs under ``resources/icons`` (CC0, see the LICENSE.md there) where Qt has
none that says it. Icons never carry meaning alone: every control that shows one keeps its text (toolbar
buttons show it beside the icon), so ``apply_icons`` only adds icons to actions that have a text.
QIcon reads an SVG file only when it is first painted: making the icons costs the start next to nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QStyle

SP = QStyle.StandardPixmap

#: area name (``ui.actions.AREA_NAMES``) → own SVG
AREA_ICONS: dict[str, str] = {
    "Adressen": "area-adressen",
    "Konferenzen": "area-konferenzen",
    "Programm": "area-programm",
    "Protokoll": "area-protokoll",
    "Ergebnisse": "area-ergebnisse",
}

#: action object name (``ui.actions``) → own SVG name or standard pixmap
ACTION_ICONS: dict[str, str | QStyle.StandardPixmap] = {
    # Datei, Bearbeiten, Adressen
    "action_open_database": SP.SP_DialogOpenButton,
    "action_import": SP.SP_DialogOpenButton,
    "action_export_list": "export",
    "action_undo": SP.SP_ArrowBack,
    "action_redo": SP.SP_ArrowForward,
    "action_new_person": "person-add",
    "action_new_organisation": "organisation-add",
    "action_edit_record": "edit",
    "action_find_duplicates": SP.SP_FileDialogContentsView,
    "action_handbook": SP.SP_DialogHelpButton,
    # Konferenz
    "action_new_conference": "add",
    "action_edit_conference": "edit",
    "action_invite": "invite",
    "action_send_mail": "mail-send",
    "action_letters": "letters",
    "action_checkin": "checkin",
    "action_statistics": "statistics",
    # Programm, Protokoll, Ergebnisse
    "action_agenda_new": "add",
    "action_agenda_edit": "edit",
    "action_agenda_up": SP.SP_ArrowUp,
    "action_agenda_down": SP.SP_ArrowDown,
    "action_agenda_pdf": "export",
    "action_minutes_save": SP.SP_DialogSaveButton,
    "action_minutes_recommendation": "add",
    "action_minutes_pdf": "export",
    "action_results_note": SP.SP_DialogSaveButton,
    "action_results_excel": "export",
}


@functools.cache
def own_icon(name: str) -> QIcon:
    """Our SVG ``resources/icons/<name>.svg``."""
    from konferenz import paths

    return QIcon(str(paths.resources_dir() / "icons" / f"{name}.svg"))


def standard_icon(pixmap: QStyle.StandardPixmap) -> QIcon:
    """One of the style's standard icons (an empty icon before there is an application)."""
    app = QApplication.instance()
    return app.style().standardIcon(pixmap) if isinstance(app, QApplication) else QIcon()


def icon_for(spec: str | QStyle.StandardPixmap) -> QIcon:
    return own_icon(spec) if isinstance(spec, str) else standard_icon(spec)


def area_icon(area: str) -> QIcon:
    """The icon of an area of the main window (an empty icon for an unknown name)."""
    name = AREA_ICONS.get(area)
    return own_icon(name) if name else QIcon()


def apply_icons(actions: Iterable[QAction]) -> None:
    """Give each action of ``ACTION_ICONS`` its icon (actions that have one already keep it: a destructive
    action carries the warning mark of ``ui.widgets.destructive``)."""
    for action in actions:
        spec = ACTION_ICONS.get(action.objectName())
        if spec is not None and action.icon().isNull() and action.text():
            action.setIcon(icon_for(spec))
