"""E-Mail-Entwürfe bestätigen: the confirmed step after drafts were written into a folder
(``DraftsDialog``; the rules are ``konferenz.mail.drafts``).

Each run of drafts whose sending is not yet confirmed is one row: number, conference, template, how many,
written when and by whom. "Als versendet vermerken" records them as sent on the invitations (channel
E-Mail, date, template); "Verwerfen" removes the run when the drafts were not sent. Both ask with the count,
and the question's default is the harmless "Nein".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.enums import MailState
from konferenz.errors import UserError
from konferenz.lists.source import format_count
from konferenz.mail import drafts
from konferenz.mail.outbox import RunReport
from ui.context import AppContext
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import confirm, warn
from ui.widgets.geometry import remember_geometry

COLUMNS = ("Nr.", "Vorlage", "Entwürfe", "geschrieben am", "von")


class DraftsDialog(QDialog):
    """The runs of drafts waiting for the confirmation (modal)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, run_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("E-Mail-Entwürfe bestätigen"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("DraftsDialog")
        self.reports: list[RunReport] = []

        intro = QLabel(
            self.tr(
                "Entwürfe, die in einen Ordner geschrieben wurden, ändern an den Einladungen nichts. Wurden "
                "sie aus dem E-Mail-Programm versendet, hier vermerken; wurden sie es nicht, verwerfen."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Unbestätigte Entwürfe"))
        self.table.itemSelectionChanged.connect(self._update_state)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.confirm_button = QPushButton(self.tr("Als &versendet vermerken …"), self)
        self.discard_button = QPushButton(self.tr("Ver&werfen …"), self)
        mark_destructive(self.discard_button)
        self.discard_button.setToolTip(self.tr("Die Entwürfe wurden nicht versendet: nichts vermerken"))
        self.close_button = QPushButton(self.tr("Schließen"), self)
        for button in (self.confirm_button, self.discard_button, self.close_button):
            button.setAutoDefault(False)
        self.confirm_button.clicked.connect(lambda: self.confirm_selected())  # noqa: PLW0108 (not `checked`)
        self.discard_button.clicked.connect(lambda: self.discard_selected())  # noqa: PLW0108 (as above)
        self.close_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self.resize(640, 320)
        remember_geometry(self, "drafts_dialog")
        self.refresh(run_id)
        self.table.setFocus()

    def refresh(self, run_id: int | None = None) -> None:
        self.reports = drafts.draft_runs(self.ctx.database)
        self.table.setRowCount(len(self.reports))
        for row, report in enumerate(self.reports):
            values = (
                str(report.run_id),
                report.template.removesuffix(".html.j2"),
                format_count(report.count(MailState.DRAFT)),
                report.created_at.strftime("%d.%m.%Y %H:%M"),
                report.created_by,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (0, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        wanted = next((i for i, r in enumerate(self.reports) if r.run_id == run_id), 0)
        if self.reports:
            self.table.selectRow(wanted)
        else:
            self.result_label.setText(self.tr("Keine Entwürfe warten auf eine Bestätigung."))
        self._update_state()

    def selected(self) -> RunReport | None:
        rows = self.table.selectionModel().selectedRows()
        return self.reports[rows[0].row()] if rows else None

    def _update_state(self) -> None:
        chosen = self.selected() is not None
        self.confirm_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)

    def confirm_selected(self, *, ask: bool = True) -> bool:
        report = self.selected()
        title = self.tr("Als versendet vermerken")
        if report is None:
            return False
        n = report.count(MailState.DRAFT)
        question = self.tr(
            "{0} Entwürfe des Versands {1} als versendet vermerken? Die Einladungen bekommen Versandweg "
            "E-Mail, das heutige Datum und die Vorlage."
        ).format(format_count(n), report.run_id)
        if ask and not confirm(self, title, question):
            return False
        try:
            self.ctx.run(lambda: drafts.confirm_drafts(self.ctx.database, report.run_id))
        except UserError as exc:
            warn(self, title, exc)
            return False
        self.refresh()
        self.result_label.setText(
            self.tr("Versand {0}: {1} E-Mails als versendet vermerkt.").format(report.run_id, format_count(n))
        )
        return True

    def discard_selected(self, *, ask: bool = True) -> bool:
        report = self.selected()
        title = self.tr("Entwürfe verwerfen")
        if report is None:
            return False
        n = report.count(MailState.DRAFT)
        question = self.tr(
            "Die {0} Entwürfe des Versands {1} wurden nicht versendet? Der Versand wird entfernt; an den "
            "Einladungen ändert sich nichts, und die Dateien im Ordner bleiben, wo sie sind."
        ).format(format_count(n), report.run_id)
        if ask and not confirm(self, title, question):
            return False
        try:
            self.ctx.run(lambda: drafts.discard_drafts(self.ctx.database, report.run_id))
        except UserError as exc:
            warn(self, title, exc)
            return False
        self.refresh()
        self.result_label.setText(self.tr("Versand {0} verworfen; nichts vermerkt.").format(report.run_id))
        return True


def open_drafts_dialog(ctx: AppContext, parent: QWidget | None, run_id: int | None = None) -> DraftsDialog:
    dialog = DraftsDialog(ctx, parent, run_id=run_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
