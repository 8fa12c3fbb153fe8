"""Adressetiketten, Namensschilder, Unterschriftenliste and Teilnehmerliste printed from the window.

``open_print_dialog(ctx, parent, conference_id, kind, invitation_ids)`` opens one small dialog per kind
(``"labels"``, ``"badges"``, ``"signin"``, ``"attendees"``). Each shows the options of the matching command
(``ui/commands/paper.py``), a count line ("38 Etiketten auf 2 Bögen") and three ways out that share one
painting function: "Vorschau …" (QPrintPreviewDialog, printing from there), "Drucken …" (the system's print
dialog, painting on its QPrinter) and "Als PDF speichern …" (QPdfWriter).

The content comes from ``konferenz.letters.sheets`` (``label_addresses``, ``attendees``, ``signin_sheet``,
``attendee_list``); which persons appear (statuses, list consent) is decided there, not here.

No background task: measured on this project's machines, the query for 1,000 invitations takes about
0.25 s and painting 1,000 labels (or badges, or list rows) into a PDF 0.2–0.4 s, so even a large
conference stays under a second and a progress dialog would only flash. (Painting on a QPrinter has to
happen on the GUI thread anyway.)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences.reads import conference_summary
from konferenz.enums import InvitationStatus, label
from konferenz.errors import UserError, file_problem
from konferenz.letters.selection import forum_label
from konferenz.letters.sheets import (
    AttendanceSheet,
    attendee_list,
    attendees,
    label_addresses,
    signin_sheet,
)
from konferenz.lists.source import format_count
from ui.context import AppContext
from ui.paper.canvas import Painting, ensure_fonts, pdf_bytes, prepare_device
from ui.paper.geometry import AVERY_L4785, LABEL_SHEETS, LabelSheet

KINDS = ("labels", "badges", "signin", "attendees")
PDF_FILTER = "PDF-Dokument (*.pdf)"
#: label sheets in the order offered (the most common one first)
SHEET_ORDER = ("zweckform-3475", "zweckform-3474", "avery-l7160")


def _plural(n: int, one: str, many: str) -> str:
    return f"{format_count(n)} {one if n == 1 else many}"


def statuses_text(statuses: Iterable[InvitationStatus]) -> str:
    """German labels of ``statuses`` in the order of the life cycle: "zugesagt, vertreten, …"."""
    order = list(InvitationStatus)
    return ", ".join(label(s) for s in sorted(statuses, key=order.index))


def _sheets(used: int, per_sheet: int) -> int:
    return math.ceil(used / per_sheet) if used else 0


@dataclass(frozen=True)
class ConferenceInfo:
    """What the dialogs need to know about the conference: year, title and its forums (numbered)."""

    id: int
    year: int
    title: str
    forums: tuple[str, ...]

    @staticmethod
    def load(ctx: AppContext, conference_id: int) -> ConferenceInfo:
        with ctx.database.read_session() as s:
            conf = conference_summary(s, conference_id)
        if conf is None:
            raise UserError("Diese Konferenz gibt es nicht mehr (inzwischen gelöscht?).")
        forums = tuple(forum_label(n, f.title) for n, f in enumerate(conf.forums, start=1))
        return ConferenceInfo(conf.id, conf.year, conf.title, forums)


@dataclass(frozen=True)
class Printout:
    """The loaded content of a dialog: the count line, and the painting (None when nothing to print)."""

    summary: str
    paint: Painting | None


# --- a small picture of a label sheet ---------------------------------------------------------------------


class SheetPositionWidget(QWidget):
    """A label sheet in miniature: used labels crossed out and grey, the first free one framed and numbered.

    A click on a label makes it the start position; the keyboard route is the spin box next to it.
    """

    start_clicked = Signal(int)

    def __init__(
        self,
        sheet: LabelSheet,
        parent: QWidget | None = None,
        *,
        one: str = "Etikett",
        many: str = "Etiketten",
    ) -> None:
        super().__init__(parent)
        self._sheet = sheet
        self._start = 1
        self._words = (one, many)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip(self.tr("Klick auf ein {0}: dort beginnen").format(one))
        self._describe()

    def set_sheet(self, sheet: LabelSheet) -> None:
        self._sheet = sheet
        self._start = min(self._start, sheet.per_sheet)
        self._describe()
        self.update()

    def set_start(self, start: int) -> None:
        self._start = start
        self._describe()
        self.update()

    def sizeHint(self) -> QSize:
        scale = self.fontMetrics().height() / 40.0  # follows the system font size
        return QSize(round(210 * scale) + 2, round(297 * scale) + 2)

    def _scale(self) -> float:
        return min((self.width() - 2) / 210.0, (self.height() - 2) / 297.0)

    def _describe(self) -> None:
        self.setAccessibleName(self.tr("Etikettenbogen"))
        self.setAccessibleDescription(skipped_text(self._start, self._sheet.per_sheet, *self._words))

    def _label_rect(self, index: int, scale: float) -> QRectF:
        x, y, w, h = self._sheet.rect(index)
        inset = 0.8  # a gap between neighbouring labels (sheets without gaps would merge into one area)
        return QRectF(
            1 + x * scale + inset, 1 + y * scale + inset, w * scale - 2 * inset, h * scale - 2 * inset
        )

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        scale = self._scale()
        paper = QRectF(1, 1, 210 * scale, 297 * scale)
        painter.setPen(QPen(palette.color(palette.ColorRole.WindowText), 1))
        painter.setBrush(QColor(Qt.GlobalColor.white))
        painter.drawRect(paper)
        text_color = QColor(Qt.GlobalColor.black)
        for index in range(self._sheet.per_sheet):
            rect = self._label_rect(index, scale)
            if index < self._start - 1:  # used: grey and crossed out, so it does not depend on colour
                painter.setPen(QPen(QColor(120, 120, 120), 1))
                painter.setBrush(QColor(200, 200, 200))
                painter.drawRect(rect)
                painter.drawLine(rect.topLeft(), rect.bottomRight())
                painter.drawLine(rect.topRight(), rect.bottomLeft())
            elif index == self._start - 1:
                painter.setPen(QPen(text_color, 2.5))
                painter.setBrush(QColor(255, 255, 255))
                painter.drawRect(rect)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index + 1))
            else:
                painter.setPen(QPen(QColor(140, 140, 140), 1))
                painter.setBrush(QColor(255, 255, 255))
                painter.drawRect(rect)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        scale = self._scale()
        for index in range(self._sheet.per_sheet):
            if self._label_rect(index, scale).contains(event.position()):
                self.start_clicked.emit(index + 1)
                return
        super().mousePressEvent(event)


def skipped_text(start: int, per_sheet: int, one: str = "Etikett", many: str = "Etiketten") -> str:
    """The start position in words: which labels of a partly used sheet stay free."""
    if start <= 1:
        return f"Ein neuer Bogen: es beginnt oben links mit {one} 1 von {per_sheet}."
    if start == 2:
        used = f"{one} 1 ist schon benutzt und bleibt frei"
    else:
        used = f"{many} 1–{start - 1} sind schon benutzt und bleiben frei"
    return f"{used}; es beginnt mit {one} {start} von {per_sheet}."


# --- the dialog ------------------------------------------------------------------------------------------


class PrintDialog(QDialog):
    """What every print dialog shares: title, options form, count line, Vorschau/Drucken/PDF, messages.

    A subclass adds its options in ``build_options``, says which of them change the content
    (``content_key``), loads it (``load``, may raise UserError) and turns it into a ``Printout``.
    """

    #: "Adressetiketten", …; the file name stem ("etiketten"); the key of remembered settings
    noun = ""
    file_stem = ""
    kind = ""

    def __init__(self, ctx: AppContext, conference: ConferenceInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conference = conference
        self.printout: Printout | None = None
        #: the loaded content and the options it was loaded for
        self._loaded: tuple[object, Any] | None = None
        self._error: str = ""
        #: the preview dialog last opened (kept alive while it is shown; tests look at it)
        self.preview_dialog: QPrintPreviewDialog | None = None
        #: the file written last
        self.saved_path: Path | None = None
        self.setWindowTitle(self.tr("{0} – Konferenz {1}").format(self.noun, conference.year))
        self.setAccessibleName(self.windowTitle())

        heading = QLabel(conference.title, self)
        heading.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.count_label.setWordWrap(True)
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._built = False
        self.build_options()
        self._built = True

        self.buttons = QDialogButtonBox(self)
        self.preview_button = self._button(self.tr("&Vorschau …"), self.preview)
        self.print_button = self._button(self.tr("&Drucken …"), self.print_)
        self.pdf_button = self._button(self.tr("Als &PDF speichern …"), self.save_pdf)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Schl&ießen"))
        close.setAccessibleName(self.tr("Schließen"))
        self.buttons.rejected.connect(self.reject)
        # the preview is the safe first step (no paper used); Enter opens it
        self.preview_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.form)
        layout.addWidget(self.count_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.refresh()

    # --- for subclasses -----------------------------------------------------------------------------------

    def build_options(self) -> None:
        raise NotImplementedError

    def content_key(self) -> object:
        """The options the loaded content depends on (it is loaded again when they change)."""
        return ()

    def load(self) -> Any:
        raise NotImplementedError

    def make_printout(self, loaded: Any) -> Printout:
        raise NotImplementedError

    def suggested_file_name(self) -> str:
        return f"{self.conference.year}-{self.file_stem}.pdf"

    # --- helpers for the option widgets -------------------------------------------------------------------

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAutoDefault(False)
        button.setAccessibleName(text.replace("&", "").replace(" …", ""))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def add_row(self, text: str, widget: QWidget) -> None:
        """A form row whose label (with its mnemonic) is the buddy of ``widget``."""
        row_label = QLabel(text, self)
        row_label.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.form.addRow(row_label, widget)

    def forum_combo(self) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(self.tr("Ganze Konferenz (alle Foren)"), None)
        for number, forum in enumerate(self.conference.forums, start=1):
            combo.addItem(forum, str(number))
        combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_row(self.tr("&Forum:"), combo)
        return combo

    def spin(self, text: str, minimum: int, maximum: int, value: int) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(minimum, maximum)
        box.setValue(value)
        box.valueChanged.connect(lambda _v: self.refresh())
        self.add_row(text, box)
        return box

    def check(self, text: str, checked: bool = False) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setChecked(checked)
        box.setAccessibleName(text.replace("&", ""))
        box.toggled.connect(lambda _on: self.refresh())
        self.form.addRow("", box)
        return box

    def start_row(self, sheet: LabelSheet, text: str, one: str, many: str) -> None:
        """The start position on a partly used sheet: spin box, the skipped labels in words, a picture."""
        self._words = (one, many)
        self.start = QSpinBox(self)
        self.start.setRange(1, sheet.per_sheet)
        self.start.setToolTip(
            self.tr("Erstes freies {0} eines angebrochenen Bogens (1 = oben links, zeilenweise)").format(one)
        )
        self.start.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.sheet_picture = SheetPositionWidget(sheet, self, one=one, many=many)
        self.skipped = QLabel(self)
        self.skipped.setWordWrap(True)
        self.start.valueChanged.connect(lambda _v: self._start_changed())
        self.sheet_picture.start_clicked.connect(self.start.setValue)
        spin_row = QHBoxLayout()
        spin_row.addWidget(self.start)
        spin_row.addStretch(1)
        column = QVBoxLayout()
        column.addLayout(spin_row)
        column.addWidget(self.skipped)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(column, 1)
        row.addWidget(self.sheet_picture, 0, Qt.AlignmentFlag.AlignTop)
        start_label = QLabel(text, self)
        start_label.setBuddy(self.start)
        self.form.addRow(start_label, row)
        self._start_changed()

    def _start_changed(self) -> None:
        per_sheet = self.start.maximum()
        self.sheet_picture.set_start(self.start.value())
        self.skipped.setText(skipped_text(self.start.value(), per_sheet, *self._words))
        self.start.setAccessibleDescription(self.skipped.text())
        self.refresh()

    # --- state ----------------------------------------------------------------------------------------------

    def refresh(self, *, reload: bool = False) -> None:
        """Load the content again if its options changed (or ``reload``), then update the count line."""
        if not self._built:
            return
        key = self.content_key()
        if reload or self._loaded is None or self._loaded[0] != key:
            try:
                self._loaded = (key, self.load())
                self._error = ""
            except UserError as exc:
                self._loaded = None
                self._error = exc.message
        if self._loaded is None:
            self.printout = None
            self.count_label.setText(self._error)
        else:
            self.printout = self.make_printout(self._loaded[1])
            self.count_label.setText(self.printout.summary)
        self.count_label.setAccessibleName(self.count_label.text())

    def _ready(self) -> Painting | None:
        """The painting of the current content (loaded fresh), or None after a message."""
        self.status_label.clear()
        self.refresh(reload=True)
        if self.printout is None:
            QMessageBox.warning(self, self.windowTitle(), self._error)
            return None
        if self.printout.paint is None:
            QMessageBox.information(self, self.windowTitle(), self.printout.summary)
            return None
        return self.printout.paint

    # --- the three ways out ---------------------------------------------------------------------------------

    def make_preview(self) -> QPrintPreviewDialog | None:
        """The print preview of the current content (not yet shown); None after a message."""
        from ui.paper.dialogs.preview import make_print_preview

        paint = self._ready()
        if paint is None:
            return None
        dialog = make_print_preview(self, paint, title=self.tr("Druckvorschau – {0}").format(self.noun))
        dialog.setWindowState(dialog.windowState() | Qt.WindowState.WindowMaximized)
        dialog.finished.connect(lambda _result: self._preview_closed(dialog))
        self.preview_dialog = dialog
        return dialog

    def preview(self) -> None:
        dialog = self.make_preview()
        if dialog is not None:
            dialog.open()

    def _preview_closed(self, dialog: QPrintPreviewDialog) -> None:
        if dialog.result() == QDialog.DialogCode.Accepted:
            self.status_label.setText(self.tr("An den Drucker geschickt."))
        if self.preview_dialog is dialog:
            self.preview_dialog = None
        dialog.deleteLater()

    def print_(self) -> bool:
        """The system's print dialog, then painting on its printer; True when something was printed."""
        paint = self._ready()
        if paint is None:
            return False
        ensure_fonts()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_device(printer)
        printer.setDocName(f"{self.noun} {self.conference.year}")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("{0} drucken").format(self.noun))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return False
        try:
            paint(printer)
        except RuntimeError:  # QPainter.begin() failed: no printer, printer offline, file not writable
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Der Drucker „{0}“ kann nicht benutzt werden.").format(
                    printer.printerName() or printer.outputFileName()
                ),
            )
            return False
        self.status_label.setText(self.tr("An den Drucker geschickt."))
        return True

    def save_pdf(self) -> Path | None:
        """Ask for a file (default: "2026-etiketten.pdf" in the documents folder) and write the PDF."""
        from ui.widgets.dialog_tools import choose_save_path

        paint = self._ready()
        if paint is None:
            return None
        title = self.tr("{0} als PDF speichern").format(self.noun)
        target = choose_save_path(self, title, self.suggested_file_name(), self.tr(PDF_FILTER))
        if target is None:
            return None
        try:
            pdf_bytes(paint, title=f"{self.noun} {self.conference.title}", path=target)
        except OSError as exc:
            QMessageBox.warning(self, title, file_problem(target, exc))
            return None
        self.saved_path = target
        self.status_label.setText(self.tr("Gespeichert: {0}").format(target))
        return target


# --- Adressetiketten -------------------------------------------------------------------------------------

ALL = "all"
SELECTION = "selection"


class LabelsDialog(PrintDialog):
    noun = "Adressetiketten"
    file_stem = "etiketten"
    kind = "labels"

    def __init__(
        self,
        ctx: AppContext,
        conference: ConferenceInfo,
        invitation_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        self.invitation_ids = tuple(invitation_ids)
        super().__init__(ctx, conference, parent)

    def build_options(self) -> None:
        self.recipients = QComboBox(self)
        if self.invitation_ids:
            self.recipients.addItem(
                self.tr("Ausgewählte Einladungen ({0})").format(format_count(len(self.invitation_ids))),
                SELECTION,
            )
        self.recipients.addItem(self.tr("Alle Einladungen"), ALL)
        for status in InvitationStatus:
            self.recipients.addItem(self.tr("Status „{0}“").format(label(status)), status.value)
        self.recipients.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_row(self.tr("&Empfänger:"), self.recipients)

        self.sheet_combo = QComboBox(self)
        for key in SHEET_ORDER:
            sheet = LABEL_SHEETS[key]
            self.sheet_combo.addItem(
                self.tr("{0} – {1} × {2} mm, {3} je Bogen").format(
                    sheet.name, _mm(sheet.width), _mm(sheet.height), sheet.per_sheet
                ),
                key,
            )
        self.sheet_combo.currentIndexChanged.connect(lambda _i: self._sheet_changed())
        self.add_row(self.tr("&Bogen:"), self.sheet_combo)

        self.start_row(self.sheet, self.tr("&Start bei Etikett:"), "Etikett", "Etiketten")
        self.outlines = self.check(self.tr("&Rahmen zur Probe auf Normalpapier"))

    @property
    def sheet(self) -> LabelSheet:
        key = self.sheet_combo.currentData()
        return LABEL_SHEETS[key if isinstance(key, str) else SHEET_ORDER[0]]

    def _sheet_changed(self) -> None:
        sheet = self.sheet
        self.start.setMaximum(sheet.per_sheet)  # clamps the value
        self.sheet_picture.set_sheet(sheet)
        self._start_changed()

    def content_key(self) -> object:
        return self.recipients.currentData()

    def load(self) -> list[list[str]]:
        choice = self.recipients.currentData()
        status = None if choice in (ALL, SELECTION, None) else InvitationStatus(choice)
        ids = self.invitation_ids if choice == SELECTION else None
        return label_addresses(self.ctx.database, self.conference.year, status, ids)

    def make_printout(self, loaded: list[list[str]]) -> Printout:
        addresses = loaded
        if not addresses:
            choice = self.recipients.currentData()
            if choice == SELECTION:
                why = "Die ausgewählten Einladungen gibt es nicht mehr."
            elif choice == ALL or choice is None:
                why = f"Für die Konferenz {self.conference.year} gibt es noch keine Einladungen."
            else:
                why = f"Keine Einladung hat den Status „{label(InvitationStatus(choice))}“."
            return Printout(f"{why} Es gibt nichts zu drucken.", None)
        sheet, start = self.sheet, self.start.value()
        sheets = _sheets(start - 1 + len(addresses), sheet.per_sheet)
        summary = (
            f"{_plural(len(addresses), 'Etikett', 'Etiketten')} auf {_plural(sheets, 'Bogen', 'Bögen')} "
            f"{sheet.name}"
        )
        from ui.paper.labels import paint_labels

        paint = functools.partial(
            paint_labels, addresses=addresses, sheet=sheet, start=start, outlines=self.outlines.isChecked()
        )
        return Printout(summary, paint)


def _mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# --- Namensschilder --------------------------------------------------------------------------------------


class BadgesDialog(PrintDialog):
    noun = "Namensschilder"
    file_stem = "namensschilder"
    kind = "badges"

    def build_options(self) -> None:
        info = QLabel(
            self.tr("Für alle mit Status {0}; bei Vertretung mit dem Namen der Vertretung.").format(
                statuses_text(InvitationStatus.said_yes())
            )
        )
        info.setWordWrap(True)
        self.form.addRow(info)
        self.forum = self.forum_combo()
        self.blanks = self.spin(self.tr("&Leere Schilder dazu:"), 0, 200, 0)
        self.blanks.setToolTip(self.tr("Schilder nur mit dem Titel der Konferenz, für Nachmeldungen"))
        self.start_row(AVERY_L4785, self.tr("&Start bei Schild:"), "Schild", "Schilder")
        self.show_forum = self.check(self.tr("F&orum aufdrucken"), True)
        self.outlines = self.check(self.tr("&Rahmen zur Probe auf Normalpapier"))

    def content_key(self) -> object:
        return self.forum.currentData()

    def load(self) -> AttendanceSheet:
        return attendees(self.ctx.database, self.conference.year, forum=self.forum.currentData())

    def make_printout(self, loaded: AttendanceSheet) -> Printout:
        rows, blanks, start = loaded.rows, self.blanks.value(), self.start.value()
        if not rows and not blanks:
            where = f" im {loaded.forum}" if loaded.forum else ""
            return Printout(
                f"Für die Konferenz {self.conference.year}{where} hat noch niemand zugesagt. "
                "Leere Schilder für Nachmeldungen können trotzdem gedruckt werden.",
                None,
            )
        sheets = _sheets(start - 1 + len(rows) + blanks, AVERY_L4785.per_sheet)
        summary = _plural(len(rows), "Namensschild", "Namensschilder")
        if blanks:
            summary += f" und {format_count(blanks)} leere"
        summary += f" auf {_plural(sheets, 'Bogen', 'Bögen')} Avery L4785"
        from ui.paper.badges import paint_badges

        paint = functools.partial(
            paint_badges,
            entries=rows,
            title=loaded.title,
            show_forum=self.show_forum.isChecked(),
            blanks=blanks,
            start=start,
            outlines=self.outlines.isChecked(),
        )
        return Printout(summary, paint)

    def suggested_file_name(self) -> str:
        return _with_forum(super().suggested_file_name(), self.forum.currentData())


def _with_forum(name: str, forum: str | None) -> str:
    return name if not forum else name.replace(".pdf", f"-forum-{forum}.pdf")


# --- Unterschriftenliste ---------------------------------------------------------------------------------


class SigninDialog(PrintDialog):
    noun = "Unterschriftenliste"
    file_stem = "unterschriftenliste"
    kind = "signin"

    def build_options(self) -> None:
        info = QLabel(
            self.tr("Alle, die erwartet werden ({0}).").format(statuses_text(InvitationStatus.said_yes()))
        )
        info.setWordWrap(True)
        self.form.addRow(info)
        self.forum = self.forum_combo()
        self.blank_rows = self.spin(self.tr("&Leere Zeilen für Nachmeldungen:"), 0, 500, 10)

    def content_key(self) -> object:
        return self.forum.currentData()

    def load(self) -> AttendanceSheet:
        return signin_sheet(self.ctx.database, self.conference.year, forum=self.forum.currentData())

    def make_printout(self, loaded: AttendanceSheet) -> Printout:
        rows, blanks = len(loaded.rows), self.blank_rows.value()
        if not rows and not blanks:
            return Printout(
                "Noch niemand hat zugesagt, und es sind keine leeren Zeilen gewählt. Es gibt nichts zu drucken.",
                None,
            )
        summary = f"{_plural(rows, 'Name', 'Namen')} und {_plural(blanks, 'leere Zeile', 'leere Zeilen')}"
        from ui.paper.lists import paint_signin_sheet

        paint = functools.partial(paint_signin_sheet, sheet=loaded, blank_rows=blanks)
        return Printout(summary, paint)

    def suggested_file_name(self) -> str:
        return _with_forum(super().suggested_file_name(), self.forum.currentData())


# --- Teilnehmerliste -------------------------------------------------------------------------------------


class AttendeesDialog(PrintDialog):
    noun = "Teilnehmerliste"
    file_stem = "teilnehmerliste"
    kind = "attendees"

    def build_options(self) -> None:
        info = QLabel(
            self.tr(
                "Zum Weitergeben: nur Teilnehmende ({0}), die der Nennung in der Teilnehmerliste "
                "zugestimmt und die Einwilligung nicht widerrufen haben."
            ).format(statuses_text(InvitationStatus.seated()))
        )
        info.setWordWrap(True)
        self.form.addRow(info)
        self.forum = self.forum_combo()

    def content_key(self) -> object:
        return self.forum.currentData()

    def load(self) -> AttendanceSheet:
        return attendee_list(self.ctx.database, self.conference.year, forum=self.forum.currentData())

    def make_printout(self, loaded: AttendanceSheet) -> Printout:
        rows, omitted = len(loaded.rows), loaded.omitted
        without = f"{format_count(omitted)} ohne Einwilligung zur Nennung nicht aufgeführt"
        if not rows:
            why = (
                f"Niemand auf der Liste: {without}."
                if omitted
                else "Noch niemand hat zugesagt oder teilgenommen."
            )
            return Printout(f"{why} Es gibt nichts zu drucken.", None)
        summary = _plural(rows, "Name", "Namen") + (f" ({without})" if omitted else "")
        from ui.paper.lists import paint_attendee_list

        paint = functools.partial(paint_attendee_list, sheet=loaded)
        return Printout(summary, paint)

    def suggested_file_name(self) -> str:
        return _with_forum(super().suggested_file_name(), self.forum.currentData())


# --- entry point -----------------------------------------------------------------------------------------


def make_print_dialog(
    ctx: AppContext, parent: QWidget | None, conference_id: int, kind: str, invitation_ids: Sequence[int] = ()
) -> PrintDialog:
    """The dialog for ``kind``, not yet shown (raises UserError for a conference that is gone)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    conference = ConferenceInfo.load(ctx, conference_id)
    dialog: PrintDialog
    if kind == "labels":
        dialog = LabelsDialog(ctx, conference, invitation_ids, parent)
    elif kind == "badges":
        dialog = BadgesDialog(ctx, conference, parent)
    elif kind == "signin":
        dialog = SigninDialog(ctx, conference, parent)
    else:
        dialog = AttendeesDialog(ctx, conference, parent)
    return dialog


def open_print_dialog(
    ctx: AppContext,
    parent: QWidget,
    conference_id: int,
    kind: str,
    invitation_ids: Sequence[int] = (),
) -> QDialog:
    """Open the print dialog for ``kind`` ("labels", "badges", "signin", "attendees") of the conference.

    ``invitation_ids`` (labels only) offers the invitations selected in the list as recipients, chosen by
    default. The dialog is window-modal, remembers its size and is deleted when closed; it is returned
    (already open) so that callers and tests can drive it. A conference that no longer exists gives a
    message and a closed dialog.
    """
    from ui.widgets.geometry import remember_geometry

    try:
        dialog: QDialog = make_print_dialog(ctx, parent, conference_id, kind, invitation_ids)
    except UserError as exc:
        QMessageBox.warning(parent, "Drucken", exc.message)
        dialog = QDialog(parent)
        dialog.deleteLater()
        return dialog
    remember_geometry(dialog, f"PrintDialog/{kind}")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
