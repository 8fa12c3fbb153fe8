"""The detail pane of the Adressen area: the common part of the person and the organisation editor.

A ``RecordEditor`` shows one record (or a new, empty one) in tabs: the form ("Stammdaten"), tabs of the
subclass (Einladungen, Ansprechpersonen) and the change history ("Verlauf"). Below: Speichern (Strg+S),
Verwerfen and Löschen. The sections both records have, "Anschrift" and "Zuordnung", are built, filled, read
and described here (``add_address_section``, ``add_assignment_section``).

Saving, step by step (``save``):

1. validate with the core's rules (``konferenz.registry.validation.validate_*``); every message is shown under its
   field (a sign and text, not colour alone) and nothing is saved;
2. look for duplicates (the subclass asks; "Trotzdem speichern", "Zusammenführen …", "Abbrechen");
3. save through ``ui.addresses.ops`` (undoable; the lists refresh);
4. if the record was saved at another workplace since it was loaded (``VersionConflictError``), show both
   versions (``ConflictDialog``) and let the user overwrite the stored version or discard the input.

The editor knows whether the input differs from what was loaded (``is_dirty``); the Adressen area asks
before another record replaces unsaved input (``confirm_leave``). When the record changes underneath
(undo, redo, another workplace) and the input is unchanged, the editor reloads it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.lists.registry import registry_choices
from konferenz.registry.validation import FieldError, ValidationError, VersionConflictError
from konferenz.storage.changes import INVITATIONS, ORGANISATIONS, PERSONS
from ui.addresses.fields import ErrorLabel, IdComboBox, RolesEditor, TagsEdit
from ui.addresses.merge_dialog import MergeDialog
from ui.context import AppContext
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import ask_save_discard, confirm
from ui.widgets.history_view import HistoryView
from ui.widgets.registry_dialogs import (
    ConflictChoice,
    DuplicateCandidate,
    DuplicateChoice,
    DuplicateQuestion,
    ask_conflict,
)

log = logging.getLogger(__name__)

W = TypeVar("W", bound=QWidget)


def format_timestamp(value: dt.datetime | None) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if value is not None else ""


class RecordEditor(QWidget):
    """Base of ``PersonEditor`` and ``OrganisationEditor`` (see module docstring)."""

    #: "person" or "organisation" (audit entity type, merge kind)
    entity_type: Literal["person", "organisation"] = "person"
    #: the data kinds whose change may concern the shown record
    watched_kinds: frozenset[str] = frozenset()

    #: a record was saved (created, changed, or merged into); argument: its id
    saved = Signal(int)
    #: the shown record was deleted; argument: its id
    deleted = Signal(int)
    #: the input now differs (True) or no longer differs (False) from the loaded record
    dirty_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_id: int | None = None
        self.version: int | None = None
        self.is_new = False
        self._clean: Any = None
        self._dirty = False
        self._loading = False
        self._fields: dict[str, tuple[QWidget, ErrorLabel]] = {}
        self._labels: list[QLabel] = []
        self._choices_stale = True
        self._was_new_before_save = False
        #: the merge dialog opened after "Zusammenführen …" in the duplicate question (None before)
        self.merge_dialog: MergeDialog | None = None

        self._built = False
        self.placeholder = QLabel(self)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 0, 0, 0)
        self._layout.addWidget(self.placeholder, 1)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.database_changed.connect(self._on_database_changed)

    # --- building (on first use: the window opens without the forms) ----------------------------------

    def ensure_built(self) -> None:
        """Build the detail pane (header, tabs with the form, buttons) the first time it is needed."""
        if self._built:
            return
        self._built = True
        self.title_label = QLabel(self)
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_label.setWordWrap(True)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.general_error = ErrorLabel(self)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.form_page = QWidget()
        self.form_layout = QVBoxLayout(self.form_page)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # no Tab stop of its own: a focused field scrolls into view
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.form_page)
        self.form_scroll = scroll
        self.tabs.addTab(scroll, self.tr("Stammdaten"))
        self.history = HistoryView(self)

        self.save_button = QPushButton(self.tr("&Speichern"), self)
        self.save_button.setToolTip(self.tr("Eingaben speichern (Strg+S)"))
        self.revert_button = QPushButton(self.tr("Verwerfen"), self)
        mark_destructive(self.revert_button)
        self.revert_button.setToolTip(self.tr("Eingaben verwerfen und den gespeicherten Stand zeigen"))
        self.delete_button = QPushButton(self.tr("Löschen …"), self)
        mark_destructive(self.delete_button)
        self.delete_button.setToolTip(
            self.tr("Den Eintrag löschen (Entf in der Liste); Strg+Z holt ihn zurück")
        )
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.delete_button.clicked.connect(self.delete)
        self.save_action = QAction(self.tr("Speichern"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        self.body = QWidget(self)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title_label)
        body_layout.addWidget(self.info_label)
        body_layout.addWidget(self.general_error)
        body_layout.addWidget(self.tabs, 1)
        body_layout.addLayout(buttons)
        self._layout.addWidget(self.body, 1)
        self._build_form()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.body.hide()

    def _build_form(self) -> None:
        """Create the fields (``add_section``, ``add_field``) and the subclass's tabs."""
        raise NotImplementedError

    # --- building the form (for subclasses) -----------------------------------------------------------

    def add_section(self, title: str) -> QFormLayout:
        box = QGroupBox(title, self.form_page)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form_layout.addWidget(box)
        return form

    def add_field(
        self, form: QFormLayout, label: str, key: str, widget: W, *, name: str = "", wide: bool = False
    ) -> W:
        """A labelled field with room for its validation message below; ``key`` names the field as the
        core's ``FieldError.field`` does."""
        container = QWidget(self.form_page)
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = ErrorLabel(container)
        column.addWidget(error)
        label_widget = QLabel(label, self.form_page)
        label_widget.setBuddy(widget)
        if wide:  # label above, the field over the whole width
            form.addRow(label_widget)
            form.addRow(container)
        else:
            self._labels.append(label_widget)
            form.addRow(label_widget, container)
        widget.setAccessibleName(name or label.replace("&", "").rstrip(": *"))
        self._fields[key] = (widget, error)
        self._watch(widget)
        return widget

    def _watch(self, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(self._on_edited)
        elif isinstance(widget, QComboBox):
            # long entries (the legal basis) must not widen the pane
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(min(widget.minimumContentsLength() or 16, 16))
            widget.currentIndexChanged.connect(self._on_edited)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self._on_edited)
        elif isinstance(widget, RolesEditor):
            widget.changed.connect(self._on_edited)

    def _show_starts(self) -> None:
        """Long texts show their beginning, not their end (``setText`` leaves the cursor at the end)."""
        for edit in self.form_page.findChildren(QLineEdit):
            edit.setCursorPosition(0)

    def finish_form(self) -> None:
        """Give every label the width of the widest, so the fields of all sections line up."""
        width = max((label.sizeHint().width() for label in self._labels), default=0)
        for label in self._labels:
            label.setMinimumWidth(width)
        self.form_layout.addStretch(1)

    def line(self, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self.form_page)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    def notes_edit(self) -> QPlainTextEdit:
        edit = QPlainTextEdit(self.form_page)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().height() * 5 + 12)
        return edit

    # --- the sections persons and organisations share (Anschrift, Zuordnung) ----------------------------

    def add_address_section(self) -> None:
        """ "Anschrift": street, Postfach, PLZ, Ort, Land (the same address columns on both records)."""
        form = self.add_section(self.tr("Anschrift"))
        self.street = self.add_field(
            form, self.tr("Stra&ße:"), "street", self.line(self.tr("Straße und Hausnummer"))
        )
        self.po_box = self.add_field(form, self.tr("Postfach:"), "po_box", self.line())
        self.postal_code = self.add_field(
            form, self.tr("P&LZ:"), "postal_code", self.line(), name=self.tr("PLZ")
        )
        self.postal_code.setMaxLength(10)
        self.city = self.add_field(form, self.tr("Ort:"), "city", self.line())
        self.country = self.add_field(
            form, self.tr("Land:"), "country", self.line(self.tr("leer für Deutschland"))
        )

    def add_assignment_section(self, no_category: str) -> None:
        """ "Zuordnung": category (``no_category`` is the entry for none), municipality, tags."""
        form = self.add_section(self.tr("Zuordnung"))
        self.category = IdComboBox(no_category, self.form_page)
        self.add_field(form, self.tr("Katego&rie:"), "category_id", self.category)
        self.municipality = IdComboBox(self.tr("(aus der PLZ)"), self.form_page)
        self.add_field(form, self.tr("Komm&une:"), "municipality_id", self.municipality)
        self.tags = TagsEdit(self.form_page)
        self.add_field(form, self.tr("Schlag&wörter:"), "tags", self.tags)

    def address_values(self) -> dict[str, Any]:
        """The fields of both shared sections, as keyword arguments of ``PersonData``/``OrganisationData``."""
        return {
            "street": self.street.text(),
            "po_box": self.po_box.text(),
            "postal_code": self.postal_code.text(),
            "city": self.city.text(),
            "country": self.country.text(),
            "category_id": self.category.current_id(),
            "municipality_id": self.municipality.current_id(),
            "tags": self.tags.tags(),
        }

    def fill_address(self, data: Any) -> None:
        """Show the shared sections' fields of ``data`` (a ``PersonData`` or ``OrganisationData``)."""
        self.street.setText(data.street)
        self.po_box.setText(data.po_box)
        self.postal_code.setText(data.postal_code)
        self.city.setText(data.city)
        self.country.setText(data.country)
        self.category.set_current_id(data.category_id)
        self.municipality.set_current_id(data.municipality_id)
        self.tags.set_tags(data.tags)

    def describe_address(self, d: Any) -> dict[str, tuple[str, str]]:
        """``describe`` for the address fields (street … Land)."""
        return {
            "street": (self.tr("Straße"), d.street),
            "po_box": (self.tr("Postfach"), d.po_box),
            "postal_code": (self.tr("PLZ"), d.postal_code),
            "city": (self.tr("Ort"), d.city),
            "country": (self.tr("Land"), d.country),
        }

    def describe_assignment(self, d: Any) -> dict[str, tuple[str, str]]:
        """``describe`` for the assignment fields: category and municipality by name, the tags sorted."""
        categories = {
            self.category.itemData(i): self.category.itemText(i) for i in range(self.category.count())
        }
        municipalities = {
            self.municipality.itemData(i): self.municipality.itemText(i)
            for i in range(self.municipality.count())
        }
        return {
            "category_id": (self.tr("Kategorie"), categories.get(d.category_id, "") if d.category_id else ""),
            "municipality_id": (
                self.tr("Kommune"),
                municipalities.get(d.municipality_id, "") if d.municipality_id else "",
            ),
            "tags": (self.tr("Schlagwörter"), ", ".join(sorted(d.tags, key=str.casefold))),
        }

    # --- subclass hooks -----------------------------------------------------------------------------------

    def current_data(self) -> Any:
        raise NotImplementedError

    def dirty_state(self) -> object:
        """What is compared with the loaded state to tell unsaved input (default: ``current_data()``)."""
        return self.current_data()

    def _fill(self, record: Any) -> None:
        """Put a loaded record (or None: a new, empty one) into the fields."""
        raise NotImplementedError

    def _get(self, record_id: int) -> Any:
        raise NotImplementedError

    def validate(self, data: Any) -> list[FieldError]:
        raise NotImplementedError

    def _create(self, data: Any) -> int:
        raise NotImplementedError

    def _update(self, data: Any, expected_version: int | None) -> int:
        raise NotImplementedError

    def _candidates(self, data: Any) -> list[DuplicateCandidate]:
        return []

    def _merge_after_save(self, saved_id: int, other_id: int) -> None:
        """Open the merge dialog for the duplicate the user chose: a new entry joins the stored one (which
        is offered as the one that stays), an edited entry keeps its number and takes the other in."""
        first, second = (other_id, saved_id) if self._was_new_before_save else (saved_id, other_id)
        try:
            dialog = MergeDialog(self.ctx, self.entity_type, first, second, self)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Zusammenführen"), exc.message)
            return
        dialog.accepted.connect(lambda: self._after_merge(dialog.keep_id))
        dialog.open()
        self.merge_dialog = dialog

    def _after_merge(self, keep_id: int) -> None:
        self.load(keep_id)
        self.saved.emit(keep_id)

    def describe(self, data: Any) -> dict[str, tuple[str, str]]:
        """field → (German label, value as text), for the conflict dialog."""
        raise NotImplementedError

    def display_name(self, data: Any) -> str:
        raise NotImplementedError

    #: title of the delete question ("Person löschen")
    delete_title = ""

    def _deletion_impact(self, record_id: int) -> str:
        """What hangs on the record, in German (registry.*deletion_impact); UserError if it is gone."""
        raise NotImplementedError

    def _remove(self, record_id: int, name: str) -> None:
        """Delete the record as an undoable change (registry_ops)."""
        raise NotImplementedError

    def _delete_record(self) -> bool:
        """Ask, naming what hangs on the record, then delete; False when the user said no or it failed."""
        assert self.record_id is not None
        title = self.tr(self.delete_title)
        name = self.title_label.text()
        try:
            impact = self._deletion_impact(self.record_id)
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return False
        if not confirm(
            self,
            title,
            self.tr(
                "„{0}“ löschen?\n\n{1}\n\nMit Strg+Z (Bearbeiten → Rückgängig) lässt sich das Löschen zurücknehmen."
            ).format(name, impact),
        ):
            return False
        try:
            self._remove(self.record_id, name)
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return False
        return True

    def _reload_choices(self) -> None:
        """Fill the choice lists from the database: categories, municipalities and tags here; a subclass
        adds its own (the person's organisations)."""
        choices = registry_choices(self.ctx.database)
        categories = choices.categories
        municipalities = choices.municipalities
        tags = [name for _id, name in choices.tags]
        self.category.set_choices(categories)
        self.municipality.set_choices(municipalities)
        self.tags.set_choices(tags)

    def _show_extra(self, record: Any) -> None:
        """Fill the subclass's tabs for a loaded record (None: nothing loaded)."""

    def first_field(self) -> QWidget:
        raise NotImplementedError

    # --- showing records ---------------------------------------------------------------------------------

    def clear(self, message: str = "") -> None:
        """Show no record (a hint in the pane)."""
        self.record_id = None
        self.version = None
        self.is_new = False
        self.placeholder.setText(message or self.empty_text())
        if self._built:
            self.history.clear_history()
            self.body.hide()
        self.placeholder.show()
        self._set_clean(None)

    def empty_text(self) -> str:
        return self.tr("Links einen Eintrag wählen, oder einen neuen anlegen.")

    def load(self, record_id: int) -> bool:
        """Show the stored record ``record_id``; False (and an empty pane) when it no longer exists."""
        self.ensure_built()
        try:
            record = self._get(record_id)
        except UserError as exc:
            self.clear(exc.message)
            return False
        if self._choices_stale:
            self._reload_choices()
            self._choices_stale = False
        self.record_id = record_id
        self.version = record.version
        self.is_new = False
        self._loading = True
        try:
            self._fill(record)
            self._show_starts()
        finally:
            self._loading = False
        self._show_errors([])
        self._show_extra(record)
        self.delete_button.setEnabled(True)
        self.placeholder.hide()
        self.body.show()
        self._set_clean(self.dirty_state())
        self._refresh_history()
        return True

    def start_new(self) -> None:
        """An empty record to fill in (saved as a new one)."""
        self.ensure_built()
        if self._choices_stale:
            self._reload_choices()
            self._choices_stale = False
        self.record_id = None
        self.version = None
        self.is_new = True
        self._loading = True
        try:
            self._fill(None)
        finally:
            self._loading = False
        self._show_errors([])
        self._show_extra(None)
        self.history.clear_history()
        self.delete_button.setEnabled(False)
        self.tabs.setCurrentIndex(0)
        self.placeholder.hide()
        self.body.show()
        self._set_clean(self.dirty_state())
        self._update_buttons()
        self.first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        """Show the stored state of the current record again (or a fresh empty one)."""
        if self.record_id is not None:
            self.load(self.record_id)
        elif self.is_new:
            self.start_new()

    def edit(self) -> None:
        """Move the keyboard focus into the form (F2 / Eingabetaste in the list)."""
        if self._built and self.body.isVisible():
            self.tabs.setCurrentIndex(0)
            self.first_field().setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- dirty state --------------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._dirty

    def _set_clean(self, data: Any) -> None:
        self._clean = data
        self._set_dirty(False)

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        self._update_buttons()
        if changed:
            self.dirty_changed.emit(dirty)

    def _on_edited(self, *_args: object) -> None:
        if self._loading or (self.record_id is None and not self.is_new):
            return
        self._set_dirty(self.dirty_state() != self._clean)

    def _update_buttons(self) -> None:
        if not self._built:
            return
        self.save_button.setEnabled(self._dirty or self.is_new)
        self.revert_button.setEnabled(self._dirty)

    def confirm_leave(self) -> bool:
        """Before another record is shown: True when the input may go (saved, discarded, or unchanged)."""
        if not self._dirty:
            return True
        answer = ask_save_discard(
            self,
            self.tr("Änderungen speichern?"),
            self.tr("Die Eingaben zu „{0}“ sind noch nicht gespeichert. Jetzt speichern?").format(
                self.display_name(self.current_data()) or self.tr("neuer Eintrag")
            ),
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.reload()
            return True
        return False

    # --- validation messages ----------------------------------------------------------------------------

    def _show_errors(self, errors: Sequence[FieldError]) -> None:
        for widget, label in self._fields.values():
            label.clear_message()
            widget.setAccessibleDescription("")
        general: list[str] = []
        first: QWidget | None = None
        for error in errors:
            entry = self._fields.get(error.field)
            if entry is None:
                general.append(error.message)
                continue
            widget, label = entry
            previous = label.accessibleName()
            label.show_message(f"{previous}\n{error.message}" if previous else error.message)
            widget.setAccessibleDescription(error.message)
            if first is None:
                first = widget
        if general:
            self.general_error.show_message("\n".join(general))
        else:
            self.general_error.clear_message()
        if errors:
            self.tabs.setCurrentIndex(0)
            if first is not None:
                self.form_scroll.ensureWidgetVisible(first)
                first.setFocus(Qt.FocusReason.OtherFocusReason)

    def is_built(self) -> bool:
        return self._built

    def field_errors(self) -> dict[str, str]:
        """The messages shown under the fields (for tests)."""
        return {key: label.accessibleName() for key, (_w, label) in self._fields.items() if label.isVisible()}

    # --- saving -----------------------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate, check for duplicates, save (see module docstring); True when saved."""
        if not self._built or not self.body.isVisible():
            return False
        if not self._dirty and not self.is_new:
            return True
        self._was_new_before_save = self.record_id is None
        data = self.current_data()
        errors = self.validate(data)
        self._show_errors(errors)
        if errors:
            return False
        merge_with: int | None = None
        candidates = self._candidates(data)
        if candidates:
            choice, chosen = self.ask_duplicate(self.display_name(data), candidates)
            if choice is DuplicateChoice.CANCEL:
                return False
            if choice is DuplicateChoice.MERGE:
                merge_with = chosen
        saved_id = self._store(data, self.version)
        if saved_id is None:
            return False
        self.load(saved_id)
        self.saved.emit(saved_id)
        if merge_with is not None:
            self._merge_after_save(saved_id, merge_with)
        return True

    def _store(self, data: Any, expected_version: int | None) -> int | None:
        try:
            if self.record_id is None:
                return self._create(data)
            self._update(data, expected_version)
            return self.record_id
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return None
        except VersionConflictError as exc:
            return self._resolve_conflict(data, exc)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Nicht gespeichert"), exc.message)
            return None

    def _resolve_conflict(self, data: Any, exc: VersionConflictError) -> int | None:
        record_id = self.record_id
        assert record_id is not None
        # the stored record the conflict found: a PersonRecord or an OrganisationRecord, the editor's own kind
        stored: Any = exc.current
        if stored is None:
            try:
                stored = self._get(record_id)
            except UserError as gone:
                QMessageBox.warning(self, self.tr("Nicht gespeichert"), gone.message)
                return None
        mine = self.describe(data)
        theirs = self.describe(stored.data)
        differences = [
            (label, mine[key][1], theirs.get(key, (label, ""))[1])
            for key, (label, _value) in mine.items()
            if mine[key][1] != theirs.get(key, (label, ""))[1]
        ]
        choice = self.ask_conflict(self.display_name(stored.data), differences)
        if choice is ConflictChoice.OVERWRITE:
            return self._store(data, stored.version)
        if choice is ConflictChoice.DISCARD:
            self.load(record_id)
        return None

    # --- questions (tests replace these or drive the real dialogs) -----------------------------------

    def ask_duplicate(
        self, what: str, candidates: Sequence[DuplicateCandidate]
    ) -> tuple[DuplicateChoice, int | None]:
        dialog = DuplicateQuestion(what, candidates, self)
        dialog.exec()
        choice, chosen = dialog.choice, dialog.chosen_id()
        dialog.deleteLater()
        return choice, chosen

    def ask_conflict(self, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
        """Both versions side by side (tests replace this method or drive the dialog)."""
        return ask_conflict(self, what, differences)

    # --- deleting -----------------------------------------------------------------------------------------

    def revert(self) -> None:
        self.reload()

    def delete(self) -> bool:
        """Ask (naming what hangs on the record), then delete; Strg+Z brings it back."""
        if self.record_id is None:
            if self.is_new:
                self.clear()
            return False
        record_id = self.record_id
        if self._delete_record():
            self.clear(
                self.tr("Gelöscht. Mit Strg+Z (Bearbeiten → Rückgängig) holen Sie den Eintrag zurück.")
            )
            self.deleted.emit(record_id)
            return True
        return False

    # --- reacting to changes ----------------------------------------------------------------------------

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {ORGANISATIONS, PERSONS}:  # new organisations and tags to choose from
            self._choices_stale = True
        if not kinds & self.watched_kinds or self.record_id is None or self._dirty:
            return
        try:
            record = self._get(self.record_id)
        except UserError:
            self.clear(self.tr("Dieser Eintrag wurde gelöscht."))
            return
        if record.version != self.version or INVITATIONS in kinds:
            self.load(self.record_id)

    def _on_database_changed(self) -> None:
        self._choices_stale = True
        self.clear()

    def _on_tab_changed(self, _index: int) -> None:
        self._refresh_history()

    def _refresh_history(self) -> None:
        if not self._built:
            return
        if self.tabs.currentWidget() is not self.history:
            return
        if self.record_id is None:
            self.history.clear_history()
            return
        self.history.show_history(self.ctx.database, self.entity_type, self.record_id)

    def info_text(self, number: int, created: dt.datetime, updated: dt.datetime) -> str:
        return self.tr("Nr. {0} · angelegt {1} · geändert {2}").format(
            number, format_timestamp(created), format_timestamp(updated)
        )
