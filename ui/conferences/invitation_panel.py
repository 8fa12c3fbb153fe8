"""The invitation list of one conference, with replies recorded by keyboard.

Layout, top to bottom: the conference and its occupancy (venue and each forum: belegt / Kapazität), a
status filter with the search field, the list (``LazyTableModel`` over ``InvitationList``), a notice line
(who is next on the waiting list, the reminder list), and the reply panel.

A reply that came by phone: type the name into the search field, Down (to the list), one status key
(see ``STATUS_KEYS`` in ``ui.conferences.reply_editor``; the reply channel is preset to Telefon), then,
for an acceptance, the forum is chosen in the reply pane below and Enter saves it. No dialog, unless the
reply would overbook the venue or a forum: then the user chooses "Trotzdem zusagen (überbuchen)", "Auf die Warteliste setzen" or "Abbrechen".

Every change calls a service of ``konferenz.conferences.replies`` (one unit of work), goes on the undo stack
(the reply fields of each invitation before and after), and announces ``INVITATIONS``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences import replies
from konferenz.conferences.reads import conference_summary
from konferenz.enums import Channel, InvitationStatus, label
from konferenz.errors import ConflictError, UserError
from konferenz.lists.invitations import (
    InvitationDetails,
    InvitationList,
    invitation_details,
    invitee_names,
)
from konferenz.lists.source import format_count, format_date
from konferenz.spreadsheets.xlsx import Sheet, write_workbook
from konferenz.storage.changes import CONFERENCES, INVITATIONS, ORGANISATIONS, PERSONS
from konferenz.text import isolate
from ui.conferences.reply_editor import STATUS_KEYS, ReplyChange, ReplyEditor, status_key_help
from ui.conferences.widgets import Overbooking, QuickPersonDialog, ask_overbooking, run_dialog
from ui.context import AppContext
from ui.widgets.dialog_tools import SPREADSHEET_FILTER, choose_save_path, confirm
from ui.widgets.list_panel import ListPanel
from ui.widgets.registry_dialogs import ConflictChoice, ask_conflict
from ui.widgets.table_model import LazyTableModel
from ui.widgets.tasks import run_task

log = logging.getLogger(__name__)

#: the choices of the status filter: German label and statuses (None: all)
STATUS_FILTERS: tuple[tuple[str, frozenset[InvitationStatus] | None], ...] = (
    ("alle", None),
    ("ohne Rückmeldung (eingeladen, keine Rückmeldung)", InvitationStatus.awaiting_reply()),
    ("Zusagen (zugesagt, vertreten, teilgenommen)", InvitationStatus.seated()),
    *((label(s), frozenset({s})) for s, _key, _digit in STATUS_KEYS),
)


def _warn(parent: QWidget, title: str, exc: UserError) -> None:
    log.info("%s: %s", title, exc)
    QMessageBox.warning(parent, title, exc.message)


def _html(text: str) -> str:
    return escape(text, quote=False)


class InvitationPanel(QWidget):
    """Invitations of the chosen conference: occupancy, filter, search, list, notices, reply panel."""

    #: emitted after a change was saved (tests and the area wait for it)
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Einladungen"))
        self.conference_id: int | None = None
        self._year: int | None = None
        self._statuses: frozenset[InvitationStatus] | None = None
        self._refreshing = False
        self._editor_id: int | None = None
        self._has_forums = False

        self.model = LazyTableModel(ctx.database, InvitationList(None), parent=self)
        self.list_panel = ListPanel(self.model, self)
        self.table = self.list_panel.table
        self.search_field = self.list_panel.search_field

        self.title_label = QLabel(self)
        self.title_label.setAccessibleName(self.tr("Konferenz der Einladungsliste"))
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.occupancy_label = QLabel(self)
        self.occupancy_label.setAccessibleName(self.tr("Belegung"))
        self.occupancy_label.setWordWrap(True)
        self.occupancy_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(self.tr("Nach Status filtern"))
        self.status_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_filter.setMinimumContentsLength(16)
        for text, statuses in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(text), statuses)
        filter_label = QLabel(self.tr("&Status:"), self)
        filter_label.setBuddy(self.status_filter)
        self.list_panel.add_top_widget(self.status_filter)
        self.list_panel.add_top_widget(filter_label)
        self.status_filter.currentIndexChanged.connect(self._on_filter_chosen)
        self.table.setToolTip(
            self.tr(
                "Status der gewählten Zeile(n) mit einer Taste setzen: {0}; Kontextmenü: Umschalt+F10"
            ).format(status_key_help())
        )

        self.notice = QFrame(self)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice_label = QLabel(self.notice)
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleName(self.tr("Hinweis"))
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_button = QPushButton(self.notice)
        self.notice_close = QPushButton(self.tr("Ausblenden"), self.notice)
        self.notice_close.setAccessibleName(self.tr("Hinweis ausblenden"))
        self.notice_close.clicked.connect(self.hide_notice)
        self._notice_action: Callable[[], object] | None = None
        self.notice_button.clicked.connect(self._run_notice_action)
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(6, 4, 6, 4)
        notice_row.addWidget(self.notice_label, 1)
        notice_row.addWidget(self.notice_button)
        notice_row.addWidget(self.notice_close)
        self.notice.hide()

        self.editor = ReplyEditor(self)
        self.editor.save_requested.connect(self.save_reply)
        self.editor.take_over_requested.connect(self.take_over_substitute)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.occupancy_label)
        layout.addWidget(self.list_panel, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.editor)

        self._create_actions()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.loaded.connect(self._after_reset)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.database_changed.connect(self._on_database_changed)
        self._pending_select: tuple[int | None, int] = (None, 0)

    # --- actions -------------------------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.status_actions: dict[InvitationStatus, QAction] = {}
        for status, key, digit in STATUS_KEYS:
            text = label(status)
            action = QAction(text, self.table)
            action.setObjectName(f"action_status_{status.value}")
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            tip = self.tr("Status „{0}“ setzen (Taste {1} in der Liste oder Alt+{2})").format(
                text, key, digit
            )
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _c=False, s=status: self.apply_status(s))
            self.table.addAction(action)
            self.status_actions[status] = action
            alt = QAction(text, self)
            alt.setShortcut(QKeySequence(f"Alt+{digit}"))
            alt.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            alt.triggered.connect(lambda _c=False, s=status: self.apply_status(s))
            self.addAction(alt)
        self.export_action = QAction(self.tr("Liste als &Excel speichern …"), self)
        self.export_action.triggered.connect(partial(self.export_excel, None))
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, self.tr("Rückgängig"))

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Status setzen"))
        menu.setToolTipsVisible(True)
        for action in self.status_actions.values():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addAction(self.undo_action)
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # --- conference ----------------------------------------------------------------------------------

    def set_conference(self, conference_id: int | None) -> None:
        if conference_id == self.conference_id and self.model.is_loaded:
            return
        self._autosave()
        self.conference_id = conference_id
        self.hide_notice()
        self.model.set_source(InvitationList(conference_id, self._statuses))
        if not self.model.is_loaded:
            self.model.refresh()
        self._load_header()

    @property
    def year(self) -> int | None:
        return self._year

    def _load_header(self) -> None:
        database = self.ctx.database
        if self.conference_id is None:
            self._year = None
            self.title_label.setText(self.tr("Noch keine Konferenz gewählt."))
            self.occupancy_label.clear()
            self.editor.set_forums([])
            self._has_forums = False
            return
        with database.read_session() as s:
            conf = conference_summary(s, self.conference_id)
            if conf is None:
                self.conference_id = None
                self._load_header()
                return
            self._year = conf.year
            occupancy = replies.occupancy(s, conf.id)
            forums = [(f.id, f.title, f.capacity) for f in conf.forums]
            parts = [f"<b>{_html(conf.title)}</b>"]
            when = ", ".join(
                p
                for p in (
                    format_date(conf.date),
                    conf.venue_name,
                    self.tr("Rückmeldefrist {0}").format(format_date(conf.reply_deadline))
                    if conf.reply_deadline
                    else "",
                )
                if p
            )
            if when:
                parts.append(_html(when))
        self.title_label.setText(" · ".join(parts))
        self.occupancy_label.setText(self.tr("Belegung: ") + " · ".join(occupancy_text(o) for o in occupancy))
        self.occupancy_label.setToolTip(
            self.tr("Zusagen einschließlich Begleitpersonen (zugesagt, vertreten, teilgenommen)")
        )
        by_forum = {o.name: o for o in occupancy[1:]}
        choices = []
        for forum_id, title, _capacity in forums:
            occ = by_forum.get(title)
            choices.append((forum_id, f"{title} ({occupancy_short(occ)})" if occ else title))
        self.editor.set_forums(choices)
        self._has_forums = bool(forums)

    # --- filter, selection -----------------------------------------------------------------------------

    def set_status_filter(self, statuses: frozenset[InvitationStatus] | None) -> None:
        for index in range(self.status_filter.count()):
            if self.status_filter.itemData(index) == statuses:
                self.status_filter.setCurrentIndex(index)
                return
        raise KeyError(statuses)

    def _on_filter_chosen(self, index: int) -> None:
        data = self.status_filter.itemData(index)
        self._statuses = frozenset(data) if data is not None else None
        self._autosave()
        self.model.set_source(InvitationList(self.conference_id, self._statuses))

    def selected_ids(self) -> list[int]:
        """Ids of the selected invitations, in list order (the current row if nothing is selected)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [self.model.id_at(r) for r in rows if r < self.model.rowCount()]

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return (
            self.model.id_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None
        )

    def select_id(self, invitation_id: int) -> bool:
        row = self.model.row_of(invitation_id)
        if row is None:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _before_reset(self) -> None:
        index = self.table.currentIndex()
        current = self.current_id()
        self._pending_select = (current, index.row() if index.isValid() else 0)
        self._refreshing = True

    def _after_reset(self) -> None:
        """After a reload: choose the same invitation again (or the row that took its place). A reload
        that found the same ids did not reset the model; the view kept its selection then."""
        if not self._refreshing:
            return
        self._refreshing = False
        current, row = self._pending_select
        if self.model.rowCount() == 0:
            self._load_editor(None)
            return
        found = self.model.row_of(current) if current is not None else None
        if found is not None:
            self._select_row(found)
        elif current is not None:
            # the row left the filtered list (a reply recorded): go on with the row that took its place
            self._select_row(min(row, self.model.rowCount() - 1))
        else:
            self._load_editor(None)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._refreshing:
            return
        new_id = self.model.id_at(current.row()) if current.isValid() else None
        if new_id == self._editor_id and self.editor.details is not None:
            return
        self._autosave()
        self._load_editor(new_id)

    def _load_editor(self, invitation_id: int | None) -> None:
        details = None
        if invitation_id is not None:
            with self.ctx.database.read_session() as s:
                details = invitation_details(s, invitation_id)
        self._editor_id = details.id if details is not None else None
        self.editor.load(details)

    def _autosave(self) -> None:
        """Edits in the reply panel are saved when the user moves on to another invitation."""
        details = self.editor.details
        if details is not None and self.editor.is_dirty() and details.status in InvitationStatus.replied():
            self.save_reply(refocus=False)

    # --- changes -------------------------------------------------------------------------------------

    def apply_status(self, status: InvitationStatus, ids: Sequence[int] | None = None) -> bool:
        """Give the selected invitations (or ``ids``) ``status``; True when something was saved."""
        ids = list(ids) if ids is not None else self.selected_ids()
        if not ids:
            return False
        title = self.tr("Status setzen")
        if len(ids) == 1 and self._editor_id != ids[0]:
            self._load_editor(ids[0])  # the reply panel describes the invitation being answered
        if status is InvitationStatus.SUBSTITUTED:
            if len(ids) > 1:
                QMessageBox.information(
                    self, title, self.tr("„vertreten“ bitte für jede Einladung einzeln setzen (mit Namen).")
                )
                return False
            name, ok = QInputDialog.getText(
                self,
                self.tr("Vertreten durch"),
                self.tr("Name der Person, die die Einladung wahrnimmt:"),
                QLineEdit.EchoMode.Normal,
                self.editor.substitute.text(),
            )
            if not ok or not name.strip():
                return False
            self.editor.substitute.setText(" ".join(name.split()))
        if len(ids) > 1 and not confirm(
            self,
            title,
            self.tr("Den Status von {0} Einladungen auf „{1}“ setzen? Strg+Z macht es rückgängig.").format(
                format_count(len(ids)), label(status)
            ),
        ):
            return False
        try:
            with self.ctx.announcing():
                saved = self._change(ids, status)
        except UserError as exc:
            _warn(self, title, exc)
            self._reload_after_change()
            return False
        if (
            saved
            and len(ids) == 1
            and status in (InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED)
            and self._has_forums
        ):
            # an acceptance by phone: the forum is chosen next, Enter saves it
            self.editor.forum.setFocus(Qt.FocusReason.OtherFocusReason)
        return saved

    def _change(self, ids: list[int], status: InvitationStatus) -> bool:
        database = self.ctx.database
        before = replies.capture_reply_states(database, ids)
        names = self._names(ids)
        if len(ids) == 1 and status in InvitationStatus.reply_choices():
            details = self.editor.details if self._editor_id == ids[0] else None
            if details is None:
                self._load_editor(ids[0])
                details = self.editor.details
            new_reply = details is None or details.status is not status
            if not self._record(ids[0], self.editor.reply(status, new_reply=new_reply), names[ids[0]]):
                return False
        elif status in (InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED):
            # the seats are counted in the transaction of the change: two workplaces cannot both take the last
            try:
                replies.set_status(database, ids, status, allow_overbooking=False)
            except replies.OverbookingError as full:
                choice = ask_overbooking(self, full.warnings)
                if choice is Overbooking.CANCEL:
                    return False
                if choice is Overbooking.WAITLIST:
                    replies.put_on_waitlist(database, ids)
                else:
                    replies.set_status(database, ids, status)
        elif status is InvitationStatus.WAITLIST:
            replies.put_on_waitlist(database, ids)
        else:
            replies.set_status(database, ids, status)
        after = replies.capture_reply_states(database, ids)
        what = names[ids[0]] if len(ids) == 1 else self.tr("{0} Einladungen").format(len(ids))
        new_status = after[0].status if len(ids) == 1 and after else status
        self._finish(before, after, self.tr("Status „{0}“ für {1}").format(label(new_status), what))
        return True

    def _record(
        self,
        invitation_id: int,
        reply: replies.Reply,
        who: str,
        *,
        expected_version: int | None = None,
    ) -> bool:
        """record_reply, asking before an overbooking. False when the user cancelled. With
        ``expected_version`` a save over someone else's change raises ``ConflictError``."""
        database = self.ctx.database
        result = replies.record_reply(database, invitation_id, reply, expected_version=expected_version)
        if not result.saved:
            choice = ask_overbooking(self, result.warnings, who=who)
            if choice is Overbooking.OVERBOOK:
                result = replies.record_reply(
                    database, invitation_id, reply, allow_overbooking=True, expected_version=expected_version
                )
            elif choice is Overbooking.WAITLIST:
                result = replies.record_reply(
                    database,
                    invitation_id,
                    replace(reply, status=InvitationStatus.WAITLIST),
                    expected_version=expected_version,
                )
            else:
                return False
        if result.notes:
            self.show_notice(f"{who}: " + " ".join(result.notes))
        return True

    def _reply_texts(self, reply: replies.Reply | InvitationDetails) -> dict[str, str]:
        """The reply fields as the user reads them (for the conflict question)."""
        if isinstance(reply, InvitationDetails):
            channel = reply.reply_channel.value if reply.reply_channel else None
            forum_id, companions = reply.forum_id, reply.companions
            substitute, access, diet = reply.substitute_name, reply.needs_accessibility, reply.needs_diet
            status, replied_on = reply.status, reply.replied_on
        else:
            channel, forum_id, companions = reply.channel, reply.forum_id, reply.companions
            substitute, access, diet = reply.substitute_name, reply.needs_accessibility, reply.needs_diet
            status, replied_on = reply.status, reply.replied_on
        forum_index = self.editor.forum.findData(forum_id) if forum_id is not None else -1
        forum = self.editor.forum.itemText(forum_index) if forum_index >= 0 else ""
        texts = {
            self.tr("Status"): label(status),
            self.tr("Forum"): forum,
            self.tr("Begleitpersonen"): str(companions),
            self.tr("Vertretung"): substitute,
            self.tr("Barrierefreiheit"): access,
            self.tr("Ernährung"): diet,
            self.tr("Antwort am"): replied_on.strftime("%d.%m.%Y") if replied_on else "",
        }
        if channel is not None:
            texts[self.tr("Antwort per")] = label(Channel(channel))
        return texts

    def ask_conflict(self, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
        """Both versions side by side (tests replace this method or drive the dialog)."""
        return ask_conflict(self, what, differences)

    def _resolve_conflict(self, details: InvitationDetails, reply: replies.Reply) -> bool:
        """Someone else saved this invitation since it was loaded: show both versions and do what the user
        chooses. True when the user's reply was saved."""
        with self.ctx.database.read_session() as s:
            stored = invitation_details(s, details.id)
        if stored is None:
            _warn(self, self.tr("Rückmeldung speichern"), UserError("Die Einladung gibt es nicht mehr."))
            self._reload_after_change()
            return False
        mine, theirs = self._reply_texts(reply), self._reply_texts(stored)
        differences = [
            (field, text, theirs.get(field, ""))
            for field, text in mine.items()
            if text != theirs.get(field, "")
        ]
        choice = self.ask_conflict(details.name, differences)
        if choice is ConflictChoice.OVERWRITE:
            return self._record(details.id, reply, details.name, expected_version=stored.version)
        if choice is ConflictChoice.DISCARD:
            self._reload_after_change()
        return False

    def save_reply(self, *, refocus: bool = True) -> bool:
        """Save the reply panel's fields for the selected invitation (status unchanged)."""
        details = self.editor.details
        if details is None:
            return False
        if details.status not in InvitationStatus.replied():
            self.show_notice(
                self.tr(
                    "„{0}“ hat noch nicht geantwortet. Erst den Status setzen ({1}); Forum, Begleitung und "
                    "Bedarf werden dabei mitgespeichert."
                ).format(details.name, status_key_help())
            )
            return False
        if not self.editor.is_dirty():
            if refocus:
                self.list_panel.focus_search()
            return True
        database = self.ctx.database
        reply = self.editor.reply(details.status, new_reply=False)
        with self.ctx.announcing():
            try:
                before = replies.capture_reply_states(database, [details.id])
                try:
                    saved = self._record(details.id, reply, details.name, expected_version=details.version)
                except ConflictError:
                    saved = self._resolve_conflict(details, reply)
                if not saved:
                    return False
                after = replies.capture_reply_states(database, [details.id])
            except UserError as exc:
                _warn(self, self.tr("Rückmeldung speichern"), exc)
                self._reload_after_change()
                return False
            self._finish(before, after, self.tr("Rückmeldung von {0} geändert").format(details.name))
        if refocus:
            self.list_panel.focus_search()
        return True

    def _finish(self, before: list[replies.ReplyState], after: list[replies.ReplyState], text: str) -> None:
        if [s.values for s in before] != [s.values for s in after]:
            change = ReplyChange(self.ctx, self, before, after)
            self.ctx.push_change(text, change.redo, change.undo)
        freed = any(b.status in InvitationStatus.seated() for b in before) and any(
            a.status not in InvitationStatus.seated() for a in after
        )
        self._reload_after_change()
        if freed:
            self._show_waitlist_next()
        self.changed.emit()

    def _reload_after_change(self) -> None:
        """After a change (announced by ``AppContext``) or a refused one: the list and the reply pane show
        what is stored now."""
        self._editor_id = None
        self.editor.details = None
        self._refresh()

    def _names(self, ids: Sequence[int]) -> dict[int, str]:
        with self.ctx.database.read_session() as s:
            return invitee_names(s, ids)

    def _show_waitlist_next(self) -> None:
        if self.conference_id is None:
            return
        with self.ctx.database.read_session() as s:
            following = replies.waitlist(s, self.conference_id)
            names = invitee_names(s, following[:3])
        if not following:
            return
        listed = ", ".join(
            f"{i}. {isolate(names.get(inv_id, ''))}" for i, inv_id in enumerate(following[:3], start=1)
        )
        more = (
            self.tr(" (insgesamt {0} auf der Warteliste)").format(len(following))
            if len(following) > 3
            else ""
        )
        self.show_notice(
            self.tr("Ein Platz ist frei geworden. Als Nächste auf der Warteliste: {0}{1}").format(
                listed, more
            ),
            self.tr("&Warteliste zeigen"),
            self.show_waitlist,
        )

    def show_waitlist(self) -> None:
        """The waiting list in its order (filter Warteliste, no search)."""
        self.search_field.clear()
        self.list_panel.apply_search()
        self.set_status_filter(frozenset([InvitationStatus.WAITLIST]))

    def take_over_substitute(self) -> None:
        """Create the substitute as a person of the register and link it to the invitation."""
        details = self.editor.details
        name = self.editor.substitute.text().strip()
        if details is None:
            return
        if not name:
            QMessageBox.information(
                self,
                self.tr("In Adressen übernehmen"),
                self.tr("Bitte zuerst den Namen der Vertretung eintragen."),
            )
            self.editor.substitute.setFocus()
            return
        with self.ctx.announcing():  # the new person and the invitation's link
            dialog = QuickPersonDialog(
                self.ctx.database,
                self,
                title=self.tr("Vertretung in die Adressen übernehmen"),
                name=name,
                organisation_id=details.organisation_id,
            )
            if not run_dialog(dialog) or dialog.person_id is None:
                return
            try:
                if self.editor.is_dirty() or details.status is not InvitationStatus.SUBSTITUTED:
                    self._change([details.id], InvitationStatus.SUBSTITUTED)
                replies.link_substitute(self.ctx.database, details.id, dialog.person_id)
            except UserError as exc:
                _warn(self, self.tr("In Adressen übernehmen"), exc)

    # --- notices, reminders, export --------------------------------------------------------------------

    def show_notice(self, text: str, button: str = "", action: Callable[[], object] | None = None) -> None:
        self.notice_label.setText(text)
        self.notice_button.setVisible(bool(button))
        self.notice_button.setText(button)
        self.notice_button.setAccessibleName(button.replace("&", ""))
        self._notice_action = action
        self.notice.show()

    def hide_notice(self) -> None:
        self.notice.hide()
        self._notice_action = None

    def _run_notice_action(self) -> None:
        if self._notice_action is not None:
            self._notice_action()

    def show_reminders(self, today: dt.date | None = None) -> list[int]:
        """Erinnerungsliste: everyone without a reply after the deadline; returns their invitation ids."""
        if self.conference_id is None or self._year is None:
            return []
        title = self.tr("Erinnerungsliste")
        with self.ctx.database.read_session() as s:
            ids = replies.reminder_candidates(s, self._year, today)
            conf = conference_summary(s, self.conference_id)
        if conf is None:
            raise LookupError(f"conference {self.conference_id} does not exist")
        deadline = conf.reply_deadline
        if not ids and deadline is not None and (today or dt.date.today()) <= deadline:
            answer = QMessageBox.question(
                self,
                title,
                self.tr(
                    "Die Rückmeldefrist läuft noch bis {0}. Trotzdem alle zeigen, die noch nicht geantwortet haben?"
                ).format(format_date(deadline)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return []
        self.set_status_filter(InvitationStatus.awaiting_reply())
        self.search_field.clear()
        self.list_panel.apply_search()
        count = self.model.rowCount()
        deadline_text = self.tr(" (Rückmeldefrist {0})").format(format_date(deadline)) if deadline else ""
        self.show_notice(
            self.tr("Erinnerungsliste: {0} Eingeladene ohne Rückmeldung{1}.").format(count, deadline_text),
            self.tr("Als &Excel speichern …"),
            partial(self.export_excel, None),
        )
        return self.model.ids()

    def export_excel(self, path: str | Path | None = None) -> Path | None:
        """The list as shown (filter and search) as an Excel file, with e-mail and phone."""
        title = self.tr("Liste als Excel speichern")
        if path is None:
            name = "Einladungen"
            if self._statuses == InvitationStatus.awaiting_reply():
                name = "Erinnerungsliste"
            path = choose_save_path(
                self, title, f"{name}-{self._year or ''}.xlsx", self.tr(SPREADSHEET_FILTER)
            )
            if path is None:
                return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".xlsx")
        ids = self.model.ids()
        source = self.model.source
        assert isinstance(source, InvitationList)
        database = self.ctx.database
        sheet_title = (
            self.tr("Erinnerungsliste")
            if self._statuses == InvitationStatus.awaiting_reply()
            else self.tr("Einladungen")
        )

        def work(progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Path:
            progress(0, 2)
            with database.read_session() as s:
                rows = source.export_rows(s, ids)
            progress(1, 2)
            return write_workbook(target, [Sheet(sheet_title, list(InvitationList.EXPORT_HEADERS), rows)])

        try:
            written = run_task(self, title, work)
        except UserError as exc:
            _warn(self, title, exc)
            return None
        self.show_notice(self.tr("{0} Zeilen gespeichert in {1}").format(len(ids), written))
        return written

    # --- refreshing --------------------------------------------------------------------------------------

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {INVITATIONS, PERSONS, ORGANISATIONS, CONFERENCES}:
            self._refresh()

    def _refresh(self) -> None:
        dirty = self.editor.is_dirty()
        self.model.refresh()
        self._load_header()
        if not dirty or self.editor.details is None:
            self._load_editor(self.current_id())

    def _on_database_changed(self) -> None:
        self.editor.load(None)
        self._editor_id = None
        self.conference_id = None
        self.model.set_database(self.ctx.database)

    def focus_search(self) -> None:
        self.list_panel.focus_search()


def occupancy_short(occ: replies.Occupancy) -> str:
    """ "38 / 50", "52 / 50, überbucht", "12, ohne Grenze"."""
    if occ.capacity is None:
        return f"{occ.booked} belegt, ohne Grenze"
    text = f"{occ.booked} / {occ.capacity}"
    if occ.booked > occ.capacity:
        return f"{text}, überbucht"
    if occ.booked == occ.capacity:
        return f"{text}, voll"
    return text


def occupancy_text(occ: replies.Occupancy) -> str:
    return f"{_html(occ.name)} {occupancy_short(occ)}"
