"""The import wizard walked to the end (file, mapping, preview, commit, undo) and the list export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
    QWizard,
)
from test_table_model import add_persons

from konferenz.enums import Gender
from konferenz.importing.plan import Outcome, RowChoice
from konferenz.registry import persons as registry_persons
from konferenz.registry import validation
from konferenz.storage.changes import ORGANISATIONS, PERSONS
from konferenz.storage.db import Database
from konferenz.storage.models import ImportBatch, Organisation, Person
from konferenz.text import fold
from ui.context import AppContext
from ui.settings import settings
from ui.shell.main_window import MainWindow
from ui.spreadsheets.import_preview import PreviewModel
from ui.spreadsheets.import_undo import ImportsDialog
from ui.spreadsheets.import_wizard import ImportWizard

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def _snapshot(database: Database) -> dict[str, Any]:
    with database.read_session() as s:
        persons = s.execute(
            sa.select(
                Person.id, Person.first_name, Person.last_name, Person.gender, Person.email, Person.function
            ).order_by(Person.id)
        ).all()
        organisations = s.scalars(sa.select(Organisation.name).order_by(Organisation.id)).all()
    return {"persons": [tuple(p) for p in persons], "organisations": list(organisations)}


def _person(database: Database, person_id: int) -> Person:
    with database.read_session() as s:
        found = s.get(Person, person_id)
        assert found is not None
        return found


def test_wizard_walks_to_the_end_and_undoes_the_import(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = registry_persons.create_person(sqlite_db, validation.PersonData(**fx.SEEDED_PERSON))
    path, rows = fx.staff_list_xlsx(tmp_path)
    before = _snapshot(sqlite_db)
    ctx = AppContext(sqlite_db)
    announced: list[frozenset[str]] = []
    ctx.data_changed.connect(announced.append)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)

    # 1. the file, chosen through the file dialog; the sheet with the list is found behind the notes sheet
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.file_page.browse_button, Qt.MouseButton.LeftButton)
    assert wizard.plan is not None
    assert wizard.file_page.sheet_combo.currentText() == "Einladungsliste 2025"
    assert wizard.file_page.sheet_combo.count() == 2
    assert "Kopfzeile 4" in wizard.file_page.info_label.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()

    # 2. the mapping: detected fields are shown with sample values; "Funktion" is left out
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    headers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]
    assert [h.strip() for h in headers] == [h.strip() for h in fx.STAFF_HEADER]
    function_row = [h.strip() for h in headers].index("Funktion")
    assert page.combos[function_row].currentData() == "function"
    assert "Geschäftsführer" in page.table.item(function_row, 2).text()
    page.set_field("Funktion", None)
    wizard.next()  # re-mapped in the background
    assert wizard.plan.mapping()[function_row] is None

    # 3. the preview: every row, counts on top, "nur Probleme", a per-row choice for the duplicate
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    assert preview.model.rowCount() == 17
    assert "17 Zeilen: 12 neu, 0 aktualisieren, 2 Dubletten, 3 abgelehnt." in preview.counts_label.text()
    controls = [w for w in wizard.findChildren(QWidget) if isinstance(w, (QLineEdit, QTableView, QComboBox))]
    assert len(controls) >= 15
    assert [type(w).__name__ for w in controls if not w.accessibleName()] == []
    preview.only_problems.setChecked(True)
    shown = preview.proxy.rowCount()
    assert 5 <= shown < 17
    outcomes = {preview.proxy.index(r, PreviewModel.OUTCOME).data() for r in range(shown)}
    assert {"Dublette", "abgelehnt"} <= outcomes
    schmidt = next(
        r for r in range(shown) if preview.proxy.index(r, PreviewModel.ROW).data() == rows["schmidt"]
    )
    choice_index = preview.proxy.index(schmidt, PreviewModel.CHOICE)
    assert choice_index.data() == "überspringen"
    assert choice_index.flags() & Qt.ItemFlag.ItemIsEditable
    # the user opens the row's combobox and picks "aktualisieren"
    preview.table.setCurrentIndex(choice_index)
    preview.table.edit(choice_index)
    editor = preview.table.indexWidget(choice_index) or preview.table.focusWidget()
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "überspringen",
        "aktualisieren",
        "trotzdem anlegen",
    ]
    editor.setCurrentIndex(editor.findData(RowChoice.UPDATE.value))
    editor.activated.emit(editor.currentIndex())
    preview.table.setFocus()
    assert choice_index.data() == "aktualisieren"
    assert preview.model.choices == {rows["schmidt"]: RowChoice.UPDATE}
    assert _snapshot(sqlite_db) == before  # nothing written before the commit

    # 4. commit ("Importieren"), then the summary
    wizard.next()
    assert wizard.currentPage() is wizard.result_page
    report = wizard.report
    assert report is not None and report.batch_id is not None
    outcome = {r.excel_row: r.outcome for r in report.rows}
    assert outcome[rows["schmidt"]] is Outcome.UPDATED
    assert outcome[rows["mueller_again"]] is Outcome.DUPLICATE
    assert outcome[rows["mueller"]] is Outcome.CREATED
    summary = wizard.result_page.summary_label.text()
    assert "17 Zeilen gelesen: 12 angelegt, 1 aktualisiert, 1 Dubletten, 3 abgelehnt." in summary
    assert "Abgelehnte Zeilen:" in summary
    assert any({PERSONS, ORGANISATIONS} <= kinds for kinds in announced)
    with sqlite_db.read_session() as s:
        created = s.scalars(sa.select(Person).where(Person.import_batch_id == report.batch_id)).all()
        assert len(created) == sum(
            1 for r in report.rows if r.outcome is Outcome.CREATED and r.kind == "person"
        )
        mueller = next(p for p in created if p.last_name == "Müller")
        assert mueller.first_name == "Hans"
        assert not mueller.function  # the column was left out
        assert s.get(ImportBatch, report.batch_id) is not None
    assert _person(sqlite_db, seeded).gender is Gender.FEMALE  # updated from "Frau"

    # undo: confirmed, and the database is as before
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    announced.clear()
    qtbot.mouseClick(wizard.result_page.undo_button, Qt.MouseButton.LeftButton)
    assert "rückgängig gemacht" in wizard.result_page.undo_label.text()
    assert not wizard.result_page.undo_button.isEnabled()
    assert any({PERSONS, ORGANISATIONS} <= kinds for kinds in announced)
    assert _snapshot(sqlite_db) == before
    assert _person(sqlite_db, seeded).gender is Gender.UNKNOWN


def test_undo_is_refused_with_the_reasons_once_a_record_was_edited(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fx.write_csv(tmp_path / "liste.csv", [fx.SIMPLE_HEADER, *fx.SIMPLE_ROWS])
    ctx = AppContext(sqlite_db)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.open_file(path)
    wizard.next()
    wizard.next()
    wizard.next()
    report = wizard.report
    assert report is not None and report.created == 2
    person_id = next(r.id for r in report.rows if r.kind == "person")
    assert person_id is not None
    with sqlite_db.session() as s:
        person = s.get_one(Person, person_id)
        person.function = "Leitung"
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert not wizard.undo()
    assert warnings and "nicht rückgängig" in warnings[0]
    assert _person(sqlite_db, person_id).function == "Leitung"

    # Datei → Importe … lists it (not undone)
    dialog = ImportsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 2).text() == "liste.csv"


def test_unreadable_file_is_reported_and_keeps_the_wizard_on_the_first_page(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    wizard = ImportWizard(AppContext(sqlite_db))
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.open_file(fx.not_a_spreadsheet(tmp_path))
    assert warnings
    assert wizard.plan is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


@pytest.fixture
def window(qtbot: Any, sqlite_db: Database) -> MainWindow:
    settings().clear()
    add_persons(sqlite_db, 60)
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    qtbot.waitExposed(win)
    return win


def test_list_export_writes_the_visible_columns_in_the_current_order(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_area(0)
    window.address_area.setCurrentIndex(0)
    panel = window.current_panel()
    model = panel.model
    assert model.source.name == "Personen"
    panel.search_field.setText("Bocholt")
    panel.apply_search()
    model.sort(model.source.column_index("first_name"), Qt.SortOrder.DescendingOrder)
    header = panel.table.horizontalHeader()
    header.hideSection(model.source.column_index("phone"))
    header.hideSection(model.source.column_index("title"))
    # "E-Mail" moved in front
    header.moveSection(header.visualIndex(model.source.column_index("email")), 0)
    target = tmp_path / "personen"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: infos.append(text))
    window.file_actions.export_list.trigger()

    written = tmp_path / "personen.xlsx"
    assert written.exists()
    assert infos and str(written) in infos[0]
    sheet = load_workbook(written).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    expected_headers = [
        model.headerData(header.logicalIndex(v), Qt.Orientation.Horizontal)
        for v in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(v))
    ]
    assert values[0] == expected_headers
    assert values[0][0] == "E-Mail"
    assert "Telefon" not in values[0] and "Titel" not in values[0]
    assert len(values) - 1 == model.rowCount() == 40
    email_column = model.source.column_index("email")
    assert [r[0] for r in values[1:]] == [
        model.index(row, email_column).data() for row in range(model.rowCount())
    ]
    first_names = [r[values[0].index("Vorname")] for r in values[1:]]
    assert first_names == sorted(first_names, key=fold, reverse=True)
    assert sheet.freeze_panes == "A2"


def test_file_menu_has_import_and_export(window: MainWindow) -> None:
    actions = window.file_actions
    assert actions.import_file.shortcut().toString() == "Ctrl+I"
    assert actions.export_list.shortcut().toString() == "Ctrl+E"
    file_menu = window.menuBar().actions()[0].menu()
    assert actions.import_file in file_menu.actions()
    assert actions.imports in file_menu.actions()
