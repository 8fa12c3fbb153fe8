"""Opening a database: URL resolution, engine settings per backend, automatic migration, sessions.

The same code serves a local SQLite file and a PostgreSQL server: the database is named by a path or a
SQLAlchemy URL (``--db``, ``KONFERENZ_DB``), and everything above this module is backend-neutral.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url

from konferenz import paths
from konferenz.errors import ConflictError, UserError
from konferenz.storage import migrations
from konferenz.storage.changes import DELETED, Changes

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

ENV_VAR = "KONFERENZ_DB"
READ_ONLY_OPTION = "konferenz_read_only"
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: the tables written by the unit of work running in this thread (``Database.session``), None outside one
_WRITTEN: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("konferenz_written", default=None)
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs"}


def resolve_url(db: str | os.PathLike[str] | None) -> URL:
    """The database URL for a ``--db`` value: a path or a SQLAlchemy URL; without one ``KONFERENZ_DB``, then
    the machine-wide configuration (``[datenbank] adresse`` in ``konferenz.ini`` next to the program, see
    ``paths.config_file``), then the file in the user's data folder."""
    raw = (
        os.fspath(db)
        if db is not None
        else os.environ.get(ENV_VAR) or paths.configured("datenbank", "adresse")
    )
    if not raw.strip():
        return sqlite_url(paths.default_database_path())
    raw = raw.strip()
    if "://" not in raw:
        return sqlite_url(Path(raw))
    try:
        url = make_url(raw)
    except sa.exc.ArgumentError as exc:
        raise UserError(f"„{raw}“ ist keine gültige Datenbankadresse.") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise UserError(
            f"Die Datenbankart „{url.get_backend_name()}“ wird nicht unterstützt "
            "(möglich: SQLite-Datei oder postgresql+psycopg://…)."
        )
    return url


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path.expanduser().absolute()))


def display_url(url: URL) -> str:
    """The database as shown to the user: the file path, or the server URL without password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def is_network_path(path: Path) -> bool:
    """True when ``path`` lies on a network share (no WAL there: it needs shared memory)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if os.name == "nt":
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        drive_remote = 4
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote)  # type: ignore[attr-defined]
    with contextlib.suppress(OSError):
        best, fstype = "", ""
        resolved = str(path.resolve())
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
                best, fstype = parts[1], parts[2]
        return fstype in _NETWORK_FS
    return False


def _configure_sqlite(engine: Engine, path: Path) -> None:
    use_wal = not is_network_path(path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # the driver must not open transactions itself: we emit BEGIN in _on_begin
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if use_wal:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A unit of work takes the write lock at its start (BEGIN IMMEDIATE) and waits for it up to the
        # busy timeout. A deferred transaction that reads first and writes later could instead fail at
        # once with "database is locked" when another process wrote in between.
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class Database:
    """An open, migrated database. Services open one Session per user action with ``session()``; lists
    read through ``read_connection()``.

    The ORM (and the audit listener on every unit of work, konferenz/storage/recording.py) is set up on the first
    session, not when the database is opened: the window shows its first list through Core alone.
    """

    url: URL
    engine: Engine
    _factories: tuple[sessionmaker[Session], sessionmaker[Session]] | None = field(
        default=None, init=False, repr=False
    )
    _reader: Engine | None = field(default=None, init=False, repr=False)

    @property
    def _sessions(self) -> sessionmaker[Session]:
        return self._session_factories()[0]

    def _session_factories(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        """The factories of writing and of read-only sessions, made on first use."""
        if self._factories is None:
            from sqlalchemy.orm import sessionmaker

            from konferenz.storage import recording

            writing = sessionmaker(self.engine, expire_on_commit=False)
            recording.install_audit(writing)  # every unit of work is audited
            reading = sessionmaker(self._read_engine(), expire_on_commit=False)
            self._factories = (writing, reading)
        return self._factories

    def _read_engine(self) -> Engine:
        """The engine with the read-only option (a plain BEGIN on SQLite instead of BEGIN IMMEDIATE)."""
        if self._reader is None:
            self._reader = self.engine.execution_options(**{READ_ONLY_OPTION: True})
        return self._reader

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @property
    def display_name(self) -> str:
        return display_url(self.url)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any exception.

        A save that hits a record someone else changed meanwhile (stale ``version``) raises ConflictError.
        The tables it wrote count for an enclosing ``track()`` once it has committed.
        """
        from sqlalchemy.orm.exc import StaleDataError

        outer = _WRITTEN.get()
        mine: set[str] = set()
        token = _WRITTEN.set(mine)
        try:
            with self._sessions.begin() as session:
                yield session
        except StaleDataError as exc:
            raise ConflictError() from exc
        finally:
            _WRITTEN.reset(token)
        if outer is not None:
            outer |= mine

    @contextlib.contextmanager
    def track(self) -> Iterator[Changes]:
        """Collect what the units of work inside the block write and commit (in this thread): the
        ``Changes`` yielded is filled as they commit; a unit of work that rolls back adds nothing."""
        changes = Changes()
        token = _WRITTEN.set(changes.tables)
        try:
            yield changes
        finally:
            _WRITTEN.reset(token)

    @contextlib.contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading only; never commits and takes no write lock."""
        session = self._session_factories()[1]()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was loaded, so read objects stay usable
            session.close()

    @contextlib.contextmanager
    def read_connection(self) -> Iterator[sa.Connection]:
        """A Core connection for reading only (lists, counts); never commits, takes no write lock."""
        with self._read_engine().connect() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()


@event.listens_for(sa.Engine, "before_execute")
def _note_write(
    _conn: sa.Connection, clauseelement: Any, _multiparams: Any, _params: Any, _execution_options: Any
) -> None:
    """Every INSERT, UPDATE and DELETE – ORM flushes and Core statements – notes its table for the unit of
    work it runs in (see ``Database.track``)."""
    written = _WRITTEN.get()
    if written is not None and isinstance(clauseelement, sa.sql.dml.UpdateBase):
        name = getattr(getattr(clauseelement, "table", None), "name", None)
        if name:
            written.add(name)
            if isinstance(clauseelement, sa.Delete):
                written.add(name + DELETED)


def create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, path)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _check_sqlite_path(url: URL, *, create: bool) -> None:
    path = Path(url.database or "")
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner, keine Datenbankdatei.")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise UserError(f"Die Datenbankdatei „{path}“ kann nicht gelesen werden (keine Berechtigung).")
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise UserError(f"Die Datei „{path}“ ist keine Konferenz-Datenbank.")
        return
    if not create:
        raise UserError(f"Die Datenbankdatei „{path}“ gibt es nicht.")
    if not path.parent.is_dir():
        raise UserError(f"Der Ordner „{path.parent}“ für die Datenbank existiert nicht.")


def open_database(
    db: str | os.PathLike[str] | URL | None = None,
    *,
    create: bool = True,
    migrate: bool = True,
    check: bool = True,
) -> Database:
    """Open (and, if needed, create or migrate) the database named by ``db``.

    An existing SQLite file is first checked for damage (``check``; DamagedDatabaseError names the newest
    good backup) and backed up before a schema migration.
    Raises ``UserError`` for anything the user can fix: a missing folder, a file that is not a Konferenz
    database, a server that cannot be reached, a database of a newer program version.
    """
    url = db if isinstance(db, URL) else resolve_url(db)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_path(url, create=create)
        path = Path(url.database or "")
        if check and path.is_file() and path.stat().st_size > 0:
            from konferenz.storage.backups import check_integrity

            check_integrity(path)
    engine = create_engine(url)
    database = Database(url, engine)
    try:
        if migrate:
            migrations.ensure_current(engine, display_url(url))
        else:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
    except UserError:
        engine.dispose()
        raise
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise UserError(f"Die Datenbank „{display_url(url)}“ kann nicht geöffnet werden: {reason}") from exc
    except sa.exc.DatabaseError as exc:
        engine.dispose()
        raise UserError(f"„{display_url(url)}“ ist keine lesbare Konferenz-Datenbank.") from exc
    return database


def server_url(host: str, port: int, database: str, username: str, password: str) -> URL:
    """The URL of a PostgreSQL database on a server (empty user name, password or host: none given)."""
    return URL.create(
        "postgresql+psycopg",
        username=username or None,
        password=password or None,
        host=host or None,
        port=port,
        database=database,
    )
