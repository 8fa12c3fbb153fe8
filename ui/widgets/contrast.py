"""Colours that stay legible in every colour scheme, Windows' high-contrast themes included (issue 17).

One home for the contrast rule of WCAG 2.1 / EN 301 549 (9.1.4.3: text 4.5 : 1; 9.1.4.11: graphics and
parts of controls 3 : 1):

- ``contrast(a, b)``: the contrast ratio of two colours (1 … 21);
- ``legible(candidates, background, fallback)``: the first colour of ``candidates`` that stands out from
  ``background`` as text, else ``fallback`` (the scheme's own text colour). A colour of our own (the red
  of a validation message) is thus kept where it is legible and gives way to the theme's where it is not
  (dark red on the black of "Kontrast Schwarz");
- ``keep_legible(widget, role, candidates)``: sets the text colour ``role`` of ``widget`` that way, now
  and whenever the scheme changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

#: text, and graphics / parts of controls
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: QColor, b: QColor) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def legible(candidates: Sequence[QColor], background: QColor, fallback: QColor) -> QColor:
    return next((c for c in candidates if contrast(c, background) >= TEXT_CONTRAST), fallback)


class _Keeper(QObject):
    """Chooses the colour again after each change of the colour scheme (the application's or a parent's)."""

    def __init__(self, widget: QWidget, role: QPalette.ColorRole, candidates: Sequence[QColor]) -> None:
        super().__init__(widget)
        self._widget, self._role, self._candidates = widget, role, list(candidates)
        self._choosing = False
        widget.installEventFilter(self)
        self.choose()

    def choose(self) -> None:
        widget = self._widget
        parent = widget.parentWidget()
        inherited = parent.palette() if parent is not None else QPalette()
        background = widget.palette().color(widget.backgroundRole())
        colour = legible(self._candidates, background, inherited.color(self._role))
        if widget.palette().color(self._role) != colour:
            self._choosing = True
            try:
                palette = widget.palette()
                palette.setColor(self._role, colour)
                widget.setPalette(palette)
            finally:
                self._choosing = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        changed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if watched is self._widget and changed and not self._choosing:
            self.choose()
        return False


def keep_legible(widget: QWidget, role: QPalette.ColorRole, candidates: Sequence[QColor]) -> None:
    _Keeper(widget, role, candidates)
