"""Programm: the agenda of the chosen conference.

The conference selector of the window's ``ConferenceListPanel`` chooses the conference; below it the
agenda as a tree (``ui.programme.agenda_model.AgendaModel``): the items in their order with Beginn–Ende, Dauer,
Titel, Art, Raum and Mitwirkende, the forums of a Forenphase as child rows in its slot. Next to it the
details of the chosen item, including the Regieplan fields.

Every change is one service call of ``konferenz.programme.service`` (its own unit of work) made through
``AppContext.run``, which announces what it wrote, so this view and every list reload. Times are never edited: they follow from the
order and the durations, so a move (drag and drop, or Alt+Pfeil) shows the new times at once.
New, changed, moved and deleted items can be undone (Strg+Z); an undone and redone new item gets a new
id in the database, so commands refer to items through ``_resolve``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import AgendaItemType, label
from konferenz.errors import ConflictError, UserError
from konferenz.programme import service as programme
from konferenz.programme.reads import read_agenda, read_agenda_rows, read_item_recommendation_count
from konferenz.spreadsheets.xlsx import write_workbook
from konferenz.storage.changes import AGENDA, CONFERENCES, MINUTES
from konferenz.storage.db import Database
from ui.actions import create_programme_actions
from ui.context import AppContext
from ui.programme.agenda_dialog import AgendaItemDialog, ForumAssignDialog
from ui.programme.agenda_model import (
    PROGRAMME_COLUMNS,
    AgendaModel,
    ForumNode,
    ItemNode,
    agenda_nodes,
    conference_forums,
)
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import (
    SPREADSHEET_FILTER,
    action_button,
    attempt,
    choose_save_path,
    save_in_background,
    succeeded,
    warn,
)
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.list_panel import ConferenceListPanel
from ui.widgets.registry_dialogs import ConflictChoice, ask_conflict


def item_data(node: ItemNode) -> programme.ItemData:
    return programme.ItemData(
        title=node.title,
        duration_minutes=node.duration_minutes,
        item_type=node.item_type,
        description=node.description,
        speakers=node.speakers,
        moderation=node.moderation,
        room=node.room,
        responsible_staff=node.responsible_staff,
        internal_notes=node.internal_notes,
    )


#: the fields of an agenda item as the conflict question names them
ITEM_FIELD_CAPTIONS = {
    "title": "Titel",
    "duration_minutes": "Dauer (Minuten)",
    "item_type": "Art",
    "description": "Beschreibung",
    "speakers": "Referierende",
    "moderation": "Moderation",
    "room": "Raum",
    "responsible_staff": "Verantwortlich",
    "internal_notes": "Interne Notizen",
}


def _field_text(value: object) -> str:
    return label(value) if isinstance(value, AgendaItemType) else str(value)


def _time(value: dt.time | None) -> str:
    return f"{value:%H:%M}" if value is not None else ""


class ProgrammeArea(QWidget):
    """Programm area."""

    def __init__(self, ctx: AppContext, panel: ConferenceListPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: the window's conference selector; its lazy list is replaced by the agenda tree
        self.panel = panel
        panel.panel.hide()
        self.setAccessibleName(self.tr("Programm"))
        self._year: int | None = None
        self._conference: tuple[dt.time | None, dt.time | None] = (None, None)
        #: ids of items that were deleted and created again by undo/redo: old id → new id
        self._aliases: dict[int, int] = {}

        self.model = AgendaModel(PROGRAMME_COLUMNS, move_handler=self._move, parent=self)
        self.view = QTreeView(self)
        self.view.setObjectName("agenda_view")
        self.view.setAccessibleName(self.tr("Programm der Konferenz"))
        self.view.setAccessibleDescription(
            self.tr(
                "Programmpunkte in ihrer Reihenfolge, die Foren einer Forenphase darunter. "
                "Alt+Pfeil nach oben/unten verschiebt, Eingabetaste bearbeitet, Einfg fügt ein, Entf löscht."
            )
        )
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropOverwriteMode(False)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setItemsExpandable(True)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionsMovable(False)
        for column in (0, 1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("M") * 28)

        self.details = QTextBrowser(self)
        self.details.setObjectName("agenda_details")
        self.details.setAccessibleName(self.tr("Details zum Programmpunkt"))
        self.details.setOpenLinks(False)
        self.summary = QLabel(self)
        self.summary.setObjectName("agenda_summary")
        self.summary.setAccessibleName(self.tr("Zeitrahmen des Programms"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.area_actions = create_programme_actions(self)
        for action in self.area_actions.all():
            self.addAction(action)
        a = self.area_actions
        mark_destructive(a.delete_item)
        a.new_item.triggered.connect(self.new_item)
        a.edit_item.triggered.connect(self.edit_item)
        a.delete_item.triggered.connect(self.delete_item)
        a.move_up.triggered.connect(lambda: self.move_selected(-1))
        a.move_down.triggered.connect(lambda: self.move_selected(+1))
        a.assign_forums.triggered.connect(self.assign_forums)
        a.agenda_pdf.triggered.connect(lambda: self.export_pdf(internal=False))
        a.running_order_pdf.triggered.connect(lambda: self.export_pdf(internal=True))
        a.agenda_excel.triggered.connect(self.export_excel)

        edit_row = FlowLayout()
        for action in (a.new_item, a.edit_item, a.delete_item, a.move_up, a.move_down, a.assign_forums):
            edit_row.addWidget(action_button(action, self))
        edit_row.add_stretch()
        for action in (a.agenda_pdf, a.running_order_pdf, a.agenda_excel):
            edit_row.addWidget(action_button(action, self))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
        layout.addLayout(edit_row)
        layout.addWidget(self.splitter, 1)

        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.view.activated.connect(self._on_activated)
        # the window reloads the selector's list after every change of the agenda, another conference
        # or another database: the tree follows it
        panel.model.loaded.connect(self.reload)
        panel.combo.currentIndexChanged.connect(self.reload)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.database_changed.connect(self._aliases.clear)
        self._update_actions()

    # --- loading ----------------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self.ctx.database

    @property
    def year(self) -> int | None:
        """The year of the conference shown."""
        return self._year

    def conference_id(self) -> int | None:
        return self.panel.conference_id()

    def reload(self) -> None:
        """Read the agenda of the chosen conference again (keeps the chosen item)."""
        conf_id = self.conference_id()
        chosen = self.current_node()
        chosen_key = (type(chosen), chosen.id) if chosen is not None else None
        conf, agenda = read_agenda(self.database, conf_id)
        items = agenda_nodes(agenda)
        self._year = conf.year if conf else None
        self._conference = (conf.start_time, conf.end_time) if conf else (None, None)
        self.model.set_items(items)
        self.view.expandAll()
        if chosen_key is not None and self.current_node() is None:
            kind, record_id = chosen_key
            index = (
                self.model.index_of_forum(record_id)
                if kind is ForumNode
                else self.model.index_of_item(record_id)
            )
            if index.isValid():
                self.select_index(index)
        self._show_summary(items)
        self._update_actions()
        self._show_details()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {AGENDA, CONFERENCES, MINUTES}:
            self.reload()

    def _show_summary(self, items: list[ItemNode]) -> None:
        if self._year is None:
            self.summary.setText(self.tr("Noch keine Konferenz angelegt."))
            return
        start, planned_end = self._conference
        if not items:
            self.summary.setText(
                self.tr("Noch kein Programm. Mit „Neuer Punkt …“ (Einfg) beginnt es um {0} Uhr.").format(
                    _time(start or programme.DEFAULT_START)
                )
            )
            return
        end = items[-1].end
        text = self.tr("{0} Punkte, {1} bis {2} Uhr").format(len(items), _time(items[0].start), _time(end))
        if planned_end is not None and end is not None and end > planned_end:
            text += self.tr(" – Achtung: geplant ist das Ende um {0} Uhr.").format(_time(planned_end))
        elif planned_end is not None:
            text += self.tr(" (geplantes Ende {0} Uhr)").format(_time(planned_end))
        self.summary.setText(text)

    # --- selection ------------------------------------------------------------------------------------

    def current_node(self) -> ItemNode | ForumNode | None:
        return self.model.node(self.view.currentIndex())

    def current_item(self) -> ItemNode | None:
        """The chosen item (for a chosen forum: its Forenphase)."""
        return self.model.item_at(self.view.currentIndex())

    def select_index(self, index: QModelIndex) -> None:
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def select_item(self, item_id: int) -> None:
        index = self.model.index_of_item(self._resolve(item_id))
        if index.isValid():
            self.select_index(index)

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        self._show_details()

    def _on_activated(self, index: QModelIndex) -> None:
        if isinstance(self.model.node(index), ForumNode):
            self.assign_forums()
        else:
            self.edit_item()

    def _update_actions(self) -> None:
        a = self.area_actions
        has_conference = self._year is not None
        node = self.current_node()
        item = node if isinstance(node, ItemNode) else None
        row = self.model.row_of_item(item.id) if item else -1
        a.new_item.setEnabled(has_conference)
        a.edit_item.setEnabled(item is not None)
        a.delete_item.setEnabled(item is not None)
        a.move_up.setEnabled(item is not None and row > 0)
        a.move_down.setEnabled(item is not None and 0 <= row < len(self.model.items) - 1)
        phase = self.current_item()
        a.assign_forums.setEnabled(phase is not None and phase.item_type is AgendaItemType.FORUM_PHASE)
        for action in (a.agenda_pdf, a.running_order_pdf, a.agenda_excel):
            action.setEnabled(has_conference)

    def _show_details(self) -> None:
        node = self.current_node()
        if node is None:
            self.details.setHtml(
                "<p>"
                + html.escape(self.tr("Einen Programmpunkt auswählen, um Einzelheiten zu sehen."))
                + "</p>"
            )
            return
        esc = html.escape
        parts: list[str] = []

        def row(caption: str, value: str) -> None:
            if value.strip():
                text = esc(value).replace("\n", "<br>")
                parts.append(f"<p><b>{esc(caption)}:</b> {text}</p>")

        if isinstance(node, ForumNode):
            parts.append(f"<h3>{esc(node.label)}</h3>")
            phase = self.current_item()
            if phase is not None:
                row(self.tr("Zeit"), f"{phase.time_range} ({phase.title})")
            row(self.tr("Raum"), node.room)
            row(self.tr("Moderation"), node.moderation)
            row(self.tr("Beschreibung"), node.description)
        else:
            parts.append(f"<h3>{esc(node.title)}</h3>")
            row(self.tr("Zeit"), f"{node.time_range} ({node.duration_minutes} Min.)")
            row(self.tr("Art"), label(node.item_type))
            row(self.tr("Raum"), node.room)
            row(self.tr("Mitwirkende"), node.speakers)
            row(self.tr("Moderation"), node.moderation)
            row(self.tr("Beschreibung"), node.description)
            if node.forums:
                forums = "".join(
                    f"<li>{esc(f.label)}{esc(' – Raum ' + f.room) if f.room else ''}</li>"
                    for f in node.forums
                )
                parts.append(f"<p><b>{esc(self.tr('Parallele Foren'))}:</b></p><ul>{forums}</ul>")
            if node.responsible_staff or node.internal_notes:
                parts.append(f"<h4>{esc(self.tr('Regieplan (intern)'))}</h4>")
                row(self.tr("Verantwortlich"), node.responsible_staff)
                row(self.tr("Notizen"), node.internal_notes)
        self.details.setHtml("".join(parts))

    # --- commands ---------------------------------------------------------------------------------------

    def _resolve(self, item_id: int) -> int:
        while item_id in self._aliases:
            item_id = self._aliases[item_id]
        return item_id

    def _guarded(self, title: str, work: Callable[[], object]) -> Callable[[], None]:
        """Undo/redo steps: a UserError (the item is gone meanwhile) becomes a message."""

        def run() -> None:
            attempt(self, title, work)

        return run

    def _dialog(
        self, *, title: str, start_text: str, data: programme.ItemData | None = None
    ) -> AgendaItemDialog:
        return AgendaItemDialog(lambda: self.database, self, data=data, start_text=start_text, title=title)

    def new_item(self) -> int | None:
        """Ask for a new item and insert it after the chosen one (at the end without a choice)."""
        year = self._year
        if year is None:
            return None
        chosen = self.current_item()
        position = self.model.row_of_item(chosen.id) + 1 if chosen else len(self.model.items)
        before = self.model.items[position - 1] if position > 0 else None
        start = before.end if before else (self._conference[0] or programme.DEFAULT_START)
        dialog = self._dialog(
            title=self.tr("Neuer Programmpunkt"),
            start_text=self.tr("{0} Uhr (nach „{1}“)").format(_time(start), before.title)
            if before
            else self.tr("{0} Uhr (Beginn der Konferenz)").format(_time(start)),
        )
        accepted = dialog.exec() == AgendaItemDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return None
        return self.add_item(dialog.data(), position)

    def add_item(self, data: programme.ItemData, position: int | None = None) -> int | None:
        """Insert ``data`` at ``position`` (undoable) and choose it."""
        year = self._year
        if year is None:
            return None
        title = self.tr("Programmpunkt anlegen")
        new_id = self.ctx.run(
            lambda: attempt(
                self, title, lambda: programme.add_item(self.database, year, data, position=position)
            )
        )
        if new_id is None:
            return None
        original = new_id

        def redo() -> None:
            self._aliases[original] = programme.add_item(self.database, year, data, position=position)

        def undo() -> None:
            programme.delete_item(self.database, self._resolve(original))

        self.ctx.push_change(
            self.tr("Programmpunkt „{0}“ anlegen").format(data.title),
            self._guarded(title, redo),
            self._guarded(title, undo),
        )
        self.select_item(new_id)
        return new_id

    def edit_item(self) -> None:
        node = self.current_node()
        if not isinstance(node, ItemNode):
            return
        dialog = self._dialog(
            title=self.tr("Programmpunkt bearbeiten"),
            data=item_data(node),
            start_text=self.tr("{0} Uhr (ergibt sich aus der Reihenfolge)").format(_time(node.start)),
        )
        accepted = dialog.exec() == AgendaItemDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        self.update_item(node.id, dialog.data())

    def update_item(self, item_id: int, data: programme.ItemData) -> bool:
        """Save ``data`` for the item (undoable)."""
        row = self.model.row_of_item(item_id)
        if row < 0:
            return False
        old = item_data(self.model.items[row])
        if old == data:
            return True
        title = self.tr("Programmpunkt speichern")
        try:
            self.ctx.run(lambda: programme.update_item(self.database, item_id, data, expected=old))
        except ConflictError as exc:
            stored = exc.current
            assert isinstance(stored, programme.ItemData)
            if not self._resolve_item_conflict(item_id, data, stored):
                return False
            old = stored
        except UserError as exc:
            warn(self, title, exc)
            return False
        self.ctx.push_change(
            self.tr("Programmpunkt „{0}“ ändern").format(data.title),
            self._guarded(title, lambda: programme.update_item(self.database, self._resolve(item_id), data)),
            self._guarded(title, lambda: programme.update_item(self.database, self._resolve(item_id), old)),
        )
        return True

    def ask_conflict(self, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
        """Both versions side by side (tests replace this method or drive the dialog)."""
        return ask_conflict(self, what, differences)

    def _resolve_item_conflict(
        self, item_id: int, data: programme.ItemData, stored: programme.ItemData
    ) -> bool:
        """The item was saved at another workplace while the user edited it: show both versions; True when
        the user's input was saved over it."""
        differences = [
            (self.tr(caption), _field_text(getattr(data, name)), _field_text(getattr(stored, name)))
            for name, caption in ITEM_FIELD_CAPTIONS.items()
            if getattr(data, name) != getattr(stored, name)
        ]
        choice = self.ask_conflict(self.tr("Programmpunkt „{0}“").format(stored.title), differences)
        if choice is ConflictChoice.OVERWRITE:
            return self.ctx.run(
                lambda: succeeded(
                    self,
                    self.tr("Programmpunkt speichern"),
                    lambda: programme.update_item(self.database, item_id, data, expected=stored),
                )
            )
        if choice is ConflictChoice.DISCARD:
            self.reload()  # show the stored version
        return False

    def delete_item(self, *, confirm: bool = True) -> bool:
        node = self.current_node()
        if not isinstance(node, ItemNode) or self._year is None:
            return False
        year, item_id = self._year, node.id
        recommendations = read_item_recommendation_count(self.database, item_id)
        undoable = not node.has_minutes and not recommendations
        question = self.tr("Den Programmpunkt „{0}“ ({1}) löschen? Die Zeiten danach rücken auf.").format(
            node.title, node.time_range
        )
        if not undoable:
            question += "\n\n" + self.tr(
                "Zu diesem Punkt gibt es ein Protokoll oder Empfehlungen. Sie bleiben erhalten, sind danach "
                "aber keinem Programmpunkt mehr zugeordnet. Das Löschen lässt sich nicht rückgängig machen."
            )
        if confirm and (
            QMessageBox.question(self, self.tr("Programmpunkt löschen"), question)
            != QMessageBox.StandardButton.Yes
        ):
            return False
        row = self.model.row_of_item(item_id)
        data = item_data(node)
        forum_ids = [f.id for f in node.forums]
        title = self.tr("Programmpunkt löschen")
        if not self.ctx.run(
            lambda: succeeded(self, title, lambda: programme.delete_item(self.database, item_id))
        ):
            return False
        if not undoable:
            return True

        def undo() -> None:
            new_id = programme.add_item(self.database, year, data, position=row)
            self._aliases[item_id] = new_id
            if forum_ids:
                programme.assign_forums(self.database, new_id, forum_ids)

        self.ctx.push_change(
            self.tr("Programmpunkt „{0}“ löschen").format(data.title),
            self._guarded(title, lambda: programme.delete_item(self.database, self._resolve(item_id))),
            self._guarded(title, undo),
        )
        next_row = min(row, len(self.model.items) - 1)
        if next_row >= 0:
            self.select_index(self.model.index(next_row, 0))
        return True

    def _move(self, item_id: int, old_position: int, new_position: int) -> bool:
        """The model's move handler (drag and drop, Alt+Pfeil): the service, then undo and announce."""
        title = self.tr("Programmpunkt verschieben")
        if not self.ctx.run(
            lambda: succeeded(self, title, lambda: programme.move_item(self.database, item_id, new_position))
        ):
            # the model shows the old order again; the database may have changed meanwhile
            self.reload()
            return False
        name = next((i.title for i in self.model.items if i.id == item_id), "")
        self.ctx.push_change(
            self.tr("„{0}“ verschieben").format(name),
            self._guarded(
                title, lambda: programme.move_item(self.database, self._resolve(item_id), new_position)
            ),
            self._guarded(
                title, lambda: programme.move_item(self.database, self._resolve(item_id), old_position)
            ),
        )
        return True

    def move_selected(self, step: int) -> bool:
        """Move the chosen item one place up (-1) or down (+1); the selection stays on it."""
        node = self.current_node()
        if not isinstance(node, ItemNode):
            return False
        row = self.model.row_of_item(node.id)
        destination = row - 1 if step < 0 else row + 2
        if not 0 <= destination <= len(self.model.items):
            return False
        moved = self.model.moveRows(QModelIndex(), row, 1, QModelIndex(), destination)
        if moved:
            self.select_item(node.id)
        return moved

    def assign_forums(self) -> None:
        phase = self.current_item()
        conf_id = self.conference_id()
        if phase is None or conf_id is None:
            return
        if phase.item_type is not AgendaItemType.FORUM_PHASE:
            warn(
                self,
                self.tr("Foren zuordnen"),
                self.tr("Foren laufen nur in einem Punkt der Art „Forenphase“."),
            )
            return
        forums = conference_forums(self.database, conf_id)
        titles = {item.id: item.title for item in self.model.items}
        dialog = ForumAssignDialog(forums, phase.id, titles, self, phase_title=phase.title)
        accepted = dialog.exec() == ForumAssignDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return
        self.set_forums(phase.id, dialog.forum_ids())

    def set_forums(self, item_id: int, forum_ids: list[int]) -> bool:
        """Let ``forum_ids`` run in parallel during the Forenphase ``item_id`` (not undoable)."""
        title = self.tr("Foren zuordnen")
        return self.ctx.run(
            lambda: succeeded(self, title, lambda: programme.assign_forums(self.database, item_id, forum_ids))
        )

    # --- paper and Excel ----------------------------------------------------------------------------------

    def export_pdf(self, *, internal: bool = False, path: Path | None = None) -> Path | None:
        """Programm (or Regieplan) as PDF, asking where to save unless ``path`` is given."""
        year = self._year
        if year is None:
            return None
        name = self.tr("Regieplan") if internal else self.tr("Programm")
        target = path or choose_save_path(
            self,
            self.tr("{0} als PDF speichern").format(name),
            f"{name} {year}.pdf",
            self.tr("PDF-Dateien (*.pdf)"),
        )
        if target is None:
            return None
        from ui.paper.canvas import ensure_fonts
        from ui.paper.programme_pdf import write_agenda_pdf

        ensure_fonts()  # fonts are registered in the GUI thread, the file is written in the background
        database = self.database
        return save_in_background(
            self,
            self.tr("{0} als PDF").format(name),
            lambda: write_agenda_pdf(database, year, target, internal=internal),
        )

    def export_excel(self, *, path: Path | None = None) -> Path | None:
        year = self._year
        if year is None:
            return None
        target = path or choose_save_path(
            self,
            self.tr("Programm als Excel speichern"),
            f"Programm {year}.xlsx",
            self.tr(SPREADSHEET_FILTER),
        )
        if target is None:
            return None
        database = self.database

        def work() -> Path:
            rows = read_agenda_rows(database, year)
            return write_workbook(target, [programme.agenda_sheet(rows)])

        return save_in_background(self, self.tr("Programm als Excel"), work)

    # --- window -------------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """The agenda has no search: Strg+F goes to the agenda itself."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid() and self.model.items:
            self.select_index(self.model.index(0, 0))
