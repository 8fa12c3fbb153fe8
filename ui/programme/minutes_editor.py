"""The minutes of one agenda item or forum: notes, results, rapporteur, attendance, recommendations.

``MinutesEditor`` shows one node of the agenda (``ui.programme.agenda_model.ItemNode`` or ``ForumNode``):

- who took part (for a forum: its own check-ins, by category; for an item: the whole conference),
- Notizen, Ergebnisse and Berichterstattung, saved with ``konferenz.programme.service.save_minutes`` (undoable),
- the recommendations that came from it, and "Empfehlung hinzufügen …",
- for the item "Sachstand der Empfehlungen aus YEAR": the recommendations of earlier years that are
  still open or in progress (and those updated here already), each with a new status and a note; saving
  records them with ``update_status(…, minutes_entry_id=…)`` under the date of the report.

``save()`` writes everything that was changed; the area calls it before another node is shown, so
nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import AgendaItemType, RecommendationStatus, label
from konferenz.errors import ConflictError, UserError
from konferenz.lists.source import format_date
from konferenz.programme import service as programme
from konferenz.programme.reads import read_node_minutes
from konferenz.storage.db import Database
from ui.context import AppContext
from ui.programme.agenda_dialog import plain_text_edit
from ui.programme.agenda_model import ForumNode, ItemNode
from ui.programme.recommendation_dialog import RecommendationDialog, date_edit, from_qdate, to_qdate
from ui.widgets.dialog_tools import attempt, succeeded, warn
from ui.widgets.registry_dialogs import ConflictChoice, ask_conflict


def attendance_line(counts: dict[str, int]) -> str:
    """ "99 Personen: Kommune 31, Migrantenselbstorganisation 14, …"."""
    total = sum(counts.values())
    if not total:
        return "niemand eingecheckt"
    people = "1 Person" if total == 1 else f"{total} Personen"
    return f"{people}: " + ", ".join(f"{name} {n}" for name, n in counts.items() if n)


@dataclass
class StatusRow:
    """One open recommendation in the status report, with the widgets that change it."""

    recommendation_id: int
    status: RecommendationStatus
    combo: QComboBox
    note: QLineEdit

    def new_status(self) -> RecommendationStatus:
        # Qt hands a StrEnum back as its plain value
        return RecommendationStatus(str(self.combo.currentData()))

    def changed(self) -> bool:
        return self.new_status() is not self.status or bool(self.note.text().strip())


class MinutesEditor(QWidget):
    """Editor of the minutes of one agenda item or forum."""

    #: the minutes or recommendations were saved
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Protokoll des Punkts"))
        self.year: int | None = None
        self.node: ItemNode | ForumNode | None = None
        self._conf_date: dt.date | None = None
        self._loaded = programme.MinutesData()
        self._entry_id: int | None = None
        self.status_rows: list[StatusRow] = []

        self.heading = QLabel(self)
        self.heading.setObjectName("minutes_heading")
        self.heading.setAccessibleName(self.tr("Programmpunkt"))
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.info = QLabel(self)
        self.info.setObjectName("minutes_info")
        self.info.setAccessibleName(self.tr("Zeit, Raum und Teilnahme"))
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.notes_edit = plain_text_edit(self.tr("Notizen"), lines=4, parent=self)
        self.results_edit = plain_text_edit(self.tr("Ergebnisse"), lines=4, parent=self)
        self.rapporteur_edit = QLineEdit(self)
        self.rapporteur_edit.setAccessibleName(self.tr("Berichterstattung"))
        self.rapporteur_edit.setPlaceholderText(self.tr("Wer hat protokolliert oder berichtet?"))
        form = QFormLayout()
        form.addRow(self._label(self.tr("&Notizen:"), self.notes_edit), self.notes_edit)
        form.addRow(self._label(self.tr("&Ergebnisse:"), self.results_edit), self.results_edit)
        form.addRow(self._label(self.tr("Be&richterstattung:"), self.rapporteur_edit), self.rapporteur_edit)

        self.recommendations = QTreeWidget(self)
        self.recommendations.setObjectName("minutes_recommendations")
        self.recommendations.setAccessibleName(self.tr("Empfehlungen aus diesem Punkt"))
        self.recommendations.setHeaderLabels(
            [self.tr("Empfehlung"), self.tr("Zuständig"), self.tr("Fällig"), self.tr("Status")]
        )
        self.recommendations.setRootIsDecorated(False)
        self.recommendations.setAlternatingRowColors(True)
        self.recommendations.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recommendations.header().setStretchLastSection(False)
        self.recommendations.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.recommendations.header().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.recommendations.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.recommendations.setMaximumHeight(self.fontMetrics().lineSpacing() * 10)
        self.recommendations_box = QGroupBox(self.tr("Empfehlungen aus diesem Punkt"), self)
        self.recommendations_layout = QVBoxLayout(self.recommendations_box)
        self.recommendations_layout.addWidget(self.recommendations)

        # the status report of earlier recommendations ("Sachstand der Empfehlungen aus …")
        self.status_box = QGroupBox(self.tr("Sachstand der offenen Empfehlungen früherer Jahre"), self)
        self.status_box.setObjectName("status_box")
        self.status_date = date_edit(self.tr("Datum des Sachstands"), self)
        status_hint = QLabel(
            self.tr(
                "Neuer Status und Vermerk je Empfehlung; gespeichert mit „Protokoll speichern“ (Strg+S)."
            ),
            self,
        )
        status_hint.setWordWrap(True)
        date_row = QHBoxLayout()
        date_label = self._label(self.tr("&Datum des Sachstands:"), self.status_date)
        date_row.addWidget(date_label)
        date_row.addWidget(self.status_date)
        date_row.addStretch(1)
        self.status_grid_host = QWidget(self)
        self.status_grid = QGridLayout(self.status_grid_host)
        self.status_grid.setColumnStretch(0, 3)
        self.status_grid.setColumnStretch(2, 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.status_grid_host)
        scroll.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        status_layout = QVBoxLayout(self.status_box)
        status_layout.addWidget(status_hint)
        status_layout.addLayout(date_row)
        status_layout.addWidget(scroll, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.info)
        layout.addLayout(form)
        layout.addWidget(self.status_box, 3)
        layout.addWidget(self.recommendations_box, 1)
        layout.addStretch(0)
        self.show_node(None, None)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        widget = QLabel(text, self)
        widget.setBuddy(buddy)
        return widget

    @property
    def database(self) -> Database:
        return self.ctx.database

    # --- showing ----------------------------------------------------------------------------------------

    def show_node(
        self, year: int | None, node: ItemNode | ForumNode | None, *, phase: ItemNode | None = None
    ) -> None:
        """Show the minutes of ``node`` (an item, or a forum of the Forenphase ``phase``)."""
        self.year, self.node = year, node
        editable = year is not None and node is not None
        for widget in (self.notes_edit, self.results_edit, self.rapporteur_edit):
            widget.setEnabled(editable)
        self._clear_status_rows()
        is_report = isinstance(node, ItemNode) and node.item_type is AgendaItemType.STATUS_REPORT
        self.status_box.setVisible(is_report)
        # the status report's list needs the room; otherwise notes and results get it
        for edit in (self.notes_edit, self.results_edit):
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * (4 if is_report else 9) + 12)
        self.recommendations.clear()
        if year is None or node is None:
            self.heading.setText(self.tr("Kein Punkt ausgewählt"))
            self.info.setText(self.tr("Links einen Programmpunkt oder ein Forum auswählen."))
            self._set_fields(programme.MinutesData())
            self._entry_id = None
            return
        forum_id = node.id if isinstance(node, ForumNode) else None
        item_id = node.id if isinstance(node, ItemNode) else None
        read = read_node_minutes(
            self.database, year, item_id=item_id, forum_id=forum_id, status_report=is_report
        )
        self._conf_date = read.conference_date
        self._entry_id = read.entry_id
        data, attendance = read.data, read.attendance
        recommendations, status_rows = read.recommendations, read.status_candidates
        if isinstance(node, ForumNode):
            self.heading.setText(node.label)
            parts = [
                self.tr("{0}, {1}").format(phase.time_range, phase.title) if phase else "",
                self.tr("Raum {0}").format(node.room) if node.room else "",
                self.tr("Moderation: {0}").format(node.moderation) if node.moderation else "",
            ]
            who = self.tr("Teilnahme im Forum laut Check-in: {0}").format(attendance_line(attendance))
        else:
            self.heading.setText(node.title)
            parts = [
                node.time_range,
                label(node.item_type),
                self.tr("Raum {0}").format(node.room) if node.room else "",
            ]
            who = self.tr("Teilnahme an der Konferenz laut Check-in: {0}").format(attendance_line(attendance))
        self.info.setText(" · ".join(p for p in parts if p) + "\n" + who)
        self._set_fields(data)
        for row in recommendations:
            entry_item = QTreeWidgetItem(
                [row.text, row.responsible, format_date(row.due_date), row.status_label]
            )
            entry_item.setToolTip(0, row.text)
            entry_item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            self.recommendations.addTopLevelItem(entry_item)
        if is_report:
            self.status_date.setDate(to_qdate(self._conf_date or dt.date.today()))
            self._fill_status_rows(status_rows)

    def _clear_status_rows(self) -> None:
        while self.status_grid.count():
            item = self.status_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.status_rows = []

    def _fill_status_rows(self, rows: list[programme.RecommendationRow]) -> None:
        heads = [self.tr("Empfehlung"), self.tr("Neuer Status"), self.tr("Vermerk")]
        for column, text in enumerate(heads):
            head = QLabel(f"<b>{text}</b>", self.status_grid_host)
            self.status_grid.addWidget(head, 0, column)
        if not rows:
            self.status_grid.addWidget(
                QLabel(self.tr("Keine offenen Empfehlungen aus früheren Jahren."), self.status_grid_host),
                1,
                0,
                1,
                3,
            )
        for number, row in enumerate(rows, start=1):
            due = self.tr(", fällig {0}").format(format_date(row.due_date)) if row.due_date else ""
            caption = QLabel(
                self.tr("{0} ({1}) – {2}{3}; bisher: {4}").format(
                    row.text, row.year, row.responsible or self.tr("zuständig: offen"), due, row.status_label
                ),
                self.status_grid_host,
            )
            caption.setWordWrap(True)
            caption.setToolTip(self.tr("Letzter Vermerk: {0}").format(row.last_note) if row.last_note else "")
            combo = QComboBox(self.status_grid_host)
            combo.setAccessibleName(self.tr("Neuer Status: {0}").format(row.text))
            for status in RecommendationStatus:
                combo.addItem(label(status), status)
            combo.setCurrentIndex(combo.findData(row.status))
            note = QLineEdit(self.status_grid_host)
            note.setAccessibleName(self.tr("Vermerk: {0}").format(row.text))
            note.setPlaceholderText(self.tr("z. B. Gespräch mit Schulamt geführt"))
            caption.setBuddy(combo)
            self.status_grid.addWidget(caption, number, 0)
            self.status_grid.addWidget(combo, number, 1, Qt.AlignmentFlag.AlignTop)
            self.status_grid.addWidget(note, number, 2, Qt.AlignmentFlag.AlignTop)
            self.status_rows.append(StatusRow(row.id, row.status, combo, note))
        self.status_grid.setRowStretch(len(rows) + 2, 1)

    def _set_fields(self, data: programme.MinutesData) -> None:
        self._loaded = data
        self.notes_edit.setPlainText(data.notes)
        self.results_edit.setPlainText(data.results)
        self.rapporteur_edit.setText(data.rapporteur)

    # --- saving -----------------------------------------------------------------------------------------

    def data(self) -> programme.MinutesData:
        return programme.MinutesData(
            notes=self.notes_edit.toPlainText().strip(),
            results=self.results_edit.toPlainText().strip(),
            rapporteur=self.rapporteur_edit.text().strip(),
        )

    def minutes_modified(self) -> bool:
        return self.node is not None and self.data() != programme.MinutesData(
            self._loaded.notes.strip(), self._loaded.results.strip(), self._loaded.rapporteur.strip()
        )

    def is_modified(self) -> bool:
        return self.minutes_modified() or any(row.changed() for row in self.status_rows)

    def _save_minutes(self, data: programme.MinutesData) -> int | None:
        """Write the minutes (creating the entry) and put the change on the undo stack; what was written
        is announced."""
        return self.ctx.run(lambda: self._write_minutes(data))

    def _write_minutes(self, data: programme.MinutesData) -> int | None:
        year, node = self.year, self.node
        if year is None or node is None:
            return None
        item_id = node.id if isinstance(node, ItemNode) else None
        forum_id = node.id if isinstance(node, ForumNode) else None
        old = self._loaded
        database = self.database
        title = self.tr("Protokoll speichern")

        def write(content: programme.MinutesData, expected: programme.MinutesData | None = None) -> int:
            return programme.save_minutes(
                database, year, content, item_id=item_id, forum_id=forum_id, expected=expected
            )

        entry_id: int | None
        try:
            entry_id = write(data, old)
        except ConflictError as exc:
            stored = exc.current
            assert isinstance(stored, programme.MinutesData)
            captions = (self.tr("Notizen"), self.tr("Ergebnisse"), self.tr("Berichterstattung"))
            differences = [
                (caption, mine, theirs)
                for caption, mine, theirs in zip(
                    captions,
                    (data.notes, data.results, data.rapporteur),
                    (stored.notes, stored.results, stored.rapporteur),
                    strict=True,
                )
                if mine.strip() != theirs.strip()
            ]
            name = node.label if isinstance(node, ForumNode) else node.title
            choice = self.ask_conflict(self.tr("Protokoll „{0}“").format(name), differences)
            if choice is ConflictChoice.DISCARD:
                self._set_fields(stored)
                return None
            if choice is not ConflictChoice.OVERWRITE:
                return None
            old = stored
            # a third change made while the question was open is caught again (and shown again)
            entry_id = attempt(self, title, lambda: write(data, stored))
        except UserError as exc:
            warn(self, title, exc)
            return None
        if entry_id is None:
            return None
        self._entry_id = entry_id
        self._loaded = data
        if data != old:
            name = node.label if isinstance(node, ForumNode) else node.title
            self.ctx.push_change(
                self.tr("Protokoll „{0}“").format(name),
                lambda: attempt(self, title, lambda: write(data)),
                lambda: attempt(self, title, lambda: write(old)),
            )
        return entry_id

    def ask_conflict(self, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
        """Both versions side by side (tests replace this method or drive the dialog)."""
        return ask_conflict(self, what, differences)

    def save(self) -> bool:
        """Save the minutes and the status report of this node; False when something failed."""
        if self.node is None or self.year is None:
            return False
        changed_rows = [row for row in self.status_rows if row.changed()]
        minutes_changed = self.minutes_modified()
        if not minutes_changed and not changed_rows:
            return True
        entry_id = (
            self._save_minutes(self.data()) if minutes_changed or self._entry_id is None else self._entry_id
        )
        if entry_id is None:
            return False
        if changed_rows:
            on = from_qdate(self.status_date.date())
            database = self.database
            title = self.tr("Sachstand speichern")
            with self.ctx.announcing():
                for row in changed_rows:
                    status = row.new_status()
                    note = row.note.text().strip() or self.tr("Sachstand: {0}").format(label(status))
                    rec_id = row.recommendation_id

                    def write(
                        rec_id: int = rec_id, status: RecommendationStatus = status, note: str = note
                    ) -> None:
                        programme.update_status(
                            database, rec_id, status, note, on=on, minutes_entry_id=entry_id
                        )

                    if not succeeded(self, title, write):
                        break
                    row.status = status
                    row.note.clear()
        self.saved.emit()
        return True

    def add_recommendation(self) -> int | None:
        """Ask for a recommendation from this node and store it (the minutes are saved first)."""
        year, node = self.year, self.node
        if year is None or node is None:
            return None
        name = node.label if isinstance(node, ForumNode) else node.title
        default_due = (self._conf_date or dt.date.today()) + dt.timedelta(days=365)
        dialog = RecommendationDialog(lambda: self.database, self, source=name, default_due=default_due)
        accepted = dialog.exec() == RecommendationDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return None
        return self.store_recommendation(dialog.data())

    def store_recommendation(self, data: programme.RecommendationData) -> int | None:
        year, node = self.year, self.node
        if year is None or node is None:
            return None
        if not self.save():
            return None
        entry_id = self._entry_id if self._entry_id is not None else self._save_minutes(self.data())
        data.item_id = node.id if isinstance(node, ItemNode) else None
        data.forum_id = node.id if isinstance(node, ForumNode) else None
        data.minutes_entry_id = entry_id
        database = self.database
        rec_id = self.ctx.run(
            lambda: attempt(
                self,
                self.tr("Empfehlung hinzufügen"),
                lambda: programme.add_recommendation(database, year, data),
            )
        )
        return rec_id
