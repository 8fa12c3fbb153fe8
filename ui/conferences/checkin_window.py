"""Check-in at the entrance: a full-screen window, readable from a distance, worked by keyboard only.

- Type a name into the big search field; the invitees of the conference that match are listed, those
  expected (zugesagt, vertreten) first. Up/Down choose, Enter marks the chosen person as *teilgenommen*
  (``conferences.check_in``) and shows a confirmation; the search field is cleared for the next person.
- Or scan the QR code of a badge: a USB scanner types the code (``KIK:2026:…``) and Enter, into the search
  field or wherever the focus is in the window (typing elsewhere goes to the search field). The code is
  checked in at once (``checkin.scan``); a large banner says what happened in words and with a symbol
  (✓ green: welcome; ! amber: scanned twice, or had not said yes; ✗ red: code of another year, unknown
  code), and the computer beeps once for a check-in, three times for anything to look at.
- Walk-ins: "Neue Person" (Strg+N: a minimal form, ``registry.create_person`` + ``add_walk_in``) or
  "Person aus Adressen" (Strg+P: search the register, ``add_walk_in``).
- The counter says "anwesend: N von M Zusagen" (M: present plus still expected).
- "Veranstaltung abschließen" sets everyone still expected to *nicht erschienen* (``close_event``) after a
  confirmation.
- Strg+Z undoes the last check-in; Esc clears the search field, or closes the window when it is empty;
  Strg+W closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences import checkin, replies
from konferenz.conferences.checkin import ScanOutcome, ScanResult
from konferenz.conferences.reads import conference_summary, expected_invitation_ids, invitation_forum_title
from konferenz.enums import InvitationStatus, label
from konferenz.errors import UserError
from konferenz.lists.invitations import CheckInList, attendance, invitation_details
from konferenz.lists.registry import PersonList
from konferenz.storage.changes import INVITATIONS, PERSONS
from konferenz.text import isolate
from ui.conferences.reply_editor import ReplyChange
from ui.conferences.widgets import QuickPersonDialog, run_dialog
from ui.context import AppContext
from ui.widgets.dialog_tools import confirm
from ui.widgets.geometry import remember_geometry, save_geometry
from ui.widgets.list_panel import ListPanel
from ui.widgets.table_model import LazyTableModel

log = logging.getLogger(__name__)

#: font sizes relative to the system font: list and buttons, search field, headings
LIST_SCALE = 1.6
SEARCH_SCALE = 2.2
HEADING_SCALE = 2.0
#: the walk-in dialogs (separate windows do not inherit the window's font)
DIALOG_SCALE = 1.4
SEARCH_DEBOUNCE_MS = 120

_MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
#: the banner per kind of result: symbol (the meaning without colour) and style
BANNER = {
    "ok": ("✓", "background: #1b5e20; color: white; padding: 8px;"),
    "warning": ("!", "background: #7a4a00; color: white; padding: 8px;"),
    "error": ("✗", "background: #8e0000; color: white; padding: 8px;"),
}
#: how each scan result is shown and heard: banner kind, number of beeps
_SCAN_SIGNAL = {
    ScanOutcome.CHECKED_IN: ("ok", 1),
    ScanOutcome.CHECKED_IN_UNEXPECTED: ("warning", 3),
    ScanOutcome.ALREADY: ("warning", 3),
    ScanOutcome.OTHER_YEAR: ("error", 3),
    ScanOutcome.UNKNOWN: ("error", 3),
}
BEEP_INTERVAL_MS = 180


def beep() -> None:
    """The system's beep (PySide6-Essentials has no QtMultimedia); tests count the calls."""
    QApplication.beep()


def _scaled(font: QFont, factor: float, *, bold: bool = False) -> QFont:
    result = QFont(font)
    result.setPointSizeF(font.pointSizeF() * factor)
    result.setBold(bold)
    return result


class PersonPickerDialog(QDialog):
    """Search the register and choose one person (a walk-in who is in the register already)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, font_scale: float = 1.0) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Person aus Adressen"))
        self.setAccessibleName(self.windowTitle())
        if font_scale != 1.0:
            self.setFont(_scaled(self.font(), font_scale))
        self.person_id: int | None = None
        self.model = LazyTableModel(ctx.database, PersonList(), parent=self)
        self.panel = ListPanel(self.model, self)
        self.panel.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.panel.table.activated.connect(lambda _index: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Als anwesend eintragen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Namen eintippen, Pfeil nach unten, Eingabetaste."), self)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(900, 600)
        remember_geometry(self, "PersonPickerDialog")
        self.model.refresh()
        self.panel.focus_search()

    def accept(self) -> None:
        index = self.panel.table.currentIndex()
        if not index.isValid():
            self.panel.focus_table()
            index = self.panel.table.currentIndex()
            if not index.isValid():
                return
        self.person_id = self.model.id_at(index.row())
        super().accept()


class CheckInWindow(QWidget):
    """The check-in screen of one conference."""

    #: an invitation was checked in (its id)
    checked_in = Signal(int)

    def __init__(self, ctx: AppContext, conference_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.conference_id = conference_id
        with ctx.database.read_session() as s:
            conf = conference_summary(s, conference_id)
        if conf is None:
            raise LookupError(f"conference {conference_id} does not exist")
        self.year = conf.year
        self.conference_title = conf.title
        self.setObjectName("CheckInWindow")
        self.setWindowTitle(self.tr("Check-in – {0}").format(self.conference_title))
        self.setAccessibleName(self.tr("Check-in"))
        base = self.font()
        self.setFont(_scaled(base, LIST_SCALE))

        self.title_label = QLabel(self.tr("Check-in · {0}").format(self.conference_title), self)
        self.title_label.setFont(_scaled(base, HEADING_SCALE, bold=True))
        self.title_label.setAccessibleName(self.tr("Konferenz"))
        self.counter_label = QLabel(self)
        self.counter_label.setFont(_scaled(base, HEADING_SCALE, bold=True))
        self.counter_label.setAccessibleName(self.tr("Anwesend"))
        self.counter_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.search_field = QLineEdit(self)
        self.search_field.setFont(_scaled(base, SEARCH_SCALE))
        self.search_field.setPlaceholderText(
            self.tr("Name eintippen oder QR-Code scannen … (Pfeiltasten wählen, Eingabetaste meldet an)")
        )
        self.search_field.setAccessibleName(self.tr("Name suchen"))
        self.search_field.setClearButtonEnabled(True)

        self.model = LazyTableModel(ctx.database, CheckInList(conference_id), parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Eingeladene"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setResizeContentsPrecision(100)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(lambda _index: self.check_in_selected())

        self.confirmation = QLabel(self)
        self.confirmation.setFont(_scaled(base, HEADING_SCALE, bold=True))
        self.confirmation.setAccessibleName(self.tr("Bestätigung"))
        self.confirmation.setWordWrap(True)
        self.confirmation.setMinimumHeight(self.confirmation.fontMetrics().height() * 2 + 16)
        self.confirmation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.check_in_button = self._button(self.tr("Anmelden (Eingabetaste)"), self.check_in_selected)
        self.new_person_button = self._button(self.tr("&Neue Person … (Strg+N)"), self.add_new_person)
        self.existing_button = self._button(
            self.tr("Person aus &Adressen … (Strg+P)"), self.add_existing_person
        )
        self.undo_button = self._button(self.tr("&Rückgängig (Strg+Z)"), self.undo)
        self.close_event_button = self._button(self.tr("Veranstaltung ab&schließen …"), self.close_event)
        self.close_button = self._button(self.tr("Schließen (Esc)"), self.close)

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.counter_label)
        walk_ins = QHBoxLayout()
        walk_ins.addWidget(self.check_in_button)
        walk_ins.addWidget(self.new_person_button)
        walk_ins.addWidget(self.existing_button)
        walk_ins.addWidget(self.undo_button)
        walk_ins.addStretch(1)
        walk_ins.addWidget(self.close_event_button)
        walk_ins.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.search_field)
        layout.addWidget(self.confirmation)
        layout.addWidget(self.table, 1)
        layout.addLayout(walk_ins)

        for shortcut, slot in (
            ("Ctrl+N", self.add_new_person),
            ("Ctrl+P", self.add_existing_person),
            ("Ctrl+Z", self.undo),
            ("Ctrl+Shift+Z", self.redo),
            ("Ctrl+W", self.close),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search_field.textChanged.connect(self._debounce.start)
        self.search_field.installEventFilter(self)
        self.table.installEventFilter(self)
        for button in self.findChildren(QPushButton):
            button.installEventFilter(self)  # a scan while a button has the focus goes to the search field
        self._was_reset = False
        self.model.modelAboutToBeReset.connect(self._note_reset)
        self.model.loaded.connect(self._select_first)
        ctx.data_changed.connect(self._on_data_changed)
        self._listening = True
        self._last_change: ReplyChange | None = None

        self.resize(1200, 800)
        remember_geometry(self, "CheckInWindow")
        self.model.refresh()
        self._update_counter()
        self.last_scan: ScanResult | None = None
        self.set_confirmation(
            self.tr("Bereit. QR-Code scannen oder Namen eintippen und mit der Eingabetaste anmelden."),
            ok=None,
        )
        self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # --- list ---------------------------------------------------------------------------------------

    def apply_search(self) -> None:
        self._debounce.stop()
        text = self.search_field.text()
        if checkin.looks_like_code(text):
            return  # a code being scanned is no name to search for
        self.model.set_search(text)

    def _note_reset(self) -> None:
        self._was_reset = True

    def _select_first(self) -> None:
        """After a new search the best match is chosen; a reload with the same rows keeps the choice."""
        if self._was_reset and self.model.rowCount():
            self._select_row(0)
        self._was_reset = False

    def _select_row(self, row: int) -> None:
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.id_at(index.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_field and key in _MOVE_KEYS:
                if self._debounce.isActive():
                    self.apply_search()
                current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0
                page = max(1, self.table.viewport().height() // max(1, self.table.rowHeight(0) or 1))
                step = {
                    Qt.Key.Key_Up: -1,
                    Qt.Key.Key_Down: 1,
                    Qt.Key.Key_PageUp: -page,
                    Qt.Key.Key_PageDown: page,
                }[Qt.Key(key)]
                if self.model.rowCount():
                    self._select_row(current + step)
                return True
            if watched is self.search_field and event.matches(QKeySequence.StandardKey.Undo):
                self.undo()  # the window's undo, not the search field's
                return True
            if watched is self.search_field and event.matches(QKeySequence.StandardKey.Redo):
                self.redo()
                return True
            if watched is self.search_field and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if checkin.looks_like_code(self.search_field.text()):
                    self.scan(self.search_field.text())
                else:
                    self.check_in_selected()
                return True
            if watched is not self.search_field and self._typed_text(event):
                # typing (or a scanner) while the list or a button has the focus: into the search field
                self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search_field.insert(event.text())
                return True
            if key == Qt.Key.Key_Escape and watched in (self.search_field, self.table):
                if self.search_field.text():
                    self.search_field.clear()
                    self.apply_search()
                    self.search_field.setFocus()
                else:
                    self.close()
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _typed_text(event: QKeyEvent) -> bool:
        """A key that types a visible character (no Ctrl or Alt, not Space, which presses a button)."""
        text = event.text()
        modifiers = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        return (
            bool(text)
            and text.isprintable()
            and not text.isspace()
            and modifiers == Qt.KeyboardModifier.NoModifier
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    # --- checking in --------------------------------------------------------------------------------

    def set_confirmation(self, text: str, *, ok: bool | None, kind: str | None = None) -> None:
        """Show the result of the last action in big letters; the symbol says it without colour. ``kind``
        ("ok", "warning", "error") overrides ``ok``."""
        chosen = kind or {True: "ok", False: "error", None: ""}[ok]
        if chosen in BANNER:
            symbol, style = BANNER[chosen]
            self.confirmation.setText(f"{symbol} {text}")
            self.confirmation.setStyleSheet(style)
        else:
            self.confirmation.setText(text)
            self.confirmation.setStyleSheet("padding: 8px;")
        self.confirmation.setAccessibleDescription(text)

    def scan(self, text: str) -> ScanResult | None:
        """Check in the invitation whose code the scanner typed (``checkin.scan``); banner and beeps say how
        it went. Returns the result (None when the conference is gone)."""
        database = self.ctx.database
        try:
            result = self.ctx.run(lambda: checkin.scan(database, self.year, text))
        except UserError as exc:
            log.info("Check-in per Code: %s", exc)
            self.set_confirmation(exc.message, ok=False)
            self._beep(3)
            self._reset_search()
            return None
        self.last_scan = result
        if result.before and result.after:
            change = ReplyChange(self.ctx, self, list(result.before), list(result.after))
            self._last_change = change
            self.ctx.push_change(self.tr("Check-in {0}").format(result.name), change.redo, change.undo)
        message = result.message(isolate)
        if result.checked_in and result.invitation_id is not None:
            forum = self._forum_title(result.invitation_id)
            if forum:
                message += self.tr(" – {0}").format(forum)
        kind, beeps = _SCAN_SIGNAL[result.outcome]
        self.set_confirmation(message, ok=None, kind=kind)
        self._beep(beeps)
        self._reset_search()
        if result.checked_in and result.invitation_id is not None:
            self.checked_in.emit(result.invitation_id)
        return result

    def _beep(self, times: int) -> None:
        """The audible confirmation: once for a check-in, several times for anything to look at."""
        beep()
        for n in range(1, times):
            QTimer.singleShot(n * BEEP_INTERVAL_MS, self, beep)

    def check_in_selected(self) -> bool:
        """Mark the chosen invitee as present (teilgenommen)."""
        if self._debounce.isActive():
            self.apply_search()
        invitation_id = self.selected_id()
        if invitation_id is None:
            if self.model.rowCount():
                self._select_row(0)
                invitation_id = self.selected_id()
            if invitation_id is None:
                self.set_confirmation(
                    self.tr("Niemand gefunden. Neue Person mit Strg+N, vorhandene Adresse mit Strg+P."),
                    ok=False,
                )
                return False
        database = self.ctx.database
        with database.read_session() as s:
            details = invitation_details(s, invitation_id)
        if details is None:  # deleted meanwhile: the list shows what is stored
            self._refresh()
            return False
        who = isolate(details.name) + (f" ({isolate(details.organisation)})" if details.organisation else "")
        if details.substitute_name:
            who = self.tr("{0} – vertreten durch {1}").format(who, details.substitute_name)
        if details.status is InvitationStatus.ATTENDED:
            when = details.checked_in_at.strftime("%H:%M") if details.checked_in_at else ""
            self.set_confirmation(self.tr("{0} ist schon angemeldet ({1} Uhr).").format(who, when), ok=True)
            self._reset_search()
            return False
        try:
            before = replies.capture_reply_states(database, [invitation_id])
            self.ctx.run(lambda: checkin.check_in(database, invitation_id))
            after = replies.capture_reply_states(database, [invitation_id])
        except UserError as exc:
            log.info("Check-in: %s", exc)
            self.set_confirmation(exc.message, ok=False)
            return False
        change = ReplyChange(self.ctx, self, before, after)
        self._last_change = change
        self.ctx.push_change(self.tr("Check-in {0}").format(details.name), change.redo, change.undo)
        note = ""
        if details.status not in InvitationStatus.expected():
            note = self.tr(" (bisher: {0})").format(label(details.status))
        forum = self._forum_title(invitation_id)
        if forum:
            note += self.tr(" – {0}").format(forum)
        self.set_confirmation(self.tr("Willkommen: {0}{1}").format(who, note), ok=True)
        self._reset_search()
        self.checked_in.emit(invitation_id)
        return True

    def _forum_title(self, invitation_id: int) -> str:
        with self.ctx.database.read_session() as s:
            return invitation_forum_title(s, invitation_id)

    def _reset_search(self) -> None:
        self.activateWindow()  # back from a walk-in dialog
        self.search_field.clear()
        self.apply_search()
        self.search_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def undo(self) -> None:
        if not self.ctx.undo_stack.canUndo():
            self.set_confirmation(self.tr("Nichts rückgängig zu machen."), ok=None)
            return
        text = self.ctx.undo_stack.undoText()
        self.ctx.undo_stack.undo()
        self.set_confirmation(self.tr("Rückgängig gemacht: {0}").format(text), ok=None)
        self.search_field.setFocus()

    def redo(self) -> None:
        if not self.ctx.undo_stack.canRedo():
            return
        text = self.ctx.undo_stack.redoText()
        self.ctx.undo_stack.redo()
        self.set_confirmation(self.tr("Wiederhergestellt: {0}").format(text), ok=None)
        self.search_field.setFocus()

    # --- walk-ins -----------------------------------------------------------------------------------

    def add_new_person(self) -> int | None:
        """A walk-in who is not in the register: minimal form, then present."""
        dialog = QuickPersonDialog(
            self.ctx.database,
            self,
            title=self.tr("Neue Person (ohne Anmeldung)"),
            name=self.search_field.text(),
            font_scale=DIALOG_SCALE,
        )
        with self.ctx.announcing():  # the new person
            created = run_dialog(dialog) and dialog.person_id is not None
        if not created or dialog.person_id is None:
            self.search_field.setFocus()
            return None
        return self._walk_in(dialog.person_id, dialog.organisation_id(), new=True)

    def add_existing_person(self) -> int | None:
        """A walk-in from the register."""
        dialog = PersonPickerDialog(self.ctx, self, font_scale=DIALOG_SCALE)
        if self.search_field.text():
            dialog.panel.search_field.setText(self.search_field.text())
            dialog.panel.apply_search()
        if not run_dialog(dialog) or dialog.person_id is None:
            self.search_field.setFocus()
            return None
        return self._walk_in(dialog.person_id, None, new=False)

    def _walk_in(self, person_id: int, organisation_id: int | None, *, new: bool) -> int | None:
        try:
            database = self.ctx.database
            invitation_id = self.ctx.run(
                lambda: checkin.add_walk_in(database, self.year, person_id, organisation_id)
            )
        except UserError as exc:
            self.set_confirmation(exc.message, ok=False)
            return None
        with self.ctx.database.read_session() as s:
            details = invitation_details(s, invitation_id)
        name = details.name if details else ""
        self.set_confirmation(
            self.tr("Willkommen: {0} (ohne Anmeldung, {1})").format(
                name, self.tr("neu in den Adressen") if new else self.tr("aus den Adressen")
            ),
            ok=True,
        )
        self._reset_search()
        self.checked_in.emit(invitation_id)
        return invitation_id

    # --- the end of the event ------------------------------------------------------------------------

    def close_event(self) -> int:
        """Everyone still expected → nicht erschienen, after a confirmation. Returns how many."""
        database = self.ctx.database
        with database.read_session() as s:
            figures = attendance(s, self.conference_id)
            expected_ids = expected_invitation_ids(s, self.conference_id)
        title = self.tr("Veranstaltung abschließen")
        if not expected_ids:
            QMessageBox.information(
                self, title, self.tr("Alle mit Zusage sind angemeldet. Es bleibt nichts zu tun.")
            )
            return 0
        if not confirm(
            self,
            title,
            self.tr(
                "{0} von {1} Personen mit Zusage sind nicht angemeldet. Sie werden auf „nicht erschienen“ "
                "gesetzt. Veranstaltung jetzt abschließen?"
            ).format(figures.expected, figures.accepted),
        ):
            return 0
        try:
            before = replies.capture_reply_states(database, expected_ids)
            count = self.ctx.run(lambda: checkin.close_event(database, self.year))
            after = replies.capture_reply_states(database, expected_ids)
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return 0
        change = ReplyChange(self.ctx, self, before, after)
        self.ctx.push_change(title, change.redo, change.undo)
        self.set_confirmation(
            self.tr("Abgeschlossen: {0} auf „nicht erschienen“ gesetzt.").format(count), ok=True
        )
        return count

    # --- refreshing and closing ------------------------------------------------------------------------

    def _update_counter(self) -> None:
        with self.ctx.database.read_session() as s:
            figures = attendance(s, self.conference_id)
        self.counter_label.setText(
            self.tr("anwesend: {0} von {1} Zusagen").format(figures.present, figures.accepted)
        )

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {INVITATIONS, PERSONS}:
            self._refresh()

    def _refresh(self) -> None:
        self.model.refresh()
        self._update_counter()

    def closeEvent(self, event: QCloseEvent) -> None:
        save_geometry(self, "CheckInWindow")
        if self._listening:
            self._listening = False
            self.ctx.data_changed.disconnect(self._on_data_changed)
        super().closeEvent(event)
