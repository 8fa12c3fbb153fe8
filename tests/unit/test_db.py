"""Database location and opening: paths, URLs, environment, errors in German."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz.errors import UserError
from konferenz.storage import db as dbmod
from konferenz.storage.db import display_url, open_database, resolve_url
from konferenz.storage.models import Category, Municipality


def test_path_becomes_sqlite_url(tmp_path: Path) -> None:
    url = resolve_url(tmp_path / "a.sqlite")
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "a.sqlite")


def test_environment_variable_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KONFERENZ_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None).database == str(tmp_path / "env.sqlite")


def test_argument_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KONFERENZ_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(str(tmp_path / "arg.sqlite")).database == str(tmp_path / "arg.sqlite")


def test_default_is_in_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KONFERENZ_DB", raising=False)
    assert resolve_url(None).database == str(dbmod.paths.default_database_path())


def test_machine_wide_configuration_comes_after_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """IT sets the default database for every user of a PC in konferenz.ini next to the program (or the
    file KONFERENZ_CONFIG names); KONFERENZ_DB and --db still win."""
    config = tmp_path / "konferenz.ini"
    config.write_text(
        "# vom IT-Dienst verteilt\n[datenbank]\nadresse = postgresql://ki@server.kreis-borken.de/konferenz\n",
        encoding="utf-8-sig",  # Notepad writes a BOM
    )
    monkeypatch.setenv("KONFERENZ_CONFIG", str(config))
    monkeypatch.delenv("KONFERENZ_DB", raising=False)
    assert resolve_url(None).render_as_string() == "postgresql+psycopg://ki@server.kreis-borken.de/konferenz"
    monkeypatch.setenv("KONFERENZ_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None).database == str(tmp_path / "env.sqlite")
    monkeypatch.delenv("KONFERENZ_DB")
    config.write_bytes(b"\xff\xfe kaputt")  # unreadable: the default, with a note in the log
    assert resolve_url(None).database == str(dbmod.paths.default_database_path())


def test_the_installed_program_reads_konferenz_ini_next_to_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "konferenz.ini").write_text(
        "[datenbank]\nadresse = P:\\KI\\konferenz.sqlite\n", encoding="utf-8"
    )
    monkeypatch.delenv("KONFERENZ_CONFIG", raising=False)
    monkeypatch.delenv("KONFERENZ_DB", raising=False)
    monkeypatch.setattr(dbmod.paths.sys, "frozen", True, raising=False)
    monkeypatch.setattr(dbmod.paths.sys, "executable", str(tmp_path / "konferenz.exe"))
    assert dbmod.paths.config_file() == tmp_path / "konferenz.ini"
    assert dbmod.paths.configured("datenbank", "adresse") == "P:\\KI\\konferenz.sqlite"


def test_plain_postgresql_url_gets_psycopg_driver() -> None:
    url = resolve_url("postgresql://ki@server.kreis-borken.de/konferenz")
    assert url.drivername == "postgresql+psycopg"


def test_password_is_hidden_in_display() -> None:
    url = resolve_url("postgresql://ki:geheim@server/konferenz")
    assert "geheim" not in display_url(url)


def test_unsupported_backend() -> None:
    with pytest.raises(UserError, match="nicht unterstützt"):
        resolve_url("mysql://a@b/c")


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        open_database(tmp_path / "fehlt.sqlite", create=False)
    assert not (tmp_path / "fehlt.sqlite").exists()


def test_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "liste.sqlite"
    path.write_text("Name;Vorname\n", encoding="utf-8")
    with pytest.raises(UserError, match="keine Konferenz-Datenbank"):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "Name;Vorname\n"


def test_new_database_has_reference_data(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.read_session() as s:
            assert s.scalar(sa.select(sa.func.count(Municipality.id))) == 17
            names = set(s.scalars(sa.select(Category.name)))
        assert {"Migrantenselbstorganisation", "Kommune", "Freier Träger", "Sonstige"} <= names
    finally:
        database.dispose()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    database = open_database(tmp_path / "p.sqlite")
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == dbmod.SQLITE_BUSY_TIMEOUT_MS
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.dispose()


def test_network_path_detection() -> None:
    assert dbmod.is_network_path(Path("//server/share/konferenz.sqlite"))
    assert not dbmod.is_network_path(Path("/tmp/konferenz.sqlite"))


def test_session_rolls_back_on_error(db: dbmod.Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(Category(name="Testkategorie"))
        s.flush()
        raise RuntimeError("mitten in der Aktion")
    with db.read_session() as s:
        assert s.scalar(sa.select(Category).where(Category.name == "Testkategorie")) is None


def test_foreign_keys_enforced(db: dbmod.Database) -> None:
    from konferenz.storage.models import Role

    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.add(Role(person_id=999_999, organisation_id=999_999))
