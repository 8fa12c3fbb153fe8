"""migrate-to, backup and restore as the Kreis's IT runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from test_cli import assert_one_line_error, run_cli

from konferenz.storage.db import open_database
from konferenz.storage.transfer import table_counts


def counts(db: str) -> dict[str, int]:
    database = open_database(db, create=False)
    try:
        with database.engine.connect() as conn:
            return table_counts(conn)
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "200")
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.postgres
def test_migrate_to_server_and_back(demo_file: Path, backend: str, db_url: str, tmp_path: Path) -> None:
    if backend != "postgresql":
        pytest.skip("migrate-to zielt auf einen PostgreSQL-Server")
    result = run_cli("migrate-to", db_url, "--db", str(demo_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Umzug fertig:")
    assert counts(db_url) == counts(str(demo_file))

    again = run_cli("migrate-to", db_url, "--db", str(demo_file))
    assert_one_line_error(again, "enthält bereits Daten")

    out = tmp_path / "server-sicherung.sqlite"
    result = run_cli("backup", "-o", str(out), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert counts(str(out)) == counts(str(demo_file))


def test_migrate_to_needs_postgresql_target(demo_file: Path, tmp_path: Path) -> None:
    result = run_cli("migrate-to", str(tmp_path / "ziel.sqlite"), "--db", str(demo_file))
    assert_one_line_error(result, "PostgreSQL")


def test_backup_and_restore_sqlite(demo_file: Path, tmp_path: Path) -> None:
    work = tmp_path / "arbeit.sqlite"
    work.write_bytes(demo_file.read_bytes())
    out = tmp_path / "sicherung.sqlite"
    assert run_cli("backup", "-o", str(out), "--db", str(work)).returncode == 0
    before = counts(str(work))
    engine = sa.create_engine(f"sqlite:///{work}")
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM invitation"))
    engine.dispose()
    assert counts(str(work))["invitation"] == 0
    result = run_cli("restore", str(out), "--db", str(work))
    assert result.returncode == 0, result.stderr
    assert counts(str(work)) == before
    assert len(list(tmp_path.glob("arbeit.vor-wiederherstellung-*.sqlite"))) == 1


def test_backup_refuses_existing_file(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "da.sqlite"
    out.write_text("x")
    assert_one_line_error(run_cli("backup", "-o", str(out), "--db", str(demo_file)), "gibt es schon")
