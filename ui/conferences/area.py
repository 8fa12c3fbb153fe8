"""Konferenzen: the conferences of all years (top) and the invitation list of the chosen one (below).

The conference list is the window's ``ListPanel`` "Konferenzen" (its model refreshes with the window's
other lists); choosing a row shows that conference's invitations in the ``InvitationPanel``. The
buttons and the menu "Konferenz" of the main window call the same methods: ``new_conference``,
``edit_conference``, ``copy_conference``, ``invite``, ``show_reminders``, ``open_checkin`` and
``show_statistics``. Every change goes through a service of ``konferenz.conferences`` and is announced
(``CONFERENCES`` / ``INVITATIONS``), so the lists of all areas refresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QSplitter, QToolBar, QToolButton, QVBoxLayout, QWidget

from konferenz.conferences.reads import conference_year, next_conference_id
from konferenz.errors import UserError
from ui.conferences.checkin_window import CheckInWindow
from ui.conferences.conference_dialog import ConferenceDialog, CopyConferenceDialog
from ui.conferences.invitation_panel import InvitationPanel
from ui.conferences.invite_dialog import InviteDialog
from ui.conferences.statistics_view import StatisticsDialog
from ui.conferences.widgets import run_dialog
from ui.context import AppContext
from ui.widgets.list_panel import ListPanel

#: rows of the conference list visible without scrolling (the invitation list gets the rest)
_CONFERENCE_ROWS = 4


class ConferencesArea(QWidget):
    """Konferenzen area: conference list, buttons, invitation list of the chosen conference."""

    #: the chosen conference changed (its id, or None)
    conference_changed = Signal(object)

    def __init__(self, ctx: AppContext, panel: ListPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.panel = panel
        self.setAccessibleName(self.tr("Konferenzen"))
        self.checkin_window: CheckInWindow | None = None
        self._wanted_id: int | None = None

        # the conference list needs no search (a handful of years); the invitation list has one
        panel.search_field.hide()
        panel.table.setSelectionMode(panel.table.SelectionMode.SingleSelection)
        panel.table.setAccessibleDescription(self.tr("Eingabetaste: Konferenz bearbeiten"))
        panel.table.activated.connect(lambda _index: self.edit_conference())

        # the same commands as the menu "Konferenz"; a toolbar folds what does not fit into its menu
        self.toolbar = QToolBar(self)
        self.toolbar.setAccessibleName(self.tr("Befehle zu Konferenzen"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.buttons: dict[str, QAction] = {}
        for key, text, tip, slot in (
            ("new", self.tr("Neue Konferenz …"), self.tr("Eine Konferenz anlegen"), self.new_conference),
            (
                "edit",
                self.tr("Bearbeiten …"),
                self.tr("Die gewählte Konferenz und ihre Foren bearbeiten (Eingabetaste in der Liste)"),
                self.edit_conference,
            ),
            (
                "copy",
                self.tr("Vorjahr kopieren …"),
                self.tr(
                    "Neue Konferenz mit Ort, Zeiten, Kapazität, Foren und auf Wunsch den Eingeladenen des Vorjahrs"
                ),
                self.copy_conference,
            ),
            (
                "invite",
                self.tr("Einladen …"),
                self.tr("Eingeladene zur gewählten Konferenz hinzufügen"),
                self.invite,
            ),
            (
                "reminders",
                self.tr("Erinnerungsliste"),
                self.tr("Alle, die nach der Rückmeldefrist noch nicht geantwortet haben"),
                self.show_reminders,
            ),
            ("checkin", self.tr("Check-in …"), self.tr("Vollbild-Anmeldung am Einlass"), self.open_checkin),
            (
                "stats",
                self.tr("Statistik …"),
                self.tr("Teilnahme nach Kategorie, Kommune und Jahr"),
                self.show_statistics,
            ),
        ):
            action = QAction(text, self)
            action.setIconText(text)  # keeps the "…" that tells a dialog follows
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(self._slot(slot))
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setAutoRaise(False)  # drawn as buttons, not as plain text
                button.setAccessibleName(text.rstrip(" …"))
            self.buttons[key] = action

        # Drucken: the paper of the chosen conference, the same as Konferenz → Drucken
        self.print_menu = QMenu(self.tr("Drucken"), self)
        self.print_menu.setAccessibleName(self.tr("Drucken"))
        for text, print_slot in (
            (self.tr("Serienbriefe …"), self.open_letters),
            (self.tr("Adressetiketten …"), self.open_labels),
            (self.tr("Namensschilder …"), self.open_badges),
            (self.tr("Unterschriftenliste …"), self.open_signin_sheet),
            (self.tr("Teilnehmerliste …"), self.open_attendee_list),
        ):
            self.print_menu.addAction(text).triggered.connect(self._slot(print_slot))
        print_action = self.print_menu.menuAction()
        print_action.setText(self.tr("Drucken"))
        print_action.setIconText(self.tr("Drucken"))
        tip = self.tr("Serienbriefe, Etiketten, Namensschilder und Listen der gewählten Konferenz")
        print_action.setToolTip(tip)
        print_action.setStatusTip(tip)
        self.toolbar.addAction(print_action)
        print_button = self.toolbar.widgetForAction(print_action)
        if isinstance(print_button, QToolButton):
            print_button.setAutoRaise(False)
            print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            print_button.setAccessibleName(self.tr("Drucken"))
        self.buttons["print"] = print_action

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(panel, 1)
        top_layout.addWidget(self.toolbar)

        self.invitations = InvitationPanel(ctx, self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setAccessibleName(self.tr("Konferenzen und Einladungen"))
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.invitations)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        row = panel.table.verticalHeader().defaultSectionSize()
        header = panel.table.horizontalHeader().sizeHint().height()
        self.splitter.setSizes([header + row * _CONFERENCE_ROWS + 4 * row, 10_000])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        panel.model.modelAboutToBeReset.connect(self._remember_choice)
        panel.model.loaded.connect(self._restore_choice)
        panel.table.selectionModel().currentRowChanged.connect(self._on_conference_row)
        ctx.database_changed.connect(self._forget_choice)
        self._update_buttons()

    @staticmethod
    def _slot(slot: Callable[[], object]) -> Callable[[bool], None]:
        def call(_checked: bool = False) -> None:
            slot()

        return call

    # --- the chosen conference ----------------------------------------------------------------------

    def conference_id(self) -> int | None:
        index = self.panel.table.currentIndex()
        model = self.panel.model
        if not index.isValid() or index.row() >= model.rowCount():
            return None
        return model.id_at(index.row())

    def conference_year(self) -> int | None:
        conf_id = self.conference_id()
        if conf_id is None:
            return None
        with self.ctx.database.read_session() as s:
            return conference_year(s, conf_id)

    def select_conference(self, conference_id: int) -> bool:
        row = self.panel.model.row_of(conference_id)
        if row is None:
            self._wanted_id = conference_id
            return False
        index = self.panel.model.index(row, 0)
        self.panel.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.panel.table.scrollTo(index)
        self._show_invitations()
        return True

    def _remember_choice(self) -> None:
        chosen = self.conference_id()
        if chosen is not None:
            self._wanted_id = chosen

    def _restore_choice(self) -> None:
        model = self.panel.model
        if model.rowCount() == 0:
            self._show_invitations()
            return
        row = model.row_of(self._wanted_id) if self._wanted_id is not None else None
        if row is None:
            row = self._default_row()
        index = model.index(row, 0)
        self.panel.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self._show_invitations()

    def _default_row(self) -> int:
        """The conference to start with: the next one to come (else the newest)."""
        today = dt.date.today()
        model = self.panel.model
        with self.ctx.database.read_session() as s:
            upcoming = next_conference_id(s, today)
        row = model.row_of(upcoming) if upcoming is not None else None
        return row if row is not None else 0

    def _forget_choice(self) -> None:
        self._wanted_id = None

    def _on_conference_row(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if self.panel.model.rowCount():
            self._show_invitations()

    def _show_invitations(self) -> None:
        conf_id = self.conference_id()
        if conf_id is not None:
            self._wanted_id = conf_id
        self.invitations.set_conference(conf_id)
        self._update_buttons()
        self.conference_changed.emit(conf_id)

    def _update_buttons(self) -> None:
        chosen = self.conference_id() is not None
        for key in ("edit", "invite", "reminders", "checkin", "print"):
            self.buttons[key].setEnabled(chosen)
        self.buttons["copy"].setEnabled(self.panel.model.rowCount() > 0)
        self.buttons["stats"].setEnabled(self.panel.model.rowCount() > 0)

    def _need_conference(self, title: str) -> int | None:
        conf_id = self.conference_id()
        if conf_id is None:
            QMessageBox.information(
                self, title, self.tr("Bitte zuerst eine Konferenz anlegen oder auswählen.")
            )
        return conf_id

    # --- actions ------------------------------------------------------------------------------------

    def new_conference(self) -> int | None:
        """Konferenz → Neue Konferenz …"""
        year = self.conference_year()
        dialog = ConferenceDialog(self.ctx.database, None, self, year=(year + 1) if year else None)
        if not self.ctx.run(lambda: run_dialog(dialog)) or dialog.saved_id is None:
            return None
        return self._saved(dialog.saved_id)

    def edit_conference(self) -> int | None:
        """Konferenz → Bearbeiten … (also Enter or a double click in the conference list)."""
        conf_id = self._need_conference(self.tr("Konferenz bearbeiten"))
        if conf_id is None:
            return None
        dialog = ConferenceDialog(self.ctx.database, conf_id, self)
        if not self.ctx.run(lambda: run_dialog(dialog)) or dialog.saved_id is None:
            return None
        return self._saved(dialog.saved_id)

    def copy_conference(self) -> int | None:
        """Konferenz → Vorjahr kopieren …"""
        dialog = CopyConferenceDialog(self.ctx.database, self, from_year=self.conference_year())
        if not self.ctx.run(lambda: run_dialog(dialog)) or dialog.saved_id is None:
            return None
        return self._saved(dialog.saved_id)

    def _saved(self, conference_id: int) -> int:
        self._wanted_id = conference_id
        self.select_conference(conference_id)
        return conference_id

    def invite(self) -> bool:
        """Konferenz → Einladen …"""
        if self._need_conference(self.tr("Einladen")) is None:
            return False
        year = self.conference_year()
        assert year is not None
        dialog = InviteDialog(self.ctx.database, year, self)
        # what the dialog invited is announced when it closes
        return bool(self.ctx.run(lambda: run_dialog(dialog)))

    def show_reminders(self) -> list[int]:
        """Konferenz → Erinnerungsliste"""
        if self._need_conference(self.tr("Erinnerungsliste")) is None:
            return []
        ids = self.invitations.show_reminders()
        self.invitations.list_panel.focus_table()
        return ids

    def open_checkin(self, *, full_screen: bool = True) -> CheckInWindow | None:
        """Konferenz → Check-in …: the full-screen check-in window of the chosen conference."""
        conf_id = self._need_conference(self.tr("Check-in"))
        if conf_id is None:
            return None
        if self.checkin_window is not None:
            self.checkin_window.close()
        window = CheckInWindow(self.ctx, conf_id, self.window())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(self._checkin_closed)
        self.checkin_window = window
        if full_screen:
            window.showFullScreen()
        else:
            window.show()
        window.activateWindow()
        return window

    def _checkin_closed(self) -> None:
        self.checkin_window = None

    def show_statistics(self) -> StatisticsDialog:
        """Konferenz → Statistik …"""
        dialog = StatisticsDialog(self.ctx, self.conference_id(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # --- paper (Konferenz → Drucken) ----------------------------------------------------------------------

    def _selected_invitations(self) -> list[int]:
        """The invitations selected in the list (one is enough: a letter printed again for one person)."""
        return self.invitations.selected_ids()

    def open_letters(self) -> QWidget | None:
        """Konferenz → Drucken → Serienbriefe …: letters to the selected invitations or by status."""
        conf_id = self._need_conference(self.tr("Serienbriefe"))
        if conf_id is None:
            return None
        from ui.paper.dialogs.letters_dialog import open_letters_dialog

        try:
            return open_letters_dialog(self.ctx, self, conf_id, self._selected_invitations())
        except UserError as exc:  # e.g. the conference was deleted at another workplace
            QMessageBox.warning(self, self.tr("Serienbriefe"), exc.message)
            return None

    def open_mail(
        self, template: str = "einladung", ids: list[int] | None = None, *, use_selection: bool = False
    ) -> QWidget | None:
        """Konferenz → Einladungen per E-Mail …: the e-mail run of the chosen conference."""
        conf_id = self._need_conference(self.tr("Einladungen versenden"))
        if conf_id is None:
            return None
        from ui.paper.dialogs.mail_dialog import open_mail_dialog

        chosen = self._selected_invitations() if ids is None else ids
        try:
            return open_mail_dialog(
                self.ctx, self, conf_id, chosen, template=template, use_selection=use_selection
            )
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Einladungen versenden"), exc.message)
            return None

    def mail_reminders(self) -> QWidget | None:
        """Konferenz → Erinnerung per E-Mail …: the Erinnerungsliste, and the reminder to everyone in it by
        e-mail (template erinnerung; who has no address gets a letter) through the same dialog."""
        ids = self.show_reminders()
        if not ids:
            return None
        return self.open_mail("erinnerung", ids, use_selection=True)

    def confirm_mail_drafts(self) -> QWidget:
        """Konferenz → E-Mail-Entwürfe bestätigen …: drafts written into a folder, recorded as sent or
        discarded."""
        from ui.paper.dialogs.drafts_dialog import open_drafts_dialog

        return open_drafts_dialog(self.ctx, self)

    def edit_mail_settings(self) -> QWidget:
        """Konferenz → E-Mail-Einstellungen …"""
        from ui.paper.dialogs.mail_settings_dialog import MailSettingsDialog

        dialog = MailSettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_print(self, kind: str) -> QWidget | None:
        """Konferenz → Drucken → Adressetiketten, Namensschilder, Unterschriftenliste, Teilnehmerliste."""
        titles = {
            "labels": self.tr("Adressetiketten"),
            "badges": self.tr("Namensschilder"),
            "signin": self.tr("Unterschriftenliste"),
            "attendees": self.tr("Teilnehmerliste"),
        }
        conf_id = self._need_conference(titles[kind])
        if conf_id is None:
            return None
        from ui.paper.dialogs.print_dialogs import open_print_dialog

        selection = self._selected_invitations() if kind == "labels" else []
        try:
            return open_print_dialog(self.ctx, self, conf_id, kind, selection)
        except UserError as exc:
            QMessageBox.warning(self, titles[kind], exc.message)
            return None

    def open_labels(self) -> QWidget | None:
        return self.open_print("labels")

    def open_badges(self) -> QWidget | None:
        return self.open_print("badges")

    def open_signin_sheet(self) -> QWidget | None:
        return self.open_print("signin")

    def open_attendee_list(self) -> QWidget | None:
        return self.open_print("attendees")

    def edit_templates(self) -> QWidget:
        """Konferenz → Drucken → Briefvorlagen …"""
        from ui.paper.dialogs.template_editor import TemplateEditorDialog

        dialog = TemplateEditorDialog(self.ctx, self, conference_id=self.conference_id())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_sender(self) -> QWidget:
        """Konferenz → Drucken → Briefkopf und Absender …"""
        from ui.paper.dialogs.sender_dialog import SenderSettingsDialog

        dialog = SenderSettingsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def focus_search(self) -> None:
        """Strg+F: the search of the invitation list (the conference list is short)."""
        self.invitations.focus_search()
