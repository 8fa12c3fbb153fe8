"""Merge two persons (or two organisations): both records side by side, one choice per differing field.

The dialog shows record A and record B in two columns. For every field whose values differ there is a
pair of radio buttons; the defaults come from ``konferenz.registry.merge.merge_proposal`` (a filled value
beats an empty one, the surviving record wins a conflict). Above the fields the user chooses which record
survives (its number, invitations and history stay; the other one is deleted after its roles,
invitations, consents and tags moved over). Below, what else will happen ("2 Einladung(en) übernommen").

"Zusammenführen" runs the merge as one undoable step (``ui.addresses.ops``); Strg+Z separates the two
records again exactly as they were.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.registry import reads as registry_reads
from konferenz.registry.merge import Choice, MergeProposal, MergeResult
from ui.addresses import ops as registry_ops
from ui.context import AppContext
from ui.widgets.geometry import remember_geometry

Kind = Literal["person", "organisation"]


class MergeDialog(QDialog):
    """Merge record ``second_id`` into ``first_id`` (or the other way round, as the user chooses)."""

    def __init__(
        self, ctx: AppContext, kind: Kind, first_id: int, second_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.ids = (first_id, second_id)
        self.result_: MergeResult | None = None
        self.proposal: MergeProposal | None = None
        self._groups: dict[str, QButtonGroup] = {}
        self._radios: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self.setWindowTitle(
            self.tr("Personen zusammenführen")
            if kind == "person"
            else self.tr("Organisationen zusammenführen")
        )

        self.keep_box = QGroupBox(self.tr("Welcher Eintrag bleibt erhalten?"), self)
        self.keep_a = QRadioButton(self.keep_box)
        self.keep_b = QRadioButton(self.keep_box)
        self.keep_a.setChecked(True)
        keep_layout = QVBoxLayout(self.keep_box)
        keep_layout.addWidget(self.keep_a)
        keep_layout.addWidget(self.keep_b)
        self.keep_a.toggled.connect(self._on_keep_changed)

        self.fields_widget = QWidget(self)
        self.grid = QGridLayout(self.fields_widget)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # no Tab stop of its own: a focused choice scrolls into view
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.fields_widget)
        self.same_label = QLabel(self)
        self.same_label.setWordWrap(True)
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(self)
        self.merge_button = QPushButton(self.tr("&Zusammenführen"), self)
        self.merge_button.setAccessibleName(self.tr("Zusammenführen"))
        self.cancel_button = QPushButton(self.tr("Abbrechen"), self)
        self.cancel_button.setAccessibleName(self.tr("Abbrechen, nichts ändern"))
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.clicked.connect(self.merge)
        self.cancel_button.clicked.connect(self.reject)

        intro = QLabel(
            self.tr(
                "Wählen Sie je Angabe den Wert, der bleiben soll. Rollen, Einladungen, Einwilligungen, "
                "Schlagwörter und der Verlauf gehen auf den bleibenden Eintrag über. Die Zusammenführung "
                "kann mit Strg+Z rückgängig gemacht werden."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.keep_box)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.same_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(62 * em, 36 * self.fontMetrics().height())
        remember_geometry(self, "Zusammenfuehren")
        self._load(keep_first=True)

    # --- state ---------------------------------------------------------------------------------------

    @property
    def keep_id(self) -> int:
        return self.ids[0] if self.keep_a.isChecked() else self.ids[1]

    @property
    def drop_id(self) -> int:
        return self.ids[1] if self.keep_a.isChecked() else self.ids[0]

    def choices(self) -> dict[str, Choice]:
        """keep/drop per differing field, as chosen."""
        keep_first = self.keep_a.isChecked()
        out: dict[str, Choice] = {}
        for name, (radio_a, _radio_b) in self._radios.items():
            a_chosen = radio_a.isChecked()
            out[name] = "keep" if a_chosen == keep_first else "drop"
        return out

    def choose(self, field: str, side: Literal["A", "B"]) -> None:
        """Pick the value of record A or B for ``field`` (as a click on its radio button does)."""
        radio_a, radio_b = self._radios[field]
        (radio_a if side == "A" else radio_b).setChecked(True)

    def differing_fields(self) -> list[str]:
        return list(self._radios)

    # --- building -----------------------------------------------------------------------------------

    def _proposal(self, keep_id: int, drop_id: int) -> MergeProposal:
        return registry_reads.merge_proposal(self.ctx.database, self.kind, keep_id, drop_id)

    def _load(self, *, keep_first: bool) -> None:
        a, b = self.ids
        keep, drop = (a, b) if keep_first else (b, a)
        proposal = self._proposal(keep, drop)
        self.proposal = proposal
        label_a, label_b = (
            (proposal.keep_label, proposal.drop_label)
            if keep_first
            else (proposal.drop_label, proposal.keep_label)
        )
        self.keep_a.setText(self.tr("A: {0} (Nr. {1})").format(label_a, a))
        self.keep_b.setText(self.tr("B: {0} (Nr. {1})").format(label_b, b))
        self.keep_a.setAccessibleName(self.tr("Eintrag A bleibt erhalten: {0}").format(label_a))
        self.keep_b.setAccessibleName(self.tr("Eintrag B bleibt erhalten: {0}").format(label_b))
        self._build_fields(proposal, keep_first)
        notes = proposal.notes
        self.notes_label.setText(
            self.tr("Außerdem:") + "\n" + "\n".join(f"• {n}" for n in notes)
            if notes
            else self.tr("Keine Rollen, Einladungen oder Schlagwörter zu übernehmen.")
        )

    def _build_fields(self, proposal: MergeProposal, keep_first: bool) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._groups.clear()
        self._radios.clear()
        for column, text in enumerate((self.tr("Angabe"), self.tr("Eintrag A"), self.tr("Eintrag B"))):
            header = QLabel(f"<b>{text}</b>", self.fields_widget)
            self.grid.addWidget(header, 0, column)
        same: list[str] = []
        row = 1
        previous: QWidget | None = self.keep_b
        for merge_field in proposal.fields:
            if not merge_field.differs:
                if merge_field.keep_value:
                    same.append(merge_field.label)
                continue
            value_a, value_b = (
                (merge_field.keep_value, merge_field.drop_value)
                if keep_first
                else (merge_field.drop_value, merge_field.keep_value)
            )
            default_a = (merge_field.default == "keep") == keep_first
            label = QLabel(merge_field.label, self.fields_widget)
            radio_a = QRadioButton(_shown(value_a, self.tr("(leer)")), self.fields_widget)
            radio_b = QRadioButton(_shown(value_b, self.tr("(leer)")), self.fields_widget)
            for radio, side, value in ((radio_a, "A", value_a), (radio_b, "B", value_b)):
                radio.setAccessibleName(
                    self.tr("{0} aus Eintrag {1}: {2}").format(
                        merge_field.label, side, value or self.tr("leer")
                    )
                )
                radio.setToolTip(value)
            group = QButtonGroup(self)
            group.addButton(radio_a)
            group.addButton(radio_b)
            (radio_a if default_a else radio_b).setChecked(True)
            label.setBuddy(radio_a if default_a else radio_b)
            self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(radio_a, row, 1)
            self.grid.addWidget(radio_b, row, 2)
            if previous is not None:
                QWidget.setTabOrder(previous, radio_a)
            QWidget.setTabOrder(radio_a, radio_b)
            previous = radio_b
            self._groups[merge_field.field] = group
            self._radios[merge_field.field] = (radio_a, radio_b)
            row += 1
        if not self._radios:
            self.grid.addWidget(
                QLabel(self.tr("Alle Angaben stimmen überein."), self.fields_widget), row, 0, 1, 3
            )
            row += 1
        self.grid.setRowStretch(row, 1)
        self.same_label.setText(self.tr("In beiden gleich: {0}").format(", ".join(same)) if same else "")
        self.same_label.setVisible(bool(same))

    def _on_keep_changed(self, _checked: bool) -> None:
        # the chosen values stay chosen; only which record survives changes
        chosen = {name: radio_a.isChecked() for name, (radio_a, _b) in self._radios.items()}
        self._load(keep_first=self.keep_a.isChecked())
        for name, a_chosen in chosen.items():
            if name in self._radios:
                self.choose(name, "A" if a_chosen else "B")

    # --- merging -------------------------------------------------------------------------------------

    def merge(self) -> None:
        proposal = self.proposal
        assert proposal is not None
        text = self.tr("„{0}“ und „{1}“ zusammenführen").format(proposal.keep_label, proposal.drop_label)
        try:
            if self.kind == "person":
                self.result_ = registry_ops.merge_persons(
                    self.ctx, self.keep_id, self.drop_id, self.choices(), text
                )
            else:
                self.result_ = registry_ops.merge_organisations(
                    self.ctx, self.keep_id, self.drop_id, self.choices(), text
                )
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self.accept()


def _shown(value: str, empty: str) -> str:
    text = " ".join(value.split()) if value else empty
    return text if len(text) <= 60 else text[:59] + "…"
