"""Small parts shared by the conference windows: date and time fields that may stay empty, the quick
person dialog, and the question asked before a seat is overbooked (remembered geometry: ``ui.widgets.geometry``)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.lists.registry import organisation_choices
from konferenz.registry.persons import create_person
from konferenz.registry.validation import PersonData, RoleData
from konferenz.storage.db import Database
from ui.widgets.geometry import remember_geometry


def run_dialog(dialog: QDialog) -> bool:
    """``exec()`` a modal dialog and free it afterwards (its Python attributes stay readable); True when
    the user confirmed it."""
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted


# --- dates and times that may be empty ---------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    """TT.MM.JJJJ (also TT.MM.JJ and JJJJ-MM-TT); "" is no date. Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_time(text: str) -> dt.time | None:
    """HH:MM (also H, HH.MM, HHMM); "" is no time. Raises ValueError for anything else."""
    text = text.strip().removesuffix("Uhr").strip()
    if not text:
        return None
    if text.isdigit() and len(text) <= 2:
        text += ":00"  # "9" or "16": the full hour
    for fmt in ("%H:%M", "%H.%M", "%H%M"):
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError(text)


class DateField(QLineEdit):
    """A date typed as TT.MM.JJJJ; may stay empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("TT.MM.JJJJ"))
        self.setMaxLength(10)

    def set_date(self, value: dt.date | None) -> None:
        self.setText(value.strftime("%d.%m.%Y") if value else "")

    def date(self) -> dt.date | None:
        """The date, or None when empty; raises ValueError for text that is no date."""
        return parse_date(self.text())


class TimeField(QLineEdit):
    """A time typed as HH:MM; may stay empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("HH:MM"))
        self.setMaxLength(9)

    def set_time(self, value: dt.time | None) -> None:
        self.setText(value.strftime("%H:%M") if value else "")

    def time(self) -> dt.time | None:
        return parse_time(self.text())


# --- capacity ---------------------------------------------------------------------------------------------


class Overbooking(Enum):
    """The answer to ``ask_overbooking``."""

    OVERBOOK = "overbook"
    WAITLIST = "waitlist"
    CANCEL = "cancel"


def ask_overbooking(parent: QWidget | None, warnings: list[str], *, who: str = "") -> Overbooking:
    """Ask before a reply overbooks the venue or a forum: overbook, waiting list, or cancel."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(box.tr("Kapazität überschritten"))
    intro = box.tr("Die Zusage von {0} würde überbuchen:").format(who) if who else box.tr("Überbuchung:")
    box.setText(intro + "\n\n" + "\n".join(f"• {w}" for w in warnings))
    box.setInformativeText(box.tr("Trotzdem zusagen, auf die Warteliste setzen oder abbrechen?"))
    overbook = box.addButton(box.tr("&Trotzdem zusagen (überbuchen)"), QMessageBox.ButtonRole.AcceptRole)
    waitlist = box.addButton(box.tr("Auf die &Warteliste setzen"), QMessageBox.ButtonRole.ActionRole)
    cancel = box.addButton(box.tr("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(waitlist)
    box.setEscapeButton(cancel)
    box.setAccessibleName(box.tr("Kapazität überschritten"))
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is overbook:
        return Overbooking.OVERBOOK
    if clicked is waitlist:
        return Overbooking.WAITLIST
    return Overbooking.CANCEL


# --- a person in a hurry: a walk-in at the entrance, a substitute taken into the register ------------------


def split_name(full: str) -> tuple[str, str]:
    """ "Anna Maria Schulte" → ("Anna Maria", "Schulte"); "Schulte, Anna" → ("Anna", "Schulte")."""
    full = " ".join(full.split())
    if "," in full:
        last, _sep, first = full.partition(",")
        return first.strip(), last.strip()
    first, _sep, last = full.rpartition(" ")
    return first, last


class QuickPersonDialog(QDialog):
    """A minimal form for a new person of the register: name, organisation, e-mail and phone.

    ``person_id`` holds the new person's id after the dialog was accepted (``konferenz.registry.persons.create_person``).
    """

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        title: str = "",
        name: str = "",
        organisation_id: int | None = None,
        font_scale: float = 1.0,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.person_id: int | None = None
        self.setWindowTitle(title or self.tr("Neue Person"))
        self.setAccessibleName(self.windowTitle())
        if font_scale != 1.0:
            font = self.font()
            font.setPointSizeF(font.pointSizeF() * font_scale)
            self.setFont(font)
        first, last = split_name(name)
        self.first_name = QLineEdit(first, self)
        self.first_name.setAccessibleName(self.tr("Vorname"))
        self.last_name = QLineEdit(last, self)
        self.last_name.setAccessibleName(self.tr("Nachname (Pflicht)"))
        self.organisation = QComboBox(self)
        self.organisation.setAccessibleName(self.tr("Organisation"))
        self.organisation.setEditable(True)
        self.organisation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organisation.addItem(self.tr("(keine)"), None)
        with database.read_session() as s:
            for org_id, org_name in organisation_choices(s):
                self.organisation.addItem(org_name, org_id)
        completer = self.organisation.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        index = self.organisation.findData(organisation_id) if organisation_id is not None else 0
        self.organisation.setCurrentIndex(max(index, 0))
        self.email = QLineEdit(self)
        self.email.setAccessibleName(self.tr("E-Mail"))
        self.phone = QLineEdit(self)
        self.phone.setAccessibleName(self.tr("Telefon"))
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Fehler"))
        self.error_label.hide()

        form = QFormLayout()
        for label, widget in (
            (self.tr("&Vorname:"), self.first_name),
            (self.tr("&Nachname:"), self.last_name),
            (self.tr("&Organisation:"), self.organisation),
            (self.tr("&E-Mail:"), self.email),
            (self.tr("&Telefon:"), self.phone),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Anlegen"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        (self.last_name if first and not last else self.first_name).setFocus()
        remember_geometry(self, "QuickPersonDialog")

    def organisation_id(self) -> int | None:
        text = self.organisation.currentText().strip()
        index = self.organisation.findText(text, Qt.MatchFlag.MatchFixedString)
        value = self.organisation.itemData(index) if index >= 0 else None
        return int(value) if value is not None else None

    def data(self) -> PersonData:
        org_id = self.organisation_id()
        return PersonData(
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            roles=[RoleData(organisation_id=org_id, is_primary=True)] if org_id is not None else [],
        )

    def accept(self) -> None:
        try:
            self.person_id = create_person(self._database, self.data())
        except UserError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            self.last_name.setFocus()
            return
        super().accept()
