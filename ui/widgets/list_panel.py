"""The list panel every area is built from: search field, number of entries, table.

- ``ListPanel``: search-as-you-type field, the number of entries, a ``QTableView`` over a
  ``LazyTableModel``. Searching and sorting reload the model's ids in SQL (see ``ui/widgets/table_model.py``).
- ``ConferenceListPanel``: a conference selector (newest first) above a list of that conference
  (Programm, Protokoll).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from konferenz.lists.conferences import conference_choices
from konferenz.lists.source import ListSource, format_count
from konferenz.storage.db import Database
from ui.settings import settings
from ui.widgets.table_model import LazyTableModel

if TYPE_CHECKING:
    from konferenz.lists.source import Reader

#: pause after the last keystroke before the list is searched
SEARCH_DEBOUNCE_MS = 150
#: rows looked at when columns are sized to their contents (only the first block is fetched)
_SIZE_SAMPLE_ROWS = 50
_MIN_COLUMN_WIDTH_EM = 3
#: when the columns do not fit, no column is cut below this width
_MIN_FITTED_WIDTH_EM = 8


def fit_widths(natural: Sequence[int], available: int, *, floor: int) -> list[int]:
    """Column widths that fit ``available``: narrow columns keep their width, wide ones are cut to one
    common width (never below ``floor``). Columns that fit anyway keep their natural width."""
    if sum(natural) <= available:
        return list(natural)
    remaining = available
    ordered = sorted(natural)
    cap = ordered[-1]
    for i, width in enumerate(ordered):
        share = remaining // (len(ordered) - i)
        if width >= share:
            cap = share
            break
        remaining -= width
    cap = max(cap, floor)
    return [min(width, cap) for width in natural]


def _widths_key(source: ListSource) -> str:
    return f"columns/{type(source).__name__}/widths"


def _stored_widths(source: ListSource) -> dict[str, int]:
    value = settings().value(_widths_key(source), {})
    if not isinstance(value, dict):
        return {}
    keys = {column.key for column in source.columns}
    chosen = {}
    for key, width in value.items():
        try:
            if key in keys and int(width) > 0:
                chosen[str(key)] = int(width)
        except (TypeError, ValueError):
            continue
    return chosen


def _store_widths(source: ListSource, widths: dict[str, int]) -> None:
    settings().setValue(_widths_key(source), dict(widths))


def entries_text(shown: int, total: int, *, searching: bool) -> str:
    """ "1.234 Einträge", "1 Eintrag", or while searching "12 von 1.234 Einträgen"."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("ListPanel", text)

    if searching:
        text = tr("{0} von {1} Eintrag") if total == 1 else tr("{0} von {1} Einträgen")
        return text.format(format_count(shown), format_count(total))
    return (tr("{0} Eintrag") if shown == 1 else tr("{0} Einträge")).format(format_count(shown))


class ListPanel(QWidget):
    """A search field above a table of one list, with the number of entries."""

    #: the list was (re)loaded; argument: number of rows shown
    loaded = Signal(int)

    def __init__(self, model: LazyTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        name = model.source.name
        self._sized = False
        #: the widths the user gave columns by dragging (column key → px), kept per list in the settings
        self._chosen_widths: dict[str, int] = _stored_widths(model.source)
        self._sizing = False

        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText(self.tr("Suchen …"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName(self.tr("Suche in {0}").format(name))
        self.search_field.setAccessibleDescription(
            self.tr("Suchbegriffe, getrennt durch Leerzeichen; Umlaute und Akzente dürfen fehlen")
        )
        self.search_field.setToolTip(
            self.tr(
                "Alle Wörter müssen vorkommen. „ozturk“ findet auch „Öztürk“. Pfeil nach unten: zur Liste"
            )
        )
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Anzahl Einträge {0}").format(name))
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Liste {0}").format(name))
        self.table.setModel(model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().hide()
        vheader = self.table.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vheader.setResizeContentsPrecision(_SIZE_SAMPLE_ROWS)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # a last column of numbers stays narrow, at the right edge of its figures
        header.setStretchLastSection(not model.source.columns[-1].numeric)
        header.setSectionsMovable(False)
        header.setResizeContentsPrecision(_SIZE_SAMPLE_ROWS)
        # the list's default order shows as the sort indicator; -1 (none) is the programme's own order
        source = model.source
        header.setSortIndicator(
            source.column_index(source.default_sort),
            Qt.SortOrder.DescendingOrder if source.default_descending else Qt.SortOrder.AscendingOrder,
        )
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        header.sectionResized.connect(self._on_section_resized)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(100)
        self._refit.timeout.connect(self.size_columns)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._top_layout = top
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search_field.textChanged.connect(self._debounce.start)
        self.search_field.returnPressed.connect(self._search_and_go_to_list)
        self.search_field.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        model.loaded.connect(self._on_loaded)
        self._update_count()

    # --- behaviour -----------------------------------------------------------------------------------------

    def apply_search(self) -> None:
        """Search now (the debounce timer calls this 150 ms after the last keystroke)."""
        self._debounce.stop()
        self.model.set_search(self.search_field.text())

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _search_and_go_to_list(self) -> None:
        self.apply_search()
        self.focus_table()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.apply_search()
            self.focus_table()
            return True
        if (
            watched is self.table.viewport()
            and event.type() == QEvent.Type.ToolTip
            and isinstance(event, QHelpEvent)
        ):
            return self._tip_for_cut_text(event)
        return super().eventFilter(watched, event)

    def cut_text(self, row: int, column: int) -> str:
        """The cell's text when its column is too narrow to show it whole ("" when it fits)."""
        index = self.model.index(row, column)
        text = str(index.data() or "")
        if not text:
            return ""
        room = self.table.columnWidth(column) - self.fontMetrics().horizontalAdvance("M")
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            room -= self.table.iconSize().width() or 16
        return text if self.table.fontMetrics().horizontalAdvance(text) > room else ""

    def _tip_for_cut_text(self, event: QHelpEvent) -> bool:
        """Tooltips on anything still cut off (issue 17): the whole text of a cell shown with "…"."""
        index = self.table.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False  # the model's own tooltip (long texts) is shown as it is
        text = self.cut_text(index.row(), index.column())
        if not text:
            QToolTip.hideText()
            return True
        QToolTip.showText(event.globalPos(), text, self.table.viewport())
        return True

    def _on_loaded(self) -> None:
        self._update_count()
        self._size_columns_once()
        self.loaded.emit(self.model.rowCount())

    def _size_columns_once(self) -> None:
        """Size the columns the first time the panel is visible with rows (sized by the headers while
        empty). A hidden page of a stacked widget has no valid width yet, so it waits to be shown."""
        if self._sized or not self.isVisible():
            return
        self.size_columns()
        self._sized = self.model.rowCount() > 0

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            QTimer.singleShot(0, self._size_columns_once)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A wider window (maximised, or the detail pane made smaller) gives the columns their room again."""
        super().resizeEvent(event)
        if self._sized and event.size().width() != event.oldSize().width():
            self._refit.start()

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        """A column dragged by the user keeps its width, in this list and the next time."""
        if self._sizing or new <= 0:
            return
        header = self.table.horizontalHeader()
        if header.stretchLastSection() and section == header.count() - 1:
            return  # the last column follows the window
        key = self.model.source.columns[section].key
        self._chosen_widths[key] = new
        _store_widths(self.model.source, self._chosen_widths)

    def reset_column_widths(self) -> None:
        """Forget the widths the user chose: the columns fit their content and the window again."""
        self._chosen_widths = {}
        _store_widths(self.model.source, {})
        self.size_columns()

    def _update_count(self) -> None:
        self.count_label.setText(
            entries_text(
                self.model.rowCount(), self.model.total_count(), searching=bool(self.model.search_text)
            )
        )

    def size_columns(self) -> None:
        """Fit the visible columns to their headers and the first rows, within the visible width if
        possible; room left over goes to the text columns (the list uses the window's width). A width the
        user chose by dragging is kept."""
        header = self.table.horizontalHeader()
        em = self.fontMetrics().horizontalAdvance("M")
        columns = self.model.source.columns
        shown = [c for c in range(self.model.columnCount()) if not self.table.isColumnHidden(c)]
        if not shown:
            return
        natural = [
            max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c), _MIN_COLUMN_WIDTH_EM * em)
            + em // 2
            for c in shown
        ]
        # the room inside the frame, less a vertical scroll bar (long lists get one once rows are shown)
        available = (
            self.table.width()
            - 2 * self.table.frameWidth()
            - self.table.verticalScrollBar().sizeHint().width()
        )
        if available < 20 * em:  # not laid out yet: let the columns be as wide as they want
            available = sum(natural)
        chosen = [self._chosen_widths.get(columns[c].key) for c in shown]
        free = [i for i, width in enumerate(chosen) if width is None]
        room = available - sum(width for width in chosen if width is not None)
        wanted = [natural[i] for i in free]
        if free:
            # a status or a date stays whole (while they take at most half the room); the others share the rest
            keep = {j for j, i in enumerate(free) if columns[shown[i]].whole}
            if sum(wanted[j] for j in keep) > room // 2:
                keep = set()
            rest = [j for j in range(len(free)) if j not in keep]
            fitted = list(wanted)
            if rest:
                rest_room = room - sum(wanted[j] for j in keep)
                rest_wanted = [wanted[j] for j in rest]
                # the first column names the record (name, title): it keeps its width up to a quarter
                first = rest_wanted[0]
                if free[rest[0]] == 0 and sum(rest_wanted) > rest_room:
                    first = min(first, rest_room // 4)
                widths = [
                    first,
                    *fit_widths(rest_wanted[1:], rest_room - first, floor=_MIN_FITTED_WIDTH_EM * em),
                ]
                for j, fitted_width in zip(rest, widths, strict=True):
                    fitted[j] = fitted_width
            extra = room - sum(fitted)
            texts = [j for j, i in enumerate(free) if not columns[shown[i]].numeric]
            if extra > 0 and texts:
                total = sum(fitted[j] for j in texts)
                for j in texts:
                    fitted[j] += extra * fitted[j] // total
                fitted[texts[-1]] += room - sum(fitted)  # what rounding left
            for j, i in enumerate(free):
                chosen[i] = fitted[j]
        self._sizing = True
        try:
            for c, width in zip(shown, chosen, strict=True):
                if width is not None:
                    header.resizeSection(c, width)
        finally:
            self._sizing = False

    def add_top_widget(self, widget: QWidget, *, before_search: bool = True) -> None:
        """Put a widget (a selector) into the row of the search field."""
        if before_search:
            self._top_layout.insertWidget(0, widget)
        else:
            self._top_layout.addWidget(widget)


class ConferenceListPanel(QWidget):
    """A conference selector (newest first) and a list of the chosen conference."""

    def __init__(
        self,
        model: LazyTableModel,
        make_source: Callable[[int | None], ListSource],
        parent: QWidget | None = None,
        *,
        preferred: Callable[[Reader], int | None] | None = None,
    ) -> None:
        """``preferred`` chooses the conference shown first (default: the newest)."""
        super().__init__(parent)
        self._make_source = make_source
        self._preferred = preferred
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(self.tr("Konferenz auswählen ({0})").format(model.source.name))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(24)
        self.combo_label = QLabel(self.tr("Konferen&z:"), self)
        self.combo_label.setBuddy(self.combo)
        self.panel = ListPanel(model, self)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo_label)
        row.addWidget(self.combo)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.panel, 1)
        self.combo.currentIndexChanged.connect(self._on_conference_chosen)

    @property
    def model(self) -> LazyTableModel:
        return self.panel.model

    def conference_id(self) -> int | None:
        value = self.combo.currentData()
        return int(value) if value is not None else None

    def load_conferences(self, database: Database | None, *, keep_choice: bool = True) -> None:
        """Fill the selector from ``database``; keeps the chosen conference if it still exists."""
        previous = self.conference_id() if keep_choice else None
        choices: list[tuple[int, str]] = []
        if database is not None:
            with database.read_connection() as session:
                choices = conference_choices(session)
                if previous not in {cid for cid, _text in choices} and self._preferred is not None:
                    previous = self._preferred(session)
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            for conference_id, text in choices:
                self.combo.addItem(text, conference_id)
            if not choices:
                self.combo.addItem(self.tr("(noch keine Konferenz angelegt)"), None)
            index = self.combo.findData(previous) if previous is not None else -1
            self.combo.setCurrentIndex(max(index, 0))
        finally:
            self.combo.blockSignals(False)
        self.combo.setEnabled(bool(choices))
        self.model.set_source(self._make_source(self.conference_id()))

    def _on_conference_chosen(self, _index: int) -> None:
        self.model.set_source(self._make_source(self.conference_id()))

    def focus_search(self) -> None:
        self.panel.focus_search()
