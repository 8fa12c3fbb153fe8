"""Taking a committed import back: ``undo_batch`` (the reasons it is refused, the question, the undo as a
task) for the wizard's last page, and ``ImportsDialog`` (Datei → Importe …), the list of past imports from
which one is undone."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.importing import undo
from konferenz.lists.source import format_count
from ui.context import AppContext
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import confirm as ask
from ui.widgets.tasks import Cancelled, Progress, run_task


def undo_batch(parent: QWidget, ctx: AppContext, batch_id: int, *, confirm: bool = True) -> str | None:
    """Undo the import ``batch_id`` after asking; the result text, or None (refused, declined, failed)."""
    title = parent.tr("Import rückgängig machen")
    database = ctx.database
    reasons = undo.blockers(database, batch_id)
    if reasons:
        QMessageBox.warning(
            parent,
            title,
            parent.tr("Der Import kann nicht rückgängig gemacht werden:") + "\n\n" + "\n".join(reasons),
        )
        return None
    if confirm:
        info = next((i for i in undo.list_imports(database) if i.id == batch_id), None)
        count = info.created + info.updated if info is not None else 0
        question = parent.tr(
            "Den Import von {0} Personen und Organisationen rückgängig machen (Import {1})? {2} angelegte "
            "werden entfernt, {3} aktualisierte bekommen ihre Werte von vor dem Import zurück."
        ).format(
            format_count(count),
            batch_id,
            format_count(info.created if info else 0),
            format_count(info.updated if info else 0),
        )
        if not ask(parent, title, question):  # default: Nein
            return None

    def work(progress: Progress, cancelled: Cancelled) -> str:
        progress(0, 0)
        return undo.undo_import(database, batch_id).text

    try:
        text = ctx.run(lambda: run_task(parent, title, work))
    except UserError as exc:
        QMessageBox.warning(parent, title, exc.message)
        return None
    return text


# --- Datei → Importe … -------------------------------------------------------------------------------------


class ImportsDialog(QDialog):
    """The committed imports, newest first; the chosen one can be undone."""

    HEADERS = (
        "Nr.",
        "Datum",
        "Datei",
        "Zeilen",
        "angelegt",
        "aktualisiert",
        "Benutzer",
        "rückgängig gemacht",
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Importe"))
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setAccessibleName(self.tr("Bisherige Importe"))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.undo_button = QPushButton(self.tr("Import &rückgängig machen"))
        mark_destructive(self.undo_button)
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        self.imports = undo.list_imports(self.ctx.database)
        self.table.setRowCount(len(self.imports))
        for row, info in enumerate(self.imports):
            values = (
                str(info.id),
                f"{info.imported_at:%d.%m.%Y %H:%M}",
                info.file_name,
                format_count(info.rows_read),
                format_count(info.created),
                format_count(info.updated),
                info.os_user,
                f"{info.undone_at:%d.%m.%Y %H:%M}" if info.undone_at else "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        if self.imports:
            self.table.selectRow(0)
        self._update_button()

    def _selected(self) -> undo.ImportInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.imports[min(rows)] if rows else None

    def _update_button(self) -> None:
        info = self._selected()
        self.undo_button.setEnabled(info is not None and info.undone_at is None)

    def undo_selected(self) -> None:
        info = self._selected()
        if info is None or info.undone_at is not None:
            return
        text = undo_batch(self, self.ctx, info.id)
        if text is not None:
            QMessageBox.information(self, self.tr("Import rückgängig machen"), text)
            self.reload()
