"""Strg+Z and Strg+Umschalt+Z from an editor field: the field's own undo first, else the window's.

A text field (QLineEdit, QTextEdit, QPlainTextEdit, a spin box's or an editable combo box's field) claims
the undo and redo keys for itself (Qt's ShortcutOverride) even when it has nothing to undo – so Bearbeiten →
Rückgängig, a window shortcut, never ran while the cursor stood in a field. ``FieldUndo`` watches those
overrides for the widgets of one window: a field with something to undo keeps the key, a field without
lets it go to the window's action (and so to the window's undo stack).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: Wiederholen's second key (Bearbeiten → Wiederholen has Strg+Umschalt+Z and Strg+Y)
_CTRL_Y = QKeySequence("Ctrl+Y")


def _field_can(widget: QWidget, redo: bool) -> bool | None:
    """Whether ``widget`` (a text field) has something to undo (redo); None when it is no text field."""
    if isinstance(widget, QAbstractSpinBox):
        line = widget.findChild(QLineEdit)
        return _field_can(line, redo) if line is not None else False
    if isinstance(widget, QComboBox):
        line = widget.lineEdit()
        return _field_can(line, redo) if line is not None else None
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        return widget.isRedoAvailable() if redo else widget.isUndoAvailable()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        if widget.isReadOnly():
            return False
        document = widget.document()
        return document.isRedoAvailable() if redo else document.isUndoAvailable()
    return None


class FieldUndo(QObject):
    """Installed on the application for ``window``: undo and redo keys pass through empty-handed fields."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            redo = False
        elif (
            event.matches(QKeySequence.StandardKey.Redo)
            or _CTRL_Y.matches(QKeySequence(event.keyCombination())) == QKeySequence.SequenceMatch.ExactMatch
        ):
            redo = True
        else:
            return False
        can = _field_can(watched, redo)
        if can is None or can:
            return False  # not a field, or the field undoes its own typing first
        event.ignore()
        return True  # the field does not claim the key: the window's Rückgängig / Wiederholen runs
