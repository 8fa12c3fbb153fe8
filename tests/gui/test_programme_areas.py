"""Programm, Protokoll and Ergebnisse driven like a user would, checked in the view and in the database.

The story of issue 7: an agenda with a Forenphase of three parallel forums is built, an item is moved
(Alt+Pfeil, and drag and drop through the model's drop path) and the times follow; minutes with two
recommendations are written; a year later the next conference's "Sachstand" item updates their status,
and the overdue one shows up under "nur überfällige" in Ergebnisse.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from konferenz.conferences.editing import ConferenceData, ForumData
from konferenz.enums import AgendaItemType, InvitationStatus, RecommendationStatus
from konferenz.programme import service as programme
from konferenz.programme.new_conference import create_conference
from konferenz.programme.service import ItemData
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Category,
    Forum,
    Invitation,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
)
from konferenz.text import search_text
from ui.programme.agenda_dialog import AgendaItemDialog, ForumAssignDialog
from ui.programme.area import ProgrammeArea
from ui.programme.minutes_area import MinutesArea
from ui.programme.recommendation_dialog import RecommendationDialog
from ui.programme.results_area import ResultsArea
from ui.settings import settings
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

TODAY = dt.date.today()
#: the conference of "last year" took place long enough ago for its recommendations to be overdue now
LAST_YEAR = TODAY.year - 1
THIS_YEAR = TODAY.year

FORUMS = (
    ForumData("Sprache und Bildung", room="Raum 1", moderation="Ayşe Öztürk"),
    ForumData("Arbeit und Ausbildung", room="Raum 2", moderation="Олена Коваленко"),
    ForumData("Wohnen und Nachbarschaft", room="Raum 3", moderation="Nguyễn Thị Lan"),
)
AGENDA = (
    ItemData("Begrüßung", 20, AgendaItemType.WELCOME, speakers="Landrat", room="Saal"),
    ItemData("Impulsvortrag", 45, AgendaItemType.TALK, speakers="Prof. Dr. Mohammed al-Hassan", room="Saal"),
    ItemData("Forenphase", 90, AgendaItemType.FORUM_PHASE, responsible_staff="Schulte"),
    ItemData("Kaffeepause", 15, AgendaItemType.BREAK),
    ItemData("Ergebnisse aus den Foren", 30, AgendaItemType.RESULTS),
    ItemData("Abschluss", 15, AgendaItemType.CLOSING, internal_notes="Blumen für die Moderationen"),
)


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


def _conference(database: Database, year: int, date: dt.date) -> int:
    return create_conference(
        database,
        ConferenceData(
            year=year,
            title=f"Integrationskonferenz {year}",
            date=date,
            start_time=dt.time(9, 0),
            end_time=dt.time(14, 0),
            venue_name="Kreishaus Borken",
            venue_city="Borken",
        ),
        FORUMS,
    )


@pytest.fixture
def world(sqlite_db: Database) -> Database:
    """Last year's conference with forums (no agenda yet), and people who checked in there."""
    conf_id = _conference(sqlite_db, LAST_YEAR, dt.date(LAST_YEAR, 3, 12))
    with sqlite_db.session() as s:
        categories = {c.name: c.id for c in s.scalars(sa.select(Category))}
        forums = list(
            s.scalars(sa.select(Forum).where(Forum.conference_id == conf_id).order_by(Forum.sort_order))
        )
        s.add(
            Organisation(
                name="Schulamt für den Kreis Borken", search_text=search_text("Schulamt Kreis Borken")
            )
        )
        people = [
            ("Ayşe", "Öztürk", "Migrantenselbstorganisation", 0),
            ("Олена", "Коваленко", "Migrantenselbstorganisation", 1),
            ("Jan", "Hoffmann", "Verwaltung", 0),
            ("Petra", "Tenhagen", "Kommune", 2),
            ("Lan", "Nguyễn", "Kommune", None),
        ]
        for first, last, category, forum in people:
            person = Person(
                first_name=first,
                last_name=last,
                category_id=categories[category],
                search_text=search_text(first, last),
            )
            s.add(person)
            s.flush()
            s.add(
                Invitation(
                    conference_id=conf_id,
                    person_id=person.id,
                    status=InvitationStatus.ATTENDED,
                    forum_id=forums[forum].id if forum is not None else None,
                )
            )
    return sqlite_db


@pytest.fixture
def window(qtbot, world: Database) -> MainWindow:
    win = MainWindow(world)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def _programme(window: MainWindow) -> ProgrammeArea:
    area = window.areas["Programm"]
    assert isinstance(area, ProgrammeArea)
    return area


def _minutes(window: MainWindow) -> MinutesArea:
    area = window.areas["Protokoll"]
    assert isinstance(area, MinutesArea)
    return area


def _minutes_of_the_talk(window: MainWindow) -> tuple[MinutesArea, Any]:
    """Last year's agenda built, the Protokoll area shown with its second item (the talk) chosen."""
    _choose_year(_programme(window).panel.combo, LAST_YEAR)
    _build_agenda(_programme(window))
    area = _minutes(window)
    window.show_area(3)
    _choose_year(area.panel.combo, LAST_YEAR)
    talk = area.model.items[1]
    area.select_item(talk.id)
    return area, talk


def _results(window: MainWindow) -> ResultsArea:
    area = window.areas["Ergebnisse"]
    assert isinstance(area, ResultsArea)
    return area


def _choose_year(combo: QComboBox, year: int) -> None:
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(str(year)))
    combo.setCurrentIndex(index)


def _shown_times(area: ProgrammeArea) -> list[tuple[str, str]]:
    """(Beginn–Ende, Titel) of the top-level rows, as the view shows them."""
    model = area.view.model()
    return [(model.index(r, 0).data(), model.index(r, 2).data()) for r in range(model.rowCount())]


def _db_times(database: Database, year: int) -> list[tuple[str, str]]:
    with database.read_session() as s:
        return [(f"{r.start:%H:%M}–{r.end:%H:%M}", r.title) for r in programme.agenda(s, year)]


def _build_agenda(area: ProgrammeArea) -> None:
    for data in AGENDA:
        area.select_index(QModelIndex())
        assert area.add_item(data) is not None


def _forum_ids(database: Database, year: int) -> list[int]:
    with database.read_session() as s:
        return list(
            s.scalars(
                sa.select(Forum.id)
                .join(Forum.conference)
                .where(Forum.conference.has(year=year))
                .order_by(Forum.sort_order)
            )
        )


def _type(qtbot, widget: QWidget, text: str) -> None:
    """Type ``text`` into a field: key by key where QTest can (ASCII), else as one input."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    elif isinstance(widget, QPlainTextEdit):
        widget.insertPlainText(text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.insert(text)


def _activate(qtbot, window: MainWindow) -> None:
    """After a modal dialog (deleted later by the area) the offscreen platform does not give the window
    its activation back by itself."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _with_dialog(qtbot, kind: type, act) -> None:
    """Drive the next modal dialog of ``kind`` with ``act(dialog)`` once it is shown."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, run)
            return
        act(dialog)

    QTimer.singleShot(0, run)


# --- Programm ----------------------------------------------------------------------------------------


def test_agenda_with_three_parallel_forums_and_moves(
    qtbot, qtmodeltester, window: MainWindow, world: Database
) -> None:
    area = _programme(window)
    window.show_area(2)
    _choose_year(area.panel.combo, LAST_YEAR)
    assert area.year == LAST_YEAR
    assert area.model.items == []

    # the first item through the dialog, the way a user adds it
    def fill(dialog: AgendaItemDialog) -> None:
        _type(qtbot, dialog.title_edit, "Begrüßung")
        dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(AgendaItemType.WELCOME))
        dialog.duration.setValue(20)
        _type(qtbot, dialog.speakers_edit, "Landrat")
        _type(qtbot, dialog.room_edit, "Saal")
        dialog.accept()

    _with_dialog(qtbot, AgendaItemDialog, fill)
    assert area.new_item() is not None
    assert area.model.items[0].item_type is AgendaItemType.WELCOME
    assert area.model.index(0, 3).data() == "Begrüßung"
    for data in AGENDA[1:]:
        area.select_index(
            area.model.index(len(area.model.items) - 1, 0)
        )  # new items come after the chosen one
        assert area.add_item(data) is not None
    assert _shown_times(area) == [
        ("09:00–09:20", "Begrüßung"),
        ("09:20–10:05", "Impulsvortrag"),
        ("10:05–11:35", "Forenphase"),
        ("11:35–11:50", "Kaffeepause"),
        ("11:50–12:20", "Ergebnisse aus den Foren"),
        ("12:20–12:35", "Abschluss"),
    ]

    # three forums run in parallel in the Forenphase: two ticked in the dialog, one through the service
    forums = _forum_ids(world, LAST_YEAR)
    area.select_item(area.model.items[2].id)
    assert area.area_actions.assign_forums.isEnabled()

    def tick(dialog: ForumAssignDialog) -> None:
        dialog.set_checked(forums[0])
        dialog.set_checked(forums[1])
        dialog.accept()

    _with_dialog(qtbot, ForumAssignDialog, tick)
    area.assign_forums()
    _activate(qtbot, window)
    assert area.set_forums(area.model.items[2].id, forums)
    phase = area.model.index(2, 0)
    assert area.model.rowCount(phase) == 3
    assert [area.model.index(r, 2, phase).data() for r in range(3)] == [
        "Forum 1: Sprache und Bildung",
        "Forum 2: Arbeit und Ausbildung",
        "Forum 3: Wohnen und Nachbarschaft",
    ]
    assert area.model.index(1, 4, phase).data() == "Raum 2"
    assert area.model.index(1, 5, phase).data() == "Moderation: Олена Коваленко"
    assert area.view.isExpanded(phase)
    qtmodeltester.check(area.model)

    # Alt+Pfeil nach oben: the break goes before the Forenphase, the times follow in view and database
    area.select_item(area.model.items[3].id)
    area.view.setFocus()
    qtbot.keyClick(area.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    expected = [
        ("09:00–09:20", "Begrüßung"),
        ("09:20–10:05", "Impulsvortrag"),
        ("10:05–10:20", "Kaffeepause"),
        ("10:20–11:50", "Forenphase"),
        ("11:50–12:20", "Ergebnisse aus den Foren"),
        ("12:20–12:35", "Abschluss"),
    ]
    assert _shown_times(area) == expected
    assert _db_times(world, LAST_YEAR) == expected
    assert area.current_node().title == "Kaffeepause"  # the selection moved with it
    # the forums stay in their Forenphase, which now runs later
    assert area.model.rowCount(area.model.index(3, 0)) == 3

    # drag and drop: the model's drop path puts "Abschluss" first
    model = area.model
    last = model.index(5, 0)
    assert model.flags(last) & Qt.ItemFlag.ItemIsDragEnabled
    data = model.mimeData([last])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.canDropMimeData(
        data, Qt.DropAction.MoveAction, 0, 0, model.index(3, 0)
    )  # not into forums
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert _shown_times(area)[:2] == [("09:00–09:15", "Abschluss"), ("09:15–09:35", "Begrüßung")]
    assert _db_times(world, LAST_YEAR)[:2] == [("09:00–09:15", "Abschluss"), ("09:15–09:35", "Begrüßung")]
    assert _db_times(world, LAST_YEAR)[-1] == ("12:05–12:35", "Ergebnisse aus den Foren")

    # Strg+Z undoes the move, Strg+Umschalt+Z does it again
    window.ctx.undo_stack.undo()
    assert _db_times(world, LAST_YEAR) == expected
    assert _shown_times(area) == expected
    window.ctx.undo_stack.redo()
    assert _shown_times(area)[0] == ("09:00–09:15", "Abschluss")
    window.ctx.undo_stack.undo()

    # a longer talk moves everything after it
    talk = area.model.items[1]
    assert area.update_item(talk.id, ItemData("Impulsvortrag", 60, AgendaItemType.TALK, room="Saal"))
    assert _shown_times(area)[2] == ("10:20–10:35", "Kaffeepause")
    window.ctx.undo_stack.undo()
    assert _shown_times(area)[2] == ("10:05–10:20", "Kaffeepause")
    assert "12:35" in area.summary.text()
    qtmodeltester.check(area.model)


def test_agenda_keyboard_edit_delete_and_undo(
    qtbot, window: MainWindow, world: Database, monkeypatch
) -> None:
    area = _programme(window)
    window.show_area(2)
    _choose_year(area.panel.combo, LAST_YEAR)
    _build_agenda(area)
    area.select_item(area.model.items[0].id)
    area.view.setFocus()
    # Alt+Pfeil nach unten twice, then the first item is third
    qtbot.keyClick(area.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(area.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [t for _time, t in _db_times(world, LAST_YEAR)][:3] == ["Impulsvortrag", "Forenphase", "Begrüßung"]
    assert not area.area_actions.move_up.isEnabled() or area.current_node().title == "Begrüßung"

    # F2 opens the dialog; the duration changes the times after it
    def longer(dialog: AgendaItemDialog) -> None:
        assert dialog.title_edit.text() == "Begrüßung"
        assert "Uhr" in dialog.start_label.text()
        dialog.duration.setValue(30)
        dialog.accept()

    _with_dialog(qtbot, AgendaItemDialog, longer)
    qtbot.keyClick(area.view, Qt.Key.Key_F2)
    _activate(qtbot, window)
    area.view.setFocus()
    assert _shown_times(area)[2] == ("11:15–11:45", "Begrüßung")
    assert _shown_times(area)[3] == ("11:45–12:00", "Kaffeepause")

    # Entf deletes after asking; Strg+Z brings it back at its place
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(area.view, Qt.Key.Key_Delete)
    assert "Begrüßung" not in [t for _time, t in _db_times(world, LAST_YEAR)]
    window.ctx.undo_stack.undo()
    assert [t for _time, t in _db_times(world, LAST_YEAR)][:3] == ["Impulsvortrag", "Forenphase", "Begrüßung"]
    # the restored item has a new id; redo and undo still find it
    window.ctx.undo_stack.redo()
    assert len(_db_times(world, LAST_YEAR)) == len(AGENDA) - 1
    window.ctx.undo_stack.undo()
    assert len(_db_times(world, LAST_YEAR)) == len(AGENDA)

    # a dialog without title is not accepted
    def empty(dialog: AgendaItemDialog) -> None:
        dialog.accept()
        assert dialog.isVisible() and dialog.error_label.isVisible()
        dialog.reject()

    _with_dialog(qtbot, AgendaItemDialog, empty)
    assert area.new_item() is None


def test_agenda_exports(qtbot, window: MainWindow, world: Database, tmp_path: Path, monkeypatch) -> None:
    area = _programme(window)
    window.show_area(2)
    _choose_year(area.panel.combo, LAST_YEAR)
    _build_agenda(area)
    pdf = tmp_path / "Programm.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(pdf), ""))
    area.area_actions.agenda_pdf.trigger()
    assert pdf.exists()
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Impulsvortrag" in text
    assert "Blumen" not in text  # internal notes stay in the Regieplan
    running_order = area.export_pdf(internal=True, path=tmp_path / "Regieplan.pdf")
    assert running_order is not None
    assert "Blumen für die Moderationen" in " ".join(PdfReader(running_order).pages[0].extract_text().split())
    xlsx = area.export_excel(path=tmp_path / "Programm.xlsx")
    assert xlsx is not None
    rows = list(openpyxl.load_workbook(xlsx).active.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == [d.title for d in AGENDA]
    assert rows[0][0] == dt.time(9, 0)


# --- Protokoll and Ergebnisse --------------------------------------------------------------------------


def test_minutes_recommendations_and_their_follow_up_a_year_later(
    qtbot, window: MainWindow, world: Database, tmp_path: Path
) -> None:
    _choose_year(_programme(window).panel.combo, LAST_YEAR)
    _build_agenda(_programme(window))
    forums = _forum_ids(world, LAST_YEAR)
    phase_id = _programme(window).model.items[2].id
    assert _programme(window).set_forums(phase_id, forums)

    area = _minutes(window)
    window.show_area(3)
    _choose_year(area.panel.combo, LAST_YEAR)
    # attendance of the whole conference, counted by category from the check-in
    assert "5 Personen" in area.attendance.text()
    assert "Migrantenselbstorganisation 2" in area.attendance.text()

    # forum 2: its own attendance, then notes, results and rapporteur typed in
    area.select_forum(forums[1])
    editor = area.editor
    assert editor.heading.text() == "Forum 2: Arbeit und Ausbildung"
    assert "Teilnahme im Forum laut Check-in: 1 Person: Migrantenselbstorganisation 1" in editor.info.text()
    _type(qtbot, editor.notes_edit, "Anerkennung dauert zu lange.")
    _type(qtbot, editor.results_edit, "Sprechstunde im Kreishaus; Schulamt einbinden.")
    _type(qtbot, editor.rapporteur_edit, "Олена Коваленко")
    assert editor.is_modified()
    # choosing another item saves what was typed
    area.select_item(phase_id)
    with world.read_session() as s:
        entry = s.scalar(sa.select(MinutesEntry).where(MinutesEntry.forum_id == forums[1]))
        assert entry is not None
        assert (entry.results, entry.rapporteur) == (
            "Sprechstunde im Kreishaus; Schulamt einbinden.",
            "Олена Коваленко",
        )
    assert area.model.index(1, 2, area.model.index_of_item(phase_id)).data() == "vorhanden"
    area.select_forum(forums[1])
    assert editor.results_edit.toPlainText() == "Sprechstunde im Kreishaus; Schulamt einbinden."

    # two recommendations from forum 2: one through the dialog (organisation from the register),
    # one with a free-text responsible party
    overdue = TODAY - dt.timedelta(days=30)

    def recommend(dialog: RecommendationDialog) -> None:
        _type(qtbot, dialog.text_edit, "Monatliche Anerkennungssprechstunde einrichten")
        dialog.organisation_edit.setFocus()
        _type(qtbot, dialog.organisation_edit, "schulamt")
        dialog.organisation_completer.search_now()
        assert dialog.organisation_completer.matches.stringList() == ["Schulamt für den Kreis Borken"]
        dialog.organisation_completer.activated[QModelIndex].emit(
            dialog.organisation_completer.matches.index(0, 0)
        )
        dialog.organisation_edit.setText("Schulamt für den Kreis Borken")
        dialog.due_edit.setDate(dialog.due_edit.date().fromString(overdue.strftime("%d.%m.%Y"), "dd.MM.yyyy"))
        dialog.accept()

    _with_dialog(qtbot, RecommendationDialog, recommend)
    first = editor.add_recommendation()
    assert first is not None
    _activate(qtbot, window)
    second = editor.store_recommendation(
        programme.RecommendationData(
            "Praktikumsbörse mit der Kreishandwerkerschaft",
            responsible_text="Kreishandwerkerschaft",
            due_date=overdue,
        )
    )
    assert second is not None
    assert editor.recommendations.topLevelItemCount() == 2
    with world.read_session() as s:
        recs = {r.id: r for r in s.scalars(sa.select(Recommendation))}
        assert recs[first].forum_id == forums[1]
        assert recs[first].minutes_entry_id == entry.id
        assert recs[first].responsible_organisation_id is not None
        assert recs[first].due_date == overdue
        assert recs[second].responsible_text == "Kreishandwerkerschaft"

    # the minutes document
    pdf = area.export_pdf(tmp_path / "Protokoll.pdf")
    assert pdf is not None
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Sprechstunde im Kreishaus; Schulamt einbinden." in text
    assert "Monatliche Anerkennungssprechstunde einrichten" in text
    assert "Олена Коваленко" in text

    # a year later: the new conference's agenda starts with the status of the open recommendations
    _conference(world, THIS_YEAR, TODAY)
    window.ctx.announce("conferences")
    _choose_year(area.panel.combo, THIS_YEAR)
    report = next(i for i in area.model.items if i.item_type is AgendaItemType.STATUS_REPORT)
    assert report.title == f"Sachstand der Empfehlungen aus {LAST_YEAR}"
    area.select_item(report.id)
    assert editor.status_box.isVisible()
    rows = {row.recommendation_id: row for row in editor.status_rows}
    assert set(rows) == {first, second}
    rows[first].combo.setCurrentIndex(rows[first].combo.findData(RecommendationStatus.IN_PROGRESS))
    _type(qtbot, rows[first].note, "Gespräch mit Schulamt geführt")
    rows[second].combo.setCurrentIndex(rows[second].combo.findData(RecommendationStatus.DONE))
    _type(qtbot, editor.notes_edit, "Bericht über die Empfehlungen.")
    editor.notes_edit.setFocus()
    qtbot.keyClick(editor.notes_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Strg+S
    with world.read_session() as s:
        report_entry = s.scalar(sa.select(MinutesEntry.id).where(MinutesEntry.agenda_item_id == report.id))
        updates = s.execute(
            sa.select(
                RecommendationUpdate.recommendation_id,
                RecommendationUpdate.status,
                RecommendationUpdate.note,
                RecommendationUpdate.date,
                RecommendationUpdate.minutes_entry_id,
            ).where(RecommendationUpdate.minutes_entry_id.is_not(None))
        ).all()
        assert report_entry is not None
        assert sorted(updates) == sorted(
            [
                (
                    first,
                    RecommendationStatus.IN_PROGRESS,
                    "Gespräch mit Schulamt geführt",
                    TODAY,
                    report_entry,
                ),
                (second, RecommendationStatus.DONE, "Sachstand: umgesetzt", TODAY, report_entry),
            ]
        )
        assert s.get(Recommendation, second).status is RecommendationStatus.DONE
    # both stay in the report's list (updated here), with their new status
    assert {row.recommendation_id: row.status for row in editor.status_rows} == {
        first: RecommendationStatus.IN_PROGRESS,
        second: RecommendationStatus.DONE,
    }

    # Ergebnisse: across years; "nur überfällige" finds the first (due last month, in Arbeit) only
    results = _results(window)
    window.show_area(4)
    assert set(results.shown_ids()) == {first, second}
    results.overdue_check.setChecked(True)
    assert results.shown_ids() == [first]
    shown = results.proxy.index(0, 4).data()
    assert shown.endswith("(überfällig)")  # said in words, not by colour alone
    results.select(first)
    history = results.history.toPlainText()
    assert "Empfehlung beschlossen" in history
    assert "Gespräch mit Schulamt geführt" in history
    assert f"Protokoll {THIS_YEAR}" in history

    # a dated status note from the form
    results.note_date.setDate(results.note_date.date().addDays(-1))
    results.note_status.setCurrentIndex(results.note_status.findData(RecommendationStatus.DONE))
    _type(qtbot, results.note_edit, "Sprechstunde findet monatlich statt")
    qtbot.keyClick(results.note_edit, Qt.Key.Key_Return)
    with world.read_session() as s:
        last = s.scalars(
            sa.select(RecommendationUpdate)
            .where(RecommendationUpdate.recommendation_id == first)
            .order_by(RecommendationUpdate.id.desc())
        ).first()
        assert (last.date, last.status, last.note) == (
            TODAY - dt.timedelta(days=1),
            RecommendationStatus.DONE,
            "Sprechstunde findet monatlich statt",
        )
    assert results.shown_ids() == []  # done: no longer overdue
    results.overdue_check.setChecked(False)

    # the other filters: status (several), year, responsible party, search
    results.set_statuses(RecommendationStatus.DONE)
    assert set(results.shown_ids()) == {first, second}
    results.set_statuses(RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
    assert results.shown_ids() == []
    results.set_statuses()
    results.set_year(THIS_YEAR)
    assert results.shown_ids() == []
    results.set_year(LAST_YEAR)
    _type(qtbot, results.responsible_edit, "handwerk")
    results.apply_text_filters()
    assert results.shown_ids() == [second]
    results.responsible_edit.clear()
    _type(qtbot, results.search_field, "anerkennungssprechstunde")
    results.apply_text_filters()
    assert results.shown_ids() == [first]
    assert "1 von 2 Empfehlungen" in results.count_label.text()

    # Excel: what the filter shows
    xlsx = results.export_excel(tmp_path / "Empfehlungen.xlsx")
    assert xlsx is not None
    rows_xlsx = list(openpyxl.load_workbook(xlsx).active.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[5]) for r in rows_xlsx] == [
        (LAST_YEAR, "Monatliche Anerkennungssprechstunde einrichten", "umgesetzt")
    ]


def test_minutes_undo_and_no_lost_typing(qtbot, window: MainWindow, world: Database) -> None:
    area, talk = _minutes_of_the_talk(window)
    _type(qtbot, area.editor.results_edit, "Thesen werden aufgegriffen.")
    assert area.save()
    with world.read_session() as s:
        assert s.scalar(sa.select(MinutesEntry.results).where(MinutesEntry.agenda_item_id == talk.id)) == (
            "Thesen werden aufgegriffen."
        )
    # typing in another item is kept while something else changes the data
    area.select_item(area.model.items[0].id)
    _type(qtbot, area.editor.notes_edit, "Begrüßung durch den Landrat")
    window.ctx.undo_stack.undo()  # the talk's minutes are empty again
    assert area.editor.notes_edit.toPlainText() == "Begrüßung durch den Landrat"
    with world.read_session() as s:
        assert s.scalar(sa.select(MinutesEntry.results).where(MinutesEntry.agenda_item_id == talk.id)) == ""


@pytest.mark.parametrize("choice", ["overwrite", "discard"])
def test_agenda_item_edited_at_two_workplaces_shows_both_versions(
    qtbot, window: MainWindow, world: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    import dataclasses

    from konferenz.programme import service as prog
    from ui.programme.area import item_data
    from ui.widgets.registry_dialogs import ConflictChoice

    area = _programme(window)
    _choose_year(area.panel.combo, LAST_YEAR)
    _build_agenda(area)
    node = area.model.items[1]
    seen = item_data(node)
    # an edit without a conflict goes through without a question
    monkeypatch.setattr(area, "ask_conflict", lambda *_a: pytest.fail("no conflict expected"))
    assert area.update_item(node.id, dataclasses.replace(seen, room="Raum 7"))
    node = next(n for n in area.model.items if n.id == node.id)
    seen = item_data(node)
    # meanwhile another workplace moves the item to another room
    prog.update_item(world, node.id, dataclasses.replace(seen, room="Saal Gronau"))
    asked: list[list[tuple[str, str, str]]] = []

    def ask(what: str, differences: list[tuple[str, str, str]]) -> ConflictChoice:
        asked.append(list(differences))
        return ConflictChoice(choice)

    monkeypatch.setattr(area, "ask_conflict", ask)
    mine = dataclasses.replace(seen, moderation="Nguyễn Thị Lan")
    assert area.update_item(node.id, mine) is (choice == "overwrite")
    assert asked == [[("Moderation", "Nguyễn Thị Lan", seen.moderation), ("Raum", "Raum 7", "Saal Gronau")]]
    with world.read_session() as s:
        stored = prog.item_data(s.get_one(AgendaItem, node.id))
    if choice == "overwrite":
        assert (stored.moderation, stored.room) == ("Nguyễn Thị Lan", "Raum 7")
    else:
        assert (stored.moderation, stored.room) == (seen.moderation, "Saal Gronau")


@pytest.mark.parametrize("choice", ["overwrite", "discard"])
def test_minutes_typed_at_two_workplaces_show_both_versions(
    qtbot, window: MainWindow, world: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from konferenz.programme import service as prog
    from ui.widgets.registry_dialogs import ConflictChoice

    area, talk = _minutes_of_the_talk(window)
    # meanwhile another workplace writes the results of the same item
    prog.save_minutes(world, LAST_YEAR, prog.MinutesData(results="Von Ayşe ergänzt"), item_id=talk.id)
    asked: list[list[tuple[str, str, str]]] = []

    def ask(what: str, differences: list[tuple[str, str, str]]) -> ConflictChoice:
        asked.append(list(differences))
        return ConflictChoice(choice)

    monkeypatch.setattr(area.editor, "ask_conflict", ask)
    _type(qtbot, area.editor.notes_edit, "Lebhafte Diskussion")
    area.save()
    assert asked == [
        [("Notizen", "Lebhafte Diskussion", ""), ("Ergebnisse", "", "Von Ayşe ergänzt")],
    ]
    with world.read_session() as s:
        entry = s.scalars(sa.select(MinutesEntry).where(MinutesEntry.agenda_item_id == talk.id)).one()
        stored = (entry.notes, entry.results)
    if choice == "overwrite":
        assert stored == ("Lebhafte Diskussion", "")
    else:
        assert stored == ("", "Von Ayşe ergänzt")
        assert area.editor.results_edit.toPlainText() == "Von Ayşe ergänzt"
        assert area.editor.notes_edit.toPlainText() == ""


def test_a_third_change_while_the_conflict_question_is_open_is_not_overwritten(
    qtbot, window: MainWindow, world: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from konferenz.programme import service as prog
    from ui.widgets.registry_dialogs import ConflictChoice

    area, talk = _minutes_of_the_talk(window)
    prog.save_minutes(world, LAST_YEAR, prog.MinutesData(results="zweiter Stand"), item_id=talk.id)

    def ask(_what: str, _differences: list[tuple[str, str, str]]) -> ConflictChoice:
        # while the question is open, a third workplace saves again
        prog.save_minutes(world, LAST_YEAR, prog.MinutesData(results="dritter Stand"), item_id=talk.id)
        return ConflictChoice.OVERWRITE

    warnings: list[str] = []
    monkeypatch.setattr(area.editor, "ask_conflict", ask)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a: warnings.append(text))
    _type(qtbot, area.editor.notes_edit, "Meine Notizen")
    assert not area.save()
    assert warnings and "anderen Arbeitsplatz" in warnings[0]
    with world.read_session() as s:
        entry = s.scalars(sa.select(MinutesEntry).where(MinutesEntry.agenda_item_id == talk.id)).one()
        assert (entry.notes, entry.results) == ("", "dritter Stand")


def test_save_path_with_an_added_suffix_asks_before_replacing(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file dialog asked about "programm", not about the "programm.pdf" that is then written."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from ui.widgets.dialog_tools import choose_save_path

    parent = QWidget()
    qtbot.addWidget(parent)
    (tmp_path / "programm.pdf").write_bytes(b"%PDF alt")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "programm"), ""))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    assert choose_save_path(parent, "Programm als PDF", "programm.pdf", "PDF (*.pdf)") is None
    assert (
        choose_save_path(parent, "Programm als PDF", "programm.pdf", "PDF (*.pdf)")
        == tmp_path / "programm.pdf"
    )
    assert asked == ["Die Datei „programm.pdf“ gibt es schon. Ersetzen?"] * 2


# --- keyboard and accessibility ----------------------------------------------------------------------


def test_every_control_of_the_three_areas_has_an_accessible_name(qtbot, window: MainWindow) -> None:
    _choose_year(_programme(window).panel.combo, LAST_YEAR)
    _build_agenda(_programme(window))
    kinds = (QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextBrowser, QDateEdit)
    for name in ("Programm", "Protokoll", "Ergebnisse"):
        area = window.areas[name]
        controls = [
            w
            for w in area.findChildren(QWidget)
            if isinstance(w, kinds) and not isinstance(w, QHeaderView) and w.isVisibleTo(area)
        ]
        assert controls, name
        nameless = [f"{type(w).__name__} {w.objectName()}" for w in controls if not w.accessibleName()]
        assert nameless == [], name
        for check in area.findChildren(QCheckBox):
            assert check.text() or check.accessibleName()
    for action in (
        *_programme(window).area_actions.all(),
        *_minutes(window).area_actions.all(),
        *_results(window).area_actions.all(),
    ):
        assert "&" in action.text(), action.text()


def test_ctrl_f_and_shortcuts_stay_in_their_area(qtbot, window: MainWindow) -> None:
    area = _programme(window)
    _choose_year(area.panel.combo, LAST_YEAR)
    _build_agenda(area)
    window.show_area(4)
    window.menu_actions.find.trigger()
    assert QApplication.focusWidget() is _results(window).search_field
    # Alt+Pfeil in Ergebnisse does not move agenda items
    before = [i.id for i in area.model.items]
    qtbot.keyClick(_results(window).search_field, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [i.id for i in area.model.items] == before
    window.show_area(2)
    window.menu_actions.find.trigger()
    assert QApplication.focusWidget() is area.view
    assert area.current_node() is not None
