"""Datei → Liste exportieren …: the list the user sees, as an Excel file.

The rows are the list's current result (search and sort: ``LazyTableModel.ids()`` in display order), the
columns are the table's visible ones in the order the user arranged them; ``konferenz.exports.workbooks.export_list``
writes them (bold frozen header, autofilter, no formulas) in the background with progress and Abbrechen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QTableView, QWidget

from konferenz.errors import UserError, file_problem
from konferenz.exports import workbooks as exporter
from konferenz.lists.source import format_count
from konferenz.storage.db import Database
from ui.widgets.dialog_tools import SPREADSHEET_FILTER, choose_save_path
from ui.widgets.table_model import LazyTableModel
from ui.widgets.tasks import Cancelled, Progress, run_task

EXCEL_FILTER = SPREADSHEET_FILTER


def visible_column_keys(table: QTableView, model: LazyTableModel) -> list[str]:
    """The keys of the columns ``table`` shows, in their visual order (moved columns included)."""
    header = table.horizontalHeader()
    columns = model.source.columns
    logical = [header.logicalIndex(visual) for visual in range(header.count())]
    return [columns[i].key for i in logical if 0 <= i < len(columns) and not header.isSectionHidden(i)]


def export_view(
    parent: QWidget | None, database: Database, table: QTableView, model: LazyTableModel, path: Path | str
) -> exporter.ExportResult:
    """Export what ``table`` shows of ``model`` to ``path`` (in the background; raises UserError)."""
    ids = model.ids()
    keys = visible_column_keys(table, model)
    source = model.source
    title = parent.tr("Liste exportieren") if parent is not None else "Liste exportieren"

    def work(progress: Progress, cancelled: Cancelled) -> exporter.ExportResult:
        progress(0, 0)
        return exporter.export_list(database, source, ids, Path(path), keys)

    return run_task(parent, title, work)


def suggested_file_name(model: LazyTableModel) -> str:
    name = str(model.source.name).replace("/", "-").replace("\\", "-")
    return f"{name}.xlsx"


def export_list_dialog(
    parent: QWidget, database: Database, table: QTableView, model: LazyTableModel, folder: str | Path = ""
) -> Path | None:
    """Ask for a file name and export the visible list; report the result or the error.

    Returns the written file, or None when the user cancelled or the export failed."""
    title = parent.tr("Liste exportieren")
    if not keys_or_warn(parent, table, model):
        return None
    target = choose_save_path(
        parent,
        title,
        suggested_file_name(model),
        parent.tr(EXCEL_FILTER),
        start=Path(folder) if folder else None,
    )
    if target is None:
        return None
    try:
        result = export_view(parent, database, table, model, target)
    except UserError as exc:
        QMessageBox.warning(parent, title, exc.message)
        return None
    except OSError as exc:
        QMessageBox.warning(parent, title, file_problem(target, exc))
        return None
    rows = sum(result.rows.values())
    QMessageBox.information(
        parent,
        title,
        parent.tr("{0} Zeilen gespeichert in\n{1}").format(format_count(rows), result.path),
    )
    return Path(result.path)


def keys_or_warn(parent: QWidget, table: QTableView, model: LazyTableModel) -> bool:
    if visible_column_keys(table, model):
        return True
    QMessageBox.warning(
        parent,
        parent.tr("Liste exportieren"),
        parent.tr("Die Liste zeigt keine Spalte, die exportiert werden kann."),
    )
    return False
