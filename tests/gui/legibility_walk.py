"""Is every text of a window legible: not cut off, and in colours that stand out from their background in
any colour scheme, Windows' high-contrast themes included (issue 17: "All of it legible in Windows'
high-contrast mode and at 150 % scaling").

- ``HIGH_CONTRAST``: the colours of Windows' theme "Kontrast Schwarz" (``high_contrast_palette()``), the
  one in which a hard-coded dark colour disappears; Qt's Windows style takes the system colours into the
  palette in the same roles;
- ``cut_texts(window)``: the labels, buttons, check boxes, group boxes and combo boxes shown whose text
  does not fit their width (a widget that tells its whole text as its tooltip is not cut), and the panes
  (scroll areas) that must be scrolled sideways;
- ``illegible(window)``: the widgets shown that set colours of their own (a palette or a style sheet)
  whose text colour does not stand out from their background.
"""

from __future__ import annotations

from a11y_walk import _plain, _shown, describe
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from ui.widgets.contrast import TEXT_CONTRAST, contrast

R = QPalette.ColorRole
#: Windows 10/11 "Kontrast Schwarz" (High Contrast Black)
HIGH_CONTRAST = {
    R.Window: "#000000",
    R.WindowText: "#ffffff",
    R.Base: "#000000",
    R.AlternateBase: "#000000",
    R.Text: "#ffffff",
    R.Button: "#000000",
    R.ButtonText: "#ffffff",
    R.BrightText: "#ffffff",
    R.Highlight: "#1aebff",
    R.HighlightedText: "#000000",
    R.ToolTipBase: "#000000",
    R.ToolTipText: "#ffffff",
    R.PlaceholderText: "#c0c0c0",
    R.Link: "#ffff00",
    R.LinkVisited: "#ffff00",
    R.Light: "#ffffff",
    R.Midlight: "#c0c0c0",
    R.Mid: "#808080",
    R.Dark: "#c0c0c0",
    R.Shadow: "#ffffff",
}


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    for role, colour in HIGH_CONTRAST.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, R.WindowText, QColor("#3ff23f"))
    palette.setColor(QPalette.ColorGroup.Disabled, R.Text, QColor("#3ff23f"))
    palette.setColor(QPalette.ColorGroup.Disabled, R.ButtonText, QColor("#3ff23f"))
    return palette


def _combo_text_width(combo: QComboBox) -> int:
    """The width a combo box has for its current text (its edit field's rectangle in the style)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width()


def _needs(widget: QWidget) -> tuple[str, int, int] | None:
    """(text, width needed, width had) of a widget that shows one line of text; None for others."""
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or widget.wordWrap() or GuiQt.mightBeRichText(text) or widget.pixmap().width() > 0:
            return None
        lines = _plain(text) if widget.buddy() is not None else text
        needed = max(widget.fontMetrics().horizontalAdvance(line) for line in lines.splitlines() or [""])
        return text, needed, widget.contentsRect().width() - 2 * widget.margin()
    if isinstance(widget, (QPushButton, QCheckBox, QRadioButton)):
        if not widget.text():
            return None
        return _plain(widget.text()), widget.sizeHint().width(), widget.width()
    if isinstance(widget, QGroupBox) and widget.title():
        return (
            _plain(widget.title()),
            widget.fontMetrics().horizontalAdvance(_plain(widget.title())) + 16,
            widget.width(),
        )
    if isinstance(widget, QComboBox) and widget.currentText():
        text = widget.currentText()
        line = widget.lineEdit()
        had = line.width() - 4 if line is not None else _combo_text_width(widget)  # a line edit's margins
        return text, widget.fontMetrics().horizontalAdvance(text), had
    return None


def cut_texts(window: QWidget) -> list[str]:
    """The texts shown in ``window`` that do not fit: "QLabel „Rückmeldefrist“ in X: braucht 120, hat 90",
    and the forms that only fit by scrolling sideways (a pane whose content is wider than the pane)."""
    found = []
    for widget in window.findChildren(QWidget):
        if not _shown(widget, window) or widget.width() <= 0:
            continue
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            inner = widget.widget()
            wide = inner.minimumSizeHint().width() if inner is not None else 0
            found.append(
                f"{describe(widget)}: nur seitlich zu scrollen (Inhalt {wide} px, Fläche {widget.viewport().width()})"
            )
            continue
        need = _needs(widget)
        if need is None:
            continue
        text, needed, had = need
        if needed > had + 1 and not widget.toolTip().startswith(text):
            found.append(f"{describe(widget)}: „{text[:50]}“ braucht {needed} px, hat {had}")
    return found


def _own_colours(widget: QWidget) -> bool:
    return widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette) or bool(widget.styleSheet())


def illegible(window: QWidget) -> list[str]:
    """The widgets shown in ``window`` with colours of their own whose text does not stand out."""
    found = []
    for widget in [window, *window.findChildren(QWidget)]:
        if (not _shown(widget, window) and widget is not window) or not _own_colours(widget):
            continue
        palette = widget.palette()
        ink, ground = palette.color(widget.foregroundRole()), palette.color(widget.backgroundRole())
        ratio = contrast(ink, ground)
        if ratio < TEXT_CONTRAST:
            found.append(
                f"{describe(widget)}: Schrift {ink.name()} auf {ground.name()} (Kontrast {ratio:.1f})"
            )
    return found
