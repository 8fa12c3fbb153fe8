"""Automatic backups of the SQLite file, integrity check on open, restore of a damaged file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import damage, make_db

from konferenz.storage import backups, migrations, transfer
from konferenz.storage.db import open_database
from konferenz.storage.models import Person


def test_daily_backup_once_a_day_and_only_14_kept(tmp_path: Path) -> None:
    db = tmp_path / "konferenz.sqlite"
    make_db(db)
    day = dt.date(2026, 1, 1)
    assert backups.daily_backup(db, today=day) is not None
    assert backups.daily_backup(db, today=day) is None
    for i in range(1, 20):
        backups.daily_backup(db, today=day + dt.timedelta(days=i))
    kept = [b for b in backups.list_backups(db) if b.kind == "täglich"]
    assert len(kept) == backups.KEEP_DAILY
    names = sorted(b.path.name for b in kept)
    assert names[0] == "konferenz-taeglich-2026-01-07.sqlite"
    assert names[-1] == "konferenz-taeglich-2026-01-20.sqlite"
    copy = open_database(kept[0].path, create=False)
    try:
        with copy.read_session() as s:
            assert s.scalar(sa.select(sa.func.count(Person.id))) == 50
    finally:
        copy.dispose()


def test_backup_before_migration(tmp_path: Path) -> None:
    db = tmp_path / "konferenz.sqlite"
    make_db(db)
    for _ in range(4):
        database = open_database(db)
        migrations.downgrade(database.engine, "0001")
        database.dispose()
        open_database(db).dispose()  # upgrades again, backing up first
    pre = [b for b in backups.list_backups(db) if b.kind == "vor Migration"]
    assert len(pre) == backups.KEEP_PRE_MIGRATION
    with sqlite3.connect(pre[0].path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (50,)


def test_damaged_file_is_reported_with_newest_good_backup_and_can_be_restored(tmp_path: Path) -> None:
    db = tmp_path / "konferenz.sqlite"
    make_db(db, persons=2000)
    good = backups.daily_backup(db, today=dt.date(2026, 3, 1))
    assert good is not None
    damage(db)
    with pytest.raises(backups.DamagedDatabaseError) as info:
        open_database(db)
    assert "beschädigt" in info.value.message
    assert str(good) in info.value.message
    assert info.value.backups[0].path == good

    target = open_database(db, check=False, migrate=False)
    try:
        transfer.restore(good, target)
    finally:
        target.dispose()
    repaired = open_database(db)
    try:
        with repaired.read_session() as s:
            assert s.scalar(sa.select(sa.func.count(Person.id))) == 2000
    finally:
        repaired.dispose()
    assert list(tmp_path.glob("konferenz.vor-wiederherstellung-*.sqlite"))
