"""The Konferenzen area driven like a user would: create and copy a conference, invite, record replies by
keyboard, capacity warnings and the waiting list, bulk changes with undo, reminders, statistics. Every
test checks the database afterwards; the statistics are compared with counts computed here by SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox, QPushButton, QWidget
from sqlalchemy.orm import aliased

from konferenz.conferences import editing, inviting, replies, statistics
from konferenz.demo.builder import generate_demo
from konferenz.enums import Channel, InvitationStatus
from konferenz.lists.conferences import ConferenceList
from konferenz.lists.invitations import InvitationList
from konferenz.paths import os_user
from konferenz.programme import new_conference
from konferenz.storage.changes import CONFERENCES, INVITATIONS
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import (
    Category,
    Conference,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
)
from konferenz.text import fold
from ui.conferences.area import ConferencesArea
from ui.conferences.conference_dialog import ConferenceDialog, CopyConferenceDialog
from ui.conferences.invitation_panel import InvitationPanel
from ui.conferences.invite_dialog import InviteDialog, check_items
from ui.conferences.reply_editor import STATUS_KEYS
from ui.conferences.statistics_view import StatisticsDialog
from ui.conferences.widgets import QuickPersonDialog
from ui.context import AppContext
from ui.settings import settings
from ui.widgets.list_panel import ListPanel
from ui.widgets.table_model import LazyTableModel

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(path)
    generate_demo(database, persons=300, seed=1)
    database.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    database = open_database(path)
    yield database
    database.dispose()


class Harness:
    """The Konferenzen area as the main window builds it, without the other areas."""

    def __init__(self, database: Database) -> None:
        self.ctx = AppContext(database)
        self.model = LazyTableModel(database, ConferenceList())
        self.conference_panel = ListPanel(self.model)
        self.area = ConferencesArea(self.ctx, self.conference_panel)
        # the main window refreshes the conference list when conferences or invitations change
        self.ctx.data_changed.connect(
            lambda kinds: self.model.refresh() if kinds & {CONFERENCES, INVITATIONS} else None
        )

    @property
    def panel(self) -> InvitationPanel:
        return self.area.invitations


@pytest.fixture
def harness(qtbot, demo_db: Database) -> Harness:
    h = Harness(demo_db)
    qtbot.addWidget(h.area)
    h.area.resize(1300, 850)
    h.area.show()
    h.model.refresh()
    qtbot.waitExposed(h.area)
    return h


def run_modal(qtbot, trigger: Callable[[], object], handle: Callable[[QWidget], None]) -> object:
    """Call ``trigger`` (which opens a modal dialog) and let ``handle`` work the dialog once it shows.

    If ``handle`` fails, the dialog is closed (so the test does not hang on exec()) and the error raised."""
    handled: list[QWidget] = []
    errors: list[BaseException] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or widget in handled:
            QTimer.singleShot(10, poll)
            return
        handled.append(widget)
        try:
            handle(widget)
            if widget.isVisible():
                raise AssertionError(f"the dialog is still open: {widget.windowTitle()}")
        except BaseException as exc:
            errors.append(exc)
            widget.close()

    QTimer.singleShot(0, poll)
    result = trigger()
    if errors:
        raise errors[0]
    assert handled, "no dialog was shown"
    return result


def click_button(box: QWidget, text: str) -> None:
    for button in box.findChildren(QPushButton):
        if button.text().replace("&", "") == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.findChildren(QPushButton)]}")


def conference_id(database: Database, year: int) -> int:
    with database.read_session() as s:
        return editing.conference_id(s, year)


def invitation(database: Database, invitation_id: int) -> Invitation:
    with database.read_session() as s:
        inv = s.get_one(Invitation, invitation_id)
        s.expunge(inv)
        return inv


def invited_persons(database: Database, year: int, status: InvitationStatus) -> list[tuple[int, str, str]]:
    """(invitation id, last name, first name) of persons in ``status`` whom a search for their name finds
    alone in the conference's list."""
    conf_id = conference_id(database, year)
    source = InvitationList(conf_id)
    with database.read_session() as s:
        rows = s.execute(
            sa.select(Invitation.id, Person.last_name, Person.first_name)
            .join(Person, Person.id == Invitation.person_id)
            .where(Invitation.conference_id == conf_id, Invitation.status == status)
            .order_by(Invitation.id)
        ).all()
        return [
            (i, last, first)
            for i, last, first in rows
            # QTest types ASCII only: names in Latin letters (Öztürk is typed "ozturk")
            if fold(f"{last} {first}").isascii() and source.ids(s, search=f"{last} {first}") == [i]
        ]


def search_and_select(qtbot, panel: InvitationPanel, text: str) -> None:
    """Type into the invitation search and go to the list with Down, as a user does."""
    panel.window().activateWindow()  # back from a dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel.window())
    panel.focus_search()
    qtbot.keyClicks(panel.search_field, fold(text))  # typed without special letters (QTest types ASCII)
    qtbot.keyClick(panel.search_field, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.table


# --- conferences ----------------------------------------------------------------------------------------


def test_create_a_conference_by_copying_last_years(qtbot, harness: Harness, demo_db: Database) -> None:
    area = harness.area
    assert area.select_conference(conference_id(demo_db, 2026))

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, CopyConferenceDialog)
        assert dialog.from_year() == 2026
        assert dialog.target_year.value() == 2027
        assert dialog.title.text() == "Integrationskonferenz 2027"
        qtbot.keyClicks(dialog.date, "09.12.2027")
        dialog.copy_invitees.setFocus()
        qtbot.keyClick(dialog.copy_invitees, Qt.Key.Key_Space)
        assert dialog.copy_invitees.isChecked()
        dialog.ok_button.click()

    new_id = run_modal(qtbot, area.copy_conference, fill)

    with demo_db.read_session() as s:
        old = s.get_one(Conference, conference_id(demo_db, 2026))
        new = s.get_one(Conference, new_id)
        assert (new.year, new.title, new.date) == (2027, "Integrationskonferenz 2027", dt.date(2027, 12, 9))
        assert (new.venue_name, new.venue_street, new.venue_city, new.capacity) == (
            old.venue_name,
            old.venue_street,
            old.venue_city,
            old.capacity,
        )
        assert [(f.title, f.room, f.capacity) for f in new.forums] == [
            (f.title, f.room, f.capacity) for f in old.forums
        ]
        old_invitees = set(
            s.execute(
                sa.select(Invitation.person_id, Invitation.organisation_id)
                .outerjoin(Person, Person.id == Invitation.person_id)
                .where(Invitation.conference_id == old.id, Person.anonymised_at.is_(None))
            ).all()
        )
        new_rows = s.execute(
            sa.select(Invitation.person_id, Invitation.organisation_id, Invitation.status).where(
                Invitation.conference_id == new.id
            )
        ).all()
    assert {(p, o) for p, o, _s in new_rows} == old_invitees
    assert {st for _p, _o, st in new_rows} == {InvitationStatus.PLANNED}
    # the new conference is chosen and its invitation list shown
    assert area.conference_id() == new_id
    assert harness.panel.model.rowCount() == len(new_rows)
    assert "Integrationskonferenz 2027" in harness.panel.title_label.text()


def test_create_and_edit_a_conference_with_forums(qtbot, harness: Harness, demo_db: Database) -> None:
    area = harness.area

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, ConferenceDialog)
        dialog.year.setValue(2028)
        dialog.title.clear()
        qtbot.keyClicks(dialog.title, "Integrationskonferenz 2028")
        qtbot.keyClicks(dialog.date, "08.11.2028")
        qtbot.keyClicks(dialog.start_time, "9:30")
        qtbot.keyClicks(dialog.end_time, "16")
        qtbot.keyClicks(dialog.venue_name, "Stadthalle Vreden")
        dialog.capacity.setValue(150)
        qtbot.keyClicks(dialog.reply_deadline, "40.10.2028")  # a typo: no such date
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        assert dialog.isVisible() and "Rückmeldefrist" in dialog.error_label.text()
        dialog.reply_deadline.clear()
        qtbot.keyClicks(dialog.reply_deadline, "20.10.2028")
        row = dialog.add_forum_row(
            editing.ForumData("Forum 1: Sprache", room="Saal", capacity=40, moderation="KI")
        )
        assert row == 0
        dialog.add_forum_row(editing.ForumData("Forum 2: Arbeit", capacity=30))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    new_id = run_modal(qtbot, area.new_conference, create)
    record = editing.get_conference(demo_db, new_id)
    assert record.data.year == 2028
    assert (record.data.start_time, record.data.end_time) == (dt.time(9, 30), dt.time(16))
    assert (record.data.capacity, record.data.reply_deadline) == (150, dt.date(2028, 10, 20))
    assert [(f.data.title, f.data.capacity) for f in record.forums] == [
        ("Forum 1: Sprache", 40),
        ("Forum 2: Arbeit", 30),
    ]
    assert area.conference_id() == new_id

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, ConferenceDialog)
        assert dialog.title.text() == "Integrationskonferenz 2028"
        qtbot.keyClicks(dialog.theme, "Wohnen und Nachbarschaft")
        dialog.forums.item(1, 2).setText("35")
        dialog.forums.setCurrentCell(0, 0)
        dialog.move_forum_row(1)  # Forum 1 after Forum 2
        dialog.add_forum_row()
        dialog.forums.item(2, 0).setText("Forum 3: Gesundheit")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    harness.panel.table.setFocus()
    assert run_modal(qtbot, area.edit_conference, edit) == new_id
    record = editing.get_conference(demo_db, new_id)
    assert record.data.theme == "Wohnen und Nachbarschaft"
    assert [(f.data.title, f.data.capacity) for f in record.forums] == [
        ("Forum 2: Arbeit", 35),
        ("Forum 1: Sprache", 40),
        ("Forum 3: Gesundheit", None),
    ]
    assert "Forum 3: Gesundheit" in harness.panel.occupancy_label.text()


@pytest.mark.parametrize("choice", ["overwrite", "discard", "keep_editing"])
def test_conference_saved_at_another_workplace_meanwhile_shows_both_versions(
    qtbot, demo_db: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from ui.widgets.registry_dialogs import ConflictChoice

    conf_id = conference_id(demo_db, 2026)
    dialog = ConferenceDialog(demo_db, conf_id)
    qtbot.addWidget(dialog)
    original = editing.get_conference(demo_db, conf_id)
    # meanwhile at another workplace: another venue
    other = editing.get_conference(demo_db, conf_id)
    moved = dataclasses.replace(other.data, venue_name="Stadthalle Vreden")
    editing.update_conference(demo_db, conf_id, moved, other.version)
    asked: list[list[tuple[str, str, str]]] = []

    def ask(what: str, differences: list[tuple[str, str, str]]) -> ConflictChoice:
        assert what == "Konferenz 2026"
        asked.append(list(differences))
        return ConflictChoice(choice)

    monkeypatch.setattr(dialog, "ask_conflict", ask)
    dialog.capacity.setValue(99)
    dialog.accept()
    assert asked == [
        [
            ("Veranstaltungsort", original.data.venue_name, "Stadthalle Vreden"),
            ("Kapazität", "99", str(original.data.capacity or "")),
        ]
    ]
    stored = editing.get_conference(demo_db, conf_id).data
    if choice == "overwrite":
        assert (stored.venue_name, stored.capacity) == (original.data.venue_name, 99)
        assert dialog.result() == QDialog.DialogCode.Accepted
    else:  # nothing of the user's input is stored; the other workplace's venue stays
        assert (stored.venue_name, stored.capacity) == ("Stadthalle Vreden", original.data.capacity)
        assert dialog.result() == QDialog.DialogCode.Rejected
        assert dialog.isVisible() is False or choice == "keep_editing"


# --- inviting -------------------------------------------------------------------------------------------


def _expected_category_invitees(database: Database, category: str) -> set[tuple[int | None, int | None]]:
    """Computed here, independently of the service: persons whose own category, else their primary
    organisation's, is ``category``; and organisations of that category without any contact person."""
    with database.read_session() as s:
        cat_id = s.scalar(sa.select(Category.id).where(Category.name == category))
        result: set[tuple[int | None, int | None]] = set()
        for person in s.scalars(sa.select(Person).where(Person.anonymised_at.is_(None))):
            roles = sorted(person.roles, key=lambda r: (not r.is_primary, r.id))
            org = roles[0].organisation if roles else None
            own = person.category_id if person.category_id is not None else (org.category_id if org else None)
            if own == cat_id:
                result.add((person.id, org.id if org else None))
        with_roles = set(s.scalars(sa.select(Role.organisation_id)))
        for org in s.scalars(sa.select(Organisation).where(Organisation.category_id == cat_id)):
            if org.id not in with_roles:
                result.add((None, org.id))
    return result


def test_invite_by_category_and_nobody_twice(
    qtbot, harness: Harness, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_conference.create_conference(
        demo_db, editing.ConferenceData(year=2027, title="Integrationskonferenz 2027")
    )
    harness.ctx.announce(CONFERENCES)
    assert harness.area.select_conference(conference_id(demo_db, 2027))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    expected = _expected_category_invitees(demo_db, "Migrantenselbstorganisation")
    assert len(expected) > 10

    def invite(dialog: QWidget) -> None:
        assert isinstance(dialog, InviteDialog)
        assert not dialog.invite_button.isEnabled()  # nothing chosen yet
        check_items(dialog.categories, ["Migrantenselbstorganisation"])
        preview = count(qtbot, dialog)
        assert preview is not None and (preview.matching, preview.already) == (len(expected), 0)
        assert f"{len(expected)} neu einzuladen" in dialog.preview_label.text()
        dialog.invite_button.click()

    assert run_modal(qtbot, harness.area.invite, invite)
    assert shown == [f"{len(expected)} eingeladen (vorgemerkt), 0 standen schon auf der Liste."]
    with demo_db.read_session() as s:
        rows = s.execute(
            sa.select(Invitation.person_id, Invitation.organisation_id, Invitation.status).where(
                Invitation.conference_id == conference_id(demo_db, 2027)
            )
        ).all()
    assert {(p, o) for p, o, _st in rows} == expected
    assert {st for *_x, st in rows} == {InvitationStatus.PLANNED}
    assert harness.panel.model.rowCount() == len(expected)

    # the same choice again: the dialog says everybody is on the list already and invites nobody twice
    def again(dialog: QWidget) -> None:
        assert isinstance(dialog, InviteDialog)
        check_items(dialog.categories, ["Migrantenselbstorganisation"])
        check_items(dialog.municipalities, ["Bocholt"])
        preview = count(qtbot, dialog)
        assert preview is not None and preview.new == 0 and preview.already == preview.matching > 0
        assert "0 neu einzuladen" in dialog.preview_label.text()
        assert not dialog.invite_button.isEnabled()
        dialog.reject()

    assert not run_modal(qtbot, harness.area.invite, again)
    result = inviting.invite(
        demo_db,
        2027,
        inviting.InviteeFilter(category_ids=[_category(demo_db, "Migrantenselbstorganisation")]),
    )
    assert (result.invited, result.already) == (0, len(expected))


def count(qtbot, dialog: InviteDialog) -> inviting.InvitePreview | None:
    """Let the dialog count the current choice (in the background) and wait for the result."""
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.update_preview()
    return dialog.preview


def _category(database: Database, name: str) -> int:
    with database.read_session() as s:
        return int(s.scalar(sa.select(Category.id).where(Category.name == name)))


def test_invite_from_last_year_and_by_selection(
    qtbot, harness: Harness, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_conference.create_conference(
        demo_db, editing.ConferenceData(year=2027, title="Integrationskonferenz 2027")
    )
    harness.ctx.announce(CONFERENCES)
    harness.area.select_conference(conference_id(demo_db, 2027))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    with demo_db.read_session() as s:
        # anonymised persons (Art. 17 DSGVO) are not invited again; an organisation invited alone is
        # invited alone again only while nobody there is a contact person (the core's rule)
        with_roles = sa.select(Role.organisation_id)
        last_year = s.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .join(Conference, Conference.id == Invitation.conference_id)
            .outerjoin(Person, Person.id == Invitation.person_id)
            .where(
                Conference.year == 2026,
                sa.or_(
                    sa.and_(Invitation.person_id.is_not(None), Person.anonymised_at.is_(None)),
                    sa.and_(Invitation.person_id.is_(None), Invitation.organisation_id.not_in(with_roles)),
                ),
            )
        )

    def earlier(dialog: QWidget) -> None:
        assert isinstance(dialog, InviteDialog)
        dialog.tabs.setCurrentIndex(InviteDialog.TAB_EARLIER)
        assert dialog.earlier_year.currentData() == 2026
        count(qtbot, dialog)
        dialog.invite_button.click()

    run_modal(qtbot, harness.area.invite, earlier)
    assert shown[-1] == f"{last_year} eingeladen (vorgemerkt), 0 standen schon auf der Liste."

    person_id = harness.panel.model.ids()[0]  # someone invited already …
    with demo_db.read_session() as s:
        already = s.get_one(Invitation, person_id).person_id
        outsider = s.scalar(
            sa.select(Person.id)
            .where(~Person.id.in_(sa.select(Invitation.person_id).where(Invitation.person_id.is_not(None))))
            .order_by(Person.id)
            .limit(1)
        )

    def selection(dialog: QWidget) -> None:
        assert isinstance(dialog, InviteDialog)
        dialog.tabs.setCurrentIndex(InviteDialog.TAB_SELECTION)
        for pid in (already, outsider):
            row = dialog.pick_model.row_of(pid)
            assert row is not None
            dialog.pick_panel.table.selectRow(row)
            dialog.add_picked()
        dialog.add_picked()  # the same one twice is added once
        assert dialog.picked.count() == 2
        count(qtbot, dialog)
        dialog.invite_button.click()

    run_modal(qtbot, harness.area.invite, selection)
    assert shown[-1] == "1 eingeladen (vorgemerkt), 1 standen schon auf der Liste."
    with demo_db.read_session() as s:
        assert (
            s.scalar(
                sa.select(Invitation.status).where(
                    Invitation.person_id == outsider, Invitation.conference_id == conference_id(demo_db, 2027)
                )
            )
            is InvitationStatus.PLANNED
        )


# --- replies --------------------------------------------------------------------------------------------


def test_record_a_phone_reply_by_keyboard_only(qtbot, harness: Harness, demo_db: Database) -> None:
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.INVITED)[0]
    record = editing.get_conference(demo_db, conference_id(demo_db, 2026))
    second_forum = record.forums[1]

    search_and_select(qtbot, panel, f"{last} {first}")
    assert panel.model.rowCount() == 1
    assert panel.current_id() == inv_id
    assert panel.editor.channel.currentText() == "Telefon"  # the preset for replies by phone
    qtbot.keyClick(panel.table, Qt.Key.Key_Z)  # Z = zugesagt
    # saved at once, and the forum is next
    saved = invitation(demo_db, inv_id)
    assert (saved.status, saved.reply_channel, saved.replied_on) == (
        InvitationStatus.ACCEPTED,
        Channel.PHONE,
        dt.date.today(),
    )
    assert QApplication.focusWidget() is panel.editor.forum
    qtbot.keyClick(panel.editor.forum, Qt.Key.Key_Down)
    qtbot.keyClick(panel.editor.forum, Qt.Key.Key_Down)
    assert panel.editor.forum.currentData() == second_forum.id
    qtbot.keyClick(panel.editor.forum, Qt.Key.Key_Return)

    saved = invitation(demo_db, inv_id)
    assert (saved.status, saved.forum_id, saved.reply_channel) == (
        InvitationStatus.ACCEPTED,
        second_forum.id,
        Channel.PHONE,
    )
    assert saved.entered_by == os_user()
    assert saved.entered_at >= dt.datetime.now().replace(microsecond=0) - dt.timedelta(minutes=1)
    # ready for the next call: the search field has the focus, the row shows the reply and who entered it
    assert QApplication.focusWidget() is panel.search_field
    row = panel.model.row_of(inv_id)
    assert row is not None
    values = panel.model.row_values(row)
    assert (values[4], values[5], values[8]) == ("zugesagt", "Telefon", second_forum.data.title)
    assert values[12].startswith(os_user())
    assert os_user() in panel.editor.entered_label.text()
    # both steps can be undone, last first
    harness.ctx.undo_stack.undo()
    assert invitation(demo_db, inv_id).forum_id is None
    harness.ctx.undo_stack.undo()
    assert invitation(demo_db, inv_id).status is InvitationStatus.INVITED


def test_status_keys_are_documented_in_the_context_menu(harness: Harness) -> None:
    panel = harness.panel
    keys = {status: action.shortcut().toString() for status, action in panel.status_actions.items()}
    assert keys == {status: key for status, key, _digit in STATUS_KEYS}
    for status, key, digit in STATUS_KEYS:
        action = panel.status_actions[status]
        assert f"Taste {key}" in action.toolTip() and f"Alt+{digit}" in action.toolTip()
        assert action in panel.table.actions()
    assert "Z = zugesagt" in panel.table.toolTip()
    assert "Z = zugesagt" in panel.editor.toolTip()


def test_alt_digit_works_from_the_search_field(qtbot, harness: Harness, demo_db: Database) -> None:
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.INVITED)[1]
    search_and_select(qtbot, panel, f"{last} {first}")
    panel.focus_search()
    qtbot.keyClick(panel.search_field, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # 4 = abgesagt
    assert invitation(demo_db, inv_id).status is InvitationStatus.DECLINED


def _fill_forum(database: Database, year: int, forum_index: int) -> tuple[int, str]:
    """Set the capacity of a forum to exactly the seats booked now (at least one): it is full."""
    conf_id = conference_id(database, year)
    record = editing.get_conference(database, conf_id)
    forum = record.forums[forum_index]
    with database.read_session() as s:
        booked = {o.name: o.booked for o in replies.occupancy(s, conf_id)}[forum.data.title]
    forums = [(f.id, f.data) for f in record.forums]
    forums[forum_index] = (forum.id, editing.ForumData(forum.data.title, capacity=max(booked, 1)))
    editing.update_conference(database, conf_id, record.data, record.version, forums=forums)
    if booked == 0:
        someone = invited_persons(database, year, InvitationStatus.INVITED)[-1][0]
        replies.record_reply(database, someone, replies.Reply(InvitationStatus.ACCEPTED, forum_id=forum.id))
    return forum.id, forum.data.title


def test_overbooking_a_forum_asks_and_offers_the_waiting_list(
    qtbot, harness: Harness, demo_db: Database
) -> None:
    panel = harness.panel
    forum_id, title = _fill_forum(demo_db, 2026, 2)
    harness.ctx.announce(CONFERENCES)
    harness.area.select_conference(conference_id(demo_db, 2026))
    assert f"{title} " in panel.occupancy_label.text() and "voll" in panel.occupancy_label.text()
    candidates = invited_persons(demo_db, 2026, InvitationStatus.INVITED)
    first_id, last, first = candidates[0]
    with demo_db.read_session() as s:
        last_place = s.scalar(
            sa.select(sa.func.max(Invitation.waitlist_position)).where(
                Invitation.conference_id == conference_id(demo_db, 2026)
            )
        )

    search_and_select(qtbot, panel, f"{last} {first}")
    panel.editor.forum.setCurrentIndex(panel.editor.forum.findData(forum_id))
    warning: list[str] = []

    def waitlist(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        warning.append(box.text())
        click_button(box, "Auf die Warteliste setzen")

    run_modal(qtbot, lambda: qtbot.keyClick(panel.table, Qt.Key.Key_Z), waitlist)
    assert f"Das Forum „{title}“ ist voll" in warning[0]
    saved = invitation(demo_db, first_id)
    assert (saved.status, saved.forum_id) == (InvitationStatus.WAITLIST, forum_id)
    assert saved.waitlist_position == (last_place or 0) + 1

    # the next one is accepted anyway: the forum is overbooked and the list says so
    second_id, last, first = candidates[1]
    panel.search_field.clear()
    search_and_select(qtbot, panel, f"{last} {first}")
    panel.editor.forum.setCurrentIndex(panel.editor.forum.findData(forum_id))
    run_modal(
        qtbot,
        lambda: qtbot.keyClick(panel.table, Qt.Key.Key_Z),
        lambda box: click_button(box, "Trotzdem zusagen (überbuchen)"),
    )
    saved = invitation(demo_db, second_id)
    assert (saved.status, saved.forum_id) == (InvitationStatus.ACCEPTED, forum_id)
    assert "überbucht" in panel.occupancy_label.text()

    # "Abbrechen" stores nothing
    third_id, last, first = candidates[2]
    panel.search_field.clear()
    search_and_select(qtbot, panel, f"{last} {first}")
    panel.editor.forum.setCurrentIndex(panel.editor.forum.findData(forum_id))
    run_modal(
        qtbot, lambda: qtbot.keyClick(panel.table, Qt.Key.Key_Z), lambda box: click_button(box, "Abbrechen")
    )
    assert invitation(demo_db, third_id).status is InvitationStatus.INVITED

    # a cancellation frees a seat: the panel names who is next on the waiting list
    panel.search_field.clear()
    search_and_select(qtbot, panel, f"{candidates[1][1]} {candidates[1][2]}")
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    assert invitation(demo_db, second_id).status is InvitationStatus.DECLINED
    with demo_db.read_session() as s:
        following = replies.waitlist(s, conference_id(demo_db, 2026))
    assert panel.notice.isVisible()
    assert "Als Nächste auf der Warteliste: 1." in panel.notice_label.text()
    assert following[-1] == first_id
    panel.notice_button.click()  # "Warteliste zeigen"
    assert set(panel.model.ids()) == set(following)


def test_bulk_status_change_and_undo(qtbot, harness: Harness, demo_db: Database) -> None:
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    panel.set_status_filter(frozenset({InvitationStatus.PLANNED}))
    ids = panel.model.ids()[:3]
    before = {i: invitation(demo_db, i).status for i in ids}
    assert set(before.values()) == {InvitationStatus.PLANNED}
    panel.table.setFocus()
    panel.table.selectRow(0)
    for row in (1, 2):
        qtbot.mouseClick(
            panel.table.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            panel.table.visualRect(panel.model.index(row, 0)).center(),
        )
    assert sorted(panel.selected_ids()) == sorted(ids)
    asked: list[str] = []

    def enter(box: QWidget) -> None:  # the harmless answer is the default: Enter changes nothing
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        qtbot.keyClick(box, Qt.Key.Key_Return)

    run_modal(
        qtbot, lambda: qtbot.keyClick(panel.table, Qt.Key.Key_E), enter
    )  # E = eingeladen, for all three
    assert asked == ["Den Status von 3 Einladungen auf „eingeladen“ setzen? Strg+Z macht es rückgängig."]
    assert {i: invitation(demo_db, i).status for i in ids} == before

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    # the same action once more (offscreen, the window does not get the focus back for the key)
    run_modal(qtbot, panel.status_actions[InvitationStatus.INVITED].trigger, yes)
    assert {invitation(demo_db, i).status for i in ids} == {InvitationStatus.INVITED}
    assert not set(ids) & set(panel.model.ids())  # they left the filtered list
    assert harness.ctx.undo_stack.undoText() == "Status „eingeladen“ für 3 Einladungen"
    harness.ctx.undo_stack.undo()
    assert {i: invitation(demo_db, i).status for i in ids} == before
    harness.ctx.undo_stack.redo()
    assert {invitation(demo_db, i).status for i in ids} == {InvitationStatus.INVITED}
    # bulk waiting list: in list order, behind those already waiting
    panel.set_status_filter(None)
    assert run_modal(qtbot, lambda: panel.apply_status(InvitationStatus.WAITLIST, ids), yes)
    with demo_db.read_session() as s:
        assert replies.waitlist(s, conference_id(demo_db, 2026))[-3:] == ids


def test_bulk_acceptance_counts_the_seats_in_the_change(
    harness: Harness, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full venue: the bulk "zugesagt" asks (with the warning counted in the transaction of the change);
    Abbrechen changes nothing, "überbuchen" seats all."""
    import ui.conferences.invitation_panel as panel_module
    from ui.conferences.widgets import Overbooking

    panel = harness.panel
    conf_id = conference_id(demo_db, 2026)
    record = editing.get_conference(demo_db, conf_id)
    with demo_db.read_session() as s:
        booked = replies.occupancy(s, conf_id)[0].booked
    editing.update_conference(
        demo_db, conf_id, dataclasses.replace(record.data, capacity=booked), record.version
    )
    harness.area.select_conference(conf_id)
    panel.set_status_filter(frozenset({InvitationStatus.PLANNED}))
    ids = panel.model.ids()[:2]
    asked: list[list[str]] = []
    answers = [Overbooking.CANCEL, Overbooking.OVERBOOK]

    def answer(_parent: object, warnings: list[str], **_kwargs: object) -> Overbooking:
        asked.append(warnings)
        return answers.pop(0)

    monkeypatch.setattr(panel_module, "ask_overbooking", answer)
    monkeypatch.setattr(panel_module, "confirm", lambda *_a: True)  # the count question: see above
    assert not panel.apply_status(InvitationStatus.ACCEPTED, ids)
    assert {invitation(demo_db, i).status for i in ids} == {InvitationStatus.PLANNED}
    assert "Der Veranstaltungsort ist voll" in asked[0][0]
    assert panel.apply_status(InvitationStatus.ACCEPTED, ids)
    assert {invitation(demo_db, i).status for i in ids} == {InvitationStatus.ACCEPTED}


def test_substitute_with_name_and_taken_into_the_register(
    qtbot, harness: Harness, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.INVITED)[2]
    search_and_select(qtbot, panel, f"{last} {first}")
    asked: list[str] = []

    def get_text(_parent: QWidget, title: str, *args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(title)
        return "  Jana   Vogel ", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    qtbot.keyClick(panel.table, Qt.Key.Key_V)
    assert asked == ["Vertreten durch"]
    saved = invitation(demo_db, inv_id)
    assert (saved.status, saved.substitute_name, saved.substitute_person_id) == (
        InvitationStatus.SUBSTITUTED,
        "Jana Vogel",
        None,
    )
    panel.select_id(inv_id)
    assert panel.editor.substitute.text() == "Jana Vogel"

    def take_over(dialog: QWidget) -> None:
        assert isinstance(dialog, QuickPersonDialog)
        assert (dialog.first_name.text(), dialog.last_name.text()) == ("Jana", "Vogel")
        assert dialog.organisation_id() == saved.organisation_id  # same organisation as the invitee
        qtbot.keyClicks(dialog.email, "jana.vogel@example.org")
        click_button(dialog, "Anlegen")

    run_modal(qtbot, panel.editor.take_over_button.click, take_over)
    saved = invitation(demo_db, inv_id)
    assert saved.substitute_person_id is not None
    with demo_db.read_session() as s:
        person = s.get_one(Person, saved.substitute_person_id)
        assert (person.first_name, person.last_name, person.email) == (
            "Jana",
            "Vogel",
            "jana.vogel@example.org",
        )
    # the substitute is found by name in the list
    panel.search_field.clear()
    panel.search_field.setText("jana vogel")
    panel.list_panel.apply_search()
    assert inv_id in panel.model.ids()


def test_reply_details_are_saved_with_enter(qtbot, harness: Harness, demo_db: Database) -> None:
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.ACCEPTED)[0]
    before = invitation(demo_db, inv_id)
    search_and_select(qtbot, panel, f"{last} {first}")
    panel.editor.companions.setFocus()
    panel.editor.companions.setValue(2)
    panel.editor.diet.setFocus()
    panel.editor.diet.clear()
    qtbot.keyClicks(panel.editor.diet, "vegan")
    qtbot.keyClick(panel.editor.diet, Qt.Key.Key_Return)
    saved = invitation(demo_db, inv_id)
    assert (saved.companions, saved.needs_diet, saved.status) == (2, "vegan", InvitationStatus.ACCEPTED)
    # an edit keeps the date and the channel of the reply
    assert (saved.replied_on, saved.reply_channel) == (before.replied_on, before.reply_channel)

    # an edit not yet saved is saved when the user moves on to another invitation
    panel.search_field.clear()
    panel.list_panel.apply_search()
    panel.select_id(inv_id)
    panel.editor.accessibility.setText("Rollstuhl")
    row = panel.model.row_of(inv_id)
    assert row is not None
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down if row == 0 else Qt.Key.Key_Up)
    assert panel.current_id() != inv_id
    assert invitation(demo_db, inv_id).needs_accessibility == "Rollstuhl"
    assert panel.editor.accessibility.text() != "Rollstuhl" or panel.current_id() == inv_id


@pytest.mark.parametrize("choice", ["overwrite", "discard"])
def test_a_reply_changed_at_another_workplace_meanwhile_is_never_overwritten_silently(
    qtbot, harness: Harness, demo_db: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    """Two staff members edit the same reply: the second save shows both versions; the user chooses."""
    from konferenz.conferences import replies
    from ui.widgets.registry_dialogs import ConflictChoice

    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.ACCEPTED)[0]
    search_and_select(qtbot, panel, f"{last} {first}")
    # meanwhile at another workplace: two companions and a diet
    other = invitation(demo_db, inv_id)
    replies.record_reply(
        demo_db,
        inv_id,
        replies.Reply(
            status=other.status,
            replied_on=other.replied_on,
            forum_id=other.forum_id,
            companions=2,
            needs_diet="halal",
        ),
        allow_overbooking=True,
    )
    asked: list[tuple[str, list[tuple[str, str, str]]]] = []

    def ask(what: str, differences: list[tuple[str, str, str]]) -> ConflictChoice:
        asked.append((what, list(differences)))
        return ConflictChoice(choice)

    monkeypatch.setattr(panel, "ask_conflict", ask)
    panel.editor.accessibility.setText("Rollstuhl")
    assert panel.save_reply(refocus=False) is (choice == "overwrite")
    assert len(asked) == 1
    what, differences = asked[0]
    assert last in what
    assert ("Begleitpersonen", "0", "2") in differences
    assert ("Ernährung", "", "halal") in differences
    assert ("Barrierefreiheit", "Rollstuhl", "") in differences
    stored = invitation(demo_db, inv_id)
    if choice == "overwrite":
        assert (stored.needs_accessibility, stored.companions, stored.needs_diet) == ("Rollstuhl", 0, "")
    else:  # the other workplace's reply stays, and the panel shows it
        assert (stored.needs_accessibility, stored.companions, stored.needs_diet) == ("", 2, "halal")
        panel.select_id(inv_id)
        qtbot.waitUntil(lambda: panel.editor.diet.text() == "halal", timeout=5000)


# --- reminders and Excel --------------------------------------------------------------------------------


def test_reminder_list_and_excel_export(
    qtbot, harness: Harness, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    deadline = editing.get_conference(demo_db, conference_id(demo_db, 2026)).data.reply_deadline
    assert deadline is not None
    # before the deadline: the user is asked and may say no
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert panel.show_reminders(today=deadline) == []
    after = deadline + dt.timedelta(days=1)
    listed = panel.show_reminders(today=after)
    with demo_db.read_session() as s:
        expected = replies.reminder_candidates(s, 2026, today=after)
    assert sorted(listed) == expected and len(expected) > 10
    assert panel.status_filter.currentData() == InvitationStatus.awaiting_reply()
    assert f"Erinnerungsliste: {len(expected)} Eingeladene ohne Rückmeldung" in panel.notice_label.text()

    target = tmp_path / "erinnerung.xlsx"
    monkeypatch.setattr(
        "ui.widgets.dialog_tools.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    panel.notice_button.click()  # "Als Excel speichern …"
    assert target.is_file()
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == InvitationList.EXPORT_HEADERS
    assert len(rows) - 1 == len(expected)
    with demo_db.read_session() as s:
        names = InvitationList(conference_id(demo_db, 2026)).rows(s, expected)
    assert {r[0] for r in rows[1:]} == {v[0] for v in names.values()}
    assert {r[4] for r in rows[1:]} <= {"eingeladen", "keine Rückmeldung"}


# --- statistics -----------------------------------------------------------------------------------------


def _independent_counts(database: Database, year: int) -> dict[str, dict[str, list[int]]]:
    """Per category and per municipality: invited, replied, accepted, declined, attended — by SQL here."""
    replied = {
        InvitationStatus.ACCEPTED,
        InvitationStatus.DECLINED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.WAITLIST,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
    accepted = {
        InvitationStatus.ACCEPTED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
    org = aliased(Organisation)
    result: dict[str, dict[str, list[int]]] = {"category": {}, "municipality": {}}
    with database.read_session() as s:
        rows = s.execute(
            sa.select(Invitation.status, Category.name, Municipality.name)
            .join(Conference, Conference.id == Invitation.conference_id)
            .outerjoin(Person, Person.id == Invitation.person_id)
            .outerjoin(org, org.id == Invitation.organisation_id)
            .outerjoin(Category, Category.id == sa.func.coalesce(Person.category_id, org.category_id))
            .outerjoin(
                Municipality, Municipality.id == sa.func.coalesce(Person.municipality_id, org.municipality_id)
            )
            .where(Conference.year == year)
        ).all()
    for status, category, municipality in rows:
        values = [
            int(status is not InvitationStatus.PLANNED),
            int(status in replied),
            int(status in accepted),
            int(status is InvitationStatus.DECLINED),
            int(status is InvitationStatus.ATTENDED),
        ]
        for kind, name in (
            ("category", category or statistics.NO_CATEGORY),
            ("municipality", municipality or statistics.OUTSIDE),
        ):
            counts = result[kind].setdefault(name, [0] * 5)
            result[kind][name] = [a + b for a, b in zip(counts, values, strict=True)]
    return result


def _table_rows(table) -> dict[str, list[int]]:
    rows = {}
    for r in range(table.rowCount()):
        name = table.item(r, 0).text()
        rows[name] = [int(table.item(r, c).text().replace(".", "")) for c in range(1, 6)]
    return rows


def test_statistics_match_independent_counts(
    qtbot, harness: Harness, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness.area.select_conference(conference_id(demo_db, 2025))
    dialog = harness.area.show_statistics()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, StatisticsDialog)
    assert dialog.year() == 2025
    expected = _independent_counts(demo_db, 2025)
    shown = _table_rows(dialog.category_table)
    total = shown.pop("Gesamt")
    assert shown == expected["category"]
    assert total == [sum(v[i] for v in expected["category"].values()) for i in range(5)]
    municipalities = _table_rows(dialog.municipality_table)
    municipalities.pop("Gesamt")
    assert municipalities == expected["municipality"]
    # MSO share among the invited, computed here
    with demo_db.read_session() as s:
        mso = {
            c.name for c in s.scalars(sa.select(Category).where(Category.is_migrant_organisation.is_(True)))
        }
    share = sum(v[0] for k, v in expected["category"].items() if k in mso) / total[0]
    assert f"{share * 100:.1f} %".replace(".", ",") in dialog.summary.text()
    # the chart shows the categories
    assert dialog.category_chart.groups == list(expected["category"]) or set(
        dialog.category_chart.groups
    ) == set(expected["category"])
    dialog.category_chart.grab()  # paints without errors

    # all years side by side
    years = {}
    for r in range(dialog.years_table.rowCount()):
        years[int(dialog.years_table.item(r, 0).text())] = [
            int(dialog.years_table.item(r, c).text().replace(".", "")) for c in range(1, 6)
        ]
    assert sorted(years) == [2023, 2024, 2025, 2026]
    for year, values in years.items():
        counts = _independent_counts(demo_db, year)["category"]
        assert values == [sum(v[i] for v in counts.values()) for i in range(5)], year
    dialog.tabs.setCurrentIndex(1)
    dialog.years_chart.grab()

    target = tmp_path / "statistik.xlsx"
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert dialog.export_excel(target) == target
    overview = openpyxl.load_workbook(target)["Übersicht"]
    rows = list(overview.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [2023, 2024, 2025, 2026]
    assert [list(r[2:7]) for r in rows[1:]] == [years[y] for y in (2023, 2024, 2025, 2026)]


# --- the main window ------------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, demo_db: Database) -> MainWindow:
    from ui.shell.main_window import MainWindow  # the whole window: every area

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    qtbot.waitExposed(win)
    return win


def test_menu_konferenz_and_ctrl_f(qtbot, window: MainWindow, demo_db: Database) -> None:
    menus = {
        m.text(): [x.text() for x in m.menu().actions() if not x.isSeparator()]
        for m in window.menuBar().actions()
        if m.menu() is not None
    }
    assert menus["&Konferenz"] == [
        "&Neue Konferenz …",
        "Konferenz &bearbeiten …",
        "&Vorjahr kopieren …",
        "&Einladen …",
        "E&rinnerungsliste",
        "Einladungen per E-&Mail …",
        "Er&innerung per E-Mail …",
        "E-Mail-Ent&würfe bestätigen …",
        "E-Mail-Einstellun&gen …",
        "&Check-in …",
        "&Statistik …",
        "&Drucken",
    ]
    konferenz = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Konferenz")
    printing = next(a.menu() for a in konferenz.actions() if a.text() == "&Drucken")
    assert [a.text() for a in printing.actions() if not a.isSeparator()] == [
        "&Serienbriefe …",
        "&Adressetiketten …",
        "&Namensschilder …",
        "&Unterschriftenliste …",
        "&Teilnehmerliste …",
        "Teilnahme&bescheinigungen …",
        "Brief&vorlagen …",
        "Briefkopf und Abs&ender …",
    ]
    titles = [m.text() for m in window.menuBar().actions()]
    assert titles.index("&Konferenz") < titles.index("&Hilfe")
    window.show_area(0)
    window.conference_actions.statistics.trigger()  # switches to the Konferenzen area
    assert window.current_area_name() == "Konferenzen"
    for dialog in window.findChildren(StatisticsDialog):
        dialog.close()
    area = window.areas["Konferenzen"]
    assert isinstance(area, ConferencesArea)
    assert area.invitations.model.rowCount() > 0
    area.invitations.table.setFocus()
    qtbot.keyClick(area.invitations.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is area.invitations.search_field
    assert window.conference_actions.invite.shortcut().toString() == "Ctrl+Shift+E"
    assert window.conference_actions.checkin.shortcut().toString() == "Ctrl+Shift+C"


def test_printing_menu_opens_each_dialog_for_the_chosen_conference_and_selection(
    qtbot, window: MainWindow, demo_db: Database
) -> None:
    """Konferenz → Drucken: each entry opens its dialog for the conference chosen in the Konferenzen
    area; letters and labels offer the invitations selected in the list."""
    from ui.paper.dialogs.letters_dialog import LettersDialog
    from ui.paper.dialogs.print_dialogs import AttendeesDialog, BadgesDialog, LabelsDialog, SigninDialog
    from ui.paper.dialogs.sender_dialog import SenderSettingsDialog
    from ui.paper.dialogs.template_editor import TemplateEditorDialog

    area = window.areas["Konferenzen"]
    assert isinstance(area, ConferencesArea)
    conf_id = conference_id(demo_db, 2025)
    area.select_conference(conf_id)
    table = area.invitations.table
    table.selectRow(0)
    table.selectionModel().select(
        table.model().index(1, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    selected = area.invitations.selected_ids()
    assert len(selected) == 2
    window.show_area(0)
    c = window.conference_actions
    for action, kind in (
        (c.letters, LettersDialog),
        (c.labels, LabelsDialog),
        (c.badges, BadgesDialog),
        (c.signin_sheet, SigninDialog),
        (c.attendee_list, AttendeesDialog),
        (c.templates, TemplateEditorDialog),
        (c.sender, SenderSettingsDialog),
    ):
        action.trigger()
        assert window.current_area_name() == "Konferenzen"
        dialogs = [d for d in window.findChildren(kind) if d.isVisible()]
        assert len(dialogs) == 1, kind
        dialog = dialogs[0]
        if isinstance(dialog, LabelsDialog):
            assert dialog.invitation_ids == tuple(selected)
            assert "2025" in dialog.windowTitle()
        if isinstance(dialog, LettersDialog):
            assert "2025" in dialog.windowTitle()
        dialog.close()
        qtbot.waitUntil(lambda kind=kind: not [d for d in window.findChildren(kind) if d.isVisible()])
    # the area's own button "Drucken" offers the same paper
    assert area.buttons["print"].isEnabled()
    entries = area.print_menu.actions()
    assert [a.text() for a in entries] == [
        "Serienbriefe …",
        "Adressetiketten …",
        "Namensschilder …",
        "Unterschriftenliste …",
        "Teilnehmerliste …",
    ]
    entries[3].trigger()
    assert [d for d in window.findChildren(SigninDialog) if d.isVisible()]


def test_datei_datenschutz_opens_for_the_person_chosen_in_adressen(
    qtbot, window: MainWindow, demo_db: Database
) -> None:
    from ui.addresses.privacy_dialog import PrivacyDialog

    window.show_area(0)
    page = window.address_area.person_page
    page.panel.table.selectRow(0)
    person_id = page.current_id()
    assert person_id is not None
    window.file_actions.privacy.trigger()
    dialogs = [d for d in window.findChildren(PrivacyDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].person_id() == person_id
    dialogs[0].close()
    # the list's context menu offers the same for the person under the cursor
    opened: list[int] = []
    window.address_area.privacy_requested.connect(opened.append)

    menu = page.table_menu()
    entry = next(a for a in menu.actions() if a.text().startswith("&Datenschutz"))
    entry.trigger()
    menu.deleteLater()
    assert opened == [person_id]
    qtbot.waitUntil(lambda: len([d for d in window.findChildren(PrivacyDialog) if d.isVisible()]) == 1)


def test_every_control_of_the_area_has_an_accessible_name(harness: Harness) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QTableView

    kinds = (QLineEdit, QTableView, QComboBox, QSpinBox, QAbstractButton, QPlainTextEdit)
    controls = [
        w
        for w in harness.area.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisibleTo(harness.area) and w.objectName() != "qt_spinbox_lineedit"
    ]
    nameless = [
        f"{type(w).__name__} {w.objectName()} {getattr(w, 'text', lambda: '')()}"
        for w in controls
        if not w.accessibleName()
        and not (isinstance(w, QAbstractButton) and w.text())
        and type(w).__name__ not in ("QToolButton",)  # the toolbar's buttons show their text
    ]
    assert nameless == []


# --- 100,000 persons ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """100,000 persons (demo) and a conference with 5,000 invitations."""
    path = tmp_path_factory.mktemp("large") / "large.sqlite"
    database = open_database(path)
    generate_demo(database, persons=100_000, seed=1)
    new_conference.create_conference(
        database,
        editing.ConferenceData(year=2027, title="Integrationskonferenz 2027", capacity=5000),
        [editing.ForumData(f"Forum {n}", capacity=400) for n in range(1, 5)],
    )
    with database.read_session() as s:
        person_ids = list(s.scalars(sa.select(Person.id).order_by(Person.id).limit(5000)))
    result = inviting.invite(database, 2027, inviting.InviteeFilter(person_ids=person_ids))
    assert result.invited == 5000
    yield database
    database.dispose()


@pytest.mark.slow
def test_invitation_list_of_5000_among_100000_persons_stays_fast(qtbot, large_db: Database) -> None:
    h = Harness(large_db)
    qtbot.addWidget(h.area)
    h.area.resize(1300, 850)
    h.area.show()
    h.model.refresh()
    qtbot.waitExposed(h.area)
    panel = h.panel
    conf_id = conference_id(large_db, 2027)
    timings: dict[str, float] = {}

    def timed(name: str, work: Callable[[], object]) -> None:
        start = time.perf_counter()
        work()
        panel.model.row_values(0)  # the first block, as the view asks for it
        panel.table.viewport().repaint()
        timings[name] = time.perf_counter() - start

    timed("open", lambda: h.area.select_conference(conf_id))
    assert panel.model.rowCount() == 5000
    timed("refresh", panel.model.refresh)
    timed("search", lambda: panel.model.set_search("a"))
    assert 0 < panel.model.rowCount() < 5000
    timed("search 2 words", lambda: panel.model.set_search("mueller bocholt"))
    panel.model.set_search("")
    timed("filter", lambda: panel.set_status_filter(frozenset({InvitationStatus.PLANNED})))
    assert panel.model.rowCount() == 5000
    timed("sort by category", lambda: panel.model.sort(2, Qt.SortOrder.DescendingOrder))
    timed("sort by status", lambda: panel.model.sort(4))
    panel.model.sort(0)
    start = time.perf_counter()
    panel.apply_status(InvitationStatus.INVITED, [panel.model.id_at(0)])
    timings["reply + refresh"] = time.perf_counter() - start
    print(
        "\nEinladungsliste, 5.000 von 100.000 Personen (s): "
        + ", ".join(f"{k} {v:.3f}" for k, v in timings.items())
    )
    assert max(timings.values()) < 1.0, timings


def test_dialogs_close_without_saving(qtbot, harness: Harness, demo_db: Database) -> None:
    before = editing.get_conference(demo_db, conference_id(demo_db, 2026))
    run_modal(qtbot, harness.area.edit_conference, lambda d: d.reject())
    assert editing.get_conference(demo_db, conference_id(demo_db, 2026)) == before
    assert run_modal(qtbot, harness.area.copy_conference, lambda d: d.reject()) is None


def test_a_reply_without_a_recorded_invitation_gets_a_hint(
    qtbot, harness: Harness, demo_db: Database
) -> None:
    """Issue 17: someone only "vorgemerkt" set to "zugesagt" – with "eingeladen am" empty – said nothing."""
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    planned = invited_persons(demo_db, 2026, InvitationStatus.PLANNED)
    inv_id, last, first = next(p for p in planned if invitation(demo_db, p[0]).invited_on is None)
    search_and_select(qtbot, panel, f"{last} {first}")
    assert panel.current_id() == inv_id
    qtbot.keyClick(panel.table, Qt.Key.Key_Z)  # Z = zugesagt
    assert invitation(demo_db, inv_id).status is InvitationStatus.ACCEPTED  # stored all the same
    assert panel.notice.isVisible()
    text = panel.notice_label.text()
    assert "keine Einladung vermerkt" in text and "„vorgemerkt“" in text and last in text


@pytest.mark.parametrize("width", [1000, 1280, 1920])
def test_the_reply_pane_keeps_its_height_when_a_row_is_chosen(
    qtbot, harness: Harness, demo_db: Database, width: int
) -> None:
    """Issue 17: the Rückmeldung pane jumped vertically when a row was selected (and the list with it)."""
    harness.area.resize(width, 800)
    panel = harness.panel
    harness.area.select_conference(conference_id(demo_db, 2026))
    panel.table.clearSelection()
    panel.table.setCurrentIndex(panel.model.index(-1, 0))
    qtbot.wait(50)
    empty = (panel.editor.height(), panel.table.height())
    _inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.INVITED)[0]
    search_and_select(qtbot, panel, f"{last} {first}")
    qtbot.waitUntil(lambda: panel.editor.details is not None)
    qtbot.wait(50)
    assert (panel.editor.height(), panel.table.height()) == empty


def test_the_einladen_dialog_starts_in_its_first_list(qtbot, demo_db: Database) -> None:
    """Issue 17: in the Einladen dialog the lists had no visible focus and Space/arrows did nothing
    until Alt+K."""
    dialog = InviteDialog(demo_db, 2026)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.categories
    assert "QListWidget:focus" in dialog.categories.styleSheet()  # the frame shows the focus
    first = dialog.categories.item(0)
    qtbot.keyClick(dialog.categories, Qt.Key.Key_Space)
    assert first.checkState() == Qt.CheckState.Checked
    qtbot.keyClick(dialog.categories, Qt.Key.Key_Down)
    assert dialog.categories.currentRow() == 1
    qtbot.keyClick(dialog.categories, Qt.Key.Key_Space)
    assert dialog.categories.item(1).checkState() == Qt.CheckState.Checked
