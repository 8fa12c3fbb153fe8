"""The change history of one person or organisation (``konferenz.audit.history.history``), newest first.

Columns: Zeitpunkt, Benutzer (OS user and PC), Änderung (one German sentence: "Nachname geändert:
„Öztürk“ → „Oeztürk“"), Bisher, Neu. Entries of a record merged into this one are marked "(aus Nr. …)".
The history is read when the view is asked to show a record, in one read session.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from konferenz.audit import history as audit
from konferenz.storage.db import Database
from ui.widgets.dialog_tools import SPREADSHEET_FILTER

EXCEL_FILTER = SPREADSHEET_FILTER

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
        self._database: Database | None = None
        # right click (or the menu key): the shown history as an Excel file
        self.export_action = QAction(self.tr("Verlauf als &Excel speichern …"), self)
        self.export_action.setEnabled(False)
        self.export_action.triggered.connect(lambda _checked=False: self.export_excel())
        self.addAction(self.export_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def show_history(self, database: Database, entity_type: str, entity_id: int) -> int:
        """Show the history of one record; returns the number of entries."""
        entries = audit.record_history(database, entity_type, entity_id)
        self._key = (entity_type, entity_id)
        self._database = database
        self.export_action.setEnabled(True)
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
        self.export_action.setEnabled(False)
        self.clear()

    def export_excel(self, path: Path | None = None) -> Path | None:
        """Save the shown record's whole history (not only the entries shown) as an Excel file; asks
        where unless ``path`` is given."""
        from ui.widgets.dialog_tools import choose_save_path, save_in_background

        if self._key is None or self._database is None:
            return None
        key = self._key
        entity_type, entity_id = key
        database = self._database
        title = self.tr("Änderungsverlauf speichern")
        kind = "Person" if entity_type == "person" else "Organisation"
        target = path or choose_save_path(
            self, title, f"Aenderungsverlauf-{kind}-{entity_id}-{dt.date.today():%Y-%m-%d}.xlsx", EXCEL_FILTER
        )
        if target is None:
            return None
        return save_in_background(self, title, lambda: audit.write_audit_log(database, target, entity=key))

    def summaries(self) -> list[str]:
        """The "Änderung" column, top to bottom (for tests and the screen reader check)."""
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item.text(2) for item in items if item is not None]
