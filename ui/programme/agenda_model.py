"""The agenda of one conference as a small tree model: items in programme order, the forums of a
Forenphase as their child rows.

The agenda has a few dozen rows at most, so the model holds all of them (no lazy loading) and is
reloaded from the database after every change (``agenda_nodes``). A reload that keeps the structure (the
same items and forums in the same order, e.g. after a move was already shown, or after a duration
changed the times) only emits ``dataChanged``, so selection and scroll position stay.

Reordering: ``moveRows`` moves one item and is what drag and drop (``dropMimeData``) and the keyboard
(Alt+Pfeil) both use; the move itself is delegated to ``move_handler(item_id, old_position, new_position)``, which
calls the service (``konferenz.programme.service.move_item``) and returns False when it failed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from konferenz.enums import AgendaItemType, label
from konferenz.letters.selection import forum_label
from konferenz.programme import reads
from konferenz.programme.service import ItemData, add_minutes
from konferenz.storage.db import Database

MIME_TYPE = "application/x-konferenz-agenda-item"

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgendaModel", text)


@dataclass
class ForumNode:
    id: int
    number: int
    title: str
    room: str = ""
    moderation: str = ""
    description: str = ""
    has_minutes: bool = False

    @property
    def label(self) -> str:
        return forum_label(self.number, self.title)


@dataclass(kw_only=True)
class ItemNode(ItemData):
    """An agenda item in the tree: its editable fields (``ItemData``), its id and derived start time, the forums
    of a Forenphase and whether minutes exist."""

    id: int
    start: dt.time | None
    forums: list[ForumNode] = field(default_factory=list)
    has_minutes: bool = False

    @property
    def end(self) -> dt.time | None:
        return None if self.start is None else add_minutes(self.start, self.duration_minutes)

    @property
    def time_range(self) -> str:
        """ "09:00–09:20"."""
        if self.start is None:
            return ""
        end = self.end
        return f"{self.start:%H:%M}–{end:%H:%M}" if end and end != self.start else f"{self.start:%H:%M}"

    def structure(self) -> tuple[int, tuple[int, ...]]:
        return self.id, tuple(f.id for f in self.forums)


def agenda_nodes(agenda: reads.Agenda) -> list[ItemNode]:
    """The items of a conference's agenda (``reads.read_agenda``) in order, with their forums and whether
    minutes exist."""
    by_item: dict[int, list[ForumNode]] = {}
    for forum in agenda.forums:
        if forum.agenda_item_id is not None:
            by_item.setdefault(forum.agenda_item_id, []).append(
                ForumNode(
                    forum.id,
                    forum.number,
                    forum.title,
                    forum.room,
                    forum.moderation,
                    forum.description,
                    forum.id in agenda.forum_minutes,
                )
            )
    return [
        ItemNode(
            **vars(item.data),
            id=item.id,
            start=item.start,
            forums=by_item.get(item.id, []),
            has_minutes=item.id in agenda.item_minutes,
        )
        for item in agenda.items
    ]


@dataclass(frozen=True)
class ForumChoice:
    """A forum of the conference and the Forenphase it runs in (None: in none)."""

    id: int
    number: int
    title: str
    agenda_item_id: int | None

    @property
    def label(self) -> str:
        return forum_label(self.number, self.title)


def conference_forums(database: Database, conference_id: int) -> list[ForumChoice]:
    return [
        ForumChoice(f.id, f.number, f.title, f.agenda_item_id)
        for f in reads.read_forums(database, conference_id)
    ]


def _contributors(speakers: str, moderation: str) -> str:
    parts = [" ".join(speakers.split())]
    if moderation.strip():
        parts.append(_tr("Moderation: {0}").format(" ".join(moderation.split())))
    return "; ".join(p for p in parts if p)


#: column key → header
COLUMNS: dict[str, str] = {
    "time": "Beginn–Ende",
    "duration": "Dauer",
    "title": "Titel",
    "type": "Art",
    "room": "Raum",
    "contributors": "Mitwirkende",
    "minutes": "Protokoll",
}
PROGRAMME_COLUMNS = ("time", "duration", "title", "type", "room", "contributors")
MINUTES_COLUMNS = ("time", "title", "minutes")

#: (item id, old position, new position) → True when the move was stored
MoveHandler = Callable[[int, int, int], bool]


class AgendaModel(QAbstractItemModel):
    """Items (top level) and the forums of each Forenphase (children)."""

    def __init__(
        self,
        columns: Sequence[str] = PROGRAMME_COLUMNS,
        *,
        move_handler: MoveHandler | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.items: list[ItemNode] = []
        #: called by moveRows (drag and drop, keyboard); None: the agenda cannot be reordered here
        self.move_handler = move_handler

    # --- content ---------------------------------------------------------------------------------------

    def set_items(self, items: list[ItemNode]) -> None:
        """Show ``items``; keeps the view's state when only texts and times changed."""
        same = [i.structure() for i in items] == [i.structure() for i in self.items]
        if same and items:
            self.items = items
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, last))
            for row, item in enumerate(items):
                if item.forums:
                    parent = self.index(row, 0)
                    self.dataChanged.emit(
                        self.index(0, 0, parent), self.index(len(item.forums) - 1, last, parent)
                    )
            return
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def node(self, index: Index) -> ItemNode | ForumNode | None:
        if not index.isValid():
            return None
        parent_row = index.internalId()
        if parent_row == 0:
            return self.items[index.row()] if index.row() < len(self.items) else None
        forums = self.items[parent_row - 1].forums
        return forums[index.row()] if index.row() < len(forums) else None

    def item_at(self, index: Index) -> ItemNode | None:
        """The agenda item of ``index`` (for a forum row: its Forenphase)."""
        if not index.isValid():
            return None
        parent_row = index.internalId()
        return self.items[index.row() if parent_row == 0 else parent_row - 1]

    def row_of_item(self, item_id: int) -> int:
        return next((row for row, item in enumerate(self.items) if item.id == item_id), -1)

    def index_of_item(self, item_id: int, column: int = 0) -> QModelIndex:
        row = self.row_of_item(item_id)
        return self.index(row, column) if row >= 0 else QModelIndex()

    def index_of_forum(self, forum_id: int, column: int = 0) -> QModelIndex:
        for row, item in enumerate(self.items):
            for child, forum in enumerate(item.forums):
                if forum.id == forum_id:
                    return self.index(child, column, self.index(row, 0))
        return QModelIndex()

    # --- structure ------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.items)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self.items):
            return len(self.items[parent.row()].forums)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return _tr(COLUMNS[self.columns[section]])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        key = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(node, key)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltip(node) if key == "title" else (text or None)
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(node, key) or _tr("leer")
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "duration":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return node.id
        return None

    def _text(self, node: ItemNode | ForumNode, key: str) -> str:
        if isinstance(node, ForumNode):
            return {
                "title": node.label,
                "type": _tr("Forum"),
                "room": node.room,
                "contributors": _contributors("", node.moderation),
                "minutes": _tr("vorhanden") if node.has_minutes else "–",
            }.get(key, "")
        match key:
            case "time":
                return node.time_range
            case "duration":
                return _tr("{0} Min.").format(node.duration_minutes)
            case "title":
                return node.title
            case "type":
                return label(node.item_type)
            case "room":
                return node.room
            case "contributors":
                return _contributors(node.speakers, node.moderation)
            case "minutes":
                if node.item_type is AgendaItemType.FORUM_PHASE and node.forums:
                    done = sum(f.has_minutes for f in node.forums)
                    forums = _tr("{0} von {1} Foren").format(done, len(node.forums))
                    return f"{_tr('vorhanden') if node.has_minutes else '–'} ({forums})"
                return _tr("vorhanden") if node.has_minutes else "–"
        return ""

    def _tooltip(self, node: ItemNode | ForumNode) -> str:
        if isinstance(node, ForumNode):
            return "\n".join(p for p in (node.label, node.description) if p)
        return "\n".join(p for p in (node.title, node.description) if p)

    # --- drag and drop --------------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.move_handler else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.internalId() == 0:
            flags &= ~Qt.ItemFlag.ItemNeverHasChildren
            if self.move_handler is not None:
                flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = sorted({self.items[i.row()].id for i in indexes if i.isValid() and i.internalId() == 0})
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(json.dumps(ids).encode()))
        return data

    def _dragged_row(self, data: QMimeData) -> int:
        if not data.hasFormat(MIME_TYPE):
            return -1
        try:
            ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
        except ValueError:
            return -1
        if not isinstance(ids, list) or len(ids) != 1:
            return -1
        return self.row_of_item(int(ids[0]))

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return (
            self.move_handler is not None
            and action == Qt.DropAction.MoveAction
            and not parent.isValid()
            and self._dragged_row(data) >= 0
        )

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Drop one dragged item before ``row`` (at the end for -1)."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self._dragged_row(data)
        target = len(self.items) if row < 0 else row
        self.moveRows(QModelIndex(), source, 1, QModelIndex(), target)
        # the drag source must never remove rows afterwards: the move is complete (removeRows is not
        # implemented, so QAbstractItemView's clean-up after a MoveAction does nothing)
        return True

    def moveRows(
        self,
        source_parent: Index,
        source_row: int,
        count: int,
        destination_parent: Index,
        destination_child: int,
    ) -> bool:
        """Move one item so that it lands before ``destination_child`` (Qt's convention)."""
        if (
            self.move_handler is None
            or count != 1
            or source_parent.isValid()
            or destination_parent.isValid()
            or not 0 <= source_row < len(self.items)
            or not 0 <= destination_child <= len(self.items)
            or destination_child in (source_row, source_row + 1)
        ):
            return False
        new_position = destination_child - 1 if destination_child > source_row else destination_child
        item_id = self.items[source_row].id
        # shown first, so that the reload after the service (same order) keeps selection and scrolling
        self._move_locally(source_row, new_position)
        if self.move_handler(item_id, source_row, new_position):
            return True
        row = self.row_of_item(item_id)
        if row == new_position:  # nothing reloaded the model meanwhile: undo what was shown
            self._move_locally(new_position, source_row)
        return False

    def _move_locally(self, row: int, new_position: int) -> None:
        destination = new_position + 1 if new_position > row else new_position
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self.items.insert(new_position, self.items.pop(row))
        self.endMoveRows()
