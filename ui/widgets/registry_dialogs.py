"""Questions the address register asks: a save conflict with another workplace, a possible duplicate.

- ``ConflictDialog``: the record was saved at another workplace since it was loaded. Lists the fields
  that differ ("Ihre Eingabe" / "gespeichert von anderem Arbeitsplatz") and lets the user overwrite the
  stored version with the input, discard the input, or go on editing.
- ``DuplicateQuestion``: the record being saved may exist already. Lists the candidates with the reason
  ("gleiche E-Mail-Adresse") and offers "Trotzdem speichern", "Zusammenführen …" or "Abbrechen".

Both remember their size (``ui.widgets.geometry.remember_geometry``).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.destructive import mark_destructive
from ui.widgets.geometry import remember_geometry


@dataclass(frozen=True)
class DuplicateCandidate:
    """A stored person or organisation that may be the one being saved."""

    record_id: int
    label: str
    reason: str
    certain: bool


class ConflictChoice(enum.Enum):
    OVERWRITE = "overwrite"
    DISCARD = "discard"
    KEEP_EDITING = "keep_editing"


class ConflictDialog(QDialog):
    """Both versions of a record that was changed elsewhere while the user edited it."""

    def __init__(
        self,
        what: str,
        differences: Sequence[tuple[str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """``differences``: (field label, the user's input, the stored value) of every differing field."""
        super().__init__(parent)
        self.choice = ConflictChoice.KEEP_EDITING
        self.setWindowTitle(self.tr("Inzwischen an einem anderen Arbeitsplatz geändert"))
        intro = QLabel(
            self.tr(
                "„{0}“ wurde inzwischen an einem anderen Arbeitsplatz geändert und gespeichert. "
                "Ihre Eingabe ist noch nicht gespeichert. Diese Angaben unterscheiden sich:"
            ).format(what),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(differences), 3, self)
        self.table.setAccessibleName(
            self.tr("Unterschiede zwischen Ihrer Eingabe und dem gespeicherten Stand")
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("Feld"), self.tr("Ihre Eingabe"), self.tr("gespeichert von anderem Arbeitsplatz")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        for row, (label, mine, theirs) in enumerate(differences):
            for column, text in enumerate((label, mine or self.tr("(leer)"), theirs or self.tr("(leer)"))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        if not differences:
            self.table.hide()
            intro.setText(
                self.tr(
                    "„{0}“ wurde inzwischen an einem anderen Arbeitsplatz gespeichert (mit denselben "
                    "Angaben wie Ihre Eingabe oder nur bei Rollen, Schlagwörtern oder Einwilligungen)."
                ).format(what)
            )

        buttons = QDialogButtonBox(self)
        self.overwrite_button = QPushButton(self.tr("Meine Eingabe &speichern (überschreibt)"), self)
        self.overwrite_button.setAccessibleName(
            self.tr("Meine Eingabe speichern und den anderen Stand überschreiben")
        )
        self.discard_button = QPushButton(self.tr("Meine Änderung &verwerfen"), self)
        mark_destructive(self.discard_button)
        self.discard_button.setAccessibleName(
            self.tr("Meine Änderung verwerfen und den gespeicherten Stand anzeigen")
        )
        self.edit_button = QPushButton(self.tr("&Weiter bearbeiten"), self)
        self.edit_button.setAccessibleName(self.tr("Weiter bearbeiten, nichts speichern"))
        buttons.addButton(self.overwrite_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.overwrite_button.clicked.connect(lambda: self._choose(ConflictChoice.OVERWRITE))
        self.discard_button.clicked.connect(lambda: self._choose(ConflictChoice.DISCARD))
        self.edit_button.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_EDITING))
        self.edit_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(60 * em, 22 * self.fontMetrics().height())
        remember_geometry(self, "Konflikt")

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        if choice is ConflictChoice.KEEP_EDITING:
            self.reject()
        else:
            self.accept()

    def differences(self) -> list[tuple[str, str, str]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]


def ask_conflict(parent: QWidget, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
    """Show both versions of ``what`` (field, the user's input, the stored value) and return the choice."""
    dialog = ConflictDialog(what, differences, parent)
    dialog.exec()
    choice = dialog.choice
    dialog.deleteLater()
    return choice


class DuplicateChoice(enum.Enum):
    SAVE = "save"
    MERGE = "merge"
    CANCEL = "cancel"


class DuplicateQuestion(QDialog):
    """ "Mögliche Dublette": save anyway, merge with a candidate, or cancel."""

    def __init__(
        self, what: str, candidates: Sequence[DuplicateCandidate], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.choice = DuplicateChoice.CANCEL
        self.setWindowTitle(self.tr("Mögliche Dublette"))
        certain = any(c.certain for c in candidates)
        intro = QLabel(
            (
                self.tr("„{0}“ ist sehr wahrscheinlich schon gespeichert:")
                if certain
                else self.tr("„{0}“ ist vielleicht schon gespeichert:")
            ).format(what),
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Mögliche Dubletten"))
        for candidate in candidates:
            item = QListWidgetItem(f"{candidate.label} — {candidate.reason}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, candidate.record_id)
            item.setToolTip(candidate.reason)
        self.list.setCurrentRow(0)
        hint = QLabel(
            self.tr(
                "„Zusammenführen …“ speichert Ihre Eingabe und zeigt dann beide Einträge nebeneinander; "
                "Sie wählen je Angabe, was bleibt."
            ),
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(self.tr("Trotzdem &speichern"), self)
        self.merge_button = QPushButton(self.tr("&Zusammenführen …"), self)
        self.cancel_button = QPushButton(self.tr("Abbrechen"), self)
        for button, name in (
            (self.save_button, self.tr("Trotzdem speichern")),
            (self.merge_button, self.tr("Speichern und mit dem gewählten Eintrag zusammenführen")),
            (self.cancel_button, self.tr("Abbrechen, nichts speichern")),
        ):
            button.setAccessibleName(name)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda: self._choose(DuplicateChoice.SAVE))
        self.merge_button.clicked.connect(lambda: self._choose(DuplicateChoice.MERGE))
        self.cancel_button.clicked.connect(lambda: self._choose(DuplicateChoice.CANCEL))
        self.cancel_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(50 * em, 16 * self.fontMetrics().height())
        remember_geometry(self, "Dublette")

    def _choose(self, choice: DuplicateChoice) -> None:
        self.choice = choice
        if choice is DuplicateChoice.CANCEL:
            self.reject()
        else:
            self.accept()

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
