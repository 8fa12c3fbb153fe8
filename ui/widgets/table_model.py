"""``LazyTableModel``: a Qt table model over a ``konferenz.lists.source.ListSource``.

The model follows Anki's browser table (``aqt/browser/table/model.py``): SQL does the search and the sort,
the model holds only the ids of the current result and fetches the display rows lazily, a block of ids per
query (``database.read_connection()``, closed again at once: widgets never keep a connection), when ``data()``
asks for a row that is not cached. A bounded LRU cache of blocks keeps memory flat while scrolling through
100,000 persons.

Why not a ``QSortFilterProxyModel`` (as DESIGN.md suggests for small lists): a proxy filters and sorts by
calling the Python ``data()`` of every row, 100,000 calls per keystroke, which cannot stay under 100 ms.
The SQL query over the precomputed ``search_text`` column returns the matching ids, already sorted, in a
few dozen milliseconds, and the view then asks only for the rows it shows.

The model is empty until ``refresh()`` is called, so a window can show itself first and load afterwards.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from konferenz.lists.source import ListSource
from konferenz.storage.db import Database
from ui.widgets.badges import status_badge

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

#: texts longer than this get their full text as a (wrapping) tooltip
_TOOLTIP_FROM = 50

# ``data()`` runs for every role of every visible cell (several thousand calls to paint and size a list):
# plain ints compare much faster than PySide6's enum members
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


class LazyTableModel(QAbstractTableModel):
    """Rows of one list: ids for the current search and sort, display rows fetched in blocks."""

    #: emitted after the ids were (re)loaded: refresh, search, sort, another database or source
    loaded = Signal()

    def __init__(
        self,
        database: Database | None,
        source: ListSource,
        *,
        block_size: int = 200,
        max_blocks: int = 25,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._source = source
        self._block_size = max(1, block_size)
        self._max_blocks = max(1, max_blocks)
        self._ids: list[int] = []
        self._is_loaded = False
        self._total = 0
        self._search = ""
        self._sort_key: str | None = None
        self._descending = False
        self._blocks: OrderedDict[int, list[tuple[object, ...]]] = OrderedDict()
        self._locale = QLocale()
        # read once per refresh, kept while the user types (``_forget_reads`` drops them):
        self._facets_read = False
        self._facets: frozenset[int] | None = None  # source.facet_ids(), once read
        self._unsearched_count: int | None = None
        #: the ids without a search, and the order (sort key, descending) they are in
        self._unsearched: tuple[tuple[str | None, bool], list[int]] | None = None

    # --- state ---------------------------------------------------------------------------------------

    @property
    def source(self) -> ListSource:
        return self._source

    @property
    def database(self) -> Database | None:
        return self._database

    @property
    def search_text(self) -> str:
        return self._search

    @property
    def is_loaded(self) -> bool:
        return self._is_loaded

    @property
    def sort_key(self) -> str | None:
        """The column key of the current order (None: the list's default order)."""
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    def total_count(self) -> int:
        """Records in the list without the search (as of the last load)."""
        return self._total

    def id_at(self, row: int) -> int:
        """The record id shown in ``row``."""
        return self._ids[row]

    def ids(self) -> list[int]:
        """The ids of the current result, in display order (a copy)."""
        return list(self._ids)

    def row_of(self, record_id: int) -> int | None:
        """The row showing ``record_id``, or None when it is not in the current result."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def cached_blocks(self) -> int:
        return len(self._blocks)

    # --- changing what is shown -------------------------------------------------------------------------

    def set_database(self, database: Database | None) -> None:
        """Show the same list from another database (reloads at once if the model was loaded)."""
        self._database = database
        self._forget_reads()
        self._reload_if_loaded()

    def set_source(self, source: ListSource) -> None:
        """Show another list (the programme of another conference); search and sort stay."""
        if source.columns != self._source.columns:
            self._sort_key, self._descending = None, False
        self._source = source
        self._forget_reads()
        self._reload_if_loaded()

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        self._reload_if_loaded()

    def set_sort_key(self, key: str | None, *, descending: bool = False) -> None:
        """Order by column ``key`` (None: the list's default order)."""
        self._sort_key, self._descending = key, descending
        self._reload_if_loaded()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's sort entry point (header click): sorts in SQL through the list source.

        Column -1 (no sort indicator) restores the list's default order.
        """
        columns = self._source.columns
        if 0 <= column < len(columns):
            key: str | None = columns[column].key
            descending = order == Qt.SortOrder.DescendingOrder
        else:
            key, descending = None, False
        if (key, descending) == (self._sort_key, self._descending) and self._is_loaded:
            return
        self.set_sort_key(key, descending=descending)

    def refresh(self) -> None:
        """Load the ids again (after a change, or the first time), keeping search and sort.

        When the ids come back unchanged only the fetched rows are dropped (``dataChanged``), so the view
        keeps its selection and scroll position and nothing flickers.
        """
        self._forget_reads()
        self._load()

    def _forget_reads(self) -> None:
        """Drop what is read once and kept while the user types: the filter's ids, the count and the ids
        without a search (the data, the list or the database changed)."""
        self._facets_read, self._facets = False, None
        self._unsearched_count = None
        self._unsearched = None

    def _read_ids(self) -> tuple[list[int], int]:
        """The ids of the current search and sort, and the list's count without the search. A keystroke
        reads only the search: the filter's ids, the count and the unsearched ids are kept from before."""
        if self._database is None:
            return [], 0
        order = (self._sort_key, self._descending)
        if not self._search and self._unsearched is not None and self._unsearched[0] == order:
            ids = self._unsearched[1]
            return ids, len(ids)
        with self._database.read_connection() as session:
            if not self._facets_read:
                self._facets_read, self._facets = True, self._source.facet_ids(session)
            ids = self._source.ids(
                session,
                search=self._search,
                sort_key=self._sort_key,
                descending=self._descending,
                within=self._facets,
            )
            if not self._search:
                self._unsearched = (order, ids)
                self._unsearched_count = len(ids)
            elif self._unsearched_count is None:
                facets = self._facets
                self._unsearched_count = len(facets) if facets is not None else self._source.count(session)
            total = self._unsearched_count
        return ids, total

    def _load(self) -> None:
        ids, total = self._read_ids()
        if self._is_loaded and ids == self._ids:
            self._total = total
            self.clear_cache()
            self.loaded.emit()
            return
        self.beginResetModel()
        try:
            self._blocks.clear()
            self._ids = ids
            self._total = total
            self._is_loaded = True
        finally:
            self.endResetModel()
        self.loaded.emit()

    def clear_cache(self) -> None:
        """Forget the fetched rows (they are fetched again when shown), e.g. after an edit."""
        self._blocks.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self._source.columns) - 1)
            )

    def _reload_if_loaded(self) -> None:
        if self._is_loaded:
            self._load()

    # --- fetching rows ------------------------------------------------------------------------------------

    def row_values(self, row: int) -> tuple[object, ...]:
        """The display values of ``row`` (fetched with its block if needed)."""
        block_no, offset = divmod(row, self._block_size)
        block = self._blocks.get(block_no)
        if block is None:
            block = self._fetch_block(block_no)
        else:
            self._blocks.move_to_end(block_no)
        return block[offset]

    def _fetch_block(self, block_no: int) -> list[tuple[object, ...]]:
        start = block_no * self._block_size
        ids: Sequence[int] = self._ids[start : start + self._block_size]
        empty = self._source.empty_row
        if self._database is None:
            rows: dict[int, tuple[object, ...]] = {}
        else:
            with self._database.read_connection() as session:
                rows = self._source.rows(session, ids)
        # a record deleted since the ids were loaded shows as an empty row until the next refresh
        block = [rows.get(i, empty) for i in ids]
        self._blocks[block_no] = block
        while len(self._blocks) > self._max_blocks:
            self._blocks.popitem(last=False)
        return block

    # --- QAbstractTableModel -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default argument)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._source.columns)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY:
            row = index.row()
            if not index.isValid() or row >= len(self._ids):
                return None
            value = self.row_values(row)[index.column()]
            if isinstance(value, int):
                return self._locale.toString(value)
            return "" if value is None else str(value)
        if role == _ALIGNMENT:
            if not index.isValid():
                return None
            return _RIGHT if self._source.columns[index.column()].numeric else _LEFT
        if role == _DECORATION:
            # a status column: its badge (colour and shape beside the text, ui.widgets.badges)
            if not index.isValid() or index.row() >= len(self._ids):
                return None
            if self._source.columns[index.column()].key != "status":
                return None
            value = self.row_values(index.row())[index.column()]
            return status_badge(value) if isinstance(value, str) else None
        if role == _TOOLTIP:
            if not index.isValid() or index.row() >= len(self._ids):
                return None
            value = self.row_values(index.row())[index.column()]
            if isinstance(value, str) and len(value) > _TOOLTIP_FROM:
                # rich text, so Qt wraps the tooltip instead of showing one endless line
                return f"<p>{_escape(value)}</p>"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        columns = self._source.columns
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(columns):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                # the core names the columns in German; the translation hook allows another language
                return QCoreApplication.translate("lists", columns[section].header)
            if role == Qt.ItemDataRole.TextAlignmentRole and columns[section].numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._ids)
        ):
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
