"""The command line as IT staff and scripts use it: real processes, real files, exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz import __version__
from konferenz.storage.db import open_database
from konferenz.storage.models import Conference, Organisation, Person


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert re.match(r"^konferenz( [a-z-]+)*: Fehler: ", lines[0]), lines[0]
    for fragment in fragments:
        assert fragment in lines[0]


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"konferenz {__version__}"


def test_help_is_german() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Aufruf: konferenz")
    assert "Optionen" in result.stdout
    assert "diese Hilfe zeigen und beenden" in result.stdout
    assert "demo" in result.stdout


def test_unknown_argument_is_one_german_line() -> None:
    result = run_cli("--gibtsnicht")
    assert_one_line_error(result, "unbekannte Angaben", "--gibtsnicht")


def test_bad_number_is_one_german_line(tmp_path: Path) -> None:
    result = run_cli("demo", "--db", str(tmp_path / "x.sqlite"), "--persons", "viele")
    assert_one_line_error(result, "viele")


@pytest.mark.parametrize(
    ("make_target", "fragment"),
    [
        (lambda p: p / "fehlt" / "x.sqlite", "existiert nicht"),
        (lambda p: p, "ist ein Ordner"),
        (
            lambda p: (p / "notiz.sqlite", (p / "notiz.sqlite").write_text("kein SQLite"))[0],
            "keine Konferenz",
        ),
        (lambda p: (p / "leer.xlsx", (p / "leer.xlsx").write_bytes(b"PK\x03\x04" + bytes(100)))[0], "keine"),
    ],
    ids=["missing-folder", "directory", "text-file", "other-binary"],
)
def test_bad_db_exits_2_with_one_line(tmp_path: Path, make_target, fragment: str) -> None:  # type: ignore[no-untyped-def]
    target = make_target(tmp_path)
    result = run_cli("--check", "--db", str(target))
    assert_one_line_error(result, fragment)


def test_unreachable_server_exits_2_without_password(tmp_path: Path) -> None:
    result = run_cli("--check", "--db", "postgresql+psycopg://ki:geheim123@127.0.0.1:1/konferenz")
    assert_one_line_error(result, "kann nicht geöffnet werden")
    assert "geheim123" not in result.stderr


def test_unsupported_url_scheme(tmp_path: Path) -> None:
    result = run_cli("--check", "--db", "mysql://x@y/z")
    assert_one_line_error(result, "nicht unterstützt")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fremd.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE kunden (id INTEGER)"))
    engine.dispose()
    result = run_cli("--check", "--db", str(path))
    assert_one_line_error(result, "keine Konferenz-Datenbank")


def test_demo_fills_database_and_refuses_a_second_time(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "120", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Demodaten angelegt: 120 Personen")
    database = open_database(path)
    try:
        with database.read_session() as s:
            assert s.scalar(sa.select(sa.func.count(Person.id))) == 120
            assert s.scalar(sa.select(sa.func.count(Organisation.id))) > 17
            assert s.scalar(sa.select(sa.func.count(Conference.id))) == 4
    finally:
        database.dispose()
    again = run_cli("demo", "--db", str(path))
    assert_one_line_error(again, "enthält bereits Daten")


def test_db_from_environment_variable(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite"
    result = run_cli("demo", "--persons", "30", env={"KONFERENZ_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_check_prints_counts_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "check.sqlite"
    assert run_cli("demo", "--db", str(path), "--persons", "50").returncode == 0
    result = run_cli("--check", "--db", str(path), env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "50 Personen" in lines[0]
    assert "4 Konferenzen" in lines[0]


def test_bug_is_logged_with_traceback(tmp_path: Path) -> None:
    """An unexpected exception gives exit 1, one line naming the log file, and a traceback in the log."""
    state = tmp_path / "state"
    code = (
        "import sys; import ui.commands.cli as c\n"
        "def boom(args): raise RuntimeError('absichtlicher Fehler')\n"
        "c.cmd_demo = boom\n"
        "p = c.build_parser\n"
        "def patched(**kw):\n"
        "    parser = p(**kw)\n"
        "    parser.set_defaults(command=boom)\n"
        "    return parser\n"
        "c.build_parser = patched\n"
        f"sys.exit(c.main(['--db', r'{tmp_path / 'x.sqlite'}']))\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(state), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Protokolldatei" in result.stderr
    logs = list(state.rglob("konferenz.log"))
    assert logs, "no log file written"
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "absichtlicher Fehler" in text


def test_garbage_collector_is_back_on_after_the_start(tmp_path: Path) -> None:
    """The collector is off while the window starts (ui.commands.cli.main) and on again once the lists show; what
    the start created is frozen out of later collections."""
    path = tmp_path / "gc.sqlite"
    assert run_cli("demo", "--db", str(path), "--persons", "20").returncode == 0
    code = (
        "import gc, sys; import ui.commands.cli as c\n"
        f"code = c.main(['--check', '--db', r'{path}'])\n"
        "print('ENABLED', gc.isenabled(), 'FROZEN', gc.get_freeze_count() > 0)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path / "state")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "ENABLED True FROZEN True" in result.stdout


def test_window_shows_its_first_list_without_the_orm(tmp_path: Path) -> None:
    """The start path reads through Core (konferenz.storage.schema, konferenz.lists.registry): neither the ORM nor the
    models are imported before the Adressen area shows its lists; the detail panes bring them later."""
    path = tmp_path / "start.sqlite"
    assert run_cli("demo", "--db", str(path), "--persons", "30").returncode == 0
    code = (
        "import sys; from ui.shell import app\n"
        "finished = app.startup_finished\n"
        "def spy():\n"
        "    print('ORM', 'sqlalchemy.orm' in sys.modules, 'MODELS', 'konferenz.storage.models' in sys.modules)\n"
        "    finished()\n"
        "app.startup_finished = spy\n"
        "from ui.commands.cli import main\n"
        f"sys.exit(main(['--check', '--db', r'{path}']))\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # a first start: the Adressen area
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "ORM False MODELS False" in result.stdout
    assert "Bereich Adressen" in result.stdout


@pytest.mark.parametrize(
    ("argv", "names_one"),
    [
        ([], False),
        (["--check"], False),
        (["--version"], False),
        (["--db", "demo"], False),  # a database file called "demo" is not the demo command
        (["--db=demo.sqlite", "--check"], False),
        (["demo"], True),
        (["--db", "x.sqlite", "import", "liste.xlsx"], True),
        (["--help"], True),
        (["-h"], True),
    ],
)
def test_window_start_builds_the_parser_without_subcommands(argv: list[str], names_one: bool) -> None:
    from ui.commands.cli import names_a_command

    assert names_a_command(argv) is names_one


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`konferenz privacy review | head -1`: when the reader has gone, the command stops with exit 0 and
    says nothing (it said "Interner Fehler" before)."""
    path = tmp_path / "demo.sqlite"
    assert run_cli("demo", "--db", str(path), "--persons", "3000").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui", "privacy", "review", "--db", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # like head -1: one line, then the reader goes away
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0
    assert err == ""
