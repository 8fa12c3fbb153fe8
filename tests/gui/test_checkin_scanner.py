"""The check-in window with a USB barcode scanner: 20 codes typed at scanner speed (key events without
delay, then Enter) into whatever has the focus – one code twice, one of another year, one unknown – and a
walk-in. After every scan the banner (words and symbol), the beeps and the database are checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import test_conferences_area as area_tests
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from test_conferences_area import Harness, conference_id, run_modal

from konferenz.conferences.checkin import ScanOutcome, code_payload
from konferenz.enums import InvitationStatus
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Person
from ui.conferences import checkin_window
from ui.conferences.checkin_window import CheckInWindow
from ui.conferences.widgets import QuickPersonDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

_fresh_settings = area_tests._fresh_settings
demo_template = area_tests.demo_template
demo_db = area_tests.demo_db
harness = area_tests.harness


@pytest.fixture
def beeps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(checkin_window, "beep", lambda: calls.append(1))
    return calls


@pytest.fixture
def window(qtbot, harness: Harness, demo_db: Database, beeps: list[int]) -> Iterator[CheckInWindow]:
    assert harness.area.select_conference(conference_id(demo_db, 2026))
    opened = harness.area.open_checkin(full_screen=False)
    assert opened is not None
    qtbot.waitExposed(opened)
    opened.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is opened)
    yield opened
    if harness.area.checkin_window is not None:
        opened.close()


def codes(database: Database, year: int) -> list[tuple[int, str, InvitationStatus]]:
    """(invitation id, check-in code, status) of every person invited to ``year``, in id order."""
    with database.read_session() as s:
        rows = s.execute(
            sa.select(Invitation.id, Invitation.checkin_token, Invitation.status)
            .where(
                Invitation.conference_id == conference_id(database, year), Invitation.person_id.is_not(None)
            )
            .order_by(Invitation.id)
        ).all()
    return [(iid, code_payload(year, token), status) for iid, token, status in rows]


def states(database: Database) -> dict[int, tuple[InvitationStatus, dt.datetime | None]]:
    with database.read_session() as s:
        return {
            iid: (status, at)
            for iid, status, at in s.execute(
                sa.select(Invitation.id, Invitation.status, Invitation.checked_in_at)
            )
        }


def scanner_types(text: str) -> None:
    """What a USB scanner does: one key event per character, no pause, then Enter – to the focus widget."""
    for char in text:
        target = QApplication.focusWidget()
        assert target is not None
        QTest.keyClick(target, char)
    target = QApplication.focusWidget()
    assert target is not None
    QTest.keyClick(target, Qt.Key.Key_Return)


def test_twenty_scans_at_scanner_speed_and_a_walk_in(
    qtbot, window: CheckInWindow, demo_db: Database, beeps: list[int]
) -> None:
    expected = [
        (iid, code) for iid, code, status in codes(demo_db, 2026) if status in InvitationStatus.expected()
    ]
    declined = next(
        (iid, code) for iid, code, status in codes(demo_db, 2026) if status is InvitationStatus.DECLINED
    )
    assert len(expected) >= 16
    other_year_id, other_year_code, _status = codes(demo_db, 2025)[0]
    before = states(demo_db)
    started = dt.datetime.now().replace(microsecond=0)

    # 16 expected, one who had declined, the first again, one of 2025, one unknown: 20 scans
    plan: list[tuple[str, ScanOutcome]] = [(code, ScanOutcome.CHECKED_IN) for _iid, code in expected[:16]]
    plan.insert(9, (declined[1], ScanOutcome.CHECKED_IN_UNEXPECTED))
    plan.insert(12, (expected[0][1], ScanOutcome.ALREADY))
    plan.insert(5, (other_year_code, ScanOutcome.OTHER_YEAR))
    plan.insert(15, ("KIK:2026:ABCDEFGHJK", ScanOutcome.UNKNOWN))
    assert len(plan) == 20
    signals = {"✓": 1, "!": 3, "✗": 3}
    symbol_of = {
        ScanOutcome.CHECKED_IN: "✓",
        ScanOutcome.CHECKED_IN_UNEXPECTED: "!",
        ScanOutcome.ALREADY: "!",
        ScanOutcome.OTHER_YEAR: "✗",
        ScanOutcome.UNKNOWN: "✗",
    }
    wanted_beeps = 0
    for number, (code, outcome) in enumerate(plan):
        if number == 3:
            window.table.setFocus()  # the list has the focus: the scanner's keys still reach the search field
        if number == 7:
            window.undo_button.setFocus()  # a button: neither pressed nor in the way
        if number in (3, 7):
            qtbot.waitUntil(lambda: not window.search_field.hasFocus())
        scanner_types(code)
        result = window.last_scan
        assert result is not None and result.outcome is outcome, (number, code, result)
        banner = window.confirmation.text()
        assert banner.startswith(symbol_of[outcome] + " "), banner
        wanted_beeps += signals[symbol_of[outcome]]
        assert window.search_field.text() == "" and window.search_field.hasFocus()
        if outcome is ScanOutcome.CHECKED_IN:
            assert "Willkommen: " in banner
        elif outcome is ScanOutcome.CHECKED_IN_UNEXPECTED:
            assert "bisher „abgesagt“" in banner
        elif outcome is ScanOutcome.ALREADY:
            first_at = states(demo_db)[expected[0][0]][1]
            assert first_at is not None
            assert f"ist bereits angemeldet um {first_at:%H:%M} Uhr" in banner
        elif outcome is ScanOutcome.OTHER_YEAR:
            assert "Dieser Code gehört zur Konferenz 2025, nicht zu 2026" in banner
        else:
            assert "Unbekannter Code" in banner
    qtbot.waitUntil(lambda: len(beeps) == wanted_beeps)

    # the database: exactly the 16 + 1 checked in, at the time of their scan; nothing else changed
    after = states(demo_db)
    checked = {iid for iid, _code in expected[:16]} | {declined[0]}
    assert {iid for iid in after if after[iid] != before[iid]} == checked
    for iid in checked:
        status, at = after[iid]
        assert status is InvitationStatus.ATTENDED
        assert at is not None and at >= started
    assert after[other_year_id] == before[other_year_id]
    present = sum(1 for status, _at in after.values() if status is InvitationStatus.ATTENDED)
    assert window.counter_label.text().startswith(f"anwesend: {present - count_attended_elsewhere(demo_db)} ")

    # Strg+Z takes back the last check-in
    last_id = expected[15][0]
    qtbot.keyClick(window.search_field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert states(demo_db)[last_id] == before[last_id]

    # a walk-in, not on the list: Strg+N, a minimal form, then checked in
    def new_person(dialog: QWidget) -> None:
        assert isinstance(dialog, QuickPersonDialog)
        dialog.first_name.setText("Leyla")
        dialog.last_name.setText("Kowalczyk-Doğan")
        qtbot.keyClick(dialog.last_name, Qt.Key.Key_Return)

    run_modal(
        qtbot,
        lambda: qtbot.keyClick(window.search_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
        new_person,
    )
    assert "ohne Anmeldung, neu in den Adressen" in window.confirmation.text()
    assert window.confirmation.text().startswith("✓ ")
    with demo_db.read_session() as s:
        person = s.scalars(sa.select(Person).where(Person.last_name == "Kowalczyk-Doğan")).one()
        walk_in = s.scalars(
            sa.select(Invitation).where(
                Invitation.person_id == person.id, Invitation.conference_id == conference_id(demo_db, 2026)
            )
        ).one()
        assert walk_in.status is InvitationStatus.ATTENDED and walk_in.checked_in_at is not None
        token = walk_in.checkin_token
    assert len(token) == 10
    # the walk-in's own new code is known at once
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and window.search_field.hasFocus())
    scanner_types(code_payload(2026, token))
    assert window.last_scan is not None and window.last_scan.outcome is ScanOutcome.ALREADY
    assert "Kowalczyk-Doğan" in window.confirmation.text()


def count_attended_elsewhere(database: Database) -> int:
    """Invitations attended at the other conferences (the counter counts 2026 only)."""
    with database.read_session() as s:
        return (
            s.scalar(
                sa.select(sa.func.count()).where(
                    Invitation.status == InvitationStatus.ATTENDED,
                    Invitation.conference_id != conference_id(database, 2026),
                )
            )
            or 0
        )


def test_typing_a_name_still_searches_and_a_code_does_not(
    qtbot, window: CheckInWindow, demo_db: Database
) -> None:
    window.search_field.setText("KIK:2026:ABC")
    window.apply_search()
    assert window.model.search_text == ""  # a code being scanned filters nothing
    window.search_field.clear()
    qtbot.keyClicks(window.search_field, "kik")  # a name beginning like the prefix, but without the colon
    window.apply_search()
    assert window.model.search_text == "kik"
