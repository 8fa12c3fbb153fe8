"""Protokoll: the minutes of the chosen conference, per agenda item and per forum.

Left the agenda of the conference (items in order, the forums of a Forenphase below it, whether minutes
exist), with the attendance of the whole conference from the check-in; right the ``MinutesEditor`` of the
chosen item or forum. What was typed is saved when another item is chosen (and with Strg+S).
"Protokoll als PDF …" writes the minutes document (``ui.paper.programme_pdf``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from konferenz.programme.reads import read_agenda, read_attendance
from konferenz.storage.changes import AGENDA, CONFERENCES, INVITATIONS, MINUTES, RECOMMENDATIONS
from konferenz.storage.db import Database
from ui.actions import create_minutes_actions
from ui.context import AppContext
from ui.programme.agenda_model import MINUTES_COLUMNS, AgendaModel, ForumNode, ItemNode, agenda_nodes
from ui.programme.minutes_editor import MinutesEditor, attendance_line
from ui.widgets.dialog_tools import action_button, choose_save_path, save_in_background, show_status
from ui.widgets.list_panel import ConferenceListPanel


class MinutesArea(QWidget):
    """Protokoll area."""

    def __init__(self, ctx: AppContext, panel: ConferenceListPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: the window's conference selector (first the newest conference with minutes)
        self.panel = panel
        panel.panel.hide()
        self.setAccessibleName(self.tr("Protokoll"))
        self._year: int | None = None
        self._showing: tuple[type, int] | None = None

        self.model = AgendaModel(MINUTES_COLUMNS, parent=self)
        self.view = QTreeView(self)
        self.view.setObjectName("minutes_view")
        self.view.setAccessibleName(self.tr("Programmpunkte und Foren mit Protokoll"))
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.attendance = QLabel(self)
        self.attendance.setObjectName("minutes_attendance")
        self.attendance.setAccessibleName(self.tr("Teilnahme laut Check-in"))
        self.attendance.setWordWrap(True)
        self.attendance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.editor = MinutesEditor(ctx, self)
        self.area_actions = create_minutes_actions(self)
        for action in self.area_actions.all():
            self.addAction(action)
        a = self.area_actions
        a.save.triggered.connect(self.save)
        a.add_recommendation.triggered.connect(self.editor.add_recommendation)
        a.minutes_pdf.triggered.connect(lambda _checked=False: self.export_pdf())
        self.editor.recommendations_layout.insertWidget(
            0, action_button(a.add_recommendation, self), 0, Qt.AlignmentFlag.AlignLeft
        )

        top = QHBoxLayout()
        top.addWidget(action_button(a.save, self))
        top.addStretch(1)
        top.addWidget(action_button(a.minutes_pdf, self))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.attendance)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # no Tab stop of its own: a focused field scrolls into view
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        em = self.fontMetrics().horizontalAdvance("M")
        self.splitter.setSizes([44 * em, 70 * em])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        panel.model.loaded.connect(self.reload)
        panel.combo.currentIndexChanged.connect(self._on_conference_changed)
        ctx.data_changed.connect(self._on_data_changed)
        self._update_actions()

    # --- loading ----------------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self.ctx.database

    @property
    def year(self) -> int | None:
        return self._year

    def conference_id(self) -> int | None:
        return self.panel.conference_id()

    def _on_conference_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the agenda and attendance of the chosen conference again; keeps the chosen item, and
        what is being typed in the editor."""
        conf_id = self.conference_id()
        conf, agenda = read_agenda(self.database, conf_id)
        year = conf.year if conf else None
        items = agenda_nodes(agenda)
        attendance = read_attendance(self.database, year) if year is not None else {}
        if year != self._year:
            self.editor.save()
            self._showing = None
        self._year = year
        self.model.set_items(items)
        self.view.expandAll()
        self.attendance.setText(
            self.tr("Teilnahme laut Check-in: {0}").format(attendance_line(attendance))
            if year is not None
            else self.tr("Noch keine Konferenz angelegt.")
        )
        node = self.model.node(self.view.currentIndex())
        if node is None and self._showing is not None:
            kind, record_id = self._showing
            index = (
                self.model.index_of_forum(record_id)
                if kind is ForumNode
                else self.model.index_of_item(record_id)
            )
            if index.isValid():
                self.select_index(index)  # shows it
                return
        if node is None and self.model.items:
            self.select_index(self.model.index(0, 0))
            return
        if not self.editor.is_modified():
            self._show_current()
        self._update_actions()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {AGENDA, CONFERENCES, MINUTES, RECOMMENDATIONS, INVITATIONS}:
            self.reload()

    # --- selection ------------------------------------------------------------------------------------

    def select_index(self, index: QModelIndex) -> None:
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def select_item(self, item_id: int) -> None:
        self.select_index(self.model.index_of_item(item_id))

    def select_forum(self, forum_id: int) -> None:
        self.select_index(self.model.index_of_forum(forum_id))

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if self.editor.is_modified():
            name = self.editor.heading.text()
            if self.editor.save():
                show_status(self, self.tr("Protokoll „{0}“ gespeichert").format(name))
        self._show_current()
        self._update_actions()

    def _show_current(self) -> None:
        index = self.view.currentIndex()
        node = self.model.node(index)
        phase = self.model.item_at(index) if isinstance(node, ForumNode) else None
        self._showing = (type(node), node.id) if node is not None else None
        self.editor.show_node(self._year, node, phase=phase)

    def current_node(self) -> ItemNode | ForumNode | None:
        return self.model.node(self.view.currentIndex())

    def _update_actions(self) -> None:
        a = self.area_actions
        has_node = self._year is not None and self.current_node() is not None
        a.save.setEnabled(has_node)
        a.add_recommendation.setEnabled(has_node)
        a.minutes_pdf.setEnabled(self._year is not None)

    # --- commands ---------------------------------------------------------------------------------------

    def save(self) -> bool:
        saved = self.editor.save()
        if saved:
            show_status(self, self.tr("Protokoll „{0}“ gespeichert").format(self.editor.heading.text()))
        return saved

    def export_pdf(self, path: Path | None = None) -> Path | None:
        year = self._year
        if year is None:
            return None
        self.editor.save()
        target = path or choose_save_path(
            self,
            self.tr("Protokoll als PDF speichern"),
            f"Protokoll {year}.pdf",
            self.tr("PDF-Dateien (*.pdf)"),
        )
        if target is None:
            return None
        from ui.paper.canvas import ensure_fonts
        from ui.paper.programme_pdf import write_minutes_pdf

        ensure_fonts()
        database = self.database
        return save_in_background(
            self, self.tr("Protokoll als PDF"), lambda: write_minutes_pdf(database, year, target)
        )

    def focus_search(self) -> None:
        """No search here: Strg+F goes to the list of items."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
