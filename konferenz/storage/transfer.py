"""Whole-database copies: move a SQLite file to a server, back a database up, restore a backup.

One mechanism serves all three: ``copy_database()`` copies every table in dependency order with its ids,
in one transaction on the target, resets PostgreSQL's id sequences and verifies the row counts. A backup is
always a SQLite file of the current schema, whatever the source backend, so this program opens it directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from konferenz.errors import UserError
from konferenz.storage import schema
from konferenz.storage.bulk import CHUNK, insert_rows, reset_id_sequences
from konferenz.storage.db import Database, open_database, sqlite_url
from konferenz.storage.models import Base

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

#: tables every new database is born with (konferenz.storage.reference); they are replaced by the copy
REFERENCE_TABLES = frozenset({schema.category.name, schema.municipality.name})


@dataclass
class CopyResult:
    source: str
    target: str
    #: rows per table, verified equal in source and target
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


def table_counts(conn: sa.Connection) -> dict[str, int]:
    return {
        t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
        for t in Base.metadata.sorted_tables
    }


def holds_data(database: Database) -> bool:
    """True when any table beyond the reference data has rows."""
    with database.engine.connect() as conn:
        return any(n for name, n in table_counts(conn).items() if name not in REFERENCE_TABLES)


def copy_database(
    source: Database,
    target: Database,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CopyResult:
    """Copy every table of ``source`` into the empty ``target`` (same schema), ids preserved.

    All-or-nothing: the target is written in one transaction and stays empty on any failure or cancel.
    Raises UserError when the target already holds data or the counts do not match afterwards.
    """
    if holds_data(target):
        raise UserError(
            f"Die Zieldatenbank „{target.display_name}“ enthält bereits Daten. "
            "Umzug und Wiederherstellung gehen nur in eine leere Datenbank."
        )
    tables = Base.metadata.sorted_tables
    with source.engine.connect() as src:
        expected = table_counts(src)
        total = sum(expected.values())
        done = 0

        def check() -> None:
            if cancelled is not None and cancelled():
                raise UserError("Abgebrochen. Die Zieldatenbank wurde nicht verändert.")

        def advance(rows: int) -> None:
            nonlocal done
            done += rows
            if progress is not None:
                progress(done, total)

        with target.engine.begin() as dst:
            for table in reversed(tables):
                if table.name in REFERENCE_TABLES:
                    dst.execute(table.delete())
            for table in tables:
                result = src.execution_options(yield_per=CHUNK).execute(
                    table.select().order_by(*table.primary_key.columns)
                )
                insert_rows(dst, table, result.mappings(), before_chunk=check, after_chunk=advance)
            reset_id_sequences(dst, tables)
            actual = table_counts(dst)
            if actual != expected:
                wrong = ", ".join(
                    f"{name}: {expected[name]} → {actual.get(name)}"
                    for name in expected
                    if expected[name] != actual.get(name)
                )
                raise UserError(f"Die Zeilenzahlen stimmen nach dem Kopieren nicht überein ({wrong}).")
    return CopyResult(source.display_name, target.display_name, expected)


@contextlib.contextmanager
def _raw_sqlite(database: Database) -> Iterator[sqlite3.Connection]:
    raw = database.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        yield driver
    finally:
        raw.close()


def backup(source: Database, output: Path, *, progress: Progress | None = None) -> CopyResult:
    """Write a complete SQLite copy of ``source`` to ``output`` (which must not exist yet).

    A SQLite source is copied with SQLite's online backup API (consistent while others keep working);
    a server database is copied table by table into a new file of the same schema.
    """
    output = output.expanduser().absolute()
    if output.exists():
        raise UserError(f"Die Datei „{output}“ gibt es schon. Bitte einen neuen Namen wählen.")
    if not output.parent.is_dir():
        raise UserError(f"Der Ordner „{output.parent}“ existiert nicht.")
    partial = output.with_name(output.name + ".teilweise")
    partial.unlink(missing_ok=True)
    try:
        if source.backend == "sqlite":
            with _raw_sqlite(source) as src:
                dst = sqlite3.connect(partial)
                try:
                    src.backup(
                        dst,
                        pages=1024,
                        progress=(lambda _s, remaining, total: progress(total - remaining, total))
                        if progress
                        else None,
                    )
                finally:
                    dst.close()
            copy = open_database(partial)
            try:
                with copy.engine.connect() as conn:
                    counts = table_counts(conn)
            finally:
                copy.dispose()
            result = CopyResult(source.display_name, str(output), counts)
        else:
            target = open_database(sqlite_url(partial))
            try:
                result = copy_database(source, target, progress=progress)
            finally:
                target.dispose()
            result.target = str(output)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return result


def restore(backup_file: Path, target: Database, *, progress: Progress | None = None) -> CopyResult:
    """Load a backup file into ``target``.

    A server database must be empty. A SQLite file (even a damaged one) is first saved next to itself
    (``NAME.vor-wiederherstellung-JJJJMMTT-HHMMSS.sqlite``) and then overwritten page by page with SQLite's
    backup API, which is safe while other connections have the file open. A backup of an older schema is
    migrated on a temporary copy; the backup file itself is never changed.
    """
    backup_file = backup_file.expanduser().absolute()
    if not backup_file.is_file():
        raise UserError(f"Die Sicherungsdatei „{backup_file}“ gibt es nicht.")
    with tempfile.TemporaryDirectory(prefix="konferenz-restore-") as tmp:
        work = Path(tmp) / "sicherung.sqlite"
        shutil.copy2(backup_file, work)
        try:
            source = open_database(work, create=False)
        except UserError as exc:
            raise UserError(f"„{backup_file}“ ist keine brauchbare Sicherung: {exc.message}") from exc
        try:
            if target.backend != "sqlite":
                return copy_database(source, target, progress=progress)
            target_path = Path(target.url.database or "")
            if target_path.exists() and target_path.resolve() == backup_file.resolve():
                raise UserError("Sicherung und Zieldatenbank sind dieselbe Datei.")
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            keep = target_path.with_name(
                f"{target_path.stem}.vor-wiederherstellung-{stamp}{target_path.suffix}"
            )
            if target_path.exists():
                _keep_copy(target, target_path, keep)
            with _raw_sqlite(source) as src, _raw_sqlite(target) as dst:
                src.backup(dst)
            with target.engine.connect() as conn:
                counts = table_counts(conn)
            return CopyResult(str(backup_file), target.display_name, counts)
        finally:
            source.dispose()


def _keep_copy(target: Database, path: Path, keep: Path) -> None:
    """Save the current state before it is overwritten; a damaged file is copied byte by byte."""
    try:
        with _raw_sqlite(target) as src:
            dst = sqlite3.connect(keep)
            try:
                src.backup(dst)
            finally:
                dst.close()
    except sqlite3.DatabaseError:
        keep.unlink(missing_ok=True)
        shutil.copy2(path, keep)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, keep.with_name(keep.name + "-wal"))
