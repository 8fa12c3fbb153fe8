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
from openpyxl import Workbook
from pypdf import PdfReader
from test_cli import run_cli

from konferenz.storage.db import open_database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

#: the issue asks for at least 20 kills at random points per action
KILLS_PER_ACTION = 20
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


def _first_write(proc: subprocess.Popen[bytes], wal: Path) -> float | None:
    """Wait until the process writes its first page into the SQLite write-ahead log ``wal``; the time then
    (None when the process ended first)."""
    while proc.poll() is None:
        try:
            if wal.stat().st_size > 0:
                return time.perf_counter()
        except FileNotFoundError:
            pass
        time.sleep(0.001)
    return None


def _duration(args: list[str], prepare: Callable[[], None], wal: Path | None) -> tuple[float, float]:
    """How long an uninterrupted run takes, and how long it writes (from the first page in the log ``wal``
    until the log is checkpointed and removed at the end, at least 10 ms)."""
    prepare()
    started = time.perf_counter()
    proc = _start(*args)
    writing = 0.0
    if wal is not None and (first := _first_write(proc, wal)) is not None:
        while proc.poll() is None and wal.exists():
            time.sleep(0.001)
        writing = time.perf_counter() - first
    assert proc.wait(timeout=300) == 0
    return time.perf_counter() - started, max(writing, 0.01)


def _kill_at_random_points(
    args: list[str],
    prepare: Callable[[], None],
    check: Callable[[bool], None],
    kills: int = KILLS_PER_ACTION,
    wal: Path | None = None,
) -> list[str]:
    """Run the action ``kills`` times, killing it after a random fraction of its normal duration.

    Writing is a small part of most actions (the unit of work reaches the file only at its end). With
    ``wal``, the SQLite file's write-ahead log, every second kill therefore falls at a random point of the
    writing instead: after the first page reaches the log, within the time an uninterrupted run writes.
    """
    total, writing = _duration(args, prepare, wal)
    check(True)
    outcomes = []
    for i in range(kills):
        prepare()
        proc = _start(*args)
        if wal is not None and i % 2:
            if _first_write(proc, wal) is not None:
                time.sleep(RNG.uniform(0.0, writing))
        else:
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


def table_counts(path: Path) -> dict[str, int]:
    """The number of rows in every table: a finished action and an absent one each have one such picture."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


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
        "from konferenz.storage.db import open_database\n"
        "from konferenz.conferences import editing, replies\n"
        "from konferenz.enums import InvitationStatus\n"
        "from konferenz.storage.models import Invitation\n"
        "d = open_database(sys.argv[1])\n"
        "with d.read_session() as s:\n"
        "    ids = s.scalars(sa.select(Invitation.id).where(Invitation.conference_id == editing.conference_id(s, 2031))).all()\n"
        "replies.set_status(d, ids, InvitationStatus.INVITED)\n"
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
        "from konferenz.storage.db import open_database\n"
        "from konferenz.registry.merge import merge_persons\n"
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


IMPORT_ROWS = 3000


def _staff_list(path: Path) -> Path:
    """A list of IMPORT_ROWS new persons at 150 new organisations, as staff hand it over."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Anrede", "Vorname", "Nachname", "Organisation", "Straße", "PLZ", "Ort", "E-Mail", "Telefon"])
    for i in range(IMPORT_ROWS):
        ws.append([
            "Frau" if i % 2 else "Herr", f"Vorname{i}", f"Importiert{i:05d}", f"Verein Nr. {i % 150}",
            f"Hauptstraße {i % 90 + 1}", "46325", "Borken", f"person{i}@beispiel.de", f"02861 {i:06d}",
        ])  # fmt: skip
    wb.save(path)
    return path


def test_killed_import_imports_all_rows_or_none(tmp_path: Path) -> None:
    """``konferenz import`` of a 3,000-row Excel list killed at 20 random points (half of them while it
    writes): either the database is exactly as before, or it holds the whole import (persons,
    organisations, the batch and its undo journal) exactly as an uninterrupted run leaves it."""
    base = tmp_path / "basis.sqlite"
    db = tmp_path / "arbeit.sqlite"
    assert run_cli("demo", "--persons", "2000", "--db", str(base)).returncode == 0
    with sqlite3.connect(base) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    sheet = _staff_list(tmp_path / "liste.xlsx")
    before = table_counts(base)
    after: list[dict[str, int]] = []

    def check(finished: bool) -> None:
        integrity(db)
        now = table_counts(db)
        assert now["person"] in (before["person"], before["person"] + IMPORT_ROWS), now  # never in between
        if now["person"] == before["person"]:
            assert not finished
            assert now == before  # nothing of the import: no batch, organisation, journal or audit entry
            return
        assert now["import_batch"] == before["import_batch"] + 1
        with sqlite3.connect(db) as conn:
            batch_id, rows_read, created = conn.execute(
                "SELECT id, rows_read, created FROM import_batch ORDER BY id DESC LIMIT 1"
            ).fetchone()
            assert (rows_read, created) == (IMPORT_ROWS, IMPORT_ROWS)
            imported = conn.execute("SELECT count(*) FROM person WHERE import_batch_id = ?", (batch_id,))
            assert imported.fetchone()[0] == IMPORT_ROWS
            journal = conn.execute("SELECT undo_data FROM import_batch WHERE id = ?", (batch_id,))
            assert '"change_set"' in journal.fetchone()[0]  # the undo journal is written with the import
        if not after:
            after.append(now)
        assert now == after[0]

    outcomes = _kill_at_random_points(
        ["import", str(sheet), "--db", str(db)], _copier(base, db), check, wal=Path(f"{db}-wal")
    )
    assert "getötet" in outcomes


def test_killed_letter_run_records_all_sendings_or_none(tmp_path: Path) -> None:
    """``konferenz letters --mark-sent`` killed at 20 random points (half of them while it writes): either
    no invitation has the sending recorded and nothing is archived, or every letter is recorded and archived exactly as an uninterrupted
    run does it; the PDF is either absent or complete (written to a temporary file, then renamed)."""
    base = tmp_path / "basis.sqlite"
    db = tmp_path / "arbeit.sqlite"
    out = tmp_path / "briefe.pdf"
    assert run_cli("demo", "--persons", "100", "--seed", "3", "--db", str(base)).returncode == 0
    with sqlite3.connect(base) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = _copier(base, db)

    def prepare() -> None:
        copy()
        out.unlink(missing_ok=True)
        out.with_name(out.name + ".tmp").unlink(missing_ok=True)

    def invitations(path: Path) -> list[tuple[object, ...]]:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT * FROM invitation ORDER BY id").fetchall()

    before_rows, before = invitations(base), table_counts(base)
    assert before["archived_document"] == 0
    done: list[tuple[list[tuple[object, ...]], dict[str, int], int]] = []

    def check(finished: bool) -> None:
        integrity(db)
        rows, now = invitations(db), table_counts(db)
        if out.exists():
            pages = len(PdfReader(out).pages)  # a torn file would not parse
            if done:
                assert pages == done[0][2]
        else:
            assert not finished
        if now["archived_document"] == 0:
            assert not finished
            assert rows == before_rows and now == before  # no sending recorded, no audit entry
            return
        if not done:
            assert finished and out.exists()
            letters = now["archived_document"]
            recorded = sum(r != b for r, b in zip(rows, before_rows, strict=True))
            assert letters == recorded > 0, (letters, recorded)
            done.append((rows, now, len(PdfReader(out).pages)))
        assert out.exists()  # the sending is recorded only after the PDF is written
        assert (rows, now) == done[0][:2]

    outcomes = _kill_at_random_points(
        ["letters", "--conference", "2026", "-o", str(out), "--mark-sent", "--db", str(db)],
        prepare,
        check,
        wal=Path(f"{db}-wal"),
    )
    assert "getötet" in outcomes
