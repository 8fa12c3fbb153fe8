"""Serienbrief im Fenster: letters of a conference previewed, printed or saved as PDF, and their sending recorded.

``open_letters_dialog(ctx, parent, conference_id, invitation_ids)`` opens ``LettersDialog`` (not modal): the
recipients (all, by status or the template's default statuses, or the selection handed in), template, Form
B or A, enclosures, a live count ("38 Briefe") with a warning for addresses without PLZ and Ort, and the ways
out: "Vorschau …", "Drucken …", "Als PDF speichern …", "Einzelne PDFs in Ordner …" (one painting function,
``ui.paper.letters.paint_letters``) and "Zum Bearbeiten speichern (Word/LibreOffice) …" (.docx or .odt by
``konferenz.letters.documents``, a draft: never records a sending). "Versand vermerken" is off by default;
ticked, every output first asks "Versand für N Einladungen vermerken?" (default Nein: nothing written or
recorded), then ``konferenz.letters.sending.record_sending`` runs after the letters were printed or written
(Post, today, template, *vorgemerkt* → *eingeladen*, one PDF per letter into the archive).

Threads: a worker thread paints on a QPdfWriter the same text as the GUI thread (100 letters: ~1 s with
both enclosures, archive copies 1.6 s more), so PDFs are painted in the background (``run_task``). The printer is painted on the GUI thread, letter by letter, with a
progress dialog that keeps the window responsive (a platform's print engine is not trusted off the GUI
thread). Abbrechen leaves no output file and records nothing: files are written to temporary names, the
sending is recorded, and only then are the files renamed; a cancelled print run is aborted. A target that
is a folder, or a file that cannot be replaced (read-only, open in a viewer), is refused before anything is
painted or recorded; should the renaming still fail, the sending stays recorded and the dialog follows it
(recipients: the letters just made, "Versand vermerken" off) and says which file is missing. That work
(any thread) is ``ui.paper.letter_output``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences.reads import conference_summary, conference_year
from konferenz.enums import InvitationStatus, label
from konferenz.errors import UserError
from konferenz.letters import sending, templates
from konferenz.letters.content import LetterContent
from konferenz.letters.documents.letters import write_letters
from konferenz.letters.reads import letter_counts
from konferenz.lists.source import format_count
from konferenz.storage.changes import CONFERENCES, INVITATIONS, ORGANISATIONS, PERSONS
from ui.context import AppContext
from ui.paper.canvas import ensure_fonts
from ui.paper.deadline_warning import deadline_label, show_warning
from ui.paper.dialogs.preview import make_print_preview
from ui.paper.dialogs.template_editor import TemplateEditorDialog, template_label
from ui.paper.letter_output import (
    LetterChoice,
    LettersCancelledError,
    Outcome,
    Steps,
    build_letters,
    commit_output,
    letter_file_names,
    write_folder,
    write_pdf,
)
from ui.paper.letters import paint_letters
from ui.widgets.dialog_tools import choose_folder, choose_save_path, confirm, warn
from ui.widgets.geometry import remember_geometry
from ui.widgets.tasks import Cancelled, Progress, run_task

log = logging.getLogger(__name__)
T = TypeVar("T")

PDF_FILTER = "PDF-Dokument (*.pdf)"
#: the documents to edit: Word first (the suffix a name without one gets), then LibreOffice
DOCUMENT_FILTER = "Word-Dokument (*.docx);;LibreOffice-Dokument (*.odt)"
#: the status combo's entry for the template's own default statuses (reminders, thanks)
TEMPLATE_DEFAULT = "template-default"
#: pause after a change of the choice before the letters are counted again
REFRESH_DELAY_MS = 120
#: how many names of incomplete addresses the warning line lists
WARN_NAMES = 4
FOLDER_KEY = "Serienbrief/folder"


# --- the dialog -------------------------------------------------------------------------------------------


class LettersDialog(QDialog):
    """Serienbrief – Konferenz <Jahr>: choose, preview, print, save, record the sending."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        conference_id: int,
        invitation_ids: Sequence[int] = (),
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conference_id = conference_id
        self.selection: tuple[int, ...] = tuple(dict.fromkeys(invitation_ids))
        self._selection_is_result = False
        with ctx.database.read_session() as s:
            year, summary = conference_year(s, conference_id), conference_summary(s, conference_id)
        if year is None:
            raise UserError("Diese Konferenz gibt es nicht mehr.")
        self.year = year
        self.reply_deadline = summary.reply_deadline if summary else None
        self.letters: list[LetterContent] = []
        self.problem = ""
        self.last_outcome: Outcome | None = None
        self._touched_recipients = False
        self._touched_enclosures = False
        self._loading = True
        self._closed = False

        self.setWindowTitle(self.tr("Serienbrief – Konferenz {0}").format(self.year))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("LettersDialog")

        # -- recipients
        recipients = QGroupBox(self.tr("Empfänger"), self)
        self.all_button = QRadioButton(recipients)
        self.status_button = QRadioButton(self.tr("Nach S&tatus:"), recipients)
        self.status_combo = QComboBox(recipients)
        self.status_combo.setAccessibleName(self.tr("Status der Einladungen"))
        self.selection_button = QRadioButton(recipients)
        self.recipient_group = QButtonGroup(self)
        for radio in (self.all_button, self.status_button, self.selection_button):
            self.recipient_group.addButton(radio)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_button)
        status_row.addWidget(self.status_combo, 1)
        box = QVBoxLayout(recipients)
        box.addWidget(self.all_button)
        box.addLayout(status_row)
        box.addWidget(self.selection_button)

        # -- the letter
        letter_box = QGroupBox(self.tr("Brief"), self)
        self.template_combo = QComboBox(letter_box)
        self.template_combo.setAccessibleName(self.tr("Vorlage"))
        self.edit_templates_button = QPushButton(self.tr("Vorlagen b&earbeiten …"), letter_box)
        self.edit_templates_button.setAutoDefault(False)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(self.edit_templates_button)
        self.form_b = QRadioButton(self.tr("Form &B (großer Briefkopf, üblich)"), letter_box)
        self.form_a = QRadioButton(self.tr("Form A (&kleiner Briefkopf)"), letter_box)
        self.form_b.setChecked(True)
        form_group = QButtonGroup(self)
        form_group.addButton(self.form_b)
        form_group.addButton(self.form_a)
        form_row = QHBoxLayout()
        form_row.addWidget(self.form_b)
        form_row.addWidget(self.form_a)
        form_row.addStretch(1)
        self.programme_box = QCheckBox(self.tr("&Programm"), letter_box)
        self.reply_form_box = QCheckBox(self.tr("&Rückmeldebogen"), letter_box)
        enclosure_row = QHBoxLayout()
        enclosure_row.addWidget(self.programme_box)
        enclosure_row.addWidget(self.reply_form_box)
        self.qr_box = QCheckBox(self.tr("&QR-Code auf dem Rückmeldebogen"), letter_box)
        enclosure_row.addWidget(self.qr_box)
        enclosure_row.addStretch(1)
        form_layout = QFormLayout(letter_box)
        template_label_widget = QLabel(self.tr("Vor&lage:"), letter_box)
        template_label_widget.setBuddy(self.template_combo)
        form_layout.addRow(template_label_widget, template_row)
        form_layout.addRow(self.tr("Briefbogen:"), form_row)
        form_layout.addRow(self.tr("Anlagen:"), enclosure_row)

        # off by default: recording changes many invitations, so it is a choice, and asked about (issue 17)
        self.record_box = QCheckBox(self)
        self.record_box.setChecked(False)

        # -- what will come out
        self.count_label = QLabel(self)
        self.count_label.setObjectName("letters_count")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("letters_warning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline_label = deadline_label(self, "letters_deadline")
        self.result_label = QLabel(self)
        self.result_label.setObjectName("letters_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- ways out
        self.preview_button = QPushButton(self.tr("&Vorschau …"), self)
        self.print_button = QPushButton(self.tr("&Drucken …"), self)
        self.pdf_button = QPushButton(self.tr("Als PDF &speichern …"), self)
        self.folder_button = QPushButton(self.tr("Einzelne PDFs in &Ordner …"), self)
        self.document_button = QPushButton(self.tr("&Zum Bearbeiten speichern (Word/LibreOffice) …"), self)
        self.document_button.setToolTip(
            self.tr("Als Entwurf (.docx, .odt); der Versand wird nicht vermerkt.")
        )
        self.sender_button = QPushButton(self.tr("Abse&nder …"), self)
        self.close_button = QPushButton(self.tr("Schließen"), self)
        #: the ways out, enabled while there are letters
        self.output_buttons = (
            self.preview_button,
            self.print_button,
            self.pdf_button,
            self.folder_button,
            self.document_button,
        )
        for button in (*self.output_buttons[1:], self.sender_button, self.close_button):
            button.setAutoDefault(False)
        self.preview_button.setDefault(True)
        outputs = QHBoxLayout()
        for button in self.output_buttons:
            outputs.addWidget(button)
        outputs.addStretch(1)
        outputs.addWidget(self.sender_button)
        outputs.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(recipients)
        layout.addWidget(letter_box)
        layout.addWidget(self.record_box)
        layout.addWidget(self.count_label)
        layout.addWidget(self.deadline_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addLayout(outputs)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        self._fill_templates()
        self._counts: dict[InvitationStatus, int] = {}
        self._load_counts()
        self._apply_template_defaults()
        self._loading = False
        self.refresh()

        self.recipient_group.buttonClicked.connect(self._on_recipients_touched)
        self.status_combo.activated.connect(self._on_status_activated)
        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        form_group.buttonClicked.connect(lambda _button: self._schedule_refresh())
        self.programme_box.clicked.connect(self._on_enclosures_touched)
        self.reply_form_box.clicked.connect(self._on_enclosures_touched)
        self.edit_templates_button.clicked.connect(self.edit_templates)
        self.preview_button.clicked.connect(self.show_preview)
        # clicked(bool) would arrive as the printer, path or folder
        self.print_button.clicked.connect(lambda: self.print_letters())  # noqa: PLW0108
        self.pdf_button.clicked.connect(lambda: self.save_pdf())  # noqa: PLW0108
        self.folder_button.clicked.connect(lambda: self.save_folder())  # noqa: PLW0108
        self.document_button.clicked.connect(lambda: self.save_document())  # noqa: PLW0108
        self.sender_button.clicked.connect(self.edit_sender)
        self.close_button.clicked.connect(self.reject)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.database_changed.connect(self.reject)
        remember_geometry(self, "Dialoge/Serienbrief")

    # --- choices ---------------------------------------------------------------------------------------

    def _fill_templates(self) -> None:
        current = self.template_combo.currentData()
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for name in templates.available_templates():
            self.template_combo.addItem(template_label(name), name)
        wanted = current or templates.DEFAULT_TEMPLATE
        index = self.template_combo.findData(wanted)
        self.template_combo.setCurrentIndex(max(index, 0))
        self.template_combo.blockSignals(False)

    @property
    def template(self) -> str:
        return str(self.template_combo.currentData() or templates.DEFAULT_TEMPLATE)

    def _load_counts(self) -> None:
        """Invitations per status (anonymised persons get no letters, as in ``letter_contents``)."""
        with self.ctx.database.read_session() as s:
            self._counts = letter_counts(s, self.conference_id)
        total = sum(self._counts.values())
        self.all_button.setText(self.tr("&Alle Einladungen ({0})").format(format_count(total)))
        if self._selection_is_result:
            text = self.tr("Aus&wahl: die eben erstellten Briefe ({0})")
        else:
            text = self.tr("Aus&wahl in der Liste ({0})")
        self.selection_button.setText(text.format(format_count(len(self.selection))))
        self.selection_button.setEnabled(bool(self.selection))
        self._fill_statuses()

    def _fill_statuses(self) -> None:
        current = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        defaults = sending.default_statuses(self.template)
        if defaults is not None:
            order = list(InvitationStatus)
            names = " oder ".join(label(s) for s in sorted(defaults, key=order.index))
            n = sum(self._counts.get(s, 0) for s in defaults)
            self.status_combo.addItem(
                self.tr("{0} (Vorgabe der Vorlage, {1})").format(names, format_count(n)), TEMPLATE_DEFAULT
            )
        for status in InvitationStatus:
            self.status_combo.addItem(
                f"{label(status)} ({format_count(self._counts.get(status, 0))})", status.value
            )
        index = self.status_combo.findData(current) if current is not None else -1
        self.status_combo.setCurrentIndex(max(index, 0))
        self.status_combo.blockSignals(False)

    def _apply_template_defaults(self) -> None:
        """Recipients (the selection handed in, else ``sending.proposed_statuses``) and enclosures as the
        template suggests, unless the user chose them already."""
        kind = templates.template_kind(self.template)
        if not self._touched_recipients:
            if len(self.selection) > 1:
                # one selected row is where the cursor happened to be (after a search), not a choice
                self.selection_button.setChecked(True)
            elif sending.proposed_statuses(self.template, self._counts) is None:
                self.all_button.setChecked(True)
            else:
                self.status_button.setChecked(True)
                by_kind = sending.default_statuses(self.template) is not None
                wanted = TEMPLATE_DEFAULT if by_kind else InvitationStatus.PLANNED.value
                self.status_combo.setCurrentIndex(self.status_combo.findData(wanted))
        if not self._touched_enclosures:
            is_reminder = kind.startswith("erinnerung")
            is_thanks = kind.startswith("dank")
            self.programme_box.setChecked(not is_reminder and not is_thanks)
            self.reply_form_box.setChecked(not is_thanks)
        # what ``sending.record_sending`` does for this kind of template
        if kind.startswith("erinnerung"):
            what = self.tr(
                "Erinnerung heute, Vorlage; vorgemerkt → eingeladen, ohne Einladungsdatum: Post, heute; "
                "PDF-Kopie ins Archiv"
            )
        elif kind.startswith("dank"):
            what = self.tr("Vorlage; PDF-Kopie ins Archiv; Status und Daten bleiben")
        else:
            what = self.tr(
                "Vorlage; vorgemerkt → eingeladen, ohne Einladungsdatum: Post, heute; PDF-Kopie ins Archiv"
            )
        self.record_box.setText(self.tr("Versand ver&merken ({0})").format(what))

    def choice(self) -> LetterChoice:
        """The letters the controls describe now."""
        statuses: frozenset[InvitationStatus] | None = None
        ids: tuple[int, ...] | None = None
        if self.selection_button.isChecked() and self.selection:
            ids = self.selection
        elif self.status_button.isChecked():
            data = self.status_combo.currentData()
            if data == TEMPLATE_DEFAULT:
                statuses = sending.default_statuses(self.template)
            elif data is not None:
                statuses = frozenset({InvitationStatus(data)})
        return LetterChoice(
            year=self.year,
            template=self.template,
            statuses=statuses,
            invitation_ids=ids,
            form="A" if self.form_a.isChecked() else "B",
            programme=self.programme_box.isChecked(),
            reply_form=self.reply_form_box.isChecked(),
            qr=self.qr_box.isChecked(),
        )

    def select_status(self, status: InvitationStatus | str) -> None:
        """Choose "Nach Status" with ``status`` (or ``TEMPLATE_DEFAULT``), as a click and a choice would."""
        value = status.value if isinstance(status, InvitationStatus) else status
        index = self.status_combo.findData(value)
        if index < 0:
            raise ValueError(f"status {status!r} not offered")
        self.status_combo.setCurrentIndex(index)
        self.status_button.setChecked(True)
        self._touched_recipients = True
        self.refresh()

    def select_template(self, name: str) -> None:
        index = self.template_combo.findData(templates.template_name(name))
        self.template_combo.setCurrentIndex(index)
        self.refresh()

    # --- reacting ---------------------------------------------------------------------------------------

    def _schedule_refresh(self) -> None:
        if not self._loading and not self._closed:
            self._refresh_timer.start()

    def done(self, result: int) -> None:
        """Closed (Schließen, Esc, another database): no more counting in the background."""
        self._refresh_timer.stop()
        if not self._closed:
            self._closed = True
            self.ctx.data_changed.disconnect(self._on_data_changed)
            self.ctx.database_changed.disconnect(self.reject)
        super().done(result)

    def _on_recipients_touched(self, _button: object = None) -> None:
        self._touched_recipients = True
        self._schedule_refresh()

    def _on_status_activated(self, _index: int) -> None:
        self.status_button.setChecked(True)
        self._on_recipients_touched()

    def _on_enclosures_touched(self) -> None:
        self._touched_enclosures = True
        self._schedule_refresh()

    def _on_template_changed(self, _index: int) -> None:
        self._fill_statuses()
        self._apply_template_defaults()
        self._schedule_refresh()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {INVITATIONS, PERSONS, ORGANISATIONS, CONFERENCES} and not self._closed:
            self._load_counts()
            self._schedule_refresh()

    def refresh(self) -> None:
        """Count the letters of the current choice; show missing addresses and template errors."""
        self._refresh_timer.stop()
        self.problem = ""
        try:
            self.letters = self.choice().contents(self.ctx.database, enclosures=False)
        except UserError as exc:  # TemplateError too: a broken own template
            self.letters = []
            self.problem = exc.message
        n = len(self.letters)
        if self.problem:
            self.count_label.setText(self.tr("Keine Briefe"))
            self.warning_label.setText("⚠ " + self.problem)
        else:
            if n == 1:
                self.count_label.setText(self.tr("1 Brief"))
            elif n:
                self.count_label.setText(self.tr("{0} Briefe").format(format_count(n)))
            else:
                self.count_label.setText(self.tr("Keine Briefe für diese Auswahl"))
            incomplete = [letter.recipient or "?" for letter in self.letters if not letter.address_complete]
            if incomplete:
                names = ", ".join(incomplete[:WARN_NAMES]) + (" …" if len(incomplete) > WARN_NAMES else "")
                text = (
                    self.tr("1 Anschrift ohne PLZ und Ort – dieser Brief käme nicht an: {1}")
                    if len(incomplete) == 1
                    else self.tr("{0} Anschriften ohne PLZ und Ort – diese Briefe kämen nicht an: {1}")
                )
                self.warning_label.setText("⚠ " + text.format(format_count(len(incomplete)), names))
            else:
                self.warning_label.setText("")
        self.warning_label.setVisible(bool(self.warning_label.text()))
        # a reply asked for by a day gone already: said before anything is printed or saved
        show_warning(self.deadline_label, templates.reply_warning(self.template, self.reply_deadline))
        ready = n > 0 and not self.problem
        for button in self.output_buttons:
            button.setEnabled(ready)

    # --- helpers for the outputs ------------------------------------------------------------------------

    def _title(self, what: str) -> str:
        return f"{what} – {self.windowTitle()}"

    def _suggested_name(self, choice: LetterChoice) -> str:
        kind = template_label(choice.template).split(" (")[0]
        return f"{kind} {self.year}.pdf"

    def _run(self, title: str, work: Callable[[Progress, Cancelled], T]) -> T | None:
        """``work`` in the background (progress, Abbrechen); a UserError becomes a message and None."""
        ensure_fonts()  # registered on the GUI thread; the letters are painted in the background
        try:
            return run_task(self, title, work)
        except LettersCancelledError as exc:
            self.result_label.setText(exc.message)
            return None
        except UserError as exc:
            warn(self, title, exc)
            return None

    def _output(self, title: str, work: Callable[[Progress, Cancelled], Outcome]) -> Outcome | None:
        # a recorded sending is announced after the controls show it (the counts here refresh then too)
        with self.ctx.announcing():
            outcome = self._run(title, work)
            if outcome is not None:
                self._finished(outcome)
        if outcome is not None and outcome.file_error:
            warn(self, title, outcome.file_error)
        return outcome

    def _finished(self, outcome: Outcome) -> None:
        """Show what an output did; a recorded sending is followed by the controls (recipients: the letters
        just made; "Versand vermerken" off) and announced, also when a file could not be written."""
        self.last_outcome = outcome
        parts: list[str] = []
        n = outcome.letters
        if outcome.file_error:
            parts.append(outcome.file_error)
        elif outcome.files:
            if len(outcome.files) > 1:
                what = self.tr("{0} Briefe als einzelne PDFs gespeichert in {1}")
            elif n == 1:
                what = self.tr("1 Brief gespeichert: {1}")
            else:
                what = self.tr("{0} Briefe gespeichert: {1}")
            where = outcome.files[0] if len(outcome.files) == 1 else outcome.files[0].parent
            parts.append(what.format(format_count(n), where))
        else:
            parts.append(
                (self.tr("1 Brief gedruckt.") if n == 1 else self.tr("{0} Briefe gedruckt.")).format(
                    format_count(n)
                )
            )
        if outcome.recorded and not outcome.file_error:
            parts.append(
                (
                    self.tr("Versand vermerkt für 1 Einladung; der Brief liegt im Archiv.")
                    if outcome.recorded == 1
                    else self.tr("Versand vermerkt für {0} Einladungen; die Briefe liegen im Archiv.")
                ).format(format_count(outcome.recorded))
            )
        if outcome.recorded:
            # the same letters stay chosen (their status changed), recorded once only
            self.selection = tuple(outcome.invitation_ids)
            self._selection_is_result = True
            self.selection_button.setChecked(True)
            self._touched_recipients = True
            self.record_box.setChecked(False)
            self.refresh()
        # one line each: a file name ends the first, so a sentence after it would run on (issue 17)
        self.result_label.setText("\n".join(parts))

    def _recording_confirmed(self, title: str, n: int | None = None) -> bool:
        """With "Versand vermerken" ticked: ask first, with the count (default Nein). True to go on; False
        (Nein) leaves everything as it was – nothing written, printed or recorded."""
        if not self.record_box.isChecked():
            return True
        n = len(self.letters) if n is None else n
        question = (
            self.tr(
                "Versand für 1 Einladung vermerken?\n\nDer Brief kommt ins Archiv, die Einladung gilt als "
                "versendet. Das lässt sich nicht rückgängig machen."
            )
            if n == 1
            else self.tr(
                "Versand für {0} Einladungen vermerken?\n\nDie Briefe kommen ins Archiv, die Einladungen "
                "gelten als versendet. Das lässt sich nicht rückgängig machen."
            ).format(format_count(n))
        )
        return confirm(self, title, question)

    def _printed_not_recorded(self, n: int) -> str:
        if n == 1:
            return self.tr("1 Brief gedruckt; der Versand ist nicht vermerkt.")
        return self.tr("{0} Briefe gedruckt; der Versand ist nicht vermerkt.").format(format_count(n))

    def _record_printed(self, choice: LetterChoice, letters: Sequence[LetterContent], title: str) -> None:
        """After printing from the preview: archive copies (background) and the sending recorded."""
        if not self.record_box.isChecked() or not self._recording_confirmed(title, len(letters)):
            self._finished(Outcome(len(letters)))
            return
        database = self.ctx.database

        def work(progress: Progress, cancelled: Cancelled) -> Outcome:
            steps = Steps(progress, cancelled, len(letters))
            archive = steps.archive_pdfs(letters, choice.form)
            steps.check()
            return commit_output(database, choice, letters, [], archive)

        if self._output(title, work) is None:
            self.result_label.setText(self._printed_not_recorded(len(letters)))

    # --- outputs ----------------------------------------------------------------------------------------

    def save_pdf(self, path: Path | None = None) -> Outcome | None:
        """ "Als PDF speichern …": all letters in one file (asks where unless ``path`` is given)."""
        choice = self.choice()
        title = self._title(self.tr("Als PDF speichern"))
        if path is None:
            path = choose_save_path(
                self, title, self._suggested_name(choice), self.tr(PDF_FILTER), folder_key=FOLDER_KEY
            )
            if path is None:
                return None
        if not self._recording_confirmed(title):
            return None
        record = self.record_box.isChecked()
        database = self.ctx.database
        target = path
        return self._output(
            title, lambda p, c: write_pdf(database, choice, target, record=record, progress=p, cancelled=c)
        )

    def save_folder(self, folder: Path | None = None) -> Outcome | None:
        """ "Einzelne PDFs in Ordner …": one PDF per letter, named like the archive copies."""
        choice = self.choice()
        title = self._title(self.tr("Einzelne PDFs"))
        if folder is None:
            folder = choose_folder(self, title, folder_key=FOLDER_KEY)
            if folder is None:
                return None
            names = letter_file_names(self.year, choice.template, self.letters)
            existing = [n for n in names.values() if (folder / n).exists()]
            if existing:
                question = (
                    self.tr("Eine dieser Dateien gibt es in „{1}“ schon. Ersetzen?")
                    if len(existing) == 1
                    else self.tr("{0} dieser Dateien gibt es in „{1}“ schon. Ersetzen?")
                ).format(format_count(len(existing)), folder)
                if not confirm(self, title, question):
                    return None
        if not self._recording_confirmed(title):
            return None
        record = self.record_box.isChecked()
        database = self.ctx.database
        target = folder
        return self._output(
            title, lambda p, c: write_folder(database, choice, target, record=record, progress=p, cancelled=c)
        )

    def save_document(self, path: Path | None = None) -> Path | None:
        """ "Zum Bearbeiten speichern …": all letters in one .docx or .odt file (by the suffix); never records."""
        choice = self.choice()
        title = self._title(self.tr("Zum Bearbeiten speichern"))
        if path is None:
            name = Path(self._suggested_name(choice)).with_suffix(".docx").name
            path = choose_save_path(
                self, title, name, self.tr(DOCUMENT_FILTER), folder_key=FOLDER_KEY, keep_suffix=True
            )
            if path is None:
                return None
        database = self.ctx.database
        target = path

        def work(_progress: Progress, _cancelled: Cancelled) -> tuple[int, Path]:
            letters = build_letters(database, choice)
            return len(letters), write_letters(letters, target, choice.form)

        result = self._run(title, work)
        if result is None:
            return None
        n, written = result
        text = (
            self.tr("1 Brief zum Bearbeiten gespeichert: {1}.")
            if n == 1
            else self.tr("{0} Briefe zum Bearbeiten gespeichert: {1}.")
        ).format(format_count(n), written)
        self.result_label.setText(text + " " + self.tr("Der Versand ist nicht vermerkt."))
        return written

    def make_preview(self) -> QPrintPreviewDialog | None:
        """The print preview of the current letters (not shown yet); None after a message."""
        choice = self.choice()
        title = self._title(self.tr("Vorschau"))
        try:
            letters = build_letters(self.ctx.database, choice)
        except UserError as exc:
            warn(self, title, exc)
            return None
        preview = make_print_preview(
            self,
            functools.partial(paint_letters, letters=letters, form=choice.form),
            title=(
                self.tr("Vorschau – 1 Brief") if len(letters) == 1 else self.tr("Vorschau – {0} Briefe")
            ).format(format_count(len(letters))),
        )
        preview._letters = letters  # type: ignore[attr-defined]  # what the preview shows, kept with it for printing
        preview._choice = choice  # type: ignore[attr-defined]  # (as above)
        return preview

    def show_preview(self) -> bool:
        """ "Vorschau …": Qt's print preview; printing from there records the sending (if chosen)."""
        preview = self.make_preview()
        if preview is None:
            return False
        printed = preview.exec() == QDialog.DialogCode.Accepted
        letters, choice = preview._letters, preview._choice  # type: ignore[attr-defined]  # set above
        preview.deleteLater()
        if printed:
            self._record_printed(choice, letters, self._title(self.tr("Drucken")))
        return printed

    def print_letters(self, printer: QPrinter | None = None) -> bool:
        """ "Drucken …": the system's print dialog, then painting on its printer letter by letter.

        ``printer`` (tests: a QPrinter with PDF output) skips the print dialog.
        """
        choice = self.choice()
        title = self._title(self.tr("Drucken"))
        if not self._recording_confirmed(title):
            return False
        ensure_fonts()
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(title)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            dialog.deleteLater()
            if not accepted:
                return False
        record = self.record_box.isChecked()
        database = self.ctx.database

        def prepare(
            progress: Progress, cancelled: Cancelled
        ) -> tuple[list[LetterContent], dict[int, bytes] | None]:
            # the archive copies first: Abbrechen before anything was printed leaves nothing recorded
            steps = Steps(progress, cancelled)
            letters = build_letters(database, choice)
            steps.total = 1 + (len(letters) if record else 0)
            steps.tick()
            return letters, steps.archive_pdfs(letters, choice.form) if record else None

        prepared = self._run(title, prepare)
        if prepared is None:
            return False
        letters, archive = prepared
        progress = QProgressDialog(
            self.tr("Briefe werden gedruckt …"), self.tr("Abbrechen"), 0, len(letters), self
        )
        progress.setWindowTitle(title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAccessibleName(title)
        steps = Steps(lambda done, _total: progress.setValue(done), progress.wasCanceled, len(letters))
        try:
            # on the GUI thread; the modal progress dialog handles events between the letters
            paint_letters(printer, steps.through(letters, on_cancel=printer.abort), choice.form)
        except LettersCancelledError as exc:
            _discard_print_file(printer)
            self.result_label.setText(exc.message)
            return False
        except RuntimeError as exc:  # QPainter.begin failed: printer gone, file not writable
            log.warning("printing failed: %s", exc)
            warn(self, title, self.tr("Der Drucker konnte nicht angesprochen werden."))
            return False
        finally:
            progress.close()
            progress.deleteLater()
        with self.ctx.announcing():
            outcome = self._run(title, lambda _p, _c: commit_output(database, choice, letters, [], archive))
            if outcome is not None:
                self._finished(outcome)
        if outcome is None:
            self.result_label.setText(self._printed_not_recorded(len(letters)))
        return True

    # --- the other dialogs ------------------------------------------------------------------------------

    def edit_templates(self) -> None:
        editor = TemplateEditorDialog(self.ctx, self, self.template, conference_id=self.conference_id)
        editor.exec()
        editor.deleteLater()
        self._fill_templates()
        self._fill_statuses()
        self.refresh()

    def edit_sender(self) -> None:
        from ui.paper.dialogs.sender_dialog import SenderSettingsDialog

        dialog = SenderSettingsDialog(self.ctx, self)
        dialog.exec()
        dialog.deleteLater()
        self.refresh()


def _discard_print_file(printer: QPrinter) -> None:
    """After an aborted print run to a PDF file ("In Datei drucken"), no half file stays behind."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        Path(printer.outputFileName()).unlink(missing_ok=True)


def open_letters_dialog(
    ctx: AppContext, parent: QWidget, conference_id: int, invitation_ids: Sequence[int] = ()
) -> LettersDialog:
    """Open the Serienbrief dialog of a conference (not modal; closed with the window or Esc).

    ``invitation_ids``: the invitations selected in the list, offered as recipients (and preselected when
    more than one is selected: a single selected row is where the cursor stood, not a choice).
    """
    dialog = LettersDialog(ctx, parent, conference_id, invitation_ids)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.activateWindow()
    return dialog
