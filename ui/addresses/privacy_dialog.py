"""Datei → Datenschutz …: access report, erasure and the review of old records (DSGVO Art. 15 and 17).

Three tabs over one person field (the register's completer; a number is taken as the person's ID):

- Auskunft: "Auskunft speichern …" asks for the JSON file and writes the readable PDF next to it (same
  name, ``.pdf``), both from one ``export_person`` call, so they show the same state. If that PDF
  exists already, a question naming it comes first (No: nothing is written).
- Löschen (Anonymisieren): a reason is required; a confirmation names the person and what happens, then
  ``erase_person`` runs and the lists are told (persons, invitations).
- Überprüfung: persons not invited for N years (3); the checked rows (or, if none is checked, the selected
  rows) are anonymised together after a confirmation naming them (the first ten, then "und N weitere"),
  in one transaction in the background (``erase_persons`` via ``ui.widgets.tasks.run_task``: progress,
  Abbrechen changes nothing); it checks again that each is still due (not invited since the search).

The window is non-modal; the chosen person and the review list are ids of the open database, so opening
another database (``AppContext.database_changed``) closes it.

After an erasure the undo stack is cleared: an older edit of the person could otherwise be undone and put
erased data back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError, file_problem
from konferenz.privacy.access import save_export
from konferenz.privacy.erasure import ErasureResult, erase_person, erase_persons
from konferenz.privacy.reads import person_display, person_export, review_rows
from ui.context import AppContext
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import choose_save_path, confirm
from ui.widgets.registry_completer import RegistryCompleter
from ui.widgets.tasks import run_task

JSON_FILTER = "JSON-Dateien (*.json)"
REVIEW_COLUMNS = ("Name", "Organisation", "Zuletzt eingeladen", "ID")
#: how many persons the bulk confirmation names before "und N weitere"
NAMES_SHOWN = 10
ID_ROLE = Qt.ItemDataRole.UserRole


class PrivacyDialog(QDialog):
    """Datenschutz: Auskunft, Löschen (Anonymisieren), Überprüfung."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, person_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Datenschutz"))
        self.resize(760, 560)
        #: the files the last "Auskunft speichern" wrote (JSON, PDF)
        self.last_written: tuple[Path, Path] | None = None
        #: the years and database the review table was filled with (None: not searched yet)
        self._review_years: int | None = None
        self._review_database: object | None = None
        self._closed = False

        # --- the person -------------------------------------------------------------------------------
        self.person_field = QLineEdit(self)
        self.person_field.setPlaceholderText(self.tr("Name eingeben und aus der Liste wählen, oder die ID"))
        self.person_field.setAccessibleName(self.tr("Person"))
        self.completer = RegistryCompleter(self.person_field, lambda: self.ctx.database)
        self.person_field.textChanged.connect(lambda _t: self._update_person_label())
        self.completer.picked.connect(lambda _id: self._update_person_label())
        self.person_label = QLabel(self)
        self.person_label.setWordWrap(True)
        self.person_label.setAccessibleName(self.tr("Gewählte Person"))
        person_row = QFormLayout()
        person_caption = QLabel(self.tr("&Person:"), self)
        person_caption.setBuddy(self.person_field)
        person_row.addRow(person_caption, self.person_field)
        person_row.addRow("", self.person_label)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Datenschutz"))
        self.tabs.addTab(self._access_tab(), self.tr("&Auskunft"))
        self.tabs.addTab(self._erase_tab(), self.tr("&Löschen (Anonymisieren)"))
        self.tabs.addTab(self._review_tab(), self.tr("&Überprüfung"))

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Meldung"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Schließen"))
        close.setAccessibleName(self.tr("Schließen"))

        layout = QVBoxLayout(self)
        layout.addLayout(person_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        if person_id is not None:
            self.set_person(person_id)
        self._update_person_label()
        # the chosen person and the review table are ids of this database: another one closes the window
        ctx.database_changed.connect(self.reject)

    def done(self, result: int) -> None:
        """Closed (Schließen, Esc, another database opened): no longer follows the context."""
        if not self._closed:
            self._closed = True
            self.ctx.database_changed.disconnect(self.reject)
        super().done(result)

    # --- tabs -------------------------------------------------------------------------------------------

    def _access_tab(self) -> QWidget:
        page = QWidget(self)
        text = QLabel(
            self.tr(
                "Die Auskunft nach Art. 15 DSGVO enthält alles, was zu der Person gespeichert ist: Angaben, "
                "Rollen, Einladungen, Einwilligungen und das Änderungsprotokoll. Sie wird zweimal "
                "gespeichert: als JSON-Datei (maschinenlesbar) und daneben als lesbares PDF mit demselben "
                "Namen."
            ),
            page,
        )
        text.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Auskunft &speichern …"), page)
        self.export_button.setAccessibleName(self.tr("Auskunft als JSON und PDF speichern"))
        self.export_button.clicked.connect(self.save_access_report)
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _erase_tab(self) -> QWidget:
        page = QWidget(self)
        text = QLabel(
            self.tr(
                "Anonymisieren entfernt Name, Anschrift, Kontaktdaten, Notizen, Rollen, Schlagworte, "
                "Einwilligungen, die Bedarfe und Notizen der Einladungen, archivierte Briefe und die alten "
                "Werte im Änderungsprotokoll. Name und E-Mail-Adresse werden auch in Texten anderer "
                "Datensätze (Programm, Protokoll, Empfehlungen, Notizen) und in Import-Journalen durch "
                "„[anonymisiert]“ ersetzt. Kategorie, Kommune und Einladungen bleiben ohne Namen "
                "erhalten, damit Teilnahmezahlen und Statistik vergangener Konferenzen gleich bleiben. Ins "
                "Löschprotokoll kommen nur ein Hash der ID, das Datum und der Grund. Das lässt sich nicht "
                "rückgängig machen."
            ),
            page,
        )
        text.setWordWrap(True)
        self.reason_field = QLineEdit(page)
        self.reason_field.setPlaceholderText(self.tr("z. B. Antrag vom 03.11.2026"))
        self.reason_field.setAccessibleName(self.tr("Grund der Löschung"))
        self.erase_button = QPushButton(self.tr("Person a&nonymisieren …"), page)
        mark_destructive(self.erase_button)
        self.erase_button.setAccessibleName(self.tr("Die gewählte Person anonymisieren"))
        self.erase_button.clicked.connect(self.erase_current)
        form = QFormLayout()
        reason_label = QLabel(self.tr("&Grund:"), page)
        reason_label.setBuddy(self.reason_field)
        form.addRow(reason_label, self.reason_field)
        layout = QVBoxLayout(page)
        layout.addWidget(text)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.erase_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _review_tab(self) -> QWidget:
        page = QWidget(self)
        self.years = QSpinBox(page)
        self.years.setRange(1, 50)
        self.years.setValue(3)
        self.years.setSuffix(self.tr(" Jahre"))
        self.years.setAccessibleName(self.tr("Jahre ohne Einladung"))
        self.search_button = QPushButton(self.tr("&Suchen"), page)
        self.search_button.setAccessibleName(self.tr("Personen ohne Einladung suchen"))
        self.search_button.clicked.connect(self.refresh_review)
        self.table = QTableWidget(0, len(REVIEW_COLUMNS), page)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in REVIEW_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Personen, die lange nicht eingeladen wurden"))
        self.table.setAccessibleDescription(
            self.tr(
                "Leertaste hakt die Zeile an; anonymisiert werden die angehakten, sonst die markierten Zeilen"
            )
        )
        self.review_count = QLabel(page)
        self.check_all_button = QPushButton(self.tr("Alle an&haken"), page)
        self.check_all_button.setAccessibleName(self.tr("Alle Zeilen anhaken oder alle Haken entfernen"))
        self.check_all_button.clicked.connect(self.toggle_all)
        self.review_reason = QLineEdit(page)
        self.review_reason.setAccessibleName(self.tr("Grund der Löschung für die Überprüfung"))
        self.years.valueChanged.connect(lambda _v: self._default_review_reason())
        self._default_review_reason()
        self.bulk_button = QPushButton(self.tr("Ausgewählte a&nonymisieren …"), page)
        mark_destructive(self.bulk_button)
        self.bulk_button.setAccessibleName(self.tr("Die angehakten oder markierten Personen anonymisieren"))
        self.bulk_button.clicked.connect(self.erase_selected)

        top = QHBoxLayout()
        years_label = QLabel(self.tr("Nicht eingeladen seit &mindestens:"), page)
        years_label.setBuddy(self.years)
        top.addWidget(years_label)
        top.addWidget(self.years)
        top.addWidget(self.search_button)
        top.addStretch(1)
        top.addWidget(self.review_count)
        reason_row = QHBoxLayout()
        reason_label = QLabel(self.tr("G&rund:"), page)
        reason_label.setBuddy(self.review_reason)
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.review_reason, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.check_all_button)
        bottom.addStretch(1)
        bottom.addWidget(self.bulk_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(reason_row)
        layout.addLayout(bottom)
        return page

    # --- the person --------------------------------------------------------------------------------------

    def set_person(self, person_id: int) -> None:
        """Choose a person (from the Adressen area's selection)."""
        try:
            text = person_display(self.ctx.database, person_id)
        except UserError as exc:
            self._show_status(exc.message)
            return
        self.completer.set_chosen(person_id, text)
        self._update_person_label()

    def person_id(self) -> int | None:
        """The chosen person: a completion taken from the register, or a number typed as ID."""
        chosen = self.completer.chosen_id
        if chosen is not None:
            return chosen
        text = self.person_field.text().strip()
        return int(text) if text.isdigit() and int(text) > 0 else None

    def _update_person_label(self) -> None:
        pid = self.person_id()
        if pid is None:
            self.person_label.setText(self.tr("Noch keine Person gewählt."))
            return
        try:
            self.person_label.setText(self.tr("Gewählt: {0}").format(person_display(self.ctx.database, pid)))
        except UserError as exc:
            self.person_label.setText(exc.message)

    def _require_person(self, title: str) -> int | None:
        pid = self.person_id()
        if pid is None:
            QMessageBox.warning(
                self, title, self.tr("Bitte zuerst oben eine Person wählen (Name eingeben oder ID).")
            )
            self.person_field.setFocus()
        return pid

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    # --- Auskunft ----------------------------------------------------------------------------------------

    def save_access_report(self) -> tuple[Path, Path] | None:
        """Ask for the JSON file; write it and the PDF with the same name."""
        title = self.tr("Auskunft speichern")
        pid = self._require_person(title)
        if pid is None:
            return None
        json_path = choose_save_path(
            self,
            title,
            f"auskunft-person-{pid}-{dt.date.today().isoformat()}.json",
            self.tr(JSON_FILTER),
            also=(".pdf",),  # the file dialog asked about the chosen file only, not about the PDF next to it
        )
        if json_path is None:
            return None
        pdf_path = json_path.with_suffix(".pdf")
        try:
            data = person_export(self.ctx.database, pid)
            from ui.paper.archive_pdf import database_author
            from ui.paper.privacy_report import privacy_report_pdf

            json_path = save_export(data, json_path)
            privacy_report_pdf(data, pdf_path, author=database_author(self.ctx.database))
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return None
        except OSError as exc:
            QMessageBox.warning(self, title, file_problem(Path(exc.filename or pdf_path), exc))
            return None
        self.last_written = (json_path, pdf_path.expanduser().absolute())
        self._show_status(self.tr("Auskunft gespeichert: {0} und {1}").format(json_path, pdf_path.name))
        return self.last_written

    # --- Löschen -----------------------------------------------------------------------------------------

    def erase_current(self) -> ErasureResult | None:
        title = self.tr("Person anonymisieren")
        pid = self._require_person(title)
        if pid is None:
            return None
        reason = self.reason_field.text().strip()
        if not reason:
            QMessageBox.warning(
                self,
                title,
                self.tr("Bitte einen Grund für die Löschung angeben (z. B. „Antrag vom 03.11.2026“)."),
            )
            self.reason_field.setFocus()
            return None
        try:
            name = person_display(self.ctx.database, pid)
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return None
        if not confirm(
            self,
            title,
            self.tr(
                "{0} anonymisieren?\n\nName, Anschrift, Kontaktdaten, Notizen, Rollen, Schlagworte, "
                "Einwilligungen und archivierte Briefe werden überall entfernt, ebenso die alten Werte im "
                "Änderungsprotokoll. Auch in Texten anderer Datensätze (Programm, Protokoll, Empfehlungen, "
                "Notizen) und in Import-Journalen wird der Name ersetzt. Die Einladungen bleiben ohne Namen "
                "für die Statistik erhalten.\n\n"
                "Grund: {1}\n\nDas lässt sich nicht rückgängig machen."
            ).format(name, reason),
        ):
            return None
        try:
            database = self.ctx.database
            result = self.ctx.run(lambda: erase_person(database, pid, reason))
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return None
        self._after_erasure()
        self.reason_field.clear()
        self.completer.set_chosen(None, "")
        self.person_field.clear()
        self._show_status(result.summary(name))
        return result

    def _after_erasure(self) -> None:
        self.ctx.undo_stack.clear()  # an older edit of the person must not be undone into erased data
        if self.table.rowCount():
            self.refresh_review()

    # --- Überprüfung -------------------------------------------------------------------------------------

    def _default_review_reason(self) -> None:
        self.review_reason.setText(
            self.tr("Überprüfung vom {0}: seit {1} Jahren nicht eingeladen").format(
                dt.date.today().strftime("%d.%m.%Y"), self.years.value()
            )
        )

    def refresh_review(self) -> None:
        years = self.years.value()
        rows = review_rows(self.ctx.database, years)
        self._review_years, self._review_database = years, self.ctx.database
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            last = (
                str(row.last_year)
                if row.last_year
                else self.tr("nie (erfasst {0})").format(row.created_at.strftime("%d.%m.%Y"))
            )
            name = QTableWidgetItem(row.name)
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Unchecked)
            name.setData(ID_ROLE, row.person_id)
            number = QTableWidgetItem(str(row.person_id))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate(
                (name, QTableWidgetItem(row.organisation), QTableWidgetItem(last), number)
            ):
                self.table.setItem(index, column, item)
        self.review_count.setText(
            self.tr("{0} Personen").format(len(rows)) if len(rows) != 1 else self.tr("1 Person")
        )

    def _review_names(self, ids: list[int]) -> str:
        """The persons ``ids`` as the table shows them, one a line: the first ``NAMES_SHOWN``, then
        "und N weitere"."""
        names: dict[int, str] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None:
                names[int(item.data(ID_ROLE))] = item.text()
        lines = [f"– {names.get(pid, self.tr('ID {0}').format(pid))}" for pid in ids[:NAMES_SHOWN]]
        if len(ids) > NAMES_SHOWN:
            lines.append(self.tr("und {0} weitere").format(len(ids) - NAMES_SHOWN))
        return "\n".join(lines)

    def _row_ids(self, rows: list[int]) -> list[int]:
        ids: list[int] = []
        for row in rows:
            item = self.table.item(row, 0)
            if item is not None:
                ids.append(int(item.data(ID_ROLE)))
        return ids

    def checked_ids(self) -> list[int]:
        return self._row_ids(
            [
                row
                for row in range(self.table.rowCount())
                if (item := self.table.item(row, 0)) is not None
                and item.checkState() == Qt.CheckState.Checked
            ]
        )

    def chosen_review_ids(self) -> list[int]:
        """The checked rows, or if none is checked the selected rows."""
        checked = self.checked_ids()
        if checked:
            return checked
        return self._row_ids(sorted({index.row() for index in self.table.selectionModel().selectedRows()}))

    def toggle_all(self) -> None:
        state = Qt.CheckState.Unchecked if self.checked_ids() else Qt.CheckState.Checked
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None:
                item.setCheckState(state)

    def erase_selected(self) -> list[ErasureResult] | None:
        title = self.tr("Ausgewählte anonymisieren")
        ids = self.chosen_review_ids()
        if not ids:
            QMessageBox.warning(self, title, self.tr("Bitte in der Liste Personen anhaken oder markieren."))
            self.table.setFocus()
            return None
        years, database = self._review_years, self.ctx.database
        if years is None or database is not self._review_database:
            # the list is of another database (the window is closed when one is opened; guard anyway)
            self.refresh_review()
            QMessageBox.warning(self, title, self.tr("Die Liste war veraltet und wurde neu gesucht."))
            return None
        reason = self.review_reason.text().strip()
        if not reason:
            QMessageBox.warning(self, title, self.tr("Bitte einen Grund für die Löschung angeben."))
            self.review_reason.setFocus()
            return None
        count = self.tr("1 Person") if len(ids) == 1 else self.tr("{0} Personen").format(len(ids))
        if not confirm(
            self,
            title,
            self.tr(
                "{0} anonymisieren?\n\n{1}\n\nName, Anschrift, Kontaktdaten, Notizen, Rollen, Schlagworte, "
                "Einwilligungen und archivierte Briefe werden überall entfernt, ebenso die alten Werte im "
                "Änderungsprotokoll. Auch in Texten anderer Datensätze (Programm, Protokoll, Empfehlungen, "
                "Notizen) und in Import-Journalen werden die Namen ersetzt. Die Einladungen bleiben ohne "
                "Namen für die Statistik erhalten. Alle oder keine: wird abgebrochen, bleibt alles "
                "unverändert.\n\n"
                "Grund: {2}\n\nDas lässt sich nicht rückgängig machen."
            ).format(count, self._review_names(ids), reason),
        ):
            return None
        database = self.ctx.database
        try:
            results = self.ctx.run(
                lambda: run_task(
                    self,
                    title,
                    lambda progress, cancelled: erase_persons(
                        database, ids, reason, progress, cancelled, review_years=years
                    ),
                    label=self.tr("{0} werden anonymisiert …").format(count),
                )
            )
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            if not self._closed:
                self.refresh_review()  # e.g. someone was invited since the search
            return None
        self._after_erasure()
        self.refresh_review()
        self._show_status(self.tr("{0} anonymisiert.").format(count))
        return results


def open_privacy_dialog(
    ctx: AppContext, parent: QWidget | None, person_id: int | None = None
) -> PrivacyDialog:
    """Show the Datenschutz dialog (non-modal), with ``person_id`` chosen if given."""
    dialog = PrivacyDialog(ctx, parent, person_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
