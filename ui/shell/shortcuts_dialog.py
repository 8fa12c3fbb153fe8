"""Hilfe → Tastenkürzel …: every shortcut of the window, searchable.

The rows come from the action registry (``ui.actions.shortcut_entries``: each declared action with a
shortcut, its menu path or area, its text without "&") and, for recording replies, from the one home of the
status keys (``ui.conferences.reply_editor.STATUS_KEYS``). Nothing here lists a key by hand, so the list
cannot fall behind. Esc closes the dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import label
from konferenz.text import fold
from ui.actions import ShortcutEntry
from ui.conferences.reply_editor import STATUS_KEYS


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShortcutsDialog", text)


def status_entries() -> list[ShortcutEntry]:
    """The keys that set an invitation's status in the Konferenzen area ("Z oder Alt+3")."""
    place = _tr("Konferenzen → Einladungsliste")
    return [
        ShortcutEntry(
            place,
            _tr("Status „{0}“ setzen").format(label(status)),
            _tr("{0} (in der Liste) oder Alt+{1}").format(key, digit),
        )
        for status, key, digit in STATUS_KEYS
    ]


class ShortcutsDialog(QDialog):
    """The shortcuts as a list (Tasten, Befehl, Wo) with a search field; ``entries`` from the registry."""

    KEYS, COMMAND, PLACE = range(3)

    def __init__(self, entries: Sequence[ShortcutEntry] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tastenkürzel"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("ShortcutsDialog")
        self.entries = [*entries, *status_entries()]
        self.search_field = QLineEdit(self)
        self.search_field.setAccessibleName(self.tr("Tastenkürzel suchen"))
        self.search_field.setPlaceholderText(
            self.tr("Befehl, Taste oder Menü, z. B. „Rückgängig“ oder „Strg+Z“")
        )
        self.search_field.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Suchen:"), self)
        search_label.setBuddy(self.search_field)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName(self.tr("Liste der Tastenkürzel"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setHeaderLabels([self.tr("Tasten"), self.tr("Befehl"), self.tr("Wo")])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self._items: list[QTreeWidgetItem] = []
        for entry in self.entries:
            item = QTreeWidgetItem([entry.keys, entry.command, entry.place])
            for column in range(3):
                item.setToolTip(column, item.text(column))
            self._items.append(item)
        self.tree.addTopLevelItems(self._items)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Anzahl der gezeigten Tastenkürzel"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Schließen"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search_field, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.search_field.textChanged.connect(self.apply_search)
        self.apply_search("")
        self.resize(760, 520)
        self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_search(self, text: str) -> None:
        """Show the rows whose keys, command or place contain every word typed (accents and case ignored)."""
        words = fold(text).split()
        shown = 0
        for item in self._items:
            haystack = fold(" ".join(item.text(c) for c in range(3)))
            hidden = not all(word in haystack for word in words)
            item.setHidden(hidden)
            shown += not hidden
        self.count_label.setText(self.tr("{0} von {1} Tastenkürzeln").format(shown, len(self.entries)))

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """(Tasten, Befehl, Wo) of the rows shown."""
        return [(i.text(0), i.text(1), i.text(2)) for i in self._items if not i.isHidden()]
