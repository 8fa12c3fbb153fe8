"""Datei → Importieren …: a wizard that takes an Excel or CSV list into the address register.

Pages: 1. the file (and sheet), 2. the column mapping (a field per column, sample values, saved profiles),
3. the preview (every row with its outcome and messages; per row: überspringen / aktualisieren / trotzdem
anlegen), 4. the result of the commit, with "Import rückgängig machen". Reading, re-mapping, committing and
undoing run through ``ui.widgets.tasks.run_task`` (progress, Abbrechen; the window stays responsive); the core
(``konferenz.importing.service``) does the work and writes nothing before the commit, which is one transaction.

The pages are ``ui.spreadsheets.import_pages``, the preview table ``ui.spreadsheets.import_preview``, the undo
and ``ImportsDialog`` (Datei → Importe …) ``ui.spreadsheets.import_undo``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget, QWizard

from konferenz.errors import UserError
from konferenz.importing import service as importing
from konferenz.importing.plan import ImportPlan, ImportReport, RowChoice
from konferenz.lists.source import format_count
from ui.context import AppContext
from ui.spreadsheets.import_pages import FilePage, MappingPage, PreviewPage, ResultPage
from ui.spreadsheets.import_undo import undo_batch
from ui.widgets.tasks import Cancelled, Progress, run_task


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
        self.currentIdChanged.connect(self._page_shown)
        self.resize(1000, 640)

    def _page_shown(self, _page_id: int) -> None:
        """The last page's first focus is "Fertig" (QWizard gives it to the page's first button, which is
        "Import rückgängig machen": Enter, Enter would undo the import)."""
        if self.currentPage() is self.result_page:
            finish = self.button(QWizard.WizardButton.FinishButton)
            if isinstance(finish, QPushButton):
                finish.setDefault(True)
            finish.setFocus(Qt.FocusReason.OtherFocusReason)

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
            self.report = self.ctx.run(
                lambda: run_task(
                    self, self.tr("Importieren"), work, label=self.tr("Importiere „{0}“ …").format(name)
                )
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Importieren"), exc.message)
            return False
        report = self.report
        self.ctx.tell(
            self.tr("Importiert: {0} – {1} angelegt, {2} aktualisiert").format(
                name, format_count(report.created), format_count(report.updated)
            )
        )
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
        self.ctx.tell(self.tr("Rückgängig gemacht: Import {0}").format(report.batch_id))
        self.result_page.undo_label.setText(result)
        self.result_page.undo_button.setEnabled(False)
        return True
