"""The four pages of the import wizard: 1. the file (and sheet), 2. the column mapping (a field per column,
sample values, saved profiles), 3. the preview with the per-row choices, 4. the result with "Import
rückgängig machen". The pages show and ask; the steps themselves are the wizard's (``ImportWizard``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from konferenz.errors import UserError
from konferenz.importing import profiles
from konferenz.importing.plan import ImportPlan, Outcome
from konferenz.lists.source import format_count
from konferenz.spreadsheets.cells import cell_text
from konferenz.spreadsheets.columns import field_choices
from konferenz.spreadsheets.table import describe_source
from ui.spreadsheets.import_preview import ChoiceDelegate, PreviewModel, ProblemFilter
from ui.widgets.destructive import mark_destructive

if TYPE_CHECKING:
    from ui.spreadsheets.import_wizard import ImportWizard

FILE_FILTER = (
    "Tabellen und Kontakte (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.tsv *.txt *.vcf);;"
    "Excel-Arbeitsmappen (*.xlsx *.xlsm *.xlsb *.xls);;OpenDocument-Tabellen (*.ods);;"
    "Text und CSV (*.csv *.tsv *.txt);;vCard-Dateien (*.vcf);;Alle Dateien (*)"
)
SAMPLES = 3


class FilePage(QWizardPage):
    """1. Which file, which sheet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Datei wählen"))
        self.setSubTitle(
            self.tr(
                "Excel (.xlsx, .xlsm, .xlsb, .xls), LibreOffice (.ods), CSV/Text oder vCard (.vcf), auch "
                "Kontakte aus Outlook, Thunderbird und Google. Die Kopfzeile wird in den ersten 20 Zeilen "
                "gesucht; Titelzeilen und leere Zeilen darüber werden übersprungen."
            )
        )
        # a path may be typed or pasted; Weiter (Enter) reads it first (``validatePage``)
        self.path_field = QLineEdit()
        self.path_field.setAccessibleName(self.tr("Datei"))
        self.path_field.setPlaceholderText(self.tr("Pfad eingeben oder „Durchsuchen …“ wählen"))
        self.path_field.setClearButtonEnabled(True)
        self.path_field.textChanged.connect(self.completeChanged)
        self.browse_button = QPushButton(self.tr("Durch&suchen …"))
        self.browse_button.setAccessibleName(self.tr("Datei auswählen"))
        # Enter after choosing a file goes to Weiter, not to the file chooser again
        self.browse_button.setAutoDefault(False)
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
        label = QLabel(self.tr("Da&tei:"))
        label.setBuddy(self.path_field)
        form.addRow(label, row)
        sheet_label = QLabel(self.tr("&Blatt:"))
        sheet_label.setBuddy(self.sheet_combo)
        form.addRow(sheet_label, self.sheet_combo)
        form.addRow(self.info_label)
        self._shown_path = ""

    def browse(self) -> None:
        start = self.path_field.text() or str(self._wizard.folder)
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Datei zum Importieren wählen"), start, self.tr(FILE_FILTER)
        )
        if path:
            self._wizard.open_file(path)
            self.path_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def typed_path(self) -> str:
        return self.path_field.text().strip().strip('"')

    def _sheet_chosen(self, index: int) -> None:
        sheet = self.sheet_combo.itemData(index)
        if self._wizard.plan is not None and sheet != self._wizard.plan.sheet and sheet is not None:
            self._wizard.open_file(self.path_field.text(), sheet=sheet)

    def show_plan(self, plan: ImportPlan | None, path: str) -> None:
        self._shown_path = path
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
                    describe_source(table), format_count(len(table.rows)), columns, len(plan.columns)
                )
                + "\n"
                + "\n".join(plan.column_summary())
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """A file read, or a typed path not tried yet (Weiter reads it)."""
        typed = self.typed_path()
        return self._wizard.plan is not None or (bool(typed) and typed != self._shown_path)

    def validatePage(self) -> bool:
        """Weiter with a typed path that was not read yet reads it and stays here (sheet, columns shown)."""
        typed = self.typed_path()
        plan = self._wizard.plan
        if plan is not None and (not typed or typed == str(plan.path) or typed == self._shown_path):
            return True
        path = Path(typed).expanduser()
        if not path.is_file():
            QMessageBox.warning(
                self,
                self.tr("Datei wählen"),
                self.tr(
                    "Die Datei „{0}“ gibt es nicht (oder es ist ein Ordner). Bitte den Pfad prüfen oder "
                    "„Durchsuchen …“ wählen."
                ).format(typed),
            )
            self.path_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self._wizard.open_file(path)
        return False


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
                format_count(report.rows_read),
                format_count(report.created),
                format_count(report.updated),
                format_count(report.duplicate),
                format_count(report.rejected),
            )
        ]
        if plan.new_organisations:
            parts.append(
                self.tr("Neue Organisationen: {0}.").format(format_count(len(plan.new_organisations)))
            )
        if plan.new_categories:
            parts.append(self.tr("Neue Kategorien: {0}.").format(", ".join(plan.new_categories)))
        if report.skipped_rows:
            parts.append(
                self.tr("{0} Zeilen ohne Daten übersprungen.").format(format_count(len(report.skipped_rows)))
            )
        self.counts_label.setText(" ".join(parts))
        for column in (PreviewModel.ROW, PreviewModel.OUTCOME, PreviewModel.KIND, PreviewModel.ID):
            self.table.resizeColumnToContents(column)
        for column in (PreviewModel.NAME, PreviewModel.ORGANISATION):  # the full text is in the tooltip
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
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
        mark_destructive(self.undo_button)
        self.undo_button.setAccessibleName(self.tr("Import rückgängig machen"))
        # never the button Enter presses: the first focus is "Fertig" (``ImportWizard._page_shown``)
        self.undo_button.setAutoDefault(False)
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
