"""``FlowLayout``: widgets in a row that wraps onto further lines when the area is narrow (Qt's "Flow
Layout" example), so a row of buttons never forces the window to be wider than the screen allows.

Used by the filter buttons above the registry lists (``ui/addresses/filters.py``) and the button rows of
the Programm and Ergebnisse areas.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget


class FlowLayout(QLayout):
    """Items from the left, wrapping onto the next line when the next one does not fit; hidden widgets take
    no room, and ``add_stretch()`` sends the rest of its line to the right edge.

    ``one_line_hint`` chooses what the layout asks for: all items on one line (the default; the button
    rows of the areas), or with False no more than its widest item, for a panel that must stay as narrow as
    the user makes it (the registry's filter buttons beside the detail pane).
    """

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = 6, one_line_hint: bool = True
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._one_line_hint = one_line_hint
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_stretch(self) -> None:
        """A break in the row: what follows goes to the right edge when it fits on the same line."""
        self.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        if not self._one_line_hint:
            return self.minimumSize()
        width = sum(i.sizeHint().width() + self._spacing for i in self._items)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _layout(self, rect: QRect, *, apply: bool) -> int:
        """Place the items (or only measure) and return the height: lines from the left; after a stretch,
        the rest of a line goes to the right edge; an item wider than the area is cut to its width."""
        lines: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._items:
            if isinstance(item, QSpacerItem):
                lines[-1].append(item)
                continue
            if item.isEmpty():  # a hidden widget
                continue
            width = item.sizeHint().width()
            if x and x + width > rect.width():
                lines.append([])
                x = 0
            lines[-1].append(item)
            x += width + self._spacing
        y = rect.y()
        for line in lines:
            widgets = [i for i in line if not isinstance(i, QSpacerItem)]
            if not widgets:
                continue
            height = max(i.sizeHint().height() for i in widgets)
            if apply:
                used = sum(i.sizeHint().width() + self._spacing for i in widgets) - self._spacing
                free = max(0, rect.width() - used)
                x = rect.x()
                for item in line:
                    if isinstance(item, QSpacerItem):
                        x += free
                        free = 0
                        continue
                    hint = item.sizeHint()
                    item.setGeometry(QRect(QPoint(x, y), QSize(min(hint.width(), rect.width()), height)))
                    x += hint.width() + self._spacing
            y += height + self._spacing
        return y - rect.y() - self._spacing if y > rect.y() else 0
