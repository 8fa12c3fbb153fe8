"""Who else has the database file open: markers, heartbeat, stale markers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from konferenz.storage import presence
from konferenz.storage.presence import PresenceMarker


def test_other_program_is_seen_and_leaves(tmp_path: Path) -> None:
    db = tmp_path / "konferenz.sqlite"
    me = PresenceMarker(db)
    other = PresenceMarker(db, pid=os.getppid())  # a running process on this computer
    me.register()
    other.register()
    seen = me.others()
    assert [p.pid for p in seen] == [os.getppid()]
    assert "auf" in seen[0].text
    other.unregister()
    assert me.others() == []
    me.unregister()
    assert not presence.folder(db).exists()


def test_dead_process_on_this_computer_is_cleaned_up(tmp_path: Path) -> None:
    db = tmp_path / "konferenz.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    ghost = PresenceMarker(db, pid=proc.pid)
    ghost.register()
    me = PresenceMarker(db)
    me.register()
    assert me.others() == []
    assert not ghost.path.exists()


def test_marker_without_heartbeat_goes_stale(tmp_path: Path) -> None:
    db = tmp_path / "konferenz.sqlite"
    other = PresenceMarker(db, pid=os.getppid())
    other.register()
    me = PresenceMarker(db)
    old = time.time() - presence.STALE_AFTER.total_seconds() - 10
    os.utime(other.path, (old, old))
    assert me.others() == []
    other.register()
    other.heartbeat()
    assert len(me.others()) == 1
