"""Dialogs of the Programm area: one agenda item, and the forums of a Forenphase.

``AgendaItemDialog`` edits everything of an item except its start, which follows from the order
(the start of the conference plus the durations before it). Speakers and moderation are free text; while
typing, persons of the register are offered (``RegistryCompleter``). The Regieplan fields (responsible
staff, internal notes) are never printed in the programme.

``ForumAssignDialog`` chooses which forums of the conference run in parallel during a Forenphase, and in
which order.

Both remember their size and position (``ui.widgets.geometry.remember_geometry``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import AgendaItemType, label
from konferenz.programme.service import ItemData
from konferenz.storage.db import Database
from ui.programme.agenda_model import ForumChoice
from ui.widgets.geometry import remember_geometry
from ui.widgets.registry_completer import RegistryCompleter


def plain_text_edit(accessible_name: str, *, lines: int = 3, parent: QWidget | None = None) -> QPlainTextEdit:
    """A multi-line field in which Tab moves on (keyboard users) instead of inserting a tab."""
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible_name)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class AgendaItemDialog(QDialog):
    """New or changed agenda item."""

    def __init__(
        self,
        database: Callable[[], Database],
        parent: QWidget | None = None,
        *,
        data: ItemData | None = None,
        start_text: str = "",
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Programmpunkt"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("AgendaItemDialog")

        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(self.tr("Titel"))
        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName(self.tr("Art des Programmpunkts"))
        for item_type in AgendaItemType:
            self.type_combo.addItem(label(item_type), item_type)
        self.duration = QSpinBox(self)
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(self.tr(" Min."))
        self.duration.setAccessibleName(self.tr("Dauer in Minuten"))
        self.start_label = QLabel(start_text or self.tr("ergibt sich aus der Reihenfolge"), self)
        self.start_label.setAccessibleName(self.tr("Beginn"))
        self.start_label.setToolTip(
            self.tr("Der Beginn folgt aus dem Beginn der Konferenz und der Dauer der Punkte davor.")
        )
        self.room_edit = QLineEdit(self)
        self.room_edit.setAccessibleName(self.tr("Raum"))
        self.speakers_edit = QLineEdit(self)
        self.speakers_edit.setAccessibleName(self.tr("Mitwirkende"))
        self.speakers_edit.setPlaceholderText(
            self.tr("Namen, getrennt durch „;“ – aus dem Adressbestand oder frei")
        )
        self.speakers_completer = RegistryCompleter(self.speakers_edit, database, multiple=True)
        self.moderation_edit = QLineEdit(self)
        self.moderation_edit.setAccessibleName(self.tr("Moderation"))
        self.moderation_completer = RegistryCompleter(self.moderation_edit, database, multiple=True)
        self.description_edit = plain_text_edit(self.tr("Beschreibung"), lines=3, parent=self)
        self.staff_edit = QLineEdit(self)
        self.staff_edit.setAccessibleName(self.tr("Verantwortlich (Regieplan)"))
        self.notes_edit = plain_text_edit(self.tr("Interne Notizen (Regieplan)"), lines=3, parent=self)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Hinweis"))
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self._label(self.tr("&Titel:"), self.title_edit), self.title_edit)
        form.addRow(self._label(self.tr("&Art:"), self.type_combo), self.type_combo)
        form.addRow(self._label(self.tr("&Dauer:"), self.duration), self.duration)
        form.addRow(self.tr("Beginn:"), self.start_label)
        form.addRow(self._label(self.tr("&Raum:"), self.room_edit), self.room_edit)
        form.addRow(self._label(self.tr("&Mitwirkende:"), self.speakers_edit), self.speakers_edit)
        form.addRow(self._label(self.tr("M&oderation:"), self.moderation_edit), self.moderation_edit)
        form.addRow(self._label(self.tr("&Beschreibung:"), self.description_edit), self.description_edit)
        internal = QGroupBox(self.tr("Regieplan (intern, nicht im gedruckten Programm)"), self)
        internal_form = QFormLayout(internal)
        internal_form.addRow(self._label(self.tr("&Verantwortlich:"), self.staff_edit), self.staff_edit)
        internal_form.addRow(self._label(self.tr("&Notizen:"), self.notes_edit), self.notes_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(internal)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())
        if data is not None:
            self.set_data(data)
        else:
            self.duration.setValue(30)
        remember_geometry(self, "AgendaItemDialog")

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        widget = QLabel(text, self)
        widget.setBuddy(buddy)
        return widget

    def set_data(self, data: ItemData) -> None:
        self.title_edit.setText(data.title)
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(data.item_type)))
        self.duration.setValue(data.duration_minutes)
        self.room_edit.setText(data.room)
        self.speakers_edit.setText(data.speakers)
        self.moderation_edit.setText(data.moderation)
        self.description_edit.setPlainText(data.description)
        self.staff_edit.setText(data.responsible_staff)
        self.notes_edit.setPlainText(data.internal_notes)

    def data(self) -> ItemData:
        # Qt hands a StrEnum back as its plain value
        item_type = AgendaItemType(str(self.type_combo.currentData() or AgendaItemType.OTHER))
        return ItemData(
            title=self.title_edit.text().strip(),
            duration_minutes=self.duration.value(),
            item_type=item_type,
            description=self.description_edit.toPlainText().strip(),
            speakers=self.speakers_edit.text().strip(),
            moderation=self.moderation_edit.text().strip(),
            room=self.room_edit.text().strip(),
            responsible_staff=self.staff_edit.text().strip(),
            internal_notes=self.notes_edit.toPlainText().strip(),
        )

    def accept(self) -> None:
        if not self.title_edit.text().strip():
            self.show_error(self.tr("Bitte einen Titel für den Programmpunkt angeben."))
            self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()

    def show_error(self, message: str) -> None:
        self.error_label.setText(self.tr("Hinweis: {0}").format(message))
        self.error_label.show()


class ForumAssignDialog(QDialog):
    """Which forums run in parallel during one Forenphase, in which order."""

    def __init__(
        self,
        forums: Sequence[ForumChoice],
        item_id: int,
        item_titles: dict[int, str],
        parent: QWidget | None = None,
        *,
        phase_title: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Foren zuordnen"))
        self.setAccessibleName(self.windowTitle())
        self.item_id = item_id
        intro = QLabel(
            self.tr(
                "Die angehakten Foren laufen parallel in der Forenphase „{0}“, in der Reihenfolge dieser "
                "Liste (Alt+Pfeil nach oben/unten verschiebt). Ein Forum einer anderen Forenphase wird "
                "beim Anhaken hierher verlegt."
            ).format(phase_title),
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Foren der Konferenz"))
        mine = [f for f in forums if f.agenda_item_id == item_id]
        others = [f for f in forums if f.agenda_item_id != item_id]
        for forum in [*mine, *others]:
            text = forum.label
            if forum.agenda_item_id not in (None, item_id):
                text += self.tr(" (bisher in: {0})").format(item_titles.get(forum.agenda_item_id or 0, "?"))
            entry = QListWidgetItem(text, self.list)
            entry.setData(Qt.ItemDataRole.UserRole, forum.id)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if forum.agenda_item_id == item_id:
                # the core can move a forum to another Forenphase, not take it out of every one
                entry.setCheckState(Qt.CheckState.Checked)
                entry.setToolTip(self.tr("Läuft in dieser Forenphase"))
            else:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
                entry.setCheckState(Qt.CheckState.Unchecked)
            entry.setFlags(flags)
        if not forums:
            self.list.addItem(self.tr("(Für diese Konferenz sind keine Foren angelegt.)"))
        self.list.setCurrentRow(0)
        up = QPushButton(self.tr("Nach &oben"), self)
        down = QPushButton(self.tr("Nach &unten"), self)
        up.clicked.connect(lambda: self.move_current(-1))
        down.clicked.connect(lambda: self.move_current(+1))
        for key, step in (("Alt+Up", -1), ("Alt+Down", +1)):
            shortcut = QShortcut(QKeySequence(key), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda step=step: self.move_current(step))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Zuordnen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(up)
        side.addWidget(down)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(560, 360)
        remember_geometry(self, "ForumAssignDialog")

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        entry = self.list.takeItem(row)
        self.list.insertItem(target, entry)
        self.list.setCurrentRow(target)

    def set_checked(self, forum_id: int, checked: bool = True) -> None:
        for row in range(self.list.count()):
            entry = self.list.item(row)
            if (
                entry.data(Qt.ItemDataRole.UserRole) == forum_id
                and entry.flags() & Qt.ItemFlag.ItemIsUserCheckable
            ):
                entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def forum_ids(self) -> list[int]:
        """The checked forums in list order."""
        result = []
        for row in range(self.list.count()):
            entry = self.list.item(row)
            forum_id = entry.data(Qt.ItemDataRole.UserRole)
            if forum_id is not None and entry.checkState() == Qt.CheckState.Checked:
                result.append(int(forum_id))
        return result
