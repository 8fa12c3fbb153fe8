"""Test setup: offscreen Qt, private user folders, and databases on both backends.

Fixtures:
- ``backend``: "sqlite" or "postgresql"; tests that use ``db`` or ``db_url`` run once per backend.
  The PostgreSQL leg uses a throwaway cluster (tests/pg_cluster.py) and is skipped, with a clear line in
  the summary, when no server binaries are installed.
- ``db_url``: the URL of a fresh, empty database on that backend.
- ``db``: a fresh database on that backend, migrated to the newest schema and opened.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# before anything imports Qt or platformdirs
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="konferenz-test-home-"))
for _var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ.pop("KONFERENZ_DB", None)

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import pg_cluster  # noqa: E402

from konferenz.storage.db import Database, open_database  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]
_pg_state: dict[str, object] = {}
_counter = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=["all", *BACKENDS],
        default="all",
        help="run the database tests on one backend only",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--backend")
        names = BACKENDS if chosen == "all" else [chosen]
        params = [pytest.param(n, marks=[pytest.mark.postgres] if n == "postgresql" else []) for n in names]
        metafunc.parametrize("backend", params, scope="function")


def _pg_server() -> pg_cluster.Cluster | str | None:
    """The session's PostgreSQL server: started on first use, stopped at the end of the session."""
    if "server" not in _pg_state:
        external = os.environ.get(pg_cluster.ENV_URL)
        if external:
            _pg_state["server"] = external.rstrip("/")
        else:
            ctx = pg_cluster.running_cluster()
            cluster = ctx.__enter__()
            _pg_state["ctx"] = ctx
            _pg_state["server"] = cluster
    return _pg_state["server"]  # type: ignore[return-value]


def _pg_url(database: str) -> str:
    server = _pg_server()
    if server is None:
        pytest.skip(
            "PostgreSQL-Teil übersprungen: keine Server-Programme (initdb) installiert "
            "(Debian: apt-get install postgresql)"
        )
    if isinstance(server, str):
        return f"{server}/{database}"
    return server.url(database)


def _pg_admin(sql: str) -> None:
    engine = sa.create_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(sql))
    finally:
        engine.dispose()


def pytest_sessionfinish(session: pytest.Session) -> None:
    ctx = _pg_state.pop("ctx", None)
    if ctx is not None:
        ctx.__exit__(None, None, None)  # type: ignore[attr-defined]


def _postgres_in_workers(terminalreporter: pytest.TerminalReporter) -> bool:
    """True when the tests ran in worker processes (pytest-xdist, each with its own server) and some of
    them were PostgreSQL tests: this process then started no server itself."""
    if not getattr(terminalreporter.config.option, "numprocesses", None):
        return False
    reports = [r for key in ("passed", "failed", "skipped") for r in terminalreporter.stats.get(key, [])]
    return any("postgresql" in getattr(r, "nodeid", "") for r in reports)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    server = _pg_state.get("server", "unused")
    if server == "unused" and _postgres_in_workers(terminalreporter):
        server = "workers" if os.environ.get(pg_cluster.ENV_URL) or pg_cluster.find_bin_dir() else None
    if server is None:
        terminalreporter.write_line(
            "HINWEIS: Der PostgreSQL-Teil der Tests wurde übersprungen, weil keine "
            "PostgreSQL-Server-Programme installiert sind (apt-get install postgresql).",
            yellow=True,
        )
    elif server != "unused":
        terminalreporter.write_line("PostgreSQL-Teil der Tests lief gegen einen Wegwerf-Server.")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path).dispose()
    return path


@pytest.fixture(scope="session")
def _pg_template() -> str:
    name = "konferenz_template"
    _pg_admin(f"CREATE DATABASE {name}")
    open_database(_pg_url(name)).dispose()
    return name


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database."""
    if backend == "sqlite":
        yield str(tmp_path / "test.sqlite")
        return
    name = f"t_empty_{os.getpid()}_{next(_counter)}"
    _pg_admin(f"CREATE DATABASE {name}")
    yield _pg_url(name)
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A fresh database on ``backend`` at the newest schema."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "test.sqlite"
        shutil.copy(template, path)
        database = open_database(path)
        yield database
        database.dispose()
        return
    template_name: str = request.getfixturevalue("_pg_template")
    name = f"t_{os.getpid()}_{next(_counter)}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {template_name}")
    database = open_database(_pg_url(name))
    yield database
    database.dispose()
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_db(tmp_path: Path, _sqlite_template: Path) -> Iterator[Database]:
    """A fresh SQLite database, for tests that concern the file backend only (GUI tests)."""
    path = tmp_path / "test.sqlite"
    shutil.copy(_sqlite_template, path)
    database = open_database(path)
    yield database
    database.dispose()


@pytest.fixture(scope="session", autouse=True)
def _one_qt_application() -> Iterator[object]:
    """One QApplication for the whole run, made before any test: paper code run in-process by a unit or
    acceptance test would otherwise make a QGuiApplication, and the GUI tests of the same run abort when
    they create their first widget on it (seen in CI: ``make unit`` runs every directory in one process)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    yield app
