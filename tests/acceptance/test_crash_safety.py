"""A process killed (SIGKILL) in the middle of an action leaves the database consistent and without any
part of the unfinished action. Each action is killed at random points spread over its measured duration."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_cli import run_cli

from konferenz.db import open_database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

KILLS_PER_ACTION = 10
RNG = random.Random(20261125)


def _start(*args: str) -> subprocess.Popen[bytes]:
    """The command line with ``args``, or a Python snippet when ``args`` starts with "-c"."""
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "ui", *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def _duration(args: list[str], prepare: Callable[[], None]) -> float:
    prepare()
    started = time.perf_counter()
    proc = _start(*args)
    assert proc.wait(timeout=300) == 0
    return time.perf_counter() - started


def _kill_at_random_points(
    args: list[str], prepare: Callable[[], None], check: Callable[[bool], None]
) -> list[str]:
    """Run the action KILLS_PER_ACTION times, killing it after a random fraction of its normal duration."""
    total = _duration(args, prepare)
    check(True)
    outcomes = []
    for _ in range(KILLS_PER_ACTION):
        prepare()
        proc = _start(*args)
        time.sleep(RNG.uniform(0.05, 1.0) * total)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        check(not killed)
        outcomes.append("getötet" if killed else "fertig")
    return outcomes


def integrity(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_killed_demo_generation_leaves_nothing(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    empty = tmp_path / "leer.sqlite"
    open_database(empty).dispose()

    def prepare() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(empty, db)

    def check(finished: bool) -> None:
        integrity(db)
        persons = count(db, "SELECT count(*) FROM person")
        # killed just after the commit counts as finished; anything in between is a failure
        assert persons == 3000 if finished else persons in (0, 3000)
        if persons == 0:
            assert count(db, "SELECT count(*) FROM organisation") == 0
            assert count(db, "SELECT count(*) FROM invitation") == 0

    outcomes = _kill_at_random_points(["demo", "--persons", "3000", "--db", str(db)], prepare, check)
    assert "getötet" in outcomes


def test_killed_invitation_run_invites_all_or_none(tmp_path: Path) -> None:
    base = tmp_path / "basis.sqlite"
    db = tmp_path / "arbeit.sqlite"
    assert run_cli("demo", "--persons", "20000", "--db", str(base)).returncode == 0
    assert run_cli("conference", "create", "--year", "2031", "--title", "Integrationskonferenz 2031",
                   "--date", "2031-11-06", "--db", str(base)).returncode == 0  # fmt: skip
    with sqlite3.connect(base) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    prepare = _copier(base, db)

    full: list[int] = []

    def check(finished: bool) -> None:
        integrity(db)
        n = count(db, "SELECT count(*) FROM invitation i JOIN conference c ON c.id = i.conference_id "
                      "WHERE c.year = 2031")  # fmt: skip
        if finished:
            assert n >= 20000
            full.append(n)
        else:
            assert n == 0 or n in full

    outcomes = _kill_at_random_points(
        ["invite", "--conference", "2031", "--all", "--db", str(db)], prepare, check
    )
    assert "getötet" in outcomes


@pytest.fixture(scope="module")
def invited_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 persons, all on the list of conference 2031 (vorgemerkt)."""
    base = tmp_path_factory.mktemp("basis") / "basis.sqlite"
    assert run_cli("demo", "--persons", "20000", "--db", str(base)).returncode == 0
    assert run_cli("conference", "create", "--year", "2031", "--title", "Integrationskonferenz 2031",
                   "--date", "2031-11-06", "--db", str(base)).returncode == 0  # fmt: skip
    assert run_cli("invite", "--conference", "2031", "--all", "--db", str(base)).returncode == 0
    with sqlite3.connect(base) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return base


def _copier(base: Path, db: Path) -> Callable[[], None]:
    def prepare() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(base, db)

    return prepare


def test_killed_bulk_status_change_changes_all_or_nothing(invited_base: Path, tmp_path: Path) -> None:
    db = tmp_path / "arbeit.sqlite"
    script = (
        "import sys, sqlalchemy as sa\n"
        "from konferenz.db import open_database\n"
        "from konferenz import conferences as c\n"
        "from konferenz.enums import InvitationStatus\n"
        "from konferenz.models import Invitation\n"
        "d = open_database(sys.argv[1])\n"
        "with d.read_session() as s:\n"
        "    ids = s.scalars(sa.select(Invitation.id).where(Invitation.conference_id == c.conference_id(s, 2031))).all()\n"
        "c.set_status(d, ids, InvitationStatus.INVITED)\n"
    )
    sql = ("SELECT i.status, count(*) FROM invitation i JOIN conference c ON c.id = i.conference_id "
           "WHERE c.year = 2031 GROUP BY i.status")  # fmt: skip

    def check(finished: bool) -> None:
        integrity(db)
        with sqlite3.connect(db) as conn:
            statuses = dict(conn.execute(sql).fetchall())
        assert len(statuses) == 1, statuses  # never a mix of changed and unchanged rows
        if finished:
            assert set(statuses) == {"invited"}

    outcomes = _kill_at_random_points(["-c", script, str(db)], _copier(invited_base, db), check)
    assert "getötet" in outcomes


def test_killed_merges_are_each_complete_or_absent(invited_base: Path, tmp_path: Path) -> None:
    """A run of 30 merges killed at random: every merge is either done completely or not at all."""
    db = tmp_path / "arbeit.sqlite"
    pairs_sql = ("SELECT p.id FROM person p ORDER BY p.id LIMIT 60")  # fmt: skip
    with sqlite3.connect(invited_base) as conn:
        ids = [r[0] for r in conn.execute(pairs_sql)]
    pairs = list(zip(ids[0::2], ids[1::2], strict=True))
    script = (
        "import sys\n"
        "from konferenz.db import open_database\n"
        "from konferenz.duplicates import merge_persons\n"
        "d = open_database(sys.argv[1])\n"
        f"for keep, drop in {pairs!r}:\n"
        "    merge_persons(d, keep, drop)\n"
    )

    def invitations_of(conn: sqlite3.Connection, person: int) -> int:
        return int(
            conn.execute("SELECT count(*) FROM invitation WHERE person_id = ?", (person,)).fetchone()[0]
        )

    with sqlite3.connect(invited_base) as conn:
        before = {p: invitations_of(conn, p) for pair in pairs for p in pair}

    def check(finished: bool) -> None:
        integrity(db)
        with sqlite3.connect(db) as conn:
            for keep, drop in pairs:
                dropped = conn.execute("SELECT count(*) FROM person WHERE id = ?", (drop,)).fetchone()[0] == 0
                if dropped:
                    # everything moved: the survivor holds one invitation per conference either had
                    assert invitations_of(conn, drop) == 0
                    assert invitations_of(conn, keep) >= max(before[keep], before[drop])
                else:
                    assert not finished
                    assert invitations_of(conn, keep) == before[keep]
                    assert invitations_of(conn, drop) == before[drop]

    outcomes = _kill_at_random_points(["-c", script, str(db)], _copier(invited_base, db), check)
    assert "getötet" in outcomes
