"""The import wizard by keyboard (issue 17): Enter, Enter on the last page finishes instead of undoing the
import, the undo question names the count and defaults to Nein, a typed path is taken (a missing file is
named in German), and Enter after choosing a file goes to Weiter, not to the file chooser again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWizard

from konferenz.storage.db import Database
from konferenz.storage.models import ImportBatch, Person
from ui.context import AppContext
from ui.spreadsheets.import_wizard import ImportWizard

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def _wizard(qtbot: Any, database: Database) -> ImportWizard:
    wizard = ImportWizard(AppContext(database))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    qtbot.waitUntil(wizard.isActiveWindow, timeout=2000)
    return wizard


def _persons(database: Database) -> int:
    with database.read_session() as s:
        return s.scalar(sa.select(sa.func.count(Person.id))) or 0


def _enter(qtbot: Any) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_enter_enter_on_the_last_page_finishes_and_keeps_the_import(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions: list[tuple[str, Any]] = []

    def answer(_parent: Any, _title: str, text: str, _buttons: Any = None, default: Any = None) -> Any:
        questions.append((text, default))
        return default  # the user presses Enter

    monkeypatch.setattr(QMessageBox, "question", answer)
    path, _rows = fx.staff_list_xlsx(tmp_path)
    wizard = _wizard(qtbot, sqlite_db)
    assert wizard.open_file(path)
    wizard.next()
    wizard.next()
    wizard.next()  # Importieren
    assert wizard.currentPage() is wizard.result_page
    imported = _persons(sqlite_db)
    assert imported > 0
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is finish, timeout=2000)
    assert not wizard.result_page.undo_button.autoDefault()
    _enter(qtbot)
    assert not wizard.isVisible()  # "Fertig" closed the wizard
    assert questions == []
    assert _persons(sqlite_db) == imported

    # the undo button itself asks with the count, and Enter there answers "Nein"
    wizard = _wizard(qtbot, sqlite_db)
    assert wizard.open_file(fx.german_csv(tmp_path))
    wizard.next()
    wizard.next()
    wizard.next()
    report = wizard.report
    assert report is not None and report.batch_id is not None
    before = _persons(sqlite_db)
    qtbot.mouseClick(wizard.result_page.undo_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 1
    text, default = questions[0]
    count = report.created + report.updated
    assert text.startswith(f"Den Import von {count} Personen und Organisationen rückgängig machen")
    assert default == QMessageBox.StandardButton.No
    assert _persons(sqlite_db) == before
    with sqlite_db.read_session() as s:
        batch = s.get(ImportBatch, report.batch_id)
        assert batch is not None and batch.undone_at is None


def test_a_typed_path_is_read_and_a_missing_file_is_named(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    path = fx.german_csv(tmp_path)
    wizard = _wizard(qtbot, sqlite_db)
    page = wizard.file_page
    assert not page.path_field.isReadOnly()
    page.path_field.setFocus()
    missing = tmp_path / "gibt-es-nicht.xlsx"
    qtbot.keyClicks(page.path_field, str(missing))
    assert page.path_field.text() == str(missing)  # the typed path stays
    _enter(qtbot)
    assert wizard.currentPage() is page
    assert warnings and f"Die Datei „{missing}“ gibt es nicht" in warnings[0]
    assert wizard.plan is None

    page.path_field.clear()
    qtbot.keyClicks(page.path_field, str(path))
    _enter(qtbot)  # reads the file and shows what was found
    assert wizard.plan is not None and wizard.plan.path == path
    assert wizard.currentPage() is page
    assert "Datenzeilen" in page.info_label.text()
    _enter(qtbot)
    assert wizard.currentPage() is wizard.mapping_page


def test_enter_after_choosing_a_file_goes_to_weiter(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fx.german_csv(tmp_path)
    chooser: list[str] = []

    def choose(*_a: Any, **_k: Any) -> tuple[str, str]:
        chooser.append("opened")
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    wizard = _wizard(qtbot, sqlite_db)
    page = wizard.file_page
    assert not page.browse_button.autoDefault()
    page.browse_button.setFocus()
    qtbot.keyClick(page.browse_button, Qt.Key.Key_Space)
    assert chooser == ["opened"] and wizard.plan is not None
    _enter(qtbot)
    assert chooser == ["opened"]  # not opened a second time
    assert wizard.currentPage() is wizard.mapping_page
