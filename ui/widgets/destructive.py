"""The one marking of a destructive control: a button or action that deletes, anonymises, removes, discards
or undoes an import.

``mark_destructive(control)`` gives it the style's warning icon beside its text, the dynamic property
``destructive=true`` (so a style sheet or a test can find it) and an accessible description that says so to
a screen reader. It changes no colour: the control keeps the system palette, so it stays legible in Windows'
high-contrast themes, and the meaning never rests on colour (the icon and the text carry it). A tool button
that would show only its icon is switched to show the text beside it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QStyle, QToolButton, QWidget

#: the dynamic property set on every destructive control
DESTRUCTIVE_PROPERTY = "destructive"
#: what a screen reader adds to the control's name
DESCRIPTION = "Achtung: löscht oder verwirft Daten"


def is_destructive(control: QWidget | QAction) -> bool:
    return bool(control.property(DESTRUCTIVE_PROPERTY))


def mark_destructive(control: QAbstractButton | QAction) -> QAbstractButton | QAction:
    """Mark ``control`` as destructive (see the module docstring); returns it, so a call can wrap a
    constructor. Marking twice changes nothing."""
    style = control.style() if isinstance(control, QWidget) else QApplication.style()
    control.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
    control.setProperty(DESTRUCTIVE_PROPERTY, True)
    translated = QApplication.translate("Destructive", DESCRIPTION)
    if isinstance(control, QWidget):
        if translated not in control.accessibleDescription():
            own = control.accessibleDescription()
            control.setAccessibleDescription(f"{own} ({translated})" if own else translated)
        if (
            isinstance(control, QToolButton)
            and control.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        ):
            control.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # a style sheet that uses the property sees it change
        control.style().unpolish(control)
        control.style().polish(control)
    return control
