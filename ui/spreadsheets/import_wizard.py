"""Datei → Importieren …: a wizard that takes an Excel or CSV list into the address register.

Pages: 1. the file (and sheet), 2. the column mapping (a field per column, sample values, saved profiles),
3. the preview (every row with its outcome and messages; per row: überspringen / aktualisieren / trotzdem
anlegen), 4. the result of the commit, with "Import rückgängig machen". Reading, re-mapping, committing and
undoing run through ``ui.widgets.tasks.run_task`` (progress, Abbrechen; the window stays responsive); the core
(``konferenz.importing.service``) does the work and writes nothing before the commit, which is one transaction.

Also here: ``ImportsDialog`` (Datei → Importe …), the list of past imports, from which one is undone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from konferenz.errors import UserError
from konferenz.importing import profiles, undo
from konferenz.importing import service as importing
from konferenz.importing.plan import CHOICE_LABELS, ImportPlan, ImportReport, Outcome, RowChoice, RowPlan
from konferenz.spreadsheets.cells import cell_text
from konferenz.spreadsheets.columns import field_choices
from konferenz.spreadsheets.reader import describe_source
from ui.context import ORGANISATIONS, PERSONS, AppContext
from ui.widgets.tasks import Cancelled, Progress, run_task

FILE_FILTER = "Tabellen (*.xlsx *.xlsm *.csv);;Excel-Arbeitsmappen (*.xlsx *.xlsm);;CSV-Dateien (*.csv);;Alle Dateien (*)"
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
SAMPLES = 3


def choice_label(row: RowPlan, choice: RowChoice) -> str:
    """The choice as the preview names it: a new row is "angelegt", not "trotzdem angelegt"."""
    if choice is RowChoice.CREATE and row.outcome is not Outcome.DUPLICATE:
        return "anlegen"
    return CHOICE_LABELS[choice]


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# --- the preview table -----------------------------------------------------------------------------------


class PreviewModel(QAbstractTableModel):
    """The plan's rows: Zeile, Ergebnis, Art, Nr., Auswahl (editable for rows that offer a choice), Hinweise."""

    ROW, OUTCOME, KIND, ID, CHOICE, MESSAGES = range(6)
    HEADERS = ("Zeile", "Ergebnis", "Art", "Nr.", "Auswahl", "Hinweise")

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


# --- the pages ---------------------------------------------------------------------------------------------


class FilePage(QWizardPage):
    """1. Which file, which sheet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Datei wählen"))
        self.setSubTitle(
            self.tr(
                "Excel-Arbeitsmappe (.xlsx, .xlsm) oder CSV-Datei. Die Kopfzeile wird in den ersten 20 Zeilen "
                "gesucht; Titelzeilen und leere Zeilen darüber werden übersprungen."
            )
        )
        self.path_field = QLineEdit()
        self.path_field.setReadOnly(True)
        self.path_field.setAccessibleName(self.tr("Datei"))
        self.browse_button = QPushButton(self.tr("&Durchsuchen …"))
        self.browse_button.setAccessibleName(self.tr("Datei auswählen"))
        self.browse_button.clicked.connect(self.browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName(self.tr("Tabellenblatt"))
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setAccessibleName(self.tr("Gelesene Tabelle"))
        row = QHBoxLayout()
        row.addWidget(self.path_field, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout(self)
        label = QLabel(self.tr("&Datei:"))
        label.setBuddy(self.browse_button)
        form.addRow(label, row)
        sheet_label = QLabel(self.tr("&Blatt:"))
        sheet_label.setBuddy(self.sheet_combo)
        form.addRow(sheet_label, self.sheet_combo)
        form.addRow(self.info_label)

    def browse(self) -> None:
        start = self.path_field.text() or str(self._wizard.folder)
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Datei zum Importieren wählen"), start, self.tr(FILE_FILTER)
        )
        if path:
            self._wizard.open_file(path)

    def _sheet_chosen(self, index: int) -> None:
        sheet = self.sheet_combo.itemData(index)
        if self._wizard.plan is not None and sheet != self._wizard.plan.sheet and sheet is not None:
            self._wizard.open_file(self.path_field.text(), sheet=sheet)

    def show_plan(self, plan: ImportPlan | None, path: str) -> None:
        self.path_field.setText(path)
        self.sheet_combo.clear()
        if plan is None:
            self.sheet_combo.setEnabled(False)
            self.info_label.clear()
        else:
            table = plan.table
            for name in table.sheet_names:
                self.sheet_combo.addItem(name, name)
            if table.sheet is not None:
                self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(table.sheet), 0))
            self.sheet_combo.setEnabled(len(table.sheet_names) > 1)
            columns = sum(1 for c in plan.columns if c.field)
            self.info_label.setText(
                self.tr("{0}: {1} Datenzeilen, {2} von {3} Spalten erkannt.").format(
                    describe_source(table), _number(len(table.rows)), columns, len(plan.columns)
                )
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._wizard.plan is not None


class MappingPage(QWizardPage):
    """2. Which column goes into which field; saved mappings (profiles)."""

    HEADER, FIELD, SAMPLE = range(3)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Spalten zuordnen"))
        self.setSubTitle(
            self.tr(
                "Für jede Spalte der Datei: in welches Feld sie übernommen wird. Erkannte Spalten sind "
                "vorbelegt; „nicht übernehmen“ lässt eine Spalte aus."
            )
        )
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName(self.tr("Gespeicherte Zuordnung laden"))
        self.profile_combo.activated.connect(self._profile_chosen)
        self.save_button = QPushButton(self.tr("Als &Profil speichern …"))
        self.save_button.setAccessibleName(self.tr("Zuordnung als Profil speichern"))
        self.save_button.clicked.connect(self.save_profile)
        top = QHBoxLayout()
        profile_label = QLabel(self.tr("P&rofil:"))
        profile_label.setBuddy(self.profile_combo)
        top.addWidget(profile_label)
        top.addWidget(self.profile_combo, 1)
        top.addWidget(self.save_button)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(self.tr("Spaltenzuordnung"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Spalte in der Datei"), self.tr("Feld"), self.tr("Beispielwerte")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.HEADER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.combos: list[QComboBox] = []
        self._shown_mapping: list[str | None] = []

    def initializePage(self) -> None:
        plan = self._wizard.plan
        if plan is None:
            return
        self.load_profiles()
        self._fill(plan)

    def load_profiles(self) -> None:
        self.profile_combo.clear()
        self.profile_combo.addItem(self.tr("(keins – Zuordnung aus der Kopfzeile)"), None)
        try:
            names = profiles.list_profiles(self._wizard.ctx.database)
        except UserError:
            names = []
        for name in names:
            self.profile_combo.addItem(name, name)

    def _fill(self, plan: ImportPlan) -> None:
        choices = field_choices()
        samples: list[list[str]] = [[] for _ in plan.columns]
        for row in plan.table.rows:
            if all(len(s) >= SAMPLES for s in samples):
                break
            for i, column in enumerate(plan.columns):
                if len(samples[i]) < SAMPLES and column.index < len(row.values):
                    text = cell_text(row.values[column.index])
                    if text:
                        samples[i].append(text)
        self.table.setRowCount(len(plan.columns))
        self.combos = []
        for i, column in enumerate(plan.columns):
            header = QTableWidgetItem(
                column.header or self.tr("(Spalte {0} ohne Überschrift)").format(column.index + 1)
            )
            self.table.setItem(i, self.HEADER, header)
            combo = QComboBox()
            combo.setAccessibleName(
                self.tr("Feld für Spalte „{0}“").format(column.header or column.index + 1)
            )
            for name, label in choices:
                combo.addItem(self.tr(label), name)
            combo.setCurrentIndex(max(combo.findData(column.field), 0))
            self.table.setCellWidget(i, self.FIELD, combo)
            self.combos.append(combo)
            sample = QTableWidgetItem(" · ".join(samples[i]))
            sample.setToolTip("\n".join(samples[i]))
            self.table.setItem(i, self.SAMPLE, sample)
        self._shown_mapping = plan.mapping()

    def mapping(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def set_field(self, header: str, field: str | None) -> None:
        """Map the column ``header`` to ``field`` (None: not imported), as the user would."""
        plan = self._wizard.plan
        assert plan is not None
        for i, column in enumerate(plan.columns):
            if column.header.strip() == header.strip():
                self.combos[i].setCurrentIndex(self.combos[i].findData(field))
                return
        raise KeyError(header)

    def _profile_chosen(self, index: int) -> None:
        name = self.profile_combo.itemData(index)
        if name is None:
            return
        try:
            saved = profiles.load_profile(self._wizard.ctx.database, name)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Profil laden"), exc.message)
            return
        plan = self._wizard.plan
        assert plan is not None
        from konferenz.spreadsheets.columns import header_key

        by_key = {header_key(h): f for h, f in saved.items()}
        for combo, column in zip(self.combos, plan.columns, strict=True):
            key = header_key(column.header)
            if key in by_key:
                combo.setCurrentIndex(max(combo.findData(by_key[key]), 0))

    def save_profile(self) -> None:
        plan = self._wizard.plan
        if plan is None:
            return
        current = self.profile_combo.currentData() or ""
        name, ok = QInputDialog.getText(
            self, self.tr("Als Profil speichern"), self.tr("Name der Zuordnung:"), text=current
        )
        if not ok or not name.strip():
            return
        mapping = {c.header: f for c, f in zip(plan.columns, self.mapping(), strict=True) if c.header}
        try:
            profiles.save_profile(self._wizard.ctx.database, name, mapping)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Als Profil speichern"), exc.message)
            return
        self.load_profiles()
        self.profile_combo.setCurrentIndex(max(self.profile_combo.findData(name.strip()), 0))

    def validatePage(self) -> bool:
        mapping = self.mapping()
        if mapping == self._shown_mapping:
            return True
        if self._wizard.remap(mapping):
            self._shown_mapping = mapping
            return True
        return False


class PreviewPage(QWizardPage):
    """3. What would happen to every row; per-row choices; "Importieren" commits."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Vorschau"))
        self.setSubTitle(
            self.tr(
                "So würde jede Zeile übernommen; noch ist nichts gespeichert. Bei Dubletten wählen Sie je Zeile: "
                "überspringen, aktualisieren oder trotzdem anlegen (Doppelklick oder F2 in der Spalte „Auswahl“)."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Importieren"))
        self.counts_label = QLabel()
        self.counts_label.setAccessibleName(self.tr("Zusammenfassung der Vorschau"))
        self.counts_label.setWordWrap(True)
        self.only_problems = QCheckBox(self.tr("&nur Probleme zeigen"))
        self.only_problems.setAccessibleName(self.tr("nur Probleme zeigen"))
        self.model = PreviewModel(self)
        self.proxy = ProblemFilter(self)
        self.proxy.setSourceModel(self.model)
        self.only_problems.toggled.connect(self.proxy.set_only_problems)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Vorschau der Zeilen"))
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(PreviewModel.CHOICE, ChoiceDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.only_problems)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        plan = self._wizard.plan
        if plan is None:
            return
        self.model.set_rows(plan.rows)
        report = plan.report()
        parts = [
            self.tr("{0} Zeilen: {1} neu, {2} aktualisieren, {3} Dubletten, {4} abgelehnt.").format(
                _number(report.rows_read),
                _number(report.created),
                _number(report.updated),
                _number(report.duplicate),
                _number(report.rejected),
            )
        ]
        if plan.new_organisations:
            parts.append(self.tr("Neue Organisationen: {0}.").format(_number(len(plan.new_organisations))))
        if plan.new_categories:
            parts.append(self.tr("Neue Kategorien: {0}.").format(", ".join(plan.new_categories)))
        if report.skipped_rows:
            parts.append(
                self.tr("{0} Zeilen ohne Daten übersprungen.").format(_number(len(report.skipped_rows)))
            )
        self.counts_label.setText(" ".join(parts))
        for column in (PreviewModel.ROW, PreviewModel.OUTCOME, PreviewModel.KIND, PreviewModel.ID):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(
            PreviewModel.CHOICE, self.fontMetrics().horizontalAdvance("trotzdem anlegen") + 48
        )

    def validatePage(self) -> bool:
        return self._wizard.commit(dict(self.model.choices))


class ResultPage(QWizardPage):
    """4. What the import did; undo it as a whole."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Import abgeschlossen"))
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setAccessibleName(self.tr("Ergebnis des Imports"))
        self.undo_button = QPushButton(self.tr("Import &rückgängig machen"))
        self.undo_button.setAccessibleName(self.tr("Import rückgängig machen"))
        self.undo_button.clicked.connect(self._wizard.undo)
        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        self.undo_label.setAccessibleName(self.tr("Rückgängig gemacht"))
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(row)
        layout.addWidget(self.undo_label)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self._wizard.report
        if report is None:
            return
        lines = [line for line in report.summary().splitlines() if "konferenz import --undo" not in line]
        if report.batch_id is not None:
            lines.append(self.tr("Importnummer {0}").format(report.batch_id))
        rejected = [r for r in report.rows if r.outcome is Outcome.REJECTED]
        if rejected:
            lines.append("")
            lines.append(self.tr("Abgelehnte Zeilen:"))
            lines.extend(f"  {self.tr('Zeile')} {r.excel_row}: {' '.join(r.messages)}" for r in rejected[:20])
            if len(rejected) > 20:
                lines.append(self.tr("  … und {0} weitere").format(len(rejected) - 20))
        self.summary_label.setText("\n".join(lines))
        self.undo_button.setEnabled(report.batch_id is not None)
        self.undo_label.clear()


# --- the wizard ----------------------------------------------------------------------------------------------


class ImportWizard(QWizard):
    """Datei → Importieren …; ``plan`` (preview), ``report`` (after the commit), ``undo_text``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, folder: str | Path = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.folder = Path(folder) if folder else Path.home()
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.undo_text = ""
        self.setWindowTitle(self.tr("Adressen importieren"))
        self.setObjectName("ImportWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Weiter >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Zurück"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Abbrechen"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Fertig"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.result_page):
            self.addPage(page)
        self.resize(1000, 640)

    # -- steps (public, so tests drive them like the buttons do)

    def open_file(self, path: str | Path, sheet: str | None = None) -> bool:
        """Read ``path`` (sheet ``sheet`` or the first with a header) and preview it."""
        database = self.ctx.database

        def work(progress: Progress, cancelled: Cancelled) -> ImportPlan:
            return importing.plan_import(database, Path(path), sheet, progress=progress, cancelled=cancelled)

        try:
            plan = run_task(
                self, self.tr("Datei lesen"), work, label=self.tr("Lese „{0}“ …").format(Path(path).name)
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Datei lesen"), exc.message)
            self.plan = None
            self.file_page.show_plan(None, str(path))
            return False
        self.plan = plan
        self.folder = Path(path).parent
        self.file_page.show_plan(plan, str(path))
        return True

    def remap(self, mapping: list[str | None]) -> bool:
        """Preview again with another column mapping (the file is not read again)."""
        plan = self.plan
        assert plan is not None
        database = self.ctx.database

        def work(progress: Progress, cancelled: Cancelled) -> ImportPlan:
            progress(0, 0)
            return importing.remap(database, plan, mapping)

        try:
            self.plan = run_task(self, self.tr("Zuordnung übernehmen"), work)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Spalten zuordnen"), exc.message)
            return False
        return True

    def commit(self, choices: dict[int, RowChoice]) -> bool:
        """Import the previewed rows in one transaction (Abbrechen: nothing is stored)."""
        plan = self.plan
        assert plan is not None
        database = self.ctx.database
        name = plan.path.name

        def work(progress: Progress, cancelled: Cancelled) -> ImportReport:
            return importing.commit_import(
                database, plan, choices, plan.update, progress, cancelled, file_name=name
            )

        try:
            self.report = run_task(
                self, self.tr("Importieren"), work, label=self.tr("Importiere „{0}“ …").format(name)
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Importieren"), exc.message)
            return False
        self.ctx.announce(PERSONS, ORGANISATIONS)
        return True

    def undo(self) -> bool:
        """Take the committed import back (refused with the reasons when its records were used since)."""
        report = self.report
        if report is None or report.batch_id is None:
            return False
        result = undo_batch(self, self.ctx, report.batch_id)
        if result is None:
            return False
        self.undo_text = result
        self.result_page.undo_label.setText(result)
        self.result_page.undo_button.setEnabled(False)
        return True


def undo_batch(parent: QWidget, ctx: AppContext, batch_id: int, *, confirm: bool = True) -> str | None:
    """Undo the import ``batch_id`` after asking; the result text, or None (refused, declined, failed)."""
    title = parent.tr("Import rückgängig machen")
    database = ctx.database
    with database.read_session() as s:
        reasons = undo.undo_blockers(s, batch_id)
    if reasons:
        QMessageBox.warning(
            parent,
            title,
            parent.tr("Der Import kann nicht rückgängig gemacht werden:") + "\n\n" + "\n".join(reasons),
        )
        return None
    if confirm:
        answer = QMessageBox.question(
            parent,
            title,
            parent.tr(
                "Import {0} rückgängig machen? Angelegte Personen und Organisationen werden entfernt, "
                "aktualisierte bekommen ihre Werte von vor dem Import zurück."
            ).format(batch_id),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None

    def work(progress: Progress, cancelled: Cancelled) -> str:
        progress(0, 0)
        return undo.undo_import(database, batch_id).text

    try:
        text = run_task(parent, title, work)
    except UserError as exc:
        QMessageBox.warning(parent, title, exc.message)
        return None
    ctx.announce(PERSONS, ORGANISATIONS)
    return text


# --- Datei → Importe … -------------------------------------------------------------------------------------


class ImportsDialog(QDialog):
    """The committed imports, newest first; the chosen one can be undone."""

    HEADERS = (
        "Nr.",
        "Datum",
        "Datei",
        "Zeilen",
        "angelegt",
        "aktualisiert",
        "Benutzer",
        "rückgängig gemacht",
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Importe"))
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setAccessibleName(self.tr("Bisherige Importe"))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.undo_button = QPushButton(self.tr("Import &rückgängig machen"))
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.resize(900, 420)
        self.reload()

    def reload(self) -> None:
        self.imports = undo.list_imports(self.ctx.database)
        self.table.setRowCount(len(self.imports))
        for row, info in enumerate(self.imports):
            values = (
                str(info.id),
                f"{info.imported_at:%d.%m.%Y %H:%M}",
                info.file_name,
                _number(info.rows_read),
                _number(info.created),
                _number(info.updated),
                info.os_user,
                f"{info.undone_at:%d.%m.%Y %H:%M}" if info.undone_at else "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        if self.imports:
            self.table.selectRow(0)
        self._update_button()

    def _selected(self) -> undo.ImportInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.imports[min(rows)] if rows else None

    def _update_button(self) -> None:
        info = self._selected()
        self.undo_button.setEnabled(info is not None and info.undone_at is None)

    def undo_selected(self) -> None:
        info = self._selected()
        if info is None or info.undone_at is not None:
            return
        text = undo_batch(self, self.ctx, info.id)
        if text is not None:
            QMessageBox.information(self, self.tr("Import rückgängig machen"), text)
            self.reload()
