"""The change history of one person or organisation (``konferenz.audit.history``), newest first.

Columns: Zeitpunkt, Benutzer (OS user and PC), Änderung (one German sentence: "Nachname geändert:
„Öztürk“ → „Oeztürk“"), Bisher, Neu. Entries of a record merged into this one are marked "(aus Nr. …)".
The history is read when the view is asked to show a record, in one read session.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from konferenz import audit
from konferenz.db import Database

#: entries shown at most (the oldest are left out; a record edited daily for years stays readable)
MAX_ENTRIES = 2000


class HistoryView(QTreeWidget):
    """A read-only table of a record's history."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Änderungsverlauf"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.setHeaderLabels(
            [
                self.tr("Zeitpunkt"),
                self.tr("Benutzer"),
                self.tr("Änderung"),
                self.tr("Bisher"),
                self.tr("Neu"),
            ]
        )
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._key: tuple[str, int] | None = None

    def show_history(self, database: Database, entity_type: str, entity_id: int) -> int:
        """Show the history of one record; returns the number of entries."""
        with database.read_session() as session:
            entries = audit.history(session, entity_type, entity_id)
        self._key = (entity_type, entity_id)
        self.clear()
        items = []
        for entry in entries[:MAX_ENTRIES]:
            who = entry.os_user + (f" ({entry.host})" if entry.host else "")
            summary = entry.summary
            if entry.merged_from is not None:
                summary = self.tr("{0} (aus Nr. {1})").format(summary, entry.merged_from)
            item = QTreeWidgetItem(
                [entry.timestamp.strftime("%d.%m.%Y %H:%M"), who, summary, entry.old, entry.new]
            )
            item.setToolTip(2, summary)
            item.setData(0, Qt.ItemDataRole.UserRole, entry.change_set)
            items.append(item)
        if not items:
            empty = QTreeWidgetItem(["", "", self.tr("Noch keine Änderungen aufgezeichnet."), "", ""])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            items.append(empty)
        self.addTopLevelItems(items)
        for column in range(3):
            self.resizeColumnToContents(column)
        self.setColumnWidth(2, min(self.columnWidth(2), 40 * self.fontMetrics().horizontalAdvance("M")))
        return len(entries)

    def clear_history(self) -> None:
        self._key = None
        self.clear()

    def shown_record(self) -> tuple[str, int] | None:
        return self._key

    def summaries(self) -> list[str]:
        """The "Änderung" column, top to bottom (for tests and the screen reader check)."""
        return [self.topLevelItem(i).text(2) for i in range(self.topLevelItemCount())]
