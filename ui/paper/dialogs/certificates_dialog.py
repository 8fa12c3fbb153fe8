"""Teilnahmebescheinigungen: for whom (everyone with check-in, or the selection in the invitation list),
as one PDF or one PDF per person, the template's text with a live preview, the print preview, and saving
in the background with progress and Abbrechen.

``CertificatesDialog(ctx, parent, conference_id, selected_invitations)`` lists the persons who get one (the
core decides: ``konferenz.letters.certificates``). The template is edited here like a letter template
(the helpers of ``template_editor``: the user's copy goes into the template folder, written atomically);
the preview renders the editor's text 300 ms after the last keystroke for the person chosen in the list
(or invented values), and the PDFs are made from the text as it stands in the editor. The safe default
is everyone with check-in; nothing in the database changes.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences.reads import conference_year
from konferenz.errors import UserError
from konferenz.letters import certificates, templates
from konferenz.letters.certificates import CERTIFICATE_TEMPLATE, CertificateContent, Recipient
from konferenz.letters.sender import load_sender_settings
from konferenz.lists.source import format_count
from ui.context import AppContext
from ui.paper.certificates import Written, paint_certificates, write_certificates, written_text
from ui.paper.dialogs.preview import make_print_preview
from ui.paper.dialogs.template_editor import (
    PREVIEW_DELAY_MS,
    mark_template_error,
    write_user_template,
)
from ui.widgets.dialog_tools import choose_folder, choose_save_path, confirm_replace
from ui.widgets.geometry import remember_geometry
from ui.widgets.tasks import Cancelled, Progress, run_task

TITLE = "Teilnahmebescheinigungen"


class CertificatesDialog(QDialog):
    """Choose who, how and with which text; preview, print preview, save."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        conference_id: int,
        selected_invitations: Sequence[int] = (),
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        with ctx.database.read_session() as s:
            year = conference_year(s, conference_id)
        if year is None:
            raise UserError("Diese Konferenz gibt es nicht mehr.")
        self.year = year
        self.selection = tuple(selected_invitations)
        self.written: Written | None = None
        self.error = ""
        self.error_line: int | None = None
        self.setWindowTitle(self.tr("Teilnahmebescheinigungen {0}").format(year))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("CertificatesDialog")

        # -- for whom
        whom = QGroupBox(self.tr("Für wen"), self)
        self.all_button = QRadioButton(whom)
        self.selection_button = QRadioButton(whom)
        self.all_button.setObjectName("certificates_all")
        self.selection_button.setObjectName("certificates_selection")
        group = QButtonGroup(self)
        for radio in (self.all_button, self.selection_button):
            group.addButton(radio)
        self.people = QListWidget(whom)
        self.people.setObjectName("certificates_people")
        self.people.setAccessibleName(self.tr("Personen, die eine Bescheinigung bekommen"))
        people_caption = QLabel(self.tr("&Personen (Vorschau für die gewählte):"), whom)
        people_caption.setBuddy(self.people)
        whom_layout = QVBoxLayout(whom)
        whom_layout.addWidget(self.all_button)
        whom_layout.addWidget(self.selection_button)
        whom_layout.addWidget(people_caption)
        whom_layout.addWidget(self.people, 1)

        # -- output
        output = QGroupBox(self.tr("Ausgabe"), self)
        self.combined_button = QRadioButton(
            self.tr("&Eine PDF-Datei für alle (eine Seite je Person)"), output
        )
        self.single_button = QRadioButton(self.tr("Eine PDF-Datei &je Person (in einen Ordner)"), output)
        self.combined_button.setObjectName("certificates_combined")
        self.single_button.setObjectName("certificates_single")
        self.single_button.setToolTip(
            self.tr(
                "Dateinamen wie im Briefarchiv: {0}-teilnahmebescheinigung-00042-name-vorname.pdf"
            ).format(year)
        )
        self.combined_button.setChecked(True)
        output_group = QButtonGroup(self)
        output_group.addButton(self.combined_button)
        output_group.addButton(self.single_button)
        output_layout = QVBoxLayout(output)
        output_layout.addWidget(self.combined_button)
        output_layout.addWidget(self.single_button)

        # -- template and preview
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("certificate_source")
        self.editor.setAccessibleName(self.tr("Text der Vorlage"))
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(True)
        source_caption = QLabel(self.tr("&Text der Vorlage (Jinja2 und HTML):"), self)
        source_caption.setBuddy(self.editor)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("certificate_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName(self.tr("Fehler in der Vorlage"))
        self.save_template_button = QPushButton(self.tr("Vorlage s&ichern"), self)
        self.save_template_button.setToolTip(
            self.tr(
                "Als eigene Fassung im Vorlagenordner speichern ({0}); sie gilt auch für die Befehlszeile"
            ).format(templates.user_template_dir())
        )
        self.shipped_button = QPushButton(self.tr("&Mitgelieferten Text einsetzen"), self)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("certificate_preview")
        self.preview.setAccessibleName(self.tr("Vorschau der Bescheinigung"))
        self.preview.setOpenLinks(False)
        preview_caption = QLabel(self.tr("V&orschau:"), self)
        preview_caption.setBuddy(self.preview)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("certificates_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAccessibleName(self.tr("Ergebnis"))
        self.print_preview_button = QPushButton(self.tr("Druck&vorschau …"), self)
        self.save_button = QPushButton(self.tr("&Speichern …"), self)
        self.close_button = QPushButton(self.tr("Schließen"), self)
        for button in (
            self.save_template_button,
            self.shipped_button,
            self.print_preview_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(whom, 1)
        left_layout.addWidget(output)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(source_caption)
        middle_layout.addWidget(self.editor, 1)
        middle_layout.addWidget(self.error_label)
        template_buttons = QHBoxLayout()
        template_buttons.addWidget(self.save_template_button)
        template_buttons.addWidget(self.shipped_button)
        template_buttons.addStretch(1)
        middle_layout.addLayout(template_buttons)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(preview_caption)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for pane in (left, middle, right):
            splitter.addWidget(pane)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.result_label, 1)
        buttons.addWidget(self.print_preview_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1200, 680)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_preview)

        self.editor.setPlainText(certificates.certificate_source())
        self.editor.document().setModified(False)
        self.all_button.setChecked(True)
        self.refresh()

        self.all_button.toggled.connect(lambda _on: self.refresh())
        self.people.currentRowChanged.connect(lambda _row: self.render_preview())
        self.editor.textChanged.connect(self._timer.start)
        self.save_template_button.clicked.connect(self.save_template)
        self.shipped_button.clicked.connect(self.use_shipped_text)
        self.print_preview_button.clicked.connect(lambda: self.make_preview().open())
        self.save_button.clicked.connect(lambda: self.save())  # noqa: PLW0108 - clicked(bool)
        self.close_button.clicked.connect(self.reject)
        self.all_button.setFocus()
        remember_geometry(self, "Dialoge/Teilnahmebescheinigungen")

    # --- who ---------------------------------------------------------------------------------------------

    def recipients(self) -> list[Recipient]:
        return list(self._recipients)

    def invitation_ids(self) -> tuple[int, ...] | None:
        """The invitations chosen: None for everyone with check-in."""
        return None if self.all_button.isChecked() else self.selection

    def refresh(self) -> None:
        """Count and list who gets a certificate for the current choice."""
        everyone = certificates.certificate_recipients(self.ctx.database, self.year)
        chosen = (
            certificates.certificate_recipients(self.ctx.database, self.year, invitation_ids=self.selection)
            if self.selection
            else []
        )
        self.all_button.setText(self.tr("&Alle mit Check-in ({0})").format(format_count(len(everyone))))
        self.selection_button.setText(
            self.tr("Aus&wahl in der Liste ({0} von {1} mit Check-in)").format(
                format_count(len(chosen)), format_count(len(self.selection))
            )
        )
        self.selection_button.setEnabled(bool(chosen))
        self._recipients = everyone if self.all_button.isChecked() else chosen
        current = self.people.currentRow()
        self.people.blockSignals(True)
        self.people.clear()
        for person in self._recipients:
            text = f"{person.name} – {person.organisation}" if person.organisation else person.name
            item = QListWidgetItem(text, self.people)
            item.setToolTip(text)  # a long organisation name is cut off in the list
            item.setData(Qt.ItemDataRole.UserRole, person.invitation_id)
        self.people.setCurrentRow(min(max(current, 0), self.people.count() - 1))
        self.people.blockSignals(False)
        self.save_button.setEnabled(bool(self._recipients))
        self.print_preview_button.setEnabled(bool(self._recipients))
        self.render_preview()

    # --- template and preview ----------------------------------------------------------------------------

    def source(self) -> str:
        return self.editor.toPlainText()

    def render_preview(self) -> None:
        """The editor's text for the person chosen in the list (invented values when there is none)."""
        self._timer.stop()
        item = self.people.currentItem()
        try:
            if item is not None:
                found = certificates.certificate_contents(
                    self.ctx.database,
                    self.year,
                    invitation_ids=[int(item.data(Qt.ItemDataRole.UserRole))],
                    source=self.source(),
                )
                if not found:
                    raise UserError("Diese Person hat laut Check-in nicht mehr teilgenommen.")
                cert = found[0]
                title, body, date_line, signature = cert.title, cert.body_html, cert.date_line, cert.signature
            else:
                with self.ctx.database.read_session() as s:
                    sender = load_sender_settings(s)
                title, body = certificates.render_certificate_sample(self.source(), sender)
                date_line, signature = sender.city, sender.signature_lines
        except UserError as exc:
            self._show_error(exc)
            self.preview.setEnabled(False)  # the last good text stays, greyed
            return
        self._show_error(None)
        self.preview.setEnabled(True)
        self.preview.setHtml(
            f"<h2 align='center'>{html.escape(title)}</h2>{body}<p>{html.escape(date_line)}</p>"
            f"<p>{'<br>'.join(html.escape(line) for line in signature)}</p>"
        )

    def _show_error(self, exc: UserError | None) -> None:
        self.error, self.error_line = mark_template_error(self.editor, self.error_label, exc)

    def save_template(self) -> bool:
        """ "Vorlage sichern": the editor's text as the user's own certificate template."""
        try:
            path = write_user_template(CERTIFICATE_TEMPLATE, self.source())
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return False
        self.editor.document().setModified(False)
        self._status(self.tr("Vorlage gespeichert: {0}").format(path))
        return True

    def use_shipped_text(self) -> None:
        """Put the shipped template's text into the editor (stored only with "Vorlage sichern")."""
        path = templates.builtin_template_dir() / CERTIFICATE_TEMPLATE
        self.editor.setPlainText(path.read_text(encoding="utf-8"))
        self.render_preview()

    # --- output ------------------------------------------------------------------------------------------

    def contents(self) -> list[CertificateContent]:
        """The certificates of the current choice, from the editor's text."""
        return certificates.certificate_contents(
            self.ctx.database, self.year, invitation_ids=self.invitation_ids(), source=self.source()
        )

    def make_preview(self) -> QDialog:
        certs = self.contents()
        dialog = make_print_preview(
            self, functools.partial(paint_certificates, certificates=certs), title=self.windowTitle()
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    def save(self, target: Path | None = None) -> Written | None:
        """ "Speichern …": one PDF (asked for a file) or one PDF per person (asked for a folder), painted
        in the background with progress and Abbrechen."""
        per_person = self.single_button.isChecked()
        title = self.tr("Teilnahmebescheinigungen speichern")
        if self.error:
            QMessageBox.warning(
                self, title, self.tr("Bitte erst die Vorlage korrigieren: {0}").format(self.error)
            )
            return None
        try:
            certs = self.contents()
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return None
        if target is None:
            if per_person:
                target = choose_folder(self, title)
            else:
                target = choose_save_path(
                    self, title, f"teilnahmebescheinigungen-{self.year}.pdf", self.tr("PDF-Dateien (*.pdf)")
                )
            if target is None:
                return None
        if per_person:
            existing = [target / cert.file_name for cert in certs if (target / cert.file_name).exists()]
            if existing and not confirm_replace(self, title, existing[:3]):
                return None

        def work(progress: Progress, cancelled: Cancelled) -> Written:
            return write_certificates(
                certs, target, per_person=per_person, progress=progress, cancelled=cancelled
            )

        try:
            written = run_task(self, title, work, label=self.tr("Bescheinigungen werden erstellt …"))
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            self.result_label.setText(exc.message)
            return None
        self.written = written
        text = written_text(written, per_person=per_person)
        self.result_label.setText(text)
        self._status(text)
        return written

    def _status(self, text: str) -> None:
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def done(self, result: int) -> None:
        self._timer.stop()  # no preview after closing (the database may be gone)
        super().done(result)


def open_certificates_dialog(
    ctx: AppContext, parent: QWidget | None, conference_id: int, selected: Sequence[int] = ()
) -> CertificatesDialog:
    """Konferenz → Teilnahmebescheinigungen …: the dialog, shown (not modal to the window's data)."""
    dialog = CertificatesDialog(ctx, parent, conference_id, selected)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.all_button.setFocus()
    return dialog
