"""Visible keyboard focus (issue 17, BITV NRW / EN 301 549 11.2.4.7): the one style sheet that frames the
lists, tables, trees and text boxes while they have the focus.

Qt's styles mark the focus of line edits, combo boxes and buttons, but a list or table without a current
row, or a read-only text, looks the same with and without the focus. ``FOCUS_STYLE`` gives those a frame in
the highlight colour of the palette (so it follows dark and high-contrast themes); it only applies while
the widget has the focus, so the platform's own look stays otherwise. ``install_focus_style(app)`` adds it
to the application's style sheet once (``ui.shell.application.create_application`` calls it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

FOCUS_STYLE = (
    "QAbstractItemView:focus, QTextEdit:focus, QPlainTextEdit:focus { border: 2px solid palette(highlight); }"
)


def install_focus_style(app: QApplication) -> None:
    """Add ``FOCUS_STYLE`` to ``app``'s style sheet (once)."""
    sheet = app.styleSheet()
    if FOCUS_STYLE not in sheet:
        app.setStyleSheet(f"{sheet}\n{FOCUS_STYLE}" if sheet else FOCUS_STYLE)
