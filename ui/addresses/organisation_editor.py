"""The organisation editor of the Adressen area: every field, the contact persons and the history.

Tabs: "Stammdaten" (name, department, short name, category, municipality, address, contact, website,
tags, notes), "Ansprechpersonen" (persons with a role here; Eingabetaste or double click opens the
person) and "Verlauf". Saving, conflicts and deleting: see ``ui.addresses.record_editor``; duplicates by name and
e-mail: ``konferenz.registry.duplicates.find_organisation_duplicates_for``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.lists.registry import contacts_of
from konferenz.registry import duplicates, organisations, validation
from konferenz.registry.validation import FieldError, OrganisationData, OrganisationRecord
from konferenz.storage.changes import ORGANISATIONS, PERSONS
from ui.addresses import ops as registry_ops
from ui.addresses.record_editor import RecordEditor
from ui.context import AppContext
from ui.widgets.registry_dialogs import DuplicateCandidate

_IDENTITY_FIELDS = ("name", "department", "email")


class OrganisationEditor(RecordEditor):
    """Edit one organisation (or enter a new one)."""

    entity_type = "organisation"
    watched_kinds = frozenset({ORGANISATIONS, PERSONS})

    #: the user wants to see a contact person (double click in "Ansprechpersonen")
    show_person = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName(self.tr("Organisation bearbeiten"))
        self._loaded_identity: tuple[str, ...] | None = None
        self.clear()

    def _build_form(self) -> None:
        self.tabs.setAccessibleName(self.tr("Angaben zur Organisation"))
        self.tabs.tabBar().setAccessibleName(
            self.tr("Angaben zur Organisation: Stammdaten, Ansprechpersonen, Verlauf")
        )

        form = self.add_section(self.tr("Name"))
        self.name = self.add_field(
            form,
            self.tr("&Name: *"),
            "name",
            self.line(),
            name=self.tr("Name der Organisation (Pflichtfeld)"),
        )
        self.department = self.add_field(
            form,
            self.tr("Abteilun&g:"),
            "department",
            self.line(self.tr("Abteilung oder zweite Namenszeile")),
        )
        self.short_name = self.add_field(
            form, self.tr("Kurzna&me:"), "short_name", self.line(self.tr("z. B. TIG, AWO"))
        )
        self.add_assignment_section(self.tr("(keine)"))
        self.add_address_section()
        form = self.add_section(self.tr("Kontakt"))
        self.email = self.add_field(
            form, self.tr("&E-Mail:"), "email", self.line(self.tr("info@beispiel.de"))
        )
        self.phone = self.add_field(form, self.tr("&Telefon:"), "phone", self.line())
        self.website = self.add_field(
            form, self.tr("&Internetseite:"), "website", self.line(self.tr("www.beispiel.de"))
        )
        form = self.add_section(self.tr("Notizen"))
        self.notes = self.notes_edit()
        self.add_field(form, self.tr("Noti&zen:"), "notes", self.notes)
        self.finish_form()

        page = QWidget()
        column = QVBoxLayout(page)
        self.contacts_label = QLabel(page)
        self.contacts_label.setWordWrap(True)
        self.contacts = QTableWidget(0, 4, page)
        self.contacts.setAccessibleName(self.tr("Ansprechpersonen der Organisation"))
        self.contacts.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Funktion"), self.tr("Abteilung"), self.tr("Hauptrolle")]
        )
        self.contacts.verticalHeader().hide()
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contacts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.contacts.setTabKeyNavigation(False)
        header = self.contacts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.contacts.activated.connect(self._open_contact)
        self.contacts.doubleClicked.connect(self._open_contact)
        hint = QLabel(self.tr("Eingabetaste oder Doppelklick zeigt die Person."), page)
        column.addWidget(self.contacts_label)
        column.addWidget(self.contacts, 1)
        column.addWidget(hint)
        self.tabs.addTab(page, self.tr("Ansprechpersonen"))
        self.tabs.addTab(self.history, self.tr("Verlauf"))
        self.delete_button.setAccessibleName(self.tr("Organisation löschen"))
        self.save_button.setAccessibleName(self.tr("Organisation speichern"))
        self.revert_button.setAccessibleName(self.tr("Eingaben zur Organisation verwerfen"))

    def first_field(self) -> QWidget:
        return self.name

    def empty_text(self) -> str:
        return self.tr(
            "Links eine Organisation wählen (Pfeiltasten, Eingabetaste oder F2 zum Bearbeiten) oder mit "
            "Strg+Umschalt+O eine neue anlegen."
        )

    def current_data(self) -> OrganisationData:
        return OrganisationData(
            name=self.name.text(),
            department=self.department.text(),
            short_name=self.short_name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            website=self.website.text(),
            notes=self.notes.toPlainText(),
            **self.address_values(),
        )

    def _get(self, record_id: int) -> OrganisationRecord:
        return organisations.get_organisation(self.ctx.database, record_id)

    def _fill(self, record: Any) -> None:
        data: OrganisationData = record.data if record is not None else OrganisationData()
        self.name.setText(data.name)
        self.department.setText(data.department)
        self.short_name.setText(data.short_name)
        self.fill_address(data)
        self.email.setText(data.email)
        self.phone.setText(data.phone)
        self.website.setText(data.website)
        self.notes.setPlainText(data.notes)
        self._loaded_identity = (
            tuple(getattr(data, f) for f in _IDENTITY_FIELDS) if record is not None else None
        )
        if record is None:
            self.title_label.setText(self.tr("Neue Organisation"))
            self.info_label.setText(self.tr("Noch nicht gespeichert. Pflichtfeld: Name."))
        else:
            self.title_label.setText(" – ".join(p for p in (data.name, data.department) if p))
            self.info_label.setText(
                self.info_text(record.id, record.created_at, record.updated_at)
                + " · "
                + (
                    self.tr("1 Ansprechperson")
                    if record.person_count == 1
                    else self.tr("{0} Ansprechpersonen").format(record.person_count)
                )
            )

    def _show_extra(self, record: Any) -> None:
        self.contacts.setRowCount(0)
        if record is None:
            self.contacts_label.setText(self.tr("Noch keine Ansprechpersonen."))
            return
        contacts = contacts_of(self.ctx.database, record.id)
        self.contacts_label.setText(
            self.tr("{0} Personen mit einer Rolle in dieser Organisation:").format(len(contacts))
            if contacts
            else self.tr("Noch keine Ansprechpersonen. Rollen werden bei der Person eingetragen.")
        )
        self.contacts.setRowCount(len(contacts))
        for row, contact in enumerate(contacts):
            values = (
                contact.name,
                contact.function,
                contact.department,
                self.tr("ja") if contact.is_primary else self.tr("nein"),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, contact.person_id)
                self.contacts.setItem(row, column, item)

    def _open_contact(self, index: Any) -> None:
        item = self.contacts.item(index.row(), 0)
        if item is not None:
            self.show_person.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def display_name(self, data: Any) -> str:
        return str(data.name)

    def describe(self, data: Any) -> dict[str, tuple[str, str]]:
        d: OrganisationData = validation.normalise_organisation(data)
        return {
            "name": (self.tr("Name"), d.name),
            "department": (self.tr("Abteilung"), d.department),
            "short_name": (self.tr("Kurzname"), d.short_name),
            **self.describe_assignment(d),
            **self.describe_address(d),
            "email": (self.tr("E-Mail"), d.email),
            "phone": (self.tr("Telefon"), d.phone),
            "website": (self.tr("Internetseite"), d.website),
            "notes": (self.tr("Notizen"), d.notes),
        }

    # --- saving -----------------------------------------------------------------------------------------

    def validate(self, data: Any) -> list[FieldError]:
        return validation.validate_organisation(data)

    def _candidates(self, data: Any) -> list[DuplicateCandidate]:
        identity = tuple(getattr(data, f) for f in _IDENTITY_FIELDS)
        if self._loaded_identity is not None and identity == self._loaded_identity:
            return []
        normalised = validation.normalise_organisation(data)
        found = duplicates.check_organisation(self.ctx.database, normalised, exclude_id=self.record_id)
        return [DuplicateCandidate(c.organisation_id, c.label, c.reason, c.certain) for c in found[:8]]

    def _create(self, data: Any) -> int:
        return registry_ops.create_organisation(self.ctx, data)

    def _update(self, data: Any, expected_version: int | None) -> int:
        assert self.record_id is not None
        return registry_ops.update_organisation(self.ctx, self.record_id, data, expected_version)

    delete_title = "Organisation löschen"

    def _deletion_impact(self, record_id: int) -> str:
        return organisations.organisation_deletion_impact(self.ctx.database, record_id).text

    def _remove(self, record_id: int, name: str) -> None:
        registry_ops.delete_organisation(self.ctx, record_id, name)
