"""A new recommendation (Handlungsempfehlung) from an agenda item or forum.

Text, responsible party and due date. The responsible party may be an organisation or a person of the
register (offered while typing), or free text for a department that is not in the register ("Schulamt");
a name typed without taking an offer is kept as free text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from konferenz.programme.service import RecommendationData
from konferenz.storage.db import Database
from ui.programme.agenda_dialog import plain_text_edit
from ui.widgets.geometry import remember_geometry
from ui.widgets.registry_completer import RegistryCompleter, organisation_matches, person_matches


def date_edit(accessible_name: str, parent: QWidget | None = None) -> QDateEdit:
    """A date field (TT.MM.JJJJ, calendar on Alt+Pfeil nach unten) named for screen readers, its inner
    line edit included."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setAccessibleName(accessible_name)
    inner = edit.findChild(QLineEdit)
    if inner is not None:
        inner.setAccessibleName(accessible_name)
    return edit


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class RecommendationDialog(QDialog):
    """Text, responsible party and due date of a new recommendation."""

    def __init__(
        self,
        database: Callable[[], Database],
        parent: QWidget | None = None,
        *,
        source: str = "",
        default_due: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Empfehlung hinzufügen"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(self.tr("Aus: {0}").format(source) if source else "", self)
        intro.setWordWrap(True)
        self.text_edit = plain_text_edit(self.tr("Text der Empfehlung"), lines=4, parent=self)
        self.organisation_edit = QLineEdit(self)
        self.organisation_edit.setAccessibleName(self.tr("Zuständige Organisation"))
        self.organisation_edit.setPlaceholderText(self.tr("aus dem Adressbestand"))
        self.organisation_completer = RegistryCompleter(
            self.organisation_edit, database, organisation_matches
        )
        self.person_edit = QLineEdit(self)
        self.person_edit.setAccessibleName(self.tr("Zuständige Person"))
        self.person_edit.setPlaceholderText(self.tr("aus dem Adressbestand"))
        self.person_completer = RegistryCompleter(self.person_edit, database, person_matches)
        self.free_edit = QLineEdit(self)
        self.free_edit.setAccessibleName(self.tr("Zuständig, sonstige Angabe"))
        self.free_edit.setPlaceholderText(self.tr("z. B. Schulamt, Jobcenter, Städte und Gemeinden"))
        self.due_check = QCheckBox(self.tr("&Fällig am:"), self)
        self.due_check.setAccessibleName(self.tr("Fälligkeitsdatum angeben"))
        self.due_edit = date_edit(self.tr("Fällig am"), self)
        self.due_edit.setDate(to_qdate(default_due or dt.date.today().replace(month=12, day=31)))
        self.due_check.setChecked(True)
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName(self.tr("Hinweis"))
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self._label(self.tr("&Empfehlung:"), self.text_edit), self.text_edit)
        form.addRow(
            self._label(self.tr("Zuständig – &Organisation:"), self.organisation_edit), self.organisation_edit
        )
        form.addRow(self._label(self.tr("Zuständig – &Person:"), self.person_edit), self.person_edit)
        form.addRow(self._label(self.tr("Zuständig – &sonstige:"), self.free_edit), self.free_edit)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_edit)
        due_row.addStretch(1)
        form.addRow(self.due_check, due_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Hinzufügen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if source:
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(600, self.sizeHint().height())
        remember_geometry(self, "RecommendationDialog")

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        widget = QLabel(text, self)
        widget.setBuddy(buddy)
        return widget

    def data(self) -> RecommendationData:
        """The recommendation; names typed without taking an offer from the register become free text."""
        organisation_id = self.organisation_completer.chosen_id
        person_id = self.person_completer.chosen_id
        free = [self.free_edit.text().strip()]
        if organisation_id is None:
            free.insert(0, self.organisation_edit.text().strip())
        if person_id is None:
            free.insert(1, self.person_edit.text().strip())
        return RecommendationData(
            text=self.text_edit.toPlainText().strip(),
            responsible_organisation_id=organisation_id,
            responsible_person_id=person_id,
            responsible_text=", ".join(p for p in free if p),
            due_date=from_qdate(self.due_edit.date()) if self.due_check.isChecked() else None,
        )

    def accept(self) -> None:
        if not self.text_edit.toPlainText().strip():
            self.error_label.setText(self.tr("Hinweis: Bitte den Text der Empfehlung angeben."))
            self.error_label.show()
            self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()
