"""Dialogs of the Konferenzen area: create or edit a conference with its forums, copy last year's.

Both dialogs call the core services themselves when the user confirms (``create_conference`` /
``update_conference`` with the forums in the same unit of work, ``copy_conference``) and stay open with
the German message when the service raises a ``UserError``; ``saved_id`` holds the conference afterwards.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences import editing
from konferenz.conferences.reads import conference_titles
from konferenz.errors import ConflictError, UserError
from konferenz.programme import new_conference
from konferenz.storage.db import Database
from ui.conferences.widgets import DateField, TimeField
from ui.widgets.destructive import mark_destructive
from ui.widgets.geometry import remember_geometry
from ui.widgets.registry_dialogs import ConflictChoice, ask_conflict

log = logging.getLogger(__name__)

#: columns of the forum table
FORUM_COLUMNS = ("Titel", "Raum", "Kapazität", "Moderation")


def _capacity_box(parent: QWidget, name: str) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(0, 100_000)
    box.setSpecialValueText(parent.tr("keine Angabe"))
    box.setAccessibleName(name)
    box.setGroupSeparatorShown(True)
    return box


#: the conference fields as the conflict question names them
_FIELD_CAPTIONS = {
    "year": "Jahr",
    "title": "Titel",
    "theme": "Thema",
    "date": "Datum",
    "start_time": "Beginn",
    "end_time": "Ende",
    "venue_name": "Veranstaltungsort",
    "venue_street": "Straße",
    "venue_postal_code": "PLZ",
    "venue_city": "Ort",
    "capacity": "Kapazität",
    "reply_deadline": "Rückmeldefrist",
    "notes": "Notizen",
}


def _shown(value: object) -> str:
    """A field value as the user reads it (German dates and times)."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


class ConferenceDialog(QDialog):
    """Create (``conference_id`` None) or edit a conference and its forums."""

    def __init__(
        self,
        database: Database,
        conference_id: int | None = None,
        parent: QWidget | None = None,
        *,
        year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.conference_id = conference_id
        self.saved_id: int | None = None
        self._version: int | None = None
        self._bookings: dict[int, int] = {}
        new = conference_id is None
        self.setWindowTitle(self.tr("Neue Konferenz") if new else self.tr("Konferenz bearbeiten"))
        self.setAccessibleName(self.windowTitle())

        self.year = QSpinBox(self)
        self.year.setRange(1990, 2100)
        self.year.setAccessibleName(self.tr("Jahr"))
        self.title = QLineEdit(self)
        self.title.setAccessibleName(self.tr("Titel"))
        self.theme = QPlainTextEdit(self)
        self.theme.setAccessibleName(self.tr("Thema"))
        self.theme.setTabChangesFocus(True)
        self.theme.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.date = DateField(self)
        self.date.setAccessibleName(self.tr("Datum"))
        self.start_time = TimeField(self)
        self.start_time.setAccessibleName(self.tr("Beginn"))
        self.end_time = TimeField(self)
        self.end_time.setAccessibleName(self.tr("Ende"))
        self.venue_name = QLineEdit(self)
        self.venue_name.setAccessibleName(self.tr("Veranstaltungsort"))
        self.venue_street = QLineEdit(self)
        self.venue_street.setAccessibleName(self.tr("Straße und Hausnummer des Veranstaltungsorts"))
        self.venue_postal_code = QLineEdit(self)
        self.venue_postal_code.setAccessibleName(self.tr("Postleitzahl des Veranstaltungsorts"))
        self.venue_postal_code.setMaxLength(10)
        self.venue_city = QLineEdit(self)
        self.venue_city.setAccessibleName(self.tr("Ort des Veranstaltungsorts"))
        self.capacity = _capacity_box(self, self.tr("Kapazität des Veranstaltungsorts"))
        self.reply_deadline = DateField(self)
        self.reply_deadline.setAccessibleName(self.tr("Rückmeldefrist"))
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName(self.tr("Notizen"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 12)

        times = QHBoxLayout()
        times.addWidget(self.start_time)
        until = QLabel(self.tr("bis"), self)
        until.setBuddy(self.end_time)
        times.addWidget(until)
        times.addWidget(self.end_time)
        times.addStretch(1)
        place = QHBoxLayout()
        place.addWidget(self.venue_postal_code, 1)
        place.addWidget(self.venue_city, 3)

        form = QFormLayout()
        for text, widget, field in (
            (self.tr("&Jahr:"), self.year, None),
            (self.tr("&Titel:"), self.title, None),
            (self.tr("T&hema:"), self.theme, None),
            (self.tr("&Datum:"), self.date, None),
            (self.tr("&Uhrzeit:"), self.start_time, times),
            (self.tr("&Veranstaltungsort:"), self.venue_name, None),
            (self.tr("&Straße:"), self.venue_street, None),
            (self.tr("&PLZ, Ort:"), self.venue_postal_code, place),
            (self.tr("&Kapazität:"), self.capacity, None),
            (self.tr("&Rückmeldefrist:"), self.reply_deadline, None),
            (self.tr("&Notizen:"), self.notes, None),
        ):
            row_label = QLabel(text, self)
            row_label.setBuddy(widget)
            if field is None:
                form.addRow(row_label, widget)
            else:
                form.addRow(row_label, field)

        self.forums = QTableWidget(0, len(FORUM_COLUMNS), self)
        self.forums.setAccessibleName(self.tr("Foren"))
        self.forums.setHorizontalHeaderLabels([self.tr(c) for c in FORUM_COLUMNS])
        self.forums.verticalHeader().hide()
        self.forums.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.forums.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.forums.setTabKeyNavigation(False)  # Tab leaves the table; arrows move, F2 or typing edits
        self.forums.setToolTip(self.tr("Pfeiltasten wählen eine Zelle, Tippen oder F2 bearbeitet sie"))
        header = self.forums.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
            )
        ):
            header.setSectionResizeMode(column, mode)
        self.add_forum_button = QPushButton(self.tr("&Forum hinzufügen"), self)
        self.remove_forum_button = QPushButton(self.tr("Forum &entfernen"), self)
        mark_destructive(self.remove_forum_button)
        self.up_button = QPushButton(self.tr("Nach o&ben"), self)
        self.down_button = QPushButton(self.tr("N&ach unten"), self)
        for button in (self.add_forum_button, self.remove_forum_button, self.up_button, self.down_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self.add_forum_button.clicked.connect(partial(self.add_forum_row, None, None))
        self.remove_forum_button.clicked.connect(self.remove_forum_row)
        self.up_button.clicked.connect(lambda: self.move_forum_row(-1))
        self.down_button.clicked.connect(lambda: self.move_forum_row(1))
        forum_buttons = QHBoxLayout()
        for button in (self.add_forum_button, self.remove_forum_button, self.up_button, self.down_button):
            forum_buttons.addWidget(button)
        forum_buttons.addStretch(1)
        forum_box = QGroupBox(self.tr("Foren (parallele Arbeitsgruppen)"), self)
        forum_layout = QVBoxLayout(forum_box)
        forum_layout.addWidget(self.forums)
        forum_layout.addLayout(forum_buttons)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Fehler"))
        self.error_label.setStyleSheet("font-weight: bold")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Anlegen") if new else self.tr("Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.addLayout(form, 4)
        columns.addWidget(forum_box, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        if conference_id is not None:
            self._load(conference_id)
        else:
            self.year.setValue(year or dt.date.today().year)
            self.title.setText(self.tr("Integrationskonferenz {0}").format(self.year.value()))
        self.resize(1150, 580)
        remember_geometry(self, "ConferenceDialog")
        self.title.setFocus()

    # --- loading and reading the form --------------------------------------------------------------

    def _load(self, conference_id: int) -> None:
        record = editing.get_conference(self._database, conference_id)
        self._version = record.version
        data = record.data
        self.year.setValue(data.year)
        self.title.setText(data.title)
        self.theme.setPlainText(data.theme)
        self.date.set_date(data.date)
        self.start_time.set_time(data.start_time)
        self.end_time.set_time(data.end_time)
        self.venue_name.setText(data.venue_name)
        self.venue_street.setText(data.venue_street)
        self.venue_postal_code.setText(data.venue_postal_code)
        self.venue_city.setText(data.venue_city)
        self.capacity.setValue(data.capacity or 0)
        self.reply_deadline.set_date(data.reply_deadline)
        self.notes.setPlainText(data.notes)
        for forum in record.forums:
            self.add_forum_row(forum.data, forum.id)
            self._bookings[forum.id] = forum.bookings

    def add_forum_row(self, data: editing.ForumData | None = None, forum_id: int | None = None) -> int:
        """A forum row (empty for the user to fill); returns its row and starts editing a new one."""
        row = self.forums.rowCount()
        self.forums.insertRow(row)
        values = (
            (data.title, data.room, str(data.capacity) if data.capacity is not None else "", data.moderation)
            if data
            else ("", "", "", "")
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, forum_id)
                item.setData(Qt.ItemDataRole.UserRole + 1, data.description if data else "")
            self.forums.setItem(row, column, item)
        if data is None:
            self.forums.setCurrentCell(row, 0)
            self.forums.setFocus()
            first = self.forums.item(row, 0)
            if first is not None:
                self.forums.editItem(first)
        return row

    def remove_forum_row(self) -> None:
        row = self.forums.currentRow()
        if row < 0:
            return
        item = self.forums.item(row, 0)
        forum_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        booked = self._bookings.get(int(forum_id), 0) if forum_id is not None else 0
        if booked:
            answer = QMessageBox.question(
                self,
                self.tr("Forum entfernen"),
                self.tr(
                    "{0} Eingeladene haben das Forum „{1}“ gewählt. Sie behalten ihren Status, aber ohne "
                    "Forum. Das Forum beim Speichern entfernen?"
                ).format(booked, item.text() if item else ""),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.forums.removeRow(row)

    def move_forum_row(self, step: int) -> None:
        row = self.forums.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.forums.rowCount():
            return
        items = [self.forums.takeItem(row, c) for c in range(self.forums.columnCount())]
        others = [self.forums.takeItem(target, c) for c in range(self.forums.columnCount())]
        for column, item in enumerate(items):
            self.forums.setItem(target, column, item)
        for column, item in enumerate(others):
            self.forums.setItem(row, column, item)
        self.forums.setCurrentCell(target, self.forums.currentColumn())

    def forum_rows(self) -> list[tuple[int | None, editing.ForumData]]:
        """The forums as entered; rows without any text are skipped. Raises ValueError for a capacity
        that is no number."""
        result = []
        for row in range(self.forums.rowCount()):

            def text(column: int, row: int = row) -> str:
                item = self.forums.item(row, column)
                return item.text().strip() if item is not None else ""

            if not any(text(c) for c in range(self.forums.columnCount())):
                continue
            capacity_text = text(2).replace(".", "")
            if capacity_text and not capacity_text.isdigit():
                raise ValueError(
                    self.tr("Forum „{0}“: Kapazität „{1}“ ist keine Zahl.").format(text(0), text(2))
                )
            first = self.forums.item(row, 0)
            forum_id = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
            description = first.data(Qt.ItemDataRole.UserRole + 1) if first is not None else ""
            result.append(
                (
                    int(forum_id) if forum_id is not None else None,
                    editing.ForumData(
                        title=text(0),
                        room=text(1),
                        capacity=int(capacity_text) if capacity_text else None,
                        moderation=text(3),
                        description=str(description or ""),
                    ),
                )
            )
        return result

    def conference_data(self) -> editing.ConferenceData:
        """The form as ``ConferenceData``; raises ValueError (German) for a date or time that is none."""
        fields = (
            (self.date, self.tr("Datum")),
            (self.reply_deadline, self.tr("Rückmeldefrist")),
        )
        dates = {}
        for field, name in fields:
            try:
                dates[name] = field.date()
            except ValueError:
                field.setFocus()
                raise ValueError(
                    self.tr("{0}: „{1}“ ist kein Datum (TT.MM.JJJJ).").format(name, field.text())
                ) from None
        times = {}
        for time_field, name in ((self.start_time, self.tr("Beginn")), (self.end_time, self.tr("Ende"))):
            try:
                times[name] = time_field.time()
            except ValueError:
                time_field.setFocus()
                raise ValueError(
                    self.tr("{0}: „{1}“ ist keine Uhrzeit (HH:MM).").format(name, time_field.text())
                ) from None
        return editing.ConferenceData(
            year=self.year.value(),
            title=" ".join(self.title.text().split()),
            theme=self.theme.toPlainText().strip(),
            date=dates[self.tr("Datum")],
            start_time=times[self.tr("Beginn")],
            end_time=times[self.tr("Ende")],
            venue_name=self.venue_name.text().strip(),
            venue_street=self.venue_street.text().strip(),
            venue_postal_code=self.venue_postal_code.text().strip(),
            venue_city=self.venue_city.text().strip(),
            capacity=self.capacity.value() or None,
            reply_deadline=dates[self.tr("Rückmeldefrist")],
            notes=self.notes.toPlainText().strip(),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- saving -------------------------------------------------------------------------------------

    def accept(self) -> None:
        if self.forums.state() == QAbstractItemView.State.EditingState:
            # commit the cell being edited
            self.forums.setCurrentCell(-1, -1)
        try:
            data = self.conference_data()
            forums = self.forum_rows()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        try:
            if self.conference_id is None:
                self.saved_id = new_conference.create_conference(
                    self._database, data, [forum for _id, forum in forums]
                )
            else:
                editing.update_conference(
                    self._database, self.conference_id, data, self._version, forums=forums
                )
                self.saved_id = self.conference_id
        except ConflictError as exc:
            log.info("Konferenz nicht gespeichert: %s", exc)
            if not self._resolve_conflict(exc, data, forums):
                return
        except UserError as exc:
            log.info("Konferenz nicht gespeichert: %s", exc)
            self.show_error(exc.message)
            return
        super().accept()

    def ask_conflict(self, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
        """Both versions side by side (tests replace this method or drive the dialog)."""
        return ask_conflict(self, what, differences)

    def _resolve_conflict(
        self,
        exc: ConflictError,
        data: editing.ConferenceData,
        forums: Sequence[tuple[int | None, editing.ForumData]],
    ) -> bool:
        """The conference was saved at another workplace since this dialog opened: show both versions and
        do what the user chooses. True when the dialog may close (the user's input saved, or discarded)."""
        assert self.conference_id is not None
        try:
            record = editing.get_conference(self._database, self.conference_id)
        except UserError as gone:
            QMessageBox.warning(self, self.windowTitle(), gone.message)
            return False
        stored = record.data
        differences = [
            (caption, _shown(getattr(data, name)), _shown(getattr(stored, name)))
            for name, caption in _FIELD_CAPTIONS.items()
            if getattr(data, name) != getattr(stored, name)
        ]
        choice = self.ask_conflict(self.tr("Konferenz {0}").format(stored.year), differences)
        if choice is ConflictChoice.OVERWRITE:
            try:
                editing.update_conference(
                    self._database, self.conference_id, data, record.version, forums=forums
                )
            except UserError as again:
                self.show_error(again.message)
                return False
            self.saved_id = self.conference_id
            return True
        if choice is ConflictChoice.DISCARD:
            self.saved_id = None
            super().reject()
        return False


class CopyConferenceDialog(QDialog):
    """ "Vorjahr kopieren": a new conference with the venue, times, capacity and forums of an earlier one,
    optionally with its invitees (as *vorgemerkt*)."""

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, from_year: int | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("Vorjahr kopieren"))
        self.setAccessibleName(self.windowTitle())
        with database.read_session() as s:
            conferences = conference_titles(s)
        self._titles = {c.year: c.title for c in conferences}
        self.source = QComboBox(self)
        self.source.setAccessibleName(self.tr("Konferenz, die kopiert wird"))
        for c in conferences:
            self.source.addItem(f"{c.year} – {c.title}", c.year)
        if from_year is not None:
            self.source.setCurrentIndex(max(self.source.findData(from_year), 0))
        self.target_year = QSpinBox(self)
        self.target_year.setRange(1990, 2100)
        self.target_year.setAccessibleName(self.tr("Jahr der neuen Konferenz"))
        self.title = QLineEdit(self)
        self.title.setAccessibleName(self.tr("Titel der neuen Konferenz"))
        self.date = DateField(self)
        self.date.setAccessibleName(self.tr("Datum der neuen Konferenz"))
        self.copy_invitees = QCheckBox(self.tr("&Eingeladene übernehmen (als „vorgemerkt“)"), self)
        self.copy_invitees.setAccessibleName(self.tr("Eingeladene übernehmen"))
        info = QLabel(
            self.tr(
                "Übernommen werden Veranstaltungsort mit Anschrift, Uhrzeiten, Kapazität und Foren. Thema, "
                "Datum und Rückmeldefrist tragen Sie danach unter „Bearbeiten“ ein."
            ),
            self,
        )
        info.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Fehler"))
        self.error_label.hide()

        form = QFormLayout()
        for text, widget in (
            (self.tr("&Von:"), self.source),
            (self.tr("&Neues Jahr:"), self.target_year),
            (self.tr("&Titel:"), self.title),
            (self.tr("&Datum:"), self.date),
        ):
            row_label = QLabel(text, self)
            row_label.setBuddy(widget)
            form.addRow(row_label, widget)
        form.addRow(self.copy_invitees)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Kopieren"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(bool(conferences))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(info)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.source.currentIndexChanged.connect(self._on_source_chosen)
        self.target_year.valueChanged.connect(self._suggest_title)
        self._suggested = ""
        self._on_source_chosen()
        remember_geometry(self, "CopyConferenceDialog")
        self.target_year.setFocus()

    def from_year(self) -> int | None:
        value = self.source.currentData()
        return int(value) if value is not None else None

    def _on_source_chosen(self, _index: int = 0) -> None:
        year = self.from_year()
        if year is None:
            return
        target = year + 1
        while target in self._titles:
            target += 1
        self.target_year.setValue(target)
        self._suggest_title()

    def _suggest_title(self) -> None:
        year = self.from_year()
        if year is None:
            return
        suggestion = self._titles[year].replace(str(year), str(self.target_year.value()))
        if not self.title.text() or self.title.text() == self._suggested:
            self.title.setText(suggestion)
        self._suggested = suggestion

    def accept(self) -> None:
        from_year = self.from_year()
        if from_year is None:
            return
        try:
            date = self.date.date()
        except ValueError:
            self.error_label.setText(
                self.tr("Datum: „{0}“ ist kein Datum (TT.MM.JJJJ).").format(self.date.text())
            )
            self.error_label.show()
            return
        try:
            self.saved_id = new_conference.copy_conference(
                self._database,
                from_year,
                self.target_year.value(),
                title=" ".join(self.title.text().split()) or None,
                date=date,
                copy_invitees=self.copy_invitees.isChecked(),
            )
        except UserError as exc:
            log.info("Konferenz nicht kopiert: %s", exc)
            self.error_label.setText(exc.message)
            self.error_label.show()
            return
        super().accept()
