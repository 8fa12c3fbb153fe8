"""Helpers shared by test modules (tests/ is on sys.path, see conftest.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from konferenz.storage.db import open_database
from konferenz.storage.models import Person


def make_db(path: Path, persons: int = 50) -> None:
    database = open_database(path)
    with database.session() as s:
        s.execute(
            sa.insert(Person), [{"last_name": f"Şahin {i}", "first_name": "Ali"} for i in range(persons)]
        )
    database.dispose()


def damage(path: Path) -> None:
    """Overwrite the middle of the file with garbage, as a failing disk or a broken copy would."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6), 7):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))
