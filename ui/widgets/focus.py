"""Visible keyboard focus (issue 17, BITV NRW / EN 301 549 11.2.4.7): a frame around the list, table, tree
or text box that has the focus.

Qt's styles mark the focus of line edits, combo boxes, check boxes and buttons, but a list or table
without a current row, or a read-only text, looks the same with and without the focus. ``FocusFrames``
follows the application's focus and lays a 2-pixel frame in the palette's text colour over the edge of
such a widget (so it follows dark and high-contrast themes and changes nothing else of the platform's
look; an application style sheet would make every widget draw through Qt's slower style-sheet style, and
Qt's QFocusFrame, drawn outside the widget, is cut off where the widget fills its parent, as a tab page
does). ``install_focus_frames(app)`` starts it (``ui.shell.application.create_application`` calls it).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QRegion
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPlainTextEdit, QTextEdit, QWidget

#: the controls whose focus the styles do not show by themselves
FRAMED = (QAbstractItemView, QTextEdit, QPlainTextEdit)
#: the frame's width in pixels
WIDTH = 2


class _Frame(QWidget):
    """The frame: a child of the focused widget over its whole area, masked to its edge, transparent for
    the mouse."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fit()

    def fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        area = parent.rect()
        self.setGeometry(area)
        self.setMask(QRegion(area).subtracted(QRegion(area.adjusted(WIDTH, WIDTH, -WIDTH, -WIDTH))))
        self.raise_()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.WindowText))
        painter.end()


class FocusFrames(QObject):
    """One frame, moved to whichever framed control has the focus, gone otherwise."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._frame: _Frame | None = None
        self._target: QWidget | None = None
        app.focusChanged.connect(self._on_focus)

    def _drop(self) -> None:
        if self._target is not None and shiboken6.isValid(self._target):
            self._target.removeEventFilter(self)
        if self._frame is not None and shiboken6.isValid(self._frame):
            self._frame.hide()
            self._frame.deleteLater()
        self._frame = self._target = None

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._drop()
        if isinstance(new, FRAMED):
            self._target = new
            new.installEventFilter(self)
            self._frame = _Frame(new)
            self._frame.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() == QEvent.Type.Resize and self._frame is not None:
            self._frame.fit()
        return False

    def remove(self) -> None:
        """Stop following the focus (and take the frame away)."""
        self._app.focusChanged.disconnect(self._on_focus)
        self._drop()
        self.deleteLater()


def install_focus_frames(app: QApplication) -> FocusFrames:
    """Frame the focused list, table, tree or text box of ``app`` from now on."""
    return FocusFrames(app)
