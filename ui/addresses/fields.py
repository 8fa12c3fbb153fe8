"""Small widgets of the address register: choices by id, tags, multi-select filters, organisation roles.

- ``IdComboBox``: a combobox over (id, name) choices with an optional "none" entry (category, municipality).
- ``TagsEdit``: tags as a comma-separated line with completion of the word being typed.
- ``MultiSelectButton``: a filter button ("Kommune: Bocholt, Rhede") opening a checkable list; keyboard:
  Leertaste/Enter opens it, Pfeiltasten move, Leertaste checks, Esc closes.
- ``OrganisationPicker``: an editable combobox that completes organisation names anywhere in the name.
- ``RolesEditor``: a person's roles as rows (organisation, function, department, primary role, remove).
- ``ErrorLabel``: a validation message under a field, marked with a sign and text (not by colour alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from konferenz.text import collapse_spaces, fold
from ui.widgets.contrast import keep_legible
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import tell_current_text

if TYPE_CHECKING:
    from konferenz.registry.validation import RoleData

Choices = Sequence[tuple[int, str]]


#: the colours of a validation message, the first that is legible on the scheme's background is used
ERROR_COLOURS = (QColor(139, 0, 0), QColor(255, 138, 128))


class ErrorLabel(QLabel):
    """A validation message under a field: "⚠ PLZ: „4632“ ist keine deutsche Postleitzahl …"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # dark red on a light scheme, light red on a dark one, else the scheme's own text colour
        keep_legible(self, QPalette.ColorRole.WindowText, ERROR_COLOURS)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(f"⚠ {message}")
        self.setAccessibleName(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.setAccessibleName("")
        self.hide()


class IdComboBox(QComboBox):
    """A combobox over (id, name) choices; ``none_text`` adds a first entry meaning "none" (id None)."""

    def __init__(self, none_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._none_text = none_text
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)

    def set_choices(self, choices: Choices) -> None:
        """Fill the list; the chosen id stays chosen when it is still offered."""
        current = self.current_id()
        self.blockSignals(True)
        try:
            self.clear()
            if self._none_text:
                self.addItem(self._none_text, None)
            for choice_id, name in choices:
                self.addItem(name, choice_id)
        finally:
            self.blockSignals(False)
        self.set_current_id(current)

    def current_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def set_current_id(self, choice_id: int | None) -> None:
        index = self.findData(choice_id) if choice_id is not None else -1
        if index < 0 and self._none_text:
            index = 0
        self.setCurrentIndex(index)


class _ListCompleter(QCompleter):
    """Completes the last entry of a comma-separated list."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", maxsplit=1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head = text.rsplit(",", 1)[0] + ", " if "," in text else ""
        return head + str(index.data())


class TagsEdit(QLineEdit):
    """Tags as "Presse, Newsletter"; completes names of existing tags."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStringListModel(self)
        completer = _ListCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setPlaceholderText(self.tr("durch Komma getrennt, z. B. Presse, Newsletter"))

    def set_choices(self, names: Iterable[str]) -> None:
        self._model.setStringList(list(names))

    def tags(self) -> list[str]:
        return [t for t in (collapse_spaces(part) for part in self.text().split(",")) if t]

    def set_tags(self, tags: Iterable[str]) -> None:
        self.setText(", ".join(tags))


# --- filters -----------------------------------------------------------------------------------------------


class _ChoicePopup(QFrame):
    """The list of a ``MultiSelectButton``: checkable entries, a filter line for long lists, "Alle
    abwählen"."""

    def __init__(self, button: MultiSelectButton) -> None:
        super().__init__(button, Qt.WindowType.Popup)
        self.button = button
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.filter_field = QLineEdit(self)
        self.filter_field.setPlaceholderText(self.tr("Eintrag suchen …"))
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.setAccessibleName(self.tr("{0}: Einträge suchen").format(button.title))
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("{0}: Auswahl").format(button.title))
        self.list.setAccessibleDescription(self.tr("Leertaste wählt einen Eintrag aus oder ab"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.clear_button = QPushButton(self.tr("&Alle abwählen"), self)
        self.clear_button.setAccessibleName(self.tr("{0}: alle abwählen").format(button.title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_field)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.clear_button)
        self.filter_field.textChanged.connect(self._filter)
        self.filter_field.installEventFilter(self)
        self.clear_button.clicked.connect(button.clear_selection)

    def _filter(self, text: str) -> None:
        key = fold(text)
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(key) and key not in fold(item.text()))

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.filter_field
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self.list.setFocus()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]  # PySide6 stubs: watched may be None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close()
            self.button.setFocus(Qt.FocusReason.PopupFocusReason)
            return
        super().keyPressEvent(event)


class MultiSelectButton(QToolButton):
    """A filter over several values: "Kommune: alle" / "Kommune: Bocholt, Rhede"; opens a checkable list."""

    #: the chosen values changed
    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._names: dict[int, str] = {}
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Filter {0}").format(title))
        self.popup = _ChoicePopup(self)
        self.popup.list.itemChanged.connect(self._on_item_changed)
        self.clicked.connect(self.open_popup)
        self._update_text()

    def set_choices(self, choices: Choices) -> None:
        """Offer these values; values chosen before stay chosen when still offered."""
        chosen = set(self.selected_ids())
        self._names = dict(choices)
        lst = self.popup.list
        lst.blockSignals(True)
        try:
            lst.clear()
            for choice_id, name in choices:
                item = QListWidgetItem(name, lst)
                item.setData(Qt.ItemDataRole.UserRole, choice_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if choice_id in chosen else Qt.CheckState.Unchecked)
        finally:
            lst.blockSignals(False)
        self.popup.filter_field.setVisible(len(choices) > 12)
        self._update_text()

    def selected_ids(self) -> list[int]:
        lst = self.popup.list
        return [
            int(lst.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(lst.count())
            if lst.item(row).checkState() == Qt.CheckState.Checked
        ]

    def selected_names(self) -> list[str]:
        return [self._names[i] for i in self.selected_ids() if i in self._names]

    def set_selected_ids(self, ids: Iterable[int], *, notify: bool = False) -> None:
        wanted = set(ids)
        lst = self.popup.list
        lst.blockSignals(True)
        try:
            for row in range(lst.count()):
                item = lst.item(row)
                on = int(item.data(Qt.ItemDataRole.UserRole)) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            lst.blockSignals(False)
        self._update_text()
        if notify:
            self.changed.emit()

    def clear_selection(self) -> None:
        if self.selected_ids():
            self.set_selected_ids((), notify=True)

    def open_popup(self) -> None:
        popup = self.popup
        popup.filter_field.clear()
        em = self.fontMetrics().horizontalAdvance("M")
        rows = max(1, min(popup.list.count(), 14))
        popup.resize(
            max(self.width(), 18 * em),
            rows * (self.fontMetrics().height() + 6) + 5 * self.fontMetrics().height(),
        )
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        popup.show()
        popup.list.setFocus(Qt.FocusReason.PopupFocusReason)
        if popup.list.currentRow() < 0 and popup.list.count():
            popup.list.setCurrentRow(0)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        names = self.selected_names()
        if not names:
            shown = self.tr("alle")
        elif len(names) <= 2 and sum(len(n) for n in names) <= 30:
            shown = ", ".join(names)
        else:
            shown = self.tr("{0} gewählt").format(len(names))
        self.setText(f"{self.title}: {shown} ▾")
        description = ", ".join(names) if names else self.tr("keine Einschränkung")
        self.setToolTip(f"{self.title}: {description}")
        self.setAccessibleDescription(description)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.open_popup()
            return
        super().keyPressEvent(event)


# --- roles -------------------------------------------------------------------------------------------------


class OrganisationPicker(QComboBox):
    """Pick an organisation by typing part of its name (completion anywhere in the name) or from the
    list. ``organisation_id()``: the id, None when empty, -1 when the text names no organisation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        completer = self.completer()  # an editable combo box has both
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Organisation suchen …"))
        tell_current_text(self)  # a long name cut in the narrow box, whole on hover

    def set_choices(self, choices: Choices, *, current: int | None = None, current_name: str = "") -> None:
        self.blockSignals(True)
        try:
            self.clear()
            for org_id, name in choices:
                self.addItem(name, org_id)
            if current is not None and self.findData(current) < 0:
                self.addItem(current_name or self.tr("Organisation Nr. {0}").format(current), current)
            self.setCurrentIndex(self.findData(current) if current is not None else -1)
            if current is None:
                self.setEditText("")
        finally:
            self.blockSignals(False)
        self.setToolTip(self.currentText())  # changed with signals blocked: tell_current_text did not see it

    def organisation_id(self) -> int | None:
        text = self.currentText().strip()
        if not text:
            return None
        index = self.currentIndex()
        if index >= 0 and self.itemText(index) == text:
            return int(self.itemData(index))
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        return int(self.itemData(index)) if index >= 0 else -1


class _RoleRow:
    def __init__(self, editor: RolesEditor, number: int) -> None:
        tr = editor.tr
        self.picker = OrganisationPicker(editor)
        self.picker.setAccessibleName(tr("Organisation der Rolle {0}").format(number))
        self.function = QLineEdit(editor)
        self.function.setPlaceholderText(tr("Funktion in dieser Organisation"))
        self.function.setAccessibleName(tr("Funktion in der Rolle {0}").format(number))
        self.department = QLineEdit(editor)
        self.department.setPlaceholderText(tr("Abteilung"))
        self.department.setAccessibleName(tr("Abteilung in der Rolle {0}").format(number))
        self.primary = QRadioButton(tr("Hauptrolle"), editor)
        self.primary.setAccessibleName(tr("Rolle {0} ist die Hauptrolle").format(number))
        self.remove = QToolButton(editor)
        mark_destructive(self.remove)
        self.remove.setText(tr("Entfernen"))
        self.remove.setAccessibleName(tr("Rolle {0} entfernen").format(number))
        self.remove.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def widgets(self) -> list[QWidget]:
        return [self.picker, self.function, self.department, self.primary, self.remove]


class RolesEditor(QWidget):
    """A person's roles: one row per organisation, exactly one marked "Hauptrolle"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Rollen"))
        self._choices: list[tuple[int, str]] = []
        self._rows: list[_RoleRow] = []
        #: the control Tab comes from (the form's field above): the role rows, which are made whenever the
        #: roles change (so they stand at the end of the window's focus chain), are put right after it
        self.tab_anchor: QWidget | None = None
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        # two lines per role: organisation, primary, remove; then function and department
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1)
        self.empty_label = QLabel(self.tr("Keine Rolle in einer Organisation."), self)
        self.add_button = QPushButton(self.tr("Rolle hinzuf&ügen"), self)
        self.add_button.setAccessibleName(self.tr("Rolle hinzufügen"))
        self.add_button.clicked.connect(self.add_role)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._grid)
        layout.addLayout(buttons)
        self._update_empty()

    def set_choices(self, choices: Choices) -> None:
        """The organisations to choose from (keeps the entered roles)."""
        roles = self.entries()
        self._choices = list(choices)
        self._rebuild(roles)

    def set_roles(self, roles: Sequence[RoleData]) -> None:
        self._rebuild(
            [(r.organisation_id, r.organisation_name, r.function, r.department, r.is_primary) for r in roles]
        )

    def roles(self) -> tuple[list[RoleData], list[str]]:
        """The roles as entered, and problems the core cannot see (an organisation name that matches none)."""
        from konferenz.registry import (
            validation,  # late: the roles editor is part of a form, not of the first list
        )

        out: list[RoleData] = []
        problems: list[str] = []
        for number, row in enumerate(self._rows, start=1):
            org_id = row.picker.organisation_id()
            if org_id is None:
                if row.function.text().strip() or row.department.text().strip():
                    problems.append(self.tr("Rolle {0}: Bitte eine Organisation wählen.").format(number))
                continue
            if org_id < 0:
                problems.append(
                    self.tr(
                        "Rolle {0}: Eine Organisation „{1}“ gibt es nicht. Bitte aus der Liste wählen oder "
                        "die Organisation zuerst anlegen."
                    ).format(number, row.picker.currentText().strip())
                )
                continue
            out.append(
                validation.RoleData(
                    org_id,
                    row.function.text(),
                    row.department.text(),
                    row.primary.isChecked(),
                    row.picker.currentText(),
                )
            )
        return out, problems

    def primary_function(self) -> str:
        """The function typed at the primary role ("" when there is none): what lists and letters show."""
        for row in self._rows:
            if row.primary.isChecked():
                return row.function.text().strip()
        return ""

    def rows(self) -> list[_RoleRow]:
        return list(self._rows)

    def add_role(self) -> None:
        roles = self.entries()
        roles.append((None, "", "", "", not roles))
        self._rebuild(roles)
        self._rows[-1].picker.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def remove_role(self, index: int) -> None:
        roles = self.entries()
        if not 0 <= index < len(roles):
            return
        was_primary = roles[index][4]
        del roles[index]
        if was_primary and roles:
            first = roles[0]
            roles[0] = (first[0], first[1], first[2], first[3], True)
        self._rebuild(roles)
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].picker.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def entries(self) -> list[tuple[int | None, str, str, str, bool]]:
        """The rows as entered: (organisation id or None, organisation text, function, department, primary)."""
        out: list[tuple[int | None, str, str, str, bool]] = []
        for row in self._rows:
            org_id = row.picker.organisation_id()
            out.append(
                (
                    org_id if org_id is not None and org_id >= 0 else None,
                    row.picker.currentText(),
                    row.function.text(),
                    row.department.text(),
                    row.primary.isChecked(),
                )
            )
        return out

    def _rebuild(self, roles: Sequence[tuple[int | None, str, str, str, bool]]) -> None:
        for row in self._rows:
            self._group.removeButton(row.primary)
            for widget in row.widgets():
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._rows = []
        previous: QWidget | None = self.tab_anchor
        for number, (org_id, name, function, department, primary) in enumerate(roles, start=1):
            row = _RoleRow(self, number)
            row.picker.set_choices(self._choices, current=org_id, current_name=name)
            if org_id is None and name:
                row.picker.setEditText(name)
            row.function.setText(function)
            row.department.setText(department)
            self._group.addButton(row.primary)
            row.primary.setChecked(primary)
            top = 3 * (number - 1)
            self._grid.addWidget(row.picker, top, 0, 1, 2)
            self._grid.addWidget(row.primary, top, 2)
            self._grid.addWidget(row.remove, top, 3)
            self._grid.addWidget(row.function, top + 1, 0, 1, 2)
            self._grid.addWidget(row.department, top + 1, 2, 1, 2)
            self._grid.setRowMinimumHeight(top + 2, 6)
            for widget in row.widgets():
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
            index = number - 1
            row.remove.clicked.connect(lambda _checked=False, i=index: self.remove_role(i))
            row.picker.currentTextChanged.connect(self._emit_changed)
            row.function.textChanged.connect(self._emit_changed)
            row.department.textChanged.connect(self._emit_changed)
            row.primary.toggled.connect(self._emit_changed)
            self._rows.append(row)
        if previous is not None:
            QWidget.setTabOrder(previous, self.add_button)
        self._update_empty()

    def _emit_changed(self, *_args: object) -> None:
        self.changed.emit()

    def _update_empty(self) -> None:
        self.empty_label.setVisible(not self._rows)
