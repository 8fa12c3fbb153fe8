"""The reply pane under the invitation list, and the status keys that record a reply by keyboard.

``ReplyEditor`` shows the selected invitation's reply (channel, forum, companions, needs, substitute) and
turns it into a ``konferenz.conferences.replies.Reply``; ``ReplyChange`` undoes and redoes a recorded reply
or status change. ``STATUS_KEYS`` names the key of each status (the list's shortcuts, Alt+digit).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences import replies
from konferenz.enums import Channel, InvitationStatus, label
from konferenz.errors import UserError
from konferenz.lists.invitations import InvitationDetails
from konferenz.lists.source import format_date
from konferenz.text import isolate
from ui.context import AppContext
from ui.widgets.dialog_tools import tell_current_text

log = logging.getLogger(__name__)

#: status, key in the list, Alt+digit anywhere in the panel (in the order of the invitation's life cycle)
STATUS_KEYS: tuple[tuple[InvitationStatus, str, int], ...] = (
    (InvitationStatus.PLANNED, "M", 1),
    (InvitationStatus.INVITED, "E", 2),
    (InvitationStatus.ACCEPTED, "Z", 3),
    (InvitationStatus.DECLINED, "A", 4),
    (InvitationStatus.NO_REPLY, "K", 5),
    (InvitationStatus.SUBSTITUTED, "V", 6),
    (InvitationStatus.WAITLIST, "W", 7),
    (InvitationStatus.ATTENDED, "T", 8),
    (InvitationStatus.NO_SHOW, "N", 9),
)


_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def status_key_help() -> str:
    """ "Z = zugesagt, A = abgesagt, …" for tooltips and the reply panel."""
    return ", ".join(f"{key} = {label(status)}" for status, key, _digit in STATUS_KEYS)


class ReplyEditor(QGroupBox):
    """The reply of the selected invitation: channel, forum, companions, needs, substitute.

    The channel is the channel of the reply being entered (preset Telefon) and is kept from row to row;
    the other fields show the selected invitation. ``save_requested`` is emitted by Enter in any field.
    """

    save_requested = Signal()
    take_over_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Rückmeldung"))
        self.setAccessibleName(self.tr("Rückmeldung der gewählten Einladung"))
        self.details: InvitationDetails | None = None
        self._loaded: tuple[object, ...] = ()
        self._channel_touched = False

        self.who_label = QLabel(self)
        self.who_label.setAccessibleName(self.tr("Gewählte Einladung"))
        self.who_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.channel = QComboBox(self)
        self.channel.setAccessibleName(self.tr("Rückmeldung per"))
        for channel in (Channel.PHONE, Channel.EMAIL, Channel.POST, Channel.IN_PERSON):
            self.channel.addItem(label(channel), channel)
        self.channel.setToolTip(
            self.tr("Auf welchem Weg die Rückmeldung kam; bleibt für die nächsten Rückmeldungen eingestellt")
        )
        self.forum = QComboBox(self)
        self.forum.setAccessibleName(self.tr("Forum"))
        self.forum.setToolTip(self.tr("Gewähltes Forum; Eingabetaste speichert"))
        self.companions = QSpinBox(self)
        self.companions.setRange(0, 20)
        self.companions.setAccessibleName(self.tr("Begleitpersonen"))
        for inner in self.companions.findChildren(QLineEdit):  # the spin box's own text field
            inner.setAccessibleName(self.tr("Begleitpersonen"))
        self.accessibility = QLineEdit(self)
        self.accessibility.setAccessibleName(self.tr("Bedarf Barrierefreiheit"))
        self.accessibility.setPlaceholderText(self.tr("z. B. Rollstuhl, Gebärdensprache"))
        self.diet = QLineEdit(self)
        self.diet.setAccessibleName(self.tr("Bedarf Verpflegung"))
        self.diet.setPlaceholderText(self.tr("z. B. vegetarisch, halal"))
        self.substitute = QLineEdit(self)
        self.substitute.setAccessibleName(self.tr("Vertreten durch"))
        self.substitute.setPlaceholderText(self.tr("Name der Vertretung"))
        self.take_over_button = QPushButton(self.tr("Vertretung &übernehmen …"), self)
        self.take_over_button.setAccessibleName(self.tr("Vertretung in die Adressen übernehmen"))
        self.take_over_button.setToolTip(
            self.tr("Die Vertretung als neue Person in den Adressen anlegen und mit der Einladung verknüpfen")
        )
        self.take_over_button.clicked.connect(self.take_over_requested)
        self.save_button = QPushButton(self.tr("Speichern"), self)
        self.save_button.setAccessibleName(self.tr("Rückmeldung speichern"))
        self.save_button.setToolTip(self.tr("Rückmeldung speichern (Eingabetaste in einem Feld)"))
        self.save_button.clicked.connect(self.save_requested)
        self.entered_label = QLabel(self)
        self.entered_label.setAccessibleName(self.tr("Erfasst von und am"))
        self.entered_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        #: the status keys, shown while no invitation is chosen and as the panel's tooltip
        self.key_help = self.tr(
            "Status in der Liste mit einer Taste setzen: {0} (auch Alt+1 … Alt+9)."
        ).format(status_key_help())
        self.setToolTip(self.key_help)

        left = QFormLayout()
        middle = QFormLayout()
        for form, text, buddy, field in (
            (left, self.tr("Ka&nal:"), self.channel, None),
            (left, self.tr("&Forum:"), self.forum, None),
            (left, self.tr("Begleit&personen:"), self.companions, None),
            (middle, self.tr("Barrierefre&iheit:"), self.accessibility, None),
            (middle, self.tr("Verpfle&gung:"), self.diet, None),
            (middle, self.tr("&Vertreten durch:"), self.substitute, None),
        ):
            row_label = QLabel(text, self)
            row_label.setBuddy(buddy)
            if field is None:
                form.addRow(row_label, buddy)
            else:
                form.addRow(row_label, field)
        self.who_label.setWordWrap(True)
        self.entered_label.setWordWrap(True)
        # the pane keeps its height whatever is chosen (issue 17: the list jumped with each row): room for
        # name, organisation and status (three lines), and for when and by whom (two); no taller than the
        # three rows of fields and the buttons, so the list above keeps its rows
        lines = self.fontMetrics().lineSpacing()
        self.who_label.setMinimumHeight(3 * lines)
        self.entered_label.setMinimumHeight(2 * lines)
        self.who_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.entered_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for combo in (self.forum, self.channel):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.forum.setMinimumContentsLength(8)
        self.channel.setMinimumContentsLength(7)
        tell_current_text(self.forum, self.tr("(Eingabetaste speichert)"))  # a cut forum name, whole
        about = QVBoxLayout()
        about.addWidget(self.who_label)
        about.addWidget(self.entered_label)
        about.addStretch(1)
        actions = QHBoxLayout()  # under the fields: the pane stays as low as its fields
        actions.addStretch(1)
        actions.addWidget(self.take_over_button)
        actions.addWidget(self.save_button)
        middle.addRow(actions)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 4)
        layout.addLayout(middle, 5)
        layout.addLayout(about, 4)

        for widget in self.fields():
            widget.installEventFilter(self)
        self.channel.activated.connect(self._touch_channel)
        self.substitute.textChanged.connect(self._update_take_over)
        self.set_forums([])
        self.load(None)

    def fields(self) -> list[QWidget]:
        return [self.channel, self.forum, self.companions, self.accessibility, self.diet, self.substitute]

    # --- content -------------------------------------------------------------------------------------

    def set_forums(self, forums: Sequence[tuple[int, str]]) -> None:
        """The forums of the conference: (id, text); "kein Forum" comes first."""
        current = self.forum.currentData()
        self.forum.blockSignals(True)
        self.forum.clear()
        self.forum.addItem(self.tr("kein Forum"), None)
        for forum_id, text in forums:
            self.forum.addItem(text, forum_id)
        index = self.forum.findData(current)
        self.forum.setCurrentIndex(max(index, 0))
        self.forum.blockSignals(False)
        self.forum.setEnabled(bool(forums))

    def load(self, details: InvitationDetails | None) -> None:
        """Show ``details`` (None: no invitation chosen)."""
        self.details = details
        self._channel_touched = False
        enabled = details is not None
        for widget in [*self.fields(), self.save_button, self.take_over_button]:
            widget.setEnabled(enabled)
        self.forum.setEnabled(enabled and self.forum.count() > 1)
        if details is None:
            self.who_label.setText(
                self.tr(
                    "Keine Einladung gewählt. Status per Taste: Z zugesagt, A abgesagt … (alle Tasten im Tooltip)"
                )
            )
            self.entered_label.clear()
            self.forum.setCurrentIndex(0)
            self.companions.setValue(0)
            for edit in (self.accessibility, self.diet, self.substitute):
                edit.clear()
            self._loaded = self._values()
            return
        who = isolate(details.name)
        if details.organisation and details.organisation != details.name:
            who = f"{who} ({isolate(details.organisation)})"
        status = label(details.status)
        if details.status is InvitationStatus.WAITLIST and details.waitlist_position:
            status = self.tr("{0}, Platz {1}").format(status, details.waitlist_position)
        self.who_label.setText(f"<b>{_escape(who)}</b><br>{self.tr('Status')}: {_escape(status)}")
        entered = details.entered_text
        if details.replied_on:
            replied = self.tr("Rückmeldung am {0}").format(format_date(details.replied_on))
            if details.reply_channel is not None:
                replied += self.tr(" per {0}").format(label(details.reply_channel))
            entered = f"{replied}<br>{self.tr('erfasst')}: {_escape(entered)}"
        elif entered:
            entered = f"{self.tr('erfasst')}: {_escape(entered)}"
        self.entered_label.setText(entered)
        index = self.forum.findData(details.forum_id)
        self.forum.setCurrentIndex(max(index, 0))
        self.companions.setValue(details.companions)
        self.accessibility.setText(details.needs_accessibility)
        self.diet.setText(details.needs_diet)
        self.substitute.setText(details.substitute_name)
        self._update_take_over()
        self._loaded = self._values()

    def _update_take_over(self) -> None:
        """The substitute can be taken into the register once named, and only once."""
        details = self.details
        self.take_over_button.setEnabled(
            details is not None
            and details.substitute_person_id is None
            and bool(self.substitute.text().strip())
        )

    def _values(self) -> tuple[object, ...]:
        return (
            self.forum.currentData(),
            self.companions.value(),
            self.accessibility.text().strip(),
            self.diet.text().strip(),
            self.substitute.text().strip(),
        )

    def is_dirty(self) -> bool:
        return self.details is not None and (self._values() != self._loaded or self._channel_touched)

    def _touch_channel(self, _index: int) -> None:
        self._channel_touched = True

    def channel_value(self) -> Channel:
        value = self.channel.currentData()
        return value if isinstance(value, Channel) else Channel.PHONE

    def reply(self, status: InvitationStatus, *, new_reply: bool) -> replies.Reply:
        """The reply the panel describes, with ``status``. A new reply gets today's date and the chosen
        channel; an edited one keeps its date and, unless the channel was changed, its channel."""
        forum_id, companions, accessibility, diet, substitute = self._values()
        details = self.details
        keep_channel = not new_reply and not self._channel_touched and details is not None
        return replies.Reply(
            status=status,
            channel=None if keep_channel else self.channel_value().value,
            replied_on=None if new_reply or details is None else details.replied_on,
            forum_id=forum_id if isinstance(forum_id, int) else None,
            companions=int(companions),  # type: ignore[call-overload]  # a spin box value, typed object by the form
            substitute_name=str(substitute),
            needs_accessibility=str(accessibility),
            needs_diet=str(diet),
        )

    # --- keyboard ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and watched in self.fields()
            and not (isinstance(watched, QComboBox) and watched.view().isVisible())
        ):
            self.save_requested.emit()
            return True
        return super().eventFilter(watched, event)


def _escape(text: str) -> str:
    return escape(text, quote=False)


class ReplyChange:
    """Undo and redo of a reply or status change: the reply fields before and after, per invitation.

    An undo only goes ahead while the invitations still show what this change wrote (and a redo while they
    show what the undo wrote); if another workstation changed them meanwhile, the user is told instead."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        before: list[replies.ReplyState],
        after: list[replies.ReplyState],
    ) -> None:
        self._ctx = ctx
        self._parent = parent
        self._before = before
        self._after = after

    def _restore(self, states: list[replies.ReplyState], expected: list[replies.ReplyState]) -> None:
        try:
            replies.restore_reply_states(self._ctx.database, states, expected)
        except UserError as exc:
            title = self._parent.tr("Rückgängig")
            log.info("%s: %s", title, exc)
            QMessageBox.warning(self._parent, title, exc.message)

    def undo(self) -> None:
        self._restore(self._before, self._after)

    def redo(self) -> None:
        self._restore(self._after, self._before)
