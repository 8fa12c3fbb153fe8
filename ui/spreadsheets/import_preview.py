"""The preview table of the import wizard: every row of the plan with its outcome, kind, record, choice and
messages (``PreviewModel``), the "nur Probleme" filter and the per-row choice editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from konferenz.importing.plan import CHOICE_LABELS, Outcome, RowChoice, RowPlan
from konferenz.names import list_name

#: the outcome as the preview names it (what would happen)
PREVIEW_LABELS: dict[Outcome, str] = {
    Outcome.CREATED: "neu",
    Outcome.UPDATED: "aktualisieren",
    Outcome.DUPLICATE: "Dublette",
    Outcome.REJECTED: "abgelehnt",
}
KIND_LABELS = {"person": "Person", "organisation": "Organisation"}
_OUTCOME_COLOURS = {
    Outcome.DUPLICATE: QColor(255, 243, 205),
    Outcome.REJECTED: QColor(248, 215, 218),
}


def choice_label(row: RowPlan, choice: RowChoice) -> str:
    """The choice as the preview names it: a new row is "angelegt", not "trotzdem angelegt"."""
    if choice is RowChoice.CREATE and row.outcome is not Outcome.DUPLICATE:
        return "anlegen"
    return CHOICE_LABELS[choice]


class PreviewModel(QAbstractTableModel):
    """The plan's rows: Zeile, Ergebnis, Art, Name (the filing form, "Öztürk, Dr. Ayşe"), Organisation, Nr.,
    Auswahl (editable for rows that offer a choice), Hinweise."""

    ROW, OUTCOME, KIND, NAME, ORGANISATION, ID, CHOICE, MESSAGES = range(8)
    HEADERS = ("Zeile", "Ergebnis", "Art", "Name", "Organisation", "Nr.", "Auswahl", "Hinweise")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowPlan] = []
        #: excel row → the choice the user made (only where it differs from the row's default)
        self.choices: dict[int, RowChoice] = {}

    def set_rows(self, rows: list[RowPlan]) -> None:
        self.beginResetModel()
        self.rows = rows
        offered = {r.excel_row: r.choices for r in rows}
        self.choices = {k: v for k, v in self.choices.items() if v in offered.get(k, ())}
        self.endResetModel()

    def choice_of(self, row: RowPlan) -> RowChoice | None:
        return self.choices.get(row.excel_row, row.choice)

    def set_choice(self, excel_row: int, choice: RowChoice) -> None:
        for i, row in enumerate(self.rows):
            if row.excel_row == excel_row and choice in row.choices:
                self.choices[excel_row] = choice
                index = self.index(i, self.CHOICE)
                self.dataChanged.emit(index, index)
                return
        raise KeyError(excel_row)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.CHOICE and len(self.rows[index.row()].choices) > 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.ROW:
                return row.excel_row
            if column == self.OUTCOME:
                return self.tr(PREVIEW_LABELS[row.outcome])
            if column == self.KIND:
                return self.tr(KIND_LABELS.get(row.kind or "", ""))
            if column == self.NAME:
                v = row.values
                return list_name(
                    v.get("name_prefix"), v.get("last_name"), v.get("first_name"), v.get("title")
                )
            if column == self.ORGANISATION:
                return row.values.get("organisation", "")
            if column == self.ID:
                return row.id if row.id is not None else ""
            if column == self.CHOICE:
                choice = self.choice_of(row)
                if choice is None or len(row.choices) < 2:
                    return ""
                return self.tr(choice_label(row, choice))
            if column == self.MESSAGES:
                joined = " ".join(row.messages)
                return "\n".join(row.messages) if role == Qt.ItemDataRole.ToolTipRole else joined
        if role == Qt.ItemDataRole.BackgroundRole and row.outcome in _OUTCOME_COLOURS:
            return QBrush(_OUTCOME_COLOURS[row.outcome])
        if role == Qt.ItemDataRole.ForegroundRole and row.outcome in _OUTCOME_COLOURS:
            return QBrush(QColor(0, 0, 0))
        if role == Qt.ItemDataRole.EditRole and column == self.CHOICE:
            choice = self.choice_of(row)
            return choice.value if choice is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ROW, self.ID):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or index.column() != self.CHOICE or role != Qt.ItemDataRole.EditRole:
            return False
        row = self.rows[index.row()]
        try:
            choice = RowChoice(value)
        except ValueError:
            return False
        if choice not in row.choices:
            return False
        self.choices[row.excel_row] = choice
        self.dataChanged.emit(index, index)
        return True

    def is_problem(self, row: int) -> bool:
        plan = self.rows[row]
        return plan.outcome in (Outcome.DUPLICATE, Outcome.REJECTED) or bool(plan.messages)


class ProblemFilter(QSortFilterProxyModel):
    """ "nur Probleme": duplicates, rejected rows and rows with messages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.only_problems = False

    def set_only_problems(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_problems = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not self.only_problems or not isinstance(model, PreviewModel):
            return True
        return model.is_problem(source_row)


class ChoiceDelegate(QStyledItemDelegate):
    """A combobox with the choices the row offers (überspringen / aktualisieren / trotzdem anlegen)."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.tr("Auswahl für diese Zeile"))
        source = index.model()
        proxy_index = index
        if isinstance(source, QSortFilterProxyModel):
            proxy_index = source.mapToSource(index)
            source = source.sourceModel()
        if isinstance(source, PreviewModel):
            row = source.rows[proxy_index.row()]
            for choice in row.choices:
                combo.addItem(self.tr(choice_label(row, choice)), choice.value)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
