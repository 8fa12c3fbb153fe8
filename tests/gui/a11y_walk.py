"""Accessibility checks on what a window shows (issue 17 item 8; BITV NRW / EN 301 549 chapter 11).

- ``unnamed_controls(window)``: the focusable controls without an accessible name, read as Qt's
  accessibility reports it to a screen reader (``accessible_name``): the ``accessibleName()``, a button's
  text, a QLabel whose buddy the control is (a QFormLayout row built from a text sets that buddy), or the
  title of the group box it is in. Lists, tables and trees need an explicit ``accessibleName``.
- ``labels_without_buddy(window)``: QFormLayout rows whose QLabel is not the buddy of the one input beside
  it (no Alt+letter, no name for a screen reader; "Land", "Eigene Briefanrede" and "Verteiler" have no
  letter but still need their buddy).
- ``tab_walk(qtbot, window)``: Tab from the window's focus until it comes round again; the controls
  reached, and what went wrong on the way: a control Tab cannot leave (a keyboard trap), a control that
  looks the same with and without the focus (the focus cannot be seen: the pixels are compared).
  ``unreachable_inputs(window, reached)``: the visible, enabled inputs (line edits, combos, spin and date
  boxes, text edits, check boxes, lists, tables) not reached.
- ``colour_only(model)``: the cells whose colour or icon (Foreground, Background, Decoration role) no text
  states: a badge must stand beside the status text it draws (``ui.widgets.badges``), a coloured row must
  name its meaning (a status, an import outcome: ``MEANINGS``) in one of its cells.

Each returns readable lines naming the control ("QLineEdit „Suchen …“ in PersonEditor"), so a failing test
says where to fix.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QIcon, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from konferenz.enums import InvitationStatus, RecommendationStatus, label
from ui.spreadsheets.import_preview import PREVIEW_LABELS
from ui.widgets.badges import badge_kind, status_badge

#: the kinds of control a user types into or chooses in: each must be reachable by Tab
INPUTS = (
    QLineEdit,
    QComboBox,
    QDateTimeEdit,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QCheckBox,
    QAbstractItemView,
)

#: texts that state what a colour means (a status, an import outcome)
MEANINGS = sorted(
    {label(s) for s in InvitationStatus}
    | {label(s) for s in RecommendationStatus}
    | set(PREVIEW_LABELS.values())
    | {"überfällig"}
)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _is_part(widget: QWidget) -> bool:
    """A widget that is part of another control (a combo box's or spin box's line edit, a view's
    viewport): the control is checked, not its parts."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            return True
        if parent.isWindow():
            return False
        parent = parent.parentWidget()
    return False


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisible() and not _is_part(widget)


def focusable(window: QWidget) -> list[QWidget]:
    """The controls of ``window`` that take the focus by Tab: shown, enabled, focus policy with Tab."""
    return [
        w
        for w in window.findChildren(QWidget)
        if _shown(w, window)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
    ]


def describe(widget: QWidget) -> str:
    """A control as a line in a failure: its class, what it shows, and the program's widget it is in."""
    hints = [
        text
        for text in (
            widget.accessibleName(),
            widget.objectName(),
            _plain(widget.text()) if isinstance(widget, (QAbstractButton, QLineEdit)) else "",
            widget.placeholderText() if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)) else "",
            widget.currentText() if isinstance(widget, QComboBox) else "",
            widget.toolTip(),
        )
        if text
    ]
    owner = widget.parentWidget()
    while owner is not None and not type(owner).__module__.startswith("ui."):
        owner = owner.parentWidget()
    where = f" in {type(owner).__name__}" if owner is not None else ""
    shown = f" „{hints[0][:40]}“" if hints else ""
    return f"{type(widget).__name__}{shown}{where}"


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces for ``widget`` ("" for none), as Qt's accessibility reports it:
    the ``accessibleName()``, a button's text, the text of a QLabel whose buddy it is (a QFormLayout row
    built from a text sets that buddy; a row built from a QLabel does not, and Qt then names nothing), or
    the title of the group box it sits in. Lists, tables and trees: only an explicit ``accessibleName``."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractItemView):
        return ""
    if isinstance(widget, QTabBar):
        return ", ".join(_plain(widget.tabText(i)) for i in range(widget.count()))
    interface = QAccessible.queryAccessibleInterface(widget)
    return "" if interface is None else _plain(interface.text(QAccessible.Text.Name))


def unnamed_controls(window: QWidget) -> list[str]:
    """The focusable controls of ``window`` without an accessible name."""
    return sorted(describe(w) for w in focusable(window) if not accessible_name(w))


def _own(widget: QWidget | None) -> QWidget | None:
    """The control the focus widget belongs to (a combo box for its line edit, a view for its viewport)."""
    while widget is not None and _is_part(widget):
        widget = widget.parentWidget()
    return widget


def _eats_tab(widget: QWidget) -> bool:
    """Controls where Tab is typed, not a move: an editable text edit that keeps Tab (a trap: neither Tab
    nor Ctrl+Tab leaves it; a read-only one passes Tab on)."""
    return (
        isinstance(widget, (QTextEdit, QPlainTextEdit))
        and not widget.isReadOnly()
        and not widget.tabChangesFocus()
    )


def _press_tab(qtbot: Any, widget: QWidget) -> bool:
    """Tab on ``widget``; whether the focus left it. A date edit takes Tab section by section (day,
    month, year) before it passes the focus on, so Tab is pressed once per section."""
    presses = widget.sectionCount() if isinstance(widget, QDateTimeEdit) else 1
    for _ in range(presses):
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is not widget:
            return True
    return False


def _look(control: QWidget) -> QImage:
    """The control as the window shows it, with a margin of 3 pixels (a focus frame may lie outside it)."""
    window = control.window()
    place = QRect(control.mapTo(window, QPoint(0, 0)), control.size()).adjusted(-3, -3, 3, 3)
    return window.grab(place).toImage()


def _focus_shows(control: QWidget, focused: QImage) -> bool:
    """Whether ``control`` looks different now (the focus moved on) than in ``focused`` (with the focus).
    Fusion, the style the tests run in, draws a dialog's default button alike with and without the focus
    (Windows' style adds a focus rectangle), so a default button is not judged by its pixels."""
    if isinstance(control, QPushButton) and control.isDefault():
        return True
    return _look(control) != focused


def _move_on(window: QWidget) -> None:
    """Past a control Tab cannot leave, on to the next (Qt forgets then that the keyboard moves the focus,
    so the mark is set again: the next control shows its focus as after a Tab)."""
    window.focusNextChild()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)


def tab_walk(qtbot: Any, window: QWidget, limit: int = 400) -> tuple[list[QWidget], list[str]]:
    """Tab round ``window`` from its focus; the controls reached, and the lines for what went wrong on the
    way: a control Tab cannot leave (a text edit that keeps Tab: neither Tab nor Ctrl+Tab leaves it), and
    a control that looks the same with and without the focus (no visible focus)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    start = _own(QApplication.focusWidget())
    if start is None or start.window() is not window:
        chain = focusable(window)
        assert chain, "kein Steuerelement nimmt den Fokus"
        chain[0].setFocus(Qt.FocusReason.TabFocusReason)
        start = chain[0]
    reached: list[QWidget] = [start]
    traps: list[str] = []
    # the start is judged when the focus comes back to it: styles draw the focus frame only once the
    # keyboard moved the focus (Qt's WA_KeyboardFocusChange, set by the first Tab)
    round_done = False
    for _ in range(limit):
        current = QApplication.focusWidget()
        control = _own(current)
        assert current is not None and control is not None
        focused = _look(control)
        if _eats_tab(current):
            traps.append(f"Tab wird eingegeben statt weiterzugehen: {describe(current)}")
            _move_on(window)
        elif not _press_tab(qtbot, current):
            traps.append(f"Tab bleibt stehen: {describe(current)}")
            _move_on(window)
        now = _own(QApplication.focusWidget())
        judged = control is not start or round_done
        if judged and now is not control and not _focus_shows(control, focused):
            traps.append(f"Fokus nicht sichtbar: {describe(control)}")
        if control is start and round_done:
            break
        if now is start:
            round_done = True
            continue
        if now is None or now in reached:
            break
        reached.append(now)
    return reached, sorted(set(traps))


def unreachable_inputs(window: QWidget, reached: list[QWidget]) -> list[str]:
    """The visible, enabled inputs of ``window`` that Tab did not reach."""
    return sorted(
        describe(w)
        for w in window.findChildren(QWidget)
        if isinstance(w, INPUTS) and _shown(w, window) and w.isEnabled() and w not in reached
    )


_COLOUR_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)


def _text(model: QAbstractItemModel, row: int, column: int) -> str:
    index = model.index(row, column)
    parts = [model.data(index, role) for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    return " ".join(str(p) for p in parts if p not in (None, ""))


def _badge_keys() -> set[int]:
    """The cache keys of every status sign (``ui.widgets.badges``)."""
    texts = [label(s) for s in (*InvitationStatus, *RecommendationStatus)] + ["überfällig"]
    return {icon.cacheKey() for icon in map(status_badge, texts) if icon is not None}


def colour_only(model: QAbstractItemModel, rows: int = 300) -> tuple[list[str], int]:
    """The cells whose colour or icon no text states; and how many coloured or decorated cells were seen
    (so a test can tell that the check had something to check)."""
    found: list[str] = []
    seen = 0
    top = QModelIndex()
    # a list model's columnCount is private in Qt: one column
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
    for row in range(min(model.rowCount(top), rows)):
        coloured = False
        row_text = " ".join(_text(model, row, c) for c in range(columns)).strip()
        for column in range(columns):
            index = model.index(row, column)
            if any(model.data(index, role) is not None for role in _COLOUR_ROLES):
                coloured = True
                seen += 1
            icon = model.data(index, Qt.ItemDataRole.DecorationRole)
            if icon is None or (isinstance(icon, QIcon) and icon.isNull()):
                continue
            seen += 1
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            badge = status_badge(text) if badge_kind(text) else None
            # a status sign must stand beside its own status; any other icon beside a text that names the
            # item (the areas in the navigation) only decorates it
            is_status_sign = isinstance(icon, QIcon) and icon.cacheKey() in _badge_keys()
            if badge is None and text.strip() and not is_status_sign:
                continue
            if not isinstance(icon, QIcon) or badge is None or badge.cacheKey() != icon.cacheKey():
                found.append(
                    f"Zeile {row + 1}, Spalte {column + 1}: Symbol ohne Text, der es nennt („{text}“)"
                )
        if coloured and not any(meaning in row_text for meaning in MEANINGS):
            found.append(f"Zeile {row + 1}: Farbe ohne Text, der sie nennt („{row_text[:60]}“)")
    return found, seen


def item_views(window: QWidget) -> list[QAbstractItemView]:
    """The lists, tables and trees ``window`` shows."""
    return [v for v in window.findChildren(QAbstractItemView) if _shown(v, window) and v.model() is not None]


def _inputs_in(item_widget: QWidget | None, layout: QLayout | None) -> list[QWidget]:
    """The inputs a form row's field holds (the field itself, or the inputs of its container or layout)."""
    found: list[QWidget] = []
    if item_widget is not None:
        if isinstance(item_widget, INPUTS):
            return [item_widget]
        found = [w for w in item_widget.findChildren(QWidget) if isinstance(w, INPUTS) and not _is_part(w)]
    if layout is not None:
        for i in range(layout.count()):
            inner = layout.itemAt(i)
            found += _inputs_in(inner.widget(), inner.layout())
    return found


def labels_without_buddy(window: QWidget) -> list[str]:
    """Form rows (QFormLayout) whose label stands beside a field with one input but is not that input's
    buddy: Alt+letter and a click on the label do not reach the field, and Qt names nothing by it."""
    lines: list[str] = []
    for form in window.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label_item is None or field_item is None:
                continue
            label_widget = label_item.widget()
            if not isinstance(label_widget, QLabel) or not _shown(label_widget, window):
                continue
            inputs = [w for w in _inputs_in(field_item.widget(), field_item.layout()) if _shown(w, window)]
            if len(inputs) == 1 and label_widget.buddy() is not inputs[0]:
                lines.append(f"„{label_widget.text()}“ ohne Buddy für {describe(inputs[0])}")
    return sorted(lines)
