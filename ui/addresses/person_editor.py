"""The person editor of the Adressen area: every field of a person, the roles, invitations and history.

Tabs: "Stammdaten" (name and salutation, organisation roles with one primary role, address, contact,
category, municipality and tags, data protection, notes), "Einladungen" (the line "5× eingeladen, 3×
teilgenommen" and one row per conference) and "Verlauf" (``HistoryView``). Saving, validation, conflicts
and deleting: see ``ui.addresses.record_editor``; duplicates are looked for with ``konferenz.registry.duplicates
.check_person`` when a person is created or its name or e-mail changes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import Gender, LegalBasis, label
from konferenz.lists.registry import organisations_to_choose
from konferenz.registry import duplicates, persons, validation
from konferenz.registry.validation import FieldError, PersonData, PersonRecord
from konferenz.storage.changes import INVITATIONS, ORGANISATIONS, PERSONS
from ui.addresses import ops as registry_ops
from ui.addresses.fields import RolesEditor
from ui.addresses.record_editor import RecordEditor
from ui.context import AppContext
from ui.widgets.dialog_tools import tell_current_text
from ui.widgets.registry_dialogs import DuplicateCandidate

#: the person fields compared by the duplicate check (a change elsewhere does not ask again)
_IDENTITY_FIELDS = ("first_name", "name_prefix", "last_name", "email")

E = TypeVar("E", Gender, LegalBasis)


def _member(enum_type: type[E], value: object, default: E) -> E:
    try:
        return enum_type(str(value))
    except ValueError:
        return default


class PersonEditor(RecordEditor):
    """Edit one person (or enter a new one)."""

    entity_type = "person"
    watched_kinds = frozenset({PERSONS, ORGANISATIONS, INVITATIONS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName(self.tr("Person bearbeiten"))
        self._loaded_identity: tuple[str, ...] | None = None
        self.clear()

    def _build_form(self) -> None:
        self.tabs.setAccessibleName(self.tr("Angaben zur Person"))
        self.tabs.tabBar().setAccessibleName(self.tr("Angaben zur Person: Stammdaten, Einladungen, Verlauf"))

        form = self.add_section(self.tr("Name"))
        self.gender = QComboBox(self.form_page)
        for gender in (Gender.FEMALE, Gender.MALE, Gender.DIVERSE, Gender.UNKNOWN):
            self.gender.addItem(label(gender), gender.value)
        self.add_field(
            form, self.tr("&Geschlecht:"), "gender", self.gender, name=self.tr("Geschlecht (Anrede)")
        )
        self.title = self.add_field(
            form, self.tr("T&itel:"), "title", self.line(self.tr("z. B. Dr. oder Prof. Dr."))
        )
        self.first_name = self.add_field(form, self.tr("&Vorname:"), "first_name", self.line())
        self.name_prefix = self.add_field(
            form, self.tr("Namenszusatz:"), "name_prefix", self.line(self.tr("z. B. von, van der, de"))
        )
        self.last_name = self.add_field(
            form, self.tr("&Nachname: *"), "last_name", self.line(), name=self.tr("Nachname (Pflichtfeld)")
        )
        self.custom_salutation = self.add_field(
            form,
            self.tr("Eigene Briefanrede:"),
            "custom_salutation",
            self.line(self.tr("leer: „Sehr geehrte Frau …“ nach den Regeln")),
        )

        form = self.add_section(self.tr("Organisationen und Funktion"))
        self.function = self.add_field(
            form,
            self.tr("&Funktion (allgemein):"),
            "function",
            self.line(self.tr("gilt, wo die Hauptrolle keine Funktion nennt")),
        )
        self.function.setToolTip(
            self.tr(
                "Listen und Briefe nennen die Funktion der Hauptrolle (bei den Rollen: „Funktion in dieser "
                "Organisation“); diese allgemeine Funktion nur, wenn dort keine steht."
            )
        )
        # which of the two "Funktion" fields the lists and letters show, said where it matters (issue 17)
        self.function_hint = QLabel(self.form_page)
        self.function_hint.setWordWrap(True)
        self.function_hint.setObjectName("function_hint")
        form.addRow("", self.function_hint)
        self.function_hint.hide()
        self.roles = RolesEditor(self.form_page)
        self.roles.tab_anchor = self.function  # Tab: Funktion, the roles, "Rolle hinzufügen", the address
        self.add_field(
            form, self.tr("Rollen:"), "roles", self.roles, name=self.tr("Rollen in Organisationen"), wide=True
        )
        self.function.textChanged.connect(lambda _t: self._update_function_hint())
        self.roles.changed.connect(self._update_function_hint)

        self.add_address_section()

        form = self.add_section(self.tr("Kontakt"))
        self.email = self.add_field(
            form, self.tr("&E-Mail:"), "email", self.line(self.tr("name@beispiel.de"))
        )
        self.phone = self.add_field(
            form, self.tr("&Telefon:"), "phone", self.line(self.tr("z. B. 02861 681-0"))
        )
        self.mobile = self.add_field(form, self.tr("&Mobil:"), "mobile", self.line())

        self.add_assignment_section(self.tr("(keine – wie die Hauptorganisation)"))

        form = self.add_section(self.tr("Datenschutz"))
        self.legal_basis = QComboBox(self.form_page)
        for basis in LegalBasis:
            self.legal_basis.addItem(label(basis), basis.value)
        # the longest basis ("öffentliche Aufgabe (Art. 6 Abs. 1 lit. e DSGVO)") is cut in a narrow pane: it
        # is told whole on hover (issue 17); a wider box would make the whole form scroll sideways
        tell_current_text(self.legal_basis)
        self.add_field(form, self.tr("Re&chtsgrundlage:"), "legal_basis", self.legal_basis)
        self.consent = QCheckBox(self.tr("darf genannt werden (Einwilligung)"), self.form_page)
        self.add_field(
            form,
            self.tr("Teilnehmerliste:"),
            "participant_list_consent",
            self.consent,
            name=self.tr("Einwilligung: darf in der Teilnehmerliste genannt werden"),
        )
        form = self.add_section(self.tr("Notizen"))
        self.notes = self.notes_edit()
        self.add_field(form, self.tr("Noti&zen:"), "notes", self.notes)
        self.finish_form()

        # Einladungen
        page = QWidget()
        column = QVBoxLayout(page)
        self.summary_label = QLabel(page)
        self.summary_label.setWordWrap(True)
        self.invitations = QTableWidget(0, 3, page)
        self.invitations.setAccessibleName(self.tr("Einladungen der Person"))
        self.invitations.setHorizontalHeaderLabels([self.tr("Jahr"), self.tr("Konferenz"), self.tr("Status")])
        self.invitations.verticalHeader().hide()
        self.invitations.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.invitations.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.invitations.setTabKeyNavigation(False)
        header = self.invitations.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.summary_label)
        column.addWidget(self.invitations, 1)
        self.tabs.addTab(page, self.tr("Einladungen"))
        self.tabs.addTab(self.history, self.tr("Verlauf"))
        self.delete_button.setAccessibleName(self.tr("Person löschen"))
        self.save_button.setAccessibleName(self.tr("Person speichern"))
        self.revert_button.setAccessibleName(self.tr("Eingaben zur Person verwerfen"))

    # --- data ------------------------------------------------------------------------------------------

    def first_field(self) -> QWidget:
        return self.first_name

    def empty_text(self) -> str:
        return self.tr(
            "Links eine Person wählen (Pfeiltasten, Eingabetaste oder F2 zum Bearbeiten) oder mit "
            "Strg+Umschalt+P eine neue anlegen."
        )

    def _update_function_hint(self) -> None:
        own, primary = self.function.text().strip(), self.roles.primary_function()
        shown = bool(own and primary and own != primary)
        self.function_hint.setText(
            self.tr("In Listen und Briefen steht die Funktion der Hauptrolle: „{0}“.").format(primary)
            if shown
            else ""
        )
        self.function_hint.setVisible(shown)

    def current_data(self) -> PersonData:
        roles, _problems = self.roles.roles()
        gender = self.gender.currentData()
        basis = self.legal_basis.currentData()
        # the comboboxes hold the stored values ("male"): Qt keeps plain strings, not Python enums
        return PersonData(
            last_name=self.last_name.text(),
            first_name=self.first_name.text(),
            gender=_member(Gender, gender, Gender.UNKNOWN),
            title=self.title.text(),
            name_prefix=self.name_prefix.text(),
            custom_salutation=self.custom_salutation.text(),
            function=self.function.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            mobile=self.mobile.text(),
            notes=self.notes.toPlainText(),
            legal_basis=_member(LegalBasis, basis, LegalBasis.PUBLIC_TASK),
            roles=roles,
            participant_list_consent=self.consent.isChecked(),
            **self.address_values(),
        )

    def dirty_state(self) -> object:
        # roles as typed: a name that matches no organisation is not in current_data() yet
        return (self.current_data(), self.roles.entries())

    def _reload_choices(self) -> None:
        super()._reload_choices()
        organisations = organisations_to_choose(self.ctx.database)
        self.roles.set_choices(organisations)

    def _get(self, record_id: int) -> PersonRecord:
        return persons.get_person(self.ctx.database, record_id)

    def _fill(self, record: Any) -> None:
        data: PersonData = record.data if record is not None else PersonData()
        self.gender.setCurrentIndex(max(0, self.gender.findData(data.gender.value)))
        self.title.setText(data.title)
        self.first_name.setText(data.first_name)
        self.name_prefix.setText(data.name_prefix)
        self.last_name.setText(data.last_name)
        self.custom_salutation.setText(data.custom_salutation)
        self.function.setText(data.function)
        self.roles.set_roles(data.roles)
        self.fill_address(data)
        self.email.setText(data.email)
        self.phone.setText(data.phone)
        self.mobile.setText(data.mobile)
        self.legal_basis.setCurrentIndex(max(0, self.legal_basis.findData(data.legal_basis.value)))
        self.consent.setChecked(data.participant_list_consent)
        self.notes.setPlainText(data.notes)
        self._loaded_identity = (
            tuple(getattr(data, f) for f in _IDENTITY_FIELDS) if record is not None else None
        )
        anonymised = record is not None and record.anonymised_at is not None
        self.form_page.setEnabled(not anonymised)
        if record is None:
            self.title_label.setText(self.tr("Neue Person"))
            self.info_label.setText(self.tr("Noch nicht gespeichert. Pflichtfeld: Nachname."))
        else:
            self.title_label.setText(record.display_name)

    def _show_extra(self, record: Any) -> None:
        self.invitations.setRowCount(0)
        if record is None:
            self.summary_label.setText(self.tr("Noch nie eingeladen."))
            return
        summary = persons.invitation_summary(self.ctx.database, record.id)
        info = self.info_text(record.id, record.created_at, record.updated_at) + " · " + summary.text
        if record.anonymised_at is not None:
            info += " · " + self.tr("anonymisiert (nicht mehr bearbeitbar)")
        self.info_label.setText(info)
        self.summary_label.setText(summary.text[:1].upper() + summary.text[1:] + ".")
        self.invitations.setRowCount(len(summary.per_conference))
        for row, part in enumerate(summary.per_conference):
            for column, text in enumerate((str(part.year), part.title, part.status_label)):
                self.invitations.setItem(row, column, QTableWidgetItem(text))

    def display_name(self, data: Any) -> str:
        return registry_ops.person_name(data)

    def describe(self, data: Any) -> dict[str, tuple[str, str]]:
        d: PersonData = validation.normalise_person(data)
        roles = "; ".join(
            " – ".join(
                p
                for p in (r.organisation_name or self._organisation_name(r.organisation_id), r.function)
                if p
            )
            + (self.tr(" (Hauptrolle)") if r.is_primary else "")
            for r in sorted(d.roles, key=lambda r: (not r.is_primary, r.organisation_id))
        )
        return {
            "gender": (self.tr("Geschlecht"), label(d.gender)),
            "title": (self.tr("Titel"), d.title),
            "first_name": (self.tr("Vorname"), d.first_name),
            "name_prefix": (self.tr("Namenszusatz"), d.name_prefix),
            "last_name": (self.tr("Nachname"), d.last_name),
            "custom_salutation": (self.tr("Briefanrede"), d.custom_salutation),
            "function": (self.tr("Funktion"), d.function),
            "roles": (self.tr("Rollen"), roles),
            **self.describe_address(d),
            "email": (self.tr("E-Mail"), d.email),
            "phone": (self.tr("Telefon"), d.phone),
            "mobile": (self.tr("Mobil"), d.mobile),
            **self.describe_assignment(d),
            "legal_basis": (self.tr("Rechtsgrundlage"), label(d.legal_basis)),
            "participant_list_consent": (
                self.tr("Teilnehmerliste"),
                self.tr("Einwilligung") if d.participant_list_consent else self.tr("keine Einwilligung"),
            ),
            "notes": (self.tr("Notizen"), d.notes),
        }

    def _organisation_name(self, organisation_id: int) -> str:
        for row in self.roles.rows():
            if row.picker.organisation_id() == organisation_id:
                return row.picker.currentText()
        return self.tr("Organisation Nr. {0}").format(organisation_id)

    # --- saving -----------------------------------------------------------------------------------------

    def validate(self, data: Any) -> list[FieldError]:
        errors = validation.validate_person(data)
        _roles, problems = self.roles.roles()
        return errors + [FieldError("roles", p) for p in problems]

    def _candidates(self, data: Any) -> list[DuplicateCandidate]:
        identity = tuple(getattr(data, f) for f in _IDENTITY_FIELDS)
        if self._loaded_identity is not None and identity == self._loaded_identity:
            return []
        found = duplicates.check_person(self.ctx.database, data, exclude_id=self.record_id)
        return [DuplicateCandidate(c.person_id, c.label, c.reason, c.certain) for c in found[:8]]

    def _create(self, data: Any) -> int:
        return registry_ops.create_person(self.ctx, data)

    def _update(self, data: Any, expected_version: int | None) -> int:
        assert self.record_id is not None
        return registry_ops.update_person(self.ctx, self.record_id, data, expected_version)

    # --- deleting ---------------------------------------------------------------------------------------

    delete_title = "Person löschen"

    def _deletion_impact(self, record_id: int) -> str:
        return persons.deletion_impact(self.ctx.database, record_id).text

    def _remove(self, record_id: int, name: str) -> None:
        registry_ops.delete_person(self.ctx, record_id, name)
