"""The check-in window at the entrance, worked by keyboard only: check in two invitees, a walk-in who is
new and one from the register, undo, the counter, and closing the event. The database is checked after
every step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import test_conferences_area as area_tests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from test_conferences_area import Harness, conference_id, invitation, invited_persons, run_modal

from konferenz.conferences import replies
from konferenz.enums import InvitationStatus
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Person
from konferenz.text import fold
from ui.conferences.checkin_window import CheckInWindow, PersonPickerDialog
from ui.conferences.widgets import QuickPersonDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

# the fixtures of the Konferenzen area tests: a demo database (300 persons, 2023–2026) and the area
_fresh_settings = area_tests._fresh_settings
demo_template = area_tests.demo_template
demo_db = area_tests.demo_db
harness = area_tests.harness


@pytest.fixture
def checkin(qtbot, harness: Harness, demo_db: Database) -> Iterator[CheckInWindow]:
    assert harness.area.select_conference(conference_id(demo_db, 2026))
    window = harness.area.open_checkin(full_screen=False)
    assert window is not None
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    yield window
    if harness.area.checkin_window is not None:  # deletes itself when closed
        window.close()


def counts(database: Database) -> tuple[int, int]:
    """(present, said yes and present or expected) of 2026, by SQL."""
    with database.read_session() as s:
        rows = dict(
            s.execute(
                sa.select(Invitation.status, sa.func.count())
                .where(Invitation.conference_id == conference_id(database, 2026))
                .group_by(Invitation.status)
            ).all()
        )
    present = rows.get(InvitationStatus.ATTENDED, 0)
    expected = rows.get(InvitationStatus.ACCEPTED, 0) + rows.get(InvitationStatus.SUBSTITUTED, 0)
    return present, present + expected


def type_name(qtbot, window: CheckInWindow, text: str) -> None:
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, fold(text))
    qtbot.waitUntil(lambda: window.model.search_text == fold(text).strip())


def test_check_in_two_people_and_walk_ins(
    qtbot, checkin: CheckInWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = checkin
    assert window.search_field.hasFocus()
    assert window.search_field.font().pointSizeF() > 1.8 * QApplication.font().pointSizeF()
    present, accepted = counts(demo_db)
    assert window.counter_label.text() == f"anwesend: {present} von {accepted} Zusagen"
    # the list starts with those expected
    first_status = window.model.row_values(0)[2]
    assert first_status in ("zugesagt", "vertreten")

    # 1. someone who said yes: type the name, Enter
    one_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.ACCEPTED)[0]
    type_name(qtbot, window, f"{last} {first}")
    assert window.model.rowCount() == 1
    with qtbot.waitSignal(window.checked_in):
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    saved = invitation(demo_db, one_id)
    assert saved.status is InvitationStatus.ATTENDED
    assert saved.checked_in_at is not None and saved.checked_in_at.date() == dt.date.today()
    assert window.confirmation.text().startswith("✓ Willkommen: ")
    assert last in window.confirmation.text()
    assert window.search_field.text() == "" and window.search_field.hasFocus()
    assert window.counter_label.text() == f"anwesend: {present + 1} von {accepted} Zusagen"

    # 2. someone chosen with the arrow keys among several matches: last name only, Down, Enter
    two_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.ACCEPTED)[1]
    type_name(qtbot, window, last)
    row = window.model.row_of(two_id)
    assert row is not None
    for _ in range(row):
        qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert window.selected_id() == two_id
    qtbot.keyClick(window.search_field, Qt.Key.Key_Enter)
    assert invitation(demo_db, two_id).status is InvitationStatus.ATTENDED
    assert counts(demo_db) == (present + 2, accepted)
    assert window.counter_label.text() == f"anwesend: {present + 2} von {accepted} Zusagen"

    # checking in twice says so and changes nothing
    type_name(qtbot, window, f"{last} {first}")
    window.check_in_selected()
    assert "schon angemeldet" in window.confirmation.text()
    assert counts(demo_db) == (present + 2, accepted)

    # Strg+Z undoes the last check-in
    qtbot.keyClick(window.search_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert invitation(demo_db, two_id).status is InvitationStatus.ACCEPTED
    assert window.counter_label.text() == f"anwesend: {present + 1} von {accepted} Zusagen"
    qtbot.keyClick(
        window.search_field,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert invitation(demo_db, two_id).status is InvitationStatus.ATTENDED

    # 3. a walk-in who is not in the register: Strg+N, a minimal form
    type_name(qtbot, window, "Hanna Weidemann")
    assert window.model.rowCount() == 0

    def new_person(dialog: QWidget) -> None:
        assert isinstance(dialog, QuickPersonDialog)
        assert (dialog.first_name.text(), dialog.last_name.text()) == ("hanna", "weidemann")
        dialog.first_name.setText("Hanna")
        dialog.last_name.setText("Weidemann")
        qtbot.keyClicks(dialog.email, "h.weidemann@example.org")
        qtbot.keyClick(dialog.email, Qt.Key.Key_Return)

    walk_in = run_modal(
        qtbot,
        lambda: qtbot.keyClick(window.search_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
        new_person,
    )
    with demo_db.read_session() as s:
        person = s.scalars(sa.select(Person).where(Person.last_name == "Weidemann")).one()
        inv = s.scalars(
            sa.select(Invitation).where(
                Invitation.person_id == person.id, Invitation.conference_id == conference_id(demo_db, 2026)
            )
        ).one()
        assert (person.first_name, person.email) == ("Hanna", "h.weidemann@example.org")
        assert inv.status is InvitationStatus.ATTENDED and inv.checked_in_at is not None
    assert walk_in is None  # the shortcut's return value; the window confirms instead
    assert "ohne Anmeldung, neu in den Adressen" in window.confirmation.text()

    # 4. a walk-in from the register (not invited): Strg+P, search, Down, Enter
    with demo_db.read_session() as s:
        outsiders = s.execute(
            sa.select(Person.id, Person.last_name, Person.first_name)
            .where(
                ~Person.id.in_(
                    sa.select(Invitation.person_id).where(
                        Invitation.conference_id == conference_id(demo_db, 2026),
                        Invitation.person_id.is_not(None),
                    )
                ),
                Person.anonymised_at.is_(None),
            )
            .order_by(Person.id)
        ).all()
    outsider = next(p for p in outsiders if fold(f"{p.last_name} {p.first_name}").isascii())

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, PersonPickerDialog)
        qtbot.keyClicks(dialog.panel.search_field, fold(f"{outsider.last_name} {outsider.first_name}"))
        qtbot.keyClick(dialog.panel.search_field, Qt.Key.Key_Down)
        assert dialog.model.id_at(dialog.panel.table.currentIndex().row()) == outsider.id
        qtbot.keyClick(dialog.panel.table, Qt.Key.Key_Return)

    window.search_field.clear()
    window.activateWindow()  # back from the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    run_modal(
        qtbot,
        lambda: qtbot.keyClick(window.search_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier),
        pick,
    )
    with demo_db.read_session() as s:
        status = s.scalar(
            sa.select(Invitation.status).where(
                Invitation.person_id == outsider.id, Invitation.conference_id == conference_id(demo_db, 2026)
            )
        )
    assert status is InvitationStatus.ATTENDED
    present_now, accepted_now = counts(demo_db)
    assert (present_now, accepted_now) == (present + 4, accepted + 2)  # walk-ins count as present and yes
    assert window.counter_label.text() == f"anwesend: {present_now} von {accepted_now} Zusagen"

    # 5. the end: everyone still expected → nicht erschienen, after a confirmation
    with demo_db.read_session() as s:
        expected_ids = set(
            s.scalars(
                sa.select(Invitation.id).where(
                    Invitation.conference_id == conference_id(demo_db, 2026),
                    Invitation.status.in_([InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED]),
                )
            )
        )
        no_shows_before = s.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(
                Invitation.conference_id == conference_id(demo_db, 2026),
                Invitation.status == InvitationStatus.NO_SHOW,
            )
        )
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    assert window.close_event() == 0  # "Nein": nothing happens
    assert counts(demo_db) == (present_now, accepted_now)
    assert window.close_event() == len(expected_ids)
    assert asked[1].startswith(
        f"{len(expected_ids)} von {accepted_now} Personen mit Zusage sind nicht angemeldet"
    )
    with demo_db.read_session() as s:
        statuses = {i: s.get_one(Invitation, i).status for i in expected_ids}
        no_shows = s.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(
                Invitation.conference_id == conference_id(demo_db, 2026),
                Invitation.status == InvitationStatus.NO_SHOW,
            )
        )
    assert set(statuses.values()) == {InvitationStatus.NO_SHOW}
    assert no_shows == no_shows_before + len(expected_ids)
    assert counts(demo_db) == (present_now, present_now)
    assert window.counter_label.text() == f"anwesend: {present_now} von {present_now} Zusagen"


def test_escape_clears_then_closes(qtbot, checkin: CheckInWindow, harness: Harness) -> None:
    window = checkin
    qtbot.keyClicks(window.search_field, "xyz")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.search_field.text() == "" and window.isVisible()
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: harness.area.checkin_window is None)


def test_ctrl_w_closes_and_enter_with_nobody_found(qtbot, checkin: CheckInWindow, harness: Harness) -> None:
    window = checkin
    type_name(qtbot, window, "gibtesnicht")
    assert window.model.rowCount() == 0
    assert not window.check_in_selected()
    assert window.confirmation.text().startswith("✗ Niemand gefunden")
    qtbot.keyClick(window.search_field, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: harness.area.checkin_window is None)


def test_checkin_of_a_declined_invitee_says_what_they_had_answered(
    qtbot, checkin: CheckInWindow, demo_db: Database
) -> None:
    inv_id, last, first = invited_persons(demo_db, 2026, InvitationStatus.DECLINED)[0]
    type_name(qtbot, checkin, f"{last} {first}")
    qtbot.keyClick(checkin.search_field, Qt.Key.Key_Return)
    assert invitation(demo_db, inv_id).status is InvitationStatus.ATTENDED
    assert "(bisher: abgesagt)" in checkin.confirmation.text()
    assert replies.capture_reply_states(demo_db, [inv_id])[0].status is InvitationStatus.ATTENDED
