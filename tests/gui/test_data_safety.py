"""Datei → Sicherung anlegen / zurückspielen / Auf Server umziehen, and restoring a damaged file on start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import damage, make_db
from PySide6.QtWidgets import QFileDialog, QMessageBox

from konferenz.storage import backups
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Person
from konferenz.storage.transfer import table_counts
from ui.shell import data_safety
from ui.shell.main_window import MainWindow


def add_people(db: Database, n: int, name: str = "Şahin") -> None:
    with db.session() as s:
        s.execute(sa.insert(Person), [{"last_name": f"{name} {i}", "first_name": "Elif"} for i in range(n)])


@pytest.fixture
def window(qtbot, sqlite_db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    add_people(sqlite_db, 25)
    w = MainWindow(sqlite_db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.is_loaded)
    return w


def test_menu_has_the_entries(window: MainWindow) -> None:
    texts = [a.text().replace("&", "") for a in window.data_safety_actions]
    assert texts == ["Sicherung anlegen …", "Sicherung zurückspielen …", "Auf Server umziehen …"]


def test_backup_and_restore_from_the_window(window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "sicherung.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert data_safety.make_backup(window) == target
    assert "Sicherung geschrieben" in window.statusBar().currentMessage()

    add_people(window.ctx.database, 5, "Nach der Sicherung")
    window.load_lists()
    assert window.area_counts()["Personen"] == 30
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert data_safety.restore_backup(window, chosen=target)
    assert window.area_counts()["Personen"] == 25
    with window.ctx.database.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Person.id))) == 25


def test_restore_can_be_declined(window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "sicherung.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    data_safety.make_backup(window)
    add_people(window.ctx.database, 5, "Bleibt")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not data_safety.restore_backup(window, chosen=target)
    with window.ctx.database.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Person.id))) == 30


def test_backup_chooser_lists_automatic_backups(qtbot, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    path = Path(sqlite_db.url.database or "")
    backups.daily_backup(path, today=dt.date(2026, 1, 2))
    backups.daily_backup(path, today=dt.date(2026, 1, 3))
    chooser = data_safety.BackupChooser(path)
    qtbot.addWidget(chooser)
    assert chooser.list.count() == 2
    assert "täglich" in chooser.list.item(0).text()


@pytest.mark.postgres
def test_move_to_server(window: MainWindow, backend: str, db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if backend != "postgresql":
        pytest.skip("Umzug zielt auf einen PostgreSQL-Server")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    source_counts = _counts(window.ctx.database)
    assert data_safety.move_to_server(window, url=sa.engine.make_url(db_url))
    assert window.ctx.database.backend == "postgresql"
    assert _counts(window.ctx.database) == source_counts
    assert window.area_counts()["Personen"] == 25


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return table_counts(conn)


def test_damaged_file_offers_restore(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "konferenz.sqlite"
    make_db(path, persons=2000)
    backups.daily_backup(path, today=dt.date(2026, 3, 1))
    damage(path)
    with pytest.raises(backups.DamagedDatabaseError) as info:
        open_database(path)
    asked: list[str] = []

    def yes(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    assert data_safety.offer_restore(info.value)
    assert "beschädigt" in asked[0]
    repaired = open_database(path)
    try:
        with repaired.read_session() as s:
            assert s.scalar(sa.select(sa.func.count(Person.id))) == 2000
    finally:
        repaired.dispose()
