"""The Adressen area driven like a user would: create, edit, undo and redo, search, filters and saved
filters ("Verteiler"), validation at the field, duplicates and merging, deleting with a question, a save
conflict with another workplace. Every test checks the database afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from konferenz.audit.history import history
from konferenz.enums import Gender, InvitationStatus
from konferenz.registry import organisations, persons, search_keys
from konferenz.registry.validation import OrganisationData, PersonData, RoleData
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Conference, Invitation, Person, SavedFilter
from ui.addresses import record_editor
from ui.addresses.area import RegistryPage
from ui.addresses.duplicates_dialog import DuplicatesDialog
from ui.addresses.merge_dialog import MergeDialog
from ui.addresses.person_editor import PersonEditor
from ui.settings import settings
from ui.shell.main_window import MainWindow
from ui.widgets.registry_dialogs import ConflictDialog, DuplicateChoice, DuplicateQuestion

# the offscreen platform cannot do some things for top-level windows and popups (completion lists,
# the filter lists) and says so
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise\(\)|grabbing the keyboard)"
)


@dataclass
class Data:
    categories: dict[str, int]
    municipalities: dict[str, int]
    caritas: int
    tig: int
    ayse: int
    hans: int
    mehmet: int
    conference: int


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    settings().clear()


@pytest.fixture
def data(sqlite_db: Database) -> Data:
    db = sqlite_db
    with db.read_session() as s:
        from konferenz.storage.models import Category, Municipality

        categories = {c.name: c.id for c in s.scalars(sa.select(Category))}
        municipalities = {m.name: m.id for m in s.scalars(sa.select(Municipality))}
    caritas = organisations.create_organisation(
        db,
        OrganisationData(
            name="Caritasverband Bocholt",
            category_id=categories["Wohlfahrtsverband"],
            postal_code="46395",
            city="Bocholt",
            tags=["Newsletter"],
        ),
    )
    tig = organisations.create_organisation(
        db,
        OrganisationData(
            name="Türkisch-Islamische Gemeinde Borken",
            category_id=categories["Migrantenselbstorganisation"],
            postal_code="46325",
            city="Borken",
        ),
    )
    ayse = persons.create_person(
        db,
        PersonData(
            first_name="Ayşe",
            last_name="Öztürk",
            gender=Gender.FEMALE,
            email="a.oeztuerk@example.org",
            postal_code="46325",
            city="Borken",
            roles=[RoleData(tig, "Vorsitzende", is_primary=True)],
            tags=["Presse"],
        ),
    )
    hans = persons.create_person(
        db,
        PersonData(
            first_name="Hans",
            last_name="Müller",
            title="Dr.",
            email="h.mueller@example.org",
            postal_code="46395",
            city="Bocholt",
            roles=[RoleData(caritas, "Geschäftsführer", is_primary=True)],
        ),
    )
    mehmet = persons.create_person(
        db, PersonData(first_name="Mehmet", last_name="Çelik", email="m.celik@example.org", city="Rhede")
    )
    with db.session() as s:
        conference = Conference(year=2025, title="Teilhabe vor Ort", date=dt.date(2025, 9, 18))
        s.add(conference)
        s.flush()
        s.add(Invitation(conference_id=conference.id, person_id=ayse, status=InvitationStatus.ATTENDED))
        conference_id = conference.id
    return Data(categories, municipalities, caritas, tig, ayse, hans, mehmet, conference_id)


@pytest.fixture
def window(qtbot, sqlite_db: Database, data: Data) -> MainWindow:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def _page(window: MainWindow) -> RegistryPage:
    return window.address_area.person_page


def _editor(window: MainWindow) -> PersonEditor:
    editor = window.address_area.person_editor
    assert isinstance(editor, PersonEditor)
    return editor


def _person(db: Database, person_id: int) -> Person | None:
    with db.read_session() as s:
        person = s.get(Person, person_id)
        if person is not None:
            s.expunge(person)
        return person


def _persons_named(db: Database, last_name: str) -> list[int]:
    with db.read_session() as s:
        return list(s.scalars(sa.select(Person.id).where(Person.last_name == last_name)))


def _select(page: RegistryPage, record_id: int) -> None:
    """Click the row of ``record_id`` (as the user does)."""
    row = page.model.row_of(record_id)
    assert row is not None, record_id
    page.panel.table.selectRow(row)


def _type(qtbot, widget: QWidget, text: str) -> None:
    """Type into a field; QTest can only press keys of ASCII letters, other text is inserted as typed."""
    widget.setFocus()
    widget.clear()  # type: ignore[attr-defined]
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)  # type: ignore[attr-defined]


def _when_modal(handler: Callable[[QWidget], None]) -> None:
    """Run ``handler`` on the next modal dialog (the test would otherwise block in its exec())."""

    def poll(tries: list[int] = [0]) -> None:  # noqa: B006 (a counter shared by the retries)
        widget = QApplication.activeModalWidget()
        if widget is None and tries[0] < 200:
            tries[0] += 1
            QTimer.singleShot(10, poll)
            return
        assert widget is not None, "no modal dialog appeared"
        handler(widget)

    QTimer.singleShot(0, poll)


# --- create, edit, undo, redo ------------------------------------------------------------------------------


def test_create_a_person_edit_a_field_undo_and_redo(qtbot, window: MainWindow, sqlite_db: Database) -> None:
    editor = _editor(window)
    window.registry_actions.new_person.trigger()
    assert window.current_area_name() == "Adressen"
    assert editor.is_new and QApplication.focusWidget() is editor.first_name
    _type(qtbot, editor.first_name, "Ngọc Anh")
    _type(qtbot, editor.last_name, "Nguyễn")
    _type(qtbot, editor.email, "ngoc.nguyen@example.org")
    _type(qtbot, editor.postal_code, "46414")  # Rhede
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    (person_id,) = _persons_named(sqlite_db, "Nguyễn")
    person = _person(sqlite_db, person_id)
    assert person is not None and person.first_name == "Ngọc Anh"
    assert person.municipality_id is not None  # derived from the PLZ
    assert editor.record_id == person_id and not editor.is_dirty()
    page = _page(window)
    assert page.model.row_of(person_id) is not None  # the list refreshed and shows it
    assert page.panel.table.currentIndex().row() == page.model.row_of(person_id)

    # edit one field
    _type(qtbot, editor.email, "n.nguyen@example.org")
    assert editor.is_dirty() and editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert _person(sqlite_db, person_id).email == "n.nguyen@example.org"  # type: ignore[union-attr]
    assert window.registry_actions.undo.text().startswith("&Rückgängig: Person „Ngọc Anh Nguyễn“ ändern")

    # Strg+Z: the edit, then the creation
    undo, redo = window.registry_actions.undo, window.registry_actions.redo
    undo.trigger()
    assert _person(sqlite_db, person_id).email == "ngoc.nguyen@example.org"  # type: ignore[union-attr]
    assert editor.email.text() == "ngoc.nguyen@example.org"  # the pane follows
    undo.trigger()
    assert _person(sqlite_db, person_id) is None
    assert page.model.row_of(person_id) is None
    assert not undo.isEnabled()
    # Strg+Umschalt+Z: back again, the same record
    redo.trigger()
    assert _person(sqlite_db, person_id) is not None
    redo.trigger()
    assert _person(sqlite_db, person_id).email == "n.nguyen@example.org"  # type: ignore[union-attr]
    assert not redo.isEnabled()
    assert redo.shortcuts()[0].toString() == "Ctrl+Shift+Z"
    assert undo.shortcut().toString() == "Ctrl+Z"


def test_every_field_is_saved(qtbot, window: MainWindow, sqlite_db: Database, data: Data) -> None:
    editor = _editor(window)
    window.registry_actions.new_person.trigger()
    editor.gender.setCurrentIndex(editor.gender.findText("männlich"))
    for widget, text in (
        (editor.title, "Prof. Dr."),
        (editor.first_name, "Mohammed"),
        (editor.name_prefix, "al"),
        (editor.last_name, "Hassan"),
        (editor.custom_salutation, "Lieber Mohammed,"),
        (editor.function, "Professor"),
        (editor.street, "Hauptstraße 1"),
        (editor.po_box, "12 34"),
        (editor.postal_code, "1067"),
        (editor.city, "Dresden"),
        (editor.phone, "0351 123-0"),
        (editor.mobile, "0170 1234567"),
        (editor.tags, "Presse, Fachleute"),
    ):
        _type(qtbot, widget, text)
    editor.category.set_current_id(data.categories["Fachleute"])
    editor.consent.setChecked(True)
    editor.notes.setPlainText("Spricht Arabisch und Deutsch.")
    editor.roles.add_role()
    row = editor.roles.rows()[0]
    qtbot.keyClicks(row.picker.lineEdit(), "Caritasverband Bocholt")
    _type(qtbot, row.function, "Beirat")
    assert editor.save()
    person_id = editor.record_id
    assert person_id is not None
    record = persons.get_person(sqlite_db, person_id)
    d = record.data
    assert (d.gender, d.title, d.first_name, d.name_prefix, d.last_name) == (
        Gender.MALE,
        "Prof. Dr.",
        "Mohammed",
        "al",
        "Hassan",
    )
    assert d.custom_salutation == "Lieber Mohammed,"
    assert d.postal_code == "01067"  # four digits left-padded
    assert (d.street, d.po_box, d.city, d.phone, d.mobile) == (
        "Hauptstraße 1",
        "12 34",
        "Dresden",
        "0351 123-0",
        "0170 1234567",
    )
    assert d.category_id == data.categories["Fachleute"]
    assert sorted(d.tags) == ["Fachleute", "Presse"]
    assert d.participant_list_consent
    assert d.notes == "Spricht Arabisch und Deutsch."
    assert [(r.organisation_id, r.function, r.is_primary) for r in d.roles] == [
        (data.caritas, "Beirat", True)
    ]
    assert editor.postal_code.text() == "01067"  # the pane shows what was stored


def test_validation_messages_at_the_field_and_nothing_saved(
    qtbot, window: MainWindow, sqlite_db: Database
) -> None:
    editor = _editor(window)
    window.registry_actions.new_person.trigger()
    _type(qtbot, editor.first_name, "Petra")
    _type(qtbot, editor.postal_code, "463")
    _type(qtbot, editor.email, "petra@beispiel")
    with sqlite_db.read_session() as s:
        before = s.scalar(sa.select(sa.func.count(Person.id)))
    assert not editor.save()
    errors = editor.field_errors()
    assert set(errors) == {"last_name", "postal_code", "email"}
    assert "Nachnamen" in errors["last_name"]
    assert "keine deutsche Postleitzahl" in errors["postal_code"]
    assert "keine gültige E-Mail-Adresse" in errors["email"]
    # shown under the field, with a sign (not colour alone), and told to the screen reader
    _widget, label = editor._fields["postal_code"]
    assert label.isVisible() and label.text().startswith("⚠ PLZ:")
    assert "Postleitzahl" in editor.postal_code.accessibleDescription()
    assert QApplication.focusWidget() is editor.last_name  # the first problem has the focus
    with sqlite_db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Person.id))) == before
    # fixed: the messages go, the person is saved
    _type(qtbot, editor.last_name, "Schulz")
    _type(qtbot, editor.postal_code, "46414")
    _type(qtbot, editor.email, "petra@beispiel.de")
    assert editor.save()
    assert editor.field_errors() == {}
    assert _persons_named(sqlite_db, "Schulz")


def test_roles_need_a_known_organisation(qtbot, window: MainWindow, sqlite_db: Database, data: Data) -> None:
    page = _page(window)
    editor = _editor(window)
    _select(page, data.mehmet)
    assert editor.record_id == data.mehmet
    editor.roles.add_role()
    qtbot.keyClicks(editor.roles.rows()[0].picker.lineEdit(), "Gibt es nicht e. V.")
    assert not editor.save()
    assert "gibt es nicht" in editor.field_errors()["roles"]
    assert persons.get_person(sqlite_db, data.mehmet).data.roles == []
    # a second role; the primary moves with a click
    row = editor.roles.rows()[0]
    row.picker.setCurrentIndex(row.picker.findData(data.tig))
    editor.roles.add_role()
    second = editor.roles.rows()[1]
    second.picker.setCurrentIndex(second.picker.findData(data.caritas))
    second.primary.click()
    assert editor.save()
    roles = persons.get_person(sqlite_db, data.mehmet).data.roles
    assert {(r.organisation_id, r.is_primary) for r in roles} == {(data.tig, False), (data.caritas, True)}
    # removing the primary role makes the other one primary
    editor.roles.rows()[0].remove.click()  # roles are shown primary first
    assert editor.save()
    roles = persons.get_person(sqlite_db, data.mehmet).data.roles
    assert [(r.organisation_id, r.is_primary) for r in roles] == [(data.tig, True)]


def test_invitations_and_history_are_shown(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    page = _page(window)
    editor = _editor(window)
    _select(page, data.ayse)
    assert "1× eingeladen, 1× teilgenommen" in editor.info_label.text()
    assert editor.invitations.rowCount() == 1
    assert editor.invitations.item(0, 2).text() == "teilgenommen"
    _type(qtbot, editor.last_name, "Oeztürk")
    assert editor.save()
    editor.tabs.setCurrentWidget(editor.history)
    summaries = editor.history.summaries()
    assert summaries[0] == "Nachname geändert: „Öztürk“ → „Oeztürk“"
    assert "Vorname eingetragen: „Ayşe“" in summaries  # the creation
    with sqlite_db.read_session() as s:
        assert len(history(s, "person", data.ayse)) == editor.history.topLevelItemCount()


def test_history_and_whole_audit_log_export_to_excel(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data, tmp_path: Path
) -> None:
    """A record's history (its context menu) and the whole change log (Datei menu) as Excel files."""
    page = _page(window)
    editor = _editor(window)
    _select(page, data.ayse)
    _type(qtbot, editor.last_name, "Oeztürk")
    assert editor.save()
    editor.tabs.setCurrentWidget(editor.history)  # the history is read when its tab is shown
    assert editor.history.export_action in editor.history.actions()
    assert editor.history.export_action.isEnabled()
    one = editor.history.export_excel(tmp_path / "verlauf.xlsx")
    assert one is not None
    rows = list(openpyxl.load_workbook(one).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Zeitpunkt", "Benutzer", "Rechner", "Art")
    assert {r[4] for r in rows[1:]} == {data.ayse}
    assert ("Nachname", "Öztürk", "Oeztürk") in {(r[6], r[7], r[8]) for r in rows[1:]}
    whole = window.export_audit_log(tmp_path / "protokoll.xlsx")
    assert whole is not None
    all_rows = list(openpyxl.load_workbook(whole).active.iter_rows(values_only=True))
    assert len(all_rows) > len(rows)
    assert {r[3] for r in all_rows[1:]} >= {"Person", "Organisation"}


def test_unsaved_input_is_not_lost_when_another_row_is_chosen(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(window)
    editor = _editor(window)
    _select(page, data.hans)
    _type(qtbot, editor.phone, "02871 1234")
    asked: list[str] = []

    def cancel(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(record_editor, "ask_save_discard", cancel)
    _select(page, data.mehmet)
    qtbot.wait(20)
    assert asked and "Müller" in asked[0]
    assert editor.record_id == data.hans and editor.phone.text() == "02871 1234"
    assert page.panel.table.currentIndex().row() == page.model.row_of(data.hans)

    monkeypatch.setattr(record_editor, "ask_save_discard", lambda *a, **k: QMessageBox.StandardButton.Save)
    _select(page, data.mehmet)
    assert editor.record_id == data.mehmet
    assert persons.get_person(sqlite_db, data.hans).data.phone == "02871 1234"


# --- search and filters ------------------------------------------------------------------------------------


def test_search_finds_a_turkish_name_typed_without_special_letters(
    qtbot, window: MainWindow, data: Data
) -> None:
    page = _page(window)
    panel = page.panel
    panel.search_field.setFocus()
    qtbot.keyClicks(panel.search_field, "ozt")
    with qtbot.waitSignal(panel.model.loaded, timeout=2000):
        pass
    assert panel.model.ids() == [data.ayse]
    assert panel.count_label.text() == "1 von 3 Einträgen"
    _type(qtbot, panel.search_field, "celik rhede")
    panel.apply_search()
    assert panel.model.ids() == [data.mehmet]
    # Eingabetaste in the list opens the record in the pane
    panel.focus_table()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert _editor(window).record_id == data.mehmet


def test_keyboard_f2_edits_escape_returns_to_the_list(qtbot, window: MainWindow, data: Data) -> None:
    page = _page(window)
    editor = _editor(window)
    page.panel.focus_table()
    assert editor.record_id == page.model.id_at(0)  # the first row is shown at once
    qtbot.keyClick(page.panel.table, Qt.Key.Key_Down)
    assert editor.record_id == page.model.id_at(1)
    qtbot.keyClick(page.panel.table, Qt.Key.Key_F2)
    assert QApplication.focusWidget() is editor.first_name
    qtbot.keyClick(editor.first_name, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is page.panel.table
    # Entf in a text field deletes a letter, not the person
    editor.first_name.setFocus()
    editor.first_name.setCursorPosition(0)
    qtbot.keyClick(editor.first_name, Qt.Key.Key_Delete)
    assert editor.is_dirty() and _person(window.ctx.database, editor.record_id) is not None  # type: ignore[arg-type]


def test_filters_by_category_municipality_and_tag(window: MainWindow, data: Data) -> None:
    page = _page(window)
    filters = page.filters
    assert page.model.rowCount() == 3
    # category of the primary organisation counts for the person
    filters.category.set_selected_ids([data.categories["Migrantenselbstorganisation"]], notify=True)
    assert page.model.ids() == [data.ayse]
    assert filters.category.text() == "Kategorie: Migrantenselbstorganisation ▾"
    filters.category.clear_selection()
    filters.municipality.set_selected_ids(
        [data.municipalities["Bocholt"], data.municipalities["Rhede"]], notify=True
    )
    assert set(page.model.ids()) == {data.hans}
    filters.municipality.clear_selection()
    # tags: the person's own or the primary organisation's
    with window.ctx.database.read_session() as s:
        from konferenz.lists.registry import tag_choices

        tags = dict((name, tid) for tid, name in tag_choices(s))
    filters.tag.set_selected_ids([tags["Presse"], tags["Newsletter"]], notify=True)
    assert set(page.model.ids()) == {data.ayse, data.hans}
    page.reset_filters()
    assert page.model.rowCount() == 3


def test_multi_select_filter_works_with_the_keyboard(qtbot, window: MainWindow, data: Data) -> None:
    page = _page(window)
    button = page.filters.category
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Down)
    popup = button.popup
    assert popup.isVisible()
    lst = popup.list
    wanted = next(
        r for r in range(lst.count()) if lst.item(r).text() == "Wohlfahrtsverband"
    )  # Hans's organisation
    lst.setCurrentRow(wanted)
    qtbot.keyClick(lst.viewport(), Qt.Key.Key_Space)
    assert button.selected_ids() == [data.categories["Wohlfahrtsverband"]]
    assert page.model.ids() == [data.hans]
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_saved_filters(qtbot, window: MainWindow, sqlite_db: Database, data: Data, monkeypatch) -> None:
    page = _page(window)
    filters = page.filters
    filters.municipality.set_selected_ids([data.municipalities["Borken"]], notify=True)
    page.panel.search_field.setText("ayse")
    page.panel.apply_search()
    assert page.model.ids() == [data.ayse]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Borkener MSO", True))
    saved_id = page.save_filter()
    assert saved_id is not None
    with sqlite_db.read_session() as s:
        stored = s.get(SavedFilter, saved_id)
        assert stored is not None and stored.name == "Borkener MSO"
        assert stored.definition["municipality_ids"] == [data.municipalities["Borken"]]
        assert stored.definition["search"] == "ayse"
    assert filters.saved_combo.currentText() == "Borkener MSO"
    # another search forgets the choice; choosing the Verteiler applies it again
    page.reset_filters()
    assert page.model.rowCount() == 3 and filters.current_saved_id() is None
    filters.choose_saved(saved_id)
    assert page.model.ids() == [data.ayse]
    assert page.panel.search_field.text() == "ayse"
    assert filters.municipality.selected_ids() == [data.municipalities["Borken"]]
    # saved filters belong to their list: the organisations tab does not offer it
    assert window.address_area.organisation_page.filters.saved_combo.findText("Borkener MSO") < 0
    # the same name again replaces (after a question)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    filters.choose_saved(None)
    assert page.save_filter() == saved_id
    assert page.delete_filter()
    with sqlite_db.read_session() as s:
        assert s.get(SavedFilter, saved_id) is None
    assert filters.saved_combo.count() == 1


def test_column_choice_is_remembered(qtbot, window: MainWindow, sqlite_db: Database, data: Data) -> None:
    page = _page(window)
    keys = page.model.source.column_keys()
    title = keys.index("title")
    page.filters.column_actions[title].trigger()  # uncheck
    assert page.panel.table.isColumnHidden(title)
    assert not page.filters.column_actions[0].isEnabled()  # the name always stays
    again = MainWindow(sqlite_db)
    qtbot.addWidget(again)
    assert again.address_area.person_page.panel.table.isColumnHidden(title)
    assert again.address_area.person_page.hidden_columns() == ["title"]
    again.address_area.person_page.filters.column_actions[title].trigger()
    assert not again.address_area.person_page.panel.table.isColumnHidden(title)


# --- duplicates and merging ------------------------------------------------------------------------------


def test_duplicate_on_save_save_anyway_or_cancel(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data, monkeypatch
) -> None:
    editor = _editor(window)
    window.registry_actions.new_person.trigger()
    _type(qtbot, editor.first_name, "Ayse")
    _type(qtbot, editor.last_name, "Oeztuerk")
    asked: list[list[str]] = []

    def answer(choice: DuplicateChoice) -> Callable[[QWidget], None]:
        def handle(dialog: QWidget) -> None:
            assert isinstance(dialog, DuplicateQuestion)
            asked.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
            {
                DuplicateChoice.CANCEL: dialog.cancel_button,
                DuplicateChoice.SAVE: dialog.save_button,
                DuplicateChoice.MERGE: dialog.merge_button,
            }[choice].click()

        return handle

    _when_modal(answer(DuplicateChoice.CANCEL))
    assert not editor.save()
    assert "Ayşe Öztürk" in asked[0][0] and "gleicher Name" in asked[0][0]
    assert _persons_named(sqlite_db, "Oeztuerk") == []
    _when_modal(answer(DuplicateChoice.SAVE))
    assert editor.save()
    assert len(_persons_named(sqlite_db, "Oeztuerk")) == 1


def test_duplicate_on_save_then_merge_and_undo(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    editor = _editor(window)
    window.registry_actions.new_person.trigger()
    _type(qtbot, editor.first_name, "Ayse")
    _type(qtbot, editor.last_name, "Oeztuerk")
    _type(qtbot, editor.phone, "02861 4711")
    _when_modal(lambda dialog: dialog.merge_button.click())  # type: ignore[attr-defined]
    assert editor.save()
    (new_id,) = _persons_named(sqlite_db, "Oeztuerk")
    dialog = editor.merge_dialog
    assert isinstance(dialog, MergeDialog) and dialog.isVisible()
    assert (dialog.keep_id, dialog.drop_id) == (data.ayse, new_id)  # the stored record is offered to stay
    assert "phone" in dialog.differing_fields()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert _person(sqlite_db, new_id) is None
    kept = persons.get_person(sqlite_db, data.ayse).data
    assert (kept.last_name, kept.phone) == ("Öztürk", "02861 4711")  # filled value taken over
    assert editor.record_id == data.ayse
    window.registry_actions.undo.trigger()
    assert _person(sqlite_db, new_id) is not None
    assert persons.get_person(sqlite_db, data.ayse).data.phone == ""


def test_find_duplicates_and_merge_then_undo(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    with sqlite_db.session() as s:
        # the same person again, typed differently, with its own invitation
        twin = Person(
            first_name="Ayse", last_name="Oeztuerk", email="A.Oeztuerk@example.org ", phone="02861 1"
        )
        s.add(twin)
        s.flush()
        twin_id = twin.id
        s.add(Invitation(conference_id=data.conference, person_id=twin_id, status=InvitationStatus.DECLINED))
        search_keys.refresh_person_search_text(s, [twin_id])
    window.registry_actions.find_duplicates.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, DuplicatesDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    groups = dialog.shown_groups()
    assert any(set(g.person_ids) == {data.ayse, twin_id} for g in groups)
    row = next(r for r, g in enumerate(groups) if set(g.person_ids) == {data.ayse, twin_id})
    dialog.groups.setCurrentRow(row)
    assert set(dialog.selected_ids()) == {data.ayse, twin_id}  # a group of two is selected at once
    assert "gleiche E-Mail-Adresse" in dialog.pair_label.text()
    merge = dialog.merge_selected()
    assert isinstance(merge, MergeDialog)
    assert merge.keep_id == data.ayse
    merge.choose("phone", "B" if merge.ids[1] == twin_id else "A")
    qtbot.mouseClick(merge.merge_button, Qt.MouseButton.LeftButton)

    assert _person(sqlite_db, twin_id) is None
    kept = persons.get_person(sqlite_db, data.ayse)
    assert kept.data.phone == "02861 1"
    with sqlite_db.read_session() as s:
        invitations = s.scalars(sa.select(Invitation).where(Invitation.person_id == data.ayse)).all()
        assert [i.status for i in invitations] == [InvitationStatus.ATTENDED]  # the further one survives
        assert any(e.field == "merged_from" for e in history(s, "person", data.ayse))
    assert dialog.shown_groups() == [g for g in dialog.shown_groups() if twin_id not in g.person_ids]

    # Strg+Z separates them again, exactly
    window.registry_actions.undo.trigger()
    twin_again = _person(sqlite_db, twin_id)
    assert twin_again is not None and twin_again.first_name == "Ayse"
    with sqlite_db.read_session() as s:
        statuses = {
            i.person_id: i.status for i in s.scalars(sa.select(Invitation)).all() if i.person_id is not None
        }
    assert statuses == {data.ayse: InvitationStatus.ATTENDED, twin_id: InvitationStatus.DECLINED}
    assert persons.get_person(sqlite_db, data.ayse).data.phone == ""
    dialog.close()


def test_merge_two_selected_rows_from_the_list(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    page = _page(window)
    table = page.panel.table
    table.selectRow(page.model.row_of(data.hans))  # type: ignore[arg-type]
    table.selectionModel().select(
        page.model.index(page.model.row_of(data.mehmet), 0),  # type: ignore[arg-type]
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    assert window.registry_actions.merge_records.isEnabled()
    window.registry_actions.merge_records.trigger()
    merge = next(w for w in page.findChildren(MergeDialog) if w.isVisible())
    merge.keep_b.setChecked(True)  # the other one stays
    survivor = merge.keep_id
    gone = merge.drop_id
    merge.merge_button.click()
    assert _person(sqlite_db, gone) is None and _person(sqlite_db, survivor) is not None
    assert _editor(window).record_id == survivor


# --- deleting ------------------------------------------------------------------------------------------------


def test_delete_asks_names_what_hangs_on_it_and_undo_brings_it_back(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data, monkeypatch
) -> None:
    page = _page(window)
    _select(page, data.ayse)
    questions: list[str] = []

    def answer(result: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(parent: QWidget, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
            questions.append(text)
            return result

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    page.panel.focus_table()
    qtbot.keyClick(page.panel.table, Qt.Key.Key_Delete)
    assert "„Ayşe Öztürk“ löschen?" in questions[0]
    assert "1 Einladung (davon 1× teilgenommen)" in questions[0]
    assert "1 Rolle" in questions[0]
    assert _person(sqlite_db, data.ayse) is not None

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(page.panel.table, Qt.Key.Key_Delete)
    assert _person(sqlite_db, data.ayse) is None
    with sqlite_db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    assert page.model.row_of(data.ayse) is None
    assert "Strg+Z" in _editor(window).placeholder.text()

    window.registry_actions.undo.trigger()
    back = persons.get_person(sqlite_db, data.ayse)
    assert back.data.last_name == "Öztürk" and back.data.roles[0].organisation_id == data.tig
    with sqlite_db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Invitation.id))) == 1
    assert page.model.row_of(data.ayse) is not None


# --- another workplace --------------------------------------------------------------------------------------


def test_conflict_with_another_workplace_overwrite(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    page = _page(window)
    editor = _editor(window)
    _select(page, data.hans)
    _type(qtbot, editor.phone, "02871 99")
    # meanwhile at another workplace: a second Database object on the same file
    other = open_database(sqlite_db.url.database)
    try:
        stored = persons.get_person(other, data.hans)
        stored.data.city = "Rhede"
        persons.update_person(other, data.hans, stored.data, stored.version)
    finally:
        other.dispose()
    shown: list[list[tuple[str, str, str]]] = []

    def overwrite(dialog: QWidget) -> None:
        assert isinstance(dialog, ConflictDialog)
        shown.append(dialog.differences())
        dialog.overwrite_button.click()

    _when_modal(overwrite)
    assert editor.save()
    assert ("Ort", "Bocholt", "Rhede") in shown[0]
    assert ("Telefon", "02871 99", "(leer)") in shown[0]
    saved = persons.get_person(sqlite_db, data.hans).data
    assert (saved.phone, saved.city) == ("02871 99", "Bocholt")  # the user's input won, as chosen
    assert not editor.is_dirty()


def test_conflict_with_another_workplace_discard(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    page = _page(window)
    editor = _editor(window)
    _select(page, data.hans)
    _type(qtbot, editor.phone, "02871 99")
    other = open_database(sqlite_db.url.database)
    try:
        stored = persons.get_person(other, data.hans)
        stored.data.phone = "02871 1"
        persons.update_person(other, data.hans, stored.data, stored.version)
    finally:
        other.dispose()
    _when_modal(lambda dialog: dialog.discard_button.click())  # type: ignore[attr-defined]
    assert not editor.save()
    assert persons.get_person(sqlite_db, data.hans).data.phone == "02871 1"
    assert editor.phone.text() == "02871 1" and not editor.is_dirty()


def test_undo_after_another_workplace_changed_the_record_changes_nothing(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data, monkeypatch
) -> None:
    page = _page(window)
    editor = _editor(window)
    _select(page, data.hans)
    _type(qtbot, editor.phone, "02871 5")
    assert editor.save()
    other = open_database(sqlite_db.url.database)
    try:
        stored = persons.get_person(other, data.hans)
        stored.data.city = "Rhede"
        persons.update_person(other, data.hans, stored.data, stored.version)
    finally:
        other.dispose()
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a, **k: warnings.append(str(a[2])) or QMessageBox.StandardButton.Ok
    )
    window.registry_actions.undo.trigger()
    qtbot.waitUntil(lambda: bool(warnings))
    assert "an einem anderen Arbeitsplatz geändert" in warnings[0]
    assert "Es wurde nichts geändert" in warnings[0]
    assert window.ctx.undo_stack.count() == 0 and not window.registry_actions.undo.isEnabled()
    saved = persons.get_person(sqlite_db, data.hans).data
    assert (saved.phone, saved.city) == ("02871 5", "Rhede")
    assert editor.city.text() == "Rhede"  # the pane shows the stored state


# --- organisations ----------------------------------------------------------------------------------------------


def test_organisation_create_contacts_and_jump_to_a_person(
    qtbot, window: MainWindow, sqlite_db: Database, data: Data
) -> None:
    area = window.address_area
    window.registry_actions.new_organisation.trigger()
    assert area.currentWidget() is area.organisation_page
    editor = area.organisation_editor
    _type(qtbot, editor.name, "Integrationsrat Rhede")
    _type(qtbot, editor.postal_code, "46414")
    _type(qtbot, editor.email, "integrationsrat@rhede")
    assert not editor.save()
    assert "email" in editor.field_errors()
    _type(qtbot, editor.email, "integrationsrat@rhede.de")
    assert editor.save()
    new_id = editor.record_id
    assert new_id is not None
    assert organisations.get_organisation(sqlite_db, new_id).data.city == ""
    window.registry_actions.undo.trigger()
    with pytest.raises(Exception, match="gibt es nicht"):
        organisations.get_organisation(sqlite_db, new_id)
    window.registry_actions.redo.trigger()
    assert organisations.get_organisation(sqlite_db, new_id).data.name == "Integrationsrat Rhede"

    # the contact persons of an organisation; Eingabetaste opens the person
    area.organisation_page.show_record(data.tig)
    assert editor.contacts.rowCount() == 1
    assert editor.contacts.item(0, 0).text() == "Ayşe Öztürk"
    editor.contacts.setCurrentCell(0, 0)
    editor.contacts.setFocus()
    qtbot.keyClick(editor.contacts, Qt.Key.Key_Return)
    assert area.currentWidget() is area.person_page
    assert area.person_editor.record_id == data.ayse


def test_every_new_control_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTabBar,
        QTableView,
        QTreeView,
    )

    kinds = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QTableView, QTreeView)
    area = window.address_area
    assert not area.person_editor.is_built()  # the forms are built when first needed
    window.registry_actions.new_organisation.trigger()
    window.registry_actions.new_person.trigger()
    area.person_editor.roles.add_role()
    controls = [w for w in area.findChildren(QWidget) if isinstance(w, kinds)]
    nameless = [
        f"{type(w).__name__} {w.objectName()} {getattr(w, 'text', lambda: '')()}"
        for w in controls
        if not w.accessibleName()
        and not (isinstance(w, QAbstractButton) and w.text())
        # Qt's own parts: a combobox's line edit, a tab bar's arrows, a search field's clear button
        and not isinstance(w.parent(), QComboBox | QTabBar | QLineEdit)
        and w.objectName() != "qt_tableview_cornerbutton"  # Qt's own, hidden with the vertical header
    ]
    assert nameless == [], "\n".join(nameless)


def test_the_two_functions_say_which_one_lists_and_letters_show(
    qtbot, window: MainWindow, data: Data
) -> None:
    """Issue 17: after saving a person's Funktion, the list showed the role's "Funktion dort" – two
    "Funktion" fields per person, and nothing said which one counts."""
    editor = _editor(window)
    window.registry_actions.new_person.trigger()
    _type(qtbot, editor.last_name, "Hassan")
    editor.roles.add_role()
    row = editor.roles.rows()[0]
    qtbot.keyClicks(row.picker.lineEdit(), "Caritasverband Bocholt")
    _type(qtbot, row.function, "Beirat")
    assert row.function.placeholderText() == "Funktion in dieser Organisation"
    assert not editor.function_hint.isVisible()
    _type(qtbot, editor.function, "Professor")
    assert editor.function_hint.isVisible()
    assert editor.function_hint.text() == "In Listen und Briefen steht die Funktion der Hauptrolle: „Beirat“."
    row.function.clear()  # the role names none: the general one is shown, nothing to say
    assert not editor.function_hint.isVisible()


def test_filters_sit_in_one_row_and_the_list_keeps_most_of_the_width(qtbot, window: MainWindow) -> None:
    """Issue 17: the filter buttons wrapped onto a second row; the detail pane pushed the list aside."""
    window.resize(1280, 800)
    window.show_area(0)
    area = window.address_area.person_page
    qtbot.waitUntil(area.panel.table.isVisible)
    qtbot.wait(100)
    bar = area.filters
    row = [bar.category, bar.municipality, bar.tag, bar.reset_button, bar.columns_button]
    assert len({widget.mapTo(bar, widget.rect().topLeft()).y() for widget in row}) == 1
    left, right = area.splitter.sizes()
    assert left >= 1.4 * right
