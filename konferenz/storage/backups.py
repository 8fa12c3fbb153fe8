"""Automatic backups of a SQLite database file, and its integrity check.

Backups go into a folder next to the database (``konferenz-Sicherungen`` for ``konferenz.sqlite``): one a
day (the last 14 are kept) and one before every schema migration (the last 3 are kept). They are made with
SQLite's online backup API, so they are consistent even while someone else works with the file.
A server database is backed up by its operators (and with ``konferenz backup``); nothing happens here.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from konferenz.errors import UserError

KEEP_DAILY = 14
KEEP_PRE_MIGRATION = 3
_DAILY = re.compile(r"^(?P<stem>.+)-taeglich-(?P<date>\d{4}-\d{2}-\d{2})\.sqlite$")
_PRE_MIGRATION = re.compile(r"^(?P<stem>.+)-vor-migration-.+\.sqlite$")


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-Sicherungen"


def _copy(db_path: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".teilweise")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target


def _prune(folder: Path, pattern: re.Pattern[str], stem: str, keep: int) -> None:
    mine = sorted(
        (p for p in folder.glob("*.sqlite") if (m := pattern.match(p.name)) and m["stem"] == stem),
        key=lambda p: p.name,
    )
    for old in mine[:-keep] if keep else mine:
        old.unlink(missing_ok=True)


def daily_backup(db_path: Path, today: dt.date | None = None) -> Path | None:
    """Today's backup, unless there is one already. Returns the new file, or None."""
    if not db_path.is_file():
        return None
    today = today or dt.date.today()
    folder = backup_dir(db_path)
    target = folder / f"{db_path.stem}-taeglich-{today.isoformat()}.sqlite"
    if target.exists():
        return None
    _copy(db_path, target)
    _prune(folder, _DAILY, db_path.stem, KEEP_DAILY)
    return target


def pre_migration_backup(db_path: Path, from_revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir(db_path) / f"{db_path.stem}-vor-migration-{from_revision}-{stamp}.sqlite"
    _copy(db_path, target)
    _prune(backup_dir(db_path), _PRE_MIGRATION, db_path.stem, KEEP_PRE_MIGRATION)
    return target


@dataclass
class BackupInfo:
    path: Path
    kind: str  # "täglich" or "vor Migration"
    modified: dt.datetime


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The automatic backups of ``db_path``, newest first."""
    folder = backup_dir(db_path)
    found = []
    for p in folder.glob("*.sqlite") if folder.is_dir() else []:
        if (m := _DAILY.match(p.name)) and m["stem"] == db_path.stem:
            kind = "täglich"
        elif (m := _PRE_MIGRATION.match(p.name)) and m["stem"] == db_path.stem:
            kind = "vor Migration"
        else:
            continue
        found.append(BackupInfo(p, kind, dt.datetime.fromtimestamp(p.stat().st_mtime)))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def integrity_problem(db_path: Path) -> str | None:
    """None if SQLite's quick check passes, else its first complaint."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    return "; ".join(str(r[0]) for r in rows[:3])


class DamagedDatabaseError(UserError):
    """The database file is damaged; ``backups`` lists good candidates to restore, newest first."""

    def __init__(self, db_path: Path, problem: str, backups: list[BackupInfo]) -> None:
        newest = (
            f" Die neueste Sicherung ist „{backups[0].path}“." if backups else " Es gibt keine Sicherung."
        )
        super().__init__(
            f"Die Datenbankdatei „{db_path}“ ist beschädigt ({problem}).{newest} "
            f"Wiederherstellen mit: konferenz restore SICHERUNG --db „{db_path}“"
        )
        self.db_path = db_path
        self.backups = backups


def check_integrity(db_path: Path) -> None:
    """Raise DamagedDatabaseError (naming the newest good backup) when the file fails the quick check."""
    problem = integrity_problem(db_path)
    if problem is None:
        return
    good = [b for b in list_backups(db_path) if integrity_problem(b.path) is None]
    raise DamagedDatabaseError(db_path, problem, good)
