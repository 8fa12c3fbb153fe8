"""Einladungen versenden: the e-mail run of a conference in the window (``MailDialog``).

Who: the invitations of the chosen template and recipients (the template's default statuses, one status,
all, or the selection handed in, e.g. the Erinnerungsliste), split by the core's one rule
(``outbox.plan_recipients`` over ``messages.channel_for``) into "per E-Mail" and "per Brief", with counts;
staff override the channel per person, for the selection, or for all. What: the attachments (Brief als PDF,
Programm, Rückmeldebogen, Kalendereintrag). The preview shows the exact message of the person selected
(To, Betreff, the HTML part, the attachments) and saves it as ``.eml``. "Entwürfe in Ordner schreiben …"
writes one draft per e-mail recipient (records nothing). "Senden …" asks with the count (default: no),
creates the run and sends it in the background (``ui.paper.dialogs.mail_sending``); the letters for the
rest are made by the Serienbrief dialog, which it offers to open for them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences.reads import conference_summary, conference_year
from konferenz.enums import InvitationStatus, label
from konferenz.errors import UserError, file_problem
from konferenz.letters import sending, templates
from konferenz.letters.reads import letter_counts
from konferenz.lists.source import format_count
from konferenz.mail import outbox
from konferenz.mail.drafts import as_draft
from konferenz.mail.messages import draft_file_name, message_html
from konferenz.mail.settings import check_mail_settings, require_server
from konferenz.storage.changes import INVITATIONS, ORGANISATIONS, PERSONS
from konferenz.text import file_size, isolate, left_to_right
from ui.context import AppContext
from ui.paper.deadline_warning import deadline_label, show_warning
from ui.paper.dialogs.mail_sending import (
    ATTACHMENT_LABELS,
    EMAIL,
    NONE,
    POST,
    Prepared,
    Sent,
    continue_run,
    default_attachments,
    open_runs_of,
    plural,
    prepare,
    propose_channels,
    send_in_background,
    write_recorded_drafts,
)
from ui.paper.dialogs.template_editor import template_label
from ui.widgets.dialog_tools import choose_folder, choose_save_path, confirm, warn
from ui.widgets.geometry import remember_geometry
from ui.widgets.tasks import Latest

CHANNEL_LABELS = {EMAIL: "E-Mail", POST: "Brief", NONE: "—"}
#: the recipient combo's entries besides the statuses
TEMPLATE_DEFAULT, ALL, SELECTION = "template-default", "all", "selection"
FOLDER_KEY = "EMail/folder"
COLUMNS = ("Name", "E-Mail-Adresse", "Versand per", "Hinweis")


log = logging.getLogger(__name__)


class MailDialog(QDialog):
    """Einladungen versenden – Konferenz <Jahr>."""

    #: the recipient list is up to date (after ``refresh``)
    recipients_ready = Signal()

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        conference_id: int,
        invitation_ids: Sequence[int] = (),
        *,
        template: str = templates.DEFAULT_TEMPLATE,
        use_selection: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conference_id = conference_id
        self.selection = tuple(dict.fromkeys(invitation_ids))
        with ctx.database.read_session() as s:
            year = conference_year(s, conference_id)
            counts = letter_counts(s, conference_id)
            summary = conference_summary(s, conference_id)
        if year is None:
            raise UserError("Diese Konferenz gibt es nicht mehr.")
        self.year = year
        self.counts = counts
        self.reply_deadline = summary.reply_deadline if summary else None
        self.prepared: Prepared | None = None
        #: invitation id → EMAIL / POST / NONE as proposed by the core, and as chosen now
        self.proposed: dict[int, str] = {}
        self.channels: dict[int, str] = {}
        self.hints: dict[int, str] = {}
        self.order: list[int] = []
        self.problem = ""
        self.last_sent: Sent | None = None
        self.open_runs: list[outbox.RunReport] = []
        self._loading = True
        self._keep: tuple[dict[int, str], dict[int, str]] = ({}, {})
        self._recipients = Latest(self)
        self._recipients.ready.connect(self._show_recipients)

        self.setWindowTitle(self.tr("Einladungen versenden – Konferenz {0}").format(year))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("MailDialog")

        # -- choice
        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName(self.tr("Vorlage"))
        for name in templates.available_templates():
            self.template_combo.addItem(template_label(name), name)
        self.template_combo.setCurrentIndex(
            max(self.template_combo.findData(templates.template_name(template)), 0)
        )
        self.recipient_combo = QComboBox(self)
        self.recipient_combo.setAccessibleName(self.tr("Empfänger"))
        self.recipient_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.attachment_boxes: dict[str, QCheckBox] = {}
        attach_row = QHBoxLayout()
        for key, text in (
            ("brief", self.tr("Brief als &PDF")),
            ("programm", self.tr("Pro&gramm")),
            ("rueckmeldebogen", self.tr("&Rückmeldebogen")),
            ("ics", self.tr("&Kalendereintrag (.ics)")),
        ):
            box = QCheckBox(text, self)
            box.setAccessibleName(ATTACHMENT_LABELS[key])
            self.attachment_boxes[key] = box
            attach_row.addWidget(box)
        attach_row.addStretch(1)
        choice = QFormLayout()
        template_label_widget = QLabel(self.tr("Vor&lage:"), self)
        template_label_widget.setBuddy(self.template_combo)
        recipient_label = QLabel(self.tr("&Empfänger:"), self)
        recipient_label.setBuddy(self.recipient_combo)
        choice.addRow(template_label_widget, self.template_combo)
        choice.addRow(recipient_label, self.recipient_combo)
        choice.addRow(self.tr("Anlagen:"), attach_row)

        # -- recipients and channel
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("mail_recipients")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("Empfänger und Versandweg"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (the arrows move within it)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        table_label = QLabel(self.tr("Emp&fänger und Versandweg:"), self)
        table_label.setBuddy(self.table)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("mail_counts")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.selection_post_button = QPushButton(self.tr("Auswahl per &Brief"), self)
        self.selection_mail_button = QPushButton(self.tr("Auswahl per E-&Mail"), self)
        self.all_post_button = QPushButton(self.tr("&Alle per Brief"), self)
        self.reset_button = QPushButton(self.tr("Alle &wie vorgeschlagen"), self)
        override = QHBoxLayout()
        for button in (
            self.selection_post_button,
            self.selection_mail_button,
            self.all_post_button,
            self.reset_button,
        ):
            override.addWidget(button)
        override.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(table_label)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(override)
        left_layout.addWidget(self.count_label)

        # -- preview
        preview = QGroupBox(self.tr("Vorschau der Nachricht"), self)
        self.to_label = QLabel(preview)
        self.subject_label = QLabel(preview)
        self.attachments_label = QLabel(preview)
        for widget in (self.to_label, self.subject_label, self.attachments_label):
            widget.setWordWrap(True)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.browser = QTextBrowser(preview)
        self.browser.setObjectName("mail_preview")
        self.browser.setAccessibleName(self.tr("Text der Nachricht"))
        self.browser.setOpenLinks(False)
        self.eml_button = QPushButton(self.tr("Als .eml &speichern …"), preview)
        head = QFormLayout()
        head.addRow(self.tr("An:"), self.to_label)
        head.addRow(self.tr("Betreff:"), self.subject_label)
        head.addRow(self.tr("Anlagen:"), self.attachments_label)
        preview_layout = QVBoxLayout(preview)
        preview_layout.addLayout(head)
        preview_layout.addWidget(self.browser, 1)
        eml_row = QHBoxLayout()
        eml_row.addStretch(1)
        eml_row.addWidget(self.eml_button)
        preview_layout.addLayout(eml_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(preview)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 440])

        # -- results and ways out
        self.open_label = QLabel(self)
        self.open_label.setObjectName("mail_open_run")
        self.open_label.setWordWrap(True)
        self.deadline_label = deadline_label(self, "mail_deadline")
        self.result_label = QLabel(self)
        self.result_label.setObjectName("mail_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.send_button = QPushButton(self.tr("Se&nden …"), self)
        self.resume_button = QPushButton(self.tr("For&tsetzen"), self)
        self.drafts_button = QPushButton(self.tr("Entwürfe in &Ordner schreiben …"), self)
        self.letters_button = QPushButton(self.tr("Briefe für die übrigen &drucken …"), self)
        self.settings_button = QPushButton(self.tr("E-Mail-E&instellungen …"), self)
        self.close_button = QPushButton(self.tr("Schließen"), self)
        buttons = QHBoxLayout()
        for button in (self.send_button, self.resume_button, self.drafts_button, self.letters_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.close_button)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter sends nothing

        layout = QVBoxLayout(self)
        layout.addLayout(choice)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.deadline_label)
        layout.addWidget(self.open_label)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

        self._fill_recipients(use_selection)
        self._apply_attachment_defaults()
        self._loading = False
        self.refresh()

        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        self.recipient_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in self.attachment_boxes.values():
            box.toggled.connect(lambda _on: self.refresh(keep_channels=True))
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self.show_preview())
        self.selection_post_button.clicked.connect(lambda: self.set_channel(self.selected_ids(), POST))
        self.selection_mail_button.clicked.connect(lambda: self.set_channel(self.selected_ids(), EMAIL))
        self.all_post_button.clicked.connect(lambda: self.set_channel(self.order, POST))
        self.reset_button.clicked.connect(self.reset_channels)
        self.eml_button.clicked.connect(lambda: self.save_eml())  # noqa: PLW0108 (clicked(bool) would be the path)
        self.drafts_button.clicked.connect(lambda: self.write_drafts())  # noqa: PLW0108 (as above)
        self.send_button.clicked.connect(self.send)
        self.resume_button.clicked.connect(self.resume)
        self.letters_button.clicked.connect(lambda: self.open_letters())  # noqa: PLW0108 (as above)
        self.settings_button.clicked.connect(self.edit_settings)
        self.close_button.clicked.connect(self.reject)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.database_changed.connect(self.reject)
        remember_geometry(self, "Dialoge/EMail")
        self.table.setFocus()

    # --- choices ------------------------------------------------------------------------------------------

    @property
    def template(self) -> str:
        return str(self.template_combo.currentData() or templates.DEFAULT_TEMPLATE)

    @property
    def wanted(self) -> frozenset[str]:
        return frozenset(k for k, box in self.attachment_boxes.items() if box.isChecked())

    def _fill_recipients(self, use_selection: bool = False) -> None:
        current = self.recipient_combo.currentData()
        self.recipient_combo.blockSignals(True)
        self.recipient_combo.clear()
        defaults = sending.default_statuses(self.template)
        if defaults is not None:
            order = list(InvitationStatus)
            names = " oder ".join(label(s) for s in sorted(defaults, key=order.index))
            n = sum(self.counts.get(s, 0) for s in defaults)
            self.recipient_combo.addItem(
                self.tr("{0} (Vorgabe der Vorlage, {1})").format(names, format_count(n)), TEMPLATE_DEFAULT
            )
        self.recipient_combo.addItem(
            self.tr("Alle Einladungen ({0})").format(format_count(sum(self.counts.values()))), ALL
        )
        for status in InvitationStatus:
            self.recipient_combo.addItem(
                f"{label(status)} ({format_count(self.counts.get(status, 0))})", status.value
            )
        if self.selection:
            self.recipient_combo.addItem(
                self.tr("Auswahl in der Liste ({0})").format(format_count(len(self.selection))), SELECTION
            )
        if use_selection and self.selection:
            wanted = SELECTION
        elif current is not None and self.recipient_combo.findData(current) >= 0:
            wanted = current
        elif sending.proposed_statuses(self.template, self.counts) is None:
            wanted = ALL
        else:  # the template's default, or for an invitation those vorgemerkt
            wanted = TEMPLATE_DEFAULT if defaults is not None else InvitationStatus.PLANNED.value
        self.recipient_combo.setCurrentIndex(max(self.recipient_combo.findData(wanted), 0))
        self.recipient_combo.blockSignals(False)

    def _apply_attachment_defaults(self) -> None:
        chosen = default_attachments(self.template)
        for key, box in self.attachment_boxes.items():
            box.blockSignals(True)
            box.setChecked(key in chosen)
            box.blockSignals(False)

    def select_recipients(self, data: str | InvitationStatus) -> None:
        value = data.value if isinstance(data, InvitationStatus) else data
        index = self.recipient_combo.findData(value)
        if index < 0:
            raise ValueError(f"recipients {data!r} not offered")
        self.recipient_combo.setCurrentIndex(index)

    def _statuses_and_ids(self) -> tuple[frozenset[InvitationStatus] | None, tuple[int, ...] | None]:
        data = self.recipient_combo.currentData()
        if data == SELECTION:
            return None, self.selection
        if data == TEMPLATE_DEFAULT:
            return sending.default_statuses(self.template), None
        if data == ALL or data is None:
            return None, None
        return frozenset({InvitationStatus(data)}), None

    def _on_template_changed(self, _index: int) -> None:
        self._fill_recipients()
        self._apply_attachment_defaults()
        self.refresh()

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {INVITATIONS, PERSONS, ORGANISATIONS} and not self._loading and self.isVisible():
            with self.ctx.database.read_session() as s:
                self.counts = letter_counts(s, self.conference_id)
            self._fill_recipients()
            self.refresh(keep_channels=True)

    # --- recipients --------------------------------------------------------------------------------------

    def refresh(self, *, keep_channels: bool = False) -> None:
        """Who gets what by the core's rule (``plan_recipients``), keeping staff's overrides if asked. The
        letters' content is read in the background (``Latest``; a second of work per few hundred
        recipients); the list and the buttons follow when it is there (``recipients_ready``)."""
        if self._loading:
            return
        statuses, ids = self._statuses_and_ids()
        database, year, template, wanted = self.ctx.database, self.year, self.template, self.wanted
        self._keep = (
            (dict(self.channels), dict(self.proposed)) if keep_channels else ({}, dict(self.proposed))
        )

        def work() -> tuple[Prepared, outbox.RecipientPlan]:
            prepared = prepare(database, year, template, statuses, ids, wanted=wanted)
            # with no status chosen the core's plan takes every invitation, as ``mail_contents`` does
            plan = outbox.plan_recipients(
                database, year, template, statuses if statuses is not None else list(InvitationStatus), ids
            )
            return prepared, plan

        for button in (self.send_button, self.drafts_button, self.letters_button):
            button.setEnabled(False)
        self.count_label.setText(self.tr("Die Empfänger werden zusammengestellt …"))
        self._recipients.start(work)

    @property
    def loading(self) -> bool:
        """The recipient list is being put together (``recipients_ready`` follows)."""
        return self._recipients.busy

    def _show_recipients(self, outcome: object) -> None:
        old, old_proposed = self._keep
        self.problem = ""
        plan: outbox.RecipientPlan | None = None
        if isinstance(outcome, tuple):
            self.prepared, plan = outcome
        else:  # a broken own template, a deleted conference
            self.prepared = None
            self.problem = (
                outcome.message
                if isinstance(outcome, UserError)
                else self.tr("Die Empfänger konnten nicht zusammengestellt werden.")
            )
            if not isinstance(outcome, UserError):
                log.error("Empfänger der E-Mails: %r", outcome)
        self.proposed, self.hints, self.order = propose_channels(self.prepared, plan)
        # an override stays while the core proposes the same as before (not after the e-mail was sent)
        self.channels = {
            i: old[i] if i in old and old_proposed.get(i) == self.proposed[i] else self.proposed[i]
            for i in self.order
        }
        self._fill_table()
        self._update_state()
        self.recipients_ready.emit()

    def _fill_table(self) -> None:
        current = self.current_id()
        self.table.setRowCount(len(self.order))
        assert self.prepared is not None or not self.order
        for row, inv_id in enumerate(self.order):
            assert self.prepared is not None
            recipient = self.prepared.items[inv_id].recipient
            values = (
                recipient.name,
                recipient.address,
                self.tr(CHANNEL_LABELS[self.channels[inv_id]]),
                self.hints.get(inv_id, ""),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, inv_id)
                if column == 2 and self.channels[inv_id] != self.proposed[inv_id]:
                    item.setToolTip(self.tr("von Hand geändert"))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if self.order:
            row = self.order.index(current) if current in self.order else 0
            self.table.setCurrentCell(row, 0)
        self.show_preview()

    def _channel_cell(self, inv_id: int) -> None:
        row = self.order.index(inv_id)
        item = self.table.item(row, 2)
        if item is not None:
            item.setText(self.tr(CHANNEL_LABELS[self.channels[inv_id]]))
            changed = self.channels[inv_id] != self.proposed[inv_id]
            font = item.font()
            font.setBold(changed)
            item.setFont(font)
            item.setToolTip(self.tr("von Hand geändert") if changed else "")

    def count(self, channel: str) -> int:
        return sum(1 for c in self.channels.values() if c == channel)

    def ids(self, channel: str) -> list[int]:
        return [i for i in self.order if self.channels[i] == channel]

    def _update_state(self) -> None:
        n_mail, n_post, n_none = self.count(EMAIL), self.count(POST), self.count(NONE)
        if self.problem:
            self.count_label.setText("⚠ " + self.problem)
        else:
            parts = [
                self.tr("per E-Mail: {0}").format(format_count(n_mail)),
                self.tr("per Brief: {0}").format(format_count(n_post)),
            ]
            if n_none:
                parts.append(self.tr("haben sie schon: {0}").format(format_count(n_none)))
            self.count_label.setText(" · ".join(parts))
        self.send_button.setEnabled(n_mail > 0)
        self.drafts_button.setEnabled(n_mail > 0)
        self.letters_button.setEnabled(n_post > 0)
        has_rows = bool(self.order)
        for button in (
            self.selection_post_button,
            self.selection_mail_button,
            self.all_post_button,
            self.reset_button,
        ):
            button.setEnabled(has_rows)
        runs = open_runs_of(self.ctx.database, self.template)
        self.open_runs = runs
        self.resume_button.setVisible(bool(runs))
        show_warning(self.deadline_label, templates.reply_warning(self.template, self.reply_deadline))
        self.open_label.setVisible(bool(runs))
        if runs:
            self.open_label.setText(
                "⚠ "
                + " ".join(r.summary() for r in runs)
                + self.tr(" „Fortsetzen“ sendet den Rest; niemand bekommt eine E-Mail zweimal.")
            )

    def current_id(self) -> int | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.order):
            return self.order[row]
        return None

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.order[r] for r in rows if r < len(self.order)]

    def select_ids(self, ids: Sequence[int]) -> None:
        """Select the rows of ``ids`` (as a click with Strg would)."""
        self.table.clearSelection()
        model = self.table.selectionModel()
        for inv_id in ids:
            row = self.order.index(inv_id)
            self.table.setCurrentCell(row, 0, model.SelectionFlag.Select | model.SelectionFlag.Rows)

    def set_channel(self, ids: Sequence[int], channel: str) -> list[int]:
        """Override the channel of ``ids``; e-mail only where there is an address. Returns those changed."""
        assert self.prepared is not None or not ids
        changed = []
        for inv_id in ids:
            assert self.prepared is not None
            if channel == EMAIL and not self.prepared.items[inv_id].recipient.address:
                continue
            if self.channels.get(inv_id) != channel:
                self.channels[inv_id] = channel
                self._channel_cell(inv_id)
                changed.append(inv_id)
        self._update_state()
        self.show_preview()
        return changed

    def reset_channels(self) -> None:
        self.channels = dict(self.proposed)
        for inv_id in self.order:
            self._channel_cell(inv_id)
        self._update_state()
        self.show_preview()

    # --- preview ------------------------------------------------------------------------------------------

    def show_preview(self) -> None:
        """The exact message of the person selected: To, Betreff, the HTML part, the attachments."""
        inv_id = self.current_id()
        self.eml_button.setEnabled(False)
        if inv_id is None or self.prepared is None:
            self.to_label.setText("")
            self.subject_label.setText("")
            self.attachments_label.setText("")
            self.browser.setPlainText(self.problem or self.tr("Keine Empfänger für diese Auswahl."))
            return
        item = self.prepared.items[inv_id]
        if self.channels[inv_id] != EMAIL:
            what = (
                self.tr("bekommt einen Brief")
                if self.channels[inv_id] == POST
                else self.tr("hat diese E-Mail schon")
            )
            self.to_label.setText(left_to_right(f"{isolate(item.recipient.name)} ({what})"))
            self.subject_label.setText(item.letter.subject)
            self.attachments_label.setText("—")
            self.browser.setHtml(message_html(item.letter))
            return
        self.to_label.setText(left_to_right(f"{isolate(item.recipient.name)} <{item.recipient.address}>"))
        try:
            msg = self.prepared.message(inv_id)
        except UserError as exc:
            self.subject_label.setText(item.letter.subject)
            self.attachments_label.setText("")
            self.browser.setPlainText("⚠ " + exc.message)
            return
        self.subject_label.setText(msg["Subject"])
        sent = msg.parsed()  # the bytes as the server gets them, read back
        html_part = sent.get_body(("html",))
        self.browser.setHtml(html_part.get_content() if html_part is not None else "")
        files = [
            f"{part.get_filename()} ({file_size(len(part.get_payload(decode=True) or b''))})"
            for part in sent.iter_attachments()
        ]
        self.attachments_label.setText(", ".join(files) or self.tr("keine"))
        self.eml_button.setEnabled(True)

    def save_eml(self, path: Path | None = None) -> Path | None:
        """ "Als .eml speichern …": the previewed message as a draft file."""
        inv_id = self.current_id()
        title = self.tr("Als .eml speichern")
        if inv_id is None or self.prepared is None:
            return None
        item = self.prepared.items[inv_id]
        try:
            msg = self.prepared.message(inv_id)
        except UserError as exc:
            warn(self, title, exc)
            return None
        if path is None:
            path = choose_save_path(
                self,
                title,
                draft_file_name(self.year, self.template, item.recipient),
                self.tr("E-Mail-Datei (*.eml)"),
                folder_key=FOLDER_KEY,
            )
            if path is None:
                return None
        try:
            path.write_bytes(as_draft(msg))
        except OSError as exc:
            warn(self, title, file_problem(path, exc))
            return None
        self.result_label.setText(self.tr("Vorschau gespeichert: {0}").format(path))
        return path

    # --- drafts, sending, letters ------------------------------------------------------------------------

    def _ready_settings(self, title: str) -> bool:
        assert self.prepared is not None
        try:
            check_mail_settings(self.prepared.settings)
            require_server(self.prepared.settings)
        except UserError as exc:
            warn(
                self,
                title,
                exc.message.replace("mit „konferenz mail-settings“", "unter „E-Mail-Einstellungen …“"),
            )
            return False
        return True

    def write_drafts(self, folder: Path | None = None) -> list[Path]:
        """One ``.eml`` draft per e-mail recipient into a folder. The invitations stay unchanged: the
        drafts are kept as a run, and recording them as sent is a separate, confirmed step (Konferenz →
        E-Mail-Entwürfe bestätigen …)."""
        ids = self.ids(EMAIL)
        prepared = self.prepared
        if not ids or prepared is None:
            return []
        if folder is None:
            folder = choose_folder(self, self.tr("Entwürfe in Ordner schreiben"), folder_key=FOLDER_KEY)
            if folder is None:
                return []
        done = write_recorded_drafts(
            self.ctx, self, prepared, ids, conference_id=self.conference_id, folder=folder
        )
        if done is None:
            return []
        written, run = done
        self.result_label.setText(
            plural(len(written), "1 Entwurf geschrieben", "{0} Entwürfe geschrieben")
            + self.tr(
                ": {0}. Vermerkt ist nichts. Sind sie versendet: Konferenz → E-Mail-Entwürfe bestätigen … "
                "(Versand {1})."
            ).format(folder, run.run_id)
        )
        self.refresh(keep_channels=True)
        return written

    def send(self) -> Sent | None:
        """ "Senden …": asks with the count (default: no), creates the run and sends it in the background."""
        title = self.tr("E-Mails senden")
        prepared = self.prepared
        ids = self.ids(EMAIL)
        if not ids or prepared is None or not self._ready_settings(title):
            return None
        runs = open_runs_of(self.ctx.database, self.template)
        if runs:
            warn(
                self,
                title,
                runs[0].summary()
                + self.tr(
                    " Er ist nicht abgeschlossen: bitte erst „Fortsetzen“, damit niemand zweimal eine E-Mail bekommt."
                ),
            )
            self._update_state()
            return None
        recipients = [outbox.Recipient(i, prepared.items[i].recipient.address) for i in ids]
        people = len({r.address.casefold() for r in recipients})
        question = (
            plural(len(ids), "1 E-Mail", "{0} E-Mails")
            + " "
            + plural(people, "an 1 Person", "an {0} Personen")
            + self.tr(" senden?")
        )
        letters = self.count(POST)
        if letters:
            question += " " + plural(
                letters,
                "1 Person bekommt einen Brief (danach über „Briefe für die übrigen drucken …“).",
                "{0} Personen bekommen einen Brief (danach über „Briefe für die übrigen drucken …“).",
            )
        if not confirm(self, title, question):
            return None
        try:
            created = self.ctx.run(
                lambda: outbox.create_run(
                    self.ctx.database,
                    self.conference_id,
                    self.template,
                    recipients,
                    from_address=prepared.settings.from_address,
                    attachments=sorted(prepared.wanted),
                )
            )
        except UserError as exc:
            warn(self, title, exc)
            return None
        return self._after_sending(send_in_background(self.ctx, self, created.run_id, prepared))

    def resume(self) -> Sent | None:
        """ "Fortsetzen": the rest of the unfinished run(s) of this template."""
        sent: Sent | None = None
        for run in open_runs_of(self.ctx.database, self.template):
            sent = continue_run(self.ctx, self, run.run_id)
            if sent is None:
                break
        return self._after_sending(sent)

    def _after_sending(self, sent: Sent | None) -> Sent | None:
        post = self.ids(POST)
        self.refresh(keep_channels=True)
        if sent is None:
            return None
        self.last_sent = sent
        self.result_label.setText(sent.report.summary())
        if post and not sent.cancelled and not sent.interrupted:
            question = plural(
                len(post),
                "1 Person bekommt einen Brief. Den Serienbrief für sie öffnen?",
                "{0} Personen bekommen einen Brief. Den Serienbrief für sie öffnen?",
            )
            if confirm(self, self.tr("Briefe für die übrigen"), question):
                self.open_letters(post)
        return sent

    def open_letters(self, ids: Sequence[int] | None = None) -> QWidget | None:
        """The Serienbrief dialog for the "per Brief" recipients (the existing letter flow)."""
        from ui.paper.dialogs.letters_dialog import open_letters_dialog

        chosen = list(ids) if ids else self.ids(POST)
        if not chosen:
            return None
        parent = self.parentWidget() or self
        dialog = open_letters_dialog(self.ctx, parent, self.conference_id, chosen)
        dialog.select_template(self.template)
        return dialog

    def edit_settings(self) -> None:
        from ui.paper.dialogs.mail_settings_dialog import MailSettingsDialog

        dialog = MailSettingsDialog(self.ctx, self)
        dialog.exec()
        dialog.deleteLater()
        self.refresh(keep_channels=True)

    def done(self, result: int) -> None:
        if not self._loading:
            self._loading = True
            self.ctx.data_changed.disconnect(self._on_data_changed)
            self.ctx.database_changed.disconnect(self.reject)
        super().done(result)


def open_mail_dialog(
    ctx: AppContext,
    parent: QWidget,
    conference_id: int,
    invitation_ids: Sequence[int] = (),
    *,
    template: str = templates.DEFAULT_TEMPLATE,
    use_selection: bool = False,
) -> MailDialog:
    """Open "Einladungen versenden" (not modal). ``invitation_ids``: the selection in the list, offered as
    recipients (chosen with ``use_selection``, as for the Erinnerungsliste)."""
    dialog = MailDialog(
        ctx, parent, conference_id, invitation_ids, template=template, use_selection=use_selection
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.activateWindow()
    return dialog
