"""Ergebnisse: the recommendations of all years and their follow-up.

A filter row (status, several at once; year; responsible party; only overdue ones, i.e. due before today
and still offen or in Arbeit; a search over all columns), the recommendations matching it
(``konferenz.programme.service.recommendations``, a few hundred at most, so the model holds them all and a
proxy sorts and searches), and for the chosen one its dated history of status notes and a form for the
next note ("2026-03-01: Gespräch mit Schulamt geführt") → ``update_status``. "Als Excel …" writes what
the filter shows.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import RecommendationStatus, label
from konferenz.lists.source import format_count, format_date
from konferenz.programme import service as programme
from konferenz.programme.reads import read_recommendation_history, read_recommendation_list
from konferenz.spreadsheets.xlsx import write_workbook
from konferenz.storage.changes import CONFERENCES, ORGANISATIONS, PERSONS, RECOMMENDATIONS
from konferenz.storage.db import Database
from konferenz.text import fold
from ui.actions import create_results_actions
from ui.context import AppContext
from ui.programme.recommendation_dialog import date_edit, from_qdate, to_qdate
from ui.widgets.badges import status_badge
from ui.widgets.dialog_tools import (
    SPREADSHEET_FILTER,
    action_button,
    choose_save_path,
    save_in_background,
    show_status,
    succeeded,
)
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.list_panel import ListPanel, fit_widths

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Jahr", "Herkunft", "Empfehlung", "Zuständig", "Fällig", "Status", "Letzter Vermerk")
SEARCH_DEBOUNCE_MS = 150


def is_overdue(row: programme.RecommendationRow, today: dt.date) -> bool:
    return row.due_date is not None and row.due_date < today and row.status in programme.OPEN_STATUSES


class RecommendationModel(QAbstractTableModel):
    """All recommendations the filter lets through (``RecommendationRow``)."""

    def __init__(
        self, parent: QObject | None = None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(parent)
        self.rows: list[programme.RecommendationRow] = []
        self.today = today

    def set_rows(self, rows: list[programme.RecommendationRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, recommendation_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == recommendation_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return self.tr(COLUMNS[section])
        return None

    def _text(self, row: programme.RecommendationRow, column: int) -> str:
        match column:
            case 0:
                return str(row.year)
            case 1:
                return row.source
            case 2:
                return " ".join(row.text.split())
            case 3:
                return row.responsible
            case 4:
                due = format_date(row.due_date)
                # not by colour alone: the word says it
                return self.tr("{0} (überfällig)").format(due) if is_overdue(row, self.today()) else due
            case 5:
                return row.status_label
            case 6:
                if row.last_note_date is None:
                    return row.last_note
                return f"{format_date(row.last_note_date)}: {' '.join(row.last_note.split())}"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text(row, column) or None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.EditRole:  # sort keys
            match column:
                case 0:
                    return row.year
                case 4:
                    return row.due_date.isoformat() if row.due_date else "9999"
                case 5:
                    return list(RecommendationStatus).index(row.status)
                case 6:
                    return row.last_note_date.isoformat() if row.last_note_date else ""
            return fold(self._text(row, column))
        if role == Qt.ItemDataRole.DecorationRole:
            # the badges of the other lists (ui.widgets.badges): the status, and "überfällig" by its date
            if column == 5:
                return status_badge(row.status_label)
            if column == 4 and is_overdue(row, self.today()):
                return status_badge("überfällig")
            return None
        if role == Qt.ItemDataRole.FontRole and column == 4 and is_overdue(row, self.today()):
            font = QFont()
            font.setBold(True)
            return font
        return None


class _SearchProxy(QSortFilterProxyModel):
    """Sorts by the model's sort keys; every word of the search must occur (Umlaute may be missing)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tokens: list[str] = []
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.tokens = fold(text).split()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.tokens:
            return True
        model = self.sourceModel()
        assert isinstance(model, RecommendationModel)
        row = model.rows[source_row]
        text = fold(
            " ".join((str(row.year), row.source, row.text, row.responsible, row.status_label, row.last_note))
        )
        return all(token in text for token in self.tokens)


def history_html(entries: list[tuple[dt.date, str, str, str, str]]) -> str:
    """The history as paragraphs: "26.11.2025 – offen" in bold, the note, where and by whom."""
    esc = html.escape
    parts = []
    for date, status, note, minutes, entered_by in entries:
        source = ", ".join(p for p in (minutes, entered_by) if p)
        parts.append(
            f"<p><b>{esc(format_date(date))} – {esc(status)}</b><br>{esc(note)}"
            + (f' <span style="color:#555">({esc(source)})</span>' if source else "")
            + "</p>"
        )
    return "".join(parts) or "<p>–</p>"


class ResultsArea(QWidget):
    """Ergebnisse area."""

    def __init__(self, ctx: AppContext, panel: ListPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: the window's lazy list of all recommendations: kept (counts, refresh), replaced on screen
        self.panel = panel
        panel.setParent(self)
        panel.hide()
        self.setAccessibleName(self.tr("Ergebnisse"))
        #: "today" for the overdue filter (tests set another day)
        self.today: Callable[[], dt.date] = dt.date.today

        # --- filters
        self.status_checks: dict[RecommendationStatus, QCheckBox] = {}
        status_row = FlowLayout()
        status_label = QLabel(self.tr("Status:"), self)
        status_row.addWidget(status_label)
        for status in RecommendationStatus:
            check = QCheckBox(label(status), self)
            check.setChecked(True)
            check.setAccessibleName(self.tr("Status „{0}“ zeigen").format(label(status)))
            check.toggled.connect(self.reload)
            self.status_checks[status] = check
            status_row.addWidget(check)
        self.overdue_check = QCheckBox(self.tr("nur &überfällige"), self)
        self.overdue_check.setAccessibleName(self.tr("Nur überfällige Empfehlungen zeigen"))
        self.overdue_check.setToolTip(
            self.tr("Fälligkeit vor dem heutigen Tag und noch „offen“ oder „in Arbeit“")
        )
        self.overdue_check.toggled.connect(self.reload)
        status_row.addWidget(self.overdue_check)

        self.year_combo = QComboBox(self)
        self.year_combo.setAccessibleName(self.tr("Jahr der Konferenz"))
        self.year_combo.addItem(self.tr("alle Jahre"), None)
        self.year_combo.currentIndexChanged.connect(self.reload)
        self.responsible_edit = QLineEdit(self)
        self.responsible_edit.setAccessibleName(self.tr("Zuständig enthält"))
        self.responsible_edit.setPlaceholderText(self.tr("Organisation, Person oder Stelle"))
        self.responsible_edit.setClearButtonEnabled(True)
        self.search_field = QLineEdit(self)
        self.search_field.setAccessibleName(self.tr("Suche in Ergebnisse"))
        self.search_field.setPlaceholderText(self.tr("Suchen …"))
        self.search_field.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Anzahl Empfehlungen"))
        filter_row = QHBoxLayout()
        for text, widget in (
            (self.tr("&Jahr:"), self.year_combo),
            (self.tr("&Zuständig:"), self.responsible_edit),
            (self.tr("&Suchen:"), self.search_field),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            filter_row.addWidget(caption)
            filter_row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        filter_row.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_text_filters)
        self.responsible_edit.textChanged.connect(self._debounce.start)
        self.search_field.textChanged.connect(self._debounce.start)

        # --- list
        self.model = RecommendationModel(self, today=lambda: self.today())  # noqa: PLW0108 - late binding: tests replace self.today
        self.proxy = _SearchProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("results_table")
        self.table.setAccessibleName(self.tr("Liste Empfehlungen"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the last note is shown with the whole history next to the table
        self.table.setColumnHidden(6, True)
        # the columns fit the table's width (long texts are cut, see size_columns)
        self.table.viewport().installEventFilter(self)

        # --- details
        self.heading = QLabel(self)
        self.heading.setObjectName("results_heading")
        self.heading.setAccessibleName(self.tr("Empfehlung"))
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info = QLabel(self)
        self.info.setObjectName("results_info")
        self.info.setAccessibleName(self.tr("Herkunft, Zuständig, Fälligkeit und Status"))
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QTextBrowser(self)
        self.history.setObjectName("results_history")
        self.history.setAccessibleName(self.tr("Verlauf der Vermerke"))
        self.history.setOpenLinks(False)

        self.area_actions = create_results_actions(self)
        for action in self.area_actions.all():
            self.addAction(action)
        self.area_actions.add_note.triggered.connect(self.add_note)
        self.area_actions.export_excel.triggered.connect(lambda _checked=False: self.export_excel())

        self.note_date = date_edit(self.tr("Datum des Vermerks"), self)
        self.note_status = QComboBox(self)
        self.note_status.setAccessibleName(self.tr("Status nach dem Vermerk"))
        for status in RecommendationStatus:
            self.note_status.addItem(label(status), status)
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName(self.tr("Vermerk"))
        self.note_edit.setPlaceholderText(self.tr("z. B. Gespräch mit Schulamt geführt"))
        self.note_edit.returnPressed.connect(self.area_actions.add_note.trigger)
        note_box = QGroupBox(self.tr("Neuer Vermerk"), self)
        note_form = QFormLayout(note_box)
        note_fields: tuple[tuple[str, QWidget], ...] = (
            (self.tr("Dat&um:"), self.note_date),
            (self.tr("S&tatus:"), self.note_status),
            (self.tr("Ver&merk:"), self.note_edit),
        )
        for text, field in note_fields:
            caption = QLabel(text, note_box)
            caption.setBuddy(field)
            note_form.addRow(caption, field)
        note_form.addRow("", action_button(self.area_actions.add_note, note_box))

        details = QWidget(self)
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.heading)
        details_layout.addWidget(self.info)
        history_caption = QLabel(self.tr("Ver&lauf:"), self)
        history_caption.setBuddy(self.history)
        details_layout.addWidget(history_caption)
        details_layout.addWidget(self.history, 1)
        details_layout.addWidget(note_box)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        em = self.fontMetrics().horizontalAdvance("M")
        self.splitter.setSizes([64 * em, 38 * em])

        status_row.add_stretch()
        status_row.addWidget(action_button(self.area_actions.export_excel, self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filter_row)
        layout.addLayout(status_row)
        layout.addWidget(self.splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        panel.model.loaded.connect(self.reload)
        ctx.data_changed.connect(self._on_data_changed)
        self._show_current()

    # --- columns ----------------------------------------------------------------------------------------

    def size_columns(self) -> None:
        """Fit the visible columns into the table: year, due date and status keep their natural width
        (the word "überfällig" must stay readable); the text of the recommendation gets what the others
        leave, at least half; source and responsible party are cut to fit."""
        header = self.table.horizontalHeader()
        em = self.fontMetrics().horizontalAdvance("M")
        available = self.table.viewport().width()
        if available < 10 * em:
            return

        def natural(column: int) -> int:
            return max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column), 3 * em) + em // 2

        fixed = {column: natural(column) for column in (0, 4, 5)}
        flexible = [1, 3]
        wanted = [min(natural(column), 13 * em) for column in flexible]
        room = available - sum(fixed.values())
        if room < 3 * 6 * em:  # very narrow: every column is cut alike, the text gets the rest
            columns = [0, 1, 3, 4, 5]
            widths = fit_widths([natural(c) for c in columns], available * 4 // 5, floor=2 * em)
            sizes = dict(zip(columns, widths, strict=True))
            sizes[2] = max(0, available - sum(widths))
        else:
            text_width = max(room // 2, room - sum(wanted))
            widths = fit_widths(wanted, max(0, room - text_width), floor=4 * em)
            sizes = {**fixed, **dict(zip(flexible, widths, strict=True)), 2: room - sum(widths)}
        for column, width in sizes.items():
            header.resizeSection(column, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.size_columns()
        return super().eventFilter(watched, event)

    # --- filter -----------------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self.ctx.database

    def current_filter(self) -> programme.RecommendationFilter:
        statuses = [s for s, check in self.status_checks.items() if check.isChecked()]
        year = self.year_combo.currentData()
        return programme.RecommendationFilter(
            statuses=statuses if len(statuses) < len(self.status_checks) else (),
            years=[int(year)] if year is not None else (),
            responsible=self.responsible_edit.text().strip(),
            overdue_on=self.today() if self.overdue_check.isChecked() else None,
        )

    def set_statuses(self, *statuses: RecommendationStatus) -> None:
        """Show only these statuses (all when none are given)."""
        for status, check in self.status_checks.items():
            check.blockSignals(True)
            check.setChecked(not statuses or status in statuses)
            check.blockSignals(False)
        self.reload()

    def set_year(self, year: int | None) -> None:
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(year)))

    def apply_text_filters(self) -> None:
        """Apply the Zuständig and Suchen fields now (150 ms after the last keystroke)."""
        self._debounce.stop()
        self.proxy.set_search(self.search_field.text())
        self.reload()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {RECOMMENDATIONS, CONFERENCES, ORGANISATIONS, PERSONS}:
            self.reload()

    def reload(self) -> None:
        """Read the recommendations the filter lets through again (keeps the chosen one)."""
        chosen = self.current_id()
        flt = self.current_filter()
        any_status = any(check.isChecked() for check in self.status_checks.values())
        rows, years, total = read_recommendation_list(self.database, flt if any_status else None)
        self._fill_years(years)
        self.model.set_rows(rows)
        self.size_columns()
        shown = self.proxy.rowCount()
        if flt == programme.RecommendationFilter() and not self.proxy.tokens:
            self.count_label.setText(self.tr("{0} Empfehlungen").format(format_count(shown)))
        else:
            self.count_label.setText(
                self.tr("{0} von {1} Empfehlungen").format(format_count(shown), format_count(total))
            )
        if chosen is not None and self.select(chosen):
            return
        if shown:
            self.table.selectRow(0)
        self._show_current()

    def _fill_years(self, years: list[int]) -> None:
        wanted = self.year_combo.currentData()
        known = [self.year_combo.itemData(i) for i in range(1, self.year_combo.count())]
        if known == years:
            return
        self.year_combo.blockSignals(True)
        try:
            while self.year_combo.count() > 1:
                self.year_combo.removeItem(1)
            for year in years:
                self.year_combo.addItem(str(year), year)
            self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(wanted)))
        finally:
            self.year_combo.blockSignals(False)

    # --- selection ------------------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        value = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        return int(value) if value is not None else None

    def shown_ids(self) -> list[int]:
        """The recommendations in the table, in display order."""
        return [
            int(self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole)) for r in range(self.proxy.rowCount())
        ]

    def select(self, recommendation_id: int) -> bool:
        row = self.model.row_of(recommendation_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self._show_current()
        return True

    def _show_current(self, *_args: object) -> None:
        rec_id = self.current_id()
        row = self.model.rows[self.model.row_of(rec_id)] if rec_id is not None else None
        self.history.clear()
        self.area_actions.add_note.setEnabled(row is not None)
        for widget in (self.note_date, self.note_status, self.note_edit):
            widget.setEnabled(row is not None)
        self.area_actions.export_excel.setEnabled(bool(self.model.rows))
        if row is None:
            self.heading.setText(self.tr("Keine Empfehlung ausgewählt"))
            self.info.setText("")
            return
        self.heading.setText(row.text)
        due = format_date(row.due_date) or self.tr("ohne Datum")
        if is_overdue(row, self.today()):
            due += self.tr(" – überfällig")
        self.info.setText(
            self.tr("Konferenz {0}, aus: {1}\nZuständig: {2}\nFällig: {3} · Status: {4}").format(
                row.year, row.source or "–", row.responsible or self.tr("noch offen"), due, row.status_label
            )
        )
        entries = read_recommendation_history(self.database, row.id)
        self.history.setHtml(history_html(entries))
        self.note_date.setDate(to_qdate(self.today()))
        self.note_status.setCurrentIndex(self.note_status.findData(row.status))

    # --- commands ---------------------------------------------------------------------------------------

    def add_note(self) -> bool:
        """Record the note of the form for the chosen recommendation."""
        rec_id = self.current_id()
        if rec_id is None:
            return False
        status = RecommendationStatus(str(self.note_status.currentData()))  # Qt returns the plain value
        note = self.note_edit.text().strip()
        on = from_qdate(self.note_date.date())
        if not note and status == self.model.rows[self.model.row_of(rec_id)].status:
            show_status(self, self.tr("Bitte einen Vermerk eingeben oder den Status ändern."))
            self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        database = self.database
        if not self.ctx.run(
            lambda: succeeded(
                self,
                self.tr("Vermerk speichern"),
                lambda: programme.update_status(database, rec_id, status, note or label(status), on=on),
            )
        ):
            return False
        self.note_edit.clear()
        show_status(self, self.tr("Vermerk vom {0} gespeichert").format(format_date(on)))
        if not self.select(rec_id):  # filtered out by its new status: say so
            show_status(self, self.tr("Vermerk gespeichert; die Empfehlung passt nicht mehr zum Filter."))
        return True

    def export_excel(self, path: Path | None = None) -> Path | None:
        """The recommendations the table shows, in its order, as an Excel file."""
        rows_by_id = {r.id: r for r in self.model.rows}
        rows = [rows_by_id[i] for i in self.shown_ids()]
        target = path or choose_save_path(
            self,
            self.tr("Empfehlungen als Excel speichern"),
            "Empfehlungen.xlsx",
            self.tr(SPREADSHEET_FILTER),
        )
        if target is None:
            return None
        return save_in_background(
            self,
            self.tr("Empfehlungen als Excel"),
            lambda: write_workbook(target, [programme.recommendations_sheet(rows)]),
        )

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()
